package loadbalancer_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// rulesOf maps each problem's field to its rule.
func rulesOf(t *testing.T, err error) map[string]string {
	t.Helper()
	out := map[string]string{}
	var ve *validate.Error
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			out[p.Field] = p.Rule
		}
	} else if err != nil {
		t.Fatalf("want a *validate.Error, got %v", err)
	}
	return out
}

func listTok() []string {
	return []string{*(*cdktf.Fn_Split(jsii.String(","), jsii.String("a,b")))[0]}
}

func strTok() string { return *cdktf.Fn_Upper(jsii.String("x")) }

// TestAdversarial_ListTokens: SubnetIds is passed on whole (a list token
// alone works); a list token with other subnets, or in IngressCidrBlocks
// (one rule per CIDR), is refused; one string-token subnet is one subnet.
func TestAdversarial_ListTokens(t *testing.T) {
	c := config()
	c.SubnetIds = listTok()
	assert.NoError(t, c.Validate("shared"))
	c.SubnetIds = []string{strTok(), strTok()}
	assert.NoError(t, c.Validate("shared"))

	c = config()
	c.SubnetIds = append(listTok(), c.SubnetIds...)
	assert.Equal(t, validate.ListTokenWithElementsRule, rulesOf(t, c.Validate("shared"))["SubnetIds[0]"])
	c = config()
	c.IngressCidrBlocks = listTok()
	assert.Equal(t, validate.ListTokenRule, rulesOf(t, c.Validate("shared"))["IngressCidrBlocks[0]"])
	c = config()
	c.SubnetIds = []string{strTok()}
	require.Contains(t, rulesOf(t, c.Validate("shared")), "SubnetIds")
}

// twoStrTokens is two string-token subnets (an ALB needs two subnets).
func twoStrTokens() []string { return []string{strTok(), *cdktf.Fn_Lower(jsii.String("y"))} }

// TestAdversarial_VpcCidr: VpcCidr is /16 to /28 (validate.VPCCIDR).
func TestAdversarial_VpcCidr(t *testing.T) {
	c := config()
	c.VpcCidr = "10.0.0.0/12"
	assert.Equal(t, validate.VPCCIDRRule, rulesOf(t, c.Validate("shared"))["VpcCidr"])
	c.VpcCidr = "10.0.0.0/28"
	assert.NoError(t, c.Validate("shared"))
}

// TestAdversarial_TokensInSynthTimeFields: a token where the construct
// derives or checks the value at synth time is one validate.LiteralRule
// problem, not a format rule, and the names derived from it add none;
// IDs and ARNs may be tokens.
func TestAdversarial_TokensInSynthTimeFields(t *testing.T) {
	type C = loadbalancer.HardenedAlbConfig
	for field, set := range map[string]func(c *C, tok string){
		"AccountId":            func(c *C, tok string) { c.AccountId = tok },
		"Region":               func(c *C, tok string) { c.Region = tok },
		"Name":                 func(c *C, tok string) { c.Name = tok },
		"LoadBalancerName":     func(c *C, tok string) { c.LoadBalancerName = tok },
		"AccessLogsBucketName": func(c *C, tok string) { c.AccessLogsBucketName = tok },
		"DesyncMitigationMode": func(c *C, tok string) { c.DesyncMitigationMode = tok },
		"SslPolicy":            func(c *C, tok string) { c.SslPolicy = tok },
		"CertificateDomainName": func(c *C, tok string) {
			c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId = "", tok, "Z0123456789ABCDEFGHIJ"
		},
	} {
		t.Run(field, func(t *testing.T) {
			c := config()
			tok := strTok()
			set(c, tok)
			assert.Equal(t, tok, stacktest.RequireOnlyProblem(t, c.Validate("shared"), field, validate.LiteralRule).Value)
		})
	}
	c := config()
	c.VpcId, c.CertificateArn = strTok(), strTok()
	assert.NoError(t, c.Validate("shared"))
}

// TestAdversarial_SecurityGroupRuleQuota: the ALB's inbound rules (one per
// CIDR block and port) must fit the security group rule quota, 60 unless
// SecurityGroupRuleQuota says it was raised.
func TestAdversarial_SecurityGroupRuleQuota(t *testing.T) {
	cidrs := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf("198.51.%d.%d/32", i/256, i%256))
		}
		return out
	}
	fit := validate.DefaultSecurityGroupRuleQuota / 2 // 443 and 80
	c := config()
	c.IngressCidrBlocks = cidrs(fit)
	assert.NoError(t, c.Validate("shared"))
	c.IngressCidrBlocks = cidrs(fit + 1)
	p := stacktest.RequireOnlyProblem(t, c.Validate("shared"), "IngressCidrBlocks", "SecurityGroupRuleQuota")
	assert.Contains(t, p.Rule, fmt.Sprintf("needs %d inbound rules", 2*(fit+1)))
	c.SecurityGroupRuleQuota = new(2 * (fit + 1))
	assert.NoError(t, c.Validate("shared"), "the raised quota")

	c = config()
	c.CertificateArn, c.AllowPlainHttp, c.IngressCidrBlocks = "", true, cidrs(2*fit)
	assert.NoError(t, c.Validate("shared"), "one port with AllowPlainHttp")

	for _, q := range []int{0, validate.MaxSecurityGroupRuleQuota + 1} {
		c = config()
		c.SecurityGroupRuleQuota = new(q)
		stacktest.RequireOnlyProblem(t, c.Validate("shared"), "SecurityGroupRuleQuota", "must be 1-1000")
	}
}
