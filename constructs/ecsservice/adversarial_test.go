package ecsservice_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
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
