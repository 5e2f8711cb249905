package securitymonitoring

// CisFilter is one CIS AWS Foundations Benchmark "log metric filter and
// alarm" recommendation: a CloudWatch Logs filter pattern over the CloudTrail
// log group, the metric it counts into, and the alarm on that metric.
type CisFilter struct {
	// Control is the CIS AWS Foundations Benchmark v1.5-v3.0 recommendation
	// number (section 4 "Monitoring"; 3.x in v1.2-v1.4).
	Control string
	// ID is the construct ID and the suffix of the filter and alarm names.
	ID string
	// MetricName is the CloudWatch metric the filter counts into.
	MetricName string
	// Pattern is the CloudWatch Logs filter pattern.
	Pattern string
	// Description becomes the alarm description.
	Description string
}

// CisFilters are the metric filters NewSecurityMonitoring creates on the
// CloudTrail log group, one alarm each, in this order. The patterns are the
// CIS AWS Foundations Benchmark's (v1.5.0 through v3.0.0, section 4), with
// two deliberate choices:
//
//   - 4.1 keeps the benchmark's exclusions of delivery.logs.amazonaws.com and
//     HeadBucket, with explicit parentheses around the errorCode alternatives
//     so that the exclusions apply to both (the benchmark's text leaves the
//     precedence of || and && to the reader);
//   - 4.2 uses the benchmark's variant that counts only successful IAM-user
//     sign-ins, so federated (SSO) console sessions, whose MFA happens at the
//     identity provider, do not alarm.
//
// See https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
// and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html
var CisFilters = []CisFilter{
	{
		Control:     "4.1",
		ID:          "cis-unauthorized-api-calls",
		MetricName:  "UnauthorizedAPICalls",
		Pattern:     `{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`,
		Description: "CIS 4.1: unauthorized API calls (UnauthorizedOperation or AccessDenied) were made.",
	},
	{
		Control:     "4.2",
		ID:          "cis-console-signin-without-mfa",
		MetricName:  "ConsoleSignInWithoutMfa",
		Pattern:     `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
		Description: "CIS 4.2: an IAM user signed in to the console without MFA.",
	},
	{
		Control:     "4.3",
		ID:          "cis-root-account-usage",
		MetricName:  "RootAccountUsage",
		Pattern:     `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		Description: "CIS 4.3: the root user was used.",
	},
	{
		Control:     "4.4",
		ID:          "cis-iam-policy-changes",
		MetricName:  "IAMPolicyChanges",
		Pattern:     `{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }`,
		Description: "CIS 4.4: an IAM policy was created, changed, attached or detached.",
	},
	{
		Control:     "4.5",
		ID:          "cis-cloudtrail-config-changes",
		MetricName:  "CloudTrailConfigChanges",
		Pattern:     `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`,
		Description: "CIS 4.5: a CloudTrail trail was created, changed, deleted, started or stopped.",
	},
	{
		Control:     "4.6",
		ID:          "cis-console-auth-failures",
		MetricName:  "ConsoleAuthenticationFailures",
		Pattern:     `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
		Description: "CIS 4.6: console sign-in attempts failed authentication.",
	},
	{
		Control:     "4.7",
		ID:          "cis-kms-key-disable-or-deletion",
		MetricName:  "KmsKeyDisableOrScheduledDeletion",
		Pattern:     `{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`,
		Description: "CIS 4.7: a customer managed KMS key was disabled or scheduled for deletion.",
	},
	{
		Control:     "4.8",
		ID:          "cis-s3-bucket-policy-changes",
		MetricName:  "S3BucketPolicyChanges",
		Pattern:     `{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`,
		Description: "CIS 4.8: an S3 bucket policy, ACL, CORS, lifecycle or replication configuration was changed.",
	},
	{
		Control:     "4.9",
		ID:          "cis-aws-config-changes",
		MetricName:  "AwsConfigChanges",
		Pattern:     `{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }`,
		Description: "CIS 4.9: the AWS Config recorder or delivery channel was changed or stopped.",
	},
	{
		Control:     "4.10",
		ID:          "cis-security-group-changes",
		MetricName:  "SecurityGroupChanges",
		Pattern:     `{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`,
		Description: "CIS 4.10: a security group or one of its rules was created, changed or deleted.",
	},
	{
		Control:     "4.11",
		ID:          "cis-nacl-changes",
		MetricName:  "NetworkAclChanges",
		Pattern:     `{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`,
		Description: "CIS 4.11: a network ACL or one of its entries was created, changed or deleted.",
	},
	{
		Control:     "4.12",
		ID:          "cis-network-gateway-changes",
		MetricName:  "NetworkGatewayChanges",
		Pattern:     `{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`,
		Description: "CIS 4.12: an internet or customer gateway was created, attached, detached or deleted.",
	},
	{
		Control:     "4.13",
		ID:          "cis-route-table-changes",
		MetricName:  "RouteTableChanges",
		Pattern:     `{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`,
		Description: "CIS 4.13: a route or route table was created, changed or deleted.",
	},
	{
		Control:     "4.14",
		ID:          "cis-vpc-changes",
		MetricName:  "VpcChanges",
		Pattern:     `{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`,
		Description: "CIS 4.14: a VPC or VPC peering connection was created, changed or deleted.",
	},
	{
		Control:     "4.15",
		ID:          "cis-organizations-changes",
		MetricName:  "OrganizationsChanges",
		Pattern:     `{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }`,
		Description: "CIS 4.15: AWS Organizations was changed.",
	},
}
