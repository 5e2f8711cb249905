package stacks_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// A malformed shared hosted_zone_id is one problem, at hosted_zone_id: the
// environments that inherit it do not repeat it. An environment's own bad
// zone ID is still reported at its own key.
func TestHostedZoneIdReportedOnce(t *testing.T) {
	c := clone(t, repoConfig(t))
	c.HostedZoneId = "Z0acme"
	var ve *validate.Error
	require.True(t, errors.As(c.Validate(), &ve))
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"hosted_zone_id"}, fields)
	assert.Equal(t, validate.HostedZoneID(c.HostedZoneId), ve.Problems[0].Rule)

	c = clone(t, repoConfig(t))
	c.Environments[0].HostedZoneId = "Z0acme"
	require.True(t, errors.As(c.Validate(), &ve))
	require.Len(t, ve.Problems, 1, "%v", ve)
	assert.Equal(t, "environments."+c.Environments[0].Name+".hosted_zone_id", ve.Problems[0].Field)
}
