package wafacl_test

import (
	"errors"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// heavyScopeDown costs 70 * (10 + 5*10) = 4200 WCUs.
func heavyScopeDown() wafacl.Statement {
	var stmts []wafacl.Statement
	for i := 0; i < 70; i++ {
		var tts []wafacl.TextTransformation
		for p, typ := range []string{"LOWERCASE", "URL_DECODE", "HTML_ENTITY_DECODE", "COMPRESS_WHITE_SPACE", "CMD_LINE"} {
			tts = append(tts, wafacl.TextTransformation{Priority: p, Type: typ})
		}
		stmts = append(stmts, wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "CONTAINS", SearchString: "x", TextTransformations: tts})
	}
	return wafacl.Or{Statements: stmts}
}

func withGroups(groups ...wafacl.ManagedRuleGroup) func(*wafacl.WafAclConfig) {
	return func(c *wafacl.WafAclConfig) { c.ManagedRuleGroups = groups }
}

// TestInvalidConfig has one subtest per validation rule. Each checks the
// field and rule of the problem and that nothing was created.
func TestInvalidConfig(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("invalid"))
	defaults := wafacl.DefaultManagedRuleGroups()
	over1500 := append(wafacl.DefaultManagedRuleGroups(), wafacl.ManagedRuleGroup{Group: wafmanagedrules.Linux},
		wafacl.ManagedRuleGroup{Group: wafmanagedrules.Unix}, wafacl.ManagedRuleGroup{Group: wafmanagedrules.AdminProtection})

	for _, tc := range []struct {
		name   string
		mutate func(*wafacl.WafAclConfig)
		field  string
		rule   string
	}{
		{"name", func(c *wafacl.WafAclConfig) { c.Name = "web acl" }, "Name", "1-128 letters"},
		{"description", func(c *wafacl.WafAclConfig) { c.Description = "web ACL (prod)!" }, "Description", "1-256 characters"},
		{"account id", func(c *wafacl.WafAclConfig) { c.AccountId = "1234" }, "AccountId", "12-digit"},
		{"region", func(c *wafacl.WafAclConfig) { c.Region = "useast1" }, "Region", "region the AWS provider knows"},
		{"scope unknown", func(c *wafacl.WafAclConfig) { c.Scope = "GLOBAL" }, "Scope", `"REGIONAL" or "CLOUDFRONT"`},
		{"cloudfront outside us-east-1", func(c *wafacl.WafAclConfig) {
			c.Scope, c.Region, c.ResourceArn = wafacl.ScopeCloudfront, "eu-west-1", ""
		}, "Scope", "CLOUDFRONT is only available in us-east-1"},
		{"cloudfront with alb association", func(c *wafacl.WafAclConfig) { c.Scope = wafacl.ScopeCloudfront }, "ResourceArn", "web_acl_id"},
		{"resource arn not an alb", func(c *wafacl.WafAclConfig) {
			c.ResourceArn = "arn:aws:elasticloadbalancing:" + testRegion + ":" + testAccount + ":loadbalancer/net/web/0123456789abcdef"
		}, "ResourceArn", "must be the ARN of a Application Load Balancer"},
		{"resource arn other region", func(c *wafacl.WafAclConfig) {
			c.ResourceArn = "arn:aws:elasticloadbalancing:ap-south-1:" + testAccount + ":loadbalancer/app/web/0123456789abcdef"
		}, "ResourceArn", `must be in region "` + testRegion + `" (Region)`},
		{"no groups and groups", func(c *wafacl.WafAclConfig) { c.NoManagedRuleGroups, c.ManagedRuleGroups = true, defaults }, "NoManagedRuleGroups", "contradicts"},
		{"rate limit below 10", func(c *wafacl.WafAclConfig) { c.RateLimit.Limit = new(9) }, "RateLimit.Limit", "must be 10-2000000000 requests per window"},
		{"window not allowed", func(c *wafacl.WafAclConfig) { c.RateLimit.EvaluationWindowSeconds = new(30) }, "RateLimit.EvaluationWindowSeconds", "[60 120 300 600]"},
		{"bad cidr in block list", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = []string{"203.0.113.0/24", "203.0.113.1/33"} }, "BlockedAddresses[1]", "CIDR block"},
		{"host bits in block list", func(c *wafacl.WafAclConfig) { c.BlockedAddresses = []string{"203.0.113.7/24"} }, "BlockedAddresses[0]", "203.0.113.0"},
		{"bad cidr in allow list", func(c *wafacl.WafAclConfig) { c.AllowedAddresses = []string{"2001:db8::zz/64"} }, "AllowedAddresses[0]", "CIDR block"},
		{"duplicate cidr", func(c *wafacl.WafAclConfig) { c.AllowedAddresses = []string{"198.51.100.0/24", "198.51.100.0/24"} }, "AllowedAddresses[1]", "twice"},
		{"variable name", func(c *wafacl.WafAclConfig) { c.BlockedAddressesVariable = "1-blocked" }, "BlockedAddressesVariable", "Terraform identifier"},
		{"country code", func(c *wafacl.WafAclConfig) { c.BlockedCountryCodes = []string{"North Korea"} }, "BlockedCountryCodes(GeoMatch).CountryCodes[0]", "ISO 3166-1"},
		{"group missing", withGroups(wafacl.ManagedRuleGroup{CountMode: true}), "ManagedRuleGroups[0].Group", "is required"},
		{"version on unversioned group", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.AmazonIpReputationList, Version: "Version_1.0"}), "ManagedRuleGroups[0].Version", "not versioned"},
		{"version format", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, Version: "1.10"}), "ManagedRuleGroups[0].Version", "Version_1.10"},
		{"override of unknown rule", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, CountRules: []wafmanagedrules.RuleName{wafmanagedrules.SQLi_SQLi_BODY}}), "ManagedRuleGroups[0].CountRules[0]", "is not a rule of AWSManagedRulesCommonRuleSet"},
		{"override listed twice", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.SQLi, CountRules: []wafmanagedrules.RuleName{wafmanagedrules.SQLi_SQLi_BODY, wafmanagedrules.SQLi_SQLi_BODY}}), "ManagedRuleGroups[0].CountRules[1]", "twice"},
		{"bad scope-down", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: wafacl.Or{Statements: []wafacl.Statement{wafacl.GeoMatch{CountryCodes: []string{"DE"}}}}}), "ManagedRuleGroups[0].ScopeDown(Or).Statements", "at least two"},
		{"bot control inspection level", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.BotControl, BotControlInspectionLevel: "ALL"}), "ManagedRuleGroups[0].BotControlInspectionLevel", `"COMMON" or "TARGETED"`},
		{"inspection level on other group", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, BotControlInspectionLevel: "COMMON"}), "ManagedRuleGroups[0].BotControlInspectionLevel", "only applies"},
		{"group added twice", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common}, wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common}), "ManagedRuleGroups[1]", "used twice"},
		{"duplicate priority", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, Priority: new(5)}, wafacl.ManagedRuleGroup{Group: wafmanagedrules.SQLi, Priority: new(5)}),
			"ManagedRuleGroups[1].Priority", "priority 5 of rule AWSManagedRulesSQLiRuleSet is already used by rule AWSManagedRulesCommonRuleSet"},
		{"priority collides with automatic one", func(c *wafacl.WafAclConfig) { c.RateLimit.Priority = new(100) }, "ManagedRuleGroups[0].Priority", "already used by rule RateLimitPerIp"},
		{"negative priority", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, Priority: new(-1)}), "ManagedRuleGroups[0].Priority", "must be 0-2147483647"},
		{"over 1500 WCUs without opt-in", withGroups(over1500...), "ManagedRuleGroups",
			"needs 1527 WCUs, more than the 1500 included in the base price; AWS bills every extra 500 WCUs. Remove rule groups or rules, or set AcceptExtraCapacityCost: true. rule costs (WCUs): RateLimitPerIp=2, AWSManagedRulesCommonRuleSet=700, AWSManagedRulesKnownBadInputsRuleSet=200, AWSManagedRulesAmazonIpReputationList=25, AWSManagedRulesSQLiRuleSet=200, AWSManagedRulesLinuxRuleSet=200, AWSManagedRulesUnixRuleSet=100, AWSManagedRulesAdminProtectionRuleSet=100; total 1527"},
		{"over 5000 WCUs with opt-in", func(c *wafacl.WafAclConfig) {
			c.AcceptExtraCapacityCost = true
			c.ManagedRuleGroups = append(wafacl.DefaultManagedRuleGroups(), wafacl.ManagedRuleGroup{Group: wafmanagedrules.Linux, ScopeDown: heavyScopeDown()})
		}, "ManagedRuleGroups",
			"needs 5527 WCUs, more than the AWS maximum of 5000; remove rule groups, rules or scope-down statements. rule costs (WCUs): RateLimitPerIp=2, AWSManagedRulesCommonRuleSet=700, AWSManagedRulesKnownBadInputsRuleSet=200, AWSManagedRulesAmazonIpReputationList=25, AWSManagedRulesSQLiRuleSet=200, AWSManagedRulesLinuxRuleSet=4400; total 5527"},
		{"log group name without prefix", func(c *wafacl.WafAclConfig) { c.Logging.LogGroupName = "/waf/webapp-dev" }, "Logging.LogGroupName", `must start with "aws-waf-logs-"`},
		{"log retention", func(c *wafacl.WafAclConfig) { c.Logging.RetentionInDays = new(42) }, "Logging.RetentionInDays", "retention values"},
		{"log key alias", func(c *wafacl.WafAclConfig) { c.Logging.KmsKeyArn = "alias/waf" }, "Logging.KmsKeyArn", "ARN of a KMS key"},
		{"redacted header", func(c *wafacl.WafAclConfig) { c.Logging.ExtraRedactedHeaders = []string{"x api key"} }, "Logging.ExtraRedactedHeaders[0]", "HTTP header name"},
		{"redacted header with dot", func(c *wafacl.WafAclConfig) { c.Logging.ExtraRedactedHeaders = []string{"x.api-key"} }, "Logging.ExtraRedactedHeaders[0]", "1-40 letters"},
		{"typed nil scope-down", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: (*wafacl.ByteMatch)(nil)}), "ManagedRuleGroups[0].ScopeDown", "must not be nil"},
		{"typed nil and scope-down", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: (*wafacl.And)(nil)}), "ManagedRuleGroups[0].ScopeDown", "must not be nil"},
		{"typed nil in scope-down and", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: wafacl.And{Statements: []wafacl.Statement{(*wafacl.GeoMatch)(nil), wafacl.GeoMatch{CountryCodes: []string{"DE"}}}}}),
			"ManagedRuleGroups[0].ScopeDown(And).Statements[0]", "must not be nil"},
		{"typed nil in scope-down not", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: wafacl.Not{Statement: (*wafacl.LabelMatch)(nil)}}), "ManagedRuleGroups[0].ScopeDown(Not).Statement", "must not be nil"},
		{"header name in scope-down", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, ScopeDown: wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("X.Forwarded"), PositionalConstraint: "EXACTLY", SearchString: "x"}}),
			"ManagedRuleGroups[0].ScopeDown.FieldToMatch.Name", "1-40 letters"},
		{"log group name character the log group cannot hold", func(c *wafacl.WafAclConfig) { c.Logging.LogGroupName = "aws-waf-logs-a@b" }, "Logging.LogGroupName", ". _ / # -"},
		{"reserved metric name All", func(c *wafacl.WafAclConfig) { c.Name = "All" }, "Name", "reserved by AWS WAF"},
		{"reserved metric name Default_Action", func(c *wafacl.WafAclConfig) { c.Name = "default_action" }, "Name", "reserved by AWS WAF"},
		{"reserved variable name", func(c *wafacl.WafAclConfig) { c.BlockedAddressesVariable = "providers" }, "BlockedAddressesVariable", "reserved by Terraform"},
		{"empty managed rule groups", func(c *wafacl.WafAclConfig) { c.ManagedRuleGroups = []wafacl.ManagedRuleGroup{} }, "ManagedRuleGroups", "NoManagedRuleGroups: true"},
		{"rate limit priority over int32", func(c *wafacl.WafAclConfig) { c.RateLimit.Priority = new(1 << 31) }, "RateLimit.Priority", "0-2147483647"},
		{"group priority over int32", withGroups(wafacl.ManagedRuleGroup{Group: wafmanagedrules.Common, Priority: new(1 << 31)}), "ManagedRuleGroups[0].Priority", "0-2147483647"},
		{"unknown country code", func(c *wafacl.WafAclConfig) { c.BlockedCountryCodes = []string{"KP", "XX"} }, "BlockedCountryCodes(GeoMatch).CountryCodes[1]", "AWS WAF knows"},
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

	t.Run("nil config", func(t *testing.T) {
		_, err := wafacl.NewWafAcl(stack, "waf", nil)
		stacktest.RequireProblem(t, err, "config", "is required")
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("nil scope", func(t *testing.T) {
		acl, err := wafacl.NewWafAcl(nil, "waf", baseConfig())
		assert.Nil(t, acl)
		stacktest.RequireProblem(t, err, "scope", "is required")
	})
	t.Run("empty id", func(t *testing.T) {
		cfg := baseConfig()
		cfg.RateLimit.Limit = new(1)
		_, err := wafacl.NewWafAcl(stack, "", cfg)
		stacktest.RequireProblem(t, err, "id", "must start with a letter")
		stacktest.RequireProblem(t, err, "RateLimit.Limit", "must be 10-")
		var ve *validate.Error
		require.True(t, errors.As(err, &ve))
		assert.Len(t, ve.Problems, 2, "the id once, not again as the default Name: %v", err)
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("id already used", func(t *testing.T) {
		other := cdktf.NewTerraformStack(app, jsii.String("taken"))
		constructs.NewConstruct(other, jsii.String("waf"))
		_, err := wafacl.NewWafAcl(other, "waf", baseConfig())
		stacktest.RequireProblem(t, err, "id", "already used")
		assert.Len(t, *other.Node().Children(), 1, "nothing was created")
	})
}

func TestValidConfigs(t *testing.T) {
	t.Run("over 1500 WCUs with opt-in", func(t *testing.T) {
		c := baseConfig()
		c.AcceptExtraCapacityCost = true
		c.ManagedRuleGroups = append(wafacl.DefaultManagedRuleGroups(), wafacl.ManagedRuleGroup{Group: wafmanagedrules.Linux},
			wafacl.ManagedRuleGroup{Group: wafmanagedrules.Unix}, wafacl.ManagedRuleGroup{Group: wafmanagedrules.AdminProtection})
		assert.NoError(t, c.Validate("waf"))
	})
	t.Run("cloudfront in us-east-1", func(t *testing.T) {
		c := baseConfig()
		c.Scope, c.Region, c.ResourceArn = wafacl.ScopeCloudfront, wafacl.CloudfrontRegion, ""
		assert.NoError(t, c.Validate("waf"))
	})
	t.Run("token resource arn and key", func(t *testing.T) {
		c := baseConfig()
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
		stack := cdktf.NewTerraformStack(app, jsii.String("s"))
		token := func(name string) string {
			return *cdktf.NewTerraformVariable(stack, jsii.String(name), &cdktf.TerraformVariableConfig{}).StringValue()
		}
		c.ResourceArn = token("alb")
		c.Logging.KmsKeyArn = token("key")
		assert.NoError(t, c.Validate("waf"))
		// A Terraform expression typed as text is a literal, not a token.
		c.ResourceArn = "${aws_lb.web.arn}"
		assert.ErrorContains(t, c.Validate("waf"), "must be the ARN of an Application Load Balancer, API Gateway REST API stage")
	})
	t.Run("no managed rule groups", func(t *testing.T) {
		c := baseConfig()
		c.NoManagedRuleGroups = true
		assert.NoError(t, c.Validate("waf"))
		c.ManagedRuleGroups = []wafacl.ManagedRuleGroup{}
		assert.NoError(t, c.Validate("waf"), "an empty list with the explicit opt-out")
	})
	t.Run("largest priority and log group characters", func(t *testing.T) {
		c := baseConfig()
		c.RateLimit.Priority = new(wafacl.MaxPriority)
		c.Logging.LogGroupName = "aws-waf-logs-my.app/prod#1"
		assert.NoError(t, c.Validate("waf"))
		assert.Equal(t, "alias/aws-waf-logs-my-app/prod-1", wafacl.LogKeyAlias(c.Logging.LogGroupName))
	})
}

// TestAllProblemsInOneError: the whole config is checked before failing.
func TestAllProblemsInOneError(t *testing.T) {
	c := baseConfig()
	c.RateLimit.Limit = new(1)
	c.BlockedAddresses = []string{"nope"}
	c.Logging.LogGroupName = "waf"
	err := c.Validate("waf")
	var ve *validate.Error
	require.True(t, errors.As(err, &ve))
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"RateLimit.Limit", "BlockedAddresses[0]", "Logging.LogGroupName"}, fields)
	assert.Equal(t, "wafacl.NewWafAcl", ve.Construct)
}

// FuzzValidate feeds arbitrary text into every kind of field Validate
// checks (names, CIDRs, ARNs, statements, labels, headers, bodies): it must
// return nil or a *validate.Error, never panic.
//
//	go test ./constructs/wafacl -run '^$' -fuzz FuzzValidate -fuzztime 60s
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{"", "${", "%{", "TfToken[x", "${TfToken[TOKEN.99999]}", "0.0.0.0/0", "2001:DB8::/32", "a::b", "é", "\x00", "web-acl", albArn} {
		f.Add(seed, seed, int64(0))
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64) {
		num := int(n)
		c := &wafacl.WafAclConfig{
			Name: a, AccountId: testAccount, Region: testRegion, Description: b,
			ResourceArn: a, ResourceArns: []string{b}, BlockedAddresses: []string{a, b}, AllowedAddresses: []string{b},
			BlockedAddressesVariable: a, BlockedCountryCodes: []string{b},
			RateLimit:            wafacl.RateLimit{Limit: &num, EvaluationWindowSeconds: &num, Priority: &num},
			CustomResponseBodies: map[string]wafacl.CustomResponseBody{a: {ContentType: b, Content: a}},
			CustomRules: []wafacl.Rule{{Name: a, Priority: &num, Action: b, Labels: []string{a, b}, InsertHeaders: map[string]string{a: b},
				CustomResponse: &wafacl.CustomResponse{ResponseCode: num, BodyKey: b, Headers: map[string]string{b: a}}, ImmunityTimeSeconds: &num,
				Statement: wafacl.And{Statements: []wafacl.Statement{
					wafacl.ByteMatch{FieldToMatch: wafacl.FieldToMatch{Kind: a, Name: b, Included: []string{a}}, PositionalConstraint: b, SearchString: a,
						TextTransformations: []wafacl.TextTransformation{{Priority: num, Type: b}}},
					wafacl.RegexMatch{FieldToMatch: wafacl.JSONBody(a, b), RegexString: b},
					wafacl.Or{Statements: []wafacl.Statement{wafacl.LabelMatch{Scope: a, Key: b}, wafacl.IPSetReference{Arn: a, ForwardedIP: &wafacl.ForwardedIPConfig{HeaderName: b, Position: a}}}},
					wafacl.Not{Statement: wafacl.RateBased{Limit: num, Keys: []wafacl.RateKey{{Kind: a, Name: b}}}},
					wafacl.RegexPatternSetReference{Arn: b}, wafacl.SizeConstraint{Size: num, ComparisonOperator: a}, wafacl.SqliMatch{SensitivityLevel: b},
					wafacl.GeoMatch{CountryCodes: []string{a}, ForwardedIP: &wafacl.ForwardedIPConfig{FallbackBehavior: b}},
				}}}},
			ManagedRuleGroups: []wafacl.ManagedRuleGroup{{Group: wafmanagedrules.Common, Version: a, CountRules: []wafmanagedrules.RuleName{wafmanagedrules.RuleName(b)},
				Priority: &num, ScopeDown: wafacl.XssMatch{FieldToMatch: wafacl.FieldToMatch{Kind: b, OversizeHandling: a}}}},
			Logging: wafacl.Logging{LogGroupName: a, RetentionInDays: &num, KmsKeyArn: b, DestinationArn: a, ExtraRedactedHeaders: []string{b}},
		}
		err := c.Validate(b)
		var ve *validate.Error
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("not a *validate.Error: %v", err)
		}
		s := &wafacl.IPSetConfig{Name: a, Description: b, Scope: a, IPAddressVersion: b, Addresses: []string{a, b}, AccountId: testAccount, Region: testRegion}
		if err := s.Validate(a); err != nil && !errors.As(err, &ve) {
			t.Fatalf("not a *validate.Error: %v", err)
		}
	})
}
