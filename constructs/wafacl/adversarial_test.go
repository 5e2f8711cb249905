package wafacl_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/stacktest"
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

// TestAdversarial_RedactedHeaders: header names differing only in case
// (or repeating a header always redacted) are one redacted field, and the
// provider's limit of MaxRedactedFields is checked at synth instead of
// failing terraform validate.
func TestAdversarial_RedactedHeaders(t *testing.T) {
	headers := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf("x-h%d", i))
		}
		return out
	}
	limit := wafacl.MaxRedactedFields - len(wafacl.RedactedHeaders)
	c := baseConfig()
	c.Logging.ExtraRedactedHeaders = headers(limit + 1)
	var ve *validate.Error
	require.True(t, errors.As(c.Validate("waf"), &ve))
	require.Len(t, ve.Problems, 1)
	assert.Equal(t, "Logging.ExtraRedactedHeaders", ve.Problems[0].Field)
	// Case variants of one header count once.
	c.Logging.ExtraRedactedHeaders = append(headers(limit), "X-H0", strings.ToUpper(wafacl.RedactedHeaders[0]))
	assert.NoError(t, c.Validate("waf"))

	extra := []string{"X-Api-Key", "x-api-key", strings.ToUpper(wafacl.RedactedHeaders[1])}
	s := stacktest.SynthStack(t, "waf-redacted", func(stack cdktf.TerraformStack) {
		addProviders(stack)
		c := baseConfig()
		c.Logging.ExtraRedactedHeaders = extra
		_, err := wafacl.NewWafAcl(stack, "waf", c)
		require.NoError(t, err)
	})
	var got []string
	for _, f := range s.Resource(t, "aws_wafv2_web_acl_logging_configuration", "waf/logging").Get("redacted_fields").Array() {
		got = append(got, f.Get("single_header.name").String())
	}
	assert.Equal(t, append(append([]string{}, wafacl.RedactedHeaders...), strings.ToLower(extra[0])), got)
}

// TestAdversarial_TokensInSynthTimeFields: a token where the web ACL is
// shaped at synth time (names, enums, the block a field picks, the
// redacted headers) is one validate.LiteralRule problem; a managed rule
// group's version may be a token (it only reaches Terraform).
func TestAdversarial_TokensInSynthTimeFields(t *testing.T) {
	tok := func() string { return *cdktf.Fn_Upper(jsii.String("x")) }
	for field, set := range map[string]func(c *wafacl.WafAclConfig, tok string){
		"Name":                            func(c *wafacl.WafAclConfig, tok string) { c.Name = tok },
		"Scope":                           func(c *wafacl.WafAclConfig, tok string) { c.Scope = tok },
		"BlockedAddressesVariable":        func(c *wafacl.WafAclConfig, tok string) { c.BlockedAddressesVariable = tok },
		"Logging.LogGroupName":            func(c *wafacl.WafAclConfig, tok string) { c.Logging.LogGroupName = tok },
		"Logging.ExtraRedactedHeaders[0]": func(c *wafacl.WafAclConfig, tok string) { c.Logging.ExtraRedactedHeaders = []string{tok} },
		"CustomRules[0].Name":             func(c *wafacl.WafAclConfig, tok string) { withRule(wafacl.Rule{Name: tok})(c) },
		"CustomRules[0].Action":           func(c *wafacl.WafAclConfig, tok string) { withRule(wafacl.Rule{Action: tok})(c) },
		"CustomRules[0].Statement.FieldToMatch.Kind": func(c *wafacl.WafAclConfig, tok string) {
			withStatement(wafacl.ByteMatch{FieldToMatch: wafacl.FieldToMatch{Kind: tok}, PositionalConstraint: "EXACTLY", SearchString: "/x"})(c)
		},
		"CustomRules[0].Statement.PositionalConstraint": func(c *wafacl.WafAclConfig, tok string) {
			withStatement(wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: tok, SearchString: "/x"})(c)
		},
		"BlockedCountryCodes(GeoMatch).CountryCodes[0]": func(c *wafacl.WafAclConfig, tok string) { c.BlockedCountryCodes = []string{tok} },
	} {
		t.Run(field, func(t *testing.T) {
			c := baseConfig()
			v := tok()
			set(c, v)
			assert.Equal(t, v, stacktest.RequireOnlyProblem(t, c.Validate("waf"), field, validate.LiteralRule).Value)
		})
	}
	c := fullConfig()
	c.ManagedRuleGroups[0].Version = tok()
	assert.NoError(t, c.Validate("waf"))
}
