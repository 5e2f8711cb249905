package policydoc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
)

// SidPart keeps a letters-and-digits name as it is and gives every other
// name its own letters-and-digits form.
func TestSidPart(t *testing.T) {
	assert.Equal(t, "edge", policydoc.SidPart("edge"))
	assert.Equal(t, "Prod2", policydoc.SidPart("Prod2"))
	seen := map[string]string{}
	for _, n := range []string{"shop-prod", "shop_prod", "shopprod", "shop--prod", "Shop-Prod", "shop.prod", "-shopprod"} {
		p := policydoc.SidPart(n)
		assert.Regexp(t, `^[A-Za-z0-9]+$`, p, n)
		assert.NotContains(t, seen, p, "%q and %q give one Sid part", n, seen[p])
		seen[p] = n
	}
	assert.Equal(t, policydoc.SidPart("shop-prod"), policydoc.SidPart("shop-prod"), "deterministic")
	assert.Regexp(t, `^shopprod[0-9a-f]{8}$`, policydoc.SidPart("shop-prod"), "readable, then 8 hex digits")
}
