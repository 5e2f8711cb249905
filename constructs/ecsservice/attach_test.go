package ecsservice_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// sharedAlbConfig is a shared ALB in the VPC of cfgIn.
func sharedAlbConfig() *loadbalancer.HardenedAlbConfig {
	c := cfgIn()
	return &loadbalancer.HardenedAlbConfig{
		AccountId: acct, Region: rgn, VpcId: c.VpcId, VpcCidr: c.VpcCidr, SubnetIds: c.PublicSubnetIds,
		CertificateArn: c.CertificateArn,
	}
}

// attachedCfg is cfgIn attached to alb with the given rule (the own-ALB
// fields cleared; VpcId and VpcCidr come from the ALB).
func attachedCfg(alb *loadbalancer.HardenedAlb, priority int, hosts, paths []string) *ecsservice.HardenedEcsServiceConfig {
	c := cfgIn()
	c.PublicSubnetIds, c.CertificateArn, c.VpcId, c.VpcCidr = nil, "", "", ""
	c.Attach = &ecsservice.Attachment{LoadBalancer: alb, Priority: priority, HostHeaders: hosts, PathPatterns: paths}
	return c
}

// Two services behind one HardenedAlb, routed by host: each has its own
// target group and listener rule, the security group rules go from the
// shared ALB's group to each task group only, and nothing of an own ALB is
// created.
func TestAttach_TwoServicesOneAlb(t *testing.T) {
	var alb *loadbalancer.HardenedAlb
	var api, web *ecsservice.HardenedEcsService
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		var err error
		alb, err = loadbalancer.NewHardenedAlb(stack, "edge", sharedAlbConfig())
		require.NoError(t, err)
		api, err = ecsservice.NewHardenedEcsService(stack, "api", attachedCfg(alb, 10, []string{"api.example.com"}, nil))
		require.NoError(t, err)
		wc := attachedCfg(alb, 20, []string{"www.example.com", "example.com"}, []string{"/app/*"})
		wc.RequestsPerTarget = new(100)
		web, err = ecsservice.NewHardenedEcsService(stack, "web", wc)
		require.NoError(t, err)
	})
	scanPackageStacks(t, s) // trivy runs while the checks below do
	assert.Len(t, s.Resources("aws_lb"), 1)
	assert.Len(t, s.Resources("aws_lb_listener"), 2, "the shared ALB's HTTPS and HTTP listeners only")
	assert.Len(t, s.Resources("aws_s3_bucket"), 1, "one access-log bucket")
	assert.Len(t, s.Resources("aws_lb_target_group"), 2)
	assert.Nil(t, api.LoadBalancer)
	assert.Nil(t, api.AlbSecurityGroup)
	assert.Equal(t, "vpc-0123456789abcdef0", api.Config.VpcId, "VpcId from the shared ALB")

	listener := ref(s, t, "aws_lb_listener", "edge/https_listener", "arn")
	albSG := ref(s, t, "aws_security_group", "edge/alb_security_group", "id")
	for svc, want := range map[string]struct {
		priority int64
		conds    string
	}{
		"api": {10, `[{"host_header":{"values":["api.example.com"]}}]`},
		"web": {20, `[{"host_header":{"values":["www.example.com","example.com"]}},{"path_pattern":{"values":["/app/*"]}}]`},
	} {
		rule := s.Resource(t, "aws_lb_listener_rule", svc+"/listener_rule")
		assert.Equal(t, listener, rule.Get("listener_arn").String())
		assert.Equal(t, want.priority, rule.Get("priority").Int())
		assert.JSONEq(t, want.conds, rule.Get("condition").Raw)
		assert.JSONEq(t, `[{"type":"forward","target_group_arn":"`+ref(s, t, "aws_lb_target_group", svc+"/target_group", "arn")+`"}]`, rule.Get("action").Raw)

		taskSG := ref(s, t, "aws_security_group", svc+"/task_security_group", "id")
		eg := s.Resource(t, "aws_vpc_security_group_egress_rule", svc+"/alb_egress_tasks")
		assert.Equal(t, albSG, eg.Get("security_group_id").String())
		assert.Equal(t, taskSG, eg.Get("referenced_security_group_id").String())
		assert.EqualValues(t, 8080, eg.Get("from_port").Int())
		in := s.Resource(t, "aws_vpc_security_group_ingress_rule", svc+"/task_ingress_alb")
		assert.Equal(t, taskSG, in.Get("security_group_id").String())
		assert.Equal(t, albSG, in.Get("referenced_security_group_id").String())

		ecs := s.Resource(t, "aws_ecs_service", svc+"/service")
		assert.Equal(t, []string{s.Ref(t, "aws_lb_listener_rule", svc+"/listener_rule")}, strs(ecs.Get("depends_on")))
	}
	// The shared ALB's group only reaches the task groups.
	for _, r := range s.Resources("aws_vpc_security_group_egress_rule") {
		if r.Get("security_group_id").String() == albSG {
			assert.Contains(t, r.Get("referenced_security_group_id").String(), "task_security_group")
		}
	}
	// Request tracking labels the shared ALB and the service's target group.
	label := s.Resource(t, "aws_appautoscaling_policy", "web/requests_scaling").Get("target_tracking_scaling_policy_configuration.predefined_metric_specification.resource_label").String()
	assert.Equal(t, ref(s, t, "aws_lb", "edge/alb", "arn_suffix")+"/"+ref(s, t, "aws_lb_target_group", "web/target_group", "arn_suffix"), label)
	// Outputs: no ALB of its own, the listener rule instead.
	outs := s.Get("output").Map()
	assert.Contains(t, outs, "api_listener_rule_arn")
	assert.Contains(t, outs, "api_alb_arn_suffix")
	assert.NotContains(t, outs, "api_alb_dns_name")
	assert.NotContains(t, outs, "api_alb_security_group_id")
	assert.Contains(t, outs, "edge_alb_dns_name")
	assert.NotNil(t, web.LoadBalancerArnSuffix)

	// The policy rule pack: the shared ALB declares the exceptions once; the
	// attached services need none. Only the web ACL (WafAcl) is missing.
	rep, err := policy.Check(policy.StackFile{Name: "shared", JSON: s.Raw})
	require.NoError(t, err)
	var suppressed, failing []string
	for _, f := range rep.Suppressed() {
		suppressed = append(suppressed, f.Rule.ID+" "+f.Path)
	}
	for _, f := range rep.Failing(policy.High) {
		failing = append(failing, f.Rule.ID+" "+f.Path)
	}
	assert.ElementsMatch(t, []string{"HC-LB-001 " + s.Name + "/edge/alb", "HC-S3-002 " + s.Name + "/edge/access_logs"}, suppressed)
	assert.Equal(t, []string{"HC-WAF-001 " + s.Name + "/edge/alb"}, failing)

	// trivy: no HIGH or CRITICAL finding but the shared ALB's intended ones.
	findings := stacktest.Scan(t, []stacktest.Stack{s},
		stacktest.Accept{ID: "AWS-0053", Path: "edge/alb", Reason: "the shared ALB is the services' internet-facing front door by design"},
		stacktest.Accept{ID: "AWS-0132", Path: "edge/access_logs_encryption", Reason: "ALB access logs can only be delivered to SSE-S3 buckets"})
	stacktest.RequireNoFindings(t, findings, stacktest.High)
}

// Clashes between services on one listener are errors naming both, and
// the second service creates nothing.
func TestAttach_Clashes(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("clash"))
	addProviderIn(stack, rgn)
	alb, err := loadbalancer.NewHardenedAlb(stack, "edge", sharedAlbConfig())
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "api", attachedCfg(alb, 10, []string{"API.example.com"}, []string{"/v1/*", "/v2/*"}))
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		cfg   *ecsservice.HardenedEcsServiceConfig
		field string
		rule  string
	}{
		"same priority":                   {attachedCfg(alb, 10, []string{"web.example.com"}, nil), "Attach.Priority", `listener rule priority "10"`},
		"identical conditions, reordered": {attachedCfg(alb, 11, []string{"api.example.com"}, []string{"/v2/*", "/v1/*"}), "Attach.HostHeaders", "listener rule conditions"},
	} {
		t.Run(name, func(t *testing.T) {
			n := len(*stack.Node().Children())
			_, err := ecsservice.NewHardenedEcsService(stack, "second", tc.cfg)
			ps := problemsOf(t, err)
			require.Len(t, ps, 1, "%v", err)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.Contains(t, ps[0].Rule, tc.rule)
			assert.Contains(t, ps[0].Rule, "clash/api", "names the first service")
			assert.Len(t, *stack.Node().Children(), n)
		})
	}
	// Another listener: the same priority is fine.
	other, err := loadbalancer.NewHardenedAlb(stack, "private", func() *loadbalancer.HardenedAlbConfig {
		c := sharedAlbConfig()
		c.Internal = true
		return c
	}())
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "ops", attachedCfg(other, 10, []string{"api.example.com"}, []string{"/v1/*", "/v2/*"}))
	assert.NoError(t, err)

	// By ARN: two services with the same listener ARN and priority clash.
	byArn := func(priority int, host string) *ecsservice.HardenedEcsServiceConfig {
		c := cfgIn()
		c.PublicSubnetIds, c.CertificateArn = nil, ""
		c.Attach = &ecsservice.Attachment{ListenerArn: listenerArn, SecurityGroupId: "sg-0123456789abcdef0", Priority: priority, HostHeaders: []string{host}}
		return c
	}
	_, err = ecsservice.NewHardenedEcsService(stack, "arn-a", byArn(5, "a.example.com"))
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "arn-b", byArn(5, "b.example.com"))
	ps := problemsOf(t, err)
	require.Len(t, ps, 1)
	assert.Contains(t, ps[0].Rule, "clash/arn-a")
}

const listenerArn = "arn:aws:elasticloadbalancing:" + rgn + ":" + acct + ":listener/app/shared/0123456789abcdef/fedcba9876543210"

// A shared ALB managed elsewhere, by its listener ARN and security group:
// the ALB's ARN suffix (for alarms and request tracking) is derived from
// the listener ARN, literal or a token.
func TestAttach_ByArn(t *testing.T) {
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		c := cfgIn()
		c.PublicSubnetIds, c.CertificateArn = nil, ""
		c.RequestsPerTarget = new(50)
		c.Attach = &ecsservice.Attachment{ListenerArn: listenerArn, SecurityGroupId: "sg-0123456789abcdef0", Priority: 100, PathPatterns: []string{"/api/*"}}
		svc, err := ecsservice.NewHardenedEcsService(stack, "lit", c)
		require.NoError(t, err)
		assert.Equal(t, "app/shared/0123456789abcdef", *svc.LoadBalancerArnSuffix)

		v := cdktf.NewTerraformVariable(stack, jsii.String("listener_arn"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
		c = cfgIn()
		c.Name = "tok"
		c.PublicSubnetIds, c.CertificateArn = nil, ""
		c.RequestsPerTarget = new(50)
		c.Attach = &ecsservice.Attachment{ListenerArn: *v.StringValue(), SecurityGroupId: *cdktf.Fn_Lower(jsii.String("SG-X")), Priority: 100, PathPatterns: []string{"/api/*"}}
		_, err = ecsservice.NewHardenedEcsService(stack, "tok", c)
		require.NoError(t, err)
	})
	rule := s.Resource(t, "aws_lb_listener_rule", "lit/listener_rule")
	assert.Equal(t, listenerArn, rule.Get("listener_arn").String())
	eg := s.Resource(t, "aws_vpc_security_group_egress_rule", "lit/alb_egress_tasks")
	assert.Equal(t, "sg-0123456789abcdef0", eg.Get("security_group_id").String())
	label := s.Resource(t, "aws_appautoscaling_policy", "lit/requests_scaling").Get("target_tracking_scaling_policy_configuration.predefined_metric_specification.resource_label").String()
	assert.True(t, strings.HasPrefix(label, "app/shared/0123456789abcdef/"), label)
	tok := s.Resource(t, "aws_appautoscaling_policy", "tok/requests_scaling").Get("target_tracking_scaling_policy_configuration.predefined_metric_specification.resource_label").String()
	assert.True(t, strings.HasPrefix(tok, `${join("/", slice(split("/", var.listener_arn), 1, 4))}/`), tok)
}

// The attachment's rules, each failing alone, and passing shapes.
func TestAttach_Rules(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("rules"))
	addProviderIn(stack, rgn)
	alb, err := loadbalancer.NewHardenedAlb(stack, "edge", sharedAlbConfig())
	require.NoError(t, err)
	type C = ecsservice.HardenedEcsServiceConfig
	base := func() *C { return attachedCfg(alb, 10, []string{"app.example.com"}, nil) }
	for name, tc := range map[string]struct {
		mut   func(c *C)
		field string
	}{
		"priority missing":     {func(c *C) { c.Attach.Priority = 0 }, "Attach.Priority"},
		"priority above 50000": {func(c *C) { c.Attach.Priority = 50001 }, "Attach.Priority"},
		"no condition":         {func(c *C) { c.Attach.HostHeaders = nil }, "Attach.HostHeaders"},
		"host without a dot":   {func(c *C) { c.Attach.HostHeaders = []string{"localhost"} }, "Attach.HostHeaders[0]"},
		"host with a port":     {func(c *C) { c.Attach.HostHeaders = []string{"app.example.com:443"} }, "Attach.HostHeaders[0]"},
		"host over 128":        {func(c *C) { c.Attach.HostHeaders = []string{strings.Repeat("a", 125) + ".com"} }, "Attach.HostHeaders[0]"},
		"four hosts": {func(c *C) {
			c.Attach.HostHeaders = []string{"a.example.com", "b.example.com", "c.example.com", "d.example.com"}
		}, "Attach.HostHeaders"},
		"host repeated, any case": {func(c *C) { c.Attach.HostHeaders = []string{"a.example.com", "A.example.com"} }, "Attach.HostHeaders[1]"},
		"path without slash":      {func(c *C) { c.Attach.PathPatterns = []string{"api/*"} }, "Attach.PathPatterns[0]"},
		"path with a space":       {func(c *C) { c.Attach.PathPatterns = []string{"/a b"} }, "Attach.PathPatterns[0]"},
		"six values in all": {func(c *C) {
			c.Attach.HostHeaders = []string{"a.example.com", "b.example.com", "c.example.com"}
			c.Attach.PathPatterns = []string{"/a", "/b", "/c"}
		}, "Attach.PathPatterns"},
		"six wildcards": {func(c *C) {
			c.Attach.HostHeaders = []string{"*.example.com"}
			c.Attach.PathPatterns = []string{"/*/*/*", "/?/?"}
		}, "Attach.PathPatterns"},
		"own ALB field set":     {func(c *C) { c.CertificateArn = cfgIn().CertificateArn }, "CertificateArn"},
		"own ALB subnets":       {func(c *C) { c.PublicSubnetIds = cfgIn().PublicSubnetIds }, "PublicSubnetIds"},
		"own ALB idle timeout":  {func(c *C) { c.IdleTimeoutSeconds = new(60) }, "IdleTimeoutSeconds"},
		"both ALB forms":        {func(c *C) { c.Attach.ListenerArn = listenerArn }, "Attach.ListenerArn"},
		"another VPC":           {func(c *C) { c.VpcId = "vpc-0fedcba9876543210" }, "VpcId"},
		"ALB of another region": {func(c *C) { c.Region, c.Image = "us-west-2", acct+".dkr.ecr.us-west-2.amazonaws.com/portal:1" }, "Attach.LoadBalancer"},
		"not a HardenedAlb": {func(c *C) {
			c.Attach.LoadBalancer, c.VpcId, c.VpcCidr = &loadbalancer.HardenedAlb{}, cfgIn().VpcId, cfgIn().VpcCidr
		}, "Attach.LoadBalancer"},
		"listener ARN missing": {func(c *C) {
			c.Attach.LoadBalancer, c.Attach.SecurityGroupId, c.VpcId = nil, "sg-0123456789abcdef0", cfgIn().VpcId
			c.VpcCidr = cfgIn().VpcCidr
		}, "Attach.ListenerArn"},
		"security group missing": {func(c *C) {
			c.Attach.LoadBalancer, c.Attach.ListenerArn, c.VpcId, c.VpcCidr = nil, listenerArn, cfgIn().VpcId, cfgIn().VpcCidr
		}, "Attach.SecurityGroupId"},
		"listener of another account": {func(c *C) {
			c.Attach.LoadBalancer, c.Attach.ListenerArn, c.Attach.SecurityGroupId, c.VpcId = nil, strings.Replace(listenerArn, acct, otherAcct, 1), "sg-0123456789abcdef0", cfgIn().VpcId
			c.VpcCidr = cfgIn().VpcCidr
		}, "Attach.ListenerArn"},
		"network listener": {func(c *C) {
			c.Attach.LoadBalancer, c.Attach.ListenerArn, c.Attach.SecurityGroupId, c.VpcId = nil, strings.Replace(listenerArn, "listener/app", "listener/net", 1), "sg-0123456789abcdef0", cfgIn().VpcId
			c.VpcCidr = cfgIn().VpcCidr
		}, "Attach.ListenerArn"},
		"security group ID": {func(c *C) {
			c.Attach.LoadBalancer, c.Attach.ListenerArn, c.Attach.SecurityGroupId, c.VpcId = nil, listenerArn, "sg-xyz", cfgIn().VpcId
			c.VpcCidr = cfgIn().VpcCidr
		}, "Attach.SecurityGroupId"},
	} {
		t.Run(name, func(t *testing.T) {
			c := base()
			tc.mut(c)
			err := c.Validate("svc")
			assert.Equal(t, []string{tc.field}, fieldsOf(t, err), "%v", err)
		})
	}
	for name, mut := range map[string]func(c *C){
		"three hosts and two paths": func(c *C) {
			c.Attach.HostHeaders = []string{"a.example.com", "b.example.com", "c.example.com"}
			c.Attach.PathPatterns = []string{"/a/*", "/b/*"}
		},
		"path only":      func(c *C) { c.Attach.HostHeaders, c.Attach.PathPatterns = nil, []string{"/"} },
		"wildcard host":  func(c *C) { c.Attach.HostHeaders = []string{"*.example.com"} },
		"priority 50000": func(c *C) { c.Attach.Priority = 50000 },
		"uppercase host": func(c *C) { c.Attach.HostHeaders = []string{"App.Example.COM"} },
		"five wildcards": func(c *C) { c.Attach.PathPatterns = []string{"/*/*", "/??"} },
		"own VPC given":  func(c *C) { c.VpcId = cfgIn().VpcId },
		"by ARN and SG": func(c *C) {
			c.Attach.LoadBalancer, c.Attach.ListenerArn, c.Attach.SecurityGroupId, c.VpcId = nil, listenerArn, "sg-0123456789abcdef0", cfgIn().VpcId
			c.VpcCidr = cfgIn().VpcCidr
		},
		"path characters": func(c *C) { c.Attach.PathPatterns = []string{"/a-b_c.d$e~f'g@h:i+j&k"} },
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			c := base()
			mut(c)
			assert.NoError(t, c.Validate("svc"))
		})
	}
}

// Each attached service adds one outbound rule to the shared ALB's group:
// one more than the ALB's SecurityGroupRuleQuota is a problem on
// Attach.LoadBalancer, before anything of that service is created.
func TestAttachRuleQuota(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("quota"))
	addProviderIn(stack, rgn)
	ac := sharedAlbConfig()
	ac.SecurityGroupRuleQuota = new(2)
	alb, err := loadbalancer.NewHardenedAlb(stack, "edge", ac)
	require.NoError(t, err)
	for i, host := range []string{"api.example.com", "web.example.com"} {
		_, err := ecsservice.NewHardenedEcsService(stack, fmt.Sprintf("svc%d", i), attachedCfg(alb, 10*(i+1), []string{host}, nil))
		require.NoError(t, err, host)
	}
	_, err = ecsservice.NewHardenedEcsService(stack, "third", attachedCfg(alb, 30, []string{"ops.example.com"}, nil))
	p := stacktest.RequireOnlyProblem(t, err, "Attach.LoadBalancer", "needs 3 outbound rules")
	assert.Contains(t, p.Rule, "over the quota of 2")
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("third")), "nothing of the refused service is created")
}
