package wafacl

// The rules of a WafAclConfig, in one place. Each follows AWS WAF (the API
// reference and quotas) and the hashicorp/aws provider's plan-time checks:
//
//   - Name: validate.WAFName, not a reserved metric name; "<Name>-<rule>"
//     metric names (and so the "<Name>-blocked-ipv4" IP set names) at most
//     128 characters (reported once, on Name, with the longest usable Name).
//   - Description: the WAF description pattern; a default derived from an
//     invalid Name is not reported again (no cascades).
//   - AccountId, Region: validate.Collector.Env (an invalid Region is not
//     blamed again on every ARN); Scope: REGIONAL, or CLOUDFRONT in
//     us-east-1 without ResourceArn(s).
//   - ResourceArn(s): a token, or the ARN of an ALB, API Gateway stage,
//     AppSync API, Cognito user pool, App Runner service or Verified Access
//     instance in Region/AccountId; no duplicates; at most 100.
//   - RateLimit: Limit 10-2e9, EvaluationWindowSeconds 60/120/300/600.
//   - Addresses: canonical CIDRs, not /0, no duplicates, <= 10,000 per IP
//     version (the variable's validation blocks apply the same at plan).
//   - Statements (scope-down, custom rules): see each statement type.
//   - Custom rules: names unique (also against built-in rules and managed
//     groups), actions and their options, labels, custom responses and their
//     bodies, immunity times.
//   - Priorities unique across every rule (0-MaxPriority).
//   - Reference statements (IP sets, regex pattern sets) <= 50.
//   - Capacity: rules + labels (1 WCU per 5) <= 5000, and <= 1500 unless
//     AcceptExtraCapacityCost.
//   - Logging: log group name, retention, one key, or a destination ARN.
//
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
// and https://docs.aws.amazon.com/waf/latest/developerguide/limits.html

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Validate checks the config as NewWafAcl(scope, id, cfg) does, without
// creating anything and without the checks that need the construct tree;
// id supplies the default Name. It returns nil or a *validate.Error.
func (cfg *WafAclConfig) Validate(id string) error {
	v := validate.NewFor("wafacl.NewWafAcl", id)
	cfg.plan(v, id)
	return v.Err()
}

// ruleCustom is the kind of planned custom rules.
const ruleCustom = "custom"

// plannedRule is one rule before resources exist.
type plannedRule struct {
	kind  string // RuleBlockedAddresses..., ruleCustom, or "" for managed groups
	group ManagedRuleGroup
	index int // of CustomRules
	info  RuleInfo
	field string // config field that sets its priority
	path  string // config field of the rule
}

type aclPlan struct {
	rules    []plannedRule
	capacity int
}

var (
	versionRe      = regexp.MustCompile(`^Version_[A-Za-z0-9._-]{1,64}$`)
	logGroupNameRe = regexp.MustCompile(`^[A-Za-z0-9._/#-]{1,512}$`)
)

// Resource kinds a regional web ACL protects.
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
var (
	apiGatewayStageArn = validate.ArnKind{What: "API Gateway REST API stage", Service: "apigateway",
		Resource: regexp.MustCompile(`^/restapis/[A-Za-z0-9]+/stages/[A-Za-z0-9_-]{1,128}$`), NoAccount: true,
		Example: "arn:aws:apigateway:<region>::/restapis/<api-id>/stages/<stage>"}
	appSyncAPIArn = validate.ArnKind{What: "AppSync GraphQL API", Service: "appsync",
		Resource: regexp.MustCompile(`^apis/[A-Za-z0-9]+$`), Example: "arn:aws:appsync:<region>:<account>:apis/<api-id>"}
	cognitoUserPoolArn = validate.ArnKind{What: "Cognito user pool", Service: "cognito-idp",
		Resource: regexp.MustCompile(`^userpool/[\w-]+_[0-9A-Za-z]+$`), Example: "arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>"}
	appRunnerServiceArn = validate.ArnKind{What: "App Runner service", Service: "apprunner",
		Resource: regexp.MustCompile(`^service/[A-Za-z0-9][A-Za-z0-9_-]{3,39}/[0-9a-f]{32}$`), Example: "arn:aws:apprunner:<region>:<account>:service/<name>/<id>"}
	verifiedAccessInstanceArn = validate.ArnKind{What: "Verified Access instance", Service: "ec2",
		Resource: regexp.MustCompile(`^verified-access-instance/vai-[0-9a-f]{8,17}$`), Example: "arn:aws:ec2:<region>:<account>:verified-access-instance/vai-<id>"}
	// wafRegexPatternSetArn is a WAFv2 regex pattern set.
	wafRegexPatternSetArn = validate.ArnKind{What: "WAFv2 regex pattern set", Service: "wafv2",
		Resource: regexp.MustCompile(`^(regional|global)/regexpatternset/[\w-]{1,128}/[0-9a-f-]{36}$`),
		Example:  "arn:aws:wafv2:<region>:<account>:regional/regexpatternset/<name>/<id>"}
	// Logging destinations.
	firehoseStreamArn = validate.ArnKind{What: "Kinesis Data Firehose delivery stream", Service: "firehose",
		Resource: regexp.MustCompile(`^deliverystream/[A-Za-z0-9_.-]{1,64}$`), Example: "arn:aws:firehose:<region>:<account>:deliverystream/aws-waf-logs-<name>"}
)

// resourceKinds maps an ARN's service to the kind it must be.
var resourceKinds = map[string]validate.ArnKind{
	"elasticloadbalancing": validate.ApplicationLoadBalancerArn,
	"apigateway":           apiGatewayStageArn,
	"appsync":              appSyncAPIArn,
	"cognito-idp":          cognitoUserPoolArn,
	"apprunner":            appRunnerServiceArn,
	"ec2":                  verifiedAccessInstanceArn,
}

const resourceKindsText = "an Application Load Balancer, API Gateway REST API stage, AppSync GraphQL API, Cognito user pool, App Runner service or Verified Access instance"

// resourceArns is ResourceArn followed by ResourceArns.
func (c WafAclConfig) resourceArns() []string {
	var out []string
	if c.ResourceArn != "" {
		out = append(out, c.ResourceArn)
	}
	return append(out, c.ResourceArns...)
}

func checkResourceArn(v *validate.Collector, field, value string, env validate.Env) {
	if !v.Literal(field, value) {
		return
	}
	a, ok := validate.ParseARN(value)
	kind, known := resourceKinds[a.Service]
	if !ok || !known {
		v.Add(field, value, "must be the ARN of "+resourceKindsText+" (or a token such as *alb.Arn()), e.g. "+validate.ApplicationLoadBalancerArn.Example)
		return
	}
	v.ARN(field, value, kind, env)
}

// checkWafArn checks the ARN of an IP set or regex pattern set referenced
// by a statement: its kind, the web ACL's partition, region and account,
// and its scope (regional/ or global/ for CLOUDFRONT).
func checkWafArn(c *checker, field, value string, kind validate.ArnKind) {
	if !c.literal(field, value) {
		return
	}
	if !c.v.Check(value != "", field, value, "is required: the ARN of the "+kind.What+" (or a token)") {
		return
	}
	a, ok := c.v.ARN(field, value, kind, c.env)
	if !ok || a.Resource == "" || c.scope == "" {
		return
	}
	want := "regional/"
	if c.scope == ScopeCloudfront {
		want = "global/"
	}
	c.v.Check(strings.HasPrefix(a.Resource, want), field, value, fmt.Sprintf("must be a %s of the web ACL's scope %s (resource %q...)", kind.What, c.scope, want))
}

// plan applies defaults, validates everything into v and returns the rules
// in priority order.
func (cfg *WafAclConfig) plan(v *validate.Collector, id string) (WafAclConfig, aclPlan) {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return WafAclConfig{}, aclPlan{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	if c.Scope == "" {
		c.Scope = ScopeRegional
	}
	// An empty non-nil list would silently drop every managed rule group
	// (the defaults only apply to nil): the opt-out is explicit.
	v.Check(c.ManagedRuleGroups == nil || len(c.ManagedRuleGroups) > 0 || c.NoManagedRuleGroups, "ManagedRuleGroups", "[] (empty)",
		"must not be empty: leave it nil for DefaultManagedRuleGroups(), or set NoManagedRuleGroups: true to run without managed rule groups")
	v.Check(!(c.NoManagedRuleGroups && len(c.ManagedRuleGroups) > 0), "NoManagedRuleGroups", true, "contradicts ManagedRuleGroups: set one or the other")
	if c.ManagedRuleGroups == nil && !c.NoManagedRuleGroups {
		c.ManagedRuleGroups = DefaultManagedRuleGroups()
	}
	c.ManagedRuleGroups = slices.Clone(c.ManagedRuleGroups)
	for i := range c.ManagedRuleGroups {
		if g := &c.ManagedRuleGroups[i]; g.Group.ConfigBlock != "" && g.BotControlInspectionLevel == "" {
			g.BotControlInspectionLevel = DefaultBotControlInspectionLevel
		}
	}
	logGroupDerived := c.Logging.LogGroupName == "" && c.Logging.DestinationArn == ""
	if logGroupDerived {
		c.Logging.LogGroupName = LogGroupPrefix + c.Name
	}

	v.ConfigTokens(c)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)

	// Name, and what is derived from it (checked once, on the Name).
	// An id already reported (by the scope check) is not reported again.
	nameOK := !(nameField == "id" && v.Failed("id")) && checkName(v, nameField, c.Name)
	if nameOK {
		nameOK = v.Check(!slices.ContainsFunc(ReservedMetricNames, func(r string) bool { return strings.EqualFold(r, c.Name) }), nameField, c.Name,
			fmt.Sprintf("is a metric name reserved by AWS WAF (%v, any case): the web ACL's metric is named after Name", ReservedMetricNames))
	}
	switch {
	case cfg.Description != "":
		checkDescription(v, "Description", c.Description)
	case nameOK:
		c.Description = "Web ACL " + c.Name
	}

	checkScope(v, c.Scope, env)
	arns := c.resourceArns()
	if c.Scope == ScopeCloudfront {
		for i, arn := range arns {
			f := "ResourceArn"
			if c.ResourceArn == "" || i > 0 {
				f = fmt.Sprintf("ResourceArns[%d]", i-btoi(c.ResourceArn != ""))
			}
			v.Add(f, arn, "must be empty with Scope CLOUDFRONT: a CloudFront distribution names its web ACL in web_acl_id")
		}
	} else {
		seen := map[string]string{}
		for i, arn := range arns {
			f := "ResourceArn"
			if c.ResourceArn == "" || i > 0 {
				f = fmt.Sprintf("ResourceArns[%d]", i-btoi(c.ResourceArn != ""))
			}
			if other, dup := seen[arn]; dup {
				v.Add(f, arn, "is associated twice (also "+other+")")
				continue
			}
			seen[arn] = f
			checkResourceArn(v, f, arn, env)
		}
		v.Check(len(arns) <= MaxAssociations, "ResourceArns", len(arns), fmt.Sprintf("must hold at most %d resources with ResourceArn (the AWS quota of associations per web ACL)", MaxAssociations))
	}

	// Rate limit.
	if !c.RateLimit.Disabled {
		v.OptionalRange("RateLimit.Limit", c.RateLimit.Limit, MinRateLimit, MaxRateLimit, "requests per window")
		if w := c.RateLimit.EvaluationWindowSeconds; w != nil {
			v.OneOfInt("RateLimit.EvaluationWindowSeconds", *w, AllowedEvaluationWindows, "seconds")
		}
	}

	// Addresses and countries.
	checkAddresses(v, "BlockedAddresses", c.BlockedAddresses, "")
	checkAddresses(v, "AllowedAddresses", c.AllowedAddresses, "")
	if c.BlockedAddressesVariable != "" {
		v.Rule("BlockedAddressesVariable", c.BlockedAddressesVariable, validate.VariableName(c.BlockedAddressesVariable))
	}
	ch := &checker{v: v, env: env, scope: c.Scope}
	if len(c.BlockedCountryCodes) > 0 {
		GeoMatch{CountryCodes: c.BlockedCountryCodes}.check(ch, "BlockedCountryCodes(GeoMatch)", scopeDownPosition())
	}

	// Custom response bodies and rules.
	var reservedBodies []string
	bodies := map[string]bool{}
	if !c.RateLimit.Disabled {
		reservedBodies = []string{RateLimitedBodyKey}
	}
	checkBodies(ch, c.CustomResponseBodies, reservedBodies)
	for k := range c.CustomResponseBodies {
		bodies[k] = true
	}
	for _, k := range reservedBodies {
		bodies[k] = true // custom rules may answer with the rate limit's body
	}
	labels := 0
	for i, r := range c.CustomRules {
		checkRule(ch, fmt.Sprintf("CustomRules[%d]", i), r, bodies)
		labels += len(r.Labels)
	}

	// Rules with their priorities and costs.
	var rules []plannedRule
	add := func(r plannedRule, prio int, userPrio *int) {
		if userPrio != nil {
			prio = *userPrio
		}
		r.info.Priority = prio
		r.info.MetricName = metricName(c.Name, r.info.Name)
		rules = append(rules, r)
	}
	refs := 0
	if len(c.BlockedAddresses) > 0 || c.BlockedAddressesVariable != "" {
		refs += 2
		add(plannedRule{kind: RuleBlockedAddresses, path: "BlockedAddresses", field: "BlockedAddresses", info: RuleInfo{Name: RuleBlockedAddresses, WCU: 2}}, PriorityBlockedAddresses, nil)
	}
	if len(c.AllowedAddresses) > 0 {
		a4, a6 := splitCIDRs(c.AllowedAddresses)
		n := btoi(len(a4) > 0) + btoi(len(a6) > 0)
		refs += n
		add(plannedRule{kind: RuleAllowedAddresses, path: "AllowedAddresses", field: "AllowedAddresses", info: RuleInfo{Name: RuleAllowedAddresses, WCU: max(n, 1)}}, PriorityAllowedAddresses, nil)
	}
	if len(c.BlockedCountryCodes) > 0 {
		add(plannedRule{kind: RuleBlockedCountries, path: "BlockedCountryCodes", field: "BlockedCountryCodes", info: RuleInfo{Name: RuleBlockedCountries, WCU: 1}}, PriorityBlockedCountries, nil)
	}
	if !c.RateLimit.Disabled {
		if p := c.RateLimit.Priority; p != nil {
			v.Range("RateLimit.Priority", *p, 0, MaxPriority, "")
		}
		add(plannedRule{kind: RuleRateLimit, path: "RateLimit", field: "RateLimit.Priority", info: RuleInfo{Name: RuleRateLimit, WCU: 2}}, PriorityRateLimit, c.RateLimit.Priority)
	}
	for i, r := range c.CustomRules {
		f := fmt.Sprintf("CustomRules[%d]", i)
		wcu := 0
		// Only a statement that passed its checks is walked for its cost:
		// the nesting limit bounds it (a statement that holds itself
		// through a pointer would recurse forever).
		if !isNil(r.Statement) && !v.Failed(f+".Statement") {
			wcu = r.Statement.WCU()
		}
		add(plannedRule{kind: ruleCustom, index: i, path: f, field: f + ".Priority", info: RuleInfo{Name: r.Name, WCU: wcu}}, CustomRuleBasePriority+i, r.Priority)
	}
	for i, g := range c.ManagedRuleGroups {
		f := fmt.Sprintf("ManagedRuleGroups[%d]", i)
		checkManagedGroup(ch, f, g)
		wcu := g.Group.Capacity
		if !v.Failed(f + ".ScopeDown") { // as for custom rules
			wcu = managedGroupStatement{g}.WCU()
		}
		add(plannedRule{group: g, path: f, field: f + ".Priority", info: RuleInfo{Name: g.Group.Name, WCU: wcu}}, ManagedRuleGroupBasePriority+10*i, g.Priority)
	}
	refs += ch.refs
	v.Check(refs <= MaxReferenceStatements, "CustomRules", refs,
		fmt.Sprintf("the web ACL has %d IP set and regex pattern set reference statements (block and allow lists included): AWS WAF allows at most %d", refs, MaxReferenceStatements))

	// Unique names (built-in rules and managed groups first, so a custom
	// rule that takes one of their names is the one reported) and
	// priorities.
	byName := map[string]string{}
	for _, custom := range []bool{false, true} {
		for _, r := range rules {
			if (r.kind == ruleCustom) != custom || r.info.Name == "" || (custom && v.Failed(r.path+".Name")) {
				continue
			}
			if other, dup := byName[r.info.Name]; dup {
				f, hint := r.path, ": add each managed rule group once"
				if custom {
					f, hint = r.path+".Name", ": rule names are unique in a web ACL"
				}
				v.Add(f, r.info.Name, fmt.Sprintf("rule name %q is used twice (also by %s)%s", r.info.Name, other, hint))
			}
			byName[r.info.Name] = r.path
		}
	}
	byPrio := map[int]string{}
	for _, r := range rules {
		if v.Failed(r.field) {
			continue
		}
		if other, dup := byPrio[r.info.Priority]; dup {
			v.Add(r.field, r.info.Priority, fmt.Sprintf("priority %d of rule %s is already used by rule %s: priorities must be unique", r.info.Priority, r.info.Name, other))
		}
		byPrio[r.info.Priority] = r.info.Name
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].info.Priority < rules[j].info.Priority })

	// Derived names: metric names and IP set names at most 128 characters.
	if nameOK {
		checkDerivedLengths(v, nameField, c, rules)
	}

	// Capacity.
	total, custom, managed := 0, 0, 0
	var costs []string
	for _, r := range rules {
		total += r.info.WCU
		switch r.kind {
		case ruleCustom:
			custom += r.info.WCU
		case "":
			managed += r.info.WCU
		}
		costs = append(costs, fmt.Sprintf("%s=%d", r.info.Name, r.info.WCU))
	}
	if labels > 0 {
		n := (labels + 4) / 5
		total += n
		costs = append(costs, fmt.Sprintf("%d rule labels=%d", labels, n))
	}
	capField := "ManagedRuleGroups"
	if custom > managed {
		capField = "CustomRules"
	}
	breakdown := fmt.Sprintf("rule costs (WCUs): %s; total %d", strings.Join(costs, ", "), total)
	switch {
	case total > MaxCapacity:
		v.Add(capField, total, fmt.Sprintf("the web ACL needs %d WCUs, more than the AWS maximum of %d; remove rule groups, rules or scope-down statements. %s", total, MaxCapacity, breakdown))
	case total > IncludedCapacity && !c.AcceptExtraCapacityCost:
		v.Add(capField, total, fmt.Sprintf("the web ACL needs %d WCUs, more than the %d included in the base price; AWS bills every extra 500 WCUs. Remove rule groups or rules, or set AcceptExtraCapacityCost: true. %s", total, IncludedCapacity, breakdown))
	}

	checkLogging(v, &c, env, logGroupDerived && !nameOK)
	return c, aclPlan{rules: rules, capacity: total}
}

// checkDerivedLengths reports, once on the Name field, a Name too long for
// the names derived from it.
func checkDerivedLengths(v *validate.Collector, field string, c WafAclConfig, rules []plannedRule) {
	limit, why := MaxMetricNameLength, ""
	for _, r := range rules {
		if r.kind == ruleCustom && v.Failed(r.path+".Name") {
			continue
		}
		if n := MaxMetricNameLength - len(r.info.Name) - 1; n < limit {
			limit, why = n, fmt.Sprintf("the metric name of rule %s, %q", r.info.Name, metricName(c.Name, r.info.Name))
		}
	}
	// The IP set names ("<Name>-blocked-ipv4", 13 more characters) are
	// shorter than the metric names of the rules that use them
	// ("<Name>-BlockedAddresses"), so they need no check of their own.
	if len(c.Name) <= limit {
		return
	}
	if limit < 1 {
		v.Add(field, c.Name, fmt.Sprintf("leaves no room for %s: metric names are at most %d characters; shorten the rule name", why, MaxMetricNameLength))
		return
	}
	v.Suggest(field, c.Name, fmt.Sprintf("is %d characters: %s would be longer than 128 characters; use a Name of at most %d characters", len(c.Name), why, limit),
		strings.TrimRight(c.Name[:limit], "-_"))
}

func checkManagedGroup(c *checker, field string, g ManagedRuleGroup) {
	v := c.v
	if !v.Check(g.Group.Name != "" && g.Group.VendorName != "" && g.Group.Capacity > 0, field+".Group", g.Group.Name,
		"is required: use a value of generated/wafmanagedrules such as wafmanagedrules.Common") {
		return
	}
	if g.Version != "" {
		if g.Group.Versioned {
			// A token only reaches the rule group's version: Terraform's to check.
			v.Check(!v.Literal(field+".Version", g.Version) || versionRe.MatchString(g.Version), field+".Version", g.Version, "must be a version name such as \"Version_1.10\"")
		} else {
			v.Add(field+".Version", g.Version, g.Group.Name+" is not versioned by AWS: leave Version empty")
		}
	}
	seen := map[wafmanagedrules.RuleName]bool{}
	for i, r := range g.CountRules {
		f := fmt.Sprintf("%s.CountRules[%d]", field, i)
		if !g.Group.HasRule(r) {
			names := make([]string, len(g.Group.Rules))
			for j, n := range g.Group.Rules {
				names[j] = string(n)
			}
			v.Suggest(f, string(r), fmt.Sprintf("is not a rule of %s; its rules are %v", g.Group.Name, g.Group.Rules), validate.Nearest(string(r), names))
		} else {
			v.Check(!seen[r], f, string(r), "is listed twice")
		}
		seen[r] = true
	}
	if g.ScopeDown != nil {
		checkStatement(c, field+".ScopeDown", g.ScopeDown, scopeDownPosition())
	}
	if g.Priority != nil {
		v.Range(field+".Priority", *g.Priority, 0, MaxPriority, "")
	}
	if g.Group.ConfigBlock != "" {
		v.OneOf(field+".BotControlInspectionLevel", g.BotControlInspectionLevel, []string{"COMMON", "TARGETED"})
	} else {
		v.Check(g.BotControlInspectionLevel == "", field+".BotControlInspectionLevel", g.BotControlInspectionLevel, "only applies to the Bot Control group")
	}
}

// checkLogging checks c.Logging; derivedFromBadName skips the log group name
// derived from a Name already reported.
func checkLogging(v *validate.Collector, c *WafAclConfig, env validate.Env, derivedFromBadName bool) {
	lg := c.Logging
	if lg.DestinationArn != "" {
		for _, f := range []struct {
			name string
			set  bool
		}{{"LogGroupName", lg.LogGroupName != ""}, {"RetentionInDays", lg.RetentionInDays != nil}, {"KmsKey", lg.KmsKey != nil}, {"KmsKeyArn", lg.KmsKeyArn != ""}} {
			v.Check(!f.set, "Logging."+f.name, "set", "must be empty with Logging.DestinationArn: the destination is yours, the construct creates no log group or key")
		}
		checkLogDestination(v, "Logging.DestinationArn", lg.DestinationArn, env)
	} else {
		if !derivedFromBadName && v.NeedLiteral("Logging.LogGroupName", lg.LogGroupName) { // claimed, and named in the key policy
			if !strings.HasPrefix(lg.LogGroupName, LogGroupPrefix) {
				v.Add("Logging.LogGroupName", lg.LogGroupName, fmt.Sprintf("must start with %q: AWS WAF only logs to log groups named so (leave empty for %q)", LogGroupPrefix, LogGroupPrefix+c.Name))
			} else {
				v.Check(logGroupNameRe.MatchString(lg.LogGroupName) && len("alias/"+lg.LogGroupName) <= 256, "Logging.LogGroupName", lg.LogGroupName,
					"must be at most 250 characters of letters, digits and . _ / # - (the CloudWatch Logs log group name characters)")
			}
		}
		if lg.RetentionInDays != nil {
			v.LogRetention("Logging.RetentionInDays", *lg.RetentionInDays)
		}
		switch {
		case lg.KmsKey != nil && lg.KmsKeyArn != "":
			v.Add("Logging.KmsKeyArn", lg.KmsKeyArn, "must be empty when Logging.KmsKey is set (one key)")
		case lg.KmsKey != nil:
			lg.KmsKey.CheckUse(v, "Logging.KmsKey", env, logKeyStatements(*c, env)...)
		case lg.KmsKeyArn != "":
			// CloudWatch Logs needs the key ARN, not an alias.
			v.ARN("Logging.KmsKeyArn", lg.KmsKeyArn, validate.KmsKeyArn, env)
		}
	}
	for i, h := range lg.ExtraRedactedHeaders {
		if f := fmt.Sprintf("Logging.ExtraRedactedHeaders[%d]", i); v.NeedLiteral(f, h) { // redaction is a security control
			v.Check(headerNameRe.MatchString(strings.ToLower(h)), f, h, "must be an HTTP header name: "+headerNameRule)
		}
	}
	if n := len(redactedHeaders(lg.ExtraRedactedHeaders)); n > MaxRedactedFields {
		v.Add("Logging.ExtraRedactedHeaders", len(lg.ExtraRedactedHeaders), fmt.Sprintf("must hold at most %d distinct headers: a logging configuration redacts at most %d fields, %v included (this one would redact %d)",
			MaxRedactedFields-len(RedactedHeaders), MaxRedactedFields, RedactedHeaders, n))
	}
}

// checkLogDestination: a log group, Firehose stream or S3 bucket ARN
// whose name starts with aws-waf-logs-, or a token.
func checkLogDestination(v *validate.Collector, field, value string, env validate.Env) {
	if !v.Literal(field, value) {
		return
	}
	a, _ := validate.ParseARN(value)
	var name string
	switch a.Service {
	case "logs":
		if a, ok := v.ARN(field, value, validate.LogGroupArn, env); ok {
			if strings.HasSuffix(a.Resource, ":*") {
				v.Suggest(field, value, "must be the log group ARN without the \":*\" suffix", strings.TrimSuffix(value, ":*"))
				return
			}
			name = strings.TrimPrefix(a.Resource, "log-group:")
		}
	case "firehose":
		if a, ok := v.ARN(field, value, firehoseStreamArn, env); ok {
			name = a.ResourceID()
		}
	case "s3":
		if a, ok := v.ARN(field, value, validate.S3BucketArn, validate.Env{}); ok {
			name, _, _ = strings.Cut(a.Resource, "/")
		}
	default:
		v.Add(field, value, "must be the ARN of a CloudWatch log group, Kinesis Data Firehose delivery stream or S3 bucket (or a token)")
		return
	}
	if name != "" {
		v.Check(strings.HasPrefix(name, LogGroupPrefix), field, value, fmt.Sprintf("must name a destination starting with %q: AWS WAF only logs to destinations named so", LogGroupPrefix))
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nearest is validate.Nearest for messages.
func nearest(s string, candidates []string) string { return validate.Nearest(s, candidates) }
