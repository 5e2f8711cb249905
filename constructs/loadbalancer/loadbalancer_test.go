package loadbalancer_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/internal/albcore"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

func config() *loadbalancer.HardenedAlbConfig {
	return &loadbalancer.HardenedAlbConfig{
		AccountId:      account,
		Region:         region,
		VpcId:          "vpc-0123456789abcdef0",
		VpcCidr:        "10.30.0.0/16",
		SubnetIds:      []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		CertificateArn: "arn:aws:acm:" + region + ":" + account + ":certificate/11111111-2222-4333-8444-555555555555",
	}
}

func ref(s stacktest.Stack, t *testing.T, typ, path, attr string) string {
	return "${" + s.Ref(t, typ, path) + "." + attr + "}"
}

func TestDefaults(t *testing.T) {
	var alb *loadbalancer.HardenedAlb
	s := synthStack(t, "lb-test", func(stack cdktf.TerraformStack) {
		var err error
		alb, err = loadbalancer.NewHardenedAlb(stack, "shared", config())
		require.NoError(t, err)
	})
	assert.Equal(t, "shared", alb.Config.Name)
	sg := s.Resource(t, "aws_security_group", "shared/alb_security_group")
	assert.Equal(t, "shared-alb", sg.Get("name").String())
	assert.False(t, sg.Get("egress").Exists(), "no egress until services attach")
	assert.Empty(t, s.Resources("aws_vpc_security_group_egress_rule"))
	var ports []int64
	for _, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		assert.Equal(t, "0.0.0.0/0", r.Get("cidr_ipv4").String())
		assert.Equal(t, ref(s, t, "aws_security_group", "shared/alb_security_group", "id"), r.Get("security_group_id").String())
		ports = append(ports, r.Get("from_port").Int())
	}
	slices.Sort(ports)
	assert.Equal(t, []int64{80, 443}, ports)

	lb := s.Resource(t, "aws_lb", "shared/alb")
	assert.Equal(t, "shared-alb", lb.Get("name").String())
	assert.Equal(t, true, lb.Get("drop_invalid_header_fields").Value())
	assert.Equal(t, true, lb.Get("enable_deletion_protection").Value())
	assert.Equal(t, "defensive", lb.Get("desync_mitigation_mode").String())
	assert.Equal(t, false, lb.Get("internal").Value())
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "shared/access_logs", "id"), lb.Get("access_logs.bucket").String())

	https := s.Resource(t, "aws_lb_listener", "shared/https_listener")
	assert.Equal(t, loadbalancer.DefaultSslPolicy, https.Get("ssl_policy").String())
	assert.Equal(t, config().CertificateArn, https.Get("certificate_arn").String())
	assert.Equal(t, "fixed-response", https.Get("default_action.0.type").String(), "requests matching no service get a fixed response")
	assert.Equal(t, "404", https.Get("default_action.0.fixed_response.status_code").String())
	http := s.Resource(t, "aws_lb_listener", "shared/http_listener")
	assert.JSONEq(t, `[{"type":"redirect","redirect":{"protocol":"HTTPS","port":"443","status_code":"HTTP_301"}}]`, http.Get("default_action").Raw)

	b := s.Resource(t, "aws_s3_bucket", "shared/access_logs")
	assert.Equal(t, "shared-alb-logs-"+account+"-"+region, b.Get("bucket").String())
	pol := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "shared/access_logs_policy"), "policy")
	assert.Equal(t, "arn:aws:iam::"+elbAccount+":root", pol.Get(`Statement.#(Sid=="AllowElbAccessLogDelivery").Principal.AWS`).String())

	outs := map[string]string{}
	for k, v := range s.Get("output").Map() {
		outs[k] = v.Get("value").String()
	}
	assert.Equal(t, map[string]string{
		"shared_alb_dns_name":          ref(s, t, "aws_lb", "shared/alb", "dns_name"),
		"shared_alb_zone_id":           ref(s, t, "aws_lb", "shared/alb", "zone_id"),
		"shared_alb_arn":               ref(s, t, "aws_lb", "shared/alb", "arn"),
		"shared_alb_arn_suffix":        ref(s, t, "aws_lb", "shared/alb", "arn_suffix"),
		"shared_alb_security_group_id": ref(s, t, "aws_security_group", "shared/alb_security_group", "id"),
		"shared_listener_arn":          ref(s, t, "aws_lb_listener", "shared/https_listener", "arn"),
	}, outs)

	// The deliberate exceptions are declared, with reasons; nothing else
	// at or above HIGH fails but the web ACL WafAcl adds.
	rep, err := policy.Check(policy.StackFile{Name: "alb", JSON: s.Raw})
	require.NoError(t, err)
	var suppressed, failing []string
	for _, f := range rep.Suppressed() {
		suppressed = append(suppressed, f.Rule.ID)
	}
	for _, f := range rep.Failing(policy.High) {
		failing = append(failing, f.Rule.ID)
	}
	assert.ElementsMatch(t, []string{"HC-LB-001", "HC-S3-002"}, suppressed)
	assert.Equal(t, []string{"HC-WAF-001"}, failing)
}

// An internal ALB without a certificate (dev) serves plain HTTP with the
// fixed-response default; services then attach to that listener.
func TestInternalPlainHttp(t *testing.T) {
	var alb *loadbalancer.HardenedAlb
	s := synthStack(t, "lb-test", func(stack cdktf.TerraformStack) {
		c := config()
		c.CertificateArn, c.AllowPlainHttp, c.Internal = "", true, true
		c.DefaultStatusCode = new(503)
		var err error
		alb, err = loadbalancer.NewHardenedAlb(stack, "dev", c)
		require.NoError(t, err)
	})
	assert.Len(t, s.Resources("aws_lb_listener"), 1)
	http := s.Resource(t, "aws_lb_listener", "dev/http_listener")
	assert.Equal(t, "503", http.Get("default_action.0.fixed_response.status_code").String())
	assert.Nil(t, alb.HttpsListener)
	assert.Equal(t, *alb.HttpListener.Node().Path(), *alb.Listener.Node().Path(), "services attach to the HTTP listener")
	for _, r := range s.Resources("aws_vpc_security_group_ingress_rule") {
		assert.Equal(t, "10.30.0.0/16", r.Get("cidr_ipv4").String(), "an internal ALB accepts the VPC")
		assert.EqualValues(t, 80, r.Get("from_port").Int())
	}
	rep, err := policy.Check(policy.StackFile{Name: "alb", JSON: s.Raw})
	require.NoError(t, err)
	for _, f := range rep.Suppressed() {
		assert.NotEqual(t, "HC-LB-001", f.Rule.ID, "an internal ALB needs no exposure suppression")
	}
}

// Every rule has a failing case (one problem, on its field) and the
// defaults a passing one.
func TestValidate(t *testing.T) {
	require.NoError(t, config().Validate("shared"))
	type C = loadbalancer.HardenedAlbConfig
	for name, tc := range map[string]struct {
		mut        func(c *C)
		field      string
		suggestion string
	}{
		"account":                {func(c *C) { c.AccountId = "1" }, "AccountId", ""},
		"region":                 {func(c *C) { c.Region = "eu-west-9" }, "Region", "eu-west-1"},
		"name":                   {func(c *C) { c.Name = "Shared_ALB" }, "Name", "shared-alb"},
		"VPC":                    {func(c *C) { c.VpcId = "vpc-1" }, "VpcId", ""},
		"VPC CIDR":               {func(c *C) { c.VpcCidr = "10.30.0.1/16" }, "VpcCidr", ""},
		"one subnet":             {func(c *C) { c.SubnetIds = c.SubnetIds[:1] }, "SubnetIds", ""},
		"subnet ID":              {func(c *C) { c.SubnetIds = []string{"subnet-1", "subnet-0aaaaaaaaaaaaaaa2"} }, "SubnetIds[0]", ""},
		"ingress CIDR":           {func(c *C) { c.IngressCidrBlocks = []string{"1.2.3.4"} }, "IngressCidrBlocks[0]", ""},
		"repeated ingress":       {func(c *C) { c.IngressCidrBlocks = []string{"192.0.2.0/24", "192.0.2.0/24"} }, "IngressCidrBlocks", ""},
		"empty ingress":          {func(c *C) { c.IngressCidrBlocks = []string{} }, "IngressCidrBlocks", ""},
		"empty internal ingress": {func(c *C) { c.Internal, c.IngressCidrBlocks = true, []string{} }, "IngressCidrBlocks", ""},
		"ALB name":               {func(c *C) { c.LoadBalancerName = strings.Repeat("a", 33) }, "LoadBalancerName", ""},
		"derived ALB name":       {func(c *C) { c.Name = strings.Repeat("a", 29) }, "LoadBalancerName", ""},
		"desync monitor":         {func(c *C) { c.DesyncMitigationMode = "monitor" }, "DesyncMitigationMode", ""},
		"desync casing":          {func(c *C) { c.DesyncMitigationMode = "Defensive" }, "DesyncMitigationMode", "defensive"},
		"idle timeout":           {func(c *C) { c.IdleTimeoutSeconds = new(0) }, "IdleTimeoutSeconds", "1"},
		"bucket":                 {func(c *C) { c.AccessLogsBucketName = "Logs" }, "AccessLogsBucketName", ""},
		"expiration":             {func(c *C) { c.AccessLogsExpirationDays = new(36501) }, "AccessLogsExpirationDays", "36500"},
		"SSL policy casing":      {func(c *C) { c.SslPolicy = "ELBSEcurityPolicy-TLS13-1-2-2021-06" }, "SslPolicy", loadbalancer.DefaultSslPolicy},
		"outdated SSL policy":    {func(c *C) { c.SslPolicy = "ELBSecurityPolicy-2016-08" }, "SslPolicy", ""},
		"no certificate":         {func(c *C) { c.CertificateArn = "" }, "CertificateArn", ""},
		"certificate of another account": {func(c *C) {
			c.CertificateArn = strings.Replace(c.CertificateArn, account, "444455556666", 1)
		}, "CertificateArn", ""},
		"plain HTTP with a certificate": {func(c *C) { c.AllowPlainHttp = true }, "AllowPlainHttp", ""},
		"SAN repeating the domain": {func(c *C) {
			c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId = "", "example.com", "Z0123456789ABCDEFGHIJ"
			c.CertificateSubjectAlternativeNames = []string{"example.com"}
		}, "CertificateSubjectAlternativeNames[0]", ""},
		"zone without domain":       {func(c *C) { c.Route53ZoneId = "Z0123456789ABCDEFGHIJ" }, "Route53ZoneId", ""},
		"default status 300":        {func(c *C) { c.DefaultStatusCode = new(301) }, "DefaultStatusCode", "404"},
		"tag value":                 {func(c *C) { c.Tags = map[string]string{"team": strings.Repeat("x", 257)} }, "Tags[team]", ""},
		"name for a security group": {func(c *C) { c.Name = "sg-shared"; c.LoadBalancerName = "shared" }, "Name", ""},
	} {
		t.Run(name, func(t *testing.T) {
			c := config()
			tc.mut(c)
			err := c.Validate("shared")
			var ve *validate.Error
			require.True(t, errors.As(err, &ve), "want a *validate.Error, got %v", err)
			require.Len(t, ve.Problems, 1, "%v", err)
			assert.Equal(t, tc.field, ve.Problems[0].Field, "%v", err)
			assert.Equal(t, tc.suggestion, ve.Problems[0].Suggestion, "%v", err)
		})
	}
	for name, mut := range map[string]func(c *C){
		"zero default status is a status": func(c *C) { c.DefaultStatusCode = new(200) },
		"wildcard certificate": func(c *C) {
			c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId = "", "*.example.com", "Z0123456789ABCDEFGHIJ"
			c.CertificateSubjectAlternativeNames = []string{"example.com"}
		},
		"strictest":    func(c *C) { c.DesyncMitigationMode = "strictest" },
		"idle 4000":    func(c *C) { c.IdleTimeoutSeconds = new(4000) },
		"internal":     func(c *C) { c.Internal = true },
		"tokensubnets": func(c *C) { c.SubnetIds = twoStrTokens() },
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			c := config()
			mut(c)
			assert.NoError(t, c.Validate("shared"))
		})
	}
	var nilCfg *loadbalancer.HardenedAlbConfig
	assert.Error(t, nilCfg.Validate("shared"))
}

// Invalid input creates nothing; a nil scope is an error, not a panic.
func TestNew_Errors(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("errors"))
	c := config()
	c.CertificateArn = ""
	alb, err := loadbalancer.NewHardenedAlb(stack, "shared", c)
	assert.Nil(t, alb)
	assert.Error(t, err)
	stacktest.RequireNoChildren(t, stack)
	_, err = loadbalancer.NewHardenedAlb(nil, "shared", config())
	assert.Error(t, err)
	_, err = loadbalancer.NewHardenedAlb(stack, "shared", nil)
	assert.Error(t, err)
}

// The public defaults and tables are the ones the ALB is built with.
func TestPublicValues(t *testing.T) {
	assert.Equal(t, albcore.DefaultSslPolicy, loadbalancer.DefaultSslPolicy)
	assert.Equal(t, albcore.DefaultIdleTimeoutSeconds, loadbalancer.DefaultIdleTimeoutSeconds)
	assert.Equal(t, albcore.DefaultAccessLogsExpirationDays, loadbalancer.DefaultAccessLogsExpirationDays)
	assert.Equal(t, albcore.DefaultDesyncMitigationMode, loadbalancer.DefaultDesyncMitigationMode)
	assert.Equal(t, albcore.MaxExpirationDays, loadbalancer.MaxExpirationDays)
	assert.Equal(t, albcore.AccessLogsPrefix, loadbalancer.AccessLogsPrefix)
	assert.Equal(t, albcore.ModernSslPolicies, loadbalancer.ModernSslPolicies)
	st := loadbalancer.AccessLogsStatement("aws-cn", "cn-north-1", account, "arn:aws-cn:s3:::logs")
	assert.Equal(t, map[string]any{"AWS": "arn:aws-cn:iam::638102146993:root"}, st.Principal)
}
