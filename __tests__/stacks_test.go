package tests

import (
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/internal/harness"
	"github.com/hardened-iac/cdktf-aws/internal/validate"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

// TestInvalidStackConfig covers the stacks' own validation rules: a
// rejected config returns one *validate.Error naming the field, and the app
// gets no stack at all.
func TestInvalidStackConfig(t *testing.T) {
	env := func() stacks.Env {
		return stacks.Env{Project: "p", Environment: "dev", AccountId: "123456789012", Region: "us-east-1"}
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
				StateBackend: stateBackendConfig("eu-west-1")})
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
			cfg := stacks.ReferenceWebAppConfig("dev")
			cfg.Backend.KmsKeyId = "alias/state"
			_, err := stacks.NewWebAppStack(app, "w", cfg)
			return err
		}, "Backend.KmsKeyId"},
		"web app bad env": {func(app constructs.Construct) error {
			cfg := stacks.ReferenceWebAppConfig("dev")
			cfg.Env.AccountId = ""
			_, err := stacks.NewWebAppStack(app, "w", cfg)
			return err
		}, "Env.AccountId"},
		"web app nil config": {func(app constructs.Construct) error {
			_, err := stacks.NewWebAppStack(app, "w", nil)
			return err
		}, "config"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			app := cdktf.Testing_App(nil)
			err := tc.build(app)
			var ve *validate.Error
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, fields(ve), tc.field, "error: %v", err)
			harness.RequireNoChildren(t, app)
		})
	}
}
