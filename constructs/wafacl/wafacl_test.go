package wafacl_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// Where the test stacks deploy: not the reference app's account or region.
const (
	testName    = "webapp-dev"
	testAccount = "111122223333"
	testRegion  = "eu-west-1"
)

var albArn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/0123456789abcdef", testRegion, testAccount, testName)

func baseConfig() *wafacl.WafAclConfig {
	return &wafacl.WafAclConfig{
		Name:        testName,
		AccountId:   testAccount,
		Region:      testRegion,
		ResourceArn: albArn,
	}
}

// addProviders adds the test stack's AWS provider (testRegion) and an
// alias in us-east-1 (for scope CLOUDFRONT), both allowing only
// testAccount, and returns the alias.
func addProviders(stack cdktf.TerraformStack) provider.AwsProvider {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(testRegion), AllowedAccountIds: jsii.Strings(testAccount)})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
	return provider.NewAwsProvider(stack, jsii.String("aws_us_east_1"), &provider.AwsProviderConfig{Region: jsii.String(wafacl.CloudfrontRegion), Alias: jsii.String("us_east_1"), AllowedAccountIds: jsii.Strings(testAccount)})
}

// synthACL synthesizes a plannable stack called name holding one WafAcl.
func synthACL(t testing.TB, name string, cfg *wafacl.WafAclConfig) (stacktest.Stack, *wafacl.WafAcl) {
	t.Helper()
	var acl *wafacl.WafAcl
	s := stacktest.SynthStack(t, name, func(stack cdktf.TerraformStack) {
		addProviders(stack)
		var err error
		acl, err = wafacl.NewWafAcl(stack, "waf", cfg)
		require.NoError(t, err)
	})
	return s, acl
}

type synthesized struct {
	stack stacktest.Stack
	acl   *wafacl.WafAcl
}

// shared is synthesized once per test binary: the default config plus the
// ALB association.
var shared = stacktest.Memo(func(t testing.TB) synthesized {
	s, acl := synthACL(t, "waf-default", baseConfig())
	return synthesized{s, acl}
})

func defaultStack(t *testing.T) (stacktest.Stack, *wafacl.WafAcl) {
	t.Helper()
	d := shared(t)
	return d.stack, d.acl
}

func ref(t *testing.T, s stacktest.Stack, typ, path, attr string) string {
	t.Helper()
	return "${" + s.Ref(t, typ, path) + "." + attr + "}"
}

func rulesByName(t *testing.T, acl gjson.Result) map[string]gjson.Result {
	t.Helper()
	out := map[string]gjson.Result{}
	for _, r := range acl.Get("rule").Array() {
		out[r.Get("name").String()] = r
	}
	return out
}

func TestDefaultWebAcl(t *testing.T) {
	s, _ := defaultStack(t)
	acl := s.Resource(t, "aws_wafv2_web_acl", "waf/web_acl")
	assert.Equal(t, testName, acl.Get("name").String())
	assert.Equal(t, "REGIONAL", acl.Get("scope").String())
	assert.True(t, acl.Get("default_action.allow").IsObject(), "default action allow")
	assert.False(t, acl.Get("default_action.block").Exists())
	assert.True(t, acl.Get("visibility_config.cloudwatch_metrics_enabled").Bool())
	assert.True(t, acl.Get("visibility_config.sampled_requests_enabled").Bool())
	assert.Equal(t, testName, acl.Get("visibility_config.metric_name").String())
	assert.JSONEq(t, `[{"content":"Too many requests. Please retry later.\n","content_type":"TEXT_PLAIN","key":"rate-limited"}]`, acl.Get("custom_response_body").Raw)
}

func TestDefaultRules(t *testing.T) {
	s, a := defaultStack(t)
	acl := s.Resource(t, "aws_wafv2_web_acl", "waf/web_acl")
	rules := acl.Get("rule").Array()
	var names []string
	var prios []int64
	for _, r := range rules {
		names = append(names, r.Get("name").String())
		prios = append(prios, r.Get("priority").Int())
		// Visibility on every rule: metrics, sampled requests, own metric.
		assert.True(t, r.Get("visibility_config.cloudwatch_metrics_enabled").Bool(), r.Get("name").String())
		assert.True(t, r.Get("visibility_config.sampled_requests_enabled").Bool(), r.Get("name").String())
		assert.Equal(t, testName+"-"+r.Get("name").String(), r.Get("visibility_config.metric_name").String())
	}
	assert.Equal(t, []string{"RateLimitPerIp", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
		"AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesSQLiRuleSet"}, names)
	assert.Equal(t, []int64{40, 100, 110, 120, 130}, prios)

	byName := rulesByName(t, acl)
	rate := byName["RateLimitPerIp"]
	assert.JSONEq(t, `{"block":{"custom_response":{"custom_response_body_key":"rate-limited","response_code":429}}}`, rate.Get("action").Raw)
	assert.JSONEq(t, `{"rate_based_statement":{"aggregate_key_type":"IP","evaluation_window_sec":300,"limit":2000}}`, rate.Get("statement").Raw)
	assert.False(t, rate.Get("override_action").Exists())

	for _, g := range []wafmanagedrules.RuleGroup{wafmanagedrules.Common, wafmanagedrules.KnownBadInputs, wafmanagedrules.AmazonIpReputationList, wafmanagedrules.SQLi} {
		r := byName[g.Name]
		assert.JSONEq(t, `{"none":{}}`, r.Get("override_action").Raw, g.Name)
		assert.False(t, r.Get("action").Exists(), "managed group rules take override_action only")
		assert.JSONEq(t, fmt.Sprintf(`{"managed_rule_group_statement":{"name":%q,"vendor_name":"AWS"}}`, g.Name), r.Get("statement").Raw)
	}

	// The Go-side view matches.
	assert.Equal(t, 2+700+200+25+200, a.Capacity)
	assert.Equal(t, testName, a.MetricName)
	require.Len(t, a.Rules, 5)
	assert.Equal(t, wafacl.RuleInfo{Name: "AWSManagedRulesCommonRuleSet", Priority: 100, MetricName: testName + "-AWSManagedRulesCommonRuleSet", WCU: 700}, a.Rules[1])
	// Nothing optional is created by default.
	assert.Empty(t, s.Resources("aws_wafv2_ip_set"))
	assert.False(t, s.Get("variable").Exists())
}

func TestAssociation(t *testing.T) {
	s, _ := defaultStack(t)
	assoc := s.Resource(t, "aws_wafv2_web_acl_association", "waf/association")
	assert.Equal(t, albArn, assoc.Get("resource_arn").String())
	assert.Equal(t, ref(t, s, "aws_wafv2_web_acl", "waf/web_acl", "arn"), assoc.Get("web_acl_arn").String())
}

func TestLogging(t *testing.T) {
	s, _ := defaultStack(t)
	lc := s.Resource(t, "aws_wafv2_web_acl_logging_configuration", "waf/logging")
	assert.Equal(t, ref(t, s, "aws_wafv2_web_acl", "waf/web_acl", "arn"), lc.Get("resource_arn").String())
	assert.Equal(t, []any{ref(t, s, "aws_cloudwatch_log_group", "waf/log_group", "arn")}, lc.Get("log_destination_configs").Value())
	assert.JSONEq(t, `[{"single_header":{"name":"authorization"}},{"single_header":{"name":"cookie"}}]`, lc.Get("redacted_fields").Raw)
	assert.False(t, lc.Get("logging_filter").Exists(), "every request is logged by default")

	lg := s.Resource(t, "aws_cloudwatch_log_group", "waf/log_group")
	assert.Equal(t, "aws-waf-logs-"+testName, lg.Get("name").String())
	assert.Equal(t, int64(365), lg.Get("retention_in_days").Int())
	assert.Equal(t, ref(t, s, "aws_kms_key", "waf/log_key", "arn"), lg.Get("kms_key_id").String())

	key := s.Resource(t, "aws_kms_key", "waf/log_key")
	assert.True(t, key.Get("enable_key_rotation").Bool())
	policy := stacktest.JSONDocument(t, key, "policy")
	logs := policy.Get(`Statement.#(Sid=="AllowCloudWatchLogs")`)
	assert.Equal(t, "logs."+testRegion+".amazonaws.com", logs.Get("Principal.Service").String())
	assert.Equal(t, "arn:aws:logs:"+testRegion+":"+testAccount+":log-group:*", logs.Get(`Condition.ArnLike.kms:EncryptionContext:aws:logs:arn`).String())
	assert.Equal(t, "arn:aws:iam::"+testAccount+":root", policy.Get(`Statement.#(Sid=="EnableRootAccountAdministration").Principal.AWS`).String())
	alias := s.Resource(t, "aws_kms_alias", "waf/log_key_alias")
	assert.Equal(t, "alias/aws-waf-logs-"+testName, alias.Get("name").String())
}

func TestDeterministicSynth(t *testing.T) {
	s, _ := defaultStack(t)
	again, _ := synthACL(t, "waf-default", baseConfig())
	assert.Equal(t, string(s.Raw), string(again.Raw))
}

// fullConfig uses every feature: the stack that is planned.
func fullConfig() *wafacl.WafAclConfig {
	c := baseConfig()
	c.Name = "webapp-full"
	c.BlockedAddresses = []string{"203.0.113.0/24", "2001:db8::/32"}
	c.BlockedAddressesVariable = "waf_blocked_addresses"
	c.AllowedAddresses = []string{"198.51.100.10/32", "2001:db8:1::/48"}
	c.BlockedCountryCodes = []string{"KP", "IR"}
	c.RateLimit = wafacl.RateLimit{Limit: new(100), EvaluationWindowSeconds: new(60)}
	c.ManagedRuleGroups = []wafacl.ManagedRuleGroup{
		{
			Group:      wafmanagedrules.Common,
			Version:    "Version_1.10",
			CountRules: []wafmanagedrules.RuleName{wafmanagedrules.Common_SizeRestrictions_BODY, wafmanagedrules.Common_NoUserAgent_HEADER},
			ScopeDown: wafacl.And{Statements: []wafacl.Statement{
				wafacl.Not{Statement: wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/upload",
					TextTransformations: []wafacl.TextTransformation{{Priority: 0, Type: "LOWERCASE"}}}},
				wafacl.Not{Statement: wafacl.LabelMatch{Key: "awswaf:managed:aws:bot-control:bot:verified"}},
			}},
		},
		{Group: wafmanagedrules.KnownBadInputs},
		{Group: wafmanagedrules.AmazonIpReputationList, CountRules: []wafmanagedrules.RuleName{wafmanagedrules.AmazonIpReputationList_AWSManagedIPDDoSList}},
		{Group: wafmanagedrules.SQLi, CountMode: true, Priority: new(500)},
		{Group: wafmanagedrules.BotControl, CountMode: true, ScopeDown: wafacl.And{Statements: []wafacl.Statement{
			wafacl.Not{Statement: wafacl.GeoMatch{CountryCodes: []string{"DE"}}},
			// A Log4Shell probe: "${" must reach WAF literally, not as a
			// Terraform template sequence.
			wafacl.Not{Statement: wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("User-Agent"), PositionalConstraint: "CONTAINS", SearchString: log4Shell}},
		}}},
	}
	// '.' is a valid log group character but not a KMS alias one.
	c.Logging = wafacl.Logging{LogGroupName: "aws-waf-logs-webapp.full", OnlyBlockedAndCounted: true, RetentionInDays: new(90), ExtraRedactedHeaders: []string{"X-Api-Key"}}
	return c
}

const log4Shell = "${jndi:ldap"

// checkFullPlan checks the full-featured ACL in allStack and its plan.
func checkFullPlan(t *testing.T, s stacktest.Stack, plan *stacktest.Plan) {
	a := all.waf
	acl := s.Resource(t, "aws_wafv2_web_acl", "waf/web_acl")
	byName := rulesByName(t, acl)

	var prios []string
	for _, r := range a.Rules {
		prios = append(prios, fmt.Sprintf("%s=%d", r.Name, r.Priority))
	}
	assert.Equal(t, []string{"BlockedAddresses=10", "AllowedAddresses=20", "BlockedCountries=30", "RateLimitPerIp=40",
		"AWSManagedRulesCommonRuleSet=100", "AWSManagedRulesKnownBadInputsRuleSet=110", "AWSManagedRulesAmazonIpReputationList=120",
		"AWSManagedRulesBotControlRuleSet=140", "AWSManagedRulesSQLiRuleSet=500"}, prios)

	// IP sets: split by version, the variable appended at plan time.
	v4 := s.Resource(t, "aws_wafv2_ip_set", "waf/blocked_ipv4")
	assert.Equal(t, "IPV4", v4.Get("ip_address_version").String())
	assert.Equal(t, "REGIONAL", v4.Get("scope").String())
	assert.Equal(t, `${concat(["203.0.113.0/24"], [for c in var.waf_blocked_addresses : c if !strcontains(c, ":")])}`, v4.Get("addresses").String())
	v6 := s.Resource(t, "aws_wafv2_ip_set", "waf/blocked_ipv6")
	assert.Equal(t, "IPV6", v6.Get("ip_address_version").String())
	assert.Equal(t, `${concat(["2001:db8::/32"], [for c in var.waf_blocked_addresses : c if strcontains(c, ":")])}`, v6.Get("addresses").String())
	assert.Equal(t, []any{"198.51.100.10/32"}, s.Resource(t, "aws_wafv2_ip_set", "waf/allowed_ipv4").Get("addresses").Value())
	assert.Equal(t, []any{"2001:db8:1::/48"}, s.Resource(t, "aws_wafv2_ip_set", "waf/allowed_ipv6").Get("addresses").Value())
	variable := s.Get("variable.waf_blocked_addresses")
	assert.Equal(t, "list(string)", variable.Get("type").String())
	assert.Equal(t, "[]", strings.Join(strings.Fields(variable.Get("default").Raw), ""))
	assert.Equal(t, "${alltrue([for c in var.waf_blocked_addresses : try(cidrsubnet(c, 0, 0) == c, false)])}", variable.Get("validation.0.condition").String())
	assert.Len(t, variable.Get("validation").Array(), 4, "canonical CIDR, no /0, no duplicates, at most 10,000 per version")

	assert.JSONEq(t, fmt.Sprintf(`{"or_statement":{"statement":[{"ip_set_reference_statement":{"arn":%q}},{"ip_set_reference_statement":{"arn":%q}}]}}`,
		ref(t, s, "aws_wafv2_ip_set", "waf/blocked_ipv4", "arn"), ref(t, s, "aws_wafv2_ip_set", "waf/blocked_ipv6", "arn")), byName["BlockedAddresses"].Get("statement").Raw)
	assert.JSONEq(t, `{"block":{}}`, byName["BlockedAddresses"].Get("action").Raw)
	assert.JSONEq(t, fmt.Sprintf(`{"or_statement":{"statement":[{"ip_set_reference_statement":{"arn":%q}},{"ip_set_reference_statement":{"arn":%q}}]}}`,
		ref(t, s, "aws_wafv2_ip_set", "waf/allowed_ipv4", "arn"), ref(t, s, "aws_wafv2_ip_set", "waf/allowed_ipv6", "arn")), byName["AllowedAddresses"].Get("statement").Raw)
	assert.JSONEq(t, `{"allow":{}}`, byName["AllowedAddresses"].Get("action").Raw)
	assert.JSONEq(t, `{"geo_match_statement":{"country_codes":["KP","IR"]}}`, byName["BlockedCountries"].Get("statement").Raw)
	assert.JSONEq(t, `{"block":{}}`, byName["BlockedCountries"].Get("action").Raw)
	assert.JSONEq(t, `{"rate_based_statement":{"aggregate_key_type":"IP","evaluation_window_sec":60,"limit":100}}`, byName["RateLimitPerIp"].Get("statement").Raw)

	common := byName["AWSManagedRulesCommonRuleSet"]
	assert.JSONEq(t, `{"none":{}}`, common.Get("override_action").Raw)
	assert.JSONEq(t, `{"managed_rule_group_statement":{
		"name":"AWSManagedRulesCommonRuleSet","vendor_name":"AWS","version":"Version_1.10",
		"rule_action_override":[
			{"action_to_use":{"count":{}},"name":"SizeRestrictions_BODY"},
			{"action_to_use":{"count":{}},"name":"NoUserAgent_HEADER"}],
		"scope_down_statement":{"and_statement":{"statement":[
			{"not_statement":{"statement":{"byte_match_statement":{"field_to_match":{"uri_path":{}},"positional_constraint":"STARTS_WITH","search_string":"/upload","text_transformation":[{"priority":0,"type":"LOWERCASE"}]}}}},
			{"not_statement":{"statement":{"label_match_statement":{"key":"awswaf:managed:aws:bot-control:bot:verified","scope":"LABEL"}}}}]}}}}`,
		common.Get("statement").Raw)
	assert.JSONEq(t, `{"count":{}}`, byName["AWSManagedRulesSQLiRuleSet"].Get("override_action").Raw, "whole group in count mode")
	bot := byName["AWSManagedRulesBotControlRuleSet"]
	assert.JSONEq(t, `{"count":{}}`, bot.Get("override_action").Raw)
	assert.JSONEq(t, `[{"aws_managed_rules_bot_control_rule_set":{"inspection_level":"COMMON"}}]`, bot.Get("statement.managed_rule_group_statement.managed_rule_group_configs").Raw)
	assert.JSONEq(t, `{"and_statement":{"statement":[
			{"not_statement":{"statement":{"geo_match_statement":{"country_codes":["DE"]}}}},
			{"not_statement":{"statement":{"byte_match_statement":{"field_to_match":{"single_header":{"name":"user-agent"}},"positional_constraint":"CONTAINS","search_string":"$${jndi:ldap","text_transformation":[{"priority":0,"type":"NONE"}]}}}}]}}`,
		bot.Get("statement.managed_rule_group_statement.scope_down_statement").Raw, "the search string is escaped for Terraform")
	assert.Equal(t, 2+2+1+2+(700+2+10+1)+200+25+(50+1+10)+200, a.Capacity)

	lc := s.Resource(t, "aws_wafv2_web_acl_logging_configuration", "waf/logging")
	assert.JSONEq(t, `{"default_behavior":"DROP","filter":[{"behavior":"KEEP","condition":[{"action_condition":{"action":"BLOCK"}},{"action_condition":{"action":"COUNT"}}],"requirement":"MEETS_ANY"}]}`, lc.Get("logging_filter").Raw)
	assert.JSONEq(t, `[{"single_header":{"name":"authorization"}},{"single_header":{"name":"cookie"}},{"single_header":{"name":"x-api-key"}}]`, lc.Get("redacted_fields").Raw)
	assert.Equal(t, int64(90), s.Resource(t, "aws_cloudwatch_log_group", "waf/log_group").Get("retention_in_days").Int())
	assert.Equal(t, "aws-waf-logs-webapp.full", s.Resource(t, "aws_cloudwatch_log_group", "waf/log_group").Get("name").String())
	assert.Equal(t, "alias/aws-waf-logs-webapp-full", s.Resource(t, "aws_kms_alias", "waf/log_key_alias").Get("name").String(), "'.' is replaced in the alias")

	// Snapshot of the whole stack.
	stacktest.Snapshot(t, s)

	// Terraform validate + plan: the provider checks the statement maps.
	created := plan.Addresses(tfjson.ActionCreate)
	for _, want := range []struct{ typ, path string }{
		{"aws_wafv2_web_acl", "waf/web_acl"},
		{"aws_wafv2_web_acl_association", "waf/association"},
		{"aws_wafv2_web_acl_logging_configuration", "waf/logging"},
		{"aws_wafv2_ip_set", "waf/blocked_ipv4"},
		{"aws_wafv2_ip_set", "waf/blocked_ipv6"},
		{"aws_wafv2_ip_set", "waf/allowed_ipv4"},
		{"aws_wafv2_ip_set", "waf/allowed_ipv6"},
		{"aws_cloudwatch_log_group", "waf/log_group"},
		{"aws_kms_key", "waf/log_key"},
	} {
		assert.Contains(t, created, s.Ref(t, want.typ, want.path))
	}
	aclChange := plan.Change(s.Ref(t, "aws_wafv2_web_acl", "waf/web_acl"))
	require.NotNil(t, aclChange)
	after := aclChange.Change.After.(map[string]any)
	assert.Len(t, after["rule"], len(a.Rules))
	afterJSON, err := json.Marshal(after["rule"])
	require.NoError(t, err)
	assert.Contains(t, string(afterJSON), `"search_string":"${jndi:ldap"`, "Terraform reads the escaped search string as the literal Log4Shell probe")
	assert.NotContains(t, string(afterJSON), `$${`)
	v4Change := plan.Change(s.Ref(t, "aws_wafv2_ip_set", "waf/blocked_ipv4"))
	require.NotNil(t, v4Change)
	assert.Equal(t, []any{"203.0.113.0/24"}, v4Change.Change.After.(map[string]any)["addresses"], "the variable's default [] adds nothing")
}
