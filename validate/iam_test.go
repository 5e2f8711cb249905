package validate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestPermissionsBoundaryRule(t *testing.T) {
	const account, other = "444455556666", "111122223333"
	env := validate.Env{AccountId: account, Region: "eu-west-1", AccountField: "AccountId", RegionField: "Region"}
	for _, ok := range []string{
		"arn:aws:iam::" + account + ":policy/team-boundary",
		"arn:aws:iam::" + account + ":policy/boundaries/team-boundary",
		"arn:aws:iam::aws:policy/PowerUserAccess",
	} {
		assert.Empty(t, validate.PermissionsBoundaryRule(ok, env), ok)
	}
	assert.Contains(t, validate.PermissionsBoundaryRule("arn:aws:iam::"+other+":policy/b", env), "must be in account "+account)
	assert.Contains(t, validate.PermissionsBoundaryRule("arn:aws-cn:iam::aws:policy/PowerUserAccess", env), `must be in partition "aws"`)
	assert.Contains(t, validate.PermissionsBoundaryRule("arn:aws:iam::"+account+":role/r", env), "IAM managed policy")
	assert.Contains(t, validate.PermissionsBoundaryRule("team-boundary", env), "IAM managed policy")
	// Unknown account and region: only the shape is checked.
	assert.Empty(t, validate.PermissionsBoundaryRule("arn:aws:iam::"+other+":policy/b", validate.Env{}))
}
