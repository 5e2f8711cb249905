package validate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestHostedZoneID(t *testing.T) {
	for _, ok := range []string{"Z0123456789EXAMPLE0AB", "Z1", "Z" + strings.Repeat("A", 31)} {
		assert.Empty(t, validate.HostedZoneID(ok), ok)
	}
	for _, bad := range []string{"", "z0123", "Z", "Z" + strings.Repeat("A", 32), "ZABC-1", "Zabc", "0ABC"} {
		assert.Equal(t, validate.HostedZoneIDRule, validate.HostedZoneID(bad), bad)
	}
	assert.Contains(t, validate.HostedZoneID("/hostedzone/Z0123ABC"), "use Z0123ABC")
}

func TestDNSName(t *testing.T) {
	for _, ok := range []string{"example.com", "dev.shop.example.co.uk", "a-b.c1", "xn--bcher-kva.example"} {
		assert.Empty(t, validate.DNSName(ok), ok)
	}
	for _, bad := range []string{"", "com", "*.example.com", "-a.example.com", "a-.example.com", "a..example.com",
		"example.com.", "a_b.example.com", strings.Repeat("a", 64) + ".com", strings.Repeat("a.", 127) + "com"} {
		assert.Contains(t, validate.DNSName(bad), "must be a lowercase DNS name", bad)
	}
	assert.Equal(t, "must be lowercase (ACM and Route 53 store names in lowercase): example.com", validate.DNSName("Example.COM"))
	// The certificate rule is the same, with the wildcard first label.
	assert.Empty(t, validate.CertificateDomainName("*.example.com"))
	assert.NotEmpty(t, validate.CertificateDomainName("a.*.example.com"))
	assert.Contains(t, validate.CertificateDomainName("App.example.com"), "must be lowercase")
}
