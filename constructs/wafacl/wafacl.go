// Package wafacl provides WafAcl, an AWS WAFv2 web ACL for an Application
// Load Balancer with AWS managed rule groups, a per-IP rate limit, IP block
// and allow lists, a geo block list and logging, checked at synth time.
//
// What one call gives you:
//
//   - an aws_wafv2_web_acl (scope REGIONAL; CLOUDFRONT only in us-east-1)
//     whose default action is allow, with CloudWatch metrics and sampled
//     requests on the ACL and on every rule;
//   - AWS managed rule groups (default: Common, KnownBadInputs,
//     AmazonIpReputationList, SQLi), typed by generated/wafmanagedrules, with
//     version pinning, per-rule count overrides checked against the
//     catalog's rule names, whole-group count mode and scope-down statements;
//   - a rate-based rule per client IP that blocks with HTTP 429;
//   - optional IP block list (static CIDRs and/or a Terraform variable for
//     incident response), IP allow list and geo-match block list;
//   - an aws_wafv2_web_acl_association with the ALB;
//   - logging to a KMS-encrypted CloudWatch log group "aws-waf-logs-..."
//     with retention, the authorization and cookie headers redacted.
//
// Capacity (WCUs) and priorities are checked before any resource is
// created: more than 5000 WCUs (the web ACL maximum) is always an error,
// more than 1500 WCUs (included in the base price) is an error unless
// AcceptExtraCapacityCost is set.
//
// See https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html
package wafacl

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2ipset"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webaclassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webaclloggingconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults and limits.
const (
	// ScopeRegional protects regional resources (ALB, API Gateway, ...).
	ScopeRegional = "REGIONAL"
	// ScopeCloudfront protects CloudFront distributions; AWS only accepts it
	// in us-east-1.
	ScopeCloudfront = "CLOUDFRONT"

	// DefaultRateLimit is the default rate limit: requests per client IP per
	// evaluation window.
	DefaultRateLimit = 2000
	// DefaultEvaluationWindowSec is the default rate evaluation window (s).
	DefaultEvaluationWindowSec = 300
	// MinRateLimit is the smallest limit AWS accepts.
	MinRateLimit = 10
	// MaxRateLimit is the largest limit AWS accepts.
	MaxRateLimit = 2000000000
	// RateLimitedStatusCode is the HTTP status of requests the rate rule blocks.
	RateLimitedStatusCode = 429
	// RateLimitedBodyKey is the key of the custom response body sent with 429.
	RateLimitedBodyKey = "rate-limited"
	// RateLimitedBody is the text/plain body sent with 429.
	RateLimitedBody = "Too many requests. Please retry later.\n"

	// IncludedCapacity is the WCU count included in the web ACL base price;
	// above it AWS charges for every extra 500 WCUs.
	IncludedCapacity = 1500
	// MaxCapacity is the maximum WCU count of a web ACL.
	MaxCapacity = 5000

	// MetricNamespace is the CloudWatch namespace of WAF metrics. Their
	// dimensions are WebACL (the ACL's MetricName), Region and Rule (a
	// RuleInfo.MetricName, or "ALL" for the whole ACL).
	// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
	MetricNamespace = "AWS/WAFV2"

	// LogGroupPrefix is the prefix AWS WAF requires of log group names.
	LogGroupPrefix = "aws-waf-logs-"
	// DefaultRetentionInDays is the default log retention (days).
	DefaultRetentionInDays = 365
	// DefaultDeletionWindowInDays is the log key's deletion window (days).
	DefaultDeletionWindowInDays = 30
	// DefaultBotControlInspectionLevel is used for Bot Control unless set.
	DefaultBotControlInspectionLevel = "COMMON"
)

// Rule names (and metric name suffixes) of the rules the construct adds
// besides managed rule groups, whose rule name is the group's name.
const (
	RuleBlockedAddresses = "BlockedAddresses"
	RuleAllowedAddresses = "AllowedAddresses"
	RuleBlockedCountries = "BlockedCountries"
	RuleRateLimit        = "RateLimitPerIp"
)

// Automatic priorities: fixed slots, so adding or removing one rule never
// renumbers the others. Managed group i of ManagedRuleGroups gets
// ManagedRuleGroupBasePriority + 10*i.
const (
	PriorityBlockedAddresses     = 10
	PriorityAllowedAddresses     = 20
	PriorityBlockedCountries     = 30
	PriorityRateLimit            = 40
	ManagedRuleGroupBasePriority = 100
)

// ReservedMetricNames are the metric names AWS WAF reserves; Name (the web
// ACL's metric name) must not be one of them, in any case.
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
var ReservedMetricNames = []string{"All", "Default_Action"}

// LogKeyAlias returns the alias of the log key created for a log group:
// "alias/<logGroupName>" with every character a KMS alias cannot hold
// ('.' and '#') replaced by '-'.
func LogKeyAlias(logGroupName string) string {
	return "alias/" + nonAliasRe.ReplaceAllString(logGroupName, "-")
}

// RedactedHeaders are always redacted from the logs.
var RedactedHeaders = []string{"authorization", "cookie"}

// AllowedEvaluationWindows are the evaluation_window_sec values AWS accepts.
var AllowedEvaluationWindows = []int{60, 120, 300, 600}

// DefaultManagedRuleGroups returns the default managed rule groups:
// Common, KnownBadInputs, AmazonIpReputationList and SQLi (1125 WCUs).
func DefaultManagedRuleGroups() []ManagedRuleGroup {
	return []ManagedRuleGroup{
		{Group: wafmanagedrules.Common},
		{Group: wafmanagedrules.KnownBadInputs},
		{Group: wafmanagedrules.AmazonIpReputationList},
		{Group: wafmanagedrules.SQLi},
	}
}

// WafAclConfig configures NewWafAcl.
type WafAclConfig struct {
	// Name is the web ACL's name (1-100 letters, digits, '_' and '-'). It
	// also names the IP sets, the log group and the CloudWatch metrics, so
	// it must not be a reserved metric name ("All", "Default_Action", see
	// ReservedMetricNames). Default: validate.NameFromID(id). Two web ACLs
	// of one app with the same names are an error.
	Name string
	// Tags are set on every taggable resource (web ACL, IP sets, log group,
	// log key), merged by the provider with its default_tags.
	Tags map[string]string
	// Provider creates every resource with this AWS provider (e.g. an alias
	// in us-east-1 for Scope CLOUDFRONT). Default: the stack's default AWS
	// provider. With a literal region and allowed_account_ids, Region and
	// AccountId default from it and must match it.
	Provider cdktf.TerraformProvider
	// AccountId is the 12-digit account of the stack. Required (the log
	// key policy names it).
	AccountId string
	// Region is the provider region, e.g. "us-east-1". Required.
	Region string
	// Scope is REGIONAL (default) or CLOUDFRONT. CLOUDFRONT is only accepted
	// when Region is us-east-1 and cannot be combined with ResourceArn
	// (a distribution names its web ACL in web_acl_id).
	Scope string
	// Description of the web ACL, at most 256 characters of letters,
	// digits, spaces and _ + = : # @ / - , . Default "Web ACL <Name>".
	Description string

	// ManagedRuleGroups are the AWS managed rule groups, evaluated in this
	// order. Default (nil): DefaultManagedRuleGroups(). An empty non-nil
	// slice is an error: use NoManagedRuleGroups to run without them.
	ManagedRuleGroups []ManagedRuleGroup
	// NoManagedRuleGroups runs the ACL without any managed rule group,
	// e.g. when a Firewall Manager policy adds them. Default false.
	NoManagedRuleGroups bool

	// RateLimit configures the rate-based rule per client IP.
	RateLimit RateLimit

	// BlockedAddresses are IPv4 and IPv6 CIDR blocks (e.g. "203.0.113.0/24",
	// "2001:db8::/32") whose requests are blocked before any other rule.
	BlockedAddresses []string
	// BlockedAddressesVariable, when set, creates a Terraform variable of
	// that name (list(string), default []) whose CIDR blocks are added to
	// BlockedAddresses at plan time: block an attacker during an incident
	// with `terraform apply -var '<name>=["198.51.100.7/32"]'`, no code
	// change. The variable validates each value as a CIDR block. The name
	// must be a Terraform identifier that Terraform does not reserve
	// (validate.VariableName).
	BlockedAddressesVariable string
	// AllowedAddresses are IPv4 and IPv6 CIDR blocks whose requests are
	// allowed without evaluating later rules (rate limit, managed groups).
	// Blocked addresses still win. Default none.
	AllowedAddresses []string
	// BlockedCountryCodes are ISO 3166-1 alpha-2 codes (e.g. "KP") whose
	// requests are blocked; each must be one AWS WAF accepts (see
	// CountryCodes). Default none.
	BlockedCountryCodes []string

	// AcceptExtraCapacityCost allows more than IncludedCapacity (1500) WCUs,
	// which AWS bills per extra 500 WCUs. Set it when you need the extra
	// rule groups and accept the cost. Default false (more than 1500 WCUs is
	// an error). More than MaxCapacity (5000) is always an error.
	AcceptExtraCapacityCost bool

	// ResourceArn is the ARN of the Application Load Balancer to protect
	// (may be a token such as *alb.Arn()). Empty: no association.
	ResourceArn string

	// Logging configures the WAF logs.
	Logging Logging
}

// ManagedRuleGroup is one AWS managed rule group in the web ACL.
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#managed_rule_group_statement-block
type ManagedRuleGroup struct {
	// Group is the rule group, e.g. wafmanagedrules.Common. Required.
	Group wafmanagedrules.RuleGroup
	// Version pins the group version, e.g. "Version_1.10". Default: the
	// vendor's default version. Not allowed for unversioned groups (the IP
	// reputation lists).
	Version string
	// CountRules overrides single rules of the group to count
	// (rule_action_override): they only label and count matches, e.g.
	// wafmanagedrules.Common_SizeRestrictions_BODY for uploads. Each must be
	// a rule of Group.
	CountRules []wafmanagedrules.RuleName
	// CountMode runs the whole group in count mode (override_action count),
	// for a staged rollout: watch the metrics, then turn blocking on.
	// Default false (the group's own actions apply).
	CountMode bool
	// ScopeDown limits the group to requests matching the statement.
	ScopeDown Statement
	// Priority overrides the automatic priority; must be 1-MaxPriority and
	// unique. 0 means automatic.
	Priority int
	// BotControlInspectionLevel is COMMON (default) or TARGETED; only for
	// groups that need it (Bot Control).
	BotControlInspectionLevel string
}

// RateLimit configures the rate-based rule, which blocks a client IP with
// HTTP 429 once it sends more than Limit requests in EvaluationWindowSec.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
type RateLimit struct {
	// Disabled removes the rule. Set it only when rate limiting happens in
	// front of the ACL (e.g. CloudFront with its own ACL). Default false.
	Disabled bool
	// Limit is the number of requests per client IP per window, at least 10.
	// Default 2000.
	Limit int
	// EvaluationWindowSec is 60, 120, 300 or 600 seconds. Default 300.
	EvaluationWindowSec int
	// Priority overrides the automatic priority (40); must be
	// 1-MaxPriority and unique. 0 means automatic.
	Priority int
}

// Logging configures the WAF logs. Logging is always on.
// See https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
type Logging struct {
	// LogGroupName is the CloudWatch log group. It must start with
	// "aws-waf-logs-" and hold at most 250 letters, digits and . _ / # -.
	// Default "aws-waf-logs-<Name>". The log key created for it is aliased
	// LogKeyAlias(LogGroupName).
	LogGroupName string
	// RetentionInDays is the log retention, one of the CloudWatch Logs
	// values. Default 365.
	RetentionInDays int
	// KmsKeyArn is a customer-managed KMS key ARN (or token) managed
	// elsewhere whose policy already holds WafAcl.LogKeyPolicyStatements
	// (CloudWatch Logs of Region). Default: a new key with rotation on.
	KmsKeyArn string
	// KmsKey encrypts the log group with this key (bring your own key);
	// the construct adds the statement CloudWatch Logs needs to its policy.
	// It must be in AccountId and Region. Set at most one of KmsKey and
	// KmsKeyArn.
	KmsKey *securekey.SecureKey
	// OnlyBlockedAndCounted keeps only requests that a rule blocked or
	// counted (logging_filter), to cut log volume. Default false: every
	// request is logged.
	OnlyBlockedAndCounted bool
	// ExtraRedactedHeaders are redacted besides authorization and cookie:
	// header names of 1-40 letters, digits, '_' and '-' (written in
	// lowercase).
	ExtraRedactedHeaders []string
}

// RuleInfo describes one rule of the web ACL as created.
type RuleInfo struct {
	// Name is the rule name.
	Name string
	// Priority is the rule's priority.
	Priority int
	// MetricName is the CloudWatch metric name (dimension Rule) of the rule.
	MetricName string
	// WCU is the rule's capacity.
	WCU int
}

// WafAcl is the web ACL and its resources.
type WafAcl struct {
	// Construct holds every resource below.
	Construct constructs.Construct
	// WebAcl is the aws_wafv2_web_acl.
	WebAcl wafv2webacl.Wafv2WebAcl
	// Association links the ACL to ResourceArn; nil without ResourceArn.
	Association wafv2webaclassociation.Wafv2WebAclAssociation
	// BlockedIpv4, BlockedIpv6 are the block-list IP sets (nil without a
	// block list); AllowedIpv4, AllowedIpv6 the allow-list ones (nil when
	// the allow list has no address of that version).
	BlockedIpv4, BlockedIpv6, AllowedIpv4, AllowedIpv6 wafv2ipset.Wafv2IpSet
	// BlockedAddressesVariable is the Terraform variable, or nil.
	BlockedAddressesVariable cdktf.TerraformVariable
	// LogGroup receives the WAF logs.
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// LogKey is the key the construct created for the log group; nil when
	// Logging.KmsKey or Logging.KmsKeyArn was given.
	LogKey *securekey.SecureKey
	// LogKeyPolicyStatements are the key-policy statements the log key
	// needs (CloudWatch Logs of Region): added to a created or
	// Logging.KmsKey key; to be present in a Logging.KmsKeyArn key's policy.
	LogKeyPolicyStatements []iampolicy.Statement
	// LoggingConfiguration is the aws_wafv2_web_acl_logging_configuration.
	LoggingConfiguration wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfiguration
	// MetricName is the web ACL's CloudWatch metric name (dimension Rule
	// "ALL" in the AWS/WAFV2 namespace).
	MetricName string
	// Rules lists the rules in priority order.
	Rules []RuleInfo
	// Capacity is the total WCUs.
	Capacity int
	// Config is the config after defaults were applied.
	Config WafAclConfig
}

// NewWafAcl validates cfg and creates the web ACL, its IP sets, the
// association with cfg.ResourceArn, the log key, log group and logging
// configuration (see the package documentation). It returns a
// *validate.Error listing every problem, and creates nothing, when cfg is
// invalid, or when scope is nil or id is invalid or already used in scope.
func NewWafAcl(scope constructs.Construct, id string, cfg *WafAclConfig) (*WafAcl, error) {
	v := validate.New("wafacl.NewWafAcl")
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c, rules := cfg.plan(v, id)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	a := &WafAcl{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c, MetricName: metricName(c.Name, "")}
	in := a.Construct
	p := c.Provider
	env := baseline.Env{AccountID: c.AccountId, Region: c.Region}

	// IP sets.
	blocked4, blocked6 := splitCIDRs(c.BlockedAddresses)
	if len(c.BlockedAddresses) > 0 || c.BlockedAddressesVariable != "" {
		a.BlockedIpv4 = newIPSet(in, "blocked_ipv4", c, "blocked-ipv4", "IPV4", stringList(blocked4), "IPv4 addresses blocked by "+c.Name)
		a.BlockedIpv6 = newIPSet(in, "blocked_ipv6", c, "blocked-ipv6", "IPV6", stringList(blocked6), "IPv6 addresses blocked by "+c.Name)
		if name := c.BlockedAddressesVariable; name != "" {
			a.BlockedAddressesVariable = cdktf.NewTerraformVariable(in, jsii.String("blocked_addresses_variable"), &cdktf.TerraformVariableConfig{
				Type:        jsii.String("list(string)"),
				Default:     &[]*string{},
				Description: jsii.String(fmt.Sprintf("IPv4/IPv6 CIDR blocks that web ACL %s blocks (incident response), e.g. [\"198.51.100.7/32\"].", c.Name)),
				Nullable:    jsii.Bool(false),
				Validation: &[]*cdktf.TerraformVariableValidationConfig{{
					Condition:    jsii.String(fmt.Sprintf("${alltrue([for c in var.%s : can(cidrhost(c, 0))])}", name)),
					ErrorMessage: jsii.String("Each value must be an IPv4 or IPv6 CIDR block such as 198.51.100.7/32."),
				}},
			})
			a.BlockedAddressesVariable.OverrideLogicalId(jsii.String(name))
			// The variable's CIDRs are split by version at plan time (IPv6
			// blocks contain ':') and appended to the static ones.
			a.BlockedIpv4.AddOverride(jsii.String("addresses"), jsii.String(fmt.Sprintf(`${concat(%s, [for c in var.%s : c if !strcontains(c, ":")])}`, hclList(blocked4), name)))
			a.BlockedIpv6.AddOverride(jsii.String("addresses"), jsii.String(fmt.Sprintf(`${concat(%s, [for c in var.%s : c if strcontains(c, ":")])}`, hclList(blocked6), name)))
		}
	}
	allowed4, allowed6 := splitCIDRs(c.AllowedAddresses)
	if len(allowed4) > 0 {
		a.AllowedIpv4 = newIPSet(in, "allowed_ipv4", c, "allowed-ipv4", "IPV4", stringList(allowed4), "IPv4 addresses allowed by "+c.Name)
	}
	if len(allowed6) > 0 {
		a.AllowedIpv6 = newIPSet(in, "allowed_ipv6", c, "allowed-ipv6", "IPV6", stringList(allowed6), "IPv6 addresses allowed by "+c.Name)
	}

	// Rules, in priority order.
	var tfRules []*wafv2webacl.Wafv2WebAclRule
	for _, r := range rules {
		var stmt Statement
		action := &wafv2webacl.Wafv2WebAclRuleAction{Block: &wafv2webacl.Wafv2WebAclRuleActionBlock{}}
		var override *wafv2webacl.Wafv2WebAclRuleOverrideAction
		switch r.kind {
		case RuleBlockedAddresses:
			stmt = Or{Statements: []Statement{IPSetReference{Arn: *a.BlockedIpv4.Arn()}, IPSetReference{Arn: *a.BlockedIpv6.Arn()}}}
		case RuleAllowedAddresses:
			var refs []Statement
			for _, s := range []wafv2ipset.Wafv2IpSet{a.AllowedIpv4, a.AllowedIpv6} {
				if s != nil {
					refs = append(refs, IPSetReference{Arn: *s.Arn()})
				}
			}
			stmt = refs[0]
			if len(refs) > 1 {
				stmt = Or{Statements: refs}
			}
			action = &wafv2webacl.Wafv2WebAclRuleAction{Allow: &wafv2webacl.Wafv2WebAclRuleActionAllow{}}
		case RuleBlockedCountries:
			stmt = GeoMatch{CountryCodes: c.BlockedCountryCodes}
		case RuleRateLimit:
			stmt = rateBased{limit: c.RateLimit.Limit, window: c.RateLimit.EvaluationWindowSec}
			action = &wafv2webacl.Wafv2WebAclRuleAction{Block: &wafv2webacl.Wafv2WebAclRuleActionBlock{
				CustomResponse: &wafv2webacl.Wafv2WebAclRuleActionBlockCustomResponse{
					ResponseCode:          jsii.Number(RateLimitedStatusCode),
					CustomResponseBodyKey: jsii.String(RateLimitedBodyKey),
				},
			}}
		default:
			stmt = managedGroupStatement{r.group}
			action = nil
			override = &wafv2webacl.Wafv2WebAclRuleOverrideAction{None: &wafv2webacl.Wafv2WebAclRuleOverrideActionNone{}}
			if r.group.CountMode {
				override = &wafv2webacl.Wafv2WebAclRuleOverrideAction{Count: &wafv2webacl.Wafv2WebAclRuleOverrideActionCount{}}
			}
		}
		tfRules = append(tfRules, &wafv2webacl.Wafv2WebAclRule{
			Name:           jsii.String(r.info.Name),
			Priority:       jsii.Number(float64(r.info.Priority)),
			Action:         action,
			OverrideAction: override,
			Statement:      stmt.Map(),
			VisibilityConfig: &wafv2webacl.Wafv2WebAclRuleVisibilityConfig{
				CloudwatchMetricsEnabled: jsii.Bool(true),
				MetricName:               jsii.String(r.info.MetricName),
				SampledRequestsEnabled:   jsii.Bool(true),
			},
		})
		a.Rules = append(a.Rules, r.info)
		a.Capacity += r.info.WCU
	}

	aclCfg := &wafv2webacl.Wafv2WebAclConfig{
		Provider:      p,
		Tags:          common.Tags(c.Tags, nil),
		Name:          jsii.String(c.Name),
		Description:   jsii.String(baseline.EscapeTemplate(c.Description)),
		Scope:         jsii.String(c.Scope),
		DefaultAction: &wafv2webacl.Wafv2WebAclDefaultAction{Allow: &wafv2webacl.Wafv2WebAclDefaultActionAllow{}},
		VisibilityConfig: &wafv2webacl.Wafv2WebAclVisibilityConfig{
			CloudwatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(a.MetricName),
			SampledRequestsEnabled:   jsii.Bool(true),
		},
		Rule: &tfRules,
	}
	if !c.RateLimit.Disabled {
		aclCfg.CustomResponseBody = &[]*wafv2webacl.Wafv2WebAclCustomResponseBody{{
			Key:         jsii.String(RateLimitedBodyKey),
			Content:     jsii.String(baseline.EscapeTemplate(RateLimitedBody)),
			ContentType: jsii.String("TEXT_PLAIN"),
		}}
	}
	a.WebAcl = wafv2webacl.NewWafv2WebAcl(in, jsii.String("web_acl"), aclCfg)

	if c.ResourceArn != "" {
		a.Association = wafv2webaclassociation.NewWafv2WebAclAssociation(in, jsii.String("association"), &wafv2webaclassociation.Wafv2WebAclAssociationConfigA{
			Provider:    p,
			ResourceArn: jsii.String(c.ResourceArn),
			WebAclArn:   a.WebAcl.Arn(),
		})
	}

	// Logging.
	a.LogKeyPolicyStatements = logKeyStatements(c, validate.Env{AccountId: env.AccountID, Region: env.Region})
	keyArn := c.Logging.KmsKeyArn
	switch {
	case c.Logging.KmsKey != nil:
		if err := c.Logging.KmsKey.AddToResourcePolicy(a.LogKeyPolicyStatements...); err != nil {
			panic(err) // unreachable: CheckUse passed during validation
		}
		keyArn = *c.Logging.KmsKey.Arn()
	case keyArn == "":
		key, err := securekey.NewSecureKey(in, "log_key", &securekey.SecureKeyConfig{
			AccountId:            c.AccountId,
			Region:               c.Region,
			Description:          "Encrypts the AWS WAF logs of web ACL " + c.Name,
			Alias:                LogKeyAlias(c.Logging.LogGroupName),
			DeletionWindowInDays: DefaultDeletionWindowInDays,
			Statements:           a.LogKeyPolicyStatements,
			Tags:                 c.Tags,
			Provider:             p,
		})
		if err != nil {
			panic(err) // unreachable: the config was validated
		}
		a.LogKey = key
		keyArn = *key.Arn()
	}
	a.LogGroup = baseline.NewLogGroup(in, "log_group", baseline.LogGroupConfig{
		Name:            c.Logging.LogGroupName,
		RetentionInDays: c.Logging.RetentionInDays,
		KmsKeyArn:       jsii.String(keyArn),
		Tags:            common.Tags(c.Tags, nil),
		Provider:        p,
	})
	var redacted []*wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFields
	for _, h := range append(slices.Clone(RedactedHeaders), c.Logging.ExtraRedactedHeaders...) {
		redacted = append(redacted, &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFields{
			SingleHeader: &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader{Name: jsii.String(strings.ToLower(h))},
		})
	}
	logCfg := &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationConfig{
		Provider:              p,
		ResourceArn:           a.WebAcl.Arn(),
		LogDestinationConfigs: &[]*string{a.LogGroup.Arn()},
		RedactedFields:        &redacted,
	}
	if c.Logging.OnlyBlockedAndCounted {
		logCfg.LoggingFilter = &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationLoggingFilter{
			DefaultBehavior: jsii.String("DROP"),
			Filter: &[]*wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationLoggingFilterFilter{{
				Behavior:    jsii.String("KEEP"),
				Requirement: jsii.String("MEETS_ANY"),
				Condition: &[]*wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationLoggingFilterFilterCondition{
					{ActionCondition: &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationLoggingFilterFilterConditionActionCondition{Action: jsii.String("BLOCK")}},
					{ActionCondition: &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationLoggingFilterFilterConditionActionCondition{Action: jsii.String("COUNT")}},
				},
			}},
		}
	}
	a.LoggingConfiguration = wafv2webaclloggingconfiguration.NewWafv2WebAclLoggingConfiguration(in, jsii.String("logging"), logCfg)
	return a, nil
}

func newIPSet(scope constructs.Construct, id string, c WafAclConfig, suffix, version string, addresses *[]*string, description string) wafv2ipset.Wafv2IpSet {
	p := c.Provider
	return wafv2ipset.NewWafv2IpSet(scope, jsii.String(id), &wafv2ipset.Wafv2IpSetConfig{
		Provider:         p,
		Tags:             common.Tags(c.Tags, nil),
		Name:             jsii.String(c.Name + "-" + suffix),
		Description:      jsii.String(description),
		Scope:            jsii.String(c.Scope),
		IpAddressVersion: jsii.String(version),
		Addresses:        addresses,
	})
}

func splitCIDRs(cidrs []string) (v4, v6 []string) {
	for _, s := range cidrs {
		if p, rule := validate.CIDR(s); rule == "" {
			if p.Addr().Is4() {
				v4 = append(v4, p.String())
			} else {
				v6 = append(v6, p.String())
			}
		}
	}
	return v4, v6
}

func stringList(ss []string) *[]*string {
	out := make([]*string, len(ss))
	for i, s := range ss {
		out[i] = jsii.String(s)
	}
	return &out
}

// hclList renders validated CIDR strings as an HCL list literal.
func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var nonMetricRe = regexp.MustCompile(`[^\w#:.\-/]`)

// metricName returns the CloudWatch metric name of the ACL (rule "") or of
// one of its rules: "<Name>" or "<Name>-<rule>".
func metricName(acl, rule string) string {
	n := acl
	if rule != "" {
		n += "-" + rule
	}
	return nonMetricRe.ReplaceAllString(n, "_")
}

// rateBased is the rate_based_statement of the rate rule.
type rateBased struct{ limit, window int }

func (s rateBased) Map() map[string]any {
	return map[string]any{"rate_based_statement": map[string]any{
		"aggregate_key_type":    "IP",
		"evaluation_window_sec": float64(s.window),
		"limit":                 float64(s.limit),
	}}
}

// WCU: 2 for a rate-based statement aggregating on IP without scope-down.
func (s rateBased) WCU() int { return 2 }

func (s rateBased) check(*validate.Collector, string, int) {}

// managedGroupStatement is the managed_rule_group_statement of one group.
type managedGroupStatement struct{ g ManagedRuleGroup }

func (s managedGroupStatement) Map() map[string]any {
	m := map[string]any{
		"name":        s.g.Group.Name,
		"vendor_name": s.g.Group.VendorName,
	}
	if s.g.Version != "" {
		m["version"] = s.g.Version
	}
	if len(s.g.CountRules) > 0 {
		var overrides []any
		for _, r := range s.g.CountRules {
			overrides = append(overrides, map[string]any{
				"name":          string(r),
				"action_to_use": map[string]any{"count": map[string]any{}},
			})
		}
		m["rule_action_override"] = overrides
	}
	if !isNil(s.g.ScopeDown) {
		m["scope_down_statement"] = s.g.ScopeDown.Map()
	}
	if s.g.Group.ConfigBlock == wafmanagedrules.BotControl.ConfigBlock && s.g.Group.ConfigBlock != "" {
		m["managed_rule_group_configs"] = []any{map[string]any{
			s.g.Group.ConfigBlock: map[string]any{"inspection_level": s.g.BotControlInspectionLevel},
		}}
	}
	return map[string]any{"managed_rule_group_statement": m}
}

func (s managedGroupStatement) WCU() int {
	n := s.g.Group.Capacity
	if !isNil(s.g.ScopeDown) {
		n += s.g.ScopeDown.WCU()
	}
	return n
}

func (s managedGroupStatement) check(*validate.Collector, string, int) {}

// plannedRule is one rule before resources exist.
type plannedRule struct {
	kind  string // RuleBlockedAddresses... or "" for managed groups
	group ManagedRuleGroup
	info  RuleInfo
	field string // config field that sets its priority
	path  string // config field of the rule
}

// Validate checks the config as NewWafAcl(scope, id, cfg) does, without
// creating anything and without the checks that need the construct tree;
// id supplies the default Name. It returns nil or a *validate.Error.
func (cfg *WafAclConfig) Validate(id string) error {
	v := validate.New("wafacl.NewWafAcl")
	cfg.plan(v, id)
	return v.Err()
}

var (
	nameRe         = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	descriptionRe  = regexp.MustCompile(`^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]{0,254}[\w+=:#@/\-,.]$|^[\w+=:#@/\-,.]$`)
	versionRe      = regexp.MustCompile(`^Version_[A-Za-z0-9._-]{1,64}$`)
	logGroupNameRe = regexp.MustCompile(`^[A-Za-z0-9._/#-]{1,512}$`)
	nonAliasRe     = regexp.MustCompile(`[^A-Za-z0-9/_-]`)
)

// plan applies defaults, validates everything into v and returns the rules
// in priority order.
func (cfg *WafAclConfig) plan(v *validate.Collector, id string) (WafAclConfig, []plannedRule) {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return WafAclConfig{}, nil
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	// An empty non-nil list would silently drop every managed rule group
	// (the defaults only apply to nil): the opt-out is explicit.
	v.Check(c.ManagedRuleGroups == nil || len(c.ManagedRuleGroups) > 0 || c.NoManagedRuleGroups, "ManagedRuleGroups", "[] (empty)",
		"must not be empty: leave it nil for DefaultManagedRuleGroups(), or set NoManagedRuleGroups: true to run without managed rule groups")
	if c.Scope == "" {
		c.Scope = ScopeRegional
	}
	if c.Description == "" {
		c.Description = "Web ACL " + c.Name
	}
	if c.ManagedRuleGroups == nil && !c.NoManagedRuleGroups {
		c.ManagedRuleGroups = DefaultManagedRuleGroups()
	}
	c.ManagedRuleGroups = slices.Clone(c.ManagedRuleGroups)
	if c.RateLimit.Limit == 0 {
		c.RateLimit.Limit = DefaultRateLimit
	}
	if c.RateLimit.EvaluationWindowSec == 0 {
		c.RateLimit.EvaluationWindowSec = DefaultEvaluationWindowSec
	}
	if c.Logging.LogGroupName == "" {
		c.Logging.LogGroupName = LogGroupPrefix + c.Name
	}
	if c.Logging.RetentionInDays == 0 {
		c.Logging.RetentionInDays = DefaultRetentionInDays
	}

	v.ConfigTokens(c)
	nameRule := "must be 1-100 letters, digits, '_' or '-'"
	if nameField == "id" {
		nameRule = "is the default Name (Name is empty, so Name is validate.NameFromID(id)), which " + nameRule + "; or set Name"
	}
	nameOK := v.Check(nameRe.MatchString(c.Name), nameField, c.Name, nameRule)
	if nameOK {
		v.Check(!slices.ContainsFunc(ReservedMetricNames, func(r string) bool { return strings.EqualFold(r, c.Name) }), nameField, c.Name,
			fmt.Sprintf("is a metric name reserved by AWS WAF (%v, any case): the web ACL's metric is named after Name", ReservedMetricNames))
	}
	// A Description derived from an invalid Name is not reported again.
	if cfg.Description != "" || nameOK {
		v.Check(descriptionRe.MatchString(c.Description), "Description", c.Description, "must be 1-256 characters of letters, digits, spaces and _ + = : # @ / - , .")
	}
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)
	switch c.Scope {
	case ScopeRegional:
	case ScopeCloudfront:
		v.Check(c.Region == "us-east-1", "Scope", c.Scope, fmt.Sprintf("CLOUDFRONT is only available when the provider region is us-east-1 (Region is %q); use REGIONAL", c.Region))
		v.Check(c.ResourceArn == "", "ResourceArn", c.ResourceArn, "must be empty with Scope CLOUDFRONT: a CloudFront distribution names its web ACL in web_acl_id")
	default:
		v.Add("Scope", c.Scope, "must be REGIONAL or CLOUDFRONT")
	}
	v.Check(!(c.NoManagedRuleGroups && len(c.ManagedRuleGroups) > 0), "NoManagedRuleGroups", true, "contradicts ManagedRuleGroups: set one or the other")

	if c.ResourceArn != "" {
		v.ARN("ResourceArn", c.ResourceArn, validate.ApplicationLoadBalancerArn, env)
	}

	// Rate limit.
	if !c.RateLimit.Disabled {
		v.Check(c.RateLimit.Limit >= MinRateLimit && c.RateLimit.Limit <= MaxRateLimit, "RateLimit.Limit", c.RateLimit.Limit,
			fmt.Sprintf("must be between %d (the AWS minimum) and %d requests per window", MinRateLimit, MaxRateLimit))
		v.Check(slices.Contains(AllowedEvaluationWindows, c.RateLimit.EvaluationWindowSec), "RateLimit.EvaluationWindowSec", c.RateLimit.EvaluationWindowSec,
			fmt.Sprintf("must be one of %v seconds", AllowedEvaluationWindows))
	}

	// Addresses and countries.
	checkCIDRs(v, "BlockedAddresses", c.BlockedAddresses)
	checkCIDRs(v, "AllowedAddresses", c.AllowedAddresses)
	if c.BlockedAddressesVariable != "" {
		if rule := validate.VariableName(c.BlockedAddressesVariable); rule != "" {
			v.Add("BlockedAddressesVariable", c.BlockedAddressesVariable, rule)
		}
	}
	if len(c.BlockedCountryCodes) > 0 {
		GeoMatch{CountryCodes: c.BlockedCountryCodes}.check(v, "BlockedCountryCodes(GeoMatch)", 0)
	}

	// Rules with their priorities and costs.
	var rules []plannedRule
	add := func(kind string, g ManagedRuleGroup, name string, prio, userPrio int, wcu int, field string) {
		if userPrio != 0 {
			prio = userPrio
		}
		rules = append(rules, plannedRule{kind: kind, group: g, field: field, path: strings.TrimSuffix(field, ".Priority"),
			info: RuleInfo{Name: name, Priority: prio, MetricName: metricName(c.Name, name), WCU: wcu}})
	}
	if len(c.BlockedAddresses) > 0 || c.BlockedAddressesVariable != "" {
		add(RuleBlockedAddresses, ManagedRuleGroup{}, RuleBlockedAddresses, PriorityBlockedAddresses, 0, 2, "BlockedAddresses")
	}
	if len(c.AllowedAddresses) > 0 {
		a4, a6 := splitCIDRs(c.AllowedAddresses)
		n := 0
		if len(a4) > 0 {
			n++
		}
		if len(a6) > 0 {
			n++
		}
		add(RuleAllowedAddresses, ManagedRuleGroup{}, RuleAllowedAddresses, PriorityAllowedAddresses, 0, max(n, 1), "AllowedAddresses")
	}
	if len(c.BlockedCountryCodes) > 0 {
		add(RuleBlockedCountries, ManagedRuleGroup{}, RuleBlockedCountries, PriorityBlockedCountries, 0, 1, "BlockedCountryCodes")
	}
	if !c.RateLimit.Disabled {
		v.Check(c.RateLimit.Priority >= 0 && c.RateLimit.Priority <= MaxPriority, "RateLimit.Priority", c.RateLimit.Priority,
			fmt.Sprintf("must be 1-%d, or 0 for automatic", MaxPriority))
		add(RuleRateLimit, ManagedRuleGroup{}, RuleRateLimit, PriorityRateLimit, c.RateLimit.Priority, rateBased{}.WCU(), "RateLimit.Priority")
	}
	for i := range c.ManagedRuleGroups {
		g := &c.ManagedRuleGroups[i]
		field := fmt.Sprintf("ManagedRuleGroups[%d]", i)
		if g.Group.ConfigBlock != "" && g.BotControlInspectionLevel == "" {
			g.BotControlInspectionLevel = DefaultBotControlInspectionLevel
		}
		checkManagedGroup(v, field, *g)
		add("", *g, g.Group.Name, ManagedRuleGroupBasePriority+10*i, g.Priority, managedGroupStatement{*g}.WCU(), field+".Priority")
	}

	// Unique names and priorities.
	byName := map[string]string{}
	byPrio := map[int]string{}
	for _, r := range rules {
		if other, dup := byName[r.info.Name]; dup {
			v.Add(r.path, r.info.Name, fmt.Sprintf("rule name %q is used twice (also by %s): add each managed rule group once", r.info.Name, other))
		}
		byName[r.info.Name] = r.path
		if other, dup := byPrio[r.info.Priority]; dup {
			v.Add(r.field, r.info.Priority, fmt.Sprintf("priority %d of rule %s is already used by rule %s: priorities must be unique", r.info.Priority, r.info.Name, other))
		}
		byPrio[r.info.Priority] = r.info.Name
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].info.Priority < rules[j].info.Priority })

	// Capacity.
	total := 0
	var costs []string
	for _, r := range rules {
		total += r.info.WCU
		costs = append(costs, fmt.Sprintf("%s=%d", r.info.Name, r.info.WCU))
	}
	breakdown := fmt.Sprintf("rule costs (WCUs): %s; total %d", strings.Join(costs, ", "), total)
	switch {
	case total > MaxCapacity:
		v.Add("ManagedRuleGroups", total, fmt.Sprintf("the web ACL needs %d WCUs, more than the AWS maximum of %d; remove rule groups or scope-down statements. %s", total, MaxCapacity, breakdown))
	case total > IncludedCapacity && !c.AcceptExtraCapacityCost:
		v.Add("ManagedRuleGroups", total, fmt.Sprintf("the web ACL needs %d WCUs, more than the %d included in the base price; AWS bills every extra 500 WCUs. Remove rule groups, or set AcceptExtraCapacityCost: true. %s", total, IncludedCapacity, breakdown))
	}

	// Logging.
	lg := c.Logging
	if !strings.HasPrefix(lg.LogGroupName, LogGroupPrefix) {
		v.Add("Logging.LogGroupName", lg.LogGroupName, fmt.Sprintf("must start with %q: AWS WAF only logs to log groups named so (leave empty for %q)", LogGroupPrefix, LogGroupPrefix+c.Name))
	} else {
		v.Check(logGroupNameRe.MatchString(lg.LogGroupName) && len("alias/"+lg.LogGroupName) <= 256, "Logging.LogGroupName", lg.LogGroupName,
			"must be at most 250 characters of letters, digits and . _ / # - (the CloudWatch Logs log group name characters)")
	}
	v.LogRetention("Logging.RetentionInDays", lg.RetentionInDays)
	switch {
	case lg.KmsKey != nil && lg.KmsKeyArn != "":
		v.Add("Logging.KmsKeyArn", lg.KmsKeyArn, "must be empty when Logging.KmsKey is set (one key)")
	case lg.KmsKey != nil:
		lg.KmsKey.CheckUse(v, "Logging.KmsKey", env, logKeyStatements(c, env)...)
	case lg.KmsKeyArn != "":
		// CloudWatch Logs needs the key ARN, not an alias.
		v.ARN("Logging.KmsKeyArn", lg.KmsKeyArn, validate.KmsKeyArn, env)
	}
	for i, h := range lg.ExtraRedactedHeaders {
		v.Check(headerNameRe.MatchString(strings.ToLower(h)), fmt.Sprintf("Logging.ExtraRedactedHeaders[%d]", i), h, "must be an HTTP header name: "+headerNameRule)
	}
	return c, rules
}

func checkCIDRs(v *validate.Collector, field string, cidrs []string) {
	seen := map[string]bool{}
	for i, s := range cidrs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if _, rule := validate.CIDR(s); rule != "" {
			v.Add(f, s, rule+" (IPv4 or IPv6)")
			continue
		}
		v.Check(!seen[s], f, s, "is listed twice")
		seen[s] = true
	}
}

func checkManagedGroup(v *validate.Collector, field string, g ManagedRuleGroup) {
	if !v.Check(g.Group.Name != "" && g.Group.VendorName != "" && g.Group.Capacity > 0, field+".Group", g.Group.Name,
		"is required: use a value of generated/wafmanagedrules such as wafmanagedrules.Common") {
		return
	}
	if g.Version != "" {
		if g.Group.Versioned {
			v.Check(versionRe.MatchString(g.Version), field+".Version", g.Version, "must be a version name such as \"Version_1.10\"")
		} else {
			v.Add(field+".Version", g.Version, g.Group.Name+" is not versioned by AWS: leave Version empty")
		}
	}
	seen := map[wafmanagedrules.RuleName]bool{}
	for i, r := range g.CountRules {
		f := fmt.Sprintf("%s.CountRules[%d]", field, i)
		if !g.Group.HasRule(r) {
			v.Add(f, string(r), fmt.Sprintf("is not a rule of %s; its rules are %v", g.Group.Name, g.Group.Rules))
		} else {
			v.Check(!seen[r], f, string(r), "is listed twice")
		}
		seen[r] = true
	}
	if g.ScopeDown != nil {
		if isNil(g.ScopeDown) {
			v.Add(field+".ScopeDown", nil, "must not be nil (leave ScopeDown unset for no scope-down statement)")
		} else {
			g.ScopeDown.check(v, field+".ScopeDown", 0)
		}
	}
	v.Check(g.Priority >= 0 && g.Priority <= MaxPriority, field+".Priority", g.Priority, fmt.Sprintf("must be 1-%d, or 0 for automatic", MaxPriority))
	if g.Group.ConfigBlock != "" {
		v.Check(g.BotControlInspectionLevel == "COMMON" || g.BotControlInspectionLevel == "TARGETED", field+".BotControlInspectionLevel",
			g.BotControlInspectionLevel, "must be COMMON or TARGETED")
	} else {
		v.Check(g.BotControlInspectionLevel == "", field+".BotControlInspectionLevel", g.BotControlInspectionLevel, "only applies to the Bot Control group")
	}
}

// logKeyStatements are the key-policy statements the log key needs:
// CloudWatch Logs of the region may use it for this account's log groups.
func logKeyStatements(c WafAclConfig, env validate.Env) []iampolicy.Statement {
	sid := "AllowCloudWatchLogs"
	if c.Logging.KmsKey != nil || c.Logging.KmsKeyArn != "" {
		// A shared key holds one statement per web ACL.
		sid += "Waf" + nonAlnumRe.ReplaceAllString(c.Name, "")
	}
	return []iampolicy.Statement{securekey.LogsStatement(sid, env.Region, "ArnLike",
		fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", env.Partition(), env.Region, env.AccountId))}
}

var nonAlnumRe = regexp.MustCompile(`[^A-Za-z0-9]`)

// claims are the names the web ACL creates that must be unique in the app.
func (c WafAclConfig) claims() []registry.Claim {
	out := []registry.Claim{
		{Kind: registry.WebACL, Name: c.Name, Field: "Name", Qualifier: c.Scope},
		{Kind: registry.LogGroup, Name: c.Logging.LogGroupName, Field: "Logging.LogGroupName"},
	}
	if c.Logging.KmsKey == nil && c.Logging.KmsKeyArn == "" {
		out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: LogKeyAlias(c.Logging.LogGroupName), Field: "Logging.LogGroupName"})
	}
	if len(c.BlockedAddresses) > 0 || c.BlockedAddressesVariable != "" {
		out = append(out, registry.Claim{Kind: registry.IPSet, Name: c.Name + "-blocked-ipv4", Field: "Name", Qualifier: c.Scope},
			registry.Claim{Kind: registry.IPSet, Name: c.Name + "-blocked-ipv6", Field: "Name", Qualifier: c.Scope})
	}
	a4, a6 := splitCIDRs(c.AllowedAddresses)
	if len(a4) > 0 {
		out = append(out, registry.Claim{Kind: registry.IPSet, Name: c.Name + "-allowed-ipv4", Field: "Name", Qualifier: c.Scope})
	}
	if len(a6) > 0 {
		out = append(out, registry.Claim{Kind: registry.IPSet, Name: c.Name + "-allowed-ipv6", Field: "Name", Qualifier: c.Scope})
	}
	if c.BlockedAddressesVariable != "" {
		out = append(out, registry.Claim{Kind: registry.Variable, Name: c.BlockedAddressesVariable, Field: "BlockedAddressesVariable"})
	}
	return out
}
