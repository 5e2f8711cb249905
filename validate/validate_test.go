package validate_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestBucketName(t *testing.T) {
	for name, ok := range map[string]bool{
		"acme-terraform-state": true, "a.b-c": true, "abc": true,
		"ab": false, "Acme": false, "acme_state": false, "-acme": false, "acme-": false,
		"acme..state": false, "192.168.1.1": false, "xn--acme": false, "sthree-acme": false,
		"acme-s3alias": false, "acme--ol-s3": false, "acme.mrap": false, "acme--x-s3": false,
		strings.Repeat("a", 63): true, // the 63-character limit
		strings.Repeat("a", 64): false,
	} {
		assert.Equal(t, ok, validate.BucketName(name) == "", name)
	}
}

func TestCIDR(t *testing.T) {
	_, rule := validate.CIDR("10.0.0.0/16")
	assert.Empty(t, rule)
	_, rule = validate.CIDR("2001:db8::/32")
	assert.Empty(t, rule)
	_, rule = validate.CIDR("10.0.0.1/16")
	assert.Contains(t, rule, "10.0.0.0/16")
	_, rule = validate.CIDR("10.0.0.0")
	assert.NotEmpty(t, rule)
}

func TestRegionAccountRetention(t *testing.T) {
	assert.True(t, validate.Region("us-east-1"))
	assert.True(t, validate.Region("us-gov-west-1"))
	assert.False(t, validate.Region("us_east_1"))
	assert.False(t, validate.Region(""))
	assert.True(t, validate.AccountID("111122223333"))
	assert.False(t, validate.AccountID("12345678901"))
	assert.True(t, validate.LogRetention(365))
	assert.False(t, validate.LogRetention(0))
	assert.False(t, validate.LogRetention(100))
}

func TestCollector(t *testing.T) {
	v := validate.New("x.New")
	assert.NoError(t, v.Err())
	assert.True(t, v.Check(true, "A", 1, "never"))
	assert.False(t, v.Check(false, "B", "b", "must be c"))
	inner := validate.New("y.New")
	inner.Add("C", 3, "must be 4")
	v.Merge("Y", nil, inner.Err())
	v.Merge("Z", "z", errors.New("plain error"))
	err := v.Err()
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "x.New: invalid config (3 problems):\n  - B = \"b\": must be c\n  - Y.C = 3: must be 4\n  - Z = \"z\": plain error", err.Error())
}
