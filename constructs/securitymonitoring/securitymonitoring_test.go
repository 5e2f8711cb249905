package securitymonitoring_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	sm "github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	lbArn = "app/ecs-webapp-prod/0123456789abcdef"
	tgArn = "targetgroup/ecs-webapp-prod/fedcba9876543210"
)

// defaultConfig sets only what is required, the emails and the inputs of
// every alarm group: everything else takes its default.
func defaultConfig() *sm.SecurityMonitoringConfig {
	return &sm.SecurityMonitoringConfig{
		Name:        "ecs-webapp-prod",
		AccountId:   account,
		Region:      region,
		AlarmEmails: []string{"secops@example.com", "oncall@example.org"},
		Alb:         &sm.AlbAlarms{LoadBalancerArnSuffix: lbArn, TargetGroupArnSuffix: tgArn},
		Ecs:         &sm.EcsAlarms{ClusterName: "ecs-webapp-prod", ServiceName: "web"},
		Waf:         &sm.WafAlarms{WebAclMetricName: "ecs-webapp-prod-waf"},
	}
}

// customConfig sets every optional field to a non-default value and uses
// only two alarm groups, as the dev stack of a team might.
func customConfig() *sm.SecurityMonitoringConfig {
	return &sm.SecurityMonitoringConfig{
		Name:                            "ecs-webapp-dev",
		AccountId:                       account,
		Region:                          region,
		TrailName:                       "dev-audit",
		S3BucketName:                    "dev-audit-logs-example",
		S3ExpirationDays:                30,
		NoncurrentVersionExpirationDays: 7,
		LogGroupName:                    "/audit/dev",
		RetentionInDays:                 30,
		DeletionWindowInDays:            7,
		ForceDestroy:                    true,
		AccessLogsBucket:                "dev-access-logs-example",
		SkipGuardDutyDetector:           true,
		FindingsMinSeverity:             4,
		MetricNamespace:                 "Audit/dev",
		UnauthorizedApiCallsThreshold:   5,
		Ecs: &sm.EcsAlarms{
			ClusterName: "dev", ServiceName: "web",
			CpuUtilizationThreshold: 90, MemoryUtilizationThreshold: 95,
			Period: 120, EvaluationPeriods: 3, // DatapointsToAlarm: default 5 lowered to 3
		},
		Waf: &sm.WafAlarms{
			WebAclMetricName: "dev-waf", RuleMetricName: "RateLimit", Region: otherRegion,
			BlockedRequestsThreshold: 1000, Period: 60, EvaluationPeriods: 10, DatapointsToAlarm: 2,
		},
	}
}

var defaultMonitoring *sm.SecurityMonitoring

func synth(t testing.TB, cfg *sm.SecurityMonitoringConfig) (stacktest.Stack, *sm.SecurityMonitoring) {
	t.Helper()
	var m *sm.SecurityMonitoring
	s := synthStack(t, func(stack cdktf.TerraformStack) {
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

// defaults synthesizes the default config once per test binary and starts
// its plan in the background (TestTerraformPlan takes it).
var defaults = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	s, m := synth(t, defaultConfig())
	defaultMonitoring = m
	stacktest.PlanInBackground(s)
	return s
})

// custom synthesizes the custom config once per test binary.
var custom = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	s, _ := synth(t, customConfig())
	return s
})

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
	assert.Equal(t, "ecs-webapp-prod-trail", trail.Get("name").String())
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
	assert.Equal(t, "alias/ecs-webapp-prod-cloudtrail", alias.Get("name").String())

	st := statements(t, key, "policy")
	require.Equal(t, []string{
		"AllowCloudTrailDecryptForBucketKey", "AllowCloudTrailDescribeKey", "AllowCloudTrailEncryptLogs",
		"AllowCloudWatchLogsTrailLogGroup", "EnableRootAccountAdministration",
	}, sids(st))
	trailArn := "arn:aws:cloudtrail:" + region + ":" + account + ":trail/ecs-webapp-prod-trail"
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
		"Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:`+region+`:`+account+`:log-group:/aws/cloudtrail/ecs-webapp-prod"}}}`,
		st["AllowCloudWatchLogsTrailLogGroup"].Raw)
	assert.JSONEq(t, `{"AWS":"arn:aws:iam::`+account+`:root"}`, st["EnableRootAccountAdministration"].Get("Principal").Raw)
}

func TestTrailBucket(t *testing.T) {
	s := defaults(t)
	bucket := s.Resource(t, "aws_s3_bucket", "monitoring/trail_bucket")
	assert.Equal(t, "ecs-webapp-prod-cloudtrail-"+account, bucket.Get("bucket").String(), "default S3BucketName")
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
	arn := ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "arn")
	trailArn := "arn:aws:cloudtrail:" + region + ":" + account + ":trail/ecs-webapp-prod-trail"
	assert.JSONEq(t, `{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["s3:GetBucketAcl"],"Resource":["`+arn+`"],"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`"}}}`,
		st["AWSCloudTrailAclCheck"].Raw)
	assert.JSONEq(t, `{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
		"Action":["s3:PutObject"],"Resource":["`+arn+`/AWSLogs/`+account+`/*"],
		"Condition":{"StringEquals":{"aws:SourceArn":"`+trailArn+`","s3:x-amz-acl":"bucket-owner-full-control"}}}`,
		st["AWSCloudTrailWrite"].Raw)
	assert.JSONEq(t, `{"Bool":{"aws:SecureTransport":"false"}}`, st["DenyInsecureTransport"].Get("Condition").Raw)
	assert.Equal(t, "Deny", st["DenyInsecureTransport"].Get("Effect").String())
	assert.JSONEq(t, `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`, st["DenyOutdatedTLS"].Get("Condition").Raw)
}

func TestTrailLogGroupAndRole(t *testing.T) {
	s := defaults(t)
	lg := s.Resource(t, "aws_cloudwatch_log_group", "monitoring/trail_log_group")
	assert.Equal(t, "/aws/cloudtrail/ecs-webapp-prod", lg.Get("name").String(), "default LogGroupName")
	assert.EqualValues(t, 365, lg.Get("retention_in_days").Int(), "default RetentionInDays")
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/trail_key", "arn"), lg.Get("kms_key_id").String())

	role := s.Resource(t, "aws_iam_role", "monitoring/trail_logs_role")
	assert.Equal(t, "ecs-webapp-prod-cloudtrail-logs", role.Get("name").String())
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["sts:AssumeRole"]}]}`,
		role.Get("assume_role_policy").String())
	assert.False(t, role.Get("managed_policy_arns").Exists(), "no managed policies")
	assert.Len(t, s.Resources("aws_iam_role_policy_attachment"), 0)

	rp := s.Resource(t, "aws_iam_role_policy", "monitoring/trail_logs_role_policy")
	assert.Equal(t, ref(s, t, "aws_iam_role", "monitoring/trail_logs_role", "id"), rp.Get("role").String())
	// The role may only create CloudTrail's streams in the trail log group
	// and put events into them: no wildcard action, no other log group.
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailCreateLogStreamAndPutEvents","Effect":"Allow",
		"Action":["logs:CreateLogStream","logs:PutLogEvents"],
		"Resource":["arn:aws:logs:`+region+`:`+account+`:log-group:/aws/cloudtrail/ecs-webapp-prod:log-stream:`+account+`_CloudTrail_*"]}]}`,
		rp.Get("policy").String())
}

func TestAlarmTopic(t *testing.T) {
	s := defaults(t)
	topic := s.Resource(t, "aws_sns_topic", "monitoring/alarm_topic")
	assert.Equal(t, "ecs-webapp-prod-security-alarms", topic.Get("name").String())
	assert.Equal(t, ref(s, t, "aws_kms_key", "monitoring/alarm_key", "arn"), topic.Get("kms_master_key_id").String())
	topicArn := ref(s, t, "aws_sns_topic", "monitoring/alarm_topic", "arn")

	key := s.Resource(t, "aws_kms_key", "monitoring/alarm_key")
	assert.True(t, key.Get("enable_key_rotation").Bool())
	assert.EqualValues(t, 30, key.Get("deletion_window_in_days").Int())
	kst := statements(t, key, "policy")
	require.Equal(t, []string{"AllowCloudWatchAlarmsToPublish", "AllowEventBridgeToPublish", "EnableRootAccountAdministration"}, sids(kst))
	cwCondition := `{"ArnLike":{"aws:SourceArn":"arn:aws:cloudwatch:` + region + `:` + account + `:alarm:ecs-webapp-prod-*"},"StringEquals":{"aws:SourceAccount":"` + account + `"}}`
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
		"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:events:`+region+`:`+account+`:rule/ecs-webapp-prod-guardduty-findings"}}}`,
		pst["AllowGuardDutyFindingsRuleToPublish"].Raw)
	assert.JSONEq(t, `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["sns:Publish"],
		"Resource":["`+topicArn+`"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`, pst["DenyInsecureTransport"].Raw)

	// The publish grants match alarms by name prefix: every alarm must have it.
	for _, a := range s.Resources("aws_cloudwatch_metric_alarm") {
		assert.True(t, strings.HasPrefix(a.Get("alarm_name").String(), "ecs-webapp-prod-"), a.Get("alarm_name").String())
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
	assert.Equal(t, "ecs-webapp-prod-guardduty-findings", rule.Get("name").String())
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

func checkAlarm(t *testing.T, s stacktest.Stack, name, id string, w wantAlarm) {
	t.Helper()
	a := s.Resource(t, "aws_cloudwatch_metric_alarm", "monitoring/alarm_"+id)
	topic := ref(s, t, "aws_sns_topic", "monitoring/alarm_topic", "arn")
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
	checkAlarm(t, s, "ecs-webapp-prod", "alb-target-5xx", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "HTTPCode_Target_5XX_Count", "Sum", lbTg, 10, "notBreaching"
	}))
	checkAlarm(t, s, "ecs-webapp-prod", "alb-5xx", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "HTTPCode_ELB_5XX_Count", "Sum", map[string]string{"LoadBalancer": lbArn}, 10, "notBreaching"
	}))
	checkAlarm(t, s, "ecs-webapp-prod", "alb-unhealthy-hosts", with(alb, func(w *wantAlarm) {
		w.metric, w.statistic, w.dimensions, w.threshold, w.treatMissingData = "UnHealthyHostCount", "Maximum", lbTg, 1, "missing"
	}))
	ecs := wantAlarm{namespace: "AWS/ECS", statistic: "Average", dimensions: map[string]string{"ClusterName": "ecs-webapp-prod", "ServiceName": "web"},
		threshold: 80, period: 60, evaluation: 5, points: 5, treatMissingData: "missing", okActions: true}
	checkAlarm(t, s, "ecs-webapp-prod", "ecs-cpu-high", with(ecs, func(w *wantAlarm) { w.metric = "CPUUtilization" }))
	checkAlarm(t, s, "ecs-webapp-prod", "ecs-memory-high", with(ecs, func(w *wantAlarm) { w.metric = "MemoryUtilization" }))
	checkAlarm(t, s, "ecs-webapp-prod", "waf-blocked-requests", wantAlarm{
		namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
		dimensions: map[string]string{"WebACL": "ecs-webapp-prod-waf", "Rule": "ALL", "Region": region},
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
			assert.Equal(t, "ecs-webapp-prod-"+id, f.Get("name").String())
			assert.Equal(t, logGroup, f.Get("log_group_name").String())
			assert.Equal(t, w.pattern, f.Get("pattern").String())
			assert.JSONEq(t, `{"name":"`+w.metric+`","namespace":"CISBenchmark/ecs-webapp-prod","unit":"Count","value":"1"}`,
				f.Get("metric_transformation").Raw, "default MetricNamespace")
			checkAlarm(t, s, "ecs-webapp-prod", id, wantAlarm{
				namespace: "CISBenchmark/ecs-webapp-prod", metric: w.metric, statistic: "Sum",
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
	assert.Equal(t, "arn:aws:cloudtrail:"+region+":"+account+":trail/ecs-webapp-prod-trail", sm.TrailArnFor(m.Config))
	assert.Equal(t, "FIFTEEN_MINUTES", m.Config.FindingPublishingFrequency)
	assert.Equal(t, 3, m.Config.Alb.DatapointsToAlarm)
}

func TestCustomConfig(t *testing.T) {
	s := custom(t)
	assert.Empty(t, s.Resources("aws_guardduty_detector"), "SkipGuardDutyDetector creates no detector")
	rule := s.Resource(t, "aws_cloudwatch_event_rule", "monitoring/guardduty_findings")
	assert.JSONEq(t, `{"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",4]}]}}`,
		rule.Get("event_pattern").String(), "the findings rule stays, for an existing detector")
	assert.Empty(t, s.Resources("aws_sns_topic_subscription"), "no AlarmEmails, no subscription")

	trail := s.Resource(t, "aws_cloudtrail", "monitoring/trail")
	assert.Equal(t, "dev-audit", trail.Get("name").String())
	bucket := s.Resource(t, "aws_s3_bucket", "monitoring/trail_bucket")
	assert.Equal(t, "dev-audit-logs-example", bucket.Get("bucket").String())
	assert.True(t, bucket.Get("force_destroy").Bool())
	logging := s.Resource(t, "aws_s3_bucket_logging", "monitoring/trail_bucket_logging")
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "monitoring/trail_bucket", "id"), logging.Get("bucket").String())
	assert.Equal(t, "dev-access-logs-example", logging.Get("target_bucket").String())
	assert.Equal(t, "s3-access/dev-audit-logs-example/", logging.Get("target_prefix").String())
	lc := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "monitoring/trail_bucket_lifecycle")
	assert.EqualValues(t, 30, lc.Get("rule.0.expiration.0.days").Int())
	assert.EqualValues(t, 7, lc.Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int())
	lg := s.Resource(t, "aws_cloudwatch_log_group", "monitoring/trail_log_group")
	assert.Equal(t, "/audit/dev", lg.Get("name").String())
	assert.EqualValues(t, 30, lg.Get("retention_in_days").Int())
	for _, k := range []string{"monitoring/trail_key", "monitoring/alarm_key"} {
		assert.EqualValues(t, 7, s.Resource(t, "aws_kms_key", k).Get("deletion_window_in_days").Int(), k)
	}
	pol := s.Resource(t, "aws_s3_bucket_policy", "monitoring/trail_bucket_policy")
	assert.Equal(t, "arn:aws:cloudtrail:"+region+":"+account+":trail/dev-audit",
		statements(t, pol, "policy")["AWSCloudTrailWrite"].Get("Condition.StringEquals.aws:SourceArn").String())
	rp := s.Resource(t, "aws_iam_role_policy", "monitoring/trail_logs_role_policy")
	assert.Equal(t, "arn:aws:logs:"+region+":"+account+":log-group:/audit/dev:log-stream:"+account+"_CloudTrail_*",
		stacktest.JSONDocument(t, rp, "policy").Get("Statement.0.Resource.0").String())
	f := s.Resource(t, "aws_cloudwatch_log_metric_filter", "monitoring/cis-root-account-usage")
	assert.Equal(t, "Audit/dev", f.Get("metric_transformation.namespace").String())

	checkAlarm(t, s, "ecs-webapp-dev", "cis-unauthorized-api-calls", wantAlarm{
		namespace: "Audit/dev", metric: "UnauthorizedAPICalls", statistic: "Sum",
		threshold: 5, period: 300, evaluation: 1, points: 1, treatMissingData: "notBreaching",
	})
	ecsDims := map[string]string{"ClusterName": "dev", "ServiceName": "web"}
	checkAlarm(t, s, "ecs-webapp-dev", "ecs-cpu-high", wantAlarm{namespace: "AWS/ECS", metric: "CPUUtilization", statistic: "Average",
		dimensions: ecsDims, threshold: 90, period: 120, evaluation: 3, points: 3, treatMissingData: "missing", okActions: true})
	checkAlarm(t, s, "ecs-webapp-dev", "ecs-memory-high", wantAlarm{namespace: "AWS/ECS", metric: "MemoryUtilization", statistic: "Average",
		dimensions: ecsDims, threshold: 95, period: 120, evaluation: 3, points: 3, treatMissingData: "missing", okActions: true})
	checkAlarm(t, s, "ecs-webapp-dev", "waf-blocked-requests", wantAlarm{namespace: "AWS/WAFV2", metric: "BlockedRequests", statistic: "Sum",
		dimensions: map[string]string{"WebACL": "dev-waf", "Rule": "RateLimit", "Region": otherRegion},
		threshold:  1000, period: 60, evaluation: 10, points: 2, treatMissingData: "notBreaching", okActions: true})
	for _, a := range s.Resources("aws_cloudwatch_metric_alarm") {
		assert.NotContains(t, a.Get("alarm_name").String(), "-alb-", "no Alb group, no ALB alarm")
	}
	assert.Len(t, s.Resources("aws_cloudwatch_metric_alarm"), 3+len(wantCis))
}

// TestTokensAccepted checks that monitored inputs may be cdktf tokens of
// resources defined elsewhere in the stack (they are only known to
// Terraform, so only their presence is checked).
func TestTokensAccepted(t *testing.T) {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("tokens"))
	tok := func(name string) string {
		return *cdktf.NewTerraformVariable(stack, jsii.String(name), &cdktf.TerraformVariableConfig{Type: jsii.String("string")}).StringValue()
	}
	cfg := defaultConfig()
	cfg.Alb = &sm.AlbAlarms{LoadBalancerArnSuffix: tok("lb"), TargetGroupArnSuffix: tok("tg")}
	cfg.Ecs = &sm.EcsAlarms{ClusterName: tok("cluster"), ServiceName: tok("service")}
	cfg.Waf = &sm.WafAlarms{WebAclMetricName: tok("acl"), RuleMetricName: tok("rule"), Region: tok("region")}
	require.NoError(t, cfg.Validate())
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
	s := synthStack(t, func(stack cdktf.TerraformStack) {
		cluster := *cdktf.NewTerraformVariable(stack, jsii.String("cluster"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")}).StringValue()
		cfg := defaultConfig()
		cfg.AlarmEmails = []string{"ops${x}%{y}@example.com"}
		cfg.Alb, cfg.Waf = nil, nil
		cfg.Ecs.ClusterName = cluster + "${path.cwd}"
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

// TestInvalidConfig has one subtest per validation rule: each breaks one
// rule and expects exactly that problem, and no construct.
func TestInvalidConfig(t *testing.T) {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("invalid"))
	cases := []struct {
		name   string
		mutate func(c *sm.SecurityMonitoringConfig)
		field  string
		rule   string
	}{
		{"name", func(c *sm.SecurityMonitoringConfig) { c.Name = "-bad name" }, "Name", "1-39 letters"},
		{"name too long", func(c *sm.SecurityMonitoringConfig) {
			c.Name = "a" + strings.Repeat("b", 39)
			c.S3BucketName = "ok-bucket-name"
		}, "Name", "1-39 letters"},
		{"name with adjacent dashes", func(c *sm.SecurityMonitoringConfig) { c.Name = "a--b" }, "Name", "without \"--\""},
		{"name with an S3-reserved prefix", func(c *sm.SecurityMonitoringConfig) { c.Name = "Sthree-audit" }, "Name", "sthree-"},
		{"account id", func(c *sm.SecurityMonitoringConfig) { c.AccountId = "12345"; c.S3BucketName = "ok-bucket-name" }, "AccountId", "12-digit"},
		{"region", func(c *sm.SecurityMonitoringConfig) { c.Region = "useast1" }, "Region", "region code"},
		{"trail name", func(c *sm.SecurityMonitoringConfig) { c.TrailName = "a--b" }, "TrailName", "3-128"},
		{"bucket name", func(c *sm.SecurityMonitoringConfig) { c.S3BucketName = "Bad_Bucket" }, "S3BucketName", "lowercase"},
		{"name of 40 characters is reported on Name, not on the derived bucket", func(c *sm.SecurityMonitoringConfig) { c.Name = strings.Repeat("a", 40) }, "Name", "1-39 letters"},
		{"trail name in IP address format", func(c *sm.SecurityMonitoringConfig) { c.TrailName = "192.168.5.4" }, "TrailName", "IP address"},
		{"access logs bucket", func(c *sm.SecurityMonitoringConfig) { c.AccessLogsBucket = "Logs" }, "AccessLogsBucket", "lowercase"},
		{"access logs bucket is the trail bucket", func(c *sm.SecurityMonitoringConfig) {
			c.AccessLogsBucket = "ecs-webapp-prod-cloudtrail-" + account
		}, "AccessLogsBucket", "must differ from S3BucketName"},
		{"s3 expiration", func(c *sm.SecurityMonitoringConfig) { c.S3ExpirationDays = -1 }, "S3ExpirationDays", "at least 1"},
		{"noncurrent expiration", func(c *sm.SecurityMonitoringConfig) { c.NoncurrentVersionExpirationDays = -3 }, "NoncurrentVersionExpirationDays", "at least 1"},
		{"log group name", func(c *sm.SecurityMonitoringConfig) { c.LogGroupName = "bad name" }, "LogGroupName", "1-512"},
		{"log group name reserved", func(c *sm.SecurityMonitoringConfig) { c.LogGroupName = "aws/trail" }, "LogGroupName", "reserved"},
		{"retention", func(c *sm.SecurityMonitoringConfig) { c.RetentionInDays = 10 }, "RetentionInDays", "retention values"},
		{"deletion window", func(c *sm.SecurityMonitoringConfig) { c.DeletionWindowInDays = 31 }, "DeletionWindowInDays", "7 and 30"},
		{"finding frequency", func(c *sm.SecurityMonitoringConfig) { c.FindingPublishingFrequency = "DAILY" }, "FindingPublishingFrequency", "FIFTEEN_MINUTES ONE_HOUR SIX_HOURS"},
		{"finding frequency without detector", func(c *sm.SecurityMonitoringConfig) {
			c.SkipGuardDutyDetector = true
			c.FindingPublishingFrequency = "ONE_HOUR"
		}, "FindingPublishingFrequency", "must be empty with SkipGuardDutyDetector"},
		{"findings severity", func(c *sm.SecurityMonitoringConfig) { c.FindingsMinSeverity = 10.5 }, "FindingsMinSeverity", "1.0 to 10.0"},
		{"email", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"not-an-email"} }, "AlarmEmails[0]", "email address"},
		{"email with display name", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"Ops <ops@example.com>"} }, "AlarmEmails[0]", "email address"},
		{"email without dotted domain", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@localhost"} }, "AlarmEmails[0]", "email address"},
		{"email bad domain label", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@-example.com"} }, "AlarmEmails[0]", "email address"},
		{"email duplicate", func(c *sm.SecurityMonitoringConfig) { c.AlarmEmails = []string{"ops@example.com", "OPS@example.com"} }, "AlarmEmails[1]", "listed twice"},
		{"metric namespace", func(c *sm.SecurityMonitoringConfig) { c.MetricNamespace = "AWS/CloudTrail" }, "MetricNamespace", "reserved"},
		{"unauthorized api calls threshold", func(c *sm.SecurityMonitoringConfig) { c.UnauthorizedApiCallsThreshold = -1 }, "UnauthorizedApiCallsThreshold", "at least 1"},

		{"alb load balancer missing", func(c *sm.SecurityMonitoringConfig) { c.Alb.LoadBalancerArnSuffix = "" }, "Alb.LoadBalancerArnSuffix", "is required"},
		{"alb load balancer format", func(c *sm.SecurityMonitoringConfig) { c.Alb.LoadBalancerArnSuffix = "arn:aws:elasticloadbalancing:x" }, "Alb.LoadBalancerArnSuffix", "arn_suffix"},
		{"alb target group missing", func(c *sm.SecurityMonitoringConfig) { c.Alb.TargetGroupArnSuffix = "" }, "Alb.TargetGroupArnSuffix", "is required"},
		{"alb target group format", func(c *sm.SecurityMonitoringConfig) { c.Alb.TargetGroupArnSuffix = "web" }, "Alb.TargetGroupArnSuffix", "arn_suffix"},
		{"alb target 5xx threshold", func(c *sm.SecurityMonitoringConfig) { c.Alb.Target5xxThreshold = -1 }, "Alb.Target5xxThreshold", "at least 1"},
		{"alb elb 5xx threshold", func(c *sm.SecurityMonitoringConfig) { c.Alb.Elb5xxThreshold = -5 }, "Alb.Elb5xxThreshold", "at least 1"},
		{"alb unhealthy host threshold", func(c *sm.SecurityMonitoringConfig) { c.Alb.UnhealthyHostThreshold = -1 }, "Alb.UnhealthyHostThreshold", "at least 1"},
		{"alb period", func(c *sm.SecurityMonitoringConfig) { c.Alb.Period = 90 }, "Alb.Period", "multiple of 60"},
		{"alb evaluation periods", func(c *sm.SecurityMonitoringConfig) { c.Alb.EvaluationPeriods = -1; c.Alb.DatapointsToAlarm = 1 }, "Alb.EvaluationPeriods", "at least 1"},
		{"alb window over a day", func(c *sm.SecurityMonitoringConfig) { c.Alb.Period = 3600; c.Alb.EvaluationPeriods = 25 }, "Alb.EvaluationPeriods", "86400"},
		{"alb evaluation periods overflow", func(c *sm.SecurityMonitoringConfig) { c.Alb.EvaluationPeriods = 1 << 62 }, "Alb.EvaluationPeriods", "86400"},
		{"alb evaluation periods overflow at a longer period", func(c *sm.SecurityMonitoringConfig) {
			c.Alb.Period = 60 << 2
			c.Alb.EvaluationPeriods = 1<<62 + 1
		}, "Alb.EvaluationPeriods", "86400"},
		{"alb datapoints", func(c *sm.SecurityMonitoringConfig) { c.Alb.EvaluationPeriods = 2; c.Alb.DatapointsToAlarm = 3 }, "Alb.DatapointsToAlarm", "1 to EvaluationPeriods"},

		{"ecs cluster missing", func(c *sm.SecurityMonitoringConfig) { c.Ecs.ClusterName = "" }, "Ecs.ClusterName", "is required"},
		{"ecs service format", func(c *sm.SecurityMonitoringConfig) { c.Ecs.ServiceName = "my service" }, "Ecs.ServiceName", "service name"},
		{"ecs cpu threshold", func(c *sm.SecurityMonitoringConfig) { c.Ecs.CpuUtilizationThreshold = 101 }, "Ecs.CpuUtilizationThreshold", "1 to 100"},
		{"ecs memory threshold", func(c *sm.SecurityMonitoringConfig) { c.Ecs.MemoryUtilizationThreshold = -5 }, "Ecs.MemoryUtilizationThreshold", "1 to 100"},
		{"ecs period", func(c *sm.SecurityMonitoringConfig) { c.Ecs.Period = 30 }, "Ecs.Period", "multiple of 60"},

		{"waf web acl missing", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "" }, "Waf.WebAclMetricName", "is required"},
		{"waf web acl format", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "my acl" }, "Waf.WebAclMetricName", "metric_name"},
		{"waf web acl reserved", func(c *sm.SecurityMonitoringConfig) { c.Waf.WebAclMetricName = "Default_Action" }, "Waf.WebAclMetricName", "reserves"},
		{"waf rule format", func(c *sm.SecurityMonitoringConfig) { c.Waf.RuleMetricName = "rule/1" }, "Waf.RuleMetricName", "metric_name"},
		{"waf region", func(c *sm.SecurityMonitoringConfig) { c.Waf.Region = "global" }, "Waf.Region", "region code"},
		{"waf blocked threshold", func(c *sm.SecurityMonitoringConfig) { c.Waf.BlockedRequestsThreshold = -1 }, "Waf.BlockedRequestsThreshold", "at least 1"},
		{"waf datapoints", func(c *sm.SecurityMonitoringConfig) { c.Waf.DatapointsToAlarm = 2 }, "Waf.DatapointsToAlarm", "1 to EvaluationPeriods"},
	}
	for _, tc := range cases {
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
			assert.Equal(t, "securitymonitoring.NewSecurityMonitoring", ve.Construct)
			stacktest.RequireNoChildren(t, stack)
			assert.Equal(t, err.Error(), cfg.Validate().Error(), "Validate reports what the constructor reports")
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
		cfg.RetentionInDays = 2
		_, err := sm.NewSecurityMonitoring(stack, "", cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		var fields []string
		for _, p := range ve.Problems {
			fields = append(fields, p.Field)
		}
		assert.Equal(t, []string{"id", "RetentionInDays"}, fields)
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("longest valid name gives valid defaults", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.Name = "A" + strings.Repeat("b-", 18) + "cd"
		require.Len(t, cfg.Name, 39)
		assert.NoError(t, cfg.Validate())
	})

	t.Run("nil config", func(t *testing.T) {
		_, err := sm.NewSecurityMonitoring(stack, "monitoring", nil)
		var ve *validate.Error
		require.True(t, errors.As(err, &ve))
		assert.Equal(t, "config", ve.Problems[0].Field)
		stacktest.RequireNoChildren(t, stack)
	})

	t.Run("every problem in one error", func(t *testing.T) {
		cfg := defaultConfig()
		cfg.AccountId = "x"
		cfg.S3BucketName = "ok-bucket-name"
		cfg.RetentionInDays = 2
		cfg.AlarmEmails = []string{"nope"}
		cfg.Alb.Target5xxThreshold = -1
		cfg.Ecs.CpuUtilizationThreshold = 200
		cfg.Waf.WebAclMetricName = ""
		_, err := sm.NewSecurityMonitoring(stack, "monitoring", cfg)
		var ve *validate.Error
		require.True(t, errors.As(err, &ve))
		var fields []string
		for _, p := range ve.Problems {
			fields = append(fields, p.Field)
		}
		assert.Equal(t, []string{"AccountId", "RetentionInDays", "AlarmEmails[0]", "Alb.Target5xxThreshold", "Ecs.CpuUtilizationThreshold", "Waf.WebAclMetricName"}, fields)
		stacktest.RequireNoChildren(t, stack)
	})

	t.Run("config is not modified", func(t *testing.T) {
		cfg := defaultConfig()
		require.NoError(t, cfg.Validate())
		assert.Equal(t, defaultConfig(), cfg, "defaults are applied to a copy")
	})
}

// TestTerraformPlan plans (and so validates) the default stack with the
// real provider, offline.
func TestTerraformPlan(t *testing.T) {
	s := defaults(t)
	plan := stacktest.PlanStack(t, s)
	created := plan.Addresses(tfjson.ActionCreate)
	var want []string
	for typ, rs := range s.JSON.Get("resource").Map() {
		for id := range rs.Map() {
			want = append(want, typ+"."+id)
		}
	}
	sort.Strings(want)
	assert.Equal(t, want, created, "the plan creates exactly the synthesized resources")
	count := map[string]int{}
	for _, a := range created {
		count[a[:strings.IndexByte(a, '.')]]++
	}
	assert.Equal(t, map[string]int{
		"aws_cloudtrail": 1, "aws_cloudwatch_event_rule": 1, "aws_cloudwatch_event_target": 1, "aws_cloudwatch_log_group": 1,
		"aws_cloudwatch_log_metric_filter": 15, "aws_cloudwatch_metric_alarm": 21, "aws_guardduty_detector": 1,
		"aws_iam_role": 1, "aws_iam_role_policy": 1, "aws_kms_alias": 2, "aws_kms_key": 2,
		"aws_s3_bucket": 1, "aws_s3_bucket_lifecycle_configuration": 1, "aws_s3_bucket_ownership_controls": 1,
		"aws_s3_bucket_policy": 1, "aws_s3_bucket_public_access_block": 1,
		"aws_s3_bucket_server_side_encryption_configuration": 1, "aws_s3_bucket_versioning": 1,
		"aws_sns_topic": 1, "aws_sns_topic_policy": 1, "aws_sns_topic_subscription": 2,
	}, count)

	trail := plan.Change(s.Ref(t, "aws_cloudtrail", "monitoring/trail"))
	require.NotNil(t, trail)
	after := trail.Change.After.(map[string]any)
	assert.Equal(t, true, after["is_multi_region_trail"])
	assert.Equal(t, true, after["enable_log_file_validation"])
	assert.Equal(t, "ecs-webapp-prod-trail", after["name"])
	det := plan.Change(s.Ref(t, "aws_guardduty_detector", "monitoring/guardduty"))
	require.NotNil(t, det)
	assert.Equal(t, "FIFTEEN_MINUTES", det.Change.After.(map[string]any)["finding_publishing_frequency"])
}

// TestTrivy scans the default stack with trivy (stacktest.Scan: converted
// to HCL) and fails on any finding at all, but the two LOW ones of the
// trail bucket, accepted here.
func TestTrivy(t *testing.T) {
	s := defaults(t)
	const why = "the trail bucket has no server access logging of its own by default: log file validation and " +
		"the CIS bucket-policy alarm cover the trail; set AccessLogsBucket to turn it on"
	findings := stacktest.Scan(t, []stacktest.Stack{s},
		stacktest.Accept{ID: "AWS-0089", Path: "monitoring/trail_bucket", Reason: why},
		stacktest.Accept{ID: "AWS-0163", Path: "monitoring/trail_bucket", Reason: why},
	)
	stacktest.RequireNoFindings(t, findings, stacktest.Low)
}
