package securitymonitoring_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	sm "github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// Where the test stacks deploy: not the reference app's account or region,
// and every expected ARN is built from these.
const (
	account = "111122223333"
	region  = "eu-west-1"
	lbArn   = "app/shop-web-prod/0123456789abcdef"
	tgArn   = "targetgroup/shop-web-prod/fedcba9876543210"
)

// addProvider adds the stack's AWS provider for region, allowing only
// account, and the provider version constraint of the stacks.
func addProvider(stack cdktf.TerraformStack) provider.AwsProvider {
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region), AllowedAccountIds: jsii.Strings(account)})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
	return p
}

// arn formats an ARN of the test account and region: arn("kms", "key/x").
func arn(service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, account, resource)
}

// defaultConfig sets only what is required, the emails and the inputs of
// every alarm group: everything else takes its default.
func defaultConfig() *sm.SecurityMonitoringConfig {
	return &sm.SecurityMonitoringConfig{
		Name:        "shop-web-prod",
		AccountId:   account,
		Region:      region,
		AlarmEmails: []string{"secops@example.com", "oncall@example.org"},
		Alb:         &sm.AlbAlarms{LoadBalancerArnSuffix: lbArn, TargetGroupArnSuffix: tgArn},
		Ecs:         []sm.EcsAlarms{{ClusterName: "shop-web-prod", ServiceName: "web"}},
		Waf:         &sm.WafAlarms{WebAclMetricName: "shop-web-prod-waf"},
	}
}

// customConfig sets every optional field to a non-default value and uses
// only two alarm groups, as the dev stack of a team might.
func customConfig() *sm.SecurityMonitoringConfig {
	return &sm.SecurityMonitoringConfig{
		Name:                            "shop-web-dev",
		AccountId:                       account,
		Region:                          region,
		TrailName:                       "dev-audit",
		S3BucketName:                    "dev-audit-logs-example",
		S3ExpirationDays:                new(30),
		NoncurrentVersionExpirationDays: new(7),
		LogGroupName:                    "/audit/dev",
		RetentionInDays:                 new(30),
		DeletionWindowInDays:            new(7),
		ForceDestroy:                    true,
		AccessLogsBucket:                "dev-access-logs-example",
		SkipGuardDutyDetector:           true,
		FindingsMinSeverity:             new(4.0),
		MetricNamespace:                 "Audit/dev",
		UnauthorizedApiCallsThreshold:   new(5),
		Ecs: []sm.EcsAlarms{{
			ClusterName: "dev", ServiceName: "web",
			CpuUtilizationThreshold: new(90), MemoryUtilizationThreshold: new(95),
			PeriodSeconds: new(120), EvaluationPeriods: new(3), // DatapointsToAlarm: default 5 lowered to 3
		}},
		Waf: &sm.WafAlarms{
			WebAclMetricName: "dev-waf", RuleMetricName: "RateLimit", Region: "ap-southeast-2",
			BlockedRequestsThreshold: new(1000), PeriodSeconds: new(60), EvaluationPeriods: new(10), DatapointsToAlarm: new(2),
		},
	}
}

var (
	defaultStack      *stacktest.Stack
	defaultMonitoring *sm.SecurityMonitoring
)

func synth(t testing.TB, cfg *sm.SecurityMonitoringConfig) (stacktest.Stack, *sm.SecurityMonitoring) {
	t.Helper()
	var m *sm.SecurityMonitoring
	s := stacktest.SynthStack(t, "monitoring-test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		var err error
		m, err = sm.NewSecurityMonitoring(stack, "monitoring", cfg)
		require.NoError(t, err)
		// The stack outputs a web-app stack would make of the exposed values.
		for _, o := range []struct {
			name  string
			value *string
		}{
			{"alarm_topic_arn", m.AlarmTopicArn}, {"trail_arn", m.TrailArn},
			{"trail_log_group_name", m.TrailLogGroupName}, {"trail_bucket_name", m.BucketName},
		} {
			cdktf.NewTerraformOutput(stack, jsii.String(o.name), &cdktf.TerraformOutputConfig{Value: o.value}).OverrideLogicalId(jsii.String(o.name))
		}
	})
	return s, m
}

// defaults synthesizes the default config once per test binary
// (TestTerraformPlan plans it with the edge stack).
var defaults = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	s, m := synth(t, defaultConfig())
	defaultMonitoring = m
	return s
})

// custom is the edge stack, where customConfig is the instance "custom".
func custom(t *testing.T) stacktest.Stack {
	t.Helper()
	return edge(t).Stack
}

// under returns the resources of typ whose construct path lies under the
// construct id in (an instance of the edge stack).
func under(s stacktest.Stack, typ, in string) []gjson.Result {
	var out []gjson.Result
	for _, r := range s.Resources(typ) {
		if strings.Contains(r.Get(`//.metadata.path`).String(), "/"+in+"/") {
			out = append(out, r)
		}
	}
	return out
}

// statements returns a policy's statements by Sid.
func statements(t *testing.T, r gjson.Result, field string) map[string]gjson.Result {
	t.Helper()
	out := map[string]gjson.Result{}
	for _, st := range stacktest.JSONDocument(t, r, field).Get("Statement").Array() {
		out[st.Get("Sid").String()] = st
	}
	return out
}

func sids(m map[string]gjson.Result) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ref(s stacktest.Stack, t *testing.T, typ, path, attr string) string {
	return "${" + s.Ref(t, typ, path) + "." + attr + "}"
}

func TestTrail(t *testing.T) {
	s := defaults(t)
	trail := s.Resource(t, "aws_cloudtrail", "monitoring/trail")
	assert.Equal(t, "shop-web-prod-trail", trail.Get("name").String())
	assert.True(t, trail.Get("is_multi_region_trail").Bool(), "is_multi_region_trail")
	assert.True(t, trail.Get("include_global_service_events").Bool(), "include_global_service_events")
	assert.True(t, trail.Get("enable_log_file_validation").Bool(), "enable_log_file_validation")
	assert.True(t, trail.Get("enable_logging").Bool(), "enable_logging")
	assert.JSONEq(t, `[{"include_management_events":true,"read_write_type":"All"}]`, trail.Get("event_selector").Raw)
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/trail_key", "arn"), trail.Get("kms_key_id").String())
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "id"), trail.Get("s3_bucket_name").String())
	assert.Equal(t, ref(s, t, "aws_cloudwatch_log_group", "monitoring/trail_log_group", "arn")+":*", trail.Get("cloud_watch_logs_group_arn").String())
	assert.Equal(t, ref(s, t, "aws_iam_role", "monitoring/trail_logs_role", "arn"), trail.Get("cloud_watch_logs_role_arn").String())
	assert.ElementsMatch(t, []any{
		s.Ref(t, "aws_s3_bucket_policy", "monitoring/trail_bucket_policy"),
		s.Ref(t, "aws_iam_role_policy", "monitoring/trail_logs_role_policy"),
	}, trail.Get("depends_on").Value(), "the trail waits for the bucket policy and the role policy")
}

func TestTrailKey(t *testing.T) {
	s := defaults(t)
	key := s.Resource(t, "aws_kms_key", "monitoring/trail_key")
	assert.True(t, key.Get("enable_key_rotation").Bool())
	assert.EqualValues(t, 30, key.Get("deletion_window_in_days").Int(), "default DeletionWindowInDays")
	alias := s.Resource(t, "aws_kms_alias", "monitoring/trail_key_alias")
	assert.Equal(t, "alias/shop-web-prod-cloudtrail", alias.Get("name").String())

	st := statements(t, key, "policy")
	require.Equal(t, []string{
		"AllowCloudTrailDecryptForBucketKey", "AllowCloudTrailDescribeKey", "AllowCloudTrailEncryptLogs",
		"AllowCloudWatchLogsTrailLogGroup", "EnableRootAccountAdministration",
	}, sids(st))
	trailArn := arn("cloudtrail", "trail/shop-web-prod-trail")
	assert.JSONEq(t, `{
		"Sid":"AllowCloudTrailEncryptLogs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["kms:GenerateDataKey*"],"Resource":["*"],
		"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`"},
		             "StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:`+account+`:trail/*"}}}`,
		st["AllowCloudTrailEncryptLogs"].Raw)
	assert.JSONEq(t, `{
		"Sid":"AllowCloudTrailDecryptForBucketKey","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["kms:Decrypt"],"Resource":["*"],"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`"}}}`,
		st["AllowCloudTrailDecryptForBucketKey"].Raw)
	assert.JSONEq(t, `{
		"Sid":"AllowCloudTrailDescribeKey","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["kms:DescribeKey"],"Resource":["*"],"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`"}}}`,
		st["AllowCloudTrailDescribeKey"].Raw)
	assert.JSONEq(t, `{
		"Sid":"AllowCloudWatchLogsTrailLogGroup","Effect":"Allow","Principal":{"Service":"logs.`+region+`.amazonaws.com"},
		"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":["*"],
		"Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"`+arn("logs", "log-group:/aws/cloudtrail/shop-web-prod")+`"}}}`,
		st["AllowCloudWatchLogsTrailLogGroup"].Raw)
	assert.JSONEq(t, `{"AWS":"arn:aws:iam::`+account+`:root"}`, st["EnableRootAccountAdministration"].Get("Principal").Raw)
}

func TestTrailBucket(t *testing.T) {
	s := defaults(t)
	bucket := s.Resource(t, "aws_s3_bucket", "monitoring/trail_bucket")
	assert.Equal(t, "shop-web-prod-cloudtrail-"+account, bucket.Get("bucket").String(), "default S3BucketName")
	assert.False(t, bucket.Get("force_destroy").Bool(), "default ForceDestroy")
	assert.Empty(t, s.Resources("aws_s3_bucket_logging"), "default AccessLogsBucket: none")
	bucketID := ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "id")

	v := s.Resource(t, "aws_s3_bucket_versioning", "monitoring/trail_bucket_versioning")
	assert.Equal(t, bucketID, v.Get("bucket").String())
	assert.Equal(t, "Enabled", v.Get("versioning_configuration.status").String())

	bpa := s.Resource(t, "aws_s3_bucket_public_access_block", "monitoring/trail_bucket_public_access_block")
	for _, f := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		assert.True(t, bpa.Get(f).Bool(), f)
	}
	own := s.Resource(t, "aws_s3_bucket_ownership_controls", "monitoring/trail_bucket_ownership")
	assert.Equal(t, "BucketOwnerEnforced", own.Get("rule.object_ownership").String())

	sse := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "monitoring/trail_bucket_encryption")
	assert.Equal(t, "aws:kms", sse.Get("rule.0.apply_server_side_encryption_by_default.sse_algorithm").String())
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/trail_key", "arn"), sse.Get("rule.0.apply_server_side_encryption_by_default.kms_master_key_id").String())

	lc := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "monitoring/trail_bucket_lifecycle")
	assert.EqualValues(t, 365, lc.Get("rule.0.expiration.0.days").Int(), "default S3ExpirationDays")
	assert.EqualValues(t, 90, lc.Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int(), "default NoncurrentVersionExpirationDays")
	assert.EqualValues(t, 7, lc.Get("rule.0.abort_incomplete_multipart_upload.0.days_after_initiation").Int())
	assert.Equal(t, "Enabled", lc.Get("rule.0.status").String())

	pol := s.Resource(t, "aws_s3_bucket_policy", "monitoring/trail_bucket_policy")
	st := statements(t, pol, "policy")
	require.Equal(t, []string{"AWSCloudTrailAclCheck", "AWSCloudTrailWrite", "DenyInsecureTransport", "DenyOutdatedTLS"}, sids(st))
	bucketArn := ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "arn")
	trailArn := arn("cloudtrail", "trail/shop-web-prod-trail")
	assert.JSONEq(t, `{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["s3:GetBucketAcl"],"Resource":["`+bucketArn+`"],"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`"}}}`,
		st["AWSCloudTrailAclCheck"].Raw)
	assert.JSONEq(t, `{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["s3:PutObject"],"Resource":["`+bucketArn+`/AWSLogs/`+account+`/*"],
		"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`","s3:x-amz-acl":"bucket-owner-full-control"}}}`,
		st["AWSCloudTrailWrite"].Raw)
	assert.JSONEq(t, `{"Bool":{"aws:SecureTransport":"false"}}`, st["DenyInsecureTransport"].Get("Condition").Raw)
	assert.Equal(t, "Deny", st["DenyInsecureTransport"].Get("Effect").String())
	assert.JSONEq(t, `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`, st["DenyOutdatedTLS"].Get("Condition").Raw)
}

func TestTrailLogGroupAndRole(t *testing.T) {
	s := defaults(t)
	lg := s.Resource(t, "aws_cloudwatch_log_group", "monitoring/trail_log_group")
	assert.Equal(t, "/aws/cloudtrail/shop-web-prod", lg.Get("name").String(), "default LogGroupName")
	assert.EqualValues(t, 365, lg.Get("retention_in_days").Int(), "default RetentionInDays")
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/trail_key", "arn"), lg.Get("kms_key_id").String())

	role := s.Resource(t, "aws_iam_role", "monitoring/trail_logs_role")
	assert.Equal(t, "shop-web-prod-cloudtrail-logs", role.Get("name").String())
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["sts:AssumeRole"]}]}`,
		role.Get("assume_role_policy").String())
	assert.False(t, role.Get("managed_policy_arns").Exists(), "no managed policies")
	assert.False(t, role.Get("permissions_boundary").Exists(), "no PermissionsBoundaryArn, no boundary")
	// CloudTrail sends no aws:SourceArn/aws:SourceAccount for this role: the
	// policy rule's finding is suppressed on the role, citing why.
	assert.Contains(t, role.Get(`//.policy_suppressions.HC-IAM-003`).String(), "confused deputy prevention is not applicable")
	assert.Len(t, s.Resources("aws_iam_role_policy_attachment"), 0)

	rp := s.Resource(t, "aws_iam_role_policy", "monitoring/trail_logs_role_policy")
	assert.Equal(t, ref(s, t, "aws_iam_role", "monitoring/trail_logs_role", "id"), rp.Get("role").String())
	// The role may only create CloudTrail's streams in the trail log group
	// and put events into them: no wildcard action, no other log group.
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailCreateLogStreamAndPutEvents","Effect":"Allow",
		"Action":["logs:CreateLogStream","logs:PutLogEvents"],
		"Resource":["`+arn("logs", "log-group:/aws/cloudtrail/shop-web-prod:log-stream:"+account+"_CloudTrail_*")+`"]}]}`,
		rp.Get("policy").String())
}

func TestAlarmTopic(t *testing.T) {
	s := defaults(t)
	topic := s.Resource(t, "aws_sns_topic", "monitoring/alarm_topic")
	assert.Equal(t, "shop-web-prod-security-alarms", topic.Get("name").String())
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/alarm_key", "arn"), topic.Get("kms_master_key_id").String())
	topicArn := ref(s, t, "aws_sns_topic", "monitoring/alarm_topic", "arn")

	key := s.Resource(t, "aws_kms_key", "monitoring/alarm_key")
	assert.True(t, key.Get("enable_key_rotation").Bool())
	assert.EqualValues(t, 30, key.Get("deletion_window_in_days").Int())
	kst := statements(t, key, "policy")
	require.Equal(t, []string{"AllowCloudWatchAlarmsToPublish", "AllowEventBridgeToPublish", "EnableRootAccountAdministration"}, sids(kst))
	cwCondition := `{"ArnLike":{"aws:SourceArn":"` + arn("cloudwatch", "alarm:shop-web-prod-*") + `"},"StringEquals":{"aws:SourceAccount":"` + account + `"}}`
	assert.JSONEq(t, `{"Sid":"AllowCloudWatchAlarmsToPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},
		"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":["*"],"Condition":`+cwCondition+`}`, kst["AllowCloudWatchAlarmsToPublish"].Raw)
	assert.JSONEq(t, `{"Sid":"AllowEventBridgeToPublish","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},
		"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":["*"]}`, kst["AllowEventBridgeToPublish"].Raw)

	pol := s.Resource(t, "aws_sns_topic_policy", "monitoring/alarm_topic_policy")
	assert.Equal(t, topicArn, pol.Get("arn").String())
	pst := statements(t, pol, "policy")
	require.Equal(t, []string{"AllowCloudWatchAlarmsToPublish", "AllowGuardDutyFindingsRuleToPublish", "DenyInsecureTransport"}, sids(pst))
	assert.JSONEq(t, `{"Sid":"AllowCloudWatchAlarmsToPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},
		"Action":["sns:Publish"],"Resource":["`+topicArn+`"],"Condition":`+cwCondition+`}`, pst["AllowCloudWatchAlarmsToPublish"].Raw)
	assert.JSONEq(t, `{"Sid":"AllowGuardDutyFindingsRuleToPublish","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},
		"Action":["sns:Publish"],"Resource":["`+topicArn+`"],
		"Condition":{"ArnEquals":{"aws:SourceArn":"`+arn("events", "rule/shop-web-prod-guardduty-findings")+`"}}}`,
		pst["AllowGuardDutyFindingsRuleToPublish"].Raw)
	assert.JSONEq(t, `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["sns:Publish"],
		"Resource":["`+topicArn+`"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`, pst["DenyInsecureTransport"].Raw)

	// The publish grants match alarms by name prefix: every alarm must have it.
	for _, a := range s.Resources("aws_cloudwatch_metric_alarm") {
		assert.True(t, strings.HasPrefix(a.Get("alarm_name").String(), "shop-web-prod-"), a.Get("alarm_name").String())
	}

	var subs []string
	for _, sub := range s.Resources("aws_sns_topic_subscription") {
		assert.Equal(t, "email", sub.Get("protocol").String())
		assert.Equal(t, topicArn, sub.Get("topic_arn").String())
		subs = append(subs, sub.Get("endpoint").String())
	}
	assert.ElementsMatch(t, []string{"secops@example.com", "oncall@example.org"}, subs)
}

func TestGuardDuty(t *testing.T) {
	s := defaults(t)
	det := s.Resource(t, "aws_guardduty_detector", "monitoring/guardduty")
	assert.True(t, det.Get("enable").Bool())
	assert.Equal(t, "FIFTEEN_MINUTES", det.Get("finding_publishing_frequency").String(), "default FindingPublishingFrequency")

	rule := s.Resource(t, "aws_cloudwatch_event_rule", "monitoring/guardduty_findings")
	assert.Equal(t, "shop-web-prod-guardduty-findings", rule.Get("name").String())
	assert.JSONEq(t, `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}`,
		rule.Get("event_pattern").String(), "default FindingsMinSeverity 7")
	target := s.Resource(t, "aws_cloudwatch_event_target", "monitoring/guardduty_findings_target")
	assert.Equal(t, ref(s, t, "aws_cloudwatch_event_rule", "monitoring/guardduty_findings", "name"), target.Get("rule").String())
	assert.Equal(t, ref(s, t, "aws_sns_topic", "monitoring/alarm_topic", "arn"), target.Get("arn").String())
}

// TestNoWildcardAllow checks every policy the construct writes: no Allow
// statement has a wildcard principal or a wildcard action, and every Allow
// to an AWS service principal carries a condition or names one resource.
func TestNoWildcardAllow(t *testing.T) {
	s := defaults(t)
	policies := map[string]gjson.Result{}
	for typ, field := range map[string]string{
		"aws_kms_key": "policy", "aws_s3_bucket_policy": "policy", "aws_sns_topic_policy": "policy",
		"aws_iam_role": "assume_role_policy", "aws_iam_role_policy": "policy",
	} {
		for id, r := range s.Resources(typ) {
			policies[typ+"."+id] = stacktest.JSONDocument(t, r, field)
		}
	}
	require.Len(t, policies, 6, "2 key policies, bucket, topic, trust and role policy")
	for name, doc := range policies {
		for _, st := range doc.Get("Statement").Array() {
			if st.Get("Effect").String() != "Allow" {
				continue
			}
			where := name + " " + st.Get("Sid").String()
			assert.NotEqual(t, "*", st.Get("Principal.AWS").String(), where)
			for _, a := range st.Get("Action").Array() {
				if st.Get("Sid").String() != "EnableRootAccountAdministration" {
					assert.NotContains(t, []string{"*", "kms:*", "s3:*", "sns:*", "logs:*"}, a.String(), where)
				}
			}
			if st.Get("Principal.Service").Exists() && !strings.HasPrefix(name, "aws_iam_role.") && st.Get("Sid").String() != "AllowEventBridgeToPublish" {
				assert.True(t, st.Get("Condition").Exists(), "%s: a service principal is only allowed under a condition", where)
			}
		}
	}
}

// wantAlarm is an alarm as it must be synthesized.
type wantAlarm struct {
	namespace, metric, statistic string
	dimensions                   map[string]string
	threshold                    float64
	period, evaluation, points   int64
	treatMissingData             string
	okActions                    bool
}

// checkAlarm checks the alarm id of the instance at construct id in, whose
// Name is name.
func checkAlarm(t *testing.T, s stacktest.Stack, in, name, id string, w wantAlarm) {
	t.Helper()
	a := s.Resource(t, "aws_cloudwatch_metric_alarm", in+"/alarm_"+id)
	topic := ref(s, t, "aws_sns_topic", in+"/alarm_topic", "arn")
	assert.Equal(t, name+"-"+id, a.Get("alarm_name").String(), id)
	assert.Equal(t, w.namespace, a.Get("namespace").String(), id)
	assert.Equal(t, w.metric, a.Get("metric_name").String(), id)
	assert.Equal(t, w.statistic, a.Get("statistic").String(), id)
	if w.dimensions == nil {
		assert.False(t, a.Get("dimensions").Exists(), id)
	} else {
		got := map[string]string{}
		for k, v := range a.Get("dimensions").Map() {
			got[k] = v.String()
		}
		assert.Equal(t, w.dimensions, got, id)
	}
	assert.Equal(t, "GreaterThanOrEqualToThreshold", a.Get("comparison_operator").String(), id)
	assert.Equal(t, w.threshold, a.Get("threshold").Float(), id+" threshold")
	assert.Equal(t, w.period, a.Get("period").Int(), id+" period")
	assert.Equal(t, w.evaluation, a.Get("evaluation_periods").Int(), id+" evaluation_periods")
	assert.Equal(t, w.points, a.Get("datapoints_to_alarm").Int(), id+" datapoints_to_alarm")
	assert.Equal(t, w.treatMissingData, a.Get("treat_missing_data").String(), id+" treat_missing_data")
	assert.True(t, a.Get("actions_enabled").Bool(), id)
	assert.JSONEq(t, `["`+topic+`"]`, a.Get("alarm_actions").Raw, id+" alarm_actions")
	if w.okActions {
		assert.JSONEq(t, `["`+topic+`"]`, a.Get("ok_actions").Raw, id+" ok_actions")
	} else {
		assert.False(t, a.Get("ok_actions").Exists(), id+" ok_actions")
	}
}

func TestServiceAlarmsDefaults(t *testing.T) {
	s := defaults(t)
	lbTg := map[string]string{"LoadBalancer": lbArn, "TargetGroup": tgArn}
	alb := wantAlarm{namespace: "AWS/ApplicationELB", period: 60, evaluation: 5, points: 3, okActions: true}
	with := func(w wantAlarm, f func(*wantAlarm)) wantAlarm { f(&w); return w }
	checkAlarm(t, s, "monitoring", "shop-web-prod", "alb-target-5xx", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "HTTPCode_Target_5XX_Count", "Sum", lbTg, 10, "notBreaching"
	}))
	checkAlarm(t, s, "monitoring", "shop-web-prod", "alb-5xx", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "HTTPCode_ELB_5XX_Count", "Sum", map[string]string{"LoadBalancer": lbArn}, 10, "notBreaching"
	}))
	checkAlarm(t, s, "monitoring", "shop-web-prod", "alb-unhealthy-hosts", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "UnHealthyHostCount", "Maximum", lbTg, 1, "missing"
	}))
	ecs := wantAlarm{namespace: "AWS/ECS", statistic: "Average", dimensions: map[string]string{"ClusterName": "shop-web-prod", "ServiceName": "web"},
		threshold: 80, period: 60, evaluation: 5, points: 5, treatMissingData: "missing", okActions: true}
	checkAlarm(t, s, "monitoring", "shop-web-prod", "ecs-cpu-high", with(ecs, func(w *wantAlarm) { w.metric = "CPUUtilization" }))
	checkAlarm(t, s, "monitoring", "shop-web-prod", "ecs-memory-high", with(ecs, func(w *wantAlarm) { w.metric = "MemoryUtilization" }))
	checkAlarm(t, s, "monitoring", "shop-web-prod", "waf-blocked-requests", wantAlarm{
		namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
		dimensions: map[string]string{"WebACL": "shop-web-prod-waf", "Rule": "ALL", "Region": region},
		threshold:  100, period: 300, evaluation: 1, points: 1, treatMissingData: "notBreaching", okActions: true,
	})
	assert.Len(t, s.Resources("aws_cloudwatch_metric_alarm"), 6+len(wantCis), "6 service alarms and one per CIS filter")
}

// wantCis are the CIS AWS Foundations Benchmark filter patterns, written
// out here independently of sm.CisFilters.
var wantCis = map[string]struct{ metric, pattern string }{
	"cis-unauthorized-api-calls": {"UnauthorizedAPICalls",
		`{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`},
	"cis-console-signin-without-mfa": {"ConsoleSignInWithoutMfa",
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`},
	"cis-root-account-usage": {"RootAccountUsage",
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`},
	"cis-iam-policy-changes": {"IAMPolicyChanges",
		`{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }`},
	"cis-cloudtrail-config-changes": {"CloudTrailConfigChanges",
		`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`},
	"cis-console-auth-failures": {"ConsoleAuthenticationFailures",
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`},
	"cis-kms-key-disable-or-deletion": {"KmsKeyDisableOrScheduledDeletion",
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`},
	"cis-s3-bucket-policy-changes": {"S3BucketPolicyChanges",
		`{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`},
	"cis-aws-config-changes": {"AwsConfigChanges",
		`{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }`},
	"cis-security-group-changes": {"SecurityGroupChanges",
		`{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`},
	"cis-nacl-changes": {"NetworkAclChanges",
		`{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`},
	"cis-network-gateway-changes": {"NetworkGatewayChanges",
		`{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`},
	"cis-route-table-changes": {"RouteTableChanges",
		`{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`},
	"cis-vpc-changes": {"VpcChanges",
		`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`},
	"cis-organizations-changes": {"OrganizationsChanges",
		`{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }`},
}

func TestCisMetricFiltersAndAlarms(t *testing.T) {
	s := defaults(t)
	require.Len(t, s.Resources("aws_cloudwatch_log_metric_filter"), len(wantCis))
	logGroup := ref(s, t, "aws_cloudwatch_log_group", "monitoring/trail_log_group", "name")
	for id, w := range wantCis {
		t.Run(id, func(t *testing.T) {
			f := s.Resource(t, "aws_cloudwatch_log_metric_filter", "monitoring/"+id)
			assert.Equal(t, "shop-web-prod-"+id, f.Get("name").String())
			assert.Equal(t, logGroup, f.Get("log_group_name").String())
			assert.Equal(t, w.pattern, f.Get("pattern").String())
			assert.JSONEq(t, `{"name":"`+w.metric+`","namespace":"CISBenchmark/shop-web-prod","unit":"Count","value":"1"}`,
				f.Get("metric_transformation").Raw, "default MetricNamespace")
			checkAlarm(t, s, "monitoring", "shop-web-prod", id, wantAlarm{
				namespace: "CISBenchmark/shop-web-prod", metric: w.metric, statistic: "Sum",
				threshold: 1, period: 300, evaluation: 1, points: 1, treatMissingData: "notBreaching",
			})
		})
	}
}

func TestExposedValues(t *testing.T) {
	s := defaults(t)
	m := defaultMonitoring
	// The exposed values are tokens of the resources' own attributes (the
	// synth helper outputs them).
	assert.Equal(t, ref(s, t, "aws_sns_topic", "monitoring/alarm_topic", "arn"), s.Get("output.alarm_topic_arn.value").String())
	assert.Equal(t, ref(s, t, "aws_cloudtrail", "monitoring/trail", "arn"), s.Get("output.trail_arn.value").String())
	assert.Equal(t, ref(s, t, "aws_cloudwatch_log_group", "monitoring/trail_log_group", "name"), s.Get("output.trail_log_group_name.value").String())
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "bucket"), s.Get("output.trail_bucket_name.value").String())
	assert.Len(t, m.Alarms, 6+len(wantCis))
	assert.Len(t, m.MetricFilters, len(wantCis))
	assert.Equal(t, arn("cloudtrail", "trail/shop-web-prod-trail"), sm.TrailArnFor(m.Config))
	assert.Equal(t, "FIFTEEN_MINUTES", m.Config.FindingPublishingFrequency)
	assert.Equal(t, 3, *m.Config.Alb.DatapointsToAlarm)
}

func TestCustomConfig(t *testing.T) {
	s := custom(t)
	assert.Empty(t, under(s, "aws_guardduty_detector", "custom"), "SkipGuardDutyDetector creates no detector")
	rule := s.Resource(t, "aws_cloudwatch_event_rule", "custom/guardduty_findings")
	assert.JSONEq(t, `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",4]}]}}`,
		rule.Get("event_pattern").String(), "the findings rule stays, for an existing detector")
	assert.Empty(t, under(s, "aws_sns_topic_subscription", "custom"), "no AlarmEmails, no subscription")

	trail := s.Resource(t, "aws_cloudtrail", "custom/trail")
	assert.Equal(t, "dev-audit", trail.Get("name").String())
	bucket := s.Resource(t, "aws_s3_bucket", "custom/trail_bucket")
	assert.Equal(t, "dev-audit-logs-example", bucket.Get("bucket").String())
	assert.True(t, bucket.Get("force_destroy").Bool())
	logging := s.Resource(t, "aws_s3_bucket_logging", "custom/trail_bucket_logging")
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "custom/trail_bucket", "id"), logging.Get("bucket").String())
	assert.Equal(t, "dev-access-logs-example", logging.Get("target_bucket").String())
	assert.Equal(t, "s3-access/dev-audit-logs-example/", logging.Get("target_prefix").String())
	lc := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "custom/trail_bucket_lifecycle")
	assert.EqualValues(t, 30, lc.Get("rule.0.expiration.0.days").Int())
	assert.EqualValues(t, 7, lc.Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int())
	lg := s.Resource(t, "aws_cloudwatch_log_group", "custom/trail_log_group")
	assert.Equal(t, "/audit/dev", lg.Get("name").String())
	assert.EqualValues(t, 30, lg.Get("retention_in_days").Int())
	for _, k := range []string{"custom/trail_key", "custom/alarm_key"} {
		assert.EqualValues(t, 7, s.Resource(t, "aws_kms_key", k).Get("deletion_window_in_days").Int(), k)
	}
	pol := s.Resource(t, "aws_s3_bucket_policy", "custom/trail_bucket_policy")
	assert.Equal(t, arn("cloudtrail", "trail/dev-audit"),
		statements(t, pol, "policy")["AWSCloudTrailWrite"].Get("Condition.StringEquals.aws:SourceArn").String())
	rp := s.Resource(t, "aws_iam_role_policy", "custom/trail_logs_role_policy")
	assert.Equal(t, arn("logs", "log-group:/audit/dev:log-stream:"+account+"_CloudTrail_*"),
		stacktest.JSONDocument(t, rp, "policy").Get("Statement.0.Resource.0").String())
	f := s.Resource(t, "aws_cloudwatch_log_metric_filter", "custom/cis-root-account-usage")
	assert.Equal(t, "Audit/dev", f.Get("metric_transformation.namespace").String())

	checkAlarm(t, s, "custom", "shop-web-dev", "cis-unauthorized-api-calls", wantAlarm{
		namespace: "Audit/dev", metric: "UnauthorizedAPICalls", statistic: "Sum",
		threshold: 5, period: 300, evaluation: 1, points: 1, treatMissingData: "notBreaching",
	})
	ecsDims := map[string]string{"ClusterName": "dev", "ServiceName": "web"}
	checkAlarm(t, s, "custom", "shop-web-dev", "ecs-cpu-high", wantAlarm{namespace: "AWS/ECS", metric: "CPUUtilization", statistic: "Average",
		dimensions: ecsDims, threshold: 90, period: 120, evaluation: 3, points: 3, treatMissingData: "missing", okActions: true})
	checkAlarm(t, s, "custom", "shop-web-dev", "ecs-memory-high", wantAlarm{namespace: "AWS/ECS", metric: "MemoryUtilization", statistic: "Average",
		dimensions: ecsDims, threshold: 95, period: 120, evaluation: 3, points: 3, treatMissingData: "missing", okActions: true})
	checkAlarm(t, s, "custom", "shop-web-dev", "waf-blocked-requests", wantAlarm{namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
		dimensions: map[string]string{"WebACL": "dev-waf", "Rule": "RateLimit", "Region": "ap-southeast-2"},
		threshold:  1000, period: 60, evaluation: 10, points: 2, treatMissingData: "notBreaching", okActions: true})
	for _, a := range under(s, "aws_cloudwatch_metric_alarm", "custom") {
		assert.NotContains(t, a.Get("alarm_name").String(), "-alb-", "no Alb group, no ALB alarm")
	}
	assert.Len(t, under(s, "aws_cloudwatch_metric_alarm", "custom"), 3+len(wantCis))
}

// TestTokensAccepted checks that monitored inputs may be cdktf tokens of
// resources defined elsewhere in the stack (they are only known to
// Terraform, so only their presence is checked).
func TestTokensAccepted(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("tokens"))
	tok := func(name string) string {
		return *cdktf.NewTerraformVariable(stack, jsii.String(name), &cdktf.TerraformVariableConfig{Type: jsii.String("string")}).StringValue()
	}
	cfg := defaultConfig()
	cfg.Alb = &sm.AlbAlarms{LoadBalancerArnSuffix: tok("lb"), TargetGroupArnSuffix: tok("tg")}
	cfg.Ecs = []sm.EcsAlarms{{ClusterName: tok("cluster"), ServiceName: tok("service")}}
	cfg.Waf = &sm.WafAlarms{WebAclMetricName: tok("acl"), RuleMetricName: tok("rule"), Region: tok("region")}
	require.NoError(t, cfg.Validate("monitoring"))
}

// TestLiteralsEscaped checks that user text reaching Terraform arguments
// is not read as a template: "${" and "%{" are escaped, tokens are kept.
func TestLiteralsEscaped(t *testing.T) {
	for _, f := range sm.CisFilters {
		for _, text := range []string{f.Pattern, f.Description} {
			assert.NotContains(t, text, "${", f.ID)
			assert.NotContains(t, text, "%{", f.ID)
		}
	}
	s := stacktest.SynthStack(t, "monitoring-test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		cluster := *cdktf.NewTerraformVariable(stack, jsii.String("cluster"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")}).StringValue()
		cfg := defaultConfig()
		cfg.AlarmEmails = []string{"ops${x}%{y}@example.com"}
		cfg.Alb, cfg.Waf = nil, nil
		cfg.Ecs[0].ClusterName = cluster + "${path.cwd}"
		_, err := sm.NewSecurityMonitoring(stack, "monitoring", cfg)
		require.NoError(t, err)
	})
	sub := s.Resource(t, "aws_sns_topic_subscription", "monitoring/alarm_email_0")
	assert.Equal(t, "ops$${x}%%{y}@example.com", sub.Get("endpoint").String())
	cpu := s.Resource(t, "aws_cloudwatch_metric_alarm", "monitoring/alarm_ecs-cpu-high")
	assert.Equal(t, "${var.cluster}$${path.cwd}", cpu.Get("dimensions.ClusterName").String(), "the token resolves, the literal is escaped")
}

func TestDeterministic(t *testing.T) {
	first := defaults(t)
	again, _ := synth(t, defaultConfig())
	assert.Equal(t, string(first.Raw), string(again.Raw), "synthesizing twice must give identical JSON")
}
