package wafacl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// TestAdversarial_CyclicStatement: a logical statement that holds itself
// through a pointer (or any statement deeper than WAF's nesting limit) is
// one nesting problem, not a fatal stack overflow while the web ACL's
// capacity is computed; a statement at the nesting limit still counts.
func TestAdversarial_CyclicStatement(t *testing.T) {
	geo := wafacl.GeoMatch{CountryCodes: []string{"KP"}}
	and := &wafacl.And{}
	and.Statements = []wafacl.Statement{and, geo}
	not := &wafacl.Not{}
	not.Statement = not
	or := &wafacl.Or{}
	or.Statements = []wafacl.Statement{geo, or}
	for name, set := range map[string]func(c *wafacl.WafAclConfig){
		"custom rule":           withStatement(and),
		"rate-based scope-down": withStatement(wafacl.RateBased{Limit: 100, ScopeDown: or}),
		"managed group scope-down": func(c *wafacl.WafAclConfig) {
			c.ManagedRuleGroups = wafacl.DefaultManagedRuleGroups()
			c.ManagedRuleGroups[0].ScopeDown = not
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := baseConfig()
			set(c)
			err := c.Validate("waf")
			var ve *validate.Error
			require.True(t, errors.As(err, &ve), "%v", err)
			nesting := 0
			for _, p := range ve.Problems {
				if strings.Contains(p.Rule, "nest at most") {
					nesting++
				}
			}
			assert.Equal(t, 1, nesting, "one nesting problem: %v", err)
		})
	}
	c := baseConfig()
	withStatement(wafacl.And{Statements: []wafacl.Statement{geo, &wafacl.Not{Statement: geo}}})(c)
	assert.NoError(t, c.Validate("waf"))
}

// TestFailedCoversStatementPaths: validate.Collector.Failed treats a
// statement's "(Kind)" path segment as below the field.
func TestFailedCoversStatementPaths(t *testing.T) {
	v := validate.New("x")
	v.Add("CustomRules[0].Statement(And).Statements", 1, "must hold at least two statements")
	assert.True(t, v.Failed("CustomRules[0].Statement"))
	assert.False(t, v.Failed("CustomRules[0].Statem"))
	assert.False(t, v.Failed("CustomRules[1].Statement"))
}
