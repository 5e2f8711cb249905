package securitymonitoring

import (
	"fmt"
	"slices"

	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// MaxTopicPolicyBytes is SNS's topic policy size limit (30 KiB).
// See https://docs.aws.amazon.com/general/latest/gr/sns.html#limits_sns
const MaxTopicPolicyBytes = 30720

// The statements the construct writes into the key, bucket and topic
// policies. Each follows the AWS page linked at its function. Statements
// added to a resource the construct did not create (a brought SecureKey or
// SecureBucket, which other constructs may share) get the construct's Name
// in their Sid, so two SecurityMonitorings can use one key or bucket.

// sid returns base, or base followed by Name (policydoc.SidPart) for a
// statement in a policy the construct does not own.
func sid(c SecurityMonitoringConfig, base string, shared bool) string {
	if !shared {
		return base
	}
	return base + policydoc.SidPart(c.Name)
}

// logsPrincipal is the regional CloudWatch Logs service principal, as the
// AWS provider's aws_service_principal composes it (the partition's DNS
// suffix: "logs.cn-north-1.amazonaws.com.cn" in China).
func logsPrincipal(region string) string {
	return "logs." + region + "." + validate.DNSSuffix(validate.PartitionOf(region))
}

// trailKeyStatements are the trail key's statements: CloudTrail encrypts
// this trail's log files (encryption context of this account's trails),
// decrypts for the bucket's S3 Bucket Key and describes the key; CloudWatch
// Logs of Region encrypts the trail log group.
// See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// and https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func trailKeyStatements(c SecurityMonitoringConfig) []iampolicy.Statement {
	partition := iampolicy.Partition(c.Region)
	shared := c.TrailKmsKey != nil || c.TrailKmsKeyArn != ""
	sourceArn := map[string]any{"aws:SourceArn": TrailArnFor(c)}
	logGroupArn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", partition, c.Region, c.AccountId, c.LogGroupName)
	return []iampolicy.Statement{
		{
			Sid:       sid(c, "AllowCloudTrailEncryptLogs", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"StringEquals": sourceArn,
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": fmt.Sprintf("arn:%s:cloudtrail:*:%s:trail/*", partition, c.AccountId)},
			},
		},
		{
			// The bucket uses an S3 Bucket Key, for which CloudTrail needs
			// kms:Decrypt when it creates or updates the trail.
			Sid:       sid(c, "AllowCloudTrailDecryptForBucketKey", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"StringEquals": sourceArn},
		},
		{
			Sid:       sid(c, "AllowCloudTrailDescribeKey", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"kms:DescribeKey"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"StringEquals": sourceArn},
		},
		{
			// Narrower than securekey.LogsStatement with ArnLike: this log group only.
			Sid:       sid(c, "AllowCloudWatchLogsTrailLogGroup", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service(logsPrincipal(c.Region)),
			Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": logGroupArn}},
		},
	}
}

// bucketStatements are CloudTrail's statements of the trail bucket's
// policy: read the bucket ACL and write this account's log files, for this
// trail only.
// See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func bucketStatements(c SecurityMonitoringConfig, bucketArn string) []iampolicy.Statement {
	shared := !c.createsBucket()
	trailArn := TrailArnFor(c)
	return []iampolicy.Statement{
		{
			Sid:       sid(c, "AWSCloudTrailAclCheck", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:GetBucketAcl"},
			Resource:  []string{bucketArn},
			Condition: map[string]map[string]any{"StringEquals": {"aws:SourceArn": trailArn}},
		},
		{
			Sid:       sid(c, "AWSCloudTrailWrite", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/AWSLogs/" + c.AccountId + "/*"},
			Condition: map[string]map[string]any{"StringEquals": {
				"aws:SourceArn": trailArn,
				"s3:x-amz-acl":  "bucket-owner-full-control",
			}},
		},
	}
}

// accessLogsPrefix is the key prefix of the trail bucket's server access
// logs in the log bucket.
func accessLogsPrefix(c SecurityMonitoringConfig) string { return "s3-access/" + c.S3BucketName + "/" }

// accessLogsStatement lets S3 server access logging write the trail
// bucket's logs under their prefix of the log bucket.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
func accessLogsStatement(c SecurityMonitoringConfig, logBucketArn, trailBucketArn string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:       sid(c, "S3ServerAccessLogsOfTrailBucket", true),
		Effect:    "Allow",
		Principal: iampolicy.Service("logging.s3.amazonaws.com"),
		Action:    []string{"s3:PutObject"},
		Resource:  []string{logBucketArn + "/" + accessLogsPrefix(c) + "*"},
		Condition: map[string]map[string]any{
			"ArnLike":      {"aws:SourceArn": trailBucketArn},
			"StringEquals": {"aws:SourceAccount": c.AccountId},
		},
	}
}

// alarmSources are the conditions under which CloudWatch may publish: this
// construct's alarms (by name prefix) of this account.
func alarmSources(c SecurityMonitoringConfig) map[string]map[string]any {
	return map[string]map[string]any{
		"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s-*", iampolicy.Partition(c.Region), c.Region, c.AccountId, c.Name)},
		"StringEquals": {"aws:SourceAccount": c.AccountId},
	}
}

// alarmKeyStatements let CloudWatch alarms and EventBridge use the alarm
// topic's key when they publish.
// See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
func alarmKeyStatements(c SecurityMonitoringConfig) []iampolicy.Statement {
	shared := c.AlarmKmsKey != nil || c.AlarmKmsKeyArn != ""
	return []iampolicy.Statement{
		{
			Sid:       sid(c, "AllowCloudWatchAlarmsToPublish", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: alarmSources(c),
		},
		{
			// EventBridge's calls to KMS for an encrypted SNS target carry
			// no aws:SourceArn/aws:SourceAccount, so no condition here; the
			// topic policy limits EventBridge to the findings rule.
			Sid:       sid(c, "AllowEventBridgeToPublish", shared),
			Effect:    "Allow",
			Principal: iampolicy.Service("events.amazonaws.com"),
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
		},
	}
}

// topicStatements start the alarm topic's policy: this construct's alarms
// and the findings rule may publish, nobody without TLS.
// See https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
func topicStatements(c SecurityMonitoringConfig, topicArn string) []iampolicy.Statement {
	ruleArn := fmt.Sprintf("arn:%s:events:%s:%s:rule/%s", iampolicy.Partition(c.Region), c.Region, c.AccountId, FindingsRuleName(c))
	return []iampolicy.Statement{
		{
			Sid:       "AllowCloudWatchAlarmsToPublish",
			Effect:    "Allow",
			Principal: iampolicy.Service("cloudwatch.amazonaws.com"),
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
			Condition: alarmSources(c),
		},
		{
			Sid:       "AllowGuardDutyFindingsRuleToPublish",
			Effect:    "Allow",
			Principal: iampolicy.Service("events.amazonaws.com"),
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
			Condition: map[string]map[string]any{"ArnEquals": {"aws:SourceArn": ruleArn}},
		},
		{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: iampolicy.AnyPrincipal,
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
		},
	}
}

// AddToAlarmTopicPolicy adds statements to the alarm topic's one policy
// (aws_sns_topic_policy AlarmTopicPolicy) and re-sets its policy attribute,
// so there is never a second topic policy that would silently replace the
// first. A statement identical to one already in the policy is added once.
// It returns a *validate.Error, and changes nothing, when a statement is
// invalid, allows the wildcard principal, reuses a Sid of a different
// statement, or the policy would exceed MaxTopicPolicyBytes.
func (m *SecurityMonitoring) AddToAlarmTopicPolicy(statements ...iampolicy.Statement) error {
	v := validate.New("securitymonitoring.AddToAlarmTopicPolicy")
	if m == nil || m.AlarmTopicPolicy == nil {
		v.Add("SecurityMonitoring", nil, "must be created by NewSecurityMonitoring")
		return v.Err()
	}
	policydoc.Check(v, "statements", m.topicPolicy, MaxTopicPolicyBytes, statements...)
	if err := v.Err(); err != nil {
		return err
	}
	if policydoc.Add(&m.topicPolicy, statements...) {
		m.AlarmTopicPolicy.SetPolicy(stringPtr(m.topicPolicy.JSON()))
	}
	return nil
}

// TopicPolicyDocument returns the alarm topic's policy as it stands (a
// copy).
func (m *SecurityMonitoring) TopicPolicyDocument() iampolicy.Document {
	return iampolicy.New(slices.Clone(m.topicPolicy.Statement)...)
}

// PublishKeyActions are the key actions a publisher to the encrypted alarm
// topic needs.
var PublishKeyActions = []string{"kms:Decrypt", "kms:GenerateDataKey*"}

// GrantPublish lets g publish to the alarm topic (sns:Publish) and use the
// topic's key for it (PublishKeyActions), as AWS CDK's Topic.grantPublish
// does: a role of this app gets inline policies; any other principal gets a
// statement in the topic policy and, when the key is a SecureKey (created
// or AlarmKmsKey), in the key policy. With AlarmKmsKeyArn the key policy is
// managed elsewhere: a role gets an identity-side key statement, any other
// principal only the topic statement (its key access is up to that policy).
func (m *SecurityMonitoring) GrantPublish(g grant.Grantee) ([]*grant.Grant, error) {
	if m == nil || m.AlarmTopic == nil {
		v := validate.New("securitymonitoring.GrantPublish")
		v.Add("SecurityMonitoring", nil, "must be created by NewSecurityMonitoring")
		return nil, v.Err()
	}
	topicPath := *m.AlarmTopic.Node().Path()
	gr, err := grant.Apply(g, grant.Request{
		Name:                    "sns-publish",
		ResourcePath:            topicPath,
		Scope:                   m.AlarmTopic,
		Actions:                 []string{"sns:Publish"},
		Resources:               []string{*m.AlarmTopic.Arn()},
		ResourcePolicyResources: []string{*m.AlarmTopic.Arn()},
		AddToResourcePolicy:     func(s iampolicy.Statement) error { return m.AddToAlarmTopicPolicy(s) },
	})
	if err != nil {
		return nil, err
	}
	out := []*grant.Grant{gr}
	key := m.AlarmKey
	if m.Config.AlarmKmsKey != nil {
		key = m.Config.AlarmKmsKey
	}
	switch {
	case key != nil:
		kg, err := key.Grant(g, "sns-publish-key", PublishKeyActions...)
		if err != nil {
			return nil, err
		}
		out = append(out, kg)
	case g.Role() != nil:
		kg, err := grant.Apply(g, grant.Request{
			Name: "sns-publish-key", ResourcePath: topicPath + "/key", Actions: PublishKeyActions,
			Resources:           []string{*m.AlarmKmsKeyArn},
			AddToResourcePolicy: func(iampolicy.Statement) error { return fmt.Errorf("unreachable: a role grant is identity-side") },
		})
		if err != nil {
			return nil, err
		}
		out = append(out, kg)
	}
	return out, nil
}

func stringPtr(s string) *string { return &s }
