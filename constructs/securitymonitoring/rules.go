package securitymonitoring

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The rules of SecurityMonitoringConfig, in one place. Each names the AWS
// or Terraform rule it follows (mostly through package validate, where the
// rule of each name kind is written once). One mistake gives one problem:
// a field derived from Name, AccountId or Region is only checked when its
// sources are valid or when the user set it, and a field that configures
// something the construct does not create (the bucket, a key) is reported
// as such instead of being checked.

var (
	// nameRe is what the names derived from Name need (see the Name field).
	nameRe = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$`)
	// alarmIDRe is the Id of a target group's or service's alarms.
	alarmIDRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?$`)
	// The CloudWatch dimension values of the AWS/ApplicationELB metrics.
	// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html#load-balancer-metric-dimensions-alb
	lbArnSuffixRe = regexp.MustCompile(`^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	tgArnSuffixRe = regexp.MustCompile(`^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
)

const (
	nameRule = "must be 1-39 letters, digits and '-', starting with a letter, not ending with '-', without \"--\", and not starting with the S3-reserved \"sthree-\" or \"amzn-s3-demo-\" (the trail, bucket and other names derive from it)"
	idRule   = "must be 1-64 letters, digits and '-', starting and ending with a letter or digit (it names the alarms)"
	// notCreated is the rule of a field that configures a resource the
	// construct does not create.
	notCreated = "configures the %s the construct creates, and must be unset with %s (configure your own %s instead)"
)

// Validate checks the config as NewSecurityMonitoring(scope, id, cfg) does,
// without a scope and without creating anything (the checks that need the
// construct tree, such as names claimed by other constructs, are left out).
// It returns nil or a *validate.Error.
func (cfg *SecurityMonitoringConfig) Validate(id string) error {
	v := validate.NewFor("securitymonitoring.NewSecurityMonitoring", id)
	cfg.withDefaults(v, id)
	return v.Err()
}

// withDefaults records every problem of cfg in v and returns a copy with
// the defaults applied.
func (cfg *SecurityMonitoringConfig) withDefaults(v *validate.Collector, id string) SecurityMonitoringConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return SecurityMonitoringConfig{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)

	// Name, and the names derived from it.
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	v.ConfigTokens(c)
	// An id already refused (by the constructor's scope check) is not also
	// blamed as the default Name.
	okName := !(nameField == "id" && v.Failed("id")) && checkName(v, nameField, c.Name)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	okAccount, okRegion := env.AccountId != "", env.Region != ""
	common.CheckTags(v, "Tags", c.Tags)
	if okName {
		// Implied by the Name rule; checked with the vocabulary all the same.
		v.Rule(nameField, TrailRoleName(c), validate.IAMRoleName(TrailRoleName(c)))
		v.Rule(nameField, AlarmTopicName(c), validate.SNSTopicName(AlarmTopicName(c), false))
		v.Rule(nameField, FindingsRuleName(c), validate.EventRuleName(FindingsRuleName(c)))
	}
	if b := c.PermissionsBoundaryArn; b != "" && literal(b) {
		if a, ok := validate.ParseARN(b); ok && a.Account == "aws" {
			// An AWS managed policy: "aws" in place of the account.
			a.Account = "000000000000"
			bEnv := env
			bEnv.AccountId = ""
			v.Rule("PermissionsBoundaryArn", b, validate.ArnRule(a.String(), validate.IamPolicyArn, bEnv))
		} else {
			v.ARN("PermissionsBoundaryArn", b, validate.IamPolicyArn, env)
		}
	}

	// derived fields: a default from Name/AccountId is skipped when its
	// sources are already reported.
	derived := map[string]bool{}
	derive := func(p *string, value, field string) {
		if *p == "" {
			*p, derived[field] = value, true
		}
	}
	skip := func(field string, sourcesOK bool) bool { return derived[field] && !sourcesOK }

	// Trail.
	derive(&c.TrailName, c.Name+"-trail", "TrailName")
	if !skip("TrailName", okName) && v.NeedLiteral("TrailName", c.TrailName) {
		v.Rule("TrailName", c.TrailName, validate.TrailName(c.TrailName))
	}
	// Log group.
	derive(&c.LogGroupName, "/aws/cloudtrail/"+c.Name, "LogGroupName")
	if !skip("LogGroupName", okName) && v.NeedLiteral("LogGroupName", c.LogGroupName) {
		v.Rule("LogGroupName", c.LogGroupName, validate.LogGroupName(c.LogGroupName))
	}
	if c.RetentionInDays != nil {
		v.LogRetention("RetentionInDays", *c.RetentionInDays)
	}
	c.RetentionInDays = intOr(c.RetentionInDays, DefaultRetentionInDays)

	// CIS metric filters and alarms.
	derive(&c.MetricNamespace, "CISBenchmark/"+c.Name, "MetricNamespace")
	if !skip("MetricNamespace", okName) && v.NeedLiteral("MetricNamespace", c.MetricNamespace) {
		v.Rule("MetricNamespace", c.MetricNamespace, validate.MetricFilterNamespace(c.MetricNamespace))
	}
	atLeast(v, "UnauthorizedApiCallsThreshold", c.UnauthorizedApiCallsThreshold, 0, "calls")
	c.UnauthorizedApiCallsThreshold = intOr(c.UnauthorizedApiCallsThreshold, DefaultUnauthorizedApiCallsThreshold)

	// Trail key.
	switch {
	case c.TrailKmsKey != nil && c.TrailKmsKeyArn != "":
		v.Add("TrailKmsKeyArn", c.TrailKmsKeyArn, "must be empty when TrailKmsKey is set (one trail key)")
	case c.TrailKmsKey != nil:
		if okName && !v.Failed("TrailName") && !v.Failed("LogGroupName") {
			c.TrailKmsKey.CheckUse(v, "TrailKmsKey", env, trailKeyStatements(c)...)
		}
	case c.TrailKmsKeyArn != "":
		v.ARN("TrailKmsKeyArn", c.TrailKmsKeyArn, validate.KmsKeyArn, env)
	}
	createsKeys := c.TrailKmsKey == nil && c.TrailKmsKeyArn == "" || c.AlarmKmsKey == nil && c.AlarmKmsKeyArn == ""
	if c.DeletionWindowInDays != nil && !createsKeys {
		v.Add("DeletionWindowInDays", *c.DeletionWindowInDays, fmt.Sprintf(notCreated, "keys", "both keys brought (TrailKmsKey/TrailKmsKeyArn and AlarmKmsKey/AlarmKmsKeyArn)", "keys' deletion windows"))
	} else {
		v.OptionalRange("DeletionWindowInDays", c.DeletionWindowInDays, 7, 30, "days")
	}
	c.DeletionWindowInDays = intOr(c.DeletionWindowInDays, DefaultDeletionWindowInDays)

	// Trail bucket: created, a SecureBucket of the app, or existing.
	c.checkBucket(v, env, okName, okAccount, derive, skip)

	// GuardDuty.
	if c.SkipGuardDutyDetector {
		v.Check(c.FindingPublishingFrequency == "", "FindingPublishingFrequency", c.FindingPublishingFrequency,
			"is only used when the construct creates the detector; it must be empty with SkipGuardDutyDetector")
	} else {
		if c.FindingPublishingFrequency == "" {
			c.FindingPublishingFrequency = DefaultFindingPublishingFrequency
		}
		v.OneOf("FindingPublishingFrequency", c.FindingPublishingFrequency, FindingPublishingFrequencies)
	}
	if s := c.FindingsMinSeverity; s != nil {
		switch {
		case validate.IsNumberToken(*s):
			v.Add("FindingsMinSeverity", *s, "must be a literal number: it is written into the findings rule's event pattern")
		case math.IsNaN(*s) || *s < 1 || *s > 10:
			v.Add("FindingsMinSeverity", *s, "must be a GuardDuty severity from 1.0 to 10.0")
		}
	}
	c.FindingsMinSeverity = floatOr(c.FindingsMinSeverity, DefaultFindingsMinSeverity)

	// Alarm topic.
	switch {
	case c.AlarmKmsKey != nil && c.AlarmKmsKeyArn != "":
		v.Add("AlarmKmsKeyArn", c.AlarmKmsKeyArn, "must be empty when AlarmKmsKey is set (one alarm key)")
	case c.AlarmKmsKey != nil:
		if okName {
			c.AlarmKmsKey.CheckUse(v, "AlarmKmsKey", env, alarmKeyStatements(c)...)
		}
	case c.AlarmKmsKeyArn != "":
		v.ARN("AlarmKmsKeyArn", c.AlarmKmsKeyArn, validate.KmsKeyArn, env)
	}
	c.AlarmEmails = slices.Clone(cfg.AlarmEmails)
	seen := map[string]bool{}
	for i, e := range c.AlarmEmails {
		field := fmt.Sprintf("AlarmEmails[%d]", i)
		if !literal(e) || !v.Rule(field, e, validate.EmailAddress(e)) {
			continue
		}
		key := strings.ToLower(e)
		v.Check(!seen[key], field, e, "is listed twice (addresses are compared ignoring case)")
		seen[key] = true
	}

	// Service alarms.
	if cfg.Alb != nil {
		c.Alb = checkAlb(v, *cfg.Alb)
	}
	c.Ecs = checkEcs(v, cfg.Ecs)
	if cfg.Waf != nil {
		c.Waf = checkWaf(v, *cfg.Waf, c.Region, okRegion)
	}
	if okName {
		for _, a := range c.alarmIDs() {
			if !v.Failed(a.field) {
				v.Rule(a.field, c.Name+"-"+a.id, validate.AlarmName(c.Name+"-"+a.id))
			}
		}
	}
	return c
}

// checkName applies the Name rule (a literal that the derived names fit).
func checkName(v *validate.Collector, field, name string) bool {
	rule := nameRule
	if field == "id" {
		rule = "is the default Name (Name is empty, so Name is validate.NameFromID(id)), which " + rule + "; or set Name"
	}
	if !v.NeedLiteral(field, name) {
		return false
	}
	ok := validName(name)
	if !ok {
		if s := validate.NameFromID(name); validName(s) {
			v.Suggest(field, name, rule, s)
		} else {
			v.Add(field, name, rule)
		}
	}
	return ok
}

// madeBucket requires a bucket made by securebucket.NewSecureBucket (not
// a zero SecureBucket).
func madeBucket(v *validate.Collector, field string, b *securebucket.SecureBucket) bool {
	if b.Bucket == nil || b.Policy == nil {
		v.Add(field, nil, "must be a bucket created with securebucket.NewSecureBucket")
		return false
	}
	return true
}

// validName is the Name rule.
func validName(name string) bool {
	lower := strings.ToLower(name)
	return nameRe.MatchString(name) && !strings.Contains(name, "--") &&
		!strings.HasPrefix(lower, "sthree-") && !strings.HasPrefix(lower, "amzn-s3-demo-")
}

// checkBucket applies the trail bucket's rules and defaults.
func (c *SecurityMonitoringConfig) checkBucket(v *validate.Collector, env validate.Env, okName, okAccount bool,
	derive func(*string, string, string), skip func(string, bool) bool) {
	byo := ""
	switch {
	case c.S3Bucket != nil && c.ExistingS3BucketName != "":
		v.Add("ExistingS3BucketName", c.ExistingS3BucketName, "must be empty when S3Bucket is set (one trail bucket)")
		byo = "S3Bucket"
	case c.S3Bucket != nil:
		byo = "S3Bucket"
		b := c.S3Bucket.Config
		if !madeBucket(v, "S3Bucket", c.S3Bucket) {
			break
		}
		if p := validate.PartitionOf(b.Region); env.Region != "" && p != validate.PartitionOf(env.Region) {
			v.Add("S3Bucket", b.BucketName, fmt.Sprintf("is in partition %s (region %s), but the trail is in %s: CloudTrail delivers within its partition", p, b.Region, validate.PartitionOf(env.Region)))
		} else if env.Region != "" && b.Region != env.Region {
			v.Add("S3Bucket", b.BucketName, fmt.Sprintf("is in region %s, but the trail key is in Region %s: CloudTrail needs the KMS key and the bucket in one region", b.Region, env.Region))
		} else if okName && !v.Failed("TrailName") {
			c.S3Bucket.CheckAddToResourcePolicy(v, "S3Bucket", bucketStatements(*c, *c.S3Bucket.Arn())...)
		}
	case c.ExistingS3BucketName != "":
		byo = "ExistingS3BucketName"
		if literal(c.ExistingS3BucketName) {
			v.Rule("ExistingS3BucketName", c.ExistingS3BucketName, validate.BucketName(c.ExistingS3BucketName))
		}
	}
	if byo != "" {
		what := fmt.Sprintf(notCreated, "trail bucket", byo, "bucket's settings")
		if c.S3BucketName != "" {
			v.Add("S3BucketName", c.S3BucketName, what)
		}
		if c.S3ExpirationDays != nil {
			v.Add("S3ExpirationDays", *c.S3ExpirationDays, what)
		}
		if c.NoncurrentVersionExpirationDays != nil {
			v.Add("NoncurrentVersionExpirationDays", *c.NoncurrentVersionExpirationDays, what)
		}
		if c.AccessLogsBucket != "" {
			v.Add("AccessLogsBucket", c.AccessLogsBucket, what)
		}
		if c.AccessLogsSecureBucket != nil {
			v.Add("AccessLogsSecureBucket", c.AccessLogsSecureBucket.Config.BucketName, what)
		}
		if c.ForceDestroy {
			v.Add("ForceDestroy", c.ForceDestroy, what)
		}
		return
	}
	derive(&c.S3BucketName, strings.ToLower(c.Name)+"-cloudtrail-"+c.AccountId, "S3BucketName")
	if !skip("S3BucketName", okName && okAccount) && v.NeedLiteral("S3BucketName", c.S3BucketName) {
		v.Rule("S3BucketName", c.S3BucketName, validate.BucketName(c.S3BucketName))
	}
	if c.AccessLogsBucket != "" && literal(c.AccessLogsBucket) && v.Rule("AccessLogsBucket", c.AccessLogsBucket, validate.BucketName(c.AccessLogsBucket)) {
		v.Check(c.AccessLogsBucket != c.S3BucketName, "AccessLogsBucket", c.AccessLogsBucket, "must differ from S3BucketName: a bucket's access logs must not be written into itself")
	}
	if l := c.AccessLogsSecureBucket; l != nil && madeBucket(v, "AccessLogsSecureBucket", l) {
		lc := l.Config
		switch {
		case c.AccessLogsBucket != "":
			v.Add("AccessLogsSecureBucket", lc.BucketName, "must be nil when AccessLogsBucket is set (one log bucket)")
		case !lc.S3ManagedEncryption:
			v.Add("AccessLogsSecureBucket", lc.BucketName, "must use SSE-S3 (securebucket S3ManagedEncryption): S3 server access logs cannot be delivered to an SSE-KMS bucket")
		case env.Region != "" && lc.Region != env.Region || env.AccountId != "" && lc.AccountId != env.AccountId:
			v.Add("AccessLogsSecureBucket", lc.BucketName, fmt.Sprintf("is in account %s and region %s: S3 delivers server access logs to a bucket of the source bucket's account and region (%s, %s)", lc.AccountId, lc.Region, env.AccountId, env.Region))
		case okName:
			l.CheckAddToResourcePolicy(v, "AccessLogsSecureBucket", accessLogsStatement(*c, *l.Arn(), "arn:aws:s3:::"+c.S3BucketName))
		}
	}
	v.OptionalRange("S3ExpirationDays", c.S3ExpirationDays, 0, securebucket.MaxDays, "days")
	v.OptionalRange("NoncurrentVersionExpirationDays", c.NoncurrentVersionExpirationDays, 0, securebucket.MaxDays, "days")
	c.S3ExpirationDays = intOr(c.S3ExpirationDays, DefaultS3ExpirationDays)
	c.NoncurrentVersionExpirationDays = intOr(c.NoncurrentVersionExpirationDays, DefaultNoncurrentVersionExpirationDays)
}

// checkAlb applies the Alb group's rules and returns it with defaults.
func checkAlb(v *validate.Collector, a AlbAlarms) *AlbAlarms {
	checkDimension(v, "Alb.LoadBalancerArnSuffix", a.LoadBalancerArnSuffix, true, lbArnSuffixRule)
	checkDimension(v, "Alb.TargetGroupArnSuffix", a.TargetGroupArnSuffix, false, tgArnSuffixRule)
	atLeast(v, "Alb.Target5xxThreshold", a.Target5xxThreshold, 0, "responses")
	atLeast(v, "Alb.Elb5xxThreshold", a.Elb5xxThreshold, 0, "responses")
	atLeast(v, "Alb.UnhealthyHostThreshold", a.UnhealthyHostThreshold, 1, "targets (UnHealthyHostCount reports 0 when every target is healthy)")
	a.Target5xxThreshold = intOr(a.Target5xxThreshold, DefaultTarget5xxThreshold)
	a.Elb5xxThreshold = intOr(a.Elb5xxThreshold, DefaultElb5xxThreshold)
	a.UnhealthyHostThreshold = intOr(a.UnhealthyHostThreshold, DefaultUnhealthyHostThreshold)
	a.PeriodSeconds, a.EvaluationPeriods, a.DatapointsToAlarm = checkWindow(v, "Alb", a.PeriodSeconds, a.EvaluationPeriods, a.DatapointsToAlarm,
		DefaultAlbPeriodSeconds, DefaultAlbEvaluationPeriods, DefaultAlbDatapointsToAlarm)

	tgs := slices.Clone(a.TargetGroups)
	ids := map[string]bool{}
	for i := range tgs {
		tg := &tgs[i]
		prefix := fmt.Sprintf("Alb.TargetGroups[%d].", i)
		if checkID(v, prefix+"Id", tg.Id, true) {
			v.Check(!ids[tg.Id], prefix+"Id", tg.Id, "must be unique among Alb.TargetGroups: it names the target group's alarms")
			ids[tg.Id] = true
		}
		checkDimension(v, prefix+"TargetGroupArnSuffix", tg.TargetGroupArnSuffix, true, tgArnSuffixRule)
		atLeast(v, prefix+"Target5xxThreshold", tg.Target5xxThreshold, 0, "responses")
		atLeast(v, prefix+"UnhealthyHostThreshold", tg.UnhealthyHostThreshold, 1, "targets (UnHealthyHostCount reports 0 when every target is healthy)")
		tg.Target5xxThreshold = intOr(tg.Target5xxThreshold, *a.Target5xxThreshold)
		tg.UnhealthyHostThreshold = intOr(tg.UnhealthyHostThreshold, *a.UnhealthyHostThreshold)
	}
	a.TargetGroups = tgs
	return &a
}

// checkEcs applies the rules of every Ecs entry and returns them with
// defaults.
func checkEcs(v *validate.Collector, list []EcsAlarms) []EcsAlarms {
	out := slices.Clone(list)
	ids := map[string]int{}
	for i := range out {
		e := &out[i]
		prefix := fmt.Sprintf("Ecs[%d].", i)
		if e.Id == "" || checkID(v, prefix+"Id", e.Id, false) {
			if first, dup := ids[e.Id]; dup {
				rule := fmt.Sprintf("must differ from Ecs[%d].Id: it names the service's alarms", first)
				if e.Id == "" {
					rule = fmt.Sprintf("is required: Ecs[%d] has no Id either, and both would name their alarms ecs-cpu-high and ecs-memory-high", first)
				}
				v.Add(prefix+"Id", e.Id, rule)
			} else {
				ids[e.Id] = i
			}
		}
		checkDimension(v, prefix+"ClusterName", e.ClusterName, true, validate.ECSName)
		checkDimension(v, prefix+"ServiceName", e.ServiceName, true, validate.ECSName)
		percent(v, prefix+"CpuUtilizationThreshold", e.CpuUtilizationThreshold)
		percent(v, prefix+"MemoryUtilizationThreshold", e.MemoryUtilizationThreshold)
		e.CpuUtilizationThreshold = intOr(e.CpuUtilizationThreshold, DefaultCpuUtilizationThreshold)
		e.MemoryUtilizationThreshold = intOr(e.MemoryUtilizationThreshold, DefaultMemoryUtilizationThreshold)
		e.PeriodSeconds, e.EvaluationPeriods, e.DatapointsToAlarm = checkWindow(v, strings.TrimSuffix(prefix, "."), e.PeriodSeconds, e.EvaluationPeriods, e.DatapointsToAlarm,
			DefaultEcsPeriodSeconds, DefaultEcsEvaluationPeriods, DefaultEcsDatapointsToAlarm)
	}
	return out
}

// checkWaf applies the Waf group's rules and returns it with defaults.
func checkWaf(v *validate.Collector, w WafAlarms, region string, okRegion bool) *WafAlarms {
	checkDimension(v, "Waf.WebAclMetricName", w.WebAclMetricName, true, validate.WAFMetricName)
	if w.RuleMetricName == "" {
		w.RuleMetricName = DefaultWafRuleMetricName
	}
	if literal(w.RuleMetricName) && w.RuleMetricName != "ALL" && w.RuleMetricName != "Default_Action" {
		if rule := validate.WAFMetricName(w.RuleMetricName); rule != "" {
			v.Add("Waf.RuleMetricName", w.RuleMetricName, "must be ALL, Default_Action or a rule's metric_name, which "+rule)
		}
	}
	if w.Region == "" {
		if okRegion {
			w.Region = region
		}
	} else if literal(w.Region) {
		v.Region("Waf.Region", w.Region)
	}
	atLeast(v, "Waf.BlockedRequestsThreshold", w.BlockedRequestsThreshold, 0, "requests")
	w.BlockedRequestsThreshold = intOr(w.BlockedRequestsThreshold, DefaultBlockedRequestsThreshold)
	w.PeriodSeconds, w.EvaluationPeriods, w.DatapointsToAlarm = checkWindow(v, "Waf", w.PeriodSeconds, w.EvaluationPeriods, w.DatapointsToAlarm,
		DefaultWafPeriodSeconds, DefaultWafEvaluationPeriods, DefaultWafDatapointsToAlarm)
	return &w
}

// checkDimension checks a monitored resource's identifier, a CloudWatch
// dimension value: present when required, and either a token (Terraform's
// to check) or valid by rule and as a dimension value.
func checkDimension(v *validate.Collector, field, value string, required bool, rule func(string) string) bool {
	if value == "" {
		if required {
			v.Add(field, value, "is required when this alarm group is set (set the group to nil to skip its alarms)")
		}
		return false
	}
	if !literal(value) {
		return true
	}
	return v.Rule(field, value, rule(value)) && v.Rule(field, value, validate.DimensionValue(value))
}

func lbArnSuffixRule(s string) string {
	if !lbArnSuffixRe.MatchString(s) {
		return "must be an Application Load Balancer's arn_suffix, app/<name>/<16 hex digits>"
	}
	return ""
}

func tgArnSuffixRule(s string) string {
	if !tgArnSuffixRe.MatchString(s) {
		return "must be a target group's arn_suffix, targetgroup/<name>/<16 hex digits>"
	}
	return ""
}

// checkID checks the Id of a target group's or service's alarms.
func checkID(v *validate.Collector, field, id string, required bool) bool {
	if id == "" {
		if required {
			v.Add(field, id, "is required: it names the target group's alarms (alb-<Id>-target-5xx, alb-<Id>-unhealthy-hosts)")
		}
		return false
	}
	if !v.NeedLiteral(field, id) {
		return false
	}
	if alarmIDRe.MatchString(id) {
		return true
	}
	if s := validate.NameFromID(id); s != "" && alarmIDRe.MatchString(s) {
		v.Suggest(field, id, idRule, s)
	} else {
		v.Add(field, id, idRule)
	}
	return false
}

// checkWindow checks an alarm group's window (CloudWatch's PutMetricAlarm
// rules, validate.AlarmPeriod and AlarmEvaluationPeriods) and returns it
// with defaults: DatapointsToAlarm defaults to def, but never above a valid
// EvaluationPeriods.
func checkWindow(v *validate.Collector, group string, period, evaluationPeriods, datapoints *int, defPeriod, defEvaluation, defDatapoints int) (*int, *int, *int) {
	p, n := intOr(period, defPeriod), intOr(evaluationPeriods, defEvaluation)
	okPeriod := true
	if rule, s := validate.AlarmPeriod(*p, false); rule != "" {
		v.Suggest(group+".PeriodSeconds", *p, rule, s)
		okPeriod = false
	}
	// With an invalid period, the shortest valid one (60 s) bounds it.
	limitPeriod := 60
	if okPeriod {
		limitPeriod = *p
	}
	okN := true
	if rule, s := validate.AlarmEvaluationPeriods(limitPeriod, *n); rule != "" {
		v.Suggest(group+".EvaluationPeriods", *n, rule, s)
		okN = false
	}
	d := datapoints
	if d == nil {
		def := defDatapoints
		if okN && *n < def {
			def = *n
		}
		d = &def
	}
	if okN {
		v.Rule(group+".DatapointsToAlarm", *d, validate.AlarmDatapoints(*d, *n))
	} else if *d < 1 {
		v.Rule(group+".DatapointsToAlarm", *d, validate.AlarmDatapoints(*d, 1))
	}
	return p, n, d
}

// atLeast checks an optional count: nil is the default, a set value (0
// included where lo is 0) must be at least lo.
func atLeast(v *validate.Collector, field string, p *int, lo int, unit string) {
	if p != nil && *p < lo {
		v.Suggest(field, *p, fmt.Sprintf("must be at least %d %s", lo, unit), fmt.Sprint(lo))
	}
}

// percent checks an optional utilization threshold, 1-100 percent.
func percent(v *validate.Collector, field string, p *int) {
	v.OptionalRange(field, p, 1, 100, "percent")
}

// literal reports whether value holds no cdktf token, so that its rule
// applies (a token is Terraform's to check; one that does not belong to the
// app was reported by ConfigTokens).
func literal(value string) bool { return !validate.HasToken(value) }

func intOr(p *int, def int) *int {
	n := validate.IntOr(p, def)
	return &n
}

func floatOr(p *float64, def float64) *float64 {
	if p != nil {
		def = *p
	}
	return &def
}
