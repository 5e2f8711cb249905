package policy

import (
	"fmt"
	"sort"
)

// Rule describes one check of the rule pack. Rules are fixed: the pack is
// what Rules returns.
type Rule struct {
	// ID is the stable identifier used in suppressions and reports, e.g.
	// "HC-SG-001". IDs never contain "." (cdktf splits override paths on it).
	ID string
	// Severity ranks the rule; findings at or above a threshold fail a run.
	Severity Severity
	// Title is the one-line summary.
	Title string
	// Checklist is the line of the seed's "Security Best Practices
	// Checklist" the rule enforces, as "Section: line".
	Checklist string
	// Trivy lists the equivalent trivy check IDs ("AWS-0107"; trivy's AVD
	// IDs are these with an "AVD-" prefix). Empty when trivy has none.
	Trivy []string
	// Checkov lists the equivalent checkov check IDs ("CKV_AWS_24").
	Checkov []string
	// CdkNag lists the equivalent cdk-nag AwsSolutions rule IDs
	// ("AwsSolutions-EC23").
	CdkNag []string
	// Fix says in one line how to fix a finding.
	Fix string
	// ResourceTypes are the Terraform resource types the rule reports on.
	ResourceTypes []string
}

// Checklist lines of the seed document, as "Section: line".
const (
	checklistPrivateSubnets  = "Network Security: ECS tasks in private subnets"
	checklistLeastPrivSG     = "Network Security: Security groups use least privilege"
	checklistNoInternet      = "Network Security: No direct internet access to containers"
	checklistFlowLogs        = "Network Security: VPC Flow Logs enabled"
	checklistIAMMinimal      = "Access Control: IAM roles use minimal permissions"
	checklistNoCredentials   = "Access Control: No hardcoded credentials"
	checklistResourceBased   = "Access Control: Resource-based access control"
	checklistAtRest          = "Data Protection: Encryption at rest enabled"
	checklistInTransit       = "Data Protection: Encryption in transit configured"
	checklistSecrets         = "Data Protection: Secrets properly managed"
	checklistStateFiles      = "Data Protection: State files secured"
	checklistImagesScanned   = "Container Security: Images regularly scanned"
	checklistNonRoot         = "Container Security: Non-root container users"
	checklistCloudWatch      = "Monitoring & Auditing: CloudWatch monitoring enabled"
	checklistCloudTrail      = "Monitoring & Auditing: CloudTrail logging configured"
	checklistSecurityAlerts  = "Monitoring & Auditing: Security alerts configured"
	checklistSecurityPatches = "Container Security: Security patches applied"
)

type checkFunc func(c *checkContext, s *stack) []hit

// hit is one failed check on one resource.
type hit struct {
	r   *resource
	msg string
}

type ruleDef struct {
	Rule
	check checkFunc
}

// pack is the rule pack, in report order.
var pack = []ruleDef{
	// S3
	{Rule{ID: "HC-S3-001", Severity: High, Title: "S3 bucket without a complete public access block",
		Checklist:     checklistResourceBased,
		Trivy:         []string{"AWS-0086", "AWS-0087", "AWS-0091", "AWS-0093", "AWS-0094"},
		Checkov:       []string{"CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"},
		CdkNag:        []string{"AwsSolutions-S2"},
		Fix:           "add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true",
		ResourceTypes: []string{"aws_s3_bucket"}}, checkS3PublicAccessBlock},
	{Rule{ID: "HC-S3-002", Severity: High, Title: "S3 bucket not encrypted with a customer managed KMS key",
		Checklist: checklistAtRest,
		Trivy:     []string{"AWS-0132"}, Checkov: []string{"CKV_AWS_145"},
		Fix:           "add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm \"aws:kms\" and kms_master_key_id set to a customer managed key",
		ResourceTypes: []string{"aws_s3_bucket"}}, checkS3Encryption},
	{Rule{ID: "HC-S3-003", Severity: High, Title: "State or log bucket without versioning",
		Checklist: checklistStateFiles,
		Trivy:     []string{"AWS-0090"}, Checkov: []string{"CKV_AWS_21"},
		Fix:           "add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status \"Enabled\"",
		ResourceTypes: []string{"aws_s3_bucket"}}, checkS3Versioning},
	{Rule{ID: "HC-S3-004", Severity: Medium, Title: "S3 bucket policy does not deny requests without TLS",
		Checklist:     checklistInTransit,
		CdkNag:        []string{"AwsSolutions-S10"},
		Fix:           "add a bucket policy statement that denies s3:* to every principal on the bucket and its objects when aws:SecureTransport is false",
		ResourceTypes: []string{"aws_s3_bucket"}}, checkS3TLSOnly},
	{Rule{ID: "HC-S3-005", Severity: High, Title: "S3 bucket policy allows any principal",
		Checklist:     checklistResourceBased,
		Checkov:       []string{"CKV_AWS_70"},
		Fix:           "name the principals that need access, or restrict the statement with aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID",
		ResourceTypes: []string{"aws_s3_bucket_policy", "aws_s3_bucket"}}, checkS3AnyPrincipal},

	// Security groups and network
	{Rule{ID: "HC-SG-001", Severity: Critical, Title: "SSH or RDP open to the internet",
		Checklist: checklistLeastPrivSG,
		Trivy:     []string{"AWS-0107"}, Checkov: []string{"CKV_AWS_24", "CKV_AWS_25"},
		CdkNag:        []string{"AwsSolutions-EC23"},
		Fix:           "allow 22/3389 only from a known CIDR or security group, or use SSM Session Manager instead of inbound SSH/RDP",
		ResourceTypes: sgRuleTypes}, checkSGAdmin},
	{Rule{ID: "HC-SG-002", Severity: High, Title: "Security group open to the internet on ports other than 80/443",
		Checklist: checklistLeastPrivSG,
		Checkov:   []string{"CKV_AWS_277"}, CdkNag: []string{"AwsSolutions-EC23"},
		Fix:           "allow only 80/443 from 0.0.0.0/0 or ::/0, and only to a load balancer; restrict every other port to known sources",
		ResourceTypes: sgRuleTypes}, checkSGOtherPorts},
	{Rule{ID: "HC-SG-003", Severity: High, Title: "HTTP/HTTPS open to the internet on a group no load balancer uses",
		Checklist:     checklistNoInternet,
		CdkNag:        []string{"AwsSolutions-EC23"},
		Fix:           "put a load balancer in front and open 80/443 only on its security group; allow the targets from that group",
		ResourceTypes: sgRuleTypes}, checkSGWebNotLB},
	{Rule{ID: "HC-VPC-001", Severity: High, Title: "Subnet assigns public IPs on launch",
		Checklist: checklistNoInternet,
		Trivy:     []string{"AWS-0164"}, Checkov: []string{"CKV_AWS_130"},
		Fix:           "set map_public_ip_on_launch = false; give public endpoints a load balancer or an Elastic IP instead",
		ResourceTypes: []string{"aws_subnet", "aws_default_subnet"}}, checkSubnetPublicIP},
	{Rule{ID: "HC-VPC-002", Severity: Medium, Title: "VPC without flow logs",
		Checklist: checklistFlowLogs,
		Trivy:     []string{"AWS-0178"}, Checkov: []string{"CKV2_AWS_11"}, CdkNag: []string{"AwsSolutions-VPC7"},
		Fix:           "add an aws_flow_log with vpc_id set to the VPC (traffic_type ALL) to an encrypted log group or bucket",
		ResourceTypes: []string{"aws_vpc", "aws_default_vpc"}}, checkVPCFlowLogs},
	{Rule{ID: "HC-ECS-001", Severity: High, Title: "ECS service assigns public IPs to its tasks",
		Checklist:     checklistPrivateSubnets,
		Checkov:       []string{"CKV_AWS_333"},
		Fix:           "set network_configuration.assign_public_ip = false and run the tasks in private subnets behind a load balancer",
		ResourceTypes: []string{"aws_ecs_service"}}, checkECSServicePublicIP},

	// Logs and keys
	{Rule{ID: "HC-LOG-001", Severity: Medium, Title: "Log group not encrypted with a KMS key",
		Checklist: checklistAtRest,
		Trivy:     []string{"AWS-0017"}, Checkov: []string{"CKV_AWS_158"},
		Fix:           "set kms_key_id to a customer managed key whose policy lets logs.<region>.amazonaws.com use it",
		ResourceTypes: []string{"aws_cloudwatch_log_group"}}, checkLogGroupKMS},
	{Rule{ID: "HC-LOG-002", Severity: Low, Title: "Log group keeps logs forever",
		Checklist:     checklistCloudWatch,
		Checkov:       []string{"CKV_AWS_66"},
		Fix:           "set retention_in_days (for example 365) so logs expire on purpose",
		ResourceTypes: []string{"aws_cloudwatch_log_group"}}, checkLogGroupRetention},
	{Rule{ID: "HC-KMS-001", Severity: Medium, Title: "KMS key without automatic rotation",
		Checklist: checklistAtRest,
		Trivy:     []string{"AWS-0065"}, Checkov: []string{"CKV_AWS_7"}, CdkNag: []string{"AwsSolutions-KMS5"},
		Fix:           "set enable_key_rotation = true on the symmetric key",
		ResourceTypes: []string{"aws_kms_key"}}, checkKMSRotation},
	{Rule{ID: "HC-KMS-002", Severity: High, Title: "KMS key policy statement without a specific principal",
		Checklist:     checklistResourceBased,
		Checkov:       []string{"CKV_AWS_33"},
		Fix:           "give every Allow statement a Principal naming accounts, roles or services, never \"*\" without a restricting condition",
		ResourceTypes: []string{"aws_kms_key", "aws_kms_key_policy"}}, checkKMSPolicyPrincipal},

	// IAM
	{Rule{ID: "HC-IAM-001", Severity: High, Title: "IAM policy allows every action",
		Checklist: checklistIAMMinimal,
		Checkov:   []string{"CKV_AWS_62", "CKV_AWS_63"}, CdkNag: []string{"AwsSolutions-IAM5"},
		Fix:           "list the actions the principal needs instead of \"*\" (or NotAction, or AdministratorAccess)",
		ResourceTypes: iamPolicyTypes}, checkIAMStarAction},
	{Rule{ID: "HC-IAM-002", Severity: High, Title: "IAM policy allows write actions on every resource",
		Checklist: checklistIAMMinimal,
		Checkov:   []string{"CKV_AWS_290", "CKV_AWS_355"}, CdkNag: []string{"AwsSolutions-IAM5"},
		Fix:           "scope the write actions to the ARNs they act on instead of Resource \"*\"",
		ResourceTypes: iamPolicyTypes}, checkIAMStarResource},
	{Rule{ID: "HC-IAM-003", Severity: Medium, Title: "Service trust policy without aws:SourceAccount",
		Checklist:     checklistIAMMinimal,
		Fix:           "add a Condition StringEquals aws:SourceAccount = <your account> (and aws:SourceArn where the service sends it) to the role's trust policy",
		ResourceTypes: []string{"aws_iam_role"}}, checkIAMTrustSourceAccount},

	// ECR and task definitions
	{Rule{ID: "HC-ECR-001", Severity: High, Title: "ECR repository allows mutable image tags",
		Checklist: checklistImagesScanned,
		Trivy:     []string{"AWS-0031"}, Checkov: []string{"CKV_AWS_51"},
		Fix:           "set image_tag_mutability = \"IMMUTABLE\" so a scanned tag always names the same image",
		ResourceTypes: []string{"aws_ecr_repository"}}, checkECRImmutable},
	{Rule{ID: "HC-ECR-002", Severity: High, Title: "ECR repository does not scan images on push",
		Checklist: checklistImagesScanned,
		Trivy:     []string{"AWS-0030"}, Checkov: []string{"CKV_AWS_163"},
		Fix:           "set image_scanning_configuration.scan_on_push = true (or an aws_ecr_registry_scanning_configuration rule for \"*\")",
		ResourceTypes: []string{"aws_ecr_repository"}}, checkECRScanOnPush},
	{Rule{ID: "HC-ECS-002", Severity: High, Title: "Container runs as root",
		Checklist:     checklistNonRoot,
		Fix:           "set the container's \"user\" to a non-root UID:GID (for example \"1000:1000\") that the image supports",
		ResourceTypes: []string{"aws_ecs_task_definition"}}, checkTaskRoot},
	{Rule{ID: "HC-ECS-003", Severity: High, Title: "Container runs privileged",
		Checklist:     checklistNonRoot,
		Checkov:       []string{"CKV_AWS_334"},
		Fix:           "remove \"privileged\": true; add only the Linux capabilities the container needs",
		ResourceTypes: []string{"aws_ecs_task_definition"}}, checkTaskPrivileged},
	{Rule{ID: "HC-ECS-004", Severity: Medium, Title: "Container root filesystem is writable",
		Checklist:     checklistNonRoot,
		Checkov:       []string{"CKV_AWS_336"},
		Fix:           "set \"readonlyRootFilesystem\": true and mount a volume for the paths the app writes (for example /tmp)",
		ResourceTypes: []string{"aws_ecs_task_definition"}}, checkTaskReadOnlyRoot},
	{Rule{ID: "HC-ECS-005", Severity: Medium, Title: "Container image is not pinned",
		Checklist:     checklistSecurityPatches,
		Fix:           "name the image by an immutable version tag or an @sha256: digest, never :latest or no tag",
		ResourceTypes: []string{"aws_ecs_task_definition"}}, checkTaskImagePinned},
	{Rule{ID: "HC-ECS-006", Severity: Critical, Title: "Credentials in plain container environment",
		Checklist:     checklistNoCredentials,
		Trivy:         []string{"AWS-0036"},
		Fix:           "move the value to Secrets Manager or SSM Parameter Store and pass it in the container's \"secrets\" (valueFrom)",
		ResourceTypes: []string{"aws_ecs_task_definition"}}, checkTaskPlainSecrets},
	{Rule{ID: "HC-ECS-007", Severity: Low, Title: "ECS cluster without Container Insights",
		Checklist: checklistCloudWatch,
		Trivy:     []string{"AWS-0034"}, Checkov: []string{"CKV_AWS_65"}, CdkNag: []string{"AwsSolutions-ECS4"},
		Fix:           "add setting { name = \"containerInsights\", value = \"enabled\" } to the cluster",
		ResourceTypes: []string{"aws_ecs_cluster"}}, checkECSContainerInsights},

	// Load balancers and WAF
	{Rule{ID: "HC-LB-001", Severity: High, Title: "Load balancer is internet-facing",
		Checklist:     checklistNoInternet,
		Trivy:         []string{"AWS-0053"},
		Fix:           "set internal = true, or keep it public on purpose: suppress with the reason and the compensating controls (WAF, TLS-only listeners, narrow ingress)",
		ResourceTypes: lbTypes}, checkLBPublic},
	{Rule{ID: "HC-LB-002", Severity: Critical, Title: "Load balancer serves plain HTTP",
		Checklist: checklistInTransit,
		Trivy:     []string{"AWS-0054"}, Checkov: []string{"CKV_AWS_2"},
		Fix:           "make every HTTP listener (and its rules) a redirect to HTTPS (status HTTP_301) and forward only from HTTPS listeners",
		ResourceTypes: []string{"aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule"}}, checkLBPlainHTTP},
	{Rule{ID: "HC-LB-003", Severity: Critical, Title: "Listener allows outdated TLS",
		Checklist: checklistInTransit,
		Trivy:     []string{"AWS-0047"}, Checkov: []string{"CKV_AWS_103"},
		Fix:           "set ssl_policy to a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06",
		ResourceTypes: []string{"aws_lb_listener", "aws_alb_listener"}}, checkLBTLSPolicy},
	{Rule{ID: "HC-LB-004", Severity: High, Title: "Application load balancer keeps invalid HTTP headers",
		Checklist: checklistInTransit,
		Trivy:     []string{"AWS-0052"}, Checkov: []string{"CKV_AWS_131"},
		Fix:           "set drop_invalid_header_fields = true",
		ResourceTypes: lbTypes}, checkLBDropInvalidHeaders},
	{Rule{ID: "HC-LB-005", Severity: Medium, Title: "Load balancer without access logs",
		Checklist: checklistCloudWatch,
		Checkov:   []string{"CKV_AWS_91"}, CdkNag: []string{"AwsSolutions-ELB2"},
		Fix:           "set access_logs { bucket = <log bucket>, enabled = true }",
		ResourceTypes: lbTypes}, checkLBAccessLogs},
	{Rule{ID: "HC-WAF-001", Severity: High, Title: "Internet-facing ALB without a WAF web ACL",
		Checklist:     checklistNoInternet,
		Checkov:       []string{"CKV2_AWS_28"},
		Fix:           "associate a WAFv2 web ACL with the load balancer (aws_wafv2_web_acl_association with resource_arn = the ALB's ARN)",
		ResourceTypes: lbTypes}, checkLBWAF},

	// CloudTrail and SNS
	{Rule{ID: "HC-CT-001", Severity: Medium, Title: "CloudTrail trail is not multi-region",
		Checklist: checklistCloudTrail,
		Trivy:     []string{"AWS-0014"}, Checkov: []string{"CKV_AWS_67"},
		Fix:           "set is_multi_region_trail = true",
		ResourceTypes: []string{"aws_cloudtrail"}}, checkTrailMultiRegion},
	{Rule{ID: "HC-CT-002", Severity: High, Title: "CloudTrail log file validation is off",
		Checklist: checklistCloudTrail,
		Trivy:     []string{"AWS-0016"}, Checkov: []string{"CKV_AWS_36"},
		Fix:           "set enable_log_file_validation = true",
		ResourceTypes: []string{"aws_cloudtrail"}}, checkTrailValidation},
	{Rule{ID: "HC-CT-003", Severity: High, Title: "CloudTrail logs not encrypted with a KMS key",
		Checklist: checklistCloudTrail,
		Trivy:     []string{"AWS-0015"}, Checkov: []string{"CKV_AWS_35"},
		Fix:           "set kms_key_id to a customer managed key whose policy lets cloudtrail.amazonaws.com use it",
		ResourceTypes: []string{"aws_cloudtrail"}}, checkTrailKMS},
	{Rule{ID: "HC-SNS-001", Severity: High, Title: "SNS topic not encrypted with a customer managed KMS key",
		Checklist: checklistSecurityAlerts,
		Trivy:     []string{"AWS-0095", "AWS-0136"}, Checkov: []string{"CKV_AWS_26"},
		Fix:           "set kms_master_key_id to a customer managed key whose policy lets the publishing services use it",
		ResourceTypes: []string{"aws_sns_topic"}}, checkSNSKMS},
}

var (
	sgRuleTypes    = []string{"aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"}
	lbTypes        = []string{"aws_lb", "aws_alb"}
	iamPolicyTypes = []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role", "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"}
)

var byID = func() map[string]*ruleDef {
	m := map[string]*ruleDef{}
	for i := range pack {
		if _, dup := m[pack[i].ID]; dup {
			panic(fmt.Sprintf("policy: duplicate rule ID %s", pack[i].ID))
		}
		m[pack[i].ID] = &pack[i]
	}
	return m
}()

// Rules returns the rule pack, ordered by family as in the README table.
// The slices inside each Rule are copies, safe to modify.
func Rules() []Rule {
	out := make([]Rule, len(pack))
	for i, d := range pack {
		out[i] = d.Rule.clone()
	}
	return out
}

// LookupRule returns the rule with the given ID.
func LookupRule(id string) (Rule, bool) {
	d, ok := byID[id]
	if !ok {
		return Rule{}, false
	}
	return d.Rule.clone(), true
}

func (r Rule) clone() Rule {
	cp := func(s []string) []string {
		if s == nil {
			return nil
		}
		return append([]string(nil), s...)
	}
	r.Trivy, r.Checkov, r.CdkNag, r.ResourceTypes = cp(r.Trivy), cp(r.Checkov), cp(r.CdkNag), cp(r.ResourceTypes)
	return r
}

// ruleIDs lists every rule ID, sorted, for error messages.
func ruleIDs() []string {
	ids := make([]string, 0, len(pack))
	for _, d := range pack {
		ids = append(ids, d.ID)
	}
	sort.Strings(ids)
	return ids
}
