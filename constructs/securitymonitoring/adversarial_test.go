package securitymonitoring_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sm "github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// TestAdversarial_IDCascade: an id the constructor refuses is one problem,
// not also "the default Name" (as in the other constructs); an id starting
// with '_' is valid.
func TestAdversarial_IDCascade(t *testing.T) {
	const acct = "111122223333"
	for _, id := range []string{"1web", "", strings.Repeat("w", 65)} {
		err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
			_, err := sm.NewSecurityMonitoring(s, id, &sm.SecurityMonitoringConfig{AccountId: acct, Region: "eu-west-1"})
			return err
		})
		var ve *validate.Error
		require.True(t, errors.As(err, &ve), "%q: %v", id, err)
		assert.Len(t, ve.Problems, 1, "%q: %v", id, err)
		assert.Equal(t, "id", ve.Problems[0].Field)
	}
	err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
		_, err := sm.NewSecurityMonitoring(s, "_security", &sm.SecurityMonitoringConfig{AccountId: acct, Region: "eu-west-1"})
		return err
	})
	assert.NoError(t, err)
}

// TestAdversarial: odd but valid configurations in other partitions
// synthesize; bad input is a *validate.Error on the right field.
func TestAdversarial(t *testing.T) {
	const acct = "111122223333"
	type C = sm.SecurityMonitoringConfig
	f64 := func(f float64) *float64 { return &f }
	alb := func(f func(a *sm.AlbAlarms)) *sm.AlbAlarms {
		a := &sm.AlbAlarms{LoadBalancerArnSuffix: "app/web/0123456789abcdef", TargetGroupArnSuffix: "targetgroup/web/0123456789abcdef"}
		f(a)
		return a
	}
	valid := map[string]*C{
		"cn-north-1":               {AccountId: acct, Region: "cn-north-1", Alb: alb(func(*sm.AlbAlarms) {})},
		"us-gov-west-1 severity 1": {AccountId: acct, Region: "us-gov-west-1", FindingsMinSeverity: f64(1)},
		"ap-southeast-2 zeros": {AccountId: acct, Region: "ap-southeast-2", SkipGuardDutyDetector: true, UnauthorizedApiCallsThreshold: new(0),
			NoncurrentVersionExpirationDays: new(0), Waf: &sm.WafAlarms{WebAclMetricName: "web", BlockedRequestsThreshold: new(0)}},
		"1-char name, 128-char trail": {AccountId: acct, Region: "eu-west-1", Name: "a", TrailName: strings.Repeat("t", 128),
			Alb: alb(func(a *sm.AlbAlarms) { a.PeriodSeconds, a.EvaluationPeriods = new(86400), new(7) })},
	}
	for name, c := range valid {
		t.Run("valid "+name, func(t *testing.T) {
			err := attempt(c.Region, func(s cdktf.TerraformStack) error {
				_, err := sm.NewSecurityMonitoring(s, "security", c)
				return err
			})
			assert.NoError(t, err)
		})
	}
	base := func(f func(c *C)) *C {
		c := &C{AccountId: acct, Region: "eu-west-1"}
		f(c)
		return c
	}
	invalid := map[string]struct {
		field string
		cfg   *C
	}{
		"nil":             {"config", nil},
		"severity NaN":    {"FindingsMinSeverity", base(func(c *C) { c.FindingsMinSeverity = f64(math.NaN()) })},
		"severity +Inf":   {"FindingsMinSeverity", base(func(c *C) { c.FindingsMinSeverity = f64(math.Inf(1)) })},
		"severity 0":      {"FindingsMinSeverity", base(func(c *C) { c.FindingsMinSeverity = f64(0) })},
		"trail 129":       {"TrailName", base(func(c *C) { c.TrailName = strings.Repeat("t", 129) })},
		"trail ip":        {"TrailName", base(func(c *C) { c.TrailName = "192.168.5.4" })},
		"name 64":         {"Name", base(func(c *C) { c.Name = strings.Repeat("n", 64) })},
		"emails case dup": {"AlarmEmails[1]", base(func(c *C) { c.AlarmEmails = []string{"a@example.com", "A@example.com"} })},
		"namespace 256":   {"MetricNamespace", base(func(c *C) { c.MetricNamespace = strings.Repeat("n", 256) })},
		"alb period 90":   {"Alb.PeriodSeconds", base(func(c *C) { c.Alb = alb(func(a *sm.AlbAlarms) { a.PeriodSeconds = new(90) }) })},
		"alb range > 1 day": {"Alb.EvaluationPeriods", base(func(c *C) {
			c.Alb = alb(func(a *sm.AlbAlarms) { a.PeriodSeconds, a.EvaluationPeriods = new(60), new(1441) })
		})},
		"alb range > 7 days": {"Alb.EvaluationPeriods", base(func(c *C) {
			c.Alb = alb(func(a *sm.AlbAlarms) { a.PeriodSeconds, a.EvaluationPeriods = new(86400), new(8) })
		})},
		"alb datapoints": {"Alb.DatapointsToAlarm", base(func(c *C) {
			c.Alb = alb(func(a *sm.AlbAlarms) { a.EvaluationPeriods, a.DatapointsToAlarm = new(2), new(3) })
		})},
		"ecs duplicate id": {"Ecs[1].Id", base(func(c *C) {
			c.Ecs = []sm.EcsAlarms{{Id: "a", ClusterName: "c", ServiceName: "s"}, {Id: "a", ClusterName: "c", ServiceName: "t"}}
		})},
		"ecs cpu 101": {"Ecs[0].CpuUtilizationThreshold", base(func(c *C) {
			c.Ecs = []sm.EcsAlarms{{Id: "a", ClusterName: "c", ServiceName: "s", CpuUtilizationThreshold: new(101)}}
		})},
		"waf rule All":  {"Waf.RuleMetricName", base(func(c *C) { c.Waf = &sm.WafAlarms{WebAclMetricName: "web", RuleMetricName: "All"} })},
		"boundary role": {"PermissionsBoundaryArn", base(func(c *C) { c.PermissionsBoundaryArn = "arn:aws:iam::" + acct + ":role/x" })},
	}
	for name, tc := range invalid {
		t.Run("invalid "+name, func(t *testing.T) {
			err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
				_, err := sm.NewSecurityMonitoring(s, "security", tc.cfg)
				return err
			})
			stacktest.RequireProblem(t, err, tc.field, "")
		})
	}
}

// attempt synthesizes a stack with an AWS provider of region and define's
// constructs (stacktest.SynthStackE): define's error comes back as it is and
// a panic, of define or of the synth, as a *stacktest.PanicError.
func attempt(region string, define func(stack cdktf.TerraformStack) error) error {
	_, err := stacktest.SynthStackE("adversarial", func(s cdktf.TerraformStack) error {
		provider.NewAwsProvider(s, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		return define(s)
	})
	return err
}
