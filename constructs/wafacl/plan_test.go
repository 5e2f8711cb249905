package wafacl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// The ARNs of resources the test stack does not create (the plan does not
// look them up).
var (
	secondAlbArn   = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/shared-2/fedcba9876543210", testRegion, testAccount)
	apiStageArn    = fmt.Sprintf("arn:aws:apigateway:%s::/restapis/a1b2c3d4e5/stages/prod", testRegion)
	userPoolArn    = fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s_AbCdEf123", testRegion, testAccount, testRegion)
	appSyncArn     = fmt.Sprintf("arn:aws:appsync:%s:%s:apis/abcdefghijklmnopqrstuvwxyz", testRegion, testAccount)
	partnerSetArn  = fmt.Sprintf("arn:aws:wafv2:%s:%s:regional/ipset/partners/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a", testRegion, testAccount)
	patternSetArn  = fmt.Sprintf("arn:aws:wafv2:%s:%s:regional/regexpatternset/probes/1c7d9b5f-2e3a-4d4c-8b9f-8e7a6f5d4c3b", testRegion, testAccount)
	firehoseArn    = fmt.Sprintf("arn:aws:firehose:%s:%s:deliverystream/aws-waf-logs-byo", testRegion, testAccount)
	cdnLogGroupArn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:aws-waf-logs-cdn", wafacl.CloudfrontRegion, testAccount)
)

const (
	forbiddenBody = `{"error":"forbidden","hint":"${not-a-template}"}`
	teapotBody    = "<h1>%{teapot}</h1>"
)

// edgeConfig is a web ACL in front of a shared ALB, an API stage and a user
// pool, with custom rules of every statement kind, custom responses, a team
// key for its logs and a zero priority.
func edgeConfig(office *wafacl.IPSet, key *securekey.SecureKey) *wafacl.WafAclConfig {
	return &wafacl.WafAclConfig{
		Name:         "edge",
		AccountId:    testAccount,
		Region:       testRegion,
		Tags:         map[string]string{"Team": "edge"},
		ResourceArn:  albArn,
		ResourceArns: []string{secondAlbArn, apiStageArn, userPoolArn},
		ManagedRuleGroups: []wafacl.ManagedRuleGroup{
			{Group: wafmanagedrules.KnownBadInputs, Priority: new(5)},
		},
		CustomResponseBodies: map[string]wafacl.CustomResponseBody{
			"forbidden-json": {ContentType: wafacl.ContentTypeApplicationJSON, Content: forbiddenBody},
			"teapot":         {ContentType: wafacl.ContentTypeTextHTML, Content: teapotBody},
		},
		CustomRules: []wafacl.Rule{
			{Name: "AllowHealthChecks", Priority: new(0), Action: wafacl.ActionAllow,
				Statement: wafacl.And{Statements: []wafacl.Statement{
					wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "EXACTLY", SearchString: "/healthz"},
					wafacl.ByteMatch{FieldToMatch: wafacl.Method(), PositionalConstraint: "EXACTLY", SearchString: "GET"},
				}},
				InsertHeaders: map[string]string{"health": "yes", "bypass": "waf"}},
			{Name: "BlockAdminOutsideOffice", Action: wafacl.ActionBlock,
				Statement: wafacl.And{Statements: []wafacl.Statement{
					wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/admin", TextTransformations: wafacl.Transform("URL_DECODE", "LOWERCASE")},
					wafacl.Not{Statement: wafacl.IPSetReference{IPSet: office}},
				}},
				CustomResponse: &wafacl.CustomResponse{ResponseCode: 403, BodyKey: "forbidden-json", Headers: map[string]string{"reason": "admin"}}},
			{Name: "RegexProbes", Action: wafacl.ActionBlock,
				Statement: wafacl.Or{Statements: []wafacl.Statement{
					wafacl.RegexMatch{FieldToMatch: wafacl.SingleQueryArgument("q"), RegexString: `(?i)union\s+select`},
					wafacl.RegexPatternSetReference{Arn: patternSetArn, FieldToMatch: wafacl.AllQueryArguments()},
				}},
				CustomResponse: &wafacl.CustomResponse{ResponseCode: 418, BodyKey: "teapot"}},
			{Name: "OversizeBody", Action: wafacl.ActionBlock,
				Statement: wafacl.SizeConstraint{FieldToMatch: wafacl.Body("MATCH"), ComparisonOperator: "GT", Size: 8192}},
			{Name: "EmptyUserAgent", Action: wafacl.ActionCount,
				Statement: wafacl.SizeConstraint{FieldToMatch: wafacl.SingleHeader("User-Agent"), ComparisonOperator: "EQ", Size: 0}},
			{Name: "SqliJson", Action: wafacl.ActionBlock,
				Statement: wafacl.SqliMatch{FieldToMatch: wafacl.JSONBody("VALUE", "/query", "/filter~1op"), SensitivityLevel: "HIGH", TextTransformations: wafacl.Transform("URL_DECODE")}},
			{Name: "XssHeaders", Action: wafacl.ActionCount, Labels: []string{"xss:header", "suspicious"},
				Statement: wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldHeaders, MatchScope: "VALUE", OversizeHandling: "NO_MATCH", Included: []string{"referer", "user-agent"}}}},
			{Name: "XssCookies", Action: wafacl.ActionCount,
				Statement: wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldCookies, MatchScope: "ALL", OversizeHandling: "CONTINUE", Excluded: []string{"session"}}}},
			{Name: "ChallengeLabelled", Action: wafacl.ActionChallenge, ImmunityTimeSeconds: new(600),
				Statement: wafacl.LabelMatch{Key: "xss:header"}},
			{Name: "CaptchaForwardedGeo", Action: wafacl.ActionCaptcha, ImmunityTimeSeconds: new(300), InsertHeaders: map[string]string{"geo": "checked"},
				Statement: wafacl.GeoMatch{CountryCodes: []string{"RU", "BY"}, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "NO_MATCH"}}},
			{Name: "ApiKeyRate", Action: wafacl.ActionBlock, CustomResponse: &wafacl.CustomResponse{ResponseCode: 429, BodyKey: wafacl.RateLimitedBodyKey},
				Statement: wafacl.RateBased{Limit: 100, EvaluationWindowSeconds: new(60),
					Keys:      []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "x-api-key", wafacl.Transform("LOWERCASE")...), wafacl.RateKeyOf(wafacl.RateKeyIP, "")},
					ScopeDown: wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/api/"}}},
			{Name: "ForwardedRate", Action: wafacl.ActionBlock,
				Statement: wafacl.RateBased{Limit: 500, AggregateKeyType: wafacl.AggregateForwardedIP, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "MATCH"}}},
			{Name: "SessionRate", Action: wafacl.ActionCount,
				Statement: wafacl.RateBased{Limit: 1000, Keys: []wafacl.RateKey{
					wafacl.RateKeyOf(wafacl.RateKeyLabelNamespace, "awswaf:managed:aws:known-bad-inputs:"),
					wafacl.RateKeyOf(wafacl.RateKeyHTTPMethod, ""),
					wafacl.RateKeyOf(wafacl.RateKeyURIPath, "", wafacl.Transform("NORMALIZE_PATH")...),
					wafacl.RateKeyOf(wafacl.RateKeyCookie, "session"),
					wafacl.RateKeyOf(wafacl.RateKeyQueryArgument, "page"),
				}}},
			{Name: "ConstantRate", Action: wafacl.ActionBlock,
				Statement: wafacl.RateBased{Limit: 10000, AggregateKeyType: wafacl.AggregateConstant, ScopeDown: wafacl.GeoMatch{CountryCodes: []string{"CN"}}}},
			{Name: "DeepNesting", Action: wafacl.ActionBlock,
				Statement: wafacl.And{Statements: []wafacl.Statement{
					wafacl.Or{Statements: []wafacl.Statement{
						wafacl.Not{Statement: wafacl.LabelMatch{Scope: "NAMESPACE", Key: "awswaf:managed:aws:known-bad-inputs:"}},
						wafacl.IPSetReference{Arn: partnerSetArn, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: "X-Forwarded-For", FallbackBehavior: "NO_MATCH", Position: "ANY"}},
					}},
					wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("X-Api-Version"), PositionalConstraint: "CONTAINS", SearchString: log4Shell},
				}}},
			{Name: "HeaderOrder", Action: wafacl.ActionCount,
				Statement: wafacl.ByteMatch{FieldToMatch: wafacl.FieldToMatch{Kind: wafacl.FieldHeaderOrder, OversizeHandling: "MATCH"}, PositionalConstraint: "CONTAINS", SearchString: "host:user-agent"}},
		},
		Logging: wafacl.Logging{KmsKey: key, RetentionInDays: new(30)},
	}
}

var all struct {
	stack                    stacktest.Stack
	waf, edge, cdn, byo      *wafacl.WafAcl
	office, cdnOffice, empty *wafacl.IPSet
	key                      *securekey.SecureKey
}

// allStack synthesizes, once per test binary, the stack of every unusual
// configuration: the full-featured ACL, an ACL with custom rules on a shared
// ALB and other resources, a CLOUDFRONT ACL through a provider alias, and
// ACLs that bring their log destination; with IP sets of both scopes.
func allStack(t *testing.T) stacktest.Stack {
	t.Helper()
	if all.waf != nil {
		return all.stack
	}
	all.stack = stacktest.SynthStack(t, "waf-all", func(stack cdktf.TerraformStack) {
		east := addProviders(stack)
		var err error
		all.key, err = securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{AccountId: testAccount, Region: testRegion, Alias: "alias/waf-team"})
		require.NoError(t, err)
		all.office, err = wafacl.NewIPSet(stack, "office", &wafacl.IPSetConfig{AccountId: testAccount, Region: testRegion,
			Addresses: []string{"192.0.2.0/24", "198.51.100.0/25"}, Tags: map[string]string{"Team": "edge"}})
		require.NoError(t, err)
		all.empty, err = wafacl.NewIPSet(stack, "quarantine", &wafacl.IPSetConfig{AccountId: testAccount, Region: testRegion, IPAddressVersion: wafacl.IPV6})
		require.NoError(t, err)
		all.cdnOffice, err = wafacl.NewIPSet(stack, "cdn_office", &wafacl.IPSetConfig{Scope: wafacl.ScopeCloudfront, Provider: east, AccountId: testAccount,
			Addresses: []string{"2001:db8:beef::/48"}})
		require.NoError(t, err)

		all.waf, err = wafacl.NewWafAcl(stack, "waf", fullConfig())
		require.NoError(t, err)
		all.edge, err = wafacl.NewWafAcl(stack, "edge", edgeConfig(all.office, all.key))
		require.NoError(t, err)
		all.cdn, err = wafacl.NewWafAcl(stack, "cdn", &wafacl.WafAclConfig{
			Scope: wafacl.ScopeCloudfront, Provider: east, AccountId: testAccount,
			NoManagedRuleGroups: true,
			RateLimit:           wafacl.RateLimit{Priority: new(0), Limit: new(wafacl.MinRateLimit), EvaluationWindowSeconds: new(600)},
			BlockedAddresses:    []string{"2001:db8:dead::/48"},
			CustomRules: []wafacl.Rule{{Name: "AllowOffice", Action: wafacl.ActionAllow,
				Statement: wafacl.IPSetReference{IPSet: all.cdnOffice}}},
			Logging: wafacl.Logging{DestinationArn: cdnLogGroupArn},
		})
		require.NoError(t, err)
		all.byo, err = wafacl.NewWafAcl(stack, "byo", &wafacl.WafAclConfig{
			AccountId: testAccount, Region: testRegion, ResourceArns: []string{appSyncArn},
			ManagedRuleGroups: []wafacl.ManagedRuleGroup{{Group: wafmanagedrules.AmazonIpReputationList, Priority: new(0)}},
			RateLimit:         wafacl.RateLimit{Disabled: true},
			CustomRules: []wafacl.Rule{{Name: "QuarantineCount", Action: wafacl.ActionCount, Labels: []string{"quarantine"},
				Statement: wafacl.IPSetReference{IPSet: all.empty}}},
			Logging: wafacl.Logging{DestinationArn: firehoseArn},
		})
		require.NoError(t, err)
	})
	return all.stack
}

func after(t *testing.T, plan *stacktest.Plan, s stacktest.Stack, typ, path string) map[string]any {
	t.Helper()
	c := plan.Change(s.Ref(t, typ, path))
	require.NotNil(t, c, "%s %s is planned", typ, path)
	return c.Change.After.(map[string]any)
}

func planRules(t *testing.T, plan *stacktest.Plan, s stacktest.Stack, path string) map[string]gjson.Result {
	t.Helper()
	b, err := json.Marshal(after(t, plan, s, "aws_wafv2_web_acl", path)["rule"])
	require.NoError(t, err)
	out := map[string]gjson.Result{}
	for _, r := range gjson.ParseBytes(b).Array() {
		out[r.Get("name").String()] = r
	}
	return out
}

// TestPlan plans allStack once (one terraform init and plan, which validates, for
// every unusual configuration) and checks the plan; the block-list
// variable's validations are planned in the same Terraform run, on a subset
// of the stack (see blockListSubset).
func TestPlan(t *testing.T) {
	s := allStack(t)
	sub := blockListSubset(t, s)
	good := sub.WithVars(map[string]any{fullConfig().BlockedAddressesVariable: goodBlockedAddresses})
	stacktest.NewTerraform(t) // skips or fails here when terraform is missing
	bad := make(chan badPlan, 1)
	go func() { bad <- planBadBlockedAddresses(sub) }() // in other processes, alongside the main plan
	plans := stacktest.PlanStacks(t, s, good)
	t.Run("full", func(t *testing.T) { checkFullPlan(t, s, plans[0]) })
	t.Run("unusual", func(t *testing.T) { checkUnusualPlan(t, s, plans[0]) })
	t.Run("variable", func(t *testing.T) { checkVariablePlans(t, s, plans[1], <-bad) })
}

// badPlan is the outcome of planBadBlockedAddresses: the plan's error
// (expected), or an error setting it up.
type badPlan struct{ planErr, setupErr error }

// planBadBlockedAddresses plans sub (blockListSubset) with every kind of
// bad block-list value at once: /0, host bits, a block of the static list,
// and more than 10,000 blocks; a var file, since 10,000 blocks are longer
// than a command-line argument may be.
func planBadBlockedAddresses(sub stacktest.Stack) badPlan {
	bad := []string{"0.0.0.0/0", "198.51.100.7/24", fullConfig().BlockedAddresses[0]}
	for i := 0; len(bad) < wafacl.MaxIPSetAddresses+3; i++ {
		bad = append(bad, fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
	}
	tf, err := stacktest.NewTerraformE()
	if err != nil {
		return badPlan{setupErr: err}
	}
	w, err := tf.OfflineWorkdirE(sub)
	if err != nil {
		return badPlan{setupErr: err}
	}
	b, err := json.Marshal(map[string]any{fullConfig().BlockedAddressesVariable: bad})
	if err != nil {
		return badPlan{setupErr: err}
	}
	file := filepath.Join(w.Dir, "bad.tfvars.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return badPlan{setupErr: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := w.InitE(ctx); err != nil {
		return badPlan{setupErr: err}
	}
	_, err = w.TF.Plan(ctx, tfexec.VarFile(file))
	return badPlan{planErr: err}
}

// checkUnusualPlan: every unusual configuration synthesizes and passes
// terraform validate and plan with the real provider, and the plan holds
// what the configs asked for.
func checkUnusualPlan(t *testing.T, s stacktest.Stack, plan *stacktest.Plan) {

	// The shared ALB, a second ALB, an API stage and a user pool: one
	// association each, all to the same web ACL.
	edgeArn := "${" + s.Ref(t, "aws_wafv2_web_acl", "edge/web_acl") + ".arn}"
	for i, arn := range []string{albArn, secondAlbArn, apiStageArn, userPoolArn} {
		path := "edge/association"
		if i > 0 {
			path = fmt.Sprintf("edge/association_%d", i)
		}
		assoc := s.Resource(t, "aws_wafv2_web_acl_association", path)
		assert.Equal(t, arn, assoc.Get("resource_arn").String())
		assert.Equal(t, edgeArn, assoc.Get("web_acl_arn").String())
		assert.Equal(t, arn, after(t, plan, s, "aws_wafv2_web_acl_association", path)["resource_arn"])
	}
	assert.Len(t, all.edge.Associations, 4)
	assert.Equal(t, all.edge.Associations[0], all.edge.Association)

	rules := planRules(t, plan, s, "edge/web_acl")
	require.Len(t, rules, 2+len(edgeConfig(all.office, all.key).CustomRules), "rate limit, one managed group and every custom rule")
	// Priority 0 reaches the plan; automatic priorities follow the index.
	assert.Equal(t, int64(0), rules["AllowHealthChecks"].Get("priority").Int())
	assert.Equal(t, int64(wafacl.CustomRuleBasePriority+1), rules["BlockAdminOutsideOffice"].Get("priority").Int())
	assert.Equal(t, int64(5), rules[wafmanagedrules.KnownBadInputs.Name].Get("priority").Int())
	assert.JSONEq(t, `[{"name":"bypass","value":"waf"},{"name":"health","value":"yes"}]`, rules["AllowHealthChecks"].Get("action.0.allow.0.custom_request_handling.0.insert_header").Raw)
	block := rules["BlockAdminOutsideOffice"]
	assert.Equal(t, "forbidden-json", block.Get("action.0.block.0.custom_response.0.custom_response_body_key").String())
	assert.Equal(t, int64(403), block.Get("action.0.block.0.custom_response.0.response_code").Int())
	assert.Equal(t, "${"+s.Ref(t, "aws_wafv2_ip_set", "office/ip_set")+".arn}",
		s.Resource(t, "aws_wafv2_web_acl", "edge/web_acl").Get(`rule.#(name=="BlockAdminOutsideOffice").statement.and_statement.statement.1.not_statement.statement.ip_set_reference_statement.arn`).String(),
		"an IP set of NewIPSet is referenced by its ARN")
	assert.Equal(t, "x-api-key", rules["ApiKeyRate"].Get("statement.0.rate_based_statement.0.custom_key.0.header.0.name").String())
	assert.Equal(t, "CUSTOM_KEYS", rules["ApiKeyRate"].Get("statement.0.rate_based_statement.0.aggregate_key_type").String())
	assert.Equal(t, int64(60), rules["ApiKeyRate"].Get("statement.0.rate_based_statement.0.evaluation_window_sec").Int())
	assert.Equal(t, "CONSTANT", rules["ConstantRate"].Get("statement.0.rate_based_statement.0.aggregate_key_type").String())
	assert.Equal(t, "ANY", rules["DeepNesting"].Get("statement.0.and_statement.0.statement.0.or_statement.0.statement.1.ip_set_reference_statement.0.ip_set_forwarded_ip_config.0.position").String())
	assert.Equal(t, log4Shell, rules["DeepNesting"].Get("statement.0.and_statement.0.statement.1.byte_match_statement.0.search_string").String(), "the search string reaches WAF as typed")
	assert.Equal(t, int64(0), rules["EmptyUserAgent"].Get("statement.0.size_constraint_statement.0.size").Int(), "size 0 is a value")
	assert.Equal(t, int64(600), rules["ChallengeLabelled"].Get("challenge_config.0.immunity_time_property.0.immunity_time").Int())
	assert.ElementsMatch(t, []any{"xss:header", "suspicious"}, gjson.Get(rules["XssHeaders"].Get("rule_label.#.name").Raw, "@this").Value())

	acl := after(t, plan, s, "aws_wafv2_web_acl", "edge/web_acl")
	bodies, err := json.Marshal(acl["custom_response_body"])
	require.NoError(t, err)
	assert.Contains(t, string(bodies), `"content":`+mustJSON(t, forbiddenBody), "\"${\" in a body reaches WAF literally")
	assert.Contains(t, string(bodies), `"content":`+mustJSON(t, teapotBody))
	assert.Contains(t, string(bodies), `"key":"rate-limited"`)

	// The team key holds the statement CloudWatch Logs needs; no key is
	// created for the edge ACL's logs.
	assert.Nil(t, all.edge.LogKey)
	policy := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "team_key"), "policy")
	assert.Equal(t, "logs."+testRegion+".amazonaws.com", policy.Get(`Statement.#(Sid=="AllowCloudWatchLogsWafedge").Principal.Service`).String())
	assert.Equal(t, "${"+s.Ref(t, "aws_kms_key", "team_key")+".arn}", s.Resource(t, "aws_cloudwatch_log_group", "edge/log_group").Get("kms_key_id").String())
	assert.Equal(t, float64(30), after(t, plan, s, "aws_cloudwatch_log_group", "edge/log_group")["retention_in_days"])

	// CLOUDFRONT through the us-east-1 alias, with a zero priority.
	cdn := s.Resource(t, "aws_wafv2_web_acl", "cdn/web_acl")
	assert.Equal(t, "CLOUDFRONT", cdn.Get("scope").String())
	assert.Equal(t, "aws.us_east_1", cdn.Get("provider").String())
	assert.Equal(t, "aws.us_east_1", s.Resource(t, "aws_wafv2_ip_set", "cdn/blocked_ipv6").Get("provider").String())
	assert.Equal(t, "CLOUDFRONT", s.Resource(t, "aws_wafv2_ip_set", "cdn_office/ip_set").Get("scope").String())
	cdnRules := planRules(t, plan, s, "cdn/web_acl")
	assert.Equal(t, int64(0), cdnRules[wafacl.RuleRateLimit].Get("priority").Int())
	assert.Equal(t, int64(wafacl.MinRateLimit), cdnRules[wafacl.RuleRateLimit].Get("statement.0.rate_based_statement.0.limit").Int())
	assert.Empty(t, s.Resources("aws_wafv2_web_acl_association")[s.Ref(t, "aws_wafv2_web_acl", "cdn/web_acl")], "a distribution names its web ACL itself")
	assert.Nil(t, all.cdn.LogGroup)
	assert.Equal(t, []any{cdnLogGroupArn}, after(t, plan, s, "aws_wafv2_web_acl_logging_configuration", "cdn/logging")["log_destination_configs"])

	// Bring-your-own destination: no log group, no key.
	assert.Equal(t, []any{firehoseArn}, after(t, plan, s, "aws_wafv2_web_acl_logging_configuration", "byo/logging")["log_destination_configs"])
	assert.Nil(t, all.byo.LogKey)
	assert.Equal(t, firehoseArn, all.byo.LogDestinationArn)
	byoRules := planRules(t, plan, s, "byo/web_acl")
	assert.Equal(t, int64(0), byoRules[wafmanagedrules.AmazonIpReputationList.Name].Get("priority").Int())
	assert.NotContains(t, byoRules, wafacl.RuleRateLimit)
	assert.Equal(t, "IPV6", after(t, plan, s, "aws_wafv2_ip_set", "quarantine/ip_set")["ip_address_version"])
	assert.Empty(t, after(t, plan, s, "aws_wafv2_ip_set", "quarantine/ip_set")["addresses"], "an empty IP set of an explicit version")

	// Tags on every taggable resource of the edge ACL.
	for _, typ := range []string{"aws_wafv2_web_acl", "aws_cloudwatch_log_group"} {
		assert.Equal(t, "edge", s.Resource(t, typ, "edge/"+map[string]string{"aws_wafv2_web_acl": "web_acl", "aws_cloudwatch_log_group": "log_group"}[typ]).Get("tags.Team").String())
	}
	assert.Equal(t, "edge", s.Resource(t, "aws_wafv2_ip_set", "office/ip_set").Get("tags.Team").String())
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// goodBlockedAddresses are block-list variable values that pass its
// validations.
var goodBlockedAddresses = []string{"198.51.100.7/32", "2001:db8:cafe::/48"}

// blockListSubset is the part of allStack that plans the block-list IP
// sets: the IP sets and what they refer to (the variable with its
// validation blocks, the provider). `plan -target` would evaluate every web
// ACL of the stack again first.
func blockListSubset(t *testing.T, s stacktest.Stack) stacktest.Stack {
	t.Helper()
	name := fullConfig().BlockedAddressesVariable
	sub := s.Subset(t, s.Ref(t, "aws_wafv2_ip_set", "waf/blocked_ipv4"), s.Ref(t, "aws_wafv2_ip_set", "waf/blocked_ipv6"))
	require.JSONEq(t, s.Variable(t, name).Raw, sub.Variable(t, name).Raw, "the subset plans the stack's own variable")
	require.Len(t, sub.Get("resource.aws_wafv2_ip_set").Map(), 2)
	require.False(t, sub.Get("resource.aws_wafv2_web_acl").Exists())
	return sub
}

// checkVariablePlans: the block-list variable's validation blocks apply
// the IP set rules at plan time, with a real `terraform plan`: good values
// (the plan good of the subset, given them as WithVars) reach the IP sets;
// /0, host bits, duplicates and more than 10,000 blocks fail the plan (bad,
// with a var file) with their messages.
func checkVariablePlans(t *testing.T, s stacktest.Stack, good *stacktest.Plan, bad badPlan) {
	v4 := after(t, good, s, "aws_wafv2_ip_set", "waf/blocked_ipv4")["addresses"]
	assert.ElementsMatch(t, []any{fullConfig().BlockedAddresses[0], goodBlockedAddresses[0]}, v4)
	assert.ElementsMatch(t, []any{fullConfig().BlockedAddresses[1], goodBlockedAddresses[1]}, after(t, good, s, "aws_wafv2_ip_set", "waf/blocked_ipv6")["addresses"])

	require.NoError(t, bad.setupErr)
	require.Error(t, bad.planErr)
	msg := strings.Join(strings.Fields(bad.planErr.Error()), " ")
	for _, want := range []string{
		"Each value must be an IPv4 or IPv6 CIDR block in canonical form",
		"A /0 block cannot be blocked",
		"not again if the web ACL's static block list has it",
		fmt.Sprintf("may add at most %d IPv4", wafacl.MaxIPSetAddresses-1),
	} {
		assert.Contains(t, msg, want)
	}
}
