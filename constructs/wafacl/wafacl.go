// Package wafacl provides WafAcl, an AWS WAFv2 web ACL for an Application
// Load Balancer (or another regional resource, or CloudFront) with AWS
// managed rule groups, a per-IP rate limit, IP block and allow lists, a geo
// block list, custom rules with typed statements, and logging, all checked at
// synth time; and NewIPSet, a validated IP set that custom rules of several
// web ACLs can reference.
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
//     incident response, validated by the variable itself), IP allow list and
//     geo-match block list;
//   - custom rules (CustomRules): byte, regex, regex pattern set, size, geo,
//     IP set, SQLi, XSS and label match statements, rate-based statements
//     with custom aggregation keys, and And/Or/Not, with any rule action,
//     custom responses and bodies, inserted request headers and labels;
//   - aws_wafv2_web_acl_association with each of ResourceArn/ResourceArns
//     (one ACL can protect a shared ALB and other regional resources);
//   - logging to a KMS-encrypted CloudWatch log group "aws-waf-logs-..."
//     with retention (or to a destination you bring), the authorization and
//     cookie headers redacted.
//
// Validated at synth, before any resource is created (rules.go states every
// rule in one place): names, metric names and their derived lengths,
// priorities (unique across built-in rules, custom rules and managed
// groups), capacity (more than 5000 WCUs, the web ACL maximum, is always an
// error; more than 1500, included in the base price, is an error unless
// AcceptExtraCapacityCost is set), statements as WAF and the provider check
// them, IP sets (canonical CIDRs, no /0, no duplicates, at most 10,000 per
// set), ARNs of the web ACL's partition, region and account. What can
// still fail only at apply: quotas of the account (web ACLs, IP sets per
// region), IP sets or pattern sets given by ARN that do not exist, and
// regular expressions WAF's engine refuses although RE2 accepts them.
//
// See https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html
package wafacl

import (
	"fmt"
	"regexp"
	"slices"
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
	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
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
	// DefaultEvaluationWindowSeconds is the default rate evaluation window.
	DefaultEvaluationWindowSeconds = 300
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
	// MaxAssociations is the most resources this package associates with
	// one web ACL (the AWS quota of ALB associations per web ACL).
	MaxAssociations = 100
	// MaxMetricNameLength is the longest visibility_config metric_name.
	MaxMetricNameLength = 128

	// MetricNamespace is the CloudWatch namespace of WAF metrics. Their
	// dimensions are WebACL (the ACL's MetricName), Region and Rule (a
	// RuleInfo.MetricName, or "ALL" for the whole ACL).
	// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
	MetricNamespace = "AWS/WAFV2"

	// LogGroupPrefix is the prefix AWS WAF requires of log group names
	// (and of S3 bucket and Firehose stream destinations).
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
// ManagedRuleGroupBasePriority + 10*i; custom rule i gets
// CustomRuleBasePriority + i.
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

// MaxRedactedFields is the most redacted fields a logging configuration
// holds (redacted_fields, max_items in the provider schema; AWS WAF's
// RedactedFields limit), RedactedHeaders included.
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
const MaxRedactedFields = 100

// redactedHeaders returns RedactedHeaders and extra, lowercased (header
// names are case-insensitive and WAF stores them lowercased), each once.
func redactedHeaders(extra []string) []string {
	out := slices.Clone(RedactedHeaders)
	for _, h := range extra {
		if h = strings.ToLower(h); !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// AllowedEvaluationWindows are the evaluation_window_sec values AWS accepts
// (seconds).
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
	// Name is the web ACL's name (validate.WAFName: 1-128 letters, digits,
	// '_' and '-'). It also names the IP sets ("<Name>-blocked-ipv4"), the
	// log group and the CloudWatch metrics ("<Name>-<rule name>", at most
	// 128 characters), so it must leave room for those suffixes and must not
	// be a reserved metric name ("All", "Default_Action", see
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
	// Region is the provider region, e.g. "eu-west-1". Required.
	Region string
	// Scope is REGIONAL (default) or CLOUDFRONT. CLOUDFRONT is only accepted
	// when Region is us-east-1 and cannot be combined with ResourceArn(s)
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

	// BlockedAddresses are IPv4 and IPv6 CIDR blocks in canonical form
	// (e.g. "203.0.113.0/24", "2001:db8::/32"; not /0, no duplicates, at
	// most 10,000 of each version) whose requests are blocked before any
	// other rule.
	BlockedAddresses []string
	// BlockedAddressesVariable, when set, creates a Terraform variable of
	// that name (list(string), default []) whose CIDR blocks are added to
	// BlockedAddresses at plan time: block an attacker during an incident
	// with `terraform apply -var '<name>=["198.51.100.7/32"]'`, no code
	// change. The variable's validation blocks apply the rules of
	// BlockedAddresses (canonical CIDR blocks, no /0, no duplicates, at most
	// 10,000 per IP version together with BlockedAddresses), so a bad value
	// fails `terraform plan` with a clear message. The name must be a
	// Terraform identifier that Terraform does not reserve
	// (validate.VariableName).
	BlockedAddressesVariable string
	// AllowedAddresses are IPv4 and IPv6 CIDR blocks (rules of
	// BlockedAddresses) whose requests are allowed without evaluating later
	// rules (rate limit, custom rules, managed groups). Blocked addresses
	// still win. Default none.
	AllowedAddresses []string
	// BlockedCountryCodes are ISO 3166-1 alpha-2 codes (e.g. "KP") whose
	// requests are blocked; each must be one AWS WAF accepts (see
	// CountryCodes). Default none.
	BlockedCountryCodes []string

	// CustomRules are rules of your own (typed statements, any action),
	// evaluated by priority with the built-in rules and managed groups. Their
	// names must differ from the built-in rule names and the managed
	// groups' names. Default none.
	CustomRules []Rule
	// CustomResponseBodies are the bodies custom responses refer to by key
	// (1-128 letters, digits, '_' and '-'; not RateLimitedBodyKey). At most
	// 50 with the rate limit's.
	CustomResponseBodies map[string]CustomResponseBody

	// AcceptExtraCapacityCost allows more than IncludedCapacity (1500) WCUs,
	// which AWS bills per extra 500 WCUs. Set it when you need the extra
	// rule groups and accept the cost. Default false (more than 1500 WCUs is
	// an error). More than MaxCapacity (5000) is always an error.
	AcceptExtraCapacityCost bool

	// ResourceArn is the ARN of the resource to protect (may be a token
	// such as *alb.Arn()). Empty: no association. See ResourceArns for the
	// kinds accepted.
	ResourceArn string
	// ResourceArns are further resources to protect with the same web ACL,
	// e.g. several ALBs or API stages; each gets its own association
	// (ResourceArn's is "association", ResourceArns[i]'s "association_<i+1>").
	// Each is a token or the ARN, in Region and AccountId, of an Application
	// Load Balancer, API Gateway REST API stage, AppSync GraphQL API,
	// Cognito user pool, App Runner service or Verified Access instance; no
	// ARN twice; at most 100 in all. Not with Scope CLOUDFRONT.
	ResourceArns []string

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
	// Priority overrides the automatic priority (ManagedRuleGroupBasePriority
	// + 10*index); 0-MaxPriority, unique in the web ACL. Default (nil):
	// automatic.
	Priority *int
	// BotControlInspectionLevel is COMMON (default) or TARGETED; only for
	// groups that need it (Bot Control).
	BotControlInspectionLevel string
}

// RateLimit configures the rate-based rule, which blocks a client IP with
// HTTP 429 once it sends more than Limit requests in
// EvaluationWindowSeconds.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
type RateLimit struct {
	// Disabled removes the rule. Set it only when rate limiting happens in
	// front of the ACL (e.g. CloudFront with its own ACL). Default false.
	Disabled bool
	// Limit is the number of requests per client IP per window,
	// 10-2,000,000,000. Default (nil) 2000.
	Limit *int
	// EvaluationWindowSeconds is 60, 120, 300 or 600. Default (nil) 300.
	EvaluationWindowSeconds *int
	// Priority overrides the automatic priority (40); 0-MaxPriority,
	// unique in the web ACL. Default (nil): automatic.
	Priority *int
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
	// values (validate.LogRetentionDays; 0, never expire, is refused).
	// Default (nil) 365.
	RetentionInDays *int
	// KmsKeyArn is a customer-managed KMS key ARN (or token) managed
	// elsewhere whose policy already holds WafAcl.LogKeyPolicyStatements
	// (CloudWatch Logs of Region). Default: a new key with rotation on.
	KmsKeyArn string
	// KmsKey encrypts the log group with this key (bring your own key);
	// the construct adds the statement CloudWatch Logs needs to its policy.
	// It must be in AccountId and Region. Set at most one of KmsKey and
	// KmsKeyArn.
	KmsKey *securekey.SecureKey
	// DestinationArn sends the logs to a destination you manage instead of
	// a log group the construct creates (then no log group and no key are
	// created, and LogGroupName, RetentionInDays, KmsKey and KmsKeyArn must
	// be empty): a CloudWatch log group, a Kinesis Data Firehose delivery
	// stream or an S3 bucket whose name starts with "aws-waf-logs-", in
	// AccountId (and Region, for log groups and streams), or a token. Its
	// resource policy must let WAF deliver (log groups: the
	// delivery.logs.amazonaws.com statement WAF adds itself when allowed).
	// See https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
	DestinationArn string
	// OnlyBlockedAndCounted keeps only requests that a rule blocked or
	// counted (logging_filter), to cut log volume. Default false: every
	// request is logged.
	OnlyBlockedAndCounted bool
	// ExtraRedactedHeaders are redacted besides authorization and cookie:
	// header names of 1-40 letters, digits, '_' and '-' (written in
	// lowercase, each once: names differing only in case are one header),
	// at most MaxRedactedFields with RedactedHeaders.
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
	// Association links the ACL to its first resource (ResourceArn, else
	// ResourceArns[0]); nil without any.
	Association wafv2webaclassociation.Wafv2WebAclAssociation
	// Associations link the ACL to every resource, in the order of
	// ResourceArn and ResourceArns.
	Associations []wafv2webaclassociation.Wafv2WebAclAssociation
	// BlockedIpv4, BlockedIpv6 are the block-list IP sets (nil without a
	// block list); AllowedIpv4, AllowedIpv6 the allow-list ones (nil when
	// the allow list has no address of that version).
	BlockedIpv4, BlockedIpv6, AllowedIpv4, AllowedIpv6 wafv2ipset.Wafv2IpSet
	// BlockedAddressesVariable is the Terraform variable, or nil.
	BlockedAddressesVariable cdktf.TerraformVariable
	// LogGroup receives the WAF logs; nil with Logging.DestinationArn.
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// LogKey is the key the construct created for the log group; nil when
	// Logging.KmsKey, Logging.KmsKeyArn or Logging.DestinationArn was given.
	LogKey *securekey.SecureKey
	// LogKeyPolicyStatements are the key-policy statements the log key
	// needs (CloudWatch Logs of Region): added to a created or
	// Logging.KmsKey key; to be present in a Logging.KmsKeyArn key's policy.
	// Nil with Logging.DestinationArn.
	LogKeyPolicyStatements []iampolicy.Statement
	// LoggingConfiguration is the aws_wafv2_web_acl_logging_configuration.
	LoggingConfiguration wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfiguration
	// LogDestinationArn is where the logs go: the log group's ARN (a
	// token) or Logging.DestinationArn.
	LogDestinationArn string
	// MetricName is the web ACL's CloudWatch metric name (dimension WebACL
	// in the AWS/WAFV2 namespace).
	MetricName string
	// Rules lists the rules in priority order: built-in, custom and
	// managed.
	Rules []RuleInfo
	// Capacity is the total WCUs (rules and labels).
	Capacity int
	// Config is the config after defaults were applied.
	Config WafAclConfig
}

// NewWafAcl validates cfg and creates the web ACL, its IP sets, the
// associations with cfg.ResourceArn and cfg.ResourceArns, the log key, log
// group and logging configuration (see the package documentation). It
// returns a *validate.Error listing every problem, and creates nothing, when
// cfg is invalid, or when scope is nil or id is invalid or already used in
// scope.
func NewWafAcl(scope constructs.Construct, id string, cfg *WafAclConfig) (*WafAcl, error) {
	v := validate.NewFor("wafacl.NewWafAcl", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c, plan := cfg.plan(v, id)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	a := &WafAcl{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c, MetricName: metricName(c.Name, ""), Capacity: plan.capacity}
	tree.Child(scope, id, a.Construct)
	in := a.Construct
	p := c.Provider

	// IP sets.
	blocked4, blocked6 := splitCIDRs(c.BlockedAddresses)
	if len(c.BlockedAddresses) > 0 || c.BlockedAddressesVariable != "" {
		a.BlockedIpv4 = newIPSet(in, "blocked_ipv4", c.Name+"-blocked-ipv4", "IPv4 addresses blocked by "+c.Name, c.Scope, IPV4, blocked4, c.Tags, p)
		a.BlockedIpv6 = newIPSet(in, "blocked_ipv6", c.Name+"-blocked-ipv6", "IPv6 addresses blocked by "+c.Name, c.Scope, IPV6, blocked6, c.Tags, p)
		if name := c.BlockedAddressesVariable; name != "" {
			a.BlockedAddressesVariable = cdktf.NewTerraformVariable(in, jsii.String("blocked_addresses_variable"), &cdktf.TerraformVariableConfig{
				Type:        jsii.String("list(string)"),
				Default:     &[]*string{},
				Description: jsii.String(fmt.Sprintf("IPv4/IPv6 CIDR blocks that web ACL %s blocks (incident response), e.g. [\"198.51.100.7/32\"].", c.Name)),
				Nullable:    jsii.Bool(false),
				Validation:  variableValidations(name, c.BlockedAddresses),
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
		a.AllowedIpv4 = newIPSet(in, "allowed_ipv4", c.Name+"-allowed-ipv4", "IPv4 addresses allowed by "+c.Name, c.Scope, IPV4, allowed4, c.Tags, p)
	}
	if len(allowed6) > 0 {
		a.AllowedIpv6 = newIPSet(in, "allowed_ipv6", c.Name+"-allowed-ipv6", "IPv6 addresses allowed by "+c.Name, c.Scope, IPV6, allowed6, c.Tags, p)
	}

	// Rules, in priority order.
	var tfRules []*wafv2webacl.Wafv2WebAclRule
	for _, r := range plan.rules {
		tfRules = append(tfRules, a.renderRule(c, r))
		a.Rules = append(a.Rules, r.info)
	}

	aclCfg := &wafv2webacl.Wafv2WebAclConfig{
		Provider:      p,
		Tags:          common.Tags(c.Tags, nil),
		Name:          jsii.String(c.Name),
		Description:   jsii.String(escape(c.Description)),
		Scope:         jsii.String(c.Scope),
		DefaultAction: &wafv2webacl.Wafv2WebAclDefaultAction{Allow: &wafv2webacl.Wafv2WebAclDefaultActionAllow{}},
		VisibilityConfig: &wafv2webacl.Wafv2WebAclVisibilityConfig{
			CloudwatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(a.MetricName),
			SampledRequestsEnabled:   jsii.Bool(true),
		},
		Rule: &tfRules,
	}
	var bodies []*wafv2webacl.Wafv2WebAclCustomResponseBody
	if !c.RateLimit.Disabled {
		bodies = append(bodies, &wafv2webacl.Wafv2WebAclCustomResponseBody{
			Key:         jsii.String(RateLimitedBodyKey),
			Content:     jsii.String(escape(RateLimitedBody)),
			ContentType: jsii.String("TEXT_PLAIN"),
		})
	}
	for _, k := range sortedKeys(c.CustomResponseBodies) {
		b := c.CustomResponseBodies[k]
		bodies = append(bodies, &wafv2webacl.Wafv2WebAclCustomResponseBody{
			Key: jsii.String(k), Content: jsii.String(escape(b.Content)), ContentType: jsii.String(b.ContentType),
		})
	}
	if len(bodies) > 0 {
		aclCfg.CustomResponseBody = &bodies
	}
	a.WebAcl = wafv2webacl.NewWafv2WebAcl(in, jsii.String("web_acl"), aclCfg)

	for i, arn := range c.resourceArns() {
		id := "association"
		if i > 0 {
			id = fmt.Sprintf("association_%d", i)
		}
		assoc := wafv2webaclassociation.NewWafv2WebAclAssociation(in, jsii.String(id), &wafv2webaclassociation.Wafv2WebAclAssociationConfigA{
			Provider:    p,
			ResourceArn: jsii.String(arn),
			WebAclArn:   a.WebAcl.Arn(),
		})
		a.Associations = append(a.Associations, assoc)
	}
	if len(a.Associations) > 0 {
		a.Association = a.Associations[0]
	}

	a.newLogging(c)
	return a, nil
}

// renderRule turns a planned rule into the provider's rule block.
func (a *WafAcl) renderRule(c WafAclConfig, r plannedRule) *wafv2webacl.Wafv2WebAclRule {
	var stmt Statement
	action := &wafv2webacl.Wafv2WebAclRuleAction{Block: &wafv2webacl.Wafv2WebAclRuleActionBlock{}}
	var override *wafv2webacl.Wafv2WebAclRuleOverrideAction
	out := &wafv2webacl.Wafv2WebAclRule{
		Name:     jsii.String(r.info.Name),
		Priority: jsii.Number(float64(r.info.Priority)),
		VisibilityConfig: &wafv2webacl.Wafv2WebAclRuleVisibilityConfig{
			CloudwatchMetricsEnabled: jsii.Bool(true),
			MetricName:               jsii.String(r.info.MetricName),
			SampledRequestsEnabled:   jsii.Bool(true),
		},
	}
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
		stmt = RateBased{Limit: validate.IntOr(c.RateLimit.Limit, DefaultRateLimit), EvaluationWindowSeconds: c.RateLimit.EvaluationWindowSeconds}
		action = &wafv2webacl.Wafv2WebAclRuleAction{Block: &wafv2webacl.Wafv2WebAclRuleActionBlock{
			CustomResponse: &wafv2webacl.Wafv2WebAclRuleActionBlockCustomResponse{
				ResponseCode:          jsii.Number(RateLimitedStatusCode),
				CustomResponseBodyKey: jsii.String(RateLimitedBodyKey),
			},
		}}
	case ruleCustom:
		cr := c.CustomRules[r.index]
		stmt = cr.Statement
		action = ruleAction(cr)
		if len(cr.Labels) > 0 {
			labels := make([]*wafv2webacl.Wafv2WebAclRuleRuleLabel, len(cr.Labels))
			for i, l := range cr.Labels {
				labels[i] = &wafv2webacl.Wafv2WebAclRuleRuleLabel{Name: jsii.String(escape(l))}
			}
			out.RuleLabel = &labels
		}
		if t := cr.ImmunityTimeSeconds; t != nil {
			switch cr.Action {
			case ActionCaptcha:
				out.CaptchaConfig = &wafv2webacl.Wafv2WebAclRuleCaptchaConfig{ImmunityTimeProperty: &wafv2webacl.Wafv2WebAclRuleCaptchaConfigImmunityTimeProperty{ImmunityTime: jsii.Number(float64(*t))}}
			case ActionChallenge:
				out.ChallengeConfig = &wafv2webacl.Wafv2WebAclRuleChallengeConfig{ImmunityTimeProperty: &wafv2webacl.Wafv2WebAclRuleChallengeConfigImmunityTimeProperty{ImmunityTime: jsii.Number(float64(*t))}}
			}
		}
	default:
		stmt = managedGroupStatement{r.group}
		action = nil
		override = &wafv2webacl.Wafv2WebAclRuleOverrideAction{None: &wafv2webacl.Wafv2WebAclRuleOverrideActionNone{}}
		if r.group.CountMode {
			override = &wafv2webacl.Wafv2WebAclRuleOverrideAction{Count: &wafv2webacl.Wafv2WebAclRuleOverrideActionCount{}}
		}
	}
	out.Action, out.OverrideAction, out.Statement = action, override, stmt.Map()
	return out
}

// newLogging creates the log key and group (unless a destination is
// brought) and the logging configuration.
func (a *WafAcl) newLogging(c WafAclConfig) {
	in, p := a.Construct, c.Provider
	a.LogDestinationArn = c.Logging.DestinationArn
	if a.LogDestinationArn == "" {
		a.LogKeyPolicyStatements = logKeyStatements(c, validate.Env{AccountId: c.AccountId, Region: c.Region})
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
			RetentionInDays: validate.IntOr(c.Logging.RetentionInDays, DefaultRetentionInDays),
			KmsKeyArn:       jsii.String(keyArn),
			Tags:            common.Tags(c.Tags, nil),
			Provider:        p,
		})
		a.LogDestinationArn = *a.LogGroup.Arn()
	}
	var redacted []*wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFields
	for _, h := range redactedHeaders(c.Logging.ExtraRedactedHeaders) {
		redacted = append(redacted, &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFields{
			SingleHeader: &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader{Name: jsii.String(h)},
		})
	}
	logCfg := &wafv2webaclloggingconfiguration.Wafv2WebAclLoggingConfigurationConfig{
		Provider:              p,
		ResourceArn:           a.WebAcl.Arn(),
		LogDestinationConfigs: &[]*string{jsii.String(a.LogDestinationArn)},
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
}

// variableValidations are the validation blocks of the block-list
// variable: the rules of BlockedAddresses, checked by Terraform at plan
// time against the variable's values (and the static list). They stay
// linear in the number of values (toset, not distinct, which is quadratic:
// 10,000 values took minutes).
// See https://developer.hashicorp.com/terraform/language/values/variables#custom-validation-rules
func variableValidations(name string, static []string) *[]*cdktf.TerraformVariableValidationConfig {
	v4, v6 := splitCIDRs(static)
	ref := "var." + name
	out := []*cdktf.TerraformVariableValidationConfig{
		{
			Condition:    jsii.String(fmt.Sprintf("${alltrue([for c in %s : try(cidrsubnet(c, 0, 0) == c, false)])}", ref)),
			ErrorMessage: jsii.String("Each value must be an IPv4 or IPv6 CIDR block in canonical form (no host bits, lowercase IPv6), such as 198.51.100.7/32 or 2001:db8::/48."),
		},
		{
			Condition:    jsii.String(fmt.Sprintf("${alltrue([for c in %s : !endswith(c, \"/0\")])}", ref)),
			ErrorMessage: jsii.String("A /0 block cannot be blocked: AWS WAF refuses /0 in IP sets."),
		},
		{
			Condition:    jsii.String(uniqueCondition(ref, append(slices.Clone(v4), v6...))),
			ErrorMessage: jsii.String("Each CIDR block may be listed once, and not again if the web ACL's static block list has it."),
		},
		{
			Condition: jsii.String(fmt.Sprintf(`${length([for c in %s : c if !strcontains(c, ":")]) <= %d && length([for c in %s : c if strcontains(c, ":")]) <= %d}`,
				ref, MaxIPSetAddresses-len(v4), ref, MaxIPSetAddresses-len(v6))),
			ErrorMessage: jsii.String(fmt.Sprintf("An IP set holds at most %d CIDR blocks per IP version: the variable may add at most %d IPv4 and %d IPv6 blocks to the static block list.",
				MaxIPSetAddresses, MaxIPSetAddresses-len(v4), MaxIPSetAddresses-len(v6))),
		},
	}
	return &out
}

// uniqueCondition: no value twice, none of the static list.
func uniqueCondition(ref string, static []string) string {
	cond := fmt.Sprintf("length(toset(%s)) == length(%s)", ref, ref)
	if len(static) > 0 {
		cond += fmt.Sprintf(" && length(setintersection(toset(%s), toset(%s))) == 0", ref, hclList(static))
	}
	return "${" + cond + "}"
}

// hclList renders validated CIDR strings as an HCL list literal.
func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var (
	nonMetricRe = regexp.MustCompile(`[^A-Za-z0-9_-]`)
	nonAliasRe  = regexp.MustCompile(`[^A-Za-z0-9/_-]`)
)

// metricName returns the CloudWatch metric name of the ACL (rule "") or of
// one of its rules: "<Name>" or "<Name>-<rule>" (names are validated, so
// nothing is replaced for a valid config).
func metricName(acl, rule string) string {
	n := acl
	if rule != "" {
		n += "-" + rule
	}
	return nonMetricRe.ReplaceAllString(n, "_")
}

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

func (s managedGroupStatement) check(*checker, string, position) {}

// logKeyStatements are the key-policy statements the log key needs:
// CloudWatch Logs of the region may use it for this account's log groups.
func logKeyStatements(c WafAclConfig, env validate.Env) []iampolicy.Statement {
	sid := "AllowCloudWatchLogs"
	if c.Logging.KmsKey != nil || c.Logging.KmsKeyArn != "" {
		// A shared key holds one statement per web ACL.
		sid += "Waf" + policydoc.SidPart(c.Name)
	}
	return []iampolicy.Statement{securekey.LogsStatement(sid, env.Region, "ArnLike",
		fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", env.Partition(), env.Region, env.AccountId))}
}

// claims are the names the web ACL creates that must be unique in the app.
func (c WafAclConfig) claims() []registry.Claim {
	if c.Name == "" {
		return nil
	}
	out := []registry.Claim{{Kind: registry.WebACL, Name: c.Name, Field: "Name", Qualifier: c.Scope}}
	if c.Logging.DestinationArn == "" {
		out = append(out, registry.Claim{Kind: registry.LogGroup, Name: c.Logging.LogGroupName, Field: "Logging.LogGroupName"})
		if c.Logging.KmsKey == nil && c.Logging.KmsKeyArn == "" {
			out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: LogKeyAlias(c.Logging.LogGroupName), Field: "Logging.LogGroupName"})
		}
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
