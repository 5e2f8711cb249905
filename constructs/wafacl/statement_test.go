package wafacl_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

func jsonOf(t *testing.T, s wafacl.Statement) string {
	t.Helper()
	b, err := json.Marshal(s.Map())
	require.NoError(t, err)
	return string(b)
}

// TestStatementJSON pins the exact maps the helpers give Terraform. The
// terraform plan test proves the provider accepts them.
func TestStatementJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    wafacl.Statement
		json string
		wcu  int
	}{
		{"byte match default transformation", wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/upload"},
			`{"byte_match_statement":{"field_to_match":{"uri_path":{}},"positional_constraint":"STARTS_WITH","search_string":"/upload","text_transformation":[{"priority":0,"type":"NONE"}]}}`, 2},
		{"byte match header contains lowercase", wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("User-Agent"), PositionalConstraint: "CONTAINS", SearchString: "curl",
			TextTransformations: []wafacl.TextTransformation{{Priority: 0, Type: "LOWERCASE"}, {Priority: 1, Type: "URL_DECODE"}}},
			`{"byte_match_statement":{"field_to_match":{"single_header":{"name":"user-agent"}},"positional_constraint":"CONTAINS","search_string":"curl","text_transformation":[{"priority":0,"type":"LOWERCASE"},{"priority":1,"type":"URL_DECODE"}]}}`, 30},
		{"byte match query argument", wafacl.ByteMatch{FieldToMatch: wafacl.SingleQueryArgument("action"), PositionalConstraint: "EXACTLY", SearchString: "export"},
			`{"byte_match_statement":{"field_to_match":{"single_query_argument":{"name":"action"}},"positional_constraint":"EXACTLY","search_string":"export","text_transformation":[{"priority":0,"type":"NONE"}]}}`, 2},
		{"byte match method", wafacl.ByteMatch{FieldToMatch: wafacl.Method(), PositionalConstraint: "EXACTLY", SearchString: "POST"},
			`{"byte_match_statement":{"field_to_match":{"method":{}},"positional_constraint":"EXACTLY","search_string":"POST","text_transformation":[{"priority":0,"type":"NONE"}]}}`, 2},
		{"geo match", wafacl.GeoMatch{CountryCodes: []string{"KP", "IR"}},
			`{"geo_match_statement":{"country_codes":["KP","IR"]}}`, 1},
		{"ip set reference", wafacl.IPSetReference{Arn: "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/x/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"},
			`{"ip_set_reference_statement":{"arn":"arn:aws:wafv2:us-east-1:111122223333:regional/ipset/x/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"}}`, 1},
		{"label match default scope", wafacl.LabelMatch{Key: "awswaf:managed:aws:bot-control:bot:verified"},
			`{"label_match_statement":{"key":"awswaf:managed:aws:bot-control:bot:verified","scope":"LABEL"}}`, 1},
		{"not", wafacl.Not{Statement: wafacl.GeoMatch{CountryCodes: []string{"US"}}},
			`{"not_statement":{"statement":{"geo_match_statement":{"country_codes":["US"]}}}}`, 1},
		{"and of not and label", wafacl.And{Statements: []wafacl.Statement{
			wafacl.Not{Statement: wafacl.ByteMatch{FieldToMatch: wafacl.QueryString(), PositionalConstraint: "CONTAINS_WORD", SearchString: "debug"}},
			wafacl.LabelMatch{Scope: "NAMESPACE", Key: "awswaf:managed:aws:sql-database:"},
		}}, `{"and_statement":{"statement":[{"not_statement":{"statement":{"byte_match_statement":{"field_to_match":{"query_string":{}},"positional_constraint":"CONTAINS_WORD","search_string":"debug","text_transformation":[{"priority":0,"type":"NONE"}]}}}},{"label_match_statement":{"key":"awswaf:managed:aws:sql-database:","scope":"NAMESPACE"}}]}}`, 11},
		{"log4shell search string is escaped", wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("X-Api-Version"), PositionalConstraint: "CONTAINS", SearchString: "${jndi:ldap"},
			`{"byte_match_statement":{"field_to_match":{"single_header":{"name":"x-api-version"}},"positional_constraint":"CONTAINS","search_string":"$${jndi:ldap","text_transformation":[{"priority":0,"type":"NONE"}]}}`, 10},
		{"template sequences escaped in label key and query argument", wafacl.And{Statements: []wafacl.Statement{
			wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: "^/a%{b}${c}$"},
			&wafacl.ByteMatch{FieldToMatch: wafacl.QueryString(), PositionalConstraint: "EXACTLY", SearchString: "a%{b}${c}"},
		}}, `{"and_statement":{"statement":[{"regex_match_statement":{"field_to_match":{"uri_path":{}},"regex_string":"^/a%%{b}$${c}$","text_transformation":[{"priority":0,"type":"NONE"}]}},{"byte_match_statement":{"field_to_match":{"query_string":{}},"positional_constraint":"EXACTLY","search_string":"a%%{b}$${c}","text_transformation":[{"priority":0,"type":"NONE"}]}}]}}`, 5},
		{"or", wafacl.Or{Statements: []wafacl.Statement{wafacl.IPSetReference{Arn: "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/a/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"}, wafacl.IPSetReference{Arn: "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/b/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"}}},
			`{"or_statement":{"statement":[{"ip_set_reference_statement":{"arn":"arn:aws:wafv2:us-east-1:111122223333:regional/ipset/a/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"}},{"ip_set_reference_statement":{"arn":"arn:aws:wafv2:us-east-1:111122223333:regional/ipset/b/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"}}]}}`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.JSONEq(t, tc.json, jsonOf(t, tc.s))
			assert.Equal(t, tc.json, jsonOf(t, tc.s), "byte-exact (encoding/json sorts keys)")
			assert.Equal(t, tc.wcu, tc.s.WCU())
			assert.NoError(t, wafacl.CheckStatement(tc.s))
		})
	}
}

func TestCheckStatementRejects(t *testing.T) {
	bm := wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "/"}
	for _, tc := range []struct {
		name, field, rule string
		s                 wafacl.Statement
	}{
		{"byte match without field", "Statement.FieldToMatch", "is required", wafacl.ByteMatch{PositionalConstraint: "EXACTLY", SearchString: "x"}},
		{"header without name", "Statement.FieldToMatch.Name", "is required", wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader(""), PositionalConstraint: "EXACTLY", SearchString: "x"}},
		{"bad positional constraint", "Statement.PositionalConstraint", `"EXACTLY", "STARTS_WITH"`, wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "LIKE", SearchString: "x"}},
		{"empty search string", "Statement.SearchString", "1-200 bytes", wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY"}},
		{"bad transformation", "Statement.TextTransformations[0].Type", "must be one of", wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "x", TextTransformations: []wafacl.TextTransformation{{Type: "UPPERCASE"}}}},
		{"duplicate transformation priority", "Statement.TextTransformations[1].Priority", "unique", wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "x", TextTransformations: []wafacl.TextTransformation{{Type: "LOWERCASE"}, {Type: "URL_DECODE"}}}},
		{"lowercase country", "Statement.CountryCodes[0]", "ISO 3166-1", wafacl.GeoMatch{CountryCodes: []string{"kp"}}},
		{"no country", "Statement.CountryCodes", "at least one", wafacl.GeoMatch{}},
		{"bad ip set arn", "Statement.Arn", "must be the ARN of a WAFv2 IP set", wafacl.IPSetReference{Arn: "arn:aws:s3:::bucket"}},
		{"bad label scope", "Statement.Scope", `"LABEL" or "NAMESPACE"`, wafacl.LabelMatch{Scope: "RULE", Key: "k"}},
		{"and with one statement", "Statement(And).Statements", "at least two", wafacl.And{Statements: []wafacl.Statement{bm}}},
		{"or with nil", "Statement(Or).Statements[1]", "must not be nil", wafacl.Or{Statements: []wafacl.Statement{bm, nil}}},
		{"not without statement", "Statement(Not).Statement", "is required", wafacl.Not{}},
		{"too deep", "Statement(Not).Statement(Not).Statement(Not)", "nest at most 2", wafacl.Not{Statement: wafacl.Not{Statement: wafacl.Not{Statement: bm}}}},
		{"typed nil", "Statement", "must not be nil", (*wafacl.ByteMatch)(nil)},
		{"typed nil and", "Statement", "must not be nil", (*wafacl.And)(nil)},
		{"typed nil in and", "Statement(And).Statements[0]", "must not be nil", wafacl.And{Statements: []wafacl.Statement{(*wafacl.GeoMatch)(nil), bm}}},
		{"typed nil in not", "Statement(Not).Statement", "must not be nil", wafacl.Not{Statement: (*wafacl.LabelMatch)(nil)}},
		{"header name with dot", "Statement.FieldToMatch.Name", "1-40 letters", wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("x-api.key"), PositionalConstraint: "EXACTLY", SearchString: "x"}},
		{"header name too long", "Statement.FieldToMatch.Name", "1-40 letters", wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader(strings.Repeat("h", 41)), PositionalConstraint: "EXACTLY", SearchString: "x"}},
		{"query argument name", "Statement.FieldToMatch.Name", "1-30 letters", wafacl.ByteMatch{FieldToMatch: wafacl.SingleQueryArgument("a b"), PositionalConstraint: "EXACTLY", SearchString: "x"}},
		{"unknown country", "Statement.CountryCodes[0]", "AWS WAF knows", wafacl.GeoMatch{CountryCodes: []string{"XX"}}},
		{"transformation priority over int32", "Statement.TextTransformations[0].Priority", "0-2147483647", wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "x", TextTransformations: []wafacl.TextTransformation{{Priority: 1 << 31, Type: "NONE"}}}},
		{"nested problem path", "Statement(And).Statements[1].SearchString", "1-200 bytes", wafacl.And{Statements: []wafacl.Statement{bm, wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stacktest.RequireProblem(t, wafacl.CheckStatement(tc.s), tc.field, tc.rule)
		})
	}
	stacktest.RequireProblem(t, wafacl.CheckStatement(nil), "Statement", "must not be nil")
}

func TestCheckStatementAccepts(t *testing.T) {
	assert.NoError(t, wafacl.CheckStatement(&wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader(strings.Repeat("h", 40)), PositionalConstraint: "EXACTLY", SearchString: "x"}), "non-nil pointers and 40-character headers are fine")
	assert.NoError(t, wafacl.CheckStatement(wafacl.GeoMatch{CountryCodes: []string{"XK", "ZW", "AD"}}))
	assert.True(t, slices.IsSorted(wafacl.CountryCodes), "CountryCodes is sorted (binary search)")
}

// TestStatementWCU pins each statement's capacity to AWS's documented cost
// (match statements: base cost, JSON body doubles it, all query arguments
// add 10, each transformation other than NONE adds 10; rate-based: 2 + 30
// per custom key + scope-down; IP set with forwarded IP position ANY: +4).
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
func TestStatementWCU(t *testing.T) {
	ipset := "arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/x/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a"
	for _, tc := range []struct {
		name string
		s    wafacl.Statement
		wcu  int
	}{
		{"byte match contains, all query arguments", wafacl.ByteMatch{FieldToMatch: wafacl.AllQueryArguments(), PositionalConstraint: "CONTAINS", SearchString: "x"}, 10 + 10},
		{"byte match starts with, JSON body", wafacl.ByteMatch{FieldToMatch: wafacl.JSONBody("ALL"), PositionalConstraint: "STARTS_WITH", SearchString: "x"}, 2 * 2},
		{"regex", wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: "^/a"}, 3},
		{"regex, JSON body, one transformation", wafacl.RegexMatch{FieldToMatch: wafacl.JSONBody("VALUE"), RegexString: "a", TextTransformations: wafacl.Transform("LOWERCASE")}, 2*3 + 10},
		{"regex pattern set, all query arguments", wafacl.RegexPatternSetReference{Arn: "x", FieldToMatch: wafacl.AllQueryArguments()}, 25 + 10},
		{"size constraint", wafacl.SizeConstraint{FieldToMatch: wafacl.Body(""), ComparisonOperator: "GT", Size: 1}, 1},
		{"size constraint, JSON body", wafacl.SizeConstraint{FieldToMatch: wafacl.JSONBody("ALL"), ComparisonOperator: "GT", Size: 1}, 2},
		{"SQLi low", wafacl.SqliMatch{FieldToMatch: wafacl.Body("")}, 20},
		{"SQLi high, two transformations", wafacl.SqliMatch{FieldToMatch: wafacl.Body(""), SensitivityLevel: "HIGH", TextTransformations: wafacl.Transform("URL_DECODE", "HTML_ENTITY_DECODE")}, 30 + 20},
		{"XSS", wafacl.XssMatch{FieldToMatch: wafacl.Body("")}, 40},
		{"XSS, JSON body", wafacl.XssMatch{FieldToMatch: wafacl.JSONBody("VALUE")}, 80},
		{"geo, forwarded IP", wafacl.GeoMatch{CountryCodes: []string{"DE"}, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH"}}, 1},
		{"IP set, forwarded first", wafacl.IPSetReference{Arn: ipset, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH", Position: "FIRST"}}, 1},
		{"IP set, forwarded any", wafacl.IPSetReference{Arn: ipset, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH", Position: "ANY"}}, 5},
		{"rate per IP", wafacl.RateBased{Limit: 100}, 2},
		{"rate with two keys and a scope-down", wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "a"), wafacl.RateKeyOf(wafacl.RateKeyIP, "")},
			ScopeDown: wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "/"}}, 2 + 60 + 2},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.wcu, tc.s.WCU()) })
	}
}

// TestFieldAndKeyJSON pins the maps of the fields to match and rate keys
// with options.
func TestFieldAndKeyJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    wafacl.Statement
		json string
	}{
		{"headers included", wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldHeaders, MatchScope: "VALUE", OversizeHandling: "NO_MATCH", Included: []string{"referer"}}},
			`{"xss_match_statement":{"field_to_match":{"headers":{"match_pattern":{"included_headers":["referer"]},"match_scope":"VALUE","oversize_handling":"NO_MATCH"}},"text_transformation":[{"priority":0,"type":"NONE"}]}}`},
		{"cookies all", wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldCookies, MatchScope: "ALL", OversizeHandling: "CONTINUE"}},
			`{"xss_match_statement":{"field_to_match":{"cookies":{"match_pattern":{"all":{}},"match_scope":"ALL","oversize_handling":"CONTINUE"}},"text_transformation":[{"priority":0,"type":"NONE"}]}}`},
		{"json body paths", wafacl.SqliMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldJSONBody, MatchScope: "VALUE", Included: []string{"/a"}, InvalidFallbackBehavior: "EVALUATE_AS_STRING", OversizeHandling: "MATCH"}, SensitivityLevel: "HIGH"},
			`{"sqli_match_statement":{"field_to_match":{"json_body":{"invalid_fallback_behavior":"EVALUATE_AS_STRING","match_pattern":{"included_paths":["/a"]},"match_scope":"VALUE","oversize_handling":"MATCH"}},"sensitivity_level":"HIGH","text_transformation":[{"priority":0,"type":"NONE"}]}}`},
		{"rate keys", wafacl.RateBased{Limit: 10, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyLabelNamespace, "a:"), wafacl.RateKeyOf(wafacl.RateKeyQueryString, "", wafacl.Transform("LOWERCASE")...)}},
			`{"rate_based_statement":{"aggregate_key_type":"CUSTOM_KEYS","custom_key":[{"label_namespace":{"namespace":"a:"}},{"query_string":{"text_transformation":[{"priority":0,"type":"LOWERCASE"}]}}],"evaluation_window_sec":300,"limit":10}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.json, jsonOf(t, tc.s))
			assert.NoError(t, wafacl.CheckRuleStatement(tc.s))
		})
	}
	assert.Error(t, wafacl.CheckStatement(wafacl.RateBased{Limit: 10}), "a rate-based statement cannot be a scope-down statement")
}
