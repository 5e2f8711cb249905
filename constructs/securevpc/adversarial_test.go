package securevpc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// rulesOf maps each problem's field to its rule.
func rulesOf(t *testing.T, err error) map[string]string {
	out := map[string]string{}
	for _, p := range problems(t, err) {
		out[p.Field] = p.Rule
	}
	return out
}

// TestAdversarial_ListTokens: an imported VPC's ID lists are passed on
// whole, so list tokens (a data source's ids) work alone there; lists used
// element by element (deny CIDRs, ACL ids, subnet CIDRs) refuse a list
// token at synth, and a SecureVpc's AZs keep their own rule.
func TestAdversarial_ListTokens(t *testing.T) {
	_, list := appTokens(t)
	imported := func() *securevpc.ImportedVpcConfig {
		return &securevpc.ImportedVpcConfig{AccountId: account, Region: region, Attributes: securevpc.VpcAttributes{
			VpcId: "vpc-0a1b2c3d4e5f60718", CidrBlock: "172.31.0.0/16",
			AvailabilityZones: list, PublicSubnetIds: list, PrivateSubnetIds: list, IsolatedSubnetIds: list,
			PublicRouteTableIds: list, PrivateRouteTableIds: list, IsolatedRouteTableIds: list,
		}}
	}
	c := imported()
	c.Endpoints = &securevpc.ImportedEndpointsConfig{}
	assert.NoError(t, c.Validate("existing"))

	c = imported()
	c.Attributes.PrivateSubnetIds = append(list, "subnet-0bbbbbbbbbbbbbbb0")
	assert.Equal(t, validate.ListTokenWithElementsRule, rulesOf(t, c.Validate("existing"))["Attributes.PrivateSubnetIds[0]"])
	c = imported()
	c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: list, DenyCidrBlocks: list}
	got := rulesOf(t, c.Validate("existing"))
	assert.Equal(t, validate.ListTokenRule, got["NetworkAcls.NetworkAclIds[0]"])
	assert.Equal(t, validate.ListTokenRule, got["NetworkAcls.DenyCidrBlocks[0]"])

	v := validConfig()
	v.PrivateSubnetCidrs = list
	var rules []string
	for _, p := range problems(t, v.Validate("net")) {
		if p.Field == "PrivateSubnetCidrs[0]" {
			rules = append(rules, p.Rule)
		}
	}
	assert.Equal(t, []string{validate.ListTokenRule}, rules, "one problem, no cascade")
	v = validConfig()
	v.AvailabilityZones = list
	assert.Contains(t, rulesOf(t, v.Validate("net"))["AvailabilityZones"], "must list the AZs")
}
