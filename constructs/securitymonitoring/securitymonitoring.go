// Package securitymonitoring provides SecurityMonitoring, the audit and
// alerting layer of the platform: a CloudTrail trail with its encrypted
// bucket and log group, CIS AWS Foundations Benchmark metric filters and
// alarms on that log group, an optional GuardDuty detector with an alert rule
// for its findings, and CloudWatch alarms on the load balancer, the ECS
// service and the WAF web ACL, all notifying one KMS-encrypted SNS topic.
//
// Everything it watches comes in as plain strings (ARN suffixes, names),
// which may be cdktf tokens of resources in the same stack, so the construct
// works with any ALB, ECS service or web ACL, and each group of alarms is
// optional.
//
// # Resources
//
//   - CloudTrail: a multi-region trail of all management events (read and
//     write) with global service events and log file validation, encrypted
//     with a customer-managed KMS key (the "trail key"), delivered to an S3
//     bucket (versioning, Block Public Access, BucketOwnerEnforced, SSE-KMS
//     with the trail key, TLS-only policy, CloudTrail's bucket policy with
//     aws:SourceArn conditions, lifecycle rule) and to a CloudWatch log group
//     encrypted with the trail key, through an IAM role that may only create
//     CloudTrail's log streams in that log group and put events into them.
//   - The CIS filters of CisFilters on that log group, each with an alarm.
//   - GuardDuty (unless SkipGuardDutyDetector): a detector that publishes
//     findings at FindingPublishingFrequency; and in every case an
//     EventBridge rule that sends findings of FindingsMinSeverity or more to
//     the alarm topic.
//   - An SNS topic encrypted with a second customer-managed key (the "alarm
//     key") whose policies let only this construct's alarms (by name prefix,
//     this account) and the findings rule publish, and deny publishing
//     without TLS; optional email subscriptions.
//   - CloudWatch alarms for the groups that are set: Alb, Ecs, Waf.
//
// # Reading the logs
//
// The trail key's policy gives the account root full control and nothing to
// other principals, so IAM policies in the account decide who may read: a
// reader of the trail bucket or log group needs kms:Decrypt on the trail key.
//
// # Several stacks in one account
//
// CloudTrail, GuardDuty and the CIS alarms are account-level controls. The
// construct can run in several stacks of one account (each gets its own
// trail, names and metric namespace), but each extra trail of management
// events is charged by AWS and each stack's CIS alarms fire for events of the
// whole account. GuardDuty allows one detector per account and region: set
// SkipGuardDutyDetector in all but one stack.
//
// # Alarm windows
//
// Each alarm group (Alb, Ecs, Waf) has Period, EvaluationPeriods and
// DatapointsToAlarm, the alarms' period, evaluation_periods and
// datapoints_to_alarm: an alarm goes to ALARM when DatapointsToAlarm of the
// last EvaluationPeriods periods of Period seconds breach the threshold.
// Period must be a multiple of 60 from 60 to 86400 seconds, EvaluationPeriods
// at least 1 with Period x EvaluationPeriods at most 86400 seconds (one day),
// and DatapointsToAlarm from 1 to EvaluationPeriods. When DatapointsToAlarm
// is 0 it defaults to the group's default, lowered to EvaluationPeriods if
// that is smaller. Every alarm compares with GreaterThanOrEqualToThreshold
// and notifies the alarm topic; the service alarms also notify when they
// return to OK. The CIS alarms use a 300-second period, one evaluation
// period and the Sum statistic, as the benchmark does.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
package securitymonitoring

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudtrail"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchlogmetricfilter"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/guarddutydetector"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopicpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopicsubscription"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is zero.
const (
	// DefaultRetentionInDays is the CloudTrail log group's retention (days).
	DefaultRetentionInDays = 365
	// DefaultS3ExpirationDays expires trail log files in S3 (days).
	DefaultS3ExpirationDays = 365
	// DefaultNoncurrentVersionExpirationDays expires overwritten or deleted
	// trail objects (days).
	DefaultNoncurrentVersionExpirationDays = 90
	// DefaultDeletionWindowInDays is both KMS keys' deletion window (days).
	DefaultDeletionWindowInDays = 30
	// DefaultFindingPublishingFrequency is how often GuardDuty publishes
	// updates of existing findings. (AWS's own default is SIX_HOURS; new
	// findings are always published within about five minutes.)
	DefaultFindingPublishingFrequency = "FIFTEEN_MINUTES"
	// DefaultFindingsMinSeverity forwards GuardDuty findings of High (7.0)
	// severity and above to the alarm topic.
	DefaultFindingsMinSeverity = 7.0
	// DefaultUnauthorizedApiCallsThreshold alarms on the first unauthorized
	// call in 5 minutes, as CIS 4.1 asks.
	DefaultUnauthorizedApiCallsThreshold = 1
)

// Alarm defaults of the Alb, Ecs and Waf groups.
const (
	DefaultTarget5xxThreshold         = 10  // HTTPCode_Target_5XX_Count per period
	DefaultElb5xxThreshold            = 10  // HTTPCode_ELB_5XX_Count per period
	DefaultUnhealthyHostThreshold     = 1   // UnHealthyHostCount (Maximum)
	DefaultAlbPeriod                  = 60  // seconds
	DefaultAlbEvaluationPeriods       = 5   // periods looked at
	DefaultAlbDatapointsToAlarm       = 3   // breaching periods among them
	DefaultCpuUtilizationThreshold    = 80  // percent (Average)
	DefaultMemoryUtilizationThreshold = 80  // percent (Average)
	DefaultEcsPeriod                  = 60  // seconds
	DefaultEcsEvaluationPeriods       = 5   // periods looked at
	DefaultEcsDatapointsToAlarm       = 5   // breaching periods among them
	DefaultBlockedRequestsThreshold   = 100 // BlockedRequests per period
	DefaultWafPeriod                  = 300 // seconds
	DefaultWafEvaluationPeriods       = 1   // periods looked at
	DefaultWafDatapointsToAlarm       = 1   // breaching periods among them
	// DefaultWafRuleMetricName is the Rule dimension value that aggregates
	// every rule of the web ACL.
	DefaultWafRuleMetricName = "ALL"
)

// FindingPublishingFrequencies are the values GuardDuty accepts for
// finding_publishing_frequency.
var FindingPublishingFrequencies = []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"}

// SecurityMonitoringConfig configures NewSecurityMonitoring. Every name the
// construct creates starts with Name, so two instances in one account need
// different Names.
type SecurityMonitoringConfig struct {
	// Tags are set on every taggable resource the construct creates, merged
	// by the provider with its default_tags.
	Tags map[string]string
	// Provider creates every resource with this AWS provider (e.g. an
	// alias for another region). Default: the stack's default AWS provider.
	// With a literal region and allowed_account_ids, Region and AccountId
	// default from it and must match it.
	Provider cdktf.TerraformProvider
	// Name prefixes every resource name (trail, topic, role, alarms, rule,
	// key aliases, bucket). Default: validate.NameFromID(id). 1-39 letters, digits and '-', starting
	// with a letter, not ending with '-', without "--" and not starting with
	// "sthree-" or "amzn-s3-demo-" (in any case), e.g. "ecs-webapp-prod".
	// These limits are what the names derived from it need (the default
	// S3BucketName "<lowercased Name>-cloudtrail-<AccountId>" has at most 63
	// characters; CloudTrail forbids adjacent dashes in TrailName), so a
	// valid Name always gives valid defaults.
	Name string
	// AccountId is the 12-digit account the resources live in. Required: the
	// key, bucket, topic and role policies name it.
	AccountId string
	// Region is the region of the trail's home, the log group and the
	// alarms, e.g. "us-east-1". Required.
	Region string

	// TrailName is the CloudTrail trail's name. Default "<Name>-trail".
	// 3-128 letters, digits, '.', '_' and '-', starting and ending with a
	// letter or digit, with no two of '.', '_', '-' in a row, and not in IP
	// address format (such as 192.168.5.4).
	// See https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
	TrailName string
	// S3BucketName is the trail bucket's name. Default
	// "<lowercased Name>-cloudtrail-<AccountId>". It must follow the S3
	// bucket naming rules.
	S3BucketName string
	// S3ExpirationDays expires trail log files in S3 after this many days
	// (at least 1). Default 365.
	S3ExpirationDays int
	// NoncurrentVersionExpirationDays expires noncurrent (overwritten or
	// deleted) object versions in the trail bucket after this many days (at
	// least 1). Default 90.
	NoncurrentVersionExpirationDays int
	// LogGroupName is the CloudWatch log group the trail also delivers to.
	// Default "/aws/cloudtrail/<Name>". 1-512 letters, digits and '_-./#'.
	LogGroupName string
	// RetentionInDays is the log group's retention: one of
	// validate.LogRetentionDays. Default 365.
	RetentionInDays int
	// DeletionWindowInDays is the deletion window of both KMS keys, 7-30
	// days. Default 30.
	DeletionWindowInDays int
	// AccessLogsBucket, when set, sends the trail bucket's S3 server access
	// logs (CIS AWS Foundations 3.6) to this existing bucket, under
	// "s3-access/<S3BucketName>/". Its policy must let logging.s3.amazonaws.com
	// put objects there for the trail bucket (aws:SourceArn) and it must use
	// SSE-S3. A name or a cdktf token. Default none: the trail's own log
	// file validation and the CIS 4.8 alarm cover tampering, and a log bucket
	// is best shared by all buckets of an account.
	// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
	AccessLogsBucket string
	// ForceDestroy lets `terraform destroy` delete the trail bucket with the
	// audit logs in it. Default false: Terraform refuses to delete a
	// non-empty bucket. Set it only for short-lived test environments whose
	// audit trail you are willing to lose.
	ForceDestroy bool

	// SkipGuardDutyDetector does not create a GuardDuty detector. GuardDuty
	// allows one detector per account and region, and creating a second one
	// fails, so set it when the account and region already have a detector
	// (enabled by hand, by your organization's GuardDuty delegated
	// administrator, or by another stack), or in a development account where
	// you accept having no threat detection. Default false: the construct
	// creates and enables a detector. The findings alert rule is created
	// either way and forwards the findings of whichever detector exists.
	// See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html
	SkipGuardDutyDetector bool
	// FindingPublishingFrequency is how often the detector publishes updates
	// of existing findings to EventBridge (and so to the alarm topic):
	// "FIFTEEN_MINUTES", "ONE_HOUR" or "SIX_HOURS". Default "FIFTEEN_MINUTES".
	// Must be empty with SkipGuardDutyDetector (the existing detector's
	// setting applies).
	// See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_cloudwatch.html
	FindingPublishingFrequency string
	// FindingsMinSeverity is the lowest GuardDuty finding severity (1.0-10.0;
	// Low 1-3.9, Medium 4-6.9, High 7-8.9, Critical 9-10) sent to the alarm
	// topic. Default 7 (High and Critical).
	FindingsMinSeverity float64

	// AlarmEmails subscribes these addresses to the alarm topic (each must
	// confirm the subscription from the email SNS sends). Plain addresses
	// such as "secops@example.com", no duplicates. Default none. They are
	// passed to Terraform literally ("${" and "%{" are escaped).
	AlarmEmails []string
	// MetricNamespace is the CloudWatch namespace of the CIS filter metrics.
	// Default "CISBenchmark/<Name>". 1-255 characters of letters, digits and
	// '.-_/#: ', not starting with "AWS/".
	MetricNamespace string
	// UnauthorizedApiCallsThreshold is the number of unauthorized API calls
	// in 5 minutes that sets off the CIS 4.1 alarm (at least 1). Default 1;
	// raise it in accounts where tools probe permissions routinely. Every
	// other CIS alarm fires on the first matching event.
	UnauthorizedApiCallsThreshold int

	// Alb adds the load balancer alarms; nil adds none.
	Alb *AlbAlarms
	// Ecs adds the ECS service alarms; nil adds none.
	Ecs *EcsAlarms
	// Waf adds the WAF alarm; nil adds none.
	Waf *WafAlarms
}

// AlbAlarms are the alarms on an Application Load Balancer and its target
// group (namespace AWS/ApplicationELB). The count alarms (5xx) treat missing
// data as not breaching, because the load balancer reports no datapoint in a
// minute without such responses; the unhealthy-host alarm treats it as
// missing (no statement about health).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
type AlbAlarms struct {
	// LoadBalancerArnSuffix is the LoadBalancer dimension: the load
	// balancer's arn_suffix, "app/<name>/<16 hex digits>". Required; a cdktf
	// token such as *lb.ArnSuffix() is accepted.
	LoadBalancerArnSuffix string
	// TargetGroupArnSuffix is the TargetGroup dimension: the target group's
	// arn_suffix, "targetgroup/<name>/<16 hex digits>". Required; a token is
	// accepted.
	TargetGroupArnSuffix string
	// Target5xxThreshold: alarm when the targets answer at least this many
	// 5xx responses (HTTPCode_Target_5XX_Count, Sum) in a period. At least 1.
	// Default 10.
	Target5xxThreshold int
	// Elb5xxThreshold: alarm when the load balancer itself answers at least
	// this many 5xx responses (HTTPCode_ELB_5XX_Count, Sum) in a period. At
	// least 1. Default 10.
	Elb5xxThreshold int
	// UnhealthyHostThreshold: alarm when at least this many targets are
	// unhealthy (UnHealthyHostCount, Maximum). At least 1. Default 1.
	UnhealthyHostThreshold int
	// Period (seconds), EvaluationPeriods and DatapointsToAlarm are the
	// alarms' window (package documentation, "Alarm windows"). Defaults 60,
	// 5 and 3.
	Period, EvaluationPeriods, DatapointsToAlarm int
}

// EcsAlarms are the alarms on an ECS service's utilization (namespace
// AWS/ECS, statistic Average). Missing data is treated as missing: a service
// with no running task reports nothing, which says nothing about load.
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
type EcsAlarms struct {
	// ClusterName is the ClusterName dimension. Required; a token is accepted.
	ClusterName string
	// ServiceName is the ServiceName dimension. Required; a token is accepted.
	ServiceName string
	// CpuUtilizationThreshold is the CPUUtilization percentage (1-100) that
	// sets off the alarm. Default 80.
	CpuUtilizationThreshold int
	// MemoryUtilizationThreshold is the MemoryUtilization percentage (1-100)
	// that sets off the alarm. Default 80.
	MemoryUtilizationThreshold int
	// Period (seconds), EvaluationPeriods and DatapointsToAlarm are the
	// alarms' window (package documentation, "Alarm windows"). Defaults 60,
	// 5 and 5 (five minutes in a row).
	Period, EvaluationPeriods, DatapointsToAlarm int
}

// WafAlarms is the alarm on a spike of requests blocked by a regional WAF
// web ACL (namespace AWS/WAFV2, metric BlockedRequests, Sum). Missing data
// is treated as not breaching: WAF reports no datapoint when nothing was
// blocked.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
type WafAlarms struct {
	// WebAclMetricName is the WebACL dimension: the metric_name of the web
	// ACL's visibility_config. Required; a token is accepted. 1-128 letters,
	// digits, '_' and '-', not "All" or "Default_Action".
	WebAclMetricName string
	// RuleMetricName is the Rule dimension: a rule's metric_name, or "ALL"
	// for every rule of the web ACL. Default "ALL".
	RuleMetricName string
	// Region is the Region dimension, the web ACL's region. Default the
	// config's Region.
	Region string
	// BlockedRequestsThreshold: alarm when at least this many requests are
	// blocked in a period. At least 1. Default 100.
	BlockedRequestsThreshold int
	// Period (seconds), EvaluationPeriods and DatapointsToAlarm are the
	// alarm's window (package documentation, "Alarm windows"). Defaults 300,
	// 1 and 1.
	Period, EvaluationPeriods, DatapointsToAlarm int
}

// SecurityMonitoring is the deployed monitoring and audit layer.
type SecurityMonitoring struct {
	// Construct is the scope that holds every resource below. (A named
	// field, not embedded: jsii cannot pass a Go struct embedding a construct
	// as a scope.)
	Construct constructs.Construct
	// Config is the config after defaults were applied.
	Config SecurityMonitoringConfig

	// TrailKey encrypts the trail's log files and its log group.
	TrailKey *securekey.SecureKey
	// Bucket receives the trail's log files.
	Bucket *securebucket.SecureBucket
	// LogGroup receives the trail's events.
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// TrailRole is the role CloudTrail assumes to write into LogGroup.
	TrailRole iamrole.IamRole
	// Trail is the CloudTrail trail.
	Trail cloudtrail.Cloudtrail
	// MetricFilters holds the CIS filters by CisFilter.ID.
	MetricFilters map[string]cloudwatchlogmetricfilter.CloudwatchLogMetricFilter

	// Detector is the GuardDuty detector; nil with SkipGuardDutyDetector.
	Detector guarddutydetector.GuarddutyDetector
	// FindingsRule forwards GuardDuty findings to the alarm topic.
	FindingsRule cloudwatcheventrule.CloudwatchEventRule

	// AlarmKey encrypts the alarm topic.
	AlarmKey *securekey.SecureKey
	// AlarmTopic receives every alarm and finding.
	AlarmTopic snstopic.SnsTopic
	// Alarms holds every CloudWatch alarm by its ID (the alarm name without
	// the "<Name>-" prefix), e.g. "alb-target-5xx" or
	// "cis-root-account-usage".
	Alarms map[string]cloudwatchmetricalarm.CloudwatchMetricAlarm

	// AlarmTopicArn is the alarm topic's ARN (a token).
	AlarmTopicArn *string
	// TrailArn is the trail's ARN (a token).
	TrailArn *string
	// TrailLogGroupName is the trail log group's name (a token).
	TrailLogGroupName *string
	// BucketName is the trail bucket's name (a token).
	BucketName *string
}

// NewSecurityMonitoring validates cfg and creates the resources described in
// the package documentation. It returns a *validate.Error listing every
// invalid field, and creates nothing, when cfg is invalid, when scope is nil,
// or when id is not a valid construct id (a letter or '_', then at most 63
// letters, digits, '_' and '-') or already names a child of scope.
func NewSecurityMonitoring(scope constructs.Construct, id string, cfg *SecurityMonitoringConfig) (*SecurityMonitoring, error) {
	v := validate.New("securitymonitoring.NewSecurityMonitoring")
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c, err := cfg.withDefaults(id)
	v.Merge("", cfg, err)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	env := baseline.Env{AccountID: c.AccountId, Region: c.Region}
	m := &SecurityMonitoring{
		Construct:     constructs.NewConstruct(scope, jsii.String(id)),
		Config:        c,
		MetricFilters: map[string]cloudwatchlogmetricfilter.CloudwatchLogMetricFilter{},
		Alarms:        map[string]cloudwatchmetricalarm.CloudwatchMetricAlarm{},
	}
	m.newTrail(env)
	m.newAlarmTopic(env)
	m.newGuardDuty(env)
	m.newCisAlarms()
	m.newServiceAlarms()

	m.AlarmTopicArn = m.AlarmTopic.Arn()
	m.TrailArn = m.Trail.Arn()
	m.TrailLogGroupName = m.LogGroup.Name()
	m.BucketName = m.Bucket.Bucket.Bucket()
	return m, nil
}

// newKey creates one of the construct's keys from a validated config.
func newKey(scope constructs.Construct, id string, cfg *securekey.SecureKeyConfig) *securekey.SecureKey {
	k, err := securekey.NewSecureKey(scope, id, cfg)
	if err != nil {
		panic(err) // unreachable: the config was validated
	}
	return k
}

// claims are the names the construct creates that must be unique in the
// app.
func (c SecurityMonitoringConfig) claims() []registry.Claim {
	out := []registry.Claim{
		{Kind: registry.Trail, Name: c.TrailName, Field: "TrailName"},
		{Kind: registry.S3Bucket, Name: c.S3BucketName, Field: "S3BucketName"},
		{Kind: registry.LogGroup, Name: c.LogGroupName, Field: "LogGroupName"},
		{Kind: registry.IAMRole, Name: c.Name + "-cloudtrail-logs", Field: "Name"},
		{Kind: registry.KMSAlias, Name: "alias/" + c.Name + "-cloudtrail", Field: "Name"},
		{Kind: registry.KMSAlias, Name: "alias/" + c.Name + "-security-alarms", Field: "Name"},
		{Kind: registry.SNSTopic, Name: AlarmTopicName(c), Field: "Name"},
		{Kind: registry.EventRule, Name: FindingsRuleName(c), Field: "Name"},
	}
	if !c.SkipGuardDutyDetector {
		out = append(out, registry.Claim{Kind: registry.GuardDuty, Name: "detector", Field: "SkipGuardDutyDetector"})
	}
	for _, f := range CisFilters {
		out = append(out, registry.Claim{Kind: registry.MetricFilter, Name: c.Name + "-" + f.ID, Field: "Name", Qualifier: c.LogGroupName},
			registry.Claim{Kind: registry.MetricAlarm, Name: c.Name + "-" + f.ID, Field: "Name"})
	}
	for _, a := range []struct {
		set bool
		ids []string
	}{
		{c.Alb != nil, []string{"alb-target-5xx", "alb-5xx", "alb-unhealthy-hosts"}},
		{c.Ecs != nil, []string{"ecs-cpu-high", "ecs-memory-high"}},
		{c.Waf != nil, []string{"waf-blocked-requests"}},
	} {
		for _, id := range a.ids {
			if a.set {
				out = append(out, registry.Claim{Kind: registry.MetricAlarm, Name: c.Name + "-" + id, Field: "Name"})
			}
		}
	}
	return out
}

// TrailArnFor returns the ARN of the trail a config creates, as the key,
// bucket and role policies name it in their aws:SourceArn conditions.
func TrailArnFor(c SecurityMonitoringConfig) string {
	return fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", iampolicy.Partition(c.Region), c.Region, c.AccountId, c.TrailName)
}

func (m *SecurityMonitoring) newTrail(env baseline.Env) {
	c := m.Config
	in := m.Construct
	p := c.Provider
	trailArn := TrailArnFor(c)
	logGroupArn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", env.Partition(), c.Region, c.AccountId, c.LogGroupName)
	sourceArn := map[string]any{"aws:SourceArn": trailArn}

	// Key policy: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
	m.TrailKey = newKey(in, "trail_key", &securekey.SecureKeyConfig{
		AccountId:            c.AccountId,
		Region:               c.Region,
		Tags:                 c.Tags,
		Provider:             c.Provider,
		Description:          "Encrypts CloudTrail trail " + c.TrailName + " and its log group " + c.LogGroupName,
		Alias:                "alias/" + c.Name + "-cloudtrail",
		DeletionWindowInDays: c.DeletionWindowInDays,
		Statements: []iampolicy.Statement{
			{
				Sid:       "AllowCloudTrailEncryptLogs",
				Effect:    "Allow",
				Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
				Action:    []string{"kms:GenerateDataKey*"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{
					"StringEquals": sourceArn,
					"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": fmt.Sprintf("arn:%s:cloudtrail:*:%s:trail/*", env.Partition(), c.AccountId)},
				},
			},
			{
				// The bucket uses an S3 Bucket Key, for which CloudTrail needs
				// kms:Decrypt when it creates or updates the trail.
				Sid:       "AllowCloudTrailDecryptForBucketKey",
				Effect:    "Allow",
				Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
				Action:    []string{"kms:Decrypt"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{"StringEquals": sourceArn},
			},
			{
				Sid:       "AllowCloudTrailDescribeKey",
				Effect:    "Allow",
				Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
				Action:    []string{"kms:DescribeKey"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{"StringEquals": sourceArn},
			},
			{
				// Narrower than securekey.LogsStatement with ArnLike: this log group only.
				Sid:       "AllowCloudWatchLogsTrailLogGroup",
				Effect:    "Allow",
				Principal: iampolicy.Service("logs." + c.Region + ".amazonaws.com"),
				Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": logGroupArn}},
			},
		},
	})
	keyArn := m.TrailKey.Arn()

	var accessLogs *securebucket.AccessLogs
	if c.AccessLogsBucket != "" {
		accessLogs = &securebucket.AccessLogs{TargetBucket: c.AccessLogsBucket, TargetPrefix: "s3-access/" + c.S3BucketName + "/"}
	}
	// Bucket policy: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
	bucket, err := securebucket.NewSecureBucket(in, "trail_bucket", &securebucket.SecureBucketConfig{
		BucketName:                      c.S3BucketName,
		AccountId:                       c.AccountId,
		Region:                          c.Region,
		KmsKey:                          m.TrailKey,
		Tags:                            c.Tags,
		Provider:                        c.Provider,
		ExpirationDays:                  c.S3ExpirationDays,
		NoncurrentVersionExpirationDays: c.NoncurrentVersionExpirationDays,
		ForceDestroy:                    c.ForceDestroy,
		AccessLogs:                      accessLogs,
	})
	if err != nil {
		panic(err) // unreachable: the config was validated
	}
	bucketArn := *bucket.Arn()
	if err := bucket.AddToResourcePolicy(
		iampolicy.Statement{
			Sid:       "AWSCloudTrailAclCheck",
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:GetBucketAcl"},
			Resource:  []string{bucketArn},
			Condition: map[string]map[string]any{"StringEquals": sourceArn},
		},
		iampolicy.Statement{
			Sid:       "AWSCloudTrailWrite",
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/AWSLogs/" + c.AccountId + "/*"},
			Condition: map[string]map[string]any{"StringEquals": {
				"aws:SourceArn": trailArn,
				"s3:x-amz-acl":  "bucket-owner-full-control",
			}},
		},
	); err != nil {
		panic(err) // unreachable: fixed statements
	}
	m.Bucket = bucket

	m.LogGroup = baseline.NewLogGroup(in, "trail_log_group", baseline.LogGroupConfig{
		Name:            c.LogGroupName,
		RetentionInDays: c.RetentionInDays,
		KmsKeyArn:       keyArn,
		Tags:            common.Tags(c.Tags, nil),
		Provider:        c.Provider,
	})

	// The trust policy has no aws:SourceArn condition: CloudTrail's
	// CloudWatch Logs role is documented without one, and a role cannot be
	// passed to another account's trail (iam:PassRole is same-account), so
	// there is no confused deputy to guard against.
	// See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
	m.TrailRole = iamrole.NewIamRole(in, jsii.String("trail_logs_role"), &iamrole.IamRoleConfig{
		Provider:    p,
		Tags:        common.Tags(c.Tags, nil),
		Name:        jsii.String(c.Name + "-cloudtrail-logs"),
		Description: jsii.String("Lets CloudTrail trail " + c.TrailName + " write to log group " + c.LogGroupName),
		AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"sts:AssumeRole"},
		}).JSON()),
	})
	rolePolicy := iamrolepolicy.NewIamRolePolicy(in, jsii.String("trail_logs_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Provider: p,
		Name:     jsii.String("cloudtrail-to-log-group"),
		Role:     m.TrailRole.Id(),
		Policy:   jsii.String(TrailRolePolicy(c).JSON()),
	})

	m.Trail = cloudtrail.NewCloudtrail(in, jsii.String("trail"), &cloudtrail.CloudtrailConfig{
		Provider:                   p,
		Tags:                       common.Tags(c.Tags, nil),
		Name:                       jsii.String(c.TrailName),
		S3BucketName:               m.Bucket.Bucket.Id(),
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		EnableLogging:              jsii.Bool(true),
		KmsKeyId:                   keyArn,
		// CloudTrail wants the log group ARN with the ":*" stream suffix.
		CloudWatchLogsGroupArn: jsii.String(*m.LogGroup.Arn() + ":*"),
		CloudWatchLogsRoleArn:  m.TrailRole.Arn(),
		EventSelector: &[]*cloudtrail.CloudtrailEventSelector{{
			ReadWriteType:           jsii.String("All"),
			IncludeManagementEvents: jsii.Bool(true),
		}},
		// CloudTrail checks the bucket policy and the role's permissions
		// when the trail is created.
		DependsOn: &[]cdktf.ITerraformDependable{m.Bucket.Policy, rolePolicy},
	})
}

// TrailRolePolicy is the inline policy of the CloudTrail role: create
// CloudTrail's log streams ("<account>_CloudTrail_<region>", one per source
// region of the multi-region trail) in the trail log group only, and put
// events into them.
func TrailRolePolicy(c SecurityMonitoringConfig) iampolicy.Document {
	streams := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s:log-stream:%s_CloudTrail_*",
		iampolicy.Partition(c.Region), c.Region, c.AccountId, c.LogGroupName, c.AccountId)
	return iampolicy.New(iampolicy.Statement{
		Sid:      "AWSCloudTrailCreateLogStreamAndPutEvents",
		Effect:   "Allow",
		Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource: []string{streams},
	})
}

// AlarmTopicName returns the alarm topic's name for a config.
func AlarmTopicName(c SecurityMonitoringConfig) string { return c.Name + "-security-alarms" }

// FindingsRuleName returns the GuardDuty findings rule's name for a config.
func FindingsRuleName(c SecurityMonitoringConfig) string { return c.Name + "-guardduty-findings" }

func (m *SecurityMonitoring) newAlarmTopic(env baseline.Env) {
	c := m.Config
	in := m.Construct
	p := c.Provider
	alarmArns := fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s-*", env.Partition(), c.Region, c.AccountId, c.Name)
	ruleArn := fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", env.Partition(), c.Region, c.AccountId, FindingsRuleName(c))
	cloudwatchConditions := map[string]map[string]any{
		"ArnLike":      {"aws:SourceArn": alarmArns},
		"StringEquals": {"aws:SourceAccount": c.AccountId},
	}

	// See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
	m.AlarmKey = newKey(in, "alarm_key", &securekey.SecureKeyConfig{
		AccountId:            c.AccountId,
		Region:               c.Region,
		Tags:                 c.Tags,
		Provider:             c.Provider,
		Description:          "Encrypts SNS topic " + AlarmTopicName(c),
		Alias:                "alias/" + c.Name + "-security-alarms",
		DeletionWindowInDays: c.DeletionWindowInDays,
		Statements: []iampolicy.Statement{
			{
				Sid:       "AllowCloudWatchAlarmsToPublish",
				Effect:    "Allow",
				Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
				Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				Resource:  []string{"*"},
				Condition: cloudwatchConditions,
			},
			{
				// EventBridge's calls to KMS for an encrypted SNS target carry
				// no aws:SourceArn/aws:SourceAccount, so no condition here; the
				// topic policy limits EventBridge to the findings rule.
				Sid:       "AllowEventBridgeToPublish",
				Effect:    "Allow",
				Principal: iampolicy.Service("events.amazonaws.com"),
				Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				Resource:  []string{"*"},
			},
		},
	})

	m.AlarmTopic = snstopic.NewSnsTopic(in, jsii.String("alarm_topic"), &snstopic.SnsTopicConfig{
		Provider:       p,
		Tags:           common.Tags(c.Tags, nil),
		Name:           jsii.String(AlarmTopicName(c)),
		DisplayName:    jsii.String(c.Name + " security alarms"),
		KmsMasterKeyId: m.AlarmKey.Key.Arn(),
	})
	topicArn := *m.AlarmTopic.Arn()
	snstopicpolicy.NewSnsTopicPolicy(in, jsii.String("alarm_topic_policy"), &snstopicpolicy.SnsTopicPolicyConfig{
		Provider: p,
		Arn:      m.AlarmTopic.Arn(),
		Policy: jsii.String(iampolicy.New(
			iampolicy.Statement{
				Sid:       "AllowCloudWatchAlarmsToPublish",
				Effect:    "Allow",
				Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
				Action:    []string{"sns:Publish"},
				Resource:  []string{topicArn},
				Condition: cloudwatchConditions,
			},
			iampolicy.Statement{
				Sid:       "AllowGuardDutyFindingsRuleToPublish",
				Effect:    "Allow",
				Principal: iampolicy.Service("events.amazonaws.com"),
				Action:    []string{"sns:Publish"},
				Resource:  []string{topicArn},
				Condition: map[string]map[string]any{"ArnEquals": {"aws:SourceArn": ruleArn}},
			},
			iampolicy.Statement{
				Sid:       "DenyInsecureTransport",
				Effect:    "Deny",
				Principal: iampolicy.AnyPrincipal,
				Action:    []string{"sns:Publish"},
				Resource:  []string{topicArn},
				Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
			},
		).JSON()),
	})
	for i, email := range c.AlarmEmails {
		snstopicsubscription.NewSnsTopicSubscription(in, jsii.String(fmt.Sprintf("alarm_email_%d", i)), &snstopicsubscription.SnsTopicSubscriptionConfig{
			Provider: p,
			TopicArn: m.AlarmTopic.Arn(),
			Protocol: jsii.String("email"),
			Endpoint: jsii.String(baseline.EscapeTemplate(email)),
		})
	}
}

func (m *SecurityMonitoring) newGuardDuty(env baseline.Env) {
	c := m.Config
	in := m.Construct
	p := c.Provider
	if !c.SkipGuardDutyDetector {
		m.Detector = guarddutydetector.NewGuarddutyDetector(in, jsii.String("guardduty"), &guarddutydetector.GuarddutyDetectorConfig{
			Provider:                   p,
			Tags:                       common.Tags(c.Tags, nil),
			Enable:                     jsii.Bool(true),
			FindingPublishingFrequency: jsii.String(c.FindingPublishingFrequency),
		})
	}
	// See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
	m.FindingsRule = cloudwatcheventrule.NewCloudwatchEventRule(in, jsii.String("guardduty_findings"), &cloudwatcheventrule.CloudwatchEventRuleConfig{
		Provider:     p,
		Tags:         common.Tags(c.Tags, nil),
		Name:         jsii.String(FindingsRuleName(c)),
		Description:  jsii.String(fmt.Sprintf("GuardDuty findings of severity %g or more to %s", c.FindingsMinSeverity, AlarmTopicName(c))),
		EventPattern: jsii.String(FindingsEventPattern(c.FindingsMinSeverity)),
	})
	cloudwatcheventtarget.NewCloudwatchEventTarget(in, jsii.String("guardduty_findings_target"), &cloudwatcheventtarget.CloudwatchEventTargetConfig{
		Provider: p,
		Rule:     m.FindingsRule.Name(),
		TargetId: jsii.String("alarm-topic"),
		Arn:      m.AlarmTopic.Arn(),
	})
}

// FindingsEventPattern is the EventBridge pattern of GuardDuty findings of
// at least minSeverity.
func FindingsEventPattern(minSeverity float64) string {
	return fmt.Sprintf(`{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",%g]}]}}`, minSeverity)
}

func (m *SecurityMonitoring) newCisAlarms() {
	c := m.Config
	p := c.Provider
	for _, f := range CisFilters {
		filter := cloudwatchlogmetricfilter.NewCloudwatchLogMetricFilter(m.Construct, jsii.String(f.ID), &cloudwatchlogmetricfilter.CloudwatchLogMetricFilterConfig{
			Provider:     p,
			Name:         jsii.String(c.Name + "-" + f.ID),
			LogGroupName: m.LogGroup.Name(),
			Pattern:      jsii.String(baseline.EscapeTemplate(f.Pattern)),
			MetricTransformation: &cloudwatchlogmetricfilter.CloudwatchLogMetricFilterMetricTransformation{
				Name:      jsii.String(f.MetricName),
				Namespace: jsii.String(c.MetricNamespace),
				Value:     jsii.String("1"),
				Unit:      jsii.String("Count"),
			},
		})
		m.MetricFilters[f.ID] = filter
		threshold := 1
		if f.ID == "cis-unauthorized-api-calls" {
			threshold = c.UnauthorizedApiCallsThreshold
		}
		m.alarm(alarmSpec{
			id:          f.ID,
			description: f.Description,
			namespace:   c.MetricNamespace,
			metric:      f.MetricName,
			statistic:   "Sum",
			threshold:   threshold,
			period:      300, evaluationPeriods: 1, datapointsToAlarm: 1,
			treatMissingData: "notBreaching",
			dependsOn:        filter,
		})
	}
}

func (m *SecurityMonitoring) newServiceAlarms() {
	c := m.Config
	if a := c.Alb; a != nil {
		lbAndTg := map[string]string{"LoadBalancer": a.LoadBalancerArnSuffix, "TargetGroup": a.TargetGroupArnSuffix}
		window := func(s alarmSpec) alarmSpec {
			s.namespace = "AWS/ApplicationELB"
			s.period, s.evaluationPeriods, s.datapointsToAlarm = a.Period, a.EvaluationPeriods, a.DatapointsToAlarm
			s.okActions = true
			return s
		}
		m.alarm(window(alarmSpec{
			id: "alb-target-5xx", description: "The load balancer's targets answered too many 5xx responses.",
			metric: "HTTPCode_Target_5XX_Count", statistic: "Sum", dimensions: lbAndTg,
			threshold: a.Target5xxThreshold, treatMissingData: "notBreaching",
		}))
		m.alarm(window(alarmSpec{
			id: "alb-5xx", description: "The load balancer itself answered too many 5xx responses.",
			metric: "HTTPCode_ELB_5XX_Count", statistic: "Sum", dimensions: map[string]string{"LoadBalancer": a.LoadBalancerArnSuffix},
			threshold: a.Elb5xxThreshold, treatMissingData: "notBreaching",
		}))
		m.alarm(window(alarmSpec{
			id: "alb-unhealthy-hosts", description: "The target group has unhealthy targets.",
			metric: "UnHealthyHostCount", statistic: "Maximum", dimensions: lbAndTg,
			threshold: a.UnhealthyHostThreshold, treatMissingData: "missing",
		}))
	}
	if e := c.Ecs; e != nil {
		dims := map[string]string{"ClusterName": e.ClusterName, "ServiceName": e.ServiceName}
		for _, s := range []alarmSpec{
			{id: "ecs-cpu-high", description: "The ECS service's average CPU utilization is high.", metric: "CPUUtilization", threshold: e.CpuUtilizationThreshold},
			{id: "ecs-memory-high", description: "The ECS service's average memory utilization is high.", metric: "MemoryUtilization", threshold: e.MemoryUtilizationThreshold},
		} {
			s.namespace, s.statistic, s.dimensions, s.treatMissingData, s.okActions = "AWS/ECS", "Average", dims, "missing", true
			s.period, s.evaluationPeriods, s.datapointsToAlarm = e.Period, e.EvaluationPeriods, e.DatapointsToAlarm
			m.alarm(s)
		}
	}
	if w := c.Waf; w != nil {
		m.alarm(alarmSpec{
			id: "waf-blocked-requests", description: "The WAF web ACL blocked a spike of requests.",
			namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
			dimensions: map[string]string{"WebACL": w.WebAclMetricName, "Rule": w.RuleMetricName, "Region": w.Region},
			threshold:  w.BlockedRequestsThreshold,
			period:     w.Period, evaluationPeriods: w.EvaluationPeriods, datapointsToAlarm: w.DatapointsToAlarm,
			treatMissingData: "notBreaching", okActions: true,
		})
	}
}

type alarmSpec struct {
	id, description, namespace, metric, statistic string
	dimensions                                    map[string]string
	threshold                                     int
	period, evaluationPeriods, datapointsToAlarm  int
	treatMissingData                              string
	okActions                                     bool
	dependsOn                                     cdktf.ITerraformDependable
}

// alarm creates one alarm that notifies the alarm topic, comparing with
// GreaterThanOrEqualToThreshold.
func (m *SecurityMonitoring) alarm(s alarmSpec) {
	c := m.Config
	p := c.Provider
	topic := &[]*string{m.AlarmTopic.Arn()}
	ac := &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
		Provider:           p,
		Tags:               common.Tags(c.Tags, nil),
		AlarmName:          jsii.String(m.Config.Name + "-" + s.id),
		AlarmDescription:   jsii.String(baseline.EscapeTemplate(s.description)),
		Namespace:          jsii.String(s.namespace),
		MetricName:         jsii.String(s.metric),
		Statistic:          jsii.String(s.statistic),
		ComparisonOperator: jsii.String("GreaterThanOrEqualToThreshold"),
		Threshold:          jsii.Number(float64(s.threshold)),
		Period:             jsii.Number(float64(s.period)),
		EvaluationPeriods:  jsii.Number(float64(s.evaluationPeriods)),
		DatapointsToAlarm:  jsii.Number(float64(s.datapointsToAlarm)),
		TreatMissingData:   jsii.String(s.treatMissingData),
		ActionsEnabled:     jsii.Bool(true),
		AlarmActions:       topic,
	}
	if len(s.dimensions) > 0 {
		dims := map[string]*string{}
		for k, v := range s.dimensions {
			// Dimension values are user input (or tokens, left alone).
			dims[k] = jsii.String(baseline.EscapeTemplate(v))
		}
		ac.Dimensions = &dims
	}
	if s.okActions {
		ac.OkActions = topic
	}
	if s.dependsOn != nil {
		ac.DependsOn = &[]cdktf.ITerraformDependable{s.dependsOn}
	}
	m.Alarms[s.id] = cloudwatchmetricalarm.NewCloudwatchMetricAlarm(m.Construct, jsii.String("alarm_"+s.id), ac)
}

var (
	nameRe           = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$`)
	ipFormatRe       = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
	trailNameRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	trailNameBadRe   = regexp.MustCompile(`[._-]{2}`)
	logGroupNameRe   = regexp.MustCompile(`^[A-Za-z0-9_./#-]{1,512}$`)
	namespaceRe      = regexp.MustCompile(`^[A-Za-z0-9.\-_/#: ]{1,255}$`)
	lbArnSuffixRe    = regexp.MustCompile(`^app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	tgArnSuffixRe    = regexp.MustCompile(`^targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`)
	ecsNameRe        = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	wafMetricNameRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	emailDomainLabel = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
)

// Validate checks the config as NewSecurityMonitoring does, without creating
// anything. It returns nil or a *validate.Error.
func (cfg *SecurityMonitoringConfig) Validate(id string) error {
	_, err := cfg.withDefaults(id)
	return err
}

func (cfg *SecurityMonitoringConfig) withDefaults(id string) (SecurityMonitoringConfig, error) {
	v := validate.New("securitymonitoring.NewSecurityMonitoring")
	if cfg == nil {
		v.Add("config", nil, "is required")
		return SecurityMonitoringConfig{}, v.Err()
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	c.AlarmEmails = slices.Clone(cfg.AlarmEmails)
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	// Fields derived from Name, AccountId or Region are only checked when
	// those are valid or when the user set them: one mistake, one problem.
	derived := map[string]bool{}
	derive := func(p *string, value string, field string) {
		if *p == "" {
			*p = value
			derived[field] = true
		}
	}
	derive(&c.TrailName, c.Name+"-trail", "TrailName")
	derive(&c.S3BucketName, strings.ToLower(c.Name)+"-cloudtrail-"+c.AccountId, "S3BucketName")
	derive(&c.LogGroupName, "/aws/cloudtrail/"+c.Name, "LogGroupName")
	derive(&c.MetricNamespace, "CISBenchmark/"+c.Name, "MetricNamespace")
	def(&c.S3ExpirationDays, DefaultS3ExpirationDays)
	def(&c.NoncurrentVersionExpirationDays, DefaultNoncurrentVersionExpirationDays)
	def(&c.RetentionInDays, DefaultRetentionInDays)
	def(&c.DeletionWindowInDays, DefaultDeletionWindowInDays)
	def(&c.UnauthorizedApiCallsThreshold, DefaultUnauthorizedApiCallsThreshold)
	if !c.SkipGuardDutyDetector && c.FindingPublishingFrequency == "" {
		c.FindingPublishingFrequency = DefaultFindingPublishingFrequency
	}
	if c.FindingsMinSeverity == 0 {
		c.FindingsMinSeverity = DefaultFindingsMinSeverity
	}

	lowerName := strings.ToLower(c.Name)
	v.ConfigTokens(c)
	nameRule := "must be 1-39 letters, digits and '-', starting with a letter, not ending with '-', without \"--\", and not starting with the S3-reserved \"sthree-\" or \"amzn-s3-demo-\" (the trail, bucket and other names derive from it)"
	if nameField == "id" {
		nameRule = "is the default Name (Name is empty, so Name is validate.NameFromID(id)), which " + nameRule + "; or set Name"
	}
	okName := v.Check(nameRe.MatchString(c.Name) && !strings.Contains(c.Name, "--") &&
		!strings.HasPrefix(lowerName, "sthree-") && !strings.HasPrefix(lowerName, "amzn-s3-demo-"), nameField, c.Name, nameRule)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	okAccount, okRegion := env.AccountId != "", env.Region != ""
	common.CheckTags(v, "Tags", c.Tags)
	// skip is true for a derived field whose source is already reported.
	skip := func(field string, sourcesOK bool) bool { return derived[field] && !sourcesOK }
	if !skip("TrailName", okName) {
		if v.Check(trailNameRe.MatchString(c.TrailName) && !trailNameBadRe.MatchString(c.TrailName), "TrailName", c.TrailName,
			"must be 3-128 letters, digits, '.', '_' and '-', start and end with a letter or digit, and have no two of '.', '_', '-' in a row") {
			v.Check(!ipFormatRe.MatchString(c.TrailName), "TrailName", c.TrailName, "must not be in IP address format (CloudTrail forbids it)")
		}
	}
	if rule := validate.BucketName(c.S3BucketName); rule != "" && !skip("S3BucketName", okName && okAccount) {
		v.Add("S3BucketName", c.S3BucketName, rule)
	}
	if c.AccessLogsBucket != "" && !isToken(c.AccessLogsBucket) {
		if rule := validate.BucketName(c.AccessLogsBucket); rule != "" {
			v.Add("AccessLogsBucket", c.AccessLogsBucket, rule)
		} else {
			v.Check(c.AccessLogsBucket != c.S3BucketName, "AccessLogsBucket", c.AccessLogsBucket, "must differ from S3BucketName: a bucket's access logs must not be written into itself")
		}
	}
	v.Check(c.S3ExpirationDays >= 1, "S3ExpirationDays", c.S3ExpirationDays, "must be at least 1 day (0 means the default, 365)")
	v.Check(c.NoncurrentVersionExpirationDays >= 1, "NoncurrentVersionExpirationDays", c.NoncurrentVersionExpirationDays, "must be at least 1 day (0 means the default, 90)")
	v.Check(skip("LogGroupName", okName) || logGroupNameRe.MatchString(c.LogGroupName) && !strings.HasPrefix(c.LogGroupName, "aws/"), "LogGroupName", c.LogGroupName,
		"must be 1-512 letters, digits and '_-./#', and must not start with the reserved 'aws/'")
	v.LogRetention("RetentionInDays", c.RetentionInDays)
	v.Check(c.DeletionWindowInDays >= 7 && c.DeletionWindowInDays <= 30, "DeletionWindowInDays", c.DeletionWindowInDays, "must be between 7 and 30 days (KMS limits)")

	if c.SkipGuardDutyDetector {
		v.Check(c.FindingPublishingFrequency == "", "FindingPublishingFrequency", c.FindingPublishingFrequency,
			"is only used when the construct creates the detector; it must be empty with SkipGuardDutyDetector")
	} else {
		v.Check(slices.Contains(FindingPublishingFrequencies, c.FindingPublishingFrequency), "FindingPublishingFrequency", c.FindingPublishingFrequency,
			fmt.Sprintf("must be one of %v", FindingPublishingFrequencies))
	}
	v.Check(c.FindingsMinSeverity >= 1 && c.FindingsMinSeverity <= 10, "FindingsMinSeverity", c.FindingsMinSeverity, "must be a GuardDuty severity from 1.0 to 10.0 (0 means the default, 7)")

	seen := map[string]bool{}
	for i, e := range c.AlarmEmails {
		field := fmt.Sprintf("AlarmEmails[%d]", i)
		if !v.Check(isEmail(e), field, e, "must be a plain email address such as secops@example.com") {
			continue
		}
		key := strings.ToLower(e)
		v.Check(!seen[key], field, e, "is listed twice")
		seen[key] = true
	}
	v.Check(skip("MetricNamespace", okName) || namespaceRe.MatchString(c.MetricNamespace) && !strings.HasPrefix(c.MetricNamespace, "AWS/"), "MetricNamespace", c.MetricNamespace,
		"must be 1-255 letters, digits and '.-_/#: ', and must not start with the reserved 'AWS/'")
	v.Check(c.UnauthorizedApiCallsThreshold >= 1, "UnauthorizedApiCallsThreshold", c.UnauthorizedApiCallsThreshold, "must be at least 1 (0 means the default, 1)")

	if cfg.Alb != nil {
		a := *cfg.Alb
		def(&a.Target5xxThreshold, DefaultTarget5xxThreshold)
		def(&a.Elb5xxThreshold, DefaultElb5xxThreshold)
		def(&a.UnhealthyHostThreshold, DefaultUnhealthyHostThreshold)
		def(&a.Period, DefaultAlbPeriod)
		def(&a.EvaluationPeriods, DefaultAlbEvaluationPeriods)
		defDatapoints(&a.DatapointsToAlarm, DefaultAlbDatapointsToAlarm, a.EvaluationPeriods)
		checkInput(v, "Alb.LoadBalancerArnSuffix", a.LoadBalancerArnSuffix, lbArnSuffixRe, "must be an Application Load Balancer's arn_suffix, app/<name>/<16 hex digits>")
		checkInput(v, "Alb.TargetGroupArnSuffix", a.TargetGroupArnSuffix, tgArnSuffixRe, "must be a target group's arn_suffix, targetgroup/<name>/<16 hex digits>")
		checkCount(v, "Alb.Target5xxThreshold", a.Target5xxThreshold, DefaultTarget5xxThreshold)
		checkCount(v, "Alb.Elb5xxThreshold", a.Elb5xxThreshold, DefaultElb5xxThreshold)
		checkCount(v, "Alb.UnhealthyHostThreshold", a.UnhealthyHostThreshold, DefaultUnhealthyHostThreshold)
		checkWindow(v, "Alb", a.Period, a.EvaluationPeriods, a.DatapointsToAlarm)
		c.Alb = &a
	}
	if cfg.Ecs != nil {
		e := *cfg.Ecs
		def(&e.CpuUtilizationThreshold, DefaultCpuUtilizationThreshold)
		def(&e.MemoryUtilizationThreshold, DefaultMemoryUtilizationThreshold)
		def(&e.Period, DefaultEcsPeriod)
		def(&e.EvaluationPeriods, DefaultEcsEvaluationPeriods)
		defDatapoints(&e.DatapointsToAlarm, DefaultEcsDatapointsToAlarm, e.EvaluationPeriods)
		checkInput(v, "Ecs.ClusterName", e.ClusterName, ecsNameRe, "must be an ECS cluster name: 1-255 letters, digits, '_' and '-'")
		checkInput(v, "Ecs.ServiceName", e.ServiceName, ecsNameRe, "must be an ECS service name: 1-255 letters, digits, '_' and '-'")
		checkPercent(v, "Ecs.CpuUtilizationThreshold", e.CpuUtilizationThreshold, DefaultCpuUtilizationThreshold)
		checkPercent(v, "Ecs.MemoryUtilizationThreshold", e.MemoryUtilizationThreshold, DefaultMemoryUtilizationThreshold)
		checkWindow(v, "Ecs", e.Period, e.EvaluationPeriods, e.DatapointsToAlarm)
		c.Ecs = &e
	}
	if cfg.Waf != nil {
		w := *cfg.Waf
		if w.RuleMetricName == "" {
			w.RuleMetricName = DefaultWafRuleMetricName
		}
		derive(&w.Region, c.Region, "Waf.Region")
		def(&w.BlockedRequestsThreshold, DefaultBlockedRequestsThreshold)
		def(&w.Period, DefaultWafPeriod)
		def(&w.EvaluationPeriods, DefaultWafEvaluationPeriods)
		defDatapoints(&w.DatapointsToAlarm, DefaultWafDatapointsToAlarm, w.EvaluationPeriods)
		if checkInput(v, "Waf.WebAclMetricName", w.WebAclMetricName, wafMetricNameRe, "must be the web ACL's visibility_config metric_name: 1-128 letters, digits, '_' and '-'") &&
			!isToken(w.WebAclMetricName) {
			v.Check(w.WebAclMetricName != "All" && w.WebAclMetricName != "Default_Action", "Waf.WebAclMetricName", w.WebAclMetricName,
				"must not be a name WAF reserves (All, Default_Action)")
		}
		checkInput(v, "Waf.RuleMetricName", w.RuleMetricName, wafMetricNameRe, "must be a rule's metric_name or ALL: 1-128 letters, digits, '_' and '-'")
		v.Check(skip("Waf.Region", okRegion) || isToken(w.Region) || validate.Region(w.Region), "Waf.Region", w.Region, "must be an AWS region code such as us-east-1")
		checkCount(v, "Waf.BlockedRequestsThreshold", w.BlockedRequestsThreshold, DefaultBlockedRequestsThreshold)
		checkWindow(v, "Waf", w.Period, w.EvaluationPeriods, w.DatapointsToAlarm)
		c.Waf = &w
	}
	return c, v.Err()
}

// defDatapoints defaults datapoints_to_alarm to def, but never above a
// valid evaluationPeriods.
func defDatapoints(p *int, def, evaluationPeriods int) {
	if *p == 0 {
		*p = def
		if evaluationPeriods >= 1 && evaluationPeriods < def {
			*p = evaluationPeriods
		}
	}
}

// isToken reports whether s holds an unresolved cdktf token, whose value is
// only known to Terraform.
func isToken(s string) bool { return validate.HasToken(s) }

// checkInput requires a monitored resource's identifier: present, and either
// a token or matching re.
func checkInput(v *validate.Collector, field, value string, re *regexp.Regexp, rule string) bool {
	if value == "" {
		v.Add(field, value, "is required when this alarm group is set (set the group to nil to skip its alarms)")
		return false
	}
	return v.Check(isToken(value) || re.MatchString(value), field, value, rule)
}

func checkCount(v *validate.Collector, field string, value, def int) {
	v.Check(value >= 1, field, value, fmt.Sprintf("must be a count of at least 1 (0 means the default, %d)", def))
}

func checkPercent(v *validate.Collector, field string, value, def int) {
	v.Check(value >= 1 && value <= 100, field, value, fmt.Sprintf("must be a percentage from 1 to 100 (0 means the default, %d)", def))
}

func checkWindow(v *validate.Collector, group string, period, evaluationPeriods, datapointsToAlarm int) {
	okPeriod := v.Check(period >= 60 && period <= 86400 && period%60 == 0, group+".Period", period,
		"must be a multiple of 60 seconds from 60 to 86400 (the metrics have one-minute resolution)")
	// Bound EvaluationPeriods by division: period*evaluationPeriods could
	// overflow. With an invalid Period, the shortest valid one (60 s) bounds it.
	limitPeriod := 60
	if okPeriod {
		limitPeriod = period
	}
	if v.Check(evaluationPeriods >= 1, group+".EvaluationPeriods", evaluationPeriods, "must be at least 1") {
		v.Check(evaluationPeriods <= 86400/limitPeriod, group+".EvaluationPeriods", evaluationPeriods,
			fmt.Sprintf("times Period (%d s) must be at most 86400 seconds (one day), CloudWatch's limit", limitPeriod))
	}
	v.Check(datapointsToAlarm >= 1 && datapointsToAlarm <= max(evaluationPeriods, 1), group+".DatapointsToAlarm", datapointsToAlarm,
		fmt.Sprintf("must be from 1 to EvaluationPeriods (%d)", evaluationPeriods))
}

// isEmail accepts a bare address (no display name, no angle brackets) with
// a dotted domain of valid DNS labels.
func isEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	labels := strings.Split(s[at+1:], ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) > 63 || !emailDomainLabel.MatchString(l) {
			return false
		}
	}
	return true
}
