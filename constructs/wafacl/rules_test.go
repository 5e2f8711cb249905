package wafacl_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// uri is a valid statement to build rules around.
var uri = wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "/"}

func withRule(r wafacl.Rule) func(*wafacl.WafAclConfig) {
	return func(c *wafacl.WafAclConfig) {
		if r.Name == "" {
			r.Name = "Custom"
		}
		if r.Action == "" {
			r.Action = wafacl.ActionBlock
		}
		if r.Statement == nil {
			r.Statement = uri
		}
		c.CustomRules = append(c.CustomRules, r)
	}
}

// withStatement puts s as the statement of one custom rule; problems are
// reported under "CustomRules[0].Statement".
func withStatement(s wafacl.Statement) func(*wafacl.WafAclConfig) {
	return withRule(wafacl.Rule{Statement: s})
}

// cidrs returns n distinct canonical CIDR blocks made from format.
func cidrs(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = netip.MustParsePrefix(fmt.Sprintf(format, i/256%256, i%256)).Masked().String()
	}
	return out
}

// longestDefaultGroup is the longest rule name of the default config.
func longestDefaultGroup() string {
	longest := ""
	for _, g := range wafacl.DefaultManagedRuleGroups() {
		if len(g.Group.Name) > len(longest) {
			longest = g.Group.Name
		}
	}
	return longest
}

func ipSetArn(region, scope string) string {
	return fmt.Sprintf("arn:aws:wafv2:%s:%s:%s/ipset/partners/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a", region, testAccount, scope)
}

func tts(n int) []wafacl.TextTransformation {
	types := []string{"LOWERCASE", "URL_DECODE", "HTML_ENTITY_DECODE", "COMPRESS_WHITE_SPACE", "CMD_LINE", "BASE64_DECODE", "HEX_DECODE",
		"CSS_DECODE", "JS_DECODE", "NORMALIZE_PATH", "REMOVE_NULLS"}
	return wafacl.Transform(types[:n]...)
}

// TestRules has a failing input for every rule of rules.go and of the
// statement types (the field and rule text of the problem), each checked
// with NewWafAcl (nothing created) and Validate alike.
func TestRules(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("rules"))
	long := strings.Repeat("n", 100)
	for _, tc := range []struct {
		name   string
		mutate func(*wafacl.WafAclConfig)
		field  string
		rule   string
	}{
		// IP sets (issue 11: /0, more than 10,000, versions, host bits, duplicates).
		{"/0 blocked", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = []string{"0.0.0.0/0"} }, "BlockedAddresses[0]", "must not be /0"},
		{"/0 IPv6 allowed", func(c *wafacl.WafAclConfig) { c.AllowedAddresses = []string{"::/0"} }, "AllowedAddresses[0]", "must not be /0"},
		{"more than 10,000 IPv4", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = cidrs(10001, "10.%d.%d.0/24") }, "BlockedAddresses", "holds 10001 IPv4 blocks: an IP set holds at most 10000"},
		{"more than 10,000 IPv6", func(c *wafacl.WafAclConfig) { c.AllowedAddresses = cidrs(10001, "2001:db8:%x:%x::/64") }, "AllowedAddresses", "holds 10001 IPv6 blocks"},
		{"uppercase IPv6", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = []string{"2001:DB8::/32"} }, "BlockedAddresses[0]", "canonical form"},
		{"duplicate across forms", func(c *wafacl.WafAclConfig) { c.AllowedAddresses = []string{"2001:db8::/32", "2001:db8::/32"} }, "AllowedAddresses[1]", "listed twice (also AllowedAddresses[0])"},
		{"token in block list", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = []string{unresolvable} }, "BlockedAddresses[0]", "does not belong"},

		// Names, metric names, derived lengths, no cascades of them.
		{"name too long for the metric names", func(c *wafacl.WafAclConfig) { c.Name = long }, "Name",
			fmt.Sprintf("is 100 characters: the metric name of rule %s", longestDefaultGroup())},
		{"name too long for a custom rule's metric", func(c *wafacl.WafAclConfig) {
			c.Name = strings.Repeat("w", 60)
			withRule(wafacl.Rule{Name: strings.Repeat("R", 70)})(c)
		}, "Name", "use a Name of at most 57 characters"},
		{"name too long for the block list", func(c *wafacl.WafAclConfig) {
			c.Name, c.NoManagedRuleGroups, c.RateLimit.Disabled = strings.Repeat("i", 120), true, true
			c.BlockedAddresses = []string{"203.0.113.0/24"}
		}, "Name", `use a Name of at most 111 characters; did you mean "` + strings.Repeat("i", 111) + `"`},
		{"reserved metric name any case", func(c *wafacl.WafAclConfig) { c.Name = "ALL" }, "Name", "reserved by AWS WAF"},

		// Tokens and literals that look like them.
		{"${ resource arn", func(c *wafacl.WafAclConfig) { c.ResourceArn = "${" }, "ResourceArn", "must be the ARN of an Application Load Balancer"},
		{"TfToken[ resource arn", func(c *wafacl.WafAclConfig) { c.ResourceArn = "TfToken[x" }, "ResourceArn", "must be the ARN of an Application Load Balancer"},
		{"unresolvable resource arn", func(c *wafacl.WafAclConfig) { c.ResourceArn = unresolvable }, "ResourceArn", "does not belong"},
		{"unresolvable token in a statement", withStatement(wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: unresolvable}),
			"CustomRules[0].Statement.SearchString", "does not belong"},

		// Associations.
		{"resource arns with cloudfront", func(c *wafacl.WafAclConfig) {
			c.Scope, c.Region, c.ResourceArn, c.ResourceArns = wafacl.ScopeCloudfront, wafacl.CloudfrontRegion, "", []string{albArn}
		}, "ResourceArns[0]", "must be empty with Scope CLOUDFRONT"},
		{"resource arn twice", func(c *wafacl.WafAclConfig) { c.ResourceArns = []string{albArn} }, "ResourceArns[0]", "associated twice (also ResourceArn)"},
		{"resource arn of an S3 bucket", func(c *wafacl.WafAclConfig) { c.ResourceArns = []string{"arn:aws:s3:::bucket"} }, "ResourceArns[0]", "API Gateway REST API stage, AppSync GraphQL API"},
		{"api stage of another region", func(c *wafacl.WafAclConfig) {
			c.ResourceArns = []string{"arn:aws:apigateway:ap-south-1::/restapis/abc/stages/prod"}
		}, "ResourceArns[0]", `must be in region "` + testRegion},
		{"api without a stage", func(c *wafacl.WafAclConfig) {
			c.ResourceArns = []string{"arn:aws:apigateway:" + testRegion + "::/restapis/abc"}
		}, "ResourceArns[0]", "API Gateway REST API stage"},
		{"more than 100 associations", func(c *wafacl.WafAclConfig) {
			for i := range 100 {
				c.ResourceArns = append(c.ResourceArns, fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/a%d/0123456789abcdef", testRegion, testAccount, i))
			}
		}, "ResourceArns", "at most 100"},

		// Pointers: zero is a value, and out of range here.
		{"rate limit zero", func(c *wafacl.WafAclConfig) { c.RateLimit.Limit = new(0) }, "RateLimit.Limit", "must be 10-"},
		{"retention zero", func(c *wafacl.WafAclConfig) { c.Logging.RetentionInDays = new(0) }, "Logging.RetentionInDays", "retention values"},
		{"evaluation window zero", func(c *wafacl.WafAclConfig) { c.RateLimit.EvaluationWindowSeconds = new(0) }, "RateLimit.EvaluationWindowSeconds", "[60 120 300 600]"},

		// Text transformations.
		{"more than 10 transformations", withStatement(wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "x", TextTransformations: tts(11)}),
			"CustomRules[0].Statement.TextTransformations", "at most 10 text transformations"},
		{"NONE with others", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.Body(""), TextTransformations: wafacl.Transform("NONE", "LOWERCASE")}),
			"CustomRules[0].Statement.TextTransformations[0].Type", "cannot be combined"},
		{"transformation casing", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.Body(""), TextTransformations: wafacl.Transform("lowercase")}),
			"CustomRules[0].Statement.TextTransformations[0].Type", "must be one of"},

		// Labels and label keys.
		{"label key with spaces", withStatement(wafacl.LabelMatch{Key: "my label"}), "CustomRules[0].Statement.Key", "no spaces"},
		{"label key empty component", withStatement(wafacl.LabelMatch{Key: "a::b"}), "CustomRules[0].Statement.Key", "empty component"},
		{"label key namespace without scope", withStatement(wafacl.LabelMatch{Key: "team:"}), "CustomRules[0].Statement.Key", "set Scope NAMESPACE"},
		{"rule label with spaces", withRule(wafacl.Rule{Labels: []string{"bad label"}}), "CustomRules[0].Labels[0]", "no spaces"},
		{"rule label reserved word", withRule(wafacl.Rule{Labels: []string{"team:managed:x"}}), "CustomRules[0].Labels[0]", `must not use "managed"`},
		{"rule label with the awswaf prefix", withRule(wafacl.Rule{Labels: []string{"awswaf:123:webacl:x:y"}}), "CustomRules[0].Labels[0]", `must not use "awswaf"`},
		{"rule label six namespaces", withRule(wafacl.Rule{Labels: []string{"a:b:c:d:e:f:g"}}), "CustomRules[0].Labels[0]", "at most five namespaces"},
		{"rule label component over 128", withRule(wafacl.Rule{Labels: []string{"a:" + strings.Repeat("b", 129)}}), "CustomRules[0].Labels[0]", "at most 128 characters each"},
		{"rule label twice", withRule(wafacl.Rule{Labels: []string{"x", "x"}}), "CustomRules[0].Labels[1]", "listed twice"},
		{"rule label trailing colon", withRule(wafacl.Rule{Labels: []string{"team:"}}), "CustomRules[0].Labels[0]", "empty component"},

		// Rules: names, priorities, actions.
		{"rule without name", withRule(wafacl.Rule{Name: " "}), "CustomRules[0].Name", "must be a WAF name"},
		{"rule named like a managed group", withRule(wafacl.Rule{Name: wafmanagedrules.Common.Name}), "CustomRules[0].Name", "used twice (also by ManagedRuleGroups[0])"},
		{"rule named like the rate rule", withRule(wafacl.Rule{Name: wafacl.RuleRateLimit}), "CustomRules[0].Name", "used twice (also by RateLimit)"},
		{"two rules one name", func(c *wafacl.WafAclConfig) { withRule(wafacl.Rule{Name: "A"})(c); withRule(wafacl.Rule{Name: "A"})(c) }, "CustomRules[1].Name", "used twice"},
		{"rule priority of a managed group", withRule(wafacl.Rule{Priority: new(wafacl.ManagedRuleGroupBasePriority)}), "ManagedRuleGroups[0].Priority", "already used by rule Custom"},
		{"rule priority of the rate rule", withRule(wafacl.Rule{Priority: new(wafacl.PriorityRateLimit)}), "CustomRules[0].Priority", "already used by rule RateLimitPerIp"},
		{"negative rule priority", withRule(wafacl.Rule{Priority: new(-1)}), "CustomRules[0].Priority", "must be 0-2147483647"},
		{"unknown action", withRule(wafacl.Rule{Action: "deny"}), "CustomRules[0].Action", "must be one of"},
		{"action casing", withRule(wafacl.Rule{Action: "BLOCK"}), "CustomRules[0].Action", `did you mean "block"`},
		{"custom response with count", withRule(wafacl.Rule{Action: wafacl.ActionCount, CustomResponse: &wafacl.CustomResponse{ResponseCode: 403}}), "CustomRules[0].CustomResponse", "only applies to Action block"},
		{"response code 600", withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{ResponseCode: 600}}), "CustomRules[0].CustomResponse.ResponseCode", "200-599"},
		{"response code unset", withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{}}), "CustomRules[0].CustomResponse.ResponseCode", "200-599"},
		{"unknown body key", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"forbidden": {ContentType: wafacl.ContentTypeTextPlain, Content: "no"}}
			withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{ResponseCode: 403, BodyKey: "forbiden"}})(c)
		}, "CustomRules[0].CustomResponse.BodyKey", `did you mean "forbidden"`},
		{"response header name with space", withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{ResponseCode: 403, Headers: map[string]string{"x reason": "a"}}}),
			"CustomRules[0].CustomResponse.Headers[x reason]", "header name of 1-64"},
		{"response header empty value", withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{ResponseCode: 403, Headers: map[string]string{"reason": ""}}}),
			"CustomRules[0].CustomResponse.Headers[reason]", "1-255 characters"},
		{"more than 10 inserted headers", withRule(wafacl.Rule{Action: wafacl.ActionAllow, InsertHeaders: func() map[string]string {
			m := map[string]string{}
			for i := range 11 {
				m[fmt.Sprintf("h%d", i)] = "v"
			}
			return m
		}()}), "CustomRules[0].InsertHeaders", "at most 10 headers"},
		{"inserted headers with block", withRule(wafacl.Rule{InsertHeaders: map[string]string{"a": "b"}}), "CustomRules[0].InsertHeaders", "does not apply to Action block"},
		{"immunity time with allow", withRule(wafacl.Rule{Action: wafacl.ActionAllow, ImmunityTimeSeconds: new(300)}), "CustomRules[0].ImmunityTimeSeconds", "only applies to Action captcha or challenge"},
		{"immunity time 59", withRule(wafacl.Rule{Action: wafacl.ActionCaptcha, ImmunityTimeSeconds: new(59)}), "CustomRules[0].ImmunityTimeSeconds", "60-259200"},
		{"rule without statement", withRule(wafacl.Rule{Statement: (*wafacl.And)(nil)}), "CustomRules[0].Statement", "must not be nil"},

		// Custom response bodies.
		{"body over 4 KiB", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"big": {ContentType: wafacl.ContentTypeTextPlain, Content: strings.Repeat("x", 4097)}}
		}, "CustomResponseBodies[big].Content", "1-4096 bytes"},
		{"body not JSON", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"json": {ContentType: wafacl.ContentTypeApplicationJSON, Content: "{nope"}}
		}, "CustomResponseBodies[json].Content", "valid JSON"},
		{"body content type", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"x": {ContentType: "text/plain", Content: "x"}}
		}, "CustomResponseBodies[x].ContentType", "must be one of"},
		{"body key with space", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"a b": {ContentType: wafacl.ContentTypeTextPlain, Content: "x"}}
		}, "CustomResponseBodies[a b]", "1-128 letters"},
		{"body key of the rate limit", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{wafacl.RateLimitedBodyKey: {ContentType: wafacl.ContentTypeTextPlain, Content: "x"}}
		}, "CustomResponseBodies[rate-limited]", "choose another key"},
		{"more than 50 bodies", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{}
			for i := range 50 {
				c.CustomResponseBodies[fmt.Sprintf("b%d", i)] = wafacl.CustomResponseBody{ContentType: wafacl.ContentTypeTextPlain, Content: "x"}
			}
		}, "CustomResponseBodies", "at most 50"},

		// Statements in rules.
		{"rate-based nested", withStatement(wafacl.Not{Statement: wafacl.RateBased{Limit: 100}}), "CustomRules[0].Statement(Not).Statement(RateBased)", "cannot be nested"},
		{"rate-based as scope-down", withRule(wafacl.Rule{Statement: wafacl.RateBased{Limit: 100, ScopeDown: wafacl.RateBased{Limit: 100}}}), "CustomRules[0].Statement(RateBased).ScopeDown(RateBased)", "cannot be nested"},
		{"rate limit of a rate rule", withStatement(wafacl.RateBased{Limit: 9}), "CustomRules[0].Statement(RateBased).Limit", "10-2000000000"},
		{"ip key alone", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyIP, "")}}), "CustomRules[0].Statement(RateBased).Keys[0]", "needs another key"},
		{"custom keys without keys", withStatement(wafacl.RateBased{Limit: 100, AggregateKeyType: wafacl.AggregateCustomKeys}), "CustomRules[0].Statement(RateBased).Keys", "1-5 keys"},
		{"six keys", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{
			wafacl.RateKeyOf(wafacl.RateKeyHeader, "a"), wafacl.RateKeyOf(wafacl.RateKeyHeader, "b"), wafacl.RateKeyOf(wafacl.RateKeyHeader, "c"),
			wafacl.RateKeyOf(wafacl.RateKeyHeader, "d"), wafacl.RateKeyOf(wafacl.RateKeyHeader, "e"), wafacl.RateKeyOf(wafacl.RateKeyHeader, "f")}}),
			"CustomRules[0].Statement(RateBased).Keys", "1-5 keys"},
		{"key twice", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "A"), wafacl.RateKeyOf(wafacl.RateKeyHeader, "a")}}),
			"CustomRules[0].Statement(RateBased).Keys[1]", "listed twice"},
		{"constant without scope-down", withStatement(wafacl.RateBased{Limit: 100, AggregateKeyType: wafacl.AggregateConstant}), "CustomRules[0].Statement(RateBased).ScopeDown", "is required with AggregateKeyType CONSTANT"},
		{"forwarded ip without config", withStatement(wafacl.RateBased{Limit: 100, AggregateKeyType: wafacl.AggregateForwardedIP}), "CustomRules[0].Statement(RateBased).ForwardedIP", "is required"},
		{"forwarded ip key without config", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyForwardedIP, ""), wafacl.RateKeyOf(wafacl.RateKeyHTTPMethod, "")}}),
			"CustomRules[0].Statement(RateBased).ForwardedIP", "is required with a forwarded_ip key"},
		{"keys with IP aggregation", withStatement(wafacl.RateBased{Limit: 100, AggregateKeyType: wafacl.AggregateIP, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHTTPMethod, "")}}),
			"CustomRules[0].Statement(RateBased).Keys", "must be empty unless AggregateKeyType is CUSTOM_KEYS"},
		{"label namespace key without colon", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyLabelNamespace, "team")}}),
			"CustomRules[0].Statement(RateBased).Keys[0].Name", "ending with ':'"},
		{"header key without name", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "")}}),
			"CustomRules[0].Statement(RateBased).Keys[0].Name", "1-64 characters"},
		{"transformations on a method key", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHTTPMethod, "", wafacl.Transform("LOWERCASE")...)}}),
			"CustomRules[0].Statement(RateBased).Keys[0].TextTransformations", "do not apply"},
		{"window of a rate rule", withStatement(wafacl.RateBased{Limit: 100, EvaluationWindowSeconds: new(30)}), "CustomRules[0].Statement(RateBased).EvaluationWindowSeconds", `did you mean "60"`},
		{"nesting four deep in a rule", withStatement(wafacl.Not{Statement: wafacl.Not{Statement: wafacl.Not{Statement: wafacl.Not{Statement: uri}}}}),
			"CustomRules[0].Statement(Not).Statement(Not).Statement(Not).Statement(Not)", "nest at most 3 deep in a rule statement"},
		{"nesting three deep in a scope-down", withRule(wafacl.Rule{Statement: wafacl.RateBased{Limit: 100, ScopeDown: wafacl.Not{Statement: wafacl.Not{Statement: wafacl.Not{Statement: uri}}}}}),
			"CustomRules[0].Statement(RateBased).ScopeDown(Not).Statement(Not).Statement(Not)", "nest at most 2 deep in a scope-down statement"},
		{"invalid regex", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: "(?=admin)"}), "CustomRules[0].Statement.RegexString", "Go RE2 syntax"},
		{"regex with backreference", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: `(a)\1`}), "CustomRules[0].Statement.RegexString", "no backreferences"},
		{"regex with \\C", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: `a\Cb`}), "CustomRules[0].Statement.RegexString", `\C`},
		{"regex over 512 bytes", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: strings.Repeat("a", 513)}), "CustomRules[0].Statement.RegexString", "1-512 bytes"},
		{"pattern set arn of an IP set", withStatement(wafacl.RegexPatternSetReference{Arn: ipSetArn(testRegion, "regional"), FieldToMatch: wafacl.URIPath()}), "CustomRules[0].Statement.Arn", "regex pattern set"},
		{"size over int32", withStatement(wafacl.SizeConstraint{FieldToMatch: wafacl.Body(""), ComparisonOperator: "GT", Size: 1 << 31}), "CustomRules[0].Statement.Size", "0-2147483647"},
		{"negative size", withStatement(wafacl.SizeConstraint{FieldToMatch: wafacl.Body(""), ComparisonOperator: "GT", Size: -1}), "CustomRules[0].Statement.Size", "0-2147483647"},
		{"comparison operator", withStatement(wafacl.SizeConstraint{FieldToMatch: wafacl.Body(""), ComparisonOperator: ">", Size: 1}), "CustomRules[0].Statement.ComparisonOperator", "must be one of"},
		{"sensitivity", withStatement(wafacl.SqliMatch{FieldToMatch: wafacl.Body(""), SensitivityLevel: "MEDIUM"}), "CustomRules[0].Statement.SensitivityLevel", `"LOW" or "HIGH"`},
		{"oversize handling", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.Body("DROP")}), "CustomRules[0].Statement.FieldToMatch.OversizeHandling", "must be one of"},
		{"json pointer", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.JSONBody("VALUE", "user/name")}), "CustomRules[0].Statement.FieldToMatch.Included[0]", "JSON pointer"},
		{"json pointer tilde", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.JSONBody("VALUE", "/a~2")}), "CustomRules[0].Statement.FieldToMatch.Included[0]", "JSON pointer"},
		{"json body without scope", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.JSONBody("")}), "CustomRules[0].Statement.FieldToMatch.MatchScope", "is required for json_body"},
		{"headers without oversize handling", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldHeaders, MatchScope: "ALL"}}),
			"CustomRules[0].Statement.FieldToMatch.OversizeHandling", "is required for headers"},
		{"headers included and excluded", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldHeaders, MatchScope: "ALL", OversizeHandling: "MATCH", Included: []string{"a"}, Excluded: []string{"b"}}}),
			"CustomRules[0].Statement.FieldToMatch.Excluded", "must be empty when Included is set"},
		{"cookie name over 60", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldCookies, MatchScope: "ALL", OversizeHandling: "MATCH", Included: []string{strings.Repeat("c", 61)}}}),
			"CustomRules[0].Statement.FieldToMatch.Included[0]", "1-60 characters"},
		{"name on uri path", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldURIPath, Name: "x"}}), "CustomRules[0].Statement.FieldToMatch.Name", "does not apply to field uri_path"},
		{"unknown field", withStatement(wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: "body_json"}}), "CustomRules[0].Statement.FieldToMatch", "is required: one of"},
		{"ip set and arn", withStatement(wafacl.IPSetReference{Arn: ipSetArn(testRegion, "regional"), IPSet: &wafacl.IPSet{}}), "CustomRules[0].Statement.Arn", "must be empty when IPSet is set"},
		{"ip set not made by NewIPSet", withStatement(wafacl.IPSetReference{IPSet: &wafacl.IPSet{}}), "CustomRules[0].Statement.IPSet", "made by wafacl.NewIPSet"},
		{"ip set arn of another region", withStatement(wafacl.IPSetReference{Arn: ipSetArn("ap-south-1", "regional")}), "CustomRules[0].Statement.Arn", `must be in region "` + testRegion},
		{"global ip set in a regional acl", withStatement(wafacl.IPSetReference{Arn: ipSetArn(testRegion, "global")}), "CustomRules[0].Statement.Arn", "of the web ACL's scope REGIONAL"},
		{"ip set arn required", withStatement(wafacl.IPSetReference{}), "CustomRules[0].Statement.Arn", "is required"},
		{"forwarded header", withStatement(wafacl.GeoMatch{CountryCodes: []string{"DE"}, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X_Forwarded", FallbackBehavior: "MATCH"}}),
			"CustomRules[0].Statement.ForwardedIP.HeaderName", "letters, digits and '-'"},
		{"position on geo", withStatement(wafacl.GeoMatch{CountryCodes: []string{"DE"}, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH", Position: "ANY"}}),
			"CustomRules[0].Statement.ForwardedIP.Position", "only applies to IPSetReference"},
		{"position required for ip sets", withStatement(wafacl.IPSetReference{Arn: ipSetArn(testRegion, "regional"), ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH"}}),
			"CustomRules[0].Statement.ForwardedIP.Position", "is required"},
		{"country twice", withStatement(wafacl.GeoMatch{CountryCodes: []string{"DE", "DE"}}), "CustomRules[0].Statement.CountryCodes[1]", "listed twice"},
		{"country casing", withStatement(wafacl.GeoMatch{CountryCodes: []string{"de"}}), "CustomRules[0].Statement.CountryCodes[0]", `did you mean "DE"`},
		{"more than 50 references", func(c *wafacl.WafAclConfig) {
			var refs []wafacl.Statement
			for range 50 {
				refs = append(refs, wafacl.IPSetReference{Arn: ipSetArn(testRegion, "regional")})
			}
			c.BlockedAddresses = []string{"203.0.113.0/24"}
			withStatement(wafacl.Or{Statements: refs})(c)
		}, "CustomRules", "52 IP set and regex pattern set reference statements"},
		{"custom rules over 1500 WCUs", func(c *wafacl.WafAclConfig) {
			c.NoManagedRuleGroups = true
			for i := range 40 {
				withRule(wafacl.Rule{Name: fmt.Sprintf("Xss%d", i), Statement: wafacl.XssMatch{FieldToMatch: wafacl.Body("")}})(c)
			}
		}, "CustomRules", "needs 1602 WCUs"},
		{"labels cost WCUs too", func(c *wafacl.WafAclConfig) {
			// 1125 + 2 + 300 + 4 = 1431 WCUs of rules; 400 labels add 80.
			c.ManagedRuleGroups = append(wafacl.DefaultManagedRuleGroups(), wafacl.ManagedRuleGroup{Group: wafmanagedrules.Unix}, wafacl.ManagedRuleGroup{Group: wafmanagedrules.Linux})
			var labels []string
			for i := range wafacl.MaxRuleLabels {
				labels = append(labels, fmt.Sprintf("l%d", i))
			}
			for i := range 4 {
				withRule(wafacl.Rule{Name: fmt.Sprintf("Labels%d", i), Action: wafacl.ActionCount, Labels: labels, Statement: wafacl.GeoMatch{CountryCodes: []string{"DE"}}})(c)
			}
		}, "ManagedRuleGroups", "400 rule labels=80; total 1511"},

		// Logging destinations.
		{"destination and log group", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn, c.Logging.LogGroupName = firehoseArn, "aws-waf-logs-x"
		}, "Logging.LogGroupName", "must be empty with Logging.DestinationArn"},
		{"destination and retention", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn, c.Logging.RetentionInDays = firehoseArn, new(30)
		}, "Logging.RetentionInDays", "must be empty with Logging.DestinationArn"},
		{"destination name prefix", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn = "arn:aws:firehose:" + testRegion + ":" + testAccount + ":deliverystream/waf"
		}, "Logging.DestinationArn", `starting with "aws-waf-logs-"`},
		{"destination bucket prefix", func(c *wafacl.WafAclConfig) { c.Logging.DestinationArn = "arn:aws:s3:::waf-logs" }, "Logging.DestinationArn", `starting with "aws-waf-logs-"`},
		{"destination log group with :*", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn = "arn:aws:logs:" + testRegion + ":" + testAccount + ":log-group:aws-waf-logs-x:*"
		}, "Logging.DestinationArn", `without the ":*" suffix`},
		{"destination in another region", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn = "arn:aws:logs:ap-south-1:" + testAccount + ":log-group:aws-waf-logs-x"
		}, "Logging.DestinationArn", `must be in region "` + testRegion},
		{"destination of another service", func(c *wafacl.WafAclConfig) {
			c.Logging.DestinationArn = "arn:aws:sns:" + testRegion + ":" + testAccount + ":aws-waf-logs-x"
		}, "Logging.DestinationArn", "log group, Kinesis Data Firehose delivery stream or S3 bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			tc.mutate(cfg)
			acl, err := wafacl.NewWafAcl(stack, "waf", cfg)
			assert.Nil(t, acl)
			stacktest.RequireProblem(t, err, tc.field, tc.rule)
			require.Equal(t, err.Error(), cfg.Validate("waf").Error(), "Validate reports what NewWafAcl reports")
			stacktest.RequireNoChildren(t, stack)
		})
	}
}

// unresolvable is a token typed by hand: it does not belong to the app.
const unresolvable = "${TfToken[TOKEN.99999]}"

// TestRulesAccept has a passing input next to the failing ones of TestRules.
func TestRulesAccept(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	token := *cdktf.NewTerraformVariable(stack, jsii.String("alb"), &cdktf.TerraformVariableConfig{}).StringValue()
	for _, tc := range []struct {
		name   string
		mutate func(*wafacl.WafAclConfig)
	}{
		{"/1 and exactly 10,000 blocks", func(c *wafacl.WafAclConfig) {
			c.BlockedAddresses = append(cidrs(9999, "10.%d.%d.0/24"), "128.0.0.0/1")
			c.AcceptExtraCapacityCost = true
		}},
		{"longest name that fits the default groups", func(c *wafacl.WafAclConfig) { c.Name = strings.Repeat("n", 128-1-len(longestDefaultGroup())) }},
		{"name of 128 characters without rules", func(c *wafacl.WafAclConfig) {
			c.Name, c.NoManagedRuleGroups, c.RateLimit.Disabled = strings.Repeat("n", 128), true, true
		}},
		{"real token resource arns", func(c *wafacl.WafAclConfig) { c.ResourceArn, c.ResourceArns = token, []string{albArn} }},
		{"every regional resource kind", func(c *wafacl.WafAclConfig) {
			c.ResourceArns = []string{secondAlbArn, apiStageArn, userPoolArn, appSyncArn,
				fmt.Sprintf("arn:aws:apprunner:%s:%s:service/web-app/0123456789abcdef0123456789abcdef", testRegion, testAccount),
				fmt.Sprintf("arn:aws:ec2:%s:%s:verified-access-instance/vai-0123456789abcdef0", testRegion, testAccount)}
		}},
		{"priority zero everywhere", func(c *wafacl.WafAclConfig) {
			c.RateLimit.Priority = new(0)
			c.ManagedRuleGroups = []wafacl.ManagedRuleGroup{{Group: wafmanagedrules.Common, Priority: new(1)}}
		}},
		{"label key fully qualified and namespace", withStatement(wafacl.Or{Statements: []wafacl.Statement{
			wafacl.LabelMatch{Key: "awswaf:managed:aws:bot-control:bot:verified"}, wafacl.LabelMatch{Scope: "NAMESPACE", Key: "awswaf:managed:aws:bot-control:"}}})},
		{"rule labels with five namespaces", withRule(wafacl.Rule{Action: wafacl.ActionCount, Labels: []string{"a:b:c:d:e:name", "Team_1:x-y"}})},
		{"ten transformations", withStatement(wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "x", TextTransformations: tts(10)})},
		{"regex that RE2 and WAF accept", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: `^/(admin|wp-login)\.php$`})},
		{"regex escaping a backslash before C", withStatement(wafacl.RegexMatch{FieldToMatch: wafacl.URIPath(), RegexString: `a\\Cb`})},
		{"json body 4 KiB", func(c *wafacl.WafAclConfig) {
			c.CustomResponseBodies = map[string]wafacl.CustomResponseBody{"json": {ContentType: wafacl.ContentTypeApplicationJSON, Content: `"` + strings.Repeat("x", 4094) + `"`}}
			withRule(wafacl.Rule{CustomResponse: &wafacl.CustomResponse{ResponseCode: 599, BodyKey: "json", Headers: map[string]string{"x-reason.$": "v"}}})(c)
		}},
		{"immunity time bounds", func(c *wafacl.WafAclConfig) {
			withRule(wafacl.Rule{Name: "A", Action: wafacl.ActionCaptcha, ImmunityTimeSeconds: new(60)})(c)
			withRule(wafacl.Rule{Name: "B", Action: wafacl.ActionChallenge, ImmunityTimeSeconds: new(259200)})(c)
		}},
		{"size zero and max", withStatement(wafacl.Or{Statements: []wafacl.Statement{
			wafacl.SizeConstraint{FieldToMatch: wafacl.Body(""), ComparisonOperator: "EQ", Size: 0},
			wafacl.SizeConstraint{FieldToMatch: wafacl.QueryString(), ComparisonOperator: "LT", Size: wafacl.MaxSize}}})},
		{"three levels in a rule", withStatement(wafacl.Not{Statement: wafacl.Not{Statement: wafacl.Not{Statement: uri}}})},
		{"forwarded ip key with another key", withStatement(wafacl.RateBased{Limit: 100, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyForwardedIP, ""), wafacl.RateKeyOf(wafacl.RateKeyHTTPMethod, "")},
			ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH"}})},
		{"destination bucket with prefix and token", func(c *wafacl.WafAclConfig) { c.Logging.DestinationArn = "arn:aws:s3:::aws-waf-logs-team/edge" }},
		{"destination token", func(c *wafacl.WafAclConfig) { c.Logging.DestinationArn = token }},
		{"labels within the included capacity", func(c *wafacl.WafAclConfig) {
			withRule(wafacl.Rule{Action: wafacl.ActionCount, Labels: []string{"a", "b", "c", "d", "e", "f"}})(c)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			tc.mutate(cfg)
			assert.NoError(t, cfg.Validate("waf"))
		})
	}
}

// TestNoCascades: one mistake gives one problem.
func TestNoCascades(t *testing.T) {
	problems := func(t *testing.T, err error) []validate.Problem {
		t.Helper()
		var ve *validate.Error
		require.True(t, errors.As(err, &ve), "%v", err)
		return ve.Problems
	}
	t.Run("missing name from an unusable id", func(t *testing.T) {
		c := baseConfig()
		c.Name = ""
		p := problems(t, c.Validate("_"))
		require.Len(t, p, 1, "no Description, metric name or log group name the user never set: %v", p)
		assert.Equal(t, "id", p[0].Field)
	})
	t.Run("invalid name", func(t *testing.T) {
		c := baseConfig()
		c.Name = "web acl"
		c.BlockedAddresses = []string{"203.0.113.0/24"}
		p := problems(t, c.Validate("waf"))
		require.Len(t, p, 1, "%v", p)
		assert.Equal(t, "Name", p[0].Field)
	})
	t.Run("invalid region", func(t *testing.T) {
		c := baseConfig()
		c.Region = "eu-wst-1"
		c.ResourceArns = []string{apiStageArn}
		c.Logging.DestinationArn = firehoseArn
		p := problems(t, c.Validate("waf"))
		require.Len(t, p, 1, "the ARNs are not blamed for the Region: %v", p)
		assert.Equal(t, "Region", p[0].Field)
		assert.Equal(t, testRegion, p[0].Suggestion)
	})
	t.Run("invalid custom rule name", func(t *testing.T) {
		c := baseConfig()
		withRule(wafacl.Rule{Name: "bad name"})(c)
		p := problems(t, c.Validate("waf"))
		require.Len(t, p, 1, "%v", p)
		assert.Equal(t, "CustomRules[0].Name", p[0].Field)
	})
	t.Run("long name reported once", func(t *testing.T) {
		c := baseConfig()
		c.Name = strings.Repeat("n", 110)
		c.BlockedAddresses = []string{"203.0.113.0/24"}
		p := problems(t, c.Validate("waf"))
		require.Len(t, p, 1, "%v", p)
		assert.Equal(t, strings.Repeat("n", 128-1-len(longestDefaultGroup())), p[0].Suggestion)
	})
}

// TestIPSet: NewIPSet's rules, a failing and a passing input each.
func TestIPSet(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("ipsets"))
	base := func() *wafacl.IPSetConfig {
		return &wafacl.IPSetConfig{AccountId: testAccount, Region: testRegion, Addresses: []string{"192.0.2.0/24"}}
	}
	for _, tc := range []struct {
		name   string
		mutate func(*wafacl.IPSetConfig)
		field  string
		rule   string
	}{
		{"mixed versions", func(c *wafacl.IPSetConfig) { c.Addresses = append(c.Addresses, "2001:db8::/32") }, "Addresses", "must be of one IP version"},
		{"empty without version", func(c *wafacl.IPSetConfig) { c.Addresses = nil }, "IPAddressVersion", "is required when Addresses is empty"},
		{"version mismatch", func(c *wafacl.IPSetConfig) { c.IPAddressVersion = wafacl.IPV6 }, "Addresses[0]", "must be an IPv6 CIDR block"},
		{"version casing", func(c *wafacl.IPSetConfig) { c.IPAddressVersion = "ipv4" }, "IPAddressVersion", `did you mean "IPV4"`},
		{"/0", func(c *wafacl.IPSetConfig) { c.Addresses = []string{"0.0.0.0/0"} }, "Addresses[0]", "must not be /0"},
		{"host bits", func(c *wafacl.IPSetConfig) { c.Addresses = []string{"192.0.2.1/24"} }, "Addresses[0]", "192.0.2.0/24"},
		{"more than 10,000", func(c *wafacl.IPSetConfig) { c.Addresses = cidrs(10001, "10.%d.%d.0/24") }, "Addresses", "at most 10000"},
		{"name", func(c *wafacl.IPSetConfig) { c.Name = "office ips" }, "Name", "WAF name"},
		{"description", func(c *wafacl.IPSetConfig) { c.Description = "office (HQ)" }, "Description", "1-256 characters"},
		{"cloudfront elsewhere", func(c *wafacl.IPSetConfig) { c.Scope = wafacl.ScopeCloudfront }, "Scope", "only available in us-east-1"},
		{"scope", func(c *wafacl.IPSetConfig) { c.Scope = "GLOBAL" }, "Scope", "must be one of"},
		{"tags", func(c *wafacl.IPSetConfig) { c.Tags = map[string]string{"aws:x": "y"} }, "Tags[aws:x]", "aws:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.mutate(cfg)
			s, err := wafacl.NewIPSet(stack, "office", cfg)
			assert.Nil(t, s)
			stacktest.RequireProblem(t, err, tc.field, tc.rule)
			require.Equal(t, err.Error(), cfg.Validate("office").Error())
			stacktest.RequireNoChildren(t, stack)
		})
	}
	_, err := wafacl.NewIPSet(stack, "x", nil)
	stacktest.RequireProblem(t, err, "config", "is required")

	t.Run("valid", func(t *testing.T) {
		for _, c := range []*wafacl.IPSetConfig{
			base(),
			{AccountId: testAccount, Region: testRegion, IPAddressVersion: wafacl.IPV6},
			{AccountId: testAccount, Region: wafacl.CloudfrontRegion, Scope: wafacl.ScopeCloudfront, Addresses: cidrs(10000, "2001:db8:%x:%x::/64")},
		} {
			assert.NoError(t, c.Validate("office"))
		}
	})
	t.Run("two sets of one name", func(t *testing.T) {
		other := cdktf.NewTerraformStack(app, jsii.String("two"))
		_, err := wafacl.NewIPSet(other, "office", base())
		require.NoError(t, err)
		_, err = wafacl.NewIPSet(other, "office2", &wafacl.IPSetConfig{Name: "office", AccountId: testAccount, Region: testRegion, IPAddressVersion: wafacl.IPV4})
		stacktest.RequireProblem(t, err, "Name", "office")
	})
	t.Run("scope of a referencing acl", func(t *testing.T) {
		other := cdktf.NewTerraformStack(app, jsii.String("scopes"))
		cf, err := wafacl.NewIPSet(other, "cf", &wafacl.IPSetConfig{AccountId: testAccount, Region: wafacl.CloudfrontRegion, Scope: wafacl.ScopeCloudfront, IPAddressVersion: wafacl.IPV4})
		require.NoError(t, err)
		c := baseConfig()
		withStatement(wafacl.IPSetReference{IPSet: cf})(c)
		stacktest.RequireProblem(t, c.Validate("waf"), "CustomRules[0].Statement.IPSet", "is an IP set of scope CLOUDFRONT: the web ACL's scope is REGIONAL")
	})
}
