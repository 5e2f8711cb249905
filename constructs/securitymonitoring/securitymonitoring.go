// Package securitymonitoring provides SecurityMonitoring, the audit and
// alerting layer of the platform: a CloudTrail trail with its encrypted
// bucket and log group, CIS AWS Foundations Benchmark metric filters and
// alarms on that log group, an optional GuardDuty detector with an alert rule
// for its findings, and CloudWatch alarms on the load balancer and its target
// groups, the ECS services and the WAF web ACL, all notifying one
// KMS-encrypted SNS topic.
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
//   - CloudWatch alarms for the groups that are set: Alb (one load balancer,
//     any number of its target groups), Ecs (any number of services), Waf.
//
// Every resource is exposed typed on SecurityMonitoring for escape hatches.
//
// # Bring your own
//
// Both keys, the trail bucket and the roles' permissions boundary can come
// from elsewhere; the construct's own resources stay the default:
//
//   - TrailKmsKey / AlarmKmsKey take a securekey.SecureKey of this app: the
//     statements CloudTrail, CloudWatch Logs, CloudWatch alarms and
//     EventBridge need are added to that key's one policy. TrailKmsKeyArn /
//     AlarmKmsKeyArn take a key managed elsewhere: its policy must hold
//     SecurityMonitoring.TrailKeyPolicyStatements /
//     AlarmKeyPolicyStatements (the same statements; synthesize to read
//     them, they depend only on the config).
//   - S3Bucket takes a securebucket.SecureBucket of this app: CloudTrail's
//     delivery statements are added to its one bucket policy.
//     ExistingS3BucketName takes a bucket managed elsewhere: its policy must
//     hold SecurityMonitoring.BucketPolicyStatements.
//   - PermissionsBoundaryArn is set on every role the construct creates.
//
// AddToAlarmTopicPolicy adds statements to the alarm topic's one policy,
// and GrantPublish lets a role or principal publish to the topic (and use
// its key).
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
// # Other partitions
//
// ARNs take their partition from Region (aws, aws-cn, aws-us-gov, ...). The
// global service principals (cloudtrail, cloudwatch, events) are
// "<service>.amazonaws.com" in every partition; the regional CloudWatch
// Logs principal of the key policy is "logs.<region>.<DNS suffix>", e.g.
// "logs.cn-north-1.amazonaws.com.cn" in China, as the AWS provider's
// aws_service_principal data source composes it.
//
// # Alarm windows
//
// Each alarm group (Alb, Ecs, Waf) has PeriodSeconds, EvaluationPeriods and
// DatapointsToAlarm, the alarms' period, evaluation_periods and
// datapoints_to_alarm: an alarm goes to ALARM when DatapointsToAlarm of the
// last EvaluationPeriods periods of PeriodSeconds breach the threshold.
// PeriodSeconds must be a multiple of 60 (the AWS/ApplicationELB, AWS/ECS
// and AWS/WAFV2 metrics have one-minute data, so CloudWatch's sub-minute
// periods 10, 20 and 30 would leave the alarm in INSUFFICIENT_DATA);
// PeriodSeconds x EvaluationPeriods must be at most 86400 seconds (one day),
// or 604800 (seven days) for a period of an hour or more, as CloudWatch
// enforces; DatapointsToAlarm is from 1 to EvaluationPeriods. When
// DatapointsToAlarm is nil it defaults to the group's default, lowered to
// EvaluationPeriods if that is smaller. Every alarm compares with
// GreaterThanOrEqualToThreshold and notifies the alarm topic; the service
// alarms also notify when they return to OK. The CIS alarms use a 300-second
// period, one evaluation period and the Sum statistic, as the benchmark does.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
//
// # Zero and unset
//
// Every optional number is a pointer: nil takes the documented default, and
// a set value, 0 included, is used as given (Go 1.26: new(0)). A threshold
// of 0 on a count metric that is only reported when it is non-zero (the
// 5xx counts, BlockedRequests, the CIS filter counts) alarms on the first
// such event; an S3 expiration of 0 days keeps the objects.
//
// # Validation
//
// NewSecurityMonitoring and Validate check the whole config first (the rules
// are in rules.go, each with the AWS or Terraform rule it follows) and return
// one *validate.Error listing every problem, creating nothing. What can only
// fail at apply: a name already taken in the account by something outside
// this app, a BYO key or bucket whose policy lacks the documented
// statements, and email subscriptions, which stay pending until confirmed.
package securitymonitoring

import (
	"fmt"

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
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is nil (or "").
const (
	// DefaultRetentionInDays is the CloudTrail log group's retention (days).
	DefaultRetentionInDays = 365
	// DefaultS3ExpirationDays expires trail log files in S3 (days).
	DefaultS3ExpirationDays = 365
	// DefaultNoncurrentVersionExpirationDays expires overwritten or deleted
	// trail objects (days).
	DefaultNoncurrentVersionExpirationDays = 90
	// DefaultDeletionWindowInDays is the deletion window of the keys the
	// construct creates (days).
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
	DefaultAlbPeriodSeconds           = 60  // seconds
	DefaultAlbEvaluationPeriods       = 5   // periods looked at
	DefaultAlbDatapointsToAlarm       = 3   // breaching periods among them
	DefaultCpuUtilizationThreshold    = 80  // percent (Average)
	DefaultMemoryUtilizationThreshold = 80  // percent (Average)
	DefaultEcsPeriodSeconds           = 60  // seconds
	DefaultEcsEvaluationPeriods       = 5   // periods looked at
	DefaultEcsDatapointsToAlarm       = 5   // breaching periods among them
	DefaultBlockedRequestsThreshold   = 100 // BlockedRequests per period
	DefaultWafPeriodSeconds           = 300 // seconds
	DefaultWafEvaluationPeriods       = 1   // periods looked at
	DefaultWafDatapointsToAlarm       = 1   // breaching periods among them
	// DefaultWafRuleMetricName is the Rule dimension value that aggregates
	// every rule of the web ACL.
	DefaultWafRuleMetricName = "ALL"
)

// FindingPublishingFrequencies are the values GuardDuty accepts for
// finding_publishing_frequency.
// See https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html
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
	// key aliases, bucket). Default: validate.NameFromID(id). 1-39 letters,
	// digits and '-', starting with a letter, not ending with '-', without
	// "--" and not starting with "sthree-" or "amzn-s3-demo-" (in any case),
	// e.g. "ecs-webapp-prod". These limits are what the names derived from
	// it need (the default S3BucketName "<lowercased Name>-cloudtrail-<AccountId>"
	// has at most 63 characters; CloudTrail forbids adjacent dashes in
	// TrailName), so a valid Name always gives valid defaults.
	Name string
	// AccountId is the 12-digit account the resources live in. Required
	// unless Provider has one literal allowed_account_ids entry: the key,
	// bucket, topic and role policies name it.
	AccountId string
	// Region is the region of the trail's home, the log group and the
	// alarms, e.g. "eu-west-1"; it also sets the partition of every ARN.
	// Required unless Provider has a literal region.
	Region string
	// PermissionsBoundaryArn is set as the permissions boundary of every IAM
	// role the construct creates (the CloudTrail-to-CloudWatch-Logs role): a
	// managed policy ARN of this account or an AWS managed policy
	// ("arn:aws:iam::aws:policy/..."), or a token. Default none.
	// See https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
	PermissionsBoundaryArn string

	// TrailName is the CloudTrail trail's name. Default "<Name>-trail".
	// 3-128 letters, digits, '.', '_' and '-', starting and ending with a
	// letter or digit, with no two of '.', '_', '-' in a row, and not in IP
	// address format (such as 192.168.5.4) (validate.TrailName).
	// See https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
	TrailName string
	// TrailKmsKey encrypts the trail's log files and its log group with this
	// key of the app instead of a new one (bring your own key). The
	// construct adds the statements CloudTrail and CloudWatch Logs need
	// (SecurityMonitoring.TrailKeyPolicyStatements) to the key's policy.
	// It must be in AccountId and Region (CloudTrail needs the key in the
	// bucket's region, CloudWatch Logs in the log group's). Set at most one
	// of TrailKmsKey and TrailKmsKeyArn.
	TrailKmsKey *securekey.SecureKey
	// TrailKmsKeyArn encrypts them with a key managed elsewhere, a KMS key
	// ARN of AccountId and Region (a token is accepted): its key policy must
	// contain SecurityMonitoring.TrailKeyPolicyStatements.
	TrailKmsKeyArn string
	// DeletionWindowInDays is the deletion window of the keys the construct
	// creates, 7-30 days. Default 30. Must be nil when both keys are
	// brought (no key is created).
	DeletionWindowInDays *int

	// S3BucketName is the name of the trail bucket the construct creates.
	// Default "<lowercased Name>-cloudtrail-<AccountId>". It must follow the
	// S3 bucket naming rules (validate.BucketName). Must be empty with
	// S3Bucket or ExistingS3BucketName.
	S3BucketName string
	// S3Bucket delivers the trail to this bucket of the app instead of a new
	// one: CloudTrail's delivery statements (SecurityMonitoring.
	// BucketPolicyStatements) are added to its one bucket policy. It must be
	// in the partition of Region, and in Region itself (CloudTrail needs the
	// trail key and the bucket in one region). At most one of S3Bucket and
	// ExistingS3BucketName.
	S3Bucket *securebucket.SecureBucket
	// ExistingS3BucketName delivers the trail to a bucket managed elsewhere,
	// by name (a token is accepted), in Region: its bucket policy must
	// contain SecurityMonitoring.BucketPolicyStatements, or CloudTrail
	// refuses to create the trail (InsufficientS3BucketPolicyException).
	ExistingS3BucketName string
	// S3ExpirationDays expires trail log files in the created bucket after
	// this many days, 0-36500; 0 keeps them. Default 365. Must be nil with
	// S3Bucket or ExistingS3BucketName (set it on that bucket).
	S3ExpirationDays *int
	// NoncurrentVersionExpirationDays expires noncurrent (overwritten or
	// deleted) object versions in the created bucket after this many days,
	// 0-36500; 0 keeps them. Default 90. Must be nil with S3Bucket or
	// ExistingS3BucketName.
	NoncurrentVersionExpirationDays *int
	// AccessLogsBucket, when set, sends the created trail bucket's S3 server
	// access logs (CIS AWS Foundations 3.6) to this existing bucket, under
	// "s3-access/<S3BucketName>/". Its policy must let logging.s3.amazonaws.com
	// put objects there for the trail bucket (aws:SourceArn) and it must use
	// SSE-S3. A name or a cdktf token. Default none: the trail's own log
	// file validation and the CIS 4.8 alarm cover tampering, and a log bucket
	// is best shared by all buckets of an account. Must be empty with
	// S3Bucket or ExistingS3BucketName.
	// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
	AccessLogsBucket string
	// AccessLogsSecureBucket sends the created trail bucket's server access
	// logs to this bucket of the app instead, under the same prefix; the
	// statement S3 server access logging needs (logging.s3.amazonaws.com may
	// put objects under the prefix for the trail bucket of this account:
	// aws:SourceArn and aws:SourceAccount) is added to its one policy. It
	// must use SSE-S3 (created with S3ManagedEncryption: server access logs
	// cannot be delivered to SSE-KMS buckets) and be in AccountId and Region, as S3
	// requires of a logging target. At most one of AccessLogsBucket and
	// AccessLogsSecureBucket; must be nil with S3Bucket or
	// ExistingS3BucketName.
	AccessLogsSecureBucket *securebucket.SecureBucket
	// ForceDestroy lets `terraform destroy` delete the created trail bucket
	// with the audit logs in it. Default false: Terraform refuses to delete
	// a non-empty bucket. Set it only for short-lived test environments
	// whose audit trail you are willing to lose. Must be false with S3Bucket
	// or ExistingS3BucketName.
	ForceDestroy bool

	// LogGroupName is the CloudWatch log group the trail also delivers to.
	// Default "/aws/cloudtrail/<Name>". 1-512 letters, digits and '_-./#',
	// not starting with "aws/" (validate.LogGroupName).
	LogGroupName string
	// RetentionInDays is the log group's retention: one of
	// validate.LogRetentionDays (0, "never expire", is refused: audit logs
	// get a finite retention). Default 365.
	RetentionInDays *int

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
	// "FIFTEEN_MINUTES", "ONE_HOUR" or "SIX_HOURS" (a wrong casing or a typo
	// gets a suggestion). Default "FIFTEEN_MINUTES". Must be empty with
	// SkipGuardDutyDetector (the existing detector's setting applies).
	// See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_cloudwatch.html
	FindingPublishingFrequency string
	// FindingsMinSeverity is the lowest GuardDuty finding severity (1.0-10.0;
	// Low 1-3.9, Medium 4-6.9, High 7-8.9, Critical 9-10) sent to the alarm
	// topic. Default 7 (High and Critical). A literal number.
	FindingsMinSeverity *float64

	// AlarmKmsKey encrypts the alarm topic with this key of the app instead
	// of a new one: the statements CloudWatch alarms and EventBridge need to
	// publish (SecurityMonitoring.AlarmKeyPolicyStatements) are added to its
	// policy. It must be in AccountId and Region. It may be the same key as
	// TrailKmsKey. Set at most one of AlarmKmsKey and AlarmKmsKeyArn.
	AlarmKmsKey *securekey.SecureKey
	// AlarmKmsKeyArn encrypts the topic with a key managed elsewhere (a KMS
	// key ARN of AccountId and Region, or a token): its policy must contain
	// SecurityMonitoring.AlarmKeyPolicyStatements, or alarms and findings are
	// silently not delivered.
	AlarmKmsKeyArn string
	// AlarmEmails subscribes these addresses to the alarm topic: plain
	// addresses such as "secops@example.com" (validate.EmailAddress), no
	// duplicates (ignoring case), or tokens. Default none. SNS sends each
	// address a confirmation message: the subscription delivers nothing until
	// its recipient follows the link (the token is valid for a few days; see
	// pending_confirmation on the subscription), and Terraform cannot delete
	// an unconfirmed email subscription (destroy only forgets it). They are
	// passed to Terraform literally ("${" and "%{" are escaped).
	// See https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html
	AlarmEmails []string
	// MetricNamespace is the CloudWatch namespace of the CIS filter metrics,
	// used by the metric filters and their alarms. Default
	// "CISBenchmark/<Name>". 1-255 letters, digits and '.-_/# ' (a metric
	// filter's namespace refuses ':', '*' and '$', which alarm namespaces
	// allow), not starting with "AWS/" (validate.MetricFilterNamespace).
	// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
	MetricNamespace string
	// UnauthorizedApiCallsThreshold is the number of unauthorized API calls
	// in 5 minutes that sets off the CIS 4.1 alarm, at least 0 (0 and 1 both
	// alarm on the first call: the filter reports nothing without one).
	// Default 1; raise it in accounts where tools probe permissions
	// routinely. Every other CIS alarm fires on the first matching event.
	UnauthorizedApiCallsThreshold *int

	// Alb adds the alarms of one load balancer and its target groups; nil
	// adds none.
	Alb *AlbAlarms
	// Ecs adds the alarms of each ECS service listed; empty adds none.
	Ecs []EcsAlarms
	// Waf adds the WAF alarm; nil adds none.
	Waf *WafAlarms
}

// AlbAlarms are the alarms on an Application Load Balancer and its target
// groups (namespace AWS/ApplicationELB): the load balancer's own 5xx
// ("alb-5xx"), and for each target group its targets' 5xx and its unhealthy
// hosts. The count alarms (5xx) treat missing data as not breaching, because
// the load balancer reports no datapoint in a minute without such responses;
// the unhealthy-host alarm treats it as missing (no statement about health).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
type AlbAlarms struct {
	// LoadBalancerArnSuffix is the LoadBalancer dimension: the load
	// balancer's arn_suffix, "app/<name>/<16 hex digits>". Required; a cdktf
	// token such as *lb.ArnSuffix() is accepted.
	LoadBalancerArnSuffix string
	// TargetGroupArnSuffix is the TargetGroup dimension of the one-service
	// form: the target group's arn_suffix, "targetgroup/<name>/<16 hex
	// digits>" (or a token). Its alarms are "alb-target-5xx" and
	// "alb-unhealthy-hosts". Optional: list more in TargetGroups.
	TargetGroupArnSuffix string
	// TargetGroups are further target groups of the load balancer (several
	// services behind one ALB), each with alarms of its own.
	TargetGroups []TargetGroupAlarms
	// Target5xxThreshold: alarm when a target group's targets answer at
	// least this many 5xx responses (HTTPCode_Target_5XX_Count, Sum) in a
	// period. At least 0 (0: on any 5xx). Default 10.
	Target5xxThreshold *int
	// Elb5xxThreshold: alarm when the load balancer itself answers at least
	// this many 5xx responses (HTTPCode_ELB_5XX_Count, Sum) in a period. At
	// least 0 (0: on any 5xx). Default 10.
	Elb5xxThreshold *int
	// UnhealthyHostThreshold: alarm when at least this many targets of a
	// target group are unhealthy (UnHealthyHostCount, Maximum). At least 1
	// (the metric reports 0 when all are healthy). Default 1.
	UnhealthyHostThreshold *int
	// PeriodSeconds, EvaluationPeriods and DatapointsToAlarm are the
	// alarms' window (package documentation, "Alarm windows"). Defaults 60,
	// 5 and 3.
	PeriodSeconds, EvaluationPeriods, DatapointsToAlarm *int
}

// TargetGroupAlarms are the alarms of one more target group of an
// AlbAlarms load balancer: "alb-<Id>-target-5xx" and
// "alb-<Id>-unhealthy-hosts", with the group's window.
type TargetGroupAlarms struct {
	// Id names the alarms: 1-64 letters, digits and '-', starting and ending
	// with a letter or digit, unique among TargetGroups (e.g. the service's
	// name). Required.
	Id string
	// TargetGroupArnSuffix is the TargetGroup dimension,
	// "targetgroup/<name>/<16 hex digits>" or a token. Required.
	TargetGroupArnSuffix string
	// Target5xxThreshold and UnhealthyHostThreshold override the AlbAlarms
	// thresholds for this target group (same ranges); nil takes them.
	Target5xxThreshold, UnhealthyHostThreshold *int
}

// EcsAlarms are the alarms on one ECS service's utilization (namespace
// AWS/ECS, statistic Average): "ecs-cpu-high" and "ecs-memory-high", or
// "ecs-<Id>-cpu-high" and "ecs-<Id>-memory-high" with an Id. Missing data
// is treated as missing: a service with no running task reports nothing,
// which says nothing about load.
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
type EcsAlarms struct {
	// Id names the service's alarms: 1-64 letters, digits and '-', starting
	// and ending with a letter or digit. Optional for one entry of Ecs (its
	// alarms have no Id); the others need a unique Id.
	Id string
	// ClusterName is the ClusterName dimension (validate.ECSName). Required;
	// a token is accepted.
	ClusterName string
	// ServiceName is the ServiceName dimension (validate.ECSName). Required;
	// a token is accepted.
	ServiceName string
	// CpuUtilizationThreshold is the CPUUtilization percentage (1-100) that
	// sets off the alarm. Default 80.
	CpuUtilizationThreshold *int
	// MemoryUtilizationThreshold is the MemoryUtilization percentage (1-100)
	// that sets off the alarm. Default 80.
	MemoryUtilizationThreshold *int
	// PeriodSeconds, EvaluationPeriods and DatapointsToAlarm are the
	// alarms' window (package documentation, "Alarm windows"). Defaults 60,
	// 5 and 5 (five minutes in a row).
	PeriodSeconds, EvaluationPeriods, DatapointsToAlarm *int
}

// WafAlarms is the alarm on a spike of requests blocked by a regional WAF
// web ACL (namespace AWS/WAFV2, metric BlockedRequests, Sum). Missing data
// is treated as not breaching: WAF reports no datapoint when nothing was
// blocked.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
type WafAlarms struct {
	// WebAclMetricName is the WebACL dimension: the metric_name of the web
	// ACL's visibility_config (validate.WAFMetricName: 1-255 letters, digits
	// and _ # : . - /, not "All" or "Default_Action"). Required; a token is
	// accepted.
	WebAclMetricName string
	// RuleMetricName is the Rule dimension: a rule's metric_name, "ALL" for
	// every rule of the web ACL, or "Default_Action" for requests the
	// default action blocked. Default "ALL".
	RuleMetricName string
	// Region is the Region dimension, the web ACL's region. Default the
	// config's Region.
	Region string
	// BlockedRequestsThreshold: alarm when at least this many requests are
	// blocked in a period. At least 0 (0: on any blocked request). Default
	// 100.
	BlockedRequestsThreshold *int
	// PeriodSeconds, EvaluationPeriods and DatapointsToAlarm are the
	// alarm's window (package documentation, "Alarm windows"). Defaults 300,
	// 1 and 1.
	PeriodSeconds, EvaluationPeriods, DatapointsToAlarm *int
}

// SecurityMonitoring is the deployed monitoring and audit layer. Every
// resource it creates is exposed typed, for escape hatches.
type SecurityMonitoring struct {
	// Construct is the scope that holds every resource below. (A named
	// field, not embedded: jsii cannot pass a Go struct embedding a construct
	// as a scope.)
	Construct constructs.Construct
	// Config is the config after defaults were applied.
	Config SecurityMonitoringConfig

	// TrailKey is the key the construct created for the trail and its log
	// group; nil when TrailKmsKey or TrailKmsKeyArn was given.
	TrailKey *securekey.SecureKey
	// TrailKmsKeyArn is the ARN of the trail key in use (created or given).
	TrailKmsKeyArn *string
	// TrailKeyPolicyStatements are the key-policy statements the trail key
	// needs (added to a created or TrailKmsKey key; to be present in the
	// policy of a TrailKmsKeyArn key).
	TrailKeyPolicyStatements []iampolicy.Statement
	// Bucket is the trail bucket the construct created; nil when S3Bucket
	// or ExistingS3BucketName was given.
	Bucket *securebucket.SecureBucket
	// BucketPolicyStatements are CloudTrail's delivery statements of the
	// trail bucket's policy (added to a created or S3Bucket bucket; to be
	// present in the policy of an ExistingS3BucketName bucket).
	BucketPolicyStatements []iampolicy.Statement
	// LogGroup receives the trail's events.
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// TrailRole is the role CloudTrail assumes to write into LogGroup.
	TrailRole iamrole.IamRole
	// TrailRolePolicy is TrailRole's inline policy (TrailRolePolicy).
	TrailRolePolicy iamrolepolicy.IamRolePolicy
	// Trail is the CloudTrail trail.
	Trail cloudtrail.Cloudtrail
	// MetricFilters holds the CIS filters by CisFilter.ID.
	MetricFilters map[string]cloudwatchlogmetricfilter.CloudwatchLogMetricFilter

	// Detector is the GuardDuty detector; nil with SkipGuardDutyDetector.
	Detector guarddutydetector.GuarddutyDetector
	// FindingsRule forwards GuardDuty findings to the alarm topic.
	FindingsRule cloudwatcheventrule.CloudwatchEventRule
	// FindingsTarget is FindingsRule's target, the alarm topic.
	FindingsTarget cloudwatcheventtarget.CloudwatchEventTarget

	// AlarmKey is the key the construct created for the alarm topic; nil
	// when AlarmKmsKey or AlarmKmsKeyArn was given.
	AlarmKey *securekey.SecureKey
	// AlarmKmsKeyArn is the ARN of the alarm topic's key (created or given).
	AlarmKmsKeyArn *string
	// AlarmKeyPolicyStatements are the key-policy statements the alarm key
	// needs (added to a created or AlarmKmsKey key; to be present in the
	// policy of an AlarmKmsKeyArn key).
	AlarmKeyPolicyStatements []iampolicy.Statement
	// AlarmTopic receives every alarm and finding.
	AlarmTopic snstopic.SnsTopic
	// AlarmTopicPolicy is the topic's one policy; see AddToAlarmTopicPolicy.
	AlarmTopicPolicy snstopicpolicy.SnsTopicPolicy
	// AlarmSubscriptions are the email subscriptions, in AlarmEmails order.
	AlarmSubscriptions []snstopicsubscription.SnsTopicSubscription
	// Alarms holds every CloudWatch alarm by its ID (the alarm name without
	// the "<Name>-" prefix), e.g. "alb-target-5xx", "ecs-api-cpu-high" or
	// "cis-root-account-usage".
	Alarms map[string]cloudwatchmetricalarm.CloudwatchMetricAlarm

	// AlarmTopicArn is the alarm topic's ARN (a token).
	AlarmTopicArn *string
	// TrailArn is the trail's ARN (a token).
	TrailArn *string
	// TrailLogGroupName is the trail log group's name (a token).
	TrailLogGroupName *string
	// BucketName is the trail bucket's name (a token, or the literal
	// ExistingS3BucketName).
	BucketName *string

	topicPolicy iampolicy.Document
}

// NewSecurityMonitoring validates cfg and creates the resources described in
// the package documentation. It returns a *validate.Error listing every
// invalid field, and creates nothing, when cfg is invalid, when scope is nil,
// or when id is not a valid construct id (a letter or '_', then at most 63
// letters, digits, '_' and '-') or already names a child of scope, or when a
// name it would create is already claimed by another construct of the app.
func NewSecurityMonitoring(scope constructs.Construct, id string, cfg *SecurityMonitoringConfig) (*SecurityMonitoring, error) {
	v := validate.NewFor("securitymonitoring.NewSecurityMonitoring", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c := cfg.withDefaults(v, id)
	if v.Len() > 0 {
		return nil, v.Err()
	}
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	m := &SecurityMonitoring{
		Construct:     constructs.NewConstruct(scope, jsii.String(id)),
		Config:        c,
		MetricFilters: map[string]cloudwatchlogmetricfilter.CloudwatchLogMetricFilter{},
		Alarms:        map[string]cloudwatchmetricalarm.CloudwatchMetricAlarm{},
	}
	tree.Child(scope, id, m.Construct)
	for _, step := range []func() error{m.newTrail, m.newAlarmTopic} {
		if err := step(); err != nil {
			return nil, err // unreachable: the config was validated
		}
	}
	m.newGuardDuty()
	m.newCisAlarms()
	m.newServiceAlarms()

	m.TrailArn = m.Trail.Arn()
	return m, nil
}

// claims are the names the construct creates that must be unique in the
// app (each once: a name the construct would create twice is reported by
// the rules).
func (c SecurityMonitoringConfig) claims() []registry.Claim {
	out := []registry.Claim{
		{Kind: registry.Trail, Name: c.TrailName, Field: "TrailName"},
		{Kind: registry.LogGroup, Name: c.LogGroupName, Field: "LogGroupName"},
		{Kind: registry.IAMRole, Name: TrailRoleName(c), Field: "Name"},
		{Kind: registry.SNSTopic, Name: AlarmTopicName(c), Field: "Name"},
		{Kind: registry.EventRule, Name: FindingsRuleName(c), Field: "Name"},
	}
	if c.createsBucket() {
		out = append(out, registry.Claim{Kind: registry.S3Bucket, Name: c.S3BucketName, Field: "S3BucketName"})
	}
	if c.TrailKmsKey == nil && c.TrailKmsKeyArn == "" {
		out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: trailKeyAlias(c), Field: "Name"})
	}
	if c.AlarmKmsKey == nil && c.AlarmKmsKeyArn == "" {
		out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: alarmKeyAlias(c), Field: "Name"})
	}
	if !c.SkipGuardDutyDetector {
		out = append(out, registry.Claim{Kind: registry.GuardDuty, Name: "detector", Field: "SkipGuardDutyDetector"})
	}
	for _, f := range CisFilters {
		out = append(out, registry.Claim{Kind: registry.MetricFilter, Name: c.Name + "-" + f.ID, Field: "Name", Qualifier: c.LogGroupName})
	}
	seen := map[string]bool{}
	for _, a := range c.alarmIDs() {
		if name := c.Name + "-" + a.id; !seen[name] {
			seen[name] = true
			out = append(out, registry.Claim{Kind: registry.MetricAlarm, Name: name, Field: a.field})
		}
	}
	return out
}

// alarmID is an alarm's ID and the config field that names it.
type alarmID struct{ id, field string }

// alarmIDs lists the IDs of every alarm the config creates, in creation
// order.
func (c SecurityMonitoringConfig) alarmIDs() []alarmID {
	var out []alarmID
	for _, f := range CisFilters {
		out = append(out, alarmID{f.ID, "Name"})
	}
	if a := c.Alb; a != nil {
		if a.TargetGroupArnSuffix != "" {
			out = append(out, alarmID{"alb-target-5xx", "Alb.TargetGroupArnSuffix"})
		}
		out = append(out, alarmID{"alb-5xx", "Alb.LoadBalancerArnSuffix"})
		if a.TargetGroupArnSuffix != "" {
			out = append(out, alarmID{"alb-unhealthy-hosts", "Alb.TargetGroupArnSuffix"})
		}
		for i, tg := range a.TargetGroups {
			field := fmt.Sprintf("Alb.TargetGroups[%d].Id", i)
			out = append(out, alarmID{"alb-" + tg.Id + "-target-5xx", field}, alarmID{"alb-" + tg.Id + "-unhealthy-hosts", field})
		}
	}
	for i, e := range c.Ecs {
		field := fmt.Sprintf("Ecs[%d].Id", i)
		out = append(out, alarmID{ecsAlarmID(e.Id, "cpu-high"), field}, alarmID{ecsAlarmID(e.Id, "memory-high"), field})
	}
	if c.Waf != nil {
		out = append(out, alarmID{"waf-blocked-requests", "Waf"})
	}
	return out
}

func ecsAlarmID(id, what string) string {
	if id == "" {
		return "ecs-" + what
	}
	return "ecs-" + id + "-" + what
}

// createsBucket reports whether the construct creates the trail bucket.
func (c SecurityMonitoringConfig) createsBucket() bool {
	return c.S3Bucket == nil && c.ExistingS3BucketName == ""
}

// TrailArnFor returns the ARN of the trail a config creates, as the key,
// bucket and role policies name it in their aws:SourceArn conditions. Pass
// the config with its defaults (SecurityMonitoring.Config): it needs
// TrailName, AccountId and Region.
func TrailArnFor(c SecurityMonitoringConfig) string {
	return fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", iampolicy.Partition(c.Region), c.Region, c.AccountId, c.TrailName)
}

// TrailRoleName returns the name of the CloudTrail-to-CloudWatch-Logs role
// for a config.
func TrailRoleName(c SecurityMonitoringConfig) string { return c.Name + "-cloudtrail-logs" }

// AlarmTopicName returns the alarm topic's name for a config.
func AlarmTopicName(c SecurityMonitoringConfig) string { return c.Name + "-security-alarms" }

// FindingsRuleName returns the GuardDuty findings rule's name for a config.
func FindingsRuleName(c SecurityMonitoringConfig) string { return c.Name + "-guardduty-findings" }

func trailKeyAlias(c SecurityMonitoringConfig) string { return "alias/" + c.Name + "-cloudtrail" }
func alarmKeyAlias(c SecurityMonitoringConfig) string { return "alias/" + c.Name + "-security-alarms" }

// trailRoleSuppression is why the CloudTrail role's trust policy has no
// aws:SourceArn / aws:SourceAccount condition (policy rule HC-IAM-003).
const trailRoleSuppression = "CloudTrail does not support aws:SourceArn or aws:SourceAccount for its CloudWatch Logs delivery role: the CloudTrail User Guide " +
	"(cloudtrail-required-policy-for-cloudwatch-logs.html) states that confused deputy prevention is not applicable to this role, so a trust condition " +
	"could make CreateTrail fail (InvalidCloudWatchLogsRoleArnException). The role can only create CloudTrail's streams in this one log group and put events into them."

func (m *SecurityMonitoring) newTrail() error {
	c := m.Config
	in := m.Construct
	p := c.Provider
	// Key: created, brought as a SecureKey, or an ARN.
	m.TrailKeyPolicyStatements = trailKeyStatements(c)
	switch {
	case c.TrailKmsKey != nil:
		if err := c.TrailKmsKey.AddToResourcePolicy(m.TrailKeyPolicyStatements...); err != nil {
			return err
		}
		m.TrailKmsKeyArn = c.TrailKmsKey.Arn()
	case c.TrailKmsKeyArn != "":
		m.TrailKmsKeyArn = jsii.String(c.TrailKmsKeyArn)
	default:
		// Key policy: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
		k, err := securekey.NewSecureKey(in, "trail_key", &securekey.SecureKeyConfig{
			AccountId:            c.AccountId,
			Region:               c.Region,
			Tags:                 c.Tags,
			Provider:             c.Provider,
			Description:          "Encrypts CloudTrail trail " + c.TrailName + " and its log group " + c.LogGroupName,
			Alias:                trailKeyAlias(c),
			DeletionWindowInDays: *c.DeletionWindowInDays,
			Statements:           m.TrailKeyPolicyStatements,
		})
		if err != nil {
			return err
		}
		m.TrailKey, m.TrailKmsKeyArn = k, k.Arn()
	}

	// The created bucket uses the trail key too (with an S3 Bucket Key).
	trailSecureKey := m.TrailKey
	if c.TrailKmsKey != nil {
		trailSecureKey = c.TrailKmsKey
	}

	// Bucket: created, brought as a SecureBucket, or existing by name.
	var bucketID *string
	var bucketPolicy cdktf.ITerraformDependable
	switch {
	case c.S3Bucket != nil:
		m.BucketPolicyStatements = bucketStatements(c, *c.S3Bucket.Arn())
		if err := c.S3Bucket.AddToResourcePolicy(m.BucketPolicyStatements...); err != nil {
			return err
		}
		bucketID, bucketPolicy, m.BucketName = c.S3Bucket.Bucket.Id(), c.S3Bucket.Policy, c.S3Bucket.Bucket.Bucket()
	case c.ExistingS3BucketName != "":
		m.BucketPolicyStatements = bucketStatements(c, fmt.Sprintf("arn:%s:s3:::%s", iampolicy.Partition(c.Region), c.ExistingS3BucketName))
		bucketID = jsii.String(baseline.EscapeTemplate(c.ExistingS3BucketName))
		m.BucketName = bucketID
	default:
		var accessLogs *securebucket.AccessLogs
		switch {
		case c.AccessLogsBucket != "":
			accessLogs = &securebucket.AccessLogs{TargetBucket: c.AccessLogsBucket, TargetPrefix: accessLogsPrefix(c)}
		case c.AccessLogsSecureBucket != nil:
			accessLogs = &securebucket.AccessLogs{TargetBucket: *c.AccessLogsSecureBucket.Bucket.Id(), TargetPrefix: accessLogsPrefix(c)}
		}
		// Bucket policy: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
		b, err := securebucket.NewSecureBucket(in, "trail_bucket", &securebucket.SecureBucketConfig{
			BucketName:                      c.S3BucketName,
			AccountId:                       c.AccountId,
			Region:                          c.Region,
			KmsKey:                          trailSecureKey,
			KmsKeyArn:                       c.TrailKmsKeyArn,
			Tags:                            c.Tags,
			Provider:                        c.Provider,
			ExpirationDays:                  *c.S3ExpirationDays,
			NoncurrentVersionExpirationDays: *c.NoncurrentVersionExpirationDays,
			ForceDestroy:                    c.ForceDestroy,
			AccessLogs:                      accessLogs,
		})
		if err != nil {
			return err
		}
		m.Bucket = b
		m.BucketPolicyStatements = bucketStatements(c, *b.Arn())
		if err := b.AddToResourcePolicy(m.BucketPolicyStatements...); err != nil {
			return err
		}
		bucketID, bucketPolicy, m.BucketName = b.Bucket.Id(), b.Policy, b.Bucket.Bucket()
		if l := c.AccessLogsSecureBucket; l != nil {
			if err := l.AddToResourcePolicy(accessLogsStatement(c, *l.Arn(), *b.Arn())); err != nil {
				return err
			}
		}
	}

	m.LogGroup = baseline.NewLogGroup(in, "trail_log_group", baseline.LogGroupConfig{
		Name:            c.LogGroupName,
		RetentionInDays: *c.RetentionInDays,
		KmsKeyArn:       m.TrailKmsKeyArn,
		Tags:            common.Tags(c.Tags, nil),
		Provider:        c.Provider,
	})
	m.TrailLogGroupName = m.LogGroup.Name()

	// The trust policy has no aws:SourceArn or aws:SourceAccount condition:
	// see trailRoleSuppression.
	// See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
	rc := &iamrole.IamRoleConfig{
		Provider:    p,
		Tags:        common.Tags(c.Tags, nil),
		Name:        jsii.String(TrailRoleName(c)),
		Description: jsii.String("Lets CloudTrail trail " + c.TrailName + " write to log group " + c.LogGroupName),
		AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"sts:AssumeRole"},
		}).JSON()),
	}
	if c.PermissionsBoundaryArn != "" {
		rc.PermissionsBoundary = jsii.String(c.PermissionsBoundaryArn)
	}
	m.TrailRole = iamrole.NewIamRole(in, jsii.String("trail_logs_role"), rc)
	if err := policy.Suppress(m.TrailRole, "HC-IAM-003", trailRoleSuppression); err != nil {
		return err
	}
	m.TrailRolePolicy = iamrolepolicy.NewIamRolePolicy(in, jsii.String("trail_logs_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Provider: p,
		Name:     jsii.String("cloudtrail-to-log-group"),
		Role:     m.TrailRole.Id(),
		Policy:   jsii.String(TrailRolePolicy(c).JSON()),
	})

	// CloudTrail checks the bucket policy and the role's permissions when
	// the trail is created.
	dependsOn := []cdktf.ITerraformDependable{m.TrailRolePolicy}
	if bucketPolicy != nil {
		dependsOn = []cdktf.ITerraformDependable{bucketPolicy, m.TrailRolePolicy}
	}
	m.Trail = cloudtrail.NewCloudtrail(in, jsii.String("trail"), &cloudtrail.CloudtrailConfig{
		Provider:                   p,
		Tags:                       common.Tags(c.Tags, nil),
		Name:                       jsii.String(c.TrailName),
		S3BucketName:               bucketID,
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		EnableLogging:              jsii.Bool(true),
		KmsKeyId:                   m.TrailKmsKeyArn,
		// CloudTrail wants the log group ARN with the ":*" stream suffix.
		CloudWatchLogsGroupArn: jsii.String(*m.LogGroup.Arn() + ":*"),
		CloudWatchLogsRoleArn:  m.TrailRole.Arn(),
		EventSelector: &[]*cloudtrail.CloudtrailEventSelector{{
			ReadWriteType:           jsii.String("All"),
			IncludeManagementEvents: jsii.Bool(true),
		}},
		DependsOn: &dependsOn,
	})
	return nil
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

func (m *SecurityMonitoring) newAlarmTopic() error {
	c := m.Config
	in := m.Construct
	p := c.Provider

	m.AlarmKeyPolicyStatements = alarmKeyStatements(c)
	switch {
	case c.AlarmKmsKey != nil:
		if err := c.AlarmKmsKey.AddToResourcePolicy(m.AlarmKeyPolicyStatements...); err != nil {
			return err
		}
		m.AlarmKmsKeyArn = c.AlarmKmsKey.Arn()
	case c.AlarmKmsKeyArn != "":
		m.AlarmKmsKeyArn = jsii.String(c.AlarmKmsKeyArn)
	default:
		// See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
		k, err := securekey.NewSecureKey(in, "alarm_key", &securekey.SecureKeyConfig{
			AccountId:            c.AccountId,
			Region:               c.Region,
			Tags:                 c.Tags,
			Provider:             c.Provider,
			Description:          "Encrypts SNS topic " + AlarmTopicName(c),
			Alias:                alarmKeyAlias(c),
			DeletionWindowInDays: *c.DeletionWindowInDays,
			Statements:           m.AlarmKeyPolicyStatements,
		})
		if err != nil {
			return err
		}
		m.AlarmKey, m.AlarmKmsKeyArn = k, k.Arn()
	}

	m.AlarmTopic = snstopic.NewSnsTopic(in, jsii.String("alarm_topic"), &snstopic.SnsTopicConfig{
		Provider:       p,
		Tags:           common.Tags(c.Tags, nil),
		Name:           jsii.String(AlarmTopicName(c)),
		DisplayName:    jsii.String(c.Name + " security alarms"),
		KmsMasterKeyId: m.AlarmKmsKeyArn,
	})
	m.AlarmTopicArn = m.AlarmTopic.Arn()
	m.topicPolicy = iampolicy.New(topicStatements(c, *m.AlarmTopicArn)...)
	m.AlarmTopicPolicy = snstopicpolicy.NewSnsTopicPolicy(in, jsii.String("alarm_topic_policy"), &snstopicpolicy.SnsTopicPolicyConfig{
		Provider: p,
		Arn:      m.AlarmTopicArn,
		Policy:   jsii.String(m.topicPolicy.JSON()),
	})
	for i, email := range c.AlarmEmails {
		m.AlarmSubscriptions = append(m.AlarmSubscriptions, snstopicsubscription.NewSnsTopicSubscription(in, jsii.String(fmt.Sprintf("alarm_email_%d", i)), &snstopicsubscription.SnsTopicSubscriptionConfig{
			Provider: p,
			TopicArn: m.AlarmTopicArn,
			Protocol: jsii.String("email"),
			Endpoint: jsii.String(baseline.EscapeTemplate(email)),
		}))
	}
	return nil
}

func (m *SecurityMonitoring) newGuardDuty() {
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
		Description:  jsii.String(fmt.Sprintf("GuardDuty findings of severity %g or more to %s", *c.FindingsMinSeverity, AlarmTopicName(c))),
		EventPattern: jsii.String(FindingsEventPattern(*c.FindingsMinSeverity)),
	})
	m.FindingsTarget = cloudwatcheventtarget.NewCloudwatchEventTarget(in, jsii.String("guardduty_findings_target"), &cloudwatcheventtarget.CloudwatchEventTargetConfig{
		Provider: p,
		Rule:     m.FindingsRule.Name(),
		TargetId: jsii.String("alarm-topic"),
		Arn:      m.AlarmTopicArn,
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
			LogGroupName: m.TrailLogGroupName,
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
			threshold = *c.UnauthorizedApiCallsThreshold
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
		window := func(s alarmSpec) alarmSpec {
			s.namespace = "AWS/ApplicationELB"
			s.period, s.evaluationPeriods, s.datapointsToAlarm = *a.PeriodSeconds, *a.EvaluationPeriods, *a.DatapointsToAlarm
			s.okActions = true
			return s
		}
		target5xx := func(id, what, tg string, threshold int) alarmSpec {
			return window(alarmSpec{
				id: id, description: "The load balancer's " + what + " answered too many 5xx responses.",
				metric: "HTTPCode_Target_5XX_Count", statistic: "Sum",
				dimensions: map[string]string{"LoadBalancer": a.LoadBalancerArnSuffix, "TargetGroup": tg},
				threshold:  threshold, treatMissingData: "notBreaching",
			})
		}
		unhealthy := func(id, what, tg string, threshold int) alarmSpec {
			return window(alarmSpec{
				id: id, description: "The " + what + " has unhealthy targets.",
				metric: "UnHealthyHostCount", statistic: "Maximum",
				dimensions: map[string]string{"LoadBalancer": a.LoadBalancerArnSuffix, "TargetGroup": tg},
				threshold:  threshold, treatMissingData: "missing",
			})
		}
		if a.TargetGroupArnSuffix != "" {
			m.alarm(target5xx("alb-target-5xx", "targets", a.TargetGroupArnSuffix, *a.Target5xxThreshold))
		}
		m.alarm(window(alarmSpec{
			id: "alb-5xx", description: "The load balancer itself answered too many 5xx responses.",
			metric: "HTTPCode_ELB_5XX_Count", statistic: "Sum", dimensions: map[string]string{"LoadBalancer": a.LoadBalancerArnSuffix},
			threshold: *a.Elb5xxThreshold, treatMissingData: "notBreaching",
		}))
		if a.TargetGroupArnSuffix != "" {
			m.alarm(unhealthy("alb-unhealthy-hosts", "target group", a.TargetGroupArnSuffix, *a.UnhealthyHostThreshold))
		}
		for _, tg := range a.TargetGroups {
			m.alarm(target5xx("alb-"+tg.Id+"-target-5xx", "targets of target group "+tg.Id, tg.TargetGroupArnSuffix, *tg.Target5xxThreshold))
			m.alarm(unhealthy("alb-"+tg.Id+"-unhealthy-hosts", "target group "+tg.Id, tg.TargetGroupArnSuffix, *tg.UnhealthyHostThreshold))
		}
	}
	for _, e := range c.Ecs {
		dims := map[string]string{"ClusterName": e.ClusterName, "ServiceName": e.ServiceName}
		service := "The ECS service's"
		if e.Id != "" {
			service = "ECS service " + e.Id + "'s"
		}
		for _, s := range []alarmSpec{
			{id: ecsAlarmID(e.Id, "cpu-high"), description: service + " average CPU utilization is high.", metric: "CPUUtilization", threshold: *e.CpuUtilizationThreshold},
			{id: ecsAlarmID(e.Id, "memory-high"), description: service + " average memory utilization is high.", metric: "MemoryUtilization", threshold: *e.MemoryUtilizationThreshold},
		} {
			s.namespace, s.statistic, s.dimensions, s.treatMissingData, s.okActions = "AWS/ECS", "Average", dims, "missing", true
			s.period, s.evaluationPeriods, s.datapointsToAlarm = *e.PeriodSeconds, *e.EvaluationPeriods, *e.DatapointsToAlarm
			m.alarm(s)
		}
	}
	if w := c.Waf; w != nil {
		m.alarm(alarmSpec{
			id: "waf-blocked-requests", description: "The WAF web ACL blocked a spike of requests.",
			namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
			dimensions: map[string]string{"WebACL": w.WebAclMetricName, "Rule": w.RuleMetricName, "Region": w.Region},
			threshold:  *w.BlockedRequestsThreshold,
			period:     *w.PeriodSeconds, evaluationPeriods: *w.EvaluationPeriods, datapointsToAlarm: *w.DatapointsToAlarm,
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
	topic := &[]*string{m.AlarmTopicArn}
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
