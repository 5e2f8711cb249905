package ecsservice_test

import (
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// rulesOf maps each problem's field to its rule.
func rulesOf(t *testing.T, err error) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err == nil {
		return out
	}
	for _, p := range problemsOf(t, err) {
		out[p.Field] = p.Rule
	}
	return out
}

// TestAdversarial_ListTokens: the subnet lists are passed on whole, so a
// list token (a data source's ids) works there alone; a list token next
// to other subnets, or in a list used element by element (CIDRs, prefix
// lists, key ARNs, SANs), is refused at synth instead of failing in jsii.
// One string-token subnet is one subnet: the ALB still needs two.
func TestAdversarial_ListTokens(t *testing.T) {
	list := listToken()
	t.Run("pass", func(t *testing.T) {
		c := cfgIn()
		c.PublicSubnetIds, c.PrivateSubnetIds = list, listToken()
		assert.NoError(t, c.Validate("web"))
		c = cfgIn()
		c.PublicSubnetIds = []string{strToken(), strToken()}
		c.PrivateSubnetIds = []string{strToken()}
		assert.NoError(t, c.Validate("web"))
	})
	for field, set := range map[string]func(c *ecsservice.HardenedEcsServiceConfig){
		"PrivateSubnetIds[0]": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.PrivateSubnetIds = append(listToken(), c.PrivateSubnetIds...)
		},
		"IngressCidrBlocks[0]":       func(c *ecsservice.HardenedEcsServiceConfig) { c.IngressCidrBlocks = list },
		"TaskEgressCidrBlocks[0]":    func(c *ecsservice.HardenedEcsServiceConfig) { c.TaskEgressCidrBlocks = list },
		"TaskEgressPrefixListIds[0]": func(c *ecsservice.HardenedEcsServiceConfig) { c.TaskEgressPrefixListIds = list },
		"SecretsKmsKeyArns[0]":       func(c *ecsservice.HardenedEcsServiceConfig) { c.SecretsKmsKeyArns = list },
		"VpcId":                      func(c *ecsservice.HardenedEcsServiceConfig) { c.VpcId = list[0] },
	} {
		t.Run(field, func(t *testing.T) {
			c := cfgIn()
			set(c)
			err := c.Validate("web")
			require.Error(t, err)
			rule, ok := rulesOf(t, err)[field]
			require.True(t, ok, "%s not reported: %v", field, err)
			assert.Contains(t, []string{validate.ListTokenRule, validate.ListTokenWithElementsRule, validate.ListTokenInStringRule}, rule)
		})
	}
	t.Run("one string-token ALB subnet", func(t *testing.T) {
		c := cfgIn()
		c.PublicSubnetIds = []string{strToken()}
		assert.Contains(t, rulesOf(t, c.Validate("web")), "PublicSubnetIds")
	})
}

// TestAdversarial_VpcCidr: VpcCidr is the VPC's IPv4 block, /16 to /28
// (validate.VPCCIDR): a /8 is no VPC's and is refused with the nearest
// size.
func TestAdversarial_VpcCidr(t *testing.T) {
	c := cfgIn()
	c.VpcCidr = "10.0.0.0/8"
	ps := problemsOf(t, c.Validate("web"))
	require.Len(t, ps, 1)
	assert.Equal(t, "VpcCidr", ps[0].Field)
	assert.Equal(t, validate.VPCCIDRRule, ps[0].Rule)
	assert.Equal(t, "10.0.0.0/16", ps[0].Suggestion)
	c.VpcCidr = "10.20.0.0/28"
	c.TaskEgressCidrBlocks = []string{c.VpcCidr}
	assert.NoError(t, c.Validate("web"))
}

// TestAdversarial_Limits: values at AWS's limits work; one past them is a
// *validate.Error on the field, never a panic.
func TestAdversarial_Limits(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	for name, set := range map[string]func(c *C){
		"1-char name":           func(c *C) { c.Name = "a" },
		"port 65535":            func(c *C) { c.ContainerPort = 65535 },
		"16 vCPU ARM64":         func(c *C) { c.Cpu, c.MemoryMiB, c.CpuArchitecture = new(16384), new(122880), "ARM64" },
		"healthy threshold 10":  func(c *C) { c.HealthyThreshold = new(10) },
		"matcher range":         func(c *C) { c.HealthCheckMatcher = "200-299" },
		"grace max":             func(c *C) { c.HealthCheckGracePeriodSeconds = new(2147483647) },
		"health check CMD args": func(c *C) { c.HealthCheck.Command = []string{"CMD", "/healthcheck", "--port", "8080"} },
	} {
		t.Run("valid "+name, func(t *testing.T) {
			c := cfgIn()
			set(c)
			assert.NoError(t, c.Validate("web"))
		})
	}
	for name, tc := range map[string]struct {
		field string
		set   func(c *C)
	}{
		"name 55":             {"Name", func(c *C) { c.Name = strings.Repeat("n", 55) }},
		"port 65536":          {"ContainerPort", func(c *C) { c.ContainerPort = 65536 }},
		"cpu 0":               {"Cpu", func(c *C) { c.Cpu = new(0) }},
		"memory for cpu":      {"MemoryMiB", func(c *C) { c.Cpu, c.MemoryMiB = new(256), new(4096) }},
		"grace overflow":      {"HealthCheckGracePeriodSeconds", func(c *C) { c.HealthCheckGracePeriodSeconds = new(2147483648) }},
		"retries 11":          {"HealthCheck.Retries", func(c *C) { c.HealthCheck.Command, c.HealthCheck.Retries = []string{"CMD-SHELL", "true"}, new(11) }},
		"empty shell command": {"HealthCheck.Command[1]", func(c *C) { c.HealthCheck.Command = []string{"CMD-SHELL", " "} }},
		"empty CMD argument":  {"HealthCheck.Command[2]", func(c *C) { c.HealthCheck.Command = []string{"CMD", "/healthcheck", ""} }},
		"idle 4001":           {"IdleTimeoutSeconds", func(c *C) { c.IdleTimeoutSeconds = new(4001) }},
		"target group 33":     {"TargetGroupName", func(c *C) { c.TargetGroupName = strings.Repeat("t", 33) }},
		"lb internal-":        {"LoadBalancerName", func(c *C) { c.LoadBalancerName = "internal-web" }},
		"max percent 100":     {"DeploymentMaximumPercent", func(c *C) { c.DeploymentMaximumPercent, c.DeploymentMinimumHealthyPercent = new(100), new(100) }},
		"tag control char":    {"Tags[a]", func(c *C) { c.Tags = map[string]string{"a": "b\x00"} }},
		"env key with =":      {"Environment[A=B]", func(c *C) { c.Environment = map[string]string{"A=B": "x"} }},
		"cn image, eu region": {"Image", func(c *C) { c.Image = acct + ".dkr.ecr.cn-north-1.amazonaws.com.cn/portal:1" }},
		"duplicate subnets":   {"PublicSubnetIds", func(c *C) { c.PublicSubnetIds = []string{c.PublicSubnetIds[0], c.PublicSubnetIds[0]} }},
		"empty ingress":       {"IngressCidrBlocks", func(c *C) { c.IngressCidrBlocks = []string{} }},
	} {
		t.Run("invalid "+name, func(t *testing.T) {
			c := cfgIn()
			tc.set(c)
			assert.Contains(t, rulesOf(t, c.Validate("web")), tc.field)
		})
	}
}

// TestAdversarial_TokensInSynthTimeFields: a token in a field the
// construct reads at synth time is one validate.LiteralRule problem on
// that field, with no format rule, suggestion or problem on the names
// derived from it; a token where Terraform gets the value as it is passes.
func TestAdversarial_TokensInSynthTimeFields(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	set := func(c *C, field, value string) {
		f := reflect.ValueOf(c).Elem().FieldByName(field)
		require.True(t, f.IsValid(), field)
		f.SetString(value)
	}
	for _, field := range []string{
		"AccountId", "Region", "Name", "ContainerInsights", "PlatformVersion", "CpuArchitecture", "ContainerName",
		"User", "LogGroupName", "TargetGroupName", "HealthCheckPath", "DesiredCountVariable",
		"LoadBalancerName", "AccessLogsBucketName", "DesyncMitigationMode", "SslPolicy",
	} {
		t.Run(field, func(t *testing.T) {
			c := cfgIn()
			tok := strToken()
			set(c, field, tok)
			assert.Equal(t, []validate.Problem{{Field: field, Value: tok, Rule: validate.LiteralRule}}, problemsOf(t, c.Validate("web")))
		})
	}
	t.Run("fields of an option", func(t *testing.T) {
		c := cfgIn()
		c.CreateEcrRepository, c.Image = true, ""
		c.ImageTag, c.EcrRepositoryName = "1.4.2", strToken()
		assert.Equal(t, []string{"EcrRepositoryName"}, fieldsOf(t, c.Validate("web")))
		c.ImageTag, c.EcrRepositoryName = strToken(), ""
		assert.Equal(t, []string{"ImageTag"}, fieldsOf(t, c.Validate("web")))

		c = cfgIn()
		c.CertificateArn, c.Route53ZoneId = "", "Z0123456789ABCDEFGHIJ"
		c.CertificateDomainName = strToken()
		assert.Equal(t, []string{"CertificateDomainName"}, fieldsOf(t, c.Validate("web")))
		c.CertificateDomainName, c.CertificateSubjectAlternativeNames = "app.example.com", []string{"www.example.com", strToken()}
		assert.Equal(t, []string{"CertificateSubjectAlternativeNames[1]"}, fieldsOf(t, c.Validate("web")))
	})
	t.Run("names in lists and maps", func(t *testing.T) {
		tok := strToken()
		c := cfgIn()
		c.Environment = map[string]string{tok: "1"}
		stacktest.RequireOnlyProblem(t, c.Validate("web"), "Environment["+tok+"]", validate.LiteralRule)
		c = cfgIn()
		c.Environment, c.AllowPlainEnvironment = map[string]string{"LOG_LEVEL": "info"}, []string{tok}
		stacktest.RequireOnlyProblem(t, c.Validate("web"), "AllowPlainEnvironment[0]", validate.LiteralRule)
		c = cfgIn()
		c.Secrets = map[string]string{tok: "arn:aws:secretsmanager:" + rgn + ":" + acct + ":secret:db"}
		stacktest.RequireOnlyProblem(t, c.Validate("web"), "Secrets["+tok+"]", validate.LiteralRule)
		c = cfgIn()
		c.HealthCheck.Command = []string{tok, "/healthcheck"}
		stacktest.RequireOnlyProblem(t, c.Validate("web"), "HealthCheck.Command[0]", validate.LiteralRule)
	})
	t.Run("an image with a token keeps its tag rule", func(t *testing.T) {
		c := cfgIn()
		c.EcrRepositoryArn = "arn:aws:ecr:" + rgn + ":" + acct + ":repository/portal"
		c.Image = strToken() + ":latest"
		p := stacktest.RequireOnlyProblem(t, c.Validate("web"), "Image", "pinned")
		assert.NotEqual(t, validate.LiteralRule, p.Rule)
		c.Image = strToken() + ":1.4.2"
		assert.NoError(t, c.Validate("web"))
	})
	t.Run("passed on as they are", func(t *testing.T) {
		c := cfgIn()
		c.HealthCheckMatcher, c.Route53ZoneId = strToken(), ""
		c.VpcId, c.KmsKeyArn, c.PermissionsBoundaryArn = strToken(), strToken(), strToken()
		assert.NoError(t, c.Validate("web"))
	})
}

// TestAdversarial_SecurityGroupRuleQuota: the tasks' outbound rules (one
// per TaskEgressCidrBlocks entry and prefix list) and the own ALB's inbound
// rules must fit the security group rule quota (SecurityGroupRuleQuota,
// default 60).
func TestAdversarial_SecurityGroupRuleQuota(t *testing.T) {
	cfg := cfgIn()
	vpc := netip.MustParsePrefix(cfg.VpcCidr)
	inVpc := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			a := vpc.Addr().As4()
			a[2], a[3] = byte(i/256), byte(i%256)
			out = append(out, netip.PrefixFrom(netip.AddrFrom4(a), 32).String())
		}
		return out
	}
	quota := validate.DefaultSecurityGroupRuleQuota
	c := cfgIn()
	c.TaskEgressCidrBlocks = inVpc(quota - len(c.TaskEgressPrefixListIds))
	assert.NoError(t, c.Validate("web"))
	c.TaskEgressCidrBlocks = inVpc(quota - len(c.TaskEgressPrefixListIds) + 1)
	p := stacktest.RequireOnlyProblem(t, c.Validate("web"), "TaskEgressCidrBlocks", "SecurityGroupRuleQuota")
	assert.Contains(t, p.Rule, fmt.Sprintf("needs %d outbound rules", quota+1))
	c.SecurityGroupRuleQuota = new(quota + 1)
	assert.NoError(t, c.Validate("web"), "the raised quota")

	c = cfgIn()
	c.IngressCidrBlocks = inVpc(quota/2 + 1)
	stacktest.RequireOnlyProblem(t, c.Validate("web"), "IngressCidrBlocks", "SecurityGroupRuleQuota")

	c = cfgIn()
	c.SecurityGroupRuleQuota = new(0)
	stacktest.RequireOnlyProblem(t, c.Validate("web"), "SecurityGroupRuleQuota", "must be 1-1000")
}

// TestAdversarial_MemoryFollowsCpu: without MemoryMiB a task gets the
// smallest memory Fargate allows with its Cpu, so setting Cpu alone is
// valid for every Fargate size.
func TestAdversarial_MemoryFollowsCpu(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("sizes"))
	addProviderIn(stack, rgn)
	for _, cpu := range slices.Sorted(maps.Keys(ecsservice.FargateMemory)) {
		c := cfgIn()
		c.Cpu = new(cpu)
		svc, err := ecsservice.NewHardenedEcsService(stack, fmt.Sprintf("cpu%d", cpu), c)
		require.NoError(t, err, cpu)
		assert.Equal(t, ecsservice.FargateMemory[cpu][0], *svc.Config.MemoryMiB, cpu)
		assert.Equal(t, fmt.Sprint(ecsservice.FargateMemory[cpu][0]), *svc.TaskDefinition.MemoryInput(), cpu)
	}
}
