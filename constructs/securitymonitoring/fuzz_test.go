package securitymonitoring_test

import (
	"errors"
	"testing"

	sm "github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// FuzzValidate feeds arbitrary strings and numbers into every kind of
// field: Validate must never panic and must return nil or a
// *validate.Error. Run it with
//
//	go test ./constructs/securitymonitoring -run '^$' -fuzz FuzzValidate -fuzztime 60s -parallel 1
func FuzzValidate(f *testing.F) {
	f.Add("shop-web-prod", "monitoring", account, region, "secops@example.com", "CISBenchmark/x", "app/a/0123456789abcdef", "api", 60, 5, 3, 0, 7.0)
	f.Add("", "_", "", "", "", "", "", "", 0, 0, 0, -1, 0.0)
	f.Add("${", "%{x}", "TfToken[x", "cn-north-1", "a@b", "A:B*$", "targetgroup/x", "-", 30, 1<<62, -1, 1<<62, 11.0)
	f.Add("é", "ü", "111122223333", "us-gov-west-1", "Ops <ops@example.com>", "AWS/x", "${TfToken[TOKEN.999]}", "x--y", 3600, 169, 170, 0, -1.0)
	f.Fuzz(func(t *testing.T, name, id, accountID, region, email, namespace, dim, tgID string, period, evaluation, datapoints, threshold int, severity float64) {
		cfg := &sm.SecurityMonitoringConfig{
			Name: name, AccountId: accountID, Region: region, TrailName: name + id, LogGroupName: namespace,
			S3BucketName: id, ExistingS3BucketName: dim, AccessLogsBucket: email, TrailKmsKeyArn: dim, AlarmKmsKeyArn: id,
			PermissionsBoundaryArn: dim, FindingPublishingFrequency: id, FindingsMinSeverity: &severity,
			AlarmEmails: []string{email, email}, MetricNamespace: namespace, UnauthorizedApiCallsThreshold: &threshold,
			S3ExpirationDays: &threshold, RetentionInDays: &period, DeletionWindowInDays: &evaluation,
			Tags: map[string]string{name: id},
			Alb: &sm.AlbAlarms{LoadBalancerArnSuffix: dim, TargetGroupArnSuffix: tgID, Target5xxThreshold: &threshold,
				PeriodSeconds: &period, EvaluationPeriods: &evaluation, DatapointsToAlarm: &datapoints,
				TargetGroups: []sm.TargetGroupAlarms{{Id: tgID, TargetGroupArnSuffix: dim, UnhealthyHostThreshold: &threshold}, {Id: tgID}}},
			Ecs: []sm.EcsAlarms{{Id: tgID, ClusterName: dim, ServiceName: name, PeriodSeconds: &period, EvaluationPeriods: &evaluation},
				{ClusterName: id, ServiceName: id, DatapointsToAlarm: &datapoints}},
			Waf: &sm.WafAlarms{WebAclMetricName: name, RuleMetricName: tgID, Region: region, BlockedRequestsThreshold: &threshold,
				PeriodSeconds: &period},
		}
		err := cfg.Validate(id)
		var ve *validate.Error
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Validate returned %T, want *validate.Error: %v", err, err)
		}
		if ve != nil && len(ve.Problems) == 0 {
			t.Fatal("a *validate.Error without problems")
		}
	})
}
