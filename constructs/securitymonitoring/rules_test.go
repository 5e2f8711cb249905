package securitymonitoring_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	sm "github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

type mutation = func(c *sm.SecurityMonitoringConfig)

// ruleCase breaks one rule of a valid config and expects exactly that
// problem (field, a part of the rule, the suggestion if any).
type ruleCase struct {
	name       string
	mutate     mutation
	field      string
	rule       string
	suggestion string
}

// byoFixtures are keys and buckets of the app that rule cases bring: made
// once, in a stack of their own (the rule cases' stack must stay empty).
type byoFixtures struct {
	key, otherRegionKey *securekey.SecureKey
	bucket, otherRegion *securebucket.SecureBucket
	kmsBucket           *securebucket.SecureBucket
	chinaBucket         *securebucket.SecureBucket
	token               string
	numberToken         float64
}

func newFixtures(t *testing.T, app cdktf.App) byoFixtures {
	t.Helper()
	stack := cdktf.NewTerraformStack(app, jsii.String("fixtures"))
	var f byoFixtures
	var err error
	f.key, err = securekey.NewSecureKey(stack, "key", &securekey.SecureKeyConfig{AccountId: account, Region: region})
	require.NoError(t, err)
	f.otherRegionKey, err = securekey.NewSecureKey(stack, "other_key", &securekey.SecureKeyConfig{AccountId: account, Region: "ap-southeast-2"})
	require.NoError(t, err)
	f.bucket, err = securebucket.NewSecureBucket(stack, "bucket", &securebucket.SecureBucketConfig{BucketName: "fixture-trail-" + account, AccountId: account, Region: region, S3ManagedEncryption: true})
	require.NoError(t, err)
	f.otherRegion, err = securebucket.NewSecureBucket(stack, "other_bucket", &securebucket.SecureBucketConfig{BucketName: "fixture-other-" + account, AccountId: account, Region: "ap-southeast-2", S3ManagedEncryption: true})
	require.NoError(t, err)
	f.kmsBucket, err = securebucket.NewSecureBucket(stack, "kms_bucket", &securebucket.SecureBucketConfig{BucketName: "fixture-kms-" + account, AccountId: account, Region: region, KmsKey: f.key})
	require.NoError(t, err)
	f.chinaBucket, err = securebucket.NewSecureBucket(stack, "china_bucket", &securebucket.SecureBucketConfig{BucketName: "fixture-china-" + account, AccountId: account, Region: "cn-north-1", S3ManagedEncryption: true})
	require.NoError(t, err)
	v := cdktf.NewTerraformVariable(stack, jsii.String("x"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
	f.token = *v.StringValue()
	f.numberToken = *cdktf.NewTerraformVariable(stack, jsii.String("n"), &cdktf.TerraformVariableConfig{Type: jsii.String("number")}).NumberValue()
	return f
}

func ruleCases(f byoFixtures) []ruleCase {
	tg := func(mut func(*sm.TargetGroupAlarms)) mutation {
		return func(c *sm.SecurityMonitoringConfig) {
			e := sm.TargetGroupAlarms{Id: "api", TargetGroupArnSuffix: "targetgroup/api/1123456789abcdef"}
			mut(&e)
			c.Alb.TargetGroups = []sm.TargetGroupAlarms{e}
		}
	}
	keyArn := arn("kms", "key/"+teamKeyUUID)
	return []ruleCase{
		// Name and the names derived from it.
		{"name", func(c *sm.SecurityMonitoringConfig) { c.Name = "-bad name" }, "Name", "1-39 letters", "bad-name"},
		{"name too long", func(c *sm.SecurityMonitoringConfig) {
			c.Name = "a" + strings.Repeat("b", 39)
			c.S3BucketName = "ok-bucket-name"
		}, "Name", "1-39 letters", ""},
		{"name with adjacent dashes", func(c *sm.SecurityMonitoringConfig) { c.Name = "a--b" }, "Name", "without \"--\"", "a-b"},
		{"name with an S3-reserved prefix", func(c *sm.SecurityMonitoringConfig) { c.Name = "Sthree-audit" }, "Name", "sthree-", ""},
		{"name of 40 characters is reported on Name, not on the derived bucket", func(c *sm.SecurityMonitoringConfig) { c.Name = strings.Repeat("a", 40) }, "Name", "1-39 letters", ""},
		{"name is a token", func(c *sm.SecurityMonitoringConfig) { c.Name = f.token }, "Name", validate.LiteralRule, ""},
		{"account id", func(c *sm.SecurityMonitoringConfig) { c.AccountId = "12345"; c.S3BucketName = "ok-bucket-name" }, "AccountId", "12-digit", ""},
		{"region", func(c *sm.SecurityMonitoringConfig) { c.Region = "eu-wset-1" }, "Region", "region", "eu-west-1"},
		{"permissions boundary of another kind", func(c *sm.SecurityMonitoringConfig) {
			c.PermissionsBoundaryArn = fmt.Sprintf("arn:aws:iam::%s:role/boundary", account)
		}, "PermissionsBoundaryArn", "IAM managed policy", ""},
		{"permissions boundary of another account", func(c *sm.SecurityMonitoringConfig) {
			c.PermissionsBoundaryArn = "arn:aws:iam::444455556666:policy/boundary"
		}, "PermissionsBoundaryArn", "account", ""},

		// Trail.
		{"trail name", func(c *sm.SecurityMonitoringConfig) { c.TrailName = "a--b" }, "TrailName", "3-128", ""},
		{"trail name in IP address format", func(c *sm.SecurityMonitoringConfig) { c.TrailName = "192.168.5.4" }, "TrailName", "IP address", ""},
		{"trail name with _-", func(c *sm.SecurityMonitoringConfig) { c.TrailName = "audit_-trail" }, "TrailName", "in a row", ""},
		{"trail name is a token", func(c *sm.SecurityMonitoringConfig) { c.TrailName = f.token }, "TrailName", validate.LiteralRule, ""},
		{"two trail keys", func(c *sm.SecurityMonitoringConfig) { c.TrailKmsKey, c.TrailKmsKeyArn = f.key, keyArn }, "TrailKmsKeyArn", "must be empty when TrailKmsKey is set", ""},
		{"trail key ARN Terraform refuses", func(c *sm.SecurityMonitoringConfig) {
			c.TrailKmsKeyArn = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")
		}, "TrailKmsKeyArn", "KMS key", ""},
		{"trail key ARN of another region", func(c *sm.SecurityMonitoringConfig) {
			c.TrailKmsKeyArn = fmt.Sprintf("arn:aws:kms:ap-southeast-2:%s:key/%s", account, teamKeyUUID)
		}, "TrailKmsKeyArn", "region", ""},
		{"trail key of another region", func(c *sm.SecurityMonitoringConfig) { c.TrailKmsKey = f.otherRegionKey }, "TrailKmsKey", "region", ""},
		{"deletion window", func(c *sm.SecurityMonitoringConfig) { c.DeletionWindowInDays = new(31) }, "DeletionWindowInDays", "7-30 days", "30"},
		{"deletion window without a key to create", func(c *sm.SecurityMonitoringConfig) {
			c.TrailKmsKeyArn, c.AlarmKmsKeyArn, c.DeletionWindowInDays = keyArn, keyArn, new(7)
		}, "DeletionWindowInDays", "configures the keys the construct creates", ""},

		// Trail bucket.
		{"bucket name", func(c *sm.SecurityMonitoringConfig) { c.S3BucketName = "Bad_Bucket" }, "S3BucketName", "lowercase", ""},
		{"access logs bucket", func(c *sm.SecurityMonitoringConfig) { c.AccessLogsBucket = "Logs" }, "AccessLogsBucket", "lowercase", ""},
		{"access logs bucket is the trail bucket", func(c *sm.SecurityMonitoringConfig) {
			c.AccessLogsBucket = "shop-web-prod-cloudtrail-" + account
		}, "AccessLogsBucket", "must differ from S3BucketName", ""},
		{"s3 expiration", func(c *sm.SecurityMonitoringConfig) { c.S3ExpirationDays = new(-1) }, "S3ExpirationDays", "0-36500 days", "0"},
		{"noncurrent expiration", func(c *sm.SecurityMonitoringConfig) { c.NoncurrentVersionExpirationDays = new(36501) }, "NoncurrentVersionExpirationDays", "0-36500 days", "36500"},
		{"two trail buckets", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket, c.ExistingS3BucketName = f.bucket, existingTrail }, "ExistingS3BucketName", "must be empty when S3Bucket is set", ""},
		{"bucket name with a brought bucket", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket, c.S3BucketName = f.bucket, "x-bucket" }, "S3BucketName", "configures the trail bucket the construct creates", ""},
		{"expiration with a brought bucket", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket, c.S3ExpirationDays = f.bucket, new(30) }, "S3ExpirationDays", "must be unset with S3Bucket", ""},
		{"access logs with an existing bucket", func(c *sm.SecurityMonitoringConfig) {
			c.ExistingS3BucketName, c.AccessLogsBucket = existingTrail, "logs-bucket"
		}, "AccessLogsBucket", "must be unset with ExistingS3BucketName", ""},
		{"force destroy with an existing bucket", func(c *sm.SecurityMonitoringConfig) { c.ExistingS3BucketName, c.ForceDestroy = existingTrail, true }, "ForceDestroy", "must be unset", ""},
		{"existing bucket name", func(c *sm.SecurityMonitoringConfig) { c.ExistingS3BucketName = "Bad_Bucket" }, "ExistingS3BucketName", "lowercase", ""},
		{"two access log buckets", func(c *sm.SecurityMonitoringConfig) {
			c.AccessLogsBucket, c.AccessLogsSecureBucket = "logs-bucket", f.bucket
		}, "AccessLogsSecureBucket", "must be nil when AccessLogsBucket is set", ""},
		{"access logs to an SSE-KMS bucket", func(c *sm.SecurityMonitoringConfig) { c.AccessLogsSecureBucket = f.kmsBucket }, "AccessLogsSecureBucket", "SSE-S3", ""},
		{"access logs to another region", func(c *sm.SecurityMonitoringConfig) { c.AccessLogsSecureBucket = f.otherRegion }, "AccessLogsSecureBucket", "account and region", ""},
		{"access logs bucket with a brought trail bucket", func(c *sm.SecurityMonitoringConfig) {
			c.S3Bucket, c.AccessLogsSecureBucket = f.kmsBucket, f.bucket
		}, "AccessLogsSecureBucket", "must be unset with S3Bucket", ""},
		{"a zero SecureBucket", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket = &securebucket.SecureBucket{} }, "S3Bucket", "securebucket.NewSecureBucket", ""},
		{"a zero SecureBucket for access logs", func(c *sm.SecurityMonitoringConfig) { c.AccessLogsSecureBucket = &securebucket.SecureBucket{} }, "AccessLogsSecureBucket", "securebucket.NewSecureBucket", ""},
		{"a zero SecureKey", func(c *sm.SecurityMonitoringConfig) { c.AlarmKmsKey = &securekey.SecureKey{} }, "AlarmKmsKey", "securekey.NewSecureKey", ""},
		{"brought bucket of another region", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket = f.otherRegion }, "S3Bucket", "one region", ""},
		{"brought bucket of another partition", func(c *sm.SecurityMonitoringConfig) { c.S3Bucket = f.chinaBucket }, "S3Bucket", "partition aws-cn", ""},

		// Log group.
		{"log group name", func(c *sm.SecurityMonitoringConfig) { c.LogGroupName = "bad name" }, "LogGroupName", "log group name", ""},
		{"log group name reserved", func(c *sm.SecurityMonitoringConfig) { c.LogGroupName = "aws/trail" }, "LogGroupName", "aws/", ""},
		{"retention", func(c *sm.SecurityMonitoringConfig) { c.RetentionInDays = new(730) }, "RetentionInDays", "retention values", "731"},
		{"retention of 0", func(c *sm.SecurityMonitoringConfig) { c.RetentionInDays = new(0) }, "RetentionInDays", "retention values", "1"},

		// GuardDuty.
		{"finding frequency", func(c *sm.SecurityMonitoringConfig) { c.FindingPublishingFrequency = "DAILY" }, "FindingPublishingFrequency", `"FIFTEEN_MINUTES"`, ""},
		{"finding frequency casing", func(c *sm.SecurityMonitoringConfig) { c.FindingPublishingFrequency = "one_hour" }, "FindingPublishingFrequency", `"ONE_HOUR"`, "ONE_HOUR"},
		{"finding frequency typo", func(c *sm.SecurityMonitoringConfig) { c.FindingPublishingFrequency = "SIX_HOUR" }, "FindingPublishingFrequency", `"SIX_HOURS"`, "SIX_HOURS"},
		{"finding frequency token", func(c *sm.SecurityMonitoringConfig) { c.FindingPublishingFrequency = f.token }, "FindingPublishingFrequency", validate.LiteralRule, ""},
		{"account id token", func(c *sm.SecurityMonitoringConfig) { c.AccountId = f.token }, "AccountId", validate.LiteralRule, ""},
		{"finding frequency without detector", func(c *sm.SecurityMonitoringConfig) {
			c.SkipGuardDutyDetector = true
			c.FindingPublishingFrequency = "ONE_HOUR"
		}, "FindingPublishingFrequency", "must be empty with SkipGuardDutyDetector", ""},
		{"findings severity", func(c *sm.SecurityMonitoringConfig) { c.FindingsMinSeverity = new(10.5) }, "FindingsMinSeverity", "1.0 to 10.0", ""},
		{"findings severity of 0", func(c *sm.SecurityMonitoringConfig) { c.FindingsMinSeverity = new(0.0) }, "FindingsMinSeverity", "1.0 to 10.0", ""},
		{"findings severity NaN", func(c *sm.SecurityMonitoringConfig) { c.FindingsMinSeverity = new(math.NaN()) }, "FindingsMinSeverity", "1.0 to 10.0", ""},
		{"findings severity token", func(c *sm.SecurityMonitoringConfig) { c.FindingsMinSeverity = new(f.numberToken) }, "FindingsMinSeverity", "literal number", ""},

		// Alarm topic.
		{"two alarm keys", func(c *sm.SecurityMonitoringConfig) { c.AlarmKmsKey, c.AlarmKmsKeyArn = f.key, keyArn }, "AlarmKmsKeyArn", "must be empty when AlarmKmsKey is set", ""},
		{"alarm key ARN of another account", func(c *sm.SecurityMonitoringConfig) {
			c.AlarmKmsKeyArn = fmt.Sprintf("arn:aws:kms:%s:444455556666:key/%s", region, teamKeyUUID)
		}, "AlarmKmsKeyArn", "account", ""},
		{"alarm key of another region", func(c *sm.SecurityMonitoringConfig) { c.AlarmKmsKey = f.otherRegionKey }, "AlarmKmsKey", "region", ""},
		{"email", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"not-an-email"} }, "AlarmEmails[0]", "email address", ""},
		{"email with display name", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"Ops <ops@example.com>"} }, "AlarmEmails[0]", "email address", ""},
		{"email without dotted domain", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@localhost"} }, "AlarmEmails[0]", "email address", ""},
		{"email bad domain label", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@-example.com"} }, "AlarmEmails[0]", "email address", ""},
		{"email duplicate", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@example.com", "OPS@example.com"} }, "AlarmEmails[1]", "listed twice", ""},

		// CIS.
		{"metric namespace reserved", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = "AWS/CloudTrail" }, "MetricNamespace", "AWS/", ""},
		{"metric namespace with ':'", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = "CIS:prod" }, "MetricNamespace", "':'", ""},
		{"metric namespace with '*'", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = "CIS/*" }, "MetricNamespace", "CloudWatch namespace", ""},
		{"metric namespace with '$'", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = "CIS/$prod" }, "MetricNamespace", "namespace", ""},
		{"metric namespace too long", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = strings.Repeat("a", 256) }, "MetricNamespace", "1-255", ""},
		{"unauthorized api calls threshold", func(c *sm.SecurityMonitoringConfig) { c.UnauthorizedApiCallsThreshold = new(-1) }, "UnauthorizedApiCallsThreshold", "at least 0", "0"},

		// Alb.
		{"alb load balancer missing", func(c *sm.SecurityMonitoringConfig) { c.Alb.LoadBalancerArnSuffix = "" }, "Alb.LoadBalancerArnSuffix", "is required", ""},
		{"alb load balancer format", func(c *sm.SecurityMonitoringConfig) { c.Alb.LoadBalancerArnSuffix = "arn:aws:elasticloadbalancing:x" }, "Alb.LoadBalancerArnSuffix", "arn_suffix", ""},
		{"alb target group format", func(c *sm.SecurityMonitoringConfig) { c.Alb.TargetGroupArnSuffix = "web" }, "Alb.TargetGroupArnSuffix", "arn_suffix", ""},
		{"alb target 5xx threshold", func(c *sm.SecurityMonitoringConfig) { c.Alb.Target5xxThreshold = new(-1) }, "Alb.Target5xxThreshold", "at least 0", "0"},
		{"alb elb 5xx threshold", func(c *sm.SecurityMonitoringConfig) { c.Alb.Elb5xxThreshold = new(-5) }, "Alb.Elb5xxThreshold", "at least 0", "0"},
		{"alb unhealthy host threshold of 0", func(c *sm.SecurityMonitoringConfig) { c.Alb.UnhealthyHostThreshold = new(0) }, "Alb.UnhealthyHostThreshold", "at least 1", "1"},
		{"alb period", func(c *sm.SecurityMonitoringConfig) { c.Alb.PeriodSeconds = new(90) }, "Alb.PeriodSeconds", "multiple of 60", "120"},
		{"alb high-resolution period", func(c *sm.SecurityMonitoringConfig) { c.Alb.PeriodSeconds = new(30) }, "Alb.PeriodSeconds", "INSUFFICIENT_DATA", "60"},
		{"alb evaluation periods", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.EvaluationPeriods = new(-1)
			c.Alb.DatapointsToAlarm = new(1)
		}, "Alb.EvaluationPeriods", "at least 1", "1"},
		{"alb window over a day", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.PeriodSeconds = new(1800)
			c.Alb.EvaluationPeriods = new(49)
		}, "Alb.EvaluationPeriods", "one day", "48"},
		{"alb window over seven days", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.PeriodSeconds = new(3600)
			c.Alb.EvaluationPeriods = new(169)
		}, "Alb.EvaluationPeriods", "seven days", "168"},
		{"alb evaluation periods overflow", func(c *sm.SecurityMonitoringConfig) { c.Alb.EvaluationPeriods = new(1 << 62) }, "Alb.EvaluationPeriods", "one day", "1440"},
		{"alb evaluation periods overflow at a longer period", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.PeriodSeconds = new(60 << 2)
			c.Alb.EvaluationPeriods = new(1<<62 + 1)
		}, "Alb.EvaluationPeriods", "one day", "360"},
		{"alb datapoints", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.EvaluationPeriods = new(2)
			c.Alb.DatapointsToAlarm = new(3)
		}, "Alb.DatapointsToAlarm", "1 to EvaluationPeriods", ""},
		{"target group without Id", tg(func(e *sm.TargetGroupAlarms) { e.Id = "" }), "Alb.TargetGroups[0].Id", "is required", ""},
		{"target group Id", tg(func(e *sm.TargetGroupAlarms) { e.Id = "API service" }), "Alb.TargetGroups[0].Id", "1-64 letters", "api-service"},
		{"target group Id twice", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.TargetGroups = []sm.TargetGroupAlarms{{Id: "api", TargetGroupArnSuffix: "targetgroup/a/1123456789abcdef"}, {Id: "api", TargetGroupArnSuffix: "targetgroup/b/1123456789abcdef"}}
		}, "Alb.TargetGroups[1].Id", "must be unique", ""},
		{"target group suffix missing", tg(func(e *sm.TargetGroupAlarms) { e.TargetGroupArnSuffix = "" }), "Alb.TargetGroups[0].TargetGroupArnSuffix", "is required", ""},
		{"target group suffix", tg(func(e *sm.TargetGroupAlarms) { e.TargetGroupArnSuffix = "targetgroup/api" }), "Alb.TargetGroups[0].TargetGroupArnSuffix", "arn_suffix", ""},
		{"target group threshold", tg(func(e *sm.TargetGroupAlarms) { e.Target5xxThreshold = new(-1) }), "Alb.TargetGroups[0].Target5xxThreshold", "at least 0", "0"},
		{"target group unhealthy threshold", tg(func(e *sm.TargetGroupAlarms) { e.UnhealthyHostThreshold = new(0) }), "Alb.TargetGroups[0].UnhealthyHostThreshold", "at least 1", "1"},

		// Ecs.
		{"ecs cluster missing", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].ClusterName = "" }, "Ecs[0].ClusterName", "is required", ""},
		{"ecs service format", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].ServiceName = "my service" }, "Ecs[0].ServiceName", "ECS", ""},
		{"ecs cpu threshold", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].CpuUtilizationThreshold = new(101) }, "Ecs[0].CpuUtilizationThreshold", "1-100 percent", "100"},
		{"ecs memory threshold of 0", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].MemoryUtilizationThreshold = new(0) }, "Ecs[0].MemoryUtilizationThreshold", "1-100 percent", "1"},
		{"ecs period", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].PeriodSeconds = new(10) }, "Ecs[0].PeriodSeconds", "INSUFFICIENT_DATA", "60"},
		{"ecs Id", func(c *sm.SecurityMonitoringConfig) { c.Ecs[0].Id = "-api" }, "Ecs[0].Id", "1-64 letters", "api"},
		{"two ecs services without Id", func(c *sm.SecurityMonitoringConfig) {
			c.Ecs = append(c.Ecs, sm.EcsAlarms{ClusterName: "c", ServiceName: "api"})
		}, "Ecs[1].Id", "is required", ""},
		{"ecs Id twice", func(c *sm.SecurityMonitoringConfig) {
			c.Ecs = []sm.EcsAlarms{{Id: "api", ClusterName: "c", ServiceName: "a"}, {Id: "api", ClusterName: "c", ServiceName: "b"}}
		}, "Ecs[1].Id", "must differ from Ecs[0].Id", ""},

		// Waf.
		{"waf web acl missing", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "" }, "Waf.WebAclMetricName", "is required", ""},
		{"waf web acl format", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "my acl" }, "Waf.WebAclMetricName", "metric name", ""},
		{"waf web acl reserved", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "Default_Action" }, "Waf.WebAclMetricName", "Default_Action", ""},
		{"waf rule format", func(c *sm.SecurityMonitoringConfig) { c.Waf.RuleMetricName = "rule 1" }, "Waf.RuleMetricName", "metric_name", ""},
		{"waf region", func(c *sm.SecurityMonitoringConfig) { c.Waf.Region = "global" }, "Waf.Region", "region", ""},
		{"waf blocked threshold", func(c *sm.SecurityMonitoringConfig) { c.Waf.BlockedRequestsThreshold = new(-1) }, "Waf.BlockedRequestsThreshold", "at least 0", "0"},
		{"waf datapoints", func(c *sm.SecurityMonitoringConfig) { c.Waf.DatapointsToAlarm = new(2) }, "Waf.DatapointsToAlarm", "1 to EvaluationPeriods", ""},
	}
}

// TestInvalidConfig has one subtest per validation rule: each breaks one
// rule and expects exactly that problem, and no construct. (The passing
// side of each rule: defaultConfig, and the edge stack's instances.)
func TestInvalidConfig(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("invalid"))
	f := newFixtures(t, app)
	for _, tc := range ruleCases(f) {
		t.Run(tc.name, func(t *testing.T) {
			cfg := defaultConfig()
			tc.mutate(cfg)
			m, err := sm.NewSecurityMonitoring(stack, "monitoring", cfg)
			require.Nil(t, m)
			var ve *validate.Error
			require.True(t, errors.As(err, &ve), "want *validate.Error, got %v", err)
			require.Len(t, ve.Problems, 1, "exactly one problem expected: %v", err)
			assert.Equal(t, tc.field, ve.Problems[0].Field)
			assert.Contains(t, ve.Problems[0].Rule, tc.rule)
			assert.Equal(t, tc.suggestion, ve.Problems[0].Suggestion)
			assert.Equal(t, "securitymonitoring.NewSecurityMonitoring", ve.Construct)
			stacktest.RequireNoChildren(t, stack)
			assert.Equal(t, err.Error(), cfg.Validate("monitoring").Error(), "Validate reports what the constructor reports")
		})
	}

	// baseline.CheckScope: the construct id and the scope.
	for _, tc := range []struct{ name, id string }{{"empty id", ""}, {"id with a space", "my monitoring"}} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := sm.NewSecurityMonitoring(stack, tc.id, defaultConfig())
			require.Nil(t, m)
			var ve *validate.Error
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, 1, "%v", err)
			assert.Equal(t, "id", ve.Problems[0].Field)
			stacktest.RequireNoChildren(t, stack)
		})
	}
	t.Run("id already used", func(t *testing.T) {
		scope := cdktf.NewTerraformStack(app, jsii.String("duplicate"))
		cdktf.NewTerraformLocal(scope, jsii.String("monitoring"), jsii.String("x"))
		m, err := sm.NewSecurityMonitoring(scope, "monitoring", defaultConfig())
		require.Nil(t, m)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Problems, 1, "%v", err)
		assert.Equal(t, "id", ve.Problems[0].Field)
		assert.Contains(t, ve.Problems[0].Rule, "already used")
	})
	t.Run("nil scope", func(t *testing.T) {
		m, err := sm.NewSecurityMonitoring(nil, "monitoring", defaultConfig())
		require.Nil(t, m)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Problems, 1, "%v", err)
		assert.Equal(t, "scope", ve.Problems[0].Field)
	})
	t.Run("bad id and bad config in one error", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.RetentionInDays = new(2)
		_, err := sm.NewSecurityMonitoring(stack, "", cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"id", "RetentionInDays"}, fields(ve))
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("Name defaults from the id", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.Name = ""
		require.NoError(t, cfg.Validate("Web_App"))
		err := cfg.Validate("_")
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"id"}, fields(ve), "an id without letters gives one problem, on the id")
	})
	t.Run("longest valid name gives valid defaults", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.Name = "A" + strings.Repeat("b-", 18) + "cd"
		require.Len(t, cfg.Name, 39)
		assert.NoError(t, cfg.Validate("monitoring"))
	})
	t.Run("an AWS managed permissions boundary", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.PermissionsBoundaryArn = "arn:aws:iam::aws:policy/PowerUserAccess"
		assert.NoError(t, cfg.Validate("monitoring"))
	})
	t.Run("high-resolution metric periods are refused, an hour for a week is not", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.Waf.PeriodSeconds, cfg.Waf.EvaluationPeriods = new(3600), new(168)
		assert.NoError(t, cfg.Validate("monitoring"))
	})

	t.Run("nil config", func(t *testing.T) {
		_, err := sm.NewSecurityMonitoring(stack, "monitoring", nil)
		var ve *validate.Error
		require.True(t, errors.As(err, &ve))
		assert.Equal(t, "config", ve.Problems[0].Field)
		stacktest.RequireNoChildren(t, stack)
		var nilCfg *sm.SecurityMonitoringConfig
		assert.Error(t, nilCfg.Validate("monitoring"))
	})

	t.Run("every problem in one error", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.AccountId = "x"
		cfg.S3BucketName = "ok-bucket-name"
		cfg.RetentionInDays = new(2)
		cfg.AlarmEmails = []string{"nope"}
		cfg.Alb.Target5xxThreshold = new(-1)
		cfg.Ecs[0].CpuUtilizationThreshold = new(200)
		cfg.Waf.WebAclMetricName = ""
		_, err := sm.NewSecurityMonitoring(stack, "monitoring", cfg)
		var ve *validate.Error
		require.True(t, errors.As(err, &ve))
		assert.Equal(t, []string{"AccountId", "RetentionInDays", "AlarmEmails[0]", "Alb.Target5xxThreshold", "Ecs[0].CpuUtilizationThreshold", "Waf.WebAclMetricName"}, fields(ve))
		stacktest.RequireNoChildren(t, stack)
	})

	t.Run("no cascades", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			mutate mutation
			fields []string
		}{
			{"a bad Region does not blame the key ARN, the bucket or the WAF region", func(c *sm.SecurityMonitoringConfig) {
				c.Region = "mars-1"
				c.TrailKmsKeyArn = arn("kms", "key/"+teamKeyUUID)
			}, []string{"Region"}},
			{"a bad Name does not blame the trail, bucket, log group or namespace it derives", func(c *sm.SecurityMonitoringConfig) {
				c.Name = "9lives"
			}, []string{"Name"}},
			{"a bad Period does not blame the default window", func(c *sm.SecurityMonitoringConfig) {
				c.Alb.PeriodSeconds = new(45)
			}, []string{"Alb.PeriodSeconds"}},
			{"settings of the created bucket with an existing one: each reported once", func(c *sm.SecurityMonitoringConfig) {
				c.ExistingS3BucketName = existingTrail
				c.S3ExpirationDays, c.NoncurrentVersionExpirationDays = new(-1), new(5)
			}, []string{"S3ExpirationDays", "NoncurrentVersionExpirationDays"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				cfg := defaultConfig()
				tc.mutate(cfg)
				var ve *validate.Error
				require.ErrorAs(t, cfg.Validate("monitoring"), &ve)
				assert.Equal(t, tc.fields, fields(ve), "%v", ve)
			})
		}
	})

	t.Run("config is not modified", func(t *testing.T) {
		cfg := defaultConfig()
		require.NoError(t, cfg.Validate("monitoring"))
		assert.Equal(t, defaultConfig(), cfg, "defaults are applied to a copy")
	})
}

// TestRegistryClashes: two instances whose names clash are refused with
// an error naming both.
func TestRegistryClashes(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("clash"))
	_, err := sm.NewSecurityMonitoring(stack, "first", defaultConfig())
	require.NoError(t, err)
	second := defaultConfig()
	second.Name = "shop-web-two"
	second.TrailName = "shop-web-prod-trail"
	_, err = sm.NewSecurityMonitoring(stack, "second", second)
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"TrailName", "SkipGuardDutyDetector"}, fields(ve), "%v", err)
	assert.Contains(t, ve.Problems[0].Rule, "clash/first")
	assert.Contains(t, ve.Problems[1].Rule, "one detector per account and region")
}

func fields(ve *validate.Error) []string {
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}
