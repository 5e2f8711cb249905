package loadbalancer_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Route53ZoneId with CertificateDomainName: a missing ID is "required"; a
// malformed one gets the hosted zone ID rule of validate (not "required",
// which would misreport a value that is there).
func TestRoute53ZoneIdRule(t *testing.T) {
	withZone := func(zone string) error {
		c := config()
		c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId = "", "shop.example.com", zone
		return c.Validate("alb")
	}
	problem := func(err error) validate.Problem {
		t.Helper()
		var ve *validate.Error
		require.True(t, errors.As(err, &ve), "want a *validate.Error, got %v", err)
		require.Len(t, ve.Problems, 1, "%v", err)
		assert.Equal(t, "Route53ZoneId", ve.Problems[0].Field)
		return ve.Problems[0]
	}
	assert.Contains(t, problem(withZone("")).Rule, "is required with CertificateDomainName")
	bad := "Z0acme"
	p := problem(withZone(bad))
	assert.Equal(t, validate.HostedZoneID(bad), p.Rule)
	assert.NotContains(t, p.Rule, "required")
	assert.NoError(t, withZone("Z0123456789ABCDEFGHIJ"))
}
