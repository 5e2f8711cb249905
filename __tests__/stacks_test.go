package tests

import (
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// TestInvalidStackConfig covers the stacks' own validation rules: a
// rejected config returns one *validate.Error naming the field, and the app
// gets no stack at all.
func TestInvalidStackConfig(t *testing.T) {
	env := func() stacks.Env {
		return stacks.Env{Project: "p", Environment: "dev", AccountId: "111122223333", Region: "eu-west-1"}
	}
	cases := map[string]struct {
		build func(app constructs.Construct) error
		field string
	}{
		"bootstrap without project": {func(app constructs.Construct) error {
			e := env()
			e.Project = ""
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: e})
			return err
		}, "Env.Project"},
		"bootstrap without environment": {func(app constructs.Construct) error {
			e := env()
			e.Environment = ""
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: e})
			return err
		}, "Env.Environment"},
		"bootstrap with bad account": {func(app constructs.Construct) error {
			e := env()
			e.AccountId = "12"
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: e})
			return err
		}, "Env.AccountId"},
		"bootstrap with bad region": {func(app constructs.Construct) error {
			e := env()
			e.Region = "mars"
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: e})
			return err
		}, "Env.Region"},
		"bootstrap backend in another region": {func(app constructs.Construct) error {
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: env(),
				StateBackend: stateBackendConfig(otherRegion(env().Region))})
			return err
		}, "StateBackend.Region"},
		"bootstrap backend config invalid": {func(app constructs.Construct) error {
			_, err := stacks.NewBootstrapStack(app, "b", &stacks.BootstrapStackConfig{Env: env()})
			return err
		}, "StateBackend.Bucket"},
		"bootstrap nil config": {func(app constructs.Construct) error {
			_, err := stacks.NewBootstrapStack(app, "b", nil)
			return err
		}, "config"},
		"web app backend invalid": {func(app constructs.Construct) error {
			cfg := validWebApp(t)
			cfg.Backend.KmsKeyId = "alias/state"
			_, err := stacks.NewWebAppStack(app, "w", cfg)
			return err
		}, "Backend.KmsKeyId"},
		"web app bad env": {func(app constructs.Construct) error {
			cfg := validWebApp(t)
			cfg.Env.AccountId = ""
			_, err := stacks.NewWebAppStack(app, "w", cfg)
			return err
		}, "Env.AccountId"},
		"web app network in another region":  {webApp(func(c *stacks.WebAppStackConfig) { c.Network.Region = otherRegion(c.Env.Region) }), "Network.Region"},
		"web app network invalid":            {webApp(func(c *stacks.WebAppStackConfig) { c.Network.AvailabilityZones = []string{"eu-west-1a"} }), "Network.AvailabilityZones"},
		"web app service in another account": {webApp(func(c *stacks.WebAppStackConfig) { c.Service.AccountId = "210987654321" }), "Service.AccountId"},
		"web app service network given":      {webApp(func(c *stacks.WebAppStackConfig) { c.Service.VpcId = "vpc-0123456789abcdef0" }), "Service"},
		"web app service invalid":            {webApp(func(c *stacks.WebAppStackConfig) { c.Service.Image = "nginx:latest" }), "Service.Image"},
		"web app waf in another region":      {webApp(func(c *stacks.WebAppStackConfig) { c.Waf.Region = otherRegion(c.Env.Region) }), "Waf.Region"},
		"web app waf resource given": {webApp(func(c *stacks.WebAppStackConfig) {
			c.Waf.ResourceArn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/x/1"
		}), "Waf.ResourceArn"},
		"web app waf invalid":                  {webApp(func(c *stacks.WebAppStackConfig) { c.Waf.RateLimit.Limit = new(5) }), "Waf.RateLimit.Limit"},
		"web app monitoring in another region": {webApp(func(c *stacks.WebAppStackConfig) { c.Monitoring.Region = otherRegion(c.Env.Region) }), "Monitoring.Region"},
		"web app monitoring wiring given": {webApp(func(c *stacks.WebAppStackConfig) {
			c.Monitoring.Ecs = []securitymonitoring.EcsAlarms{{ClusterName: "c", ServiceName: "s"}}
		}), "Monitoring"},
		"web app monitoring invalid": {webApp(func(c *stacks.WebAppStackConfig) { c.Monitoring.AlarmEmails = []string{"not-an-email"} }), "Monitoring.AlarmEmails[0]"},
		"web app waf for cloudfront": {webApp(func(c *stacks.WebAppStackConfig) { c.Waf.Scope = "CLOUDFRONT" }), "Waf.Scope"},
		"web app shared variable name": {webApp(func(c *stacks.WebAppStackConfig) {
			c.Waf.BlockedAddressesVariable = c.Network.NetworkAcls.DenyCidrBlocksVariable
		}), "Waf.BlockedAddressesVariable"},
		"web app shared desired count": {webApp(func(c *stacks.WebAppStackConfig) {
			c.Service.DesiredCountVariable = c.Network.NetworkAcls.DenyCidrBlocksVariable
		}), "Service.DesiredCountVariable"},
		"web app id not a Terraform name": {func(app constructs.Construct) error {
			_, err := stacks.NewWebAppStack(app, "web app", validWebApp(t))
			return err
		}, "id"},
		"web app nil config": {func(app constructs.Construct) error {
			_, err := stacks.NewWebAppStack(app, "w", nil)
			return err
		}, "config"},
	}
	t.Run("every construct's problems in one error", func(t *testing.T) {
		cfg := validWebApp(t)
		cfg.Backend.Key = "/x"
		cfg.Network.CidrBlock = "10.0.0.1/16"
		cfg.Service.ContainerPort = 70000
		cfg.Waf.RateLimit.Limit = new(5)
		cfg.Monitoring.FindingPublishingFrequency = "HOURLY"
		app := stacktest.TestingApp(t)
		_, err := stacks.NewWebAppStack(app, "w", cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		got := fields(ve)
		for _, want := range []string{"Backend.Key", "Network.CidrBlock", "Service.ContainerPort", "Waf.RateLimit.Limit", "Monitoring.FindingPublishingFrequency"} {
			assert.Contains(t, got, want)
		}
		stacktest.RequireNoChildren(t, app)
	})
	t.Run("web acl named like a reserved metric", func(t *testing.T) {
		// "All" passes the web ACL's own name rules but not those of the
		// WAF metric the alarms watch: still one error, and no stack.
		cfg := validWebApp(t)
		cfg.Waf.Name = "All"
		app := stacktest.TestingApp(t)
		_, err := stacks.NewWebAppStack(app, "w", cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		stacktest.RequireNoChildren(t, app)
	})
	t.Run("stack id used twice", func(t *testing.T) {
		app := stacktest.TestingApp(t)
		_, err := stacks.NewWebAppStack(app, "web", validWebApp(t))
		require.NoError(t, err)
		_, err = stacks.NewWebAppStack(app, "web", validWebApp(t))
		var ve *validate.Error
		require.ErrorAs(t, err, &ve, "a duplicate stack id is an error, not a panic")
		assert.Equal(t, []string{"id"}, fields(ve))
	})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			app := stacktest.TestingApp(t)
			err := tc.build(app)
			var ve *validate.Error
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, fields(ve), tc.field, "error: %v", err)
			stacktest.RequireNoChildren(t, app)
		})
	}
}

// validWebApp is the web-app stack config of the platform's first
// environment.
func validWebApp(t testing.TB) *stacks.WebAppStackConfig {
	t.Helper()
	cfg, err := firstWebApp()
	require.NoError(t, err)
	return cfg
}

func firstWebApp() (*stacks.WebAppStackConfig, error) {
	p, err := loadPlatform()
	if err != nil {
		return nil, err
	}
	cfg, _ := p.WebAppStackConfig(p.Environments[0].Name)
	return cfg, nil
}

// webApp returns a builder of the first environment's web-app stack with
// one change applied.
func webApp(mutate func(*stacks.WebAppStackConfig)) func(app constructs.Construct) error {
	return func(app constructs.Construct) error {
		cfg, err := firstWebApp()
		if err != nil {
			return err
		}
		mutate(cfg)
		_, err = stacks.NewWebAppStack(app, "w", cfg)
		return err
	}
}

// otherRegion is a valid region other than r.
func otherRegion(r string) string {
	if r == "eu-west-1" {
		return "us-east-1"
	}
	return "eu-west-1"
}
