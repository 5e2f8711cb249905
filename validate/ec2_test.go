package validate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestEC2IDs(t *testing.T) {
	for _, kind := range []validate.EC2ResourceKind{validate.VpcID, validate.SubnetID, validate.RouteTableID,
		validate.SecurityGroupID, validate.PrefixListID, validate.NetworkAclID} {
		rule(t, kind.What, func(s string) string { return validate.EC2IDRule(s, kind) },
			[]string{kind.Prefix + "-0a1b2c3d", kind.Prefix + "-0123456789abcdef0"},
			[]string{"", kind.Prefix, kind.Prefix + "-", kind.Prefix + "-0A1B2C3D", kind.Prefix + "-0a1b2c3", kind.Prefix + "-0a1b2c3d4",
				kind.Prefix + "-0123456789abcdef", kind.Prefix + "-0123456789abcdef01", " " + kind.Prefix + "-0a1b2c3d",
				kind.Prefix + "_0a1b2c3d", "TfToken[" + kind.Prefix + "-0a1b2c3d", "${" + kind.Prefix + "-0a1b2c3d}"})
	}
	// The prefix is part of the rule: a subnet ID is not a VPC ID.
	assert.NotEmpty(t, validate.EC2IDRule("subnet-0a1b2c3d", validate.VpcID))
	assert.Contains(t, validate.EC2IDRule("x", validate.RouteTableID), `"rtb-"`)

	v := validate.New("test")
	assert.True(t, v.EC2ID("A", "${TfToken[TOKEN.1]}", validate.VpcID), "a token is Terraform's to check")
	assert.True(t, v.EC2ID("B", "vpc-0a1b2c3d", validate.VpcID))
	assert.False(t, v.EC2ID("C", "vpc-xyz", validate.VpcID))
	assert.Equal(t, 1, v.Len())
}

func TestSecurityGroupRules(t *testing.T) {
	v := validate.New("x")
	assert.True(t, v.SecurityGroupRules("A", 30, 60, validate.DefaultSecurityGroupRuleQuota, "inbound rules", "fix"))
	assert.False(t, v.SecurityGroupRules("B", 31, 62, validate.DefaultSecurityGroupRuleQuota, "inbound rules", "use fewer"))
	assert.True(t, v.SecurityGroupRules("C", 31, 62, 0, "inbound rules", "fix"), "a quota out of range is reported where it is set")
	assert.True(t, v.SecurityGroupRules("D", 31, 62, validate.MaxSecurityGroupRuleQuota+1, "inbound rules", "fix"))
	var ve *validate.Error
	require.ErrorAs(t, v.Err(), &ve)
	require.Len(t, ve.Problems, 1)
	assert.Equal(t, "B", ve.Problems[0].Field)
	assert.Contains(t, ve.Problems[0].Rule, "needs 62 inbound rules on one security group, over the quota of 60")
	assert.True(t, strings.HasSuffix(ve.Problems[0].Rule, ": use fewer"))
}
