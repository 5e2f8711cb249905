package securevpc

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching optional config field is nil (or an
// empty string).
const (
	// DefaultCidrBlock is the VPC's IPv4 CIDR block.
	DefaultCidrBlock = "10.0.0.0/16"
	// DefaultPublicSubnetPrefixLength is the prefix length of each public
	// subnet (/24: 251 usable addresses, plenty for ALB and NAT ENIs).
	DefaultPublicSubnetPrefixLength = 24
	// DefaultPrivateSubnetPrefixLength is the prefix length of each private
	// subnet (/20: 4091 usable addresses; every awsvpc task takes one).
	DefaultPrivateSubnetPrefixLength = 20
	// DefaultIsolatedSubnetPrefixLength is the prefix length of each isolated
	// subnet (/24).
	DefaultIsolatedSubnetPrefixLength = 24
	// DefaultFlowLogRetentionInDays is the flow-log group retention (days).
	DefaultFlowLogRetentionInDays = 365
	// DefaultFlowLogMaxAggregationIntervalSeconds is the flow-log
	// aggregation interval (seconds).
	DefaultFlowLogMaxAggregationIntervalSeconds = 600
	// FlowLogKeyDeletionWindowInDays is the deletion window of the flow-log
	// KMS key (days).
	FlowLogKeyDeletionWindowInDays = 30
	// DefaultNetworkAclRuleQuota is how many rules a network ACL may hold
	// per direction (inbound, outbound) unless the account's quota was
	// raised ("Rules per network ACL", adjustable up to
	// MaxNetworkAclRuleQuota).
	// See https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
	DefaultNetworkAclRuleQuota = 20
	// MaxNetworkAclRuleQuota is the highest the per-direction rule quota
	// can be raised to.
	MaxNetworkAclRuleQuota = 40
	// AllowRulesPerDirection is how many allow rules each tier's ACL keeps
	// per direction (TCP, UDP, ICMP); the deny list gets the rest of the
	// quota.
	AllowRulesPerDirection = 3
	// MaxDenyCidrBlocks is how many CIDRs the deny list (static entries plus
	// the Terraform variable's) may hold with the default rule quota:
	// DefaultNetworkAclRuleQuota - AllowRulesPerDirection.
	MaxDenyCidrBlocks = DefaultNetworkAclRuleQuota - AllowRulesPerDirection
	// MinAvailabilityZones is the fewest AZs a SecureVpc spans.
	MinAvailabilityZones = 2
	// MaxAvailabilityZones is the most AZs a SecureVpc spans (the largest
	// region, us-east-1, has 6).
	MaxAvailabilityZones = 6
	// MinPrefixLength and MaxPrefixLength bound the IPv4 prefix length of
	// a VPC and of its subnets (/16 to /28).
	// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
	MinPrefixLength = validate.VPCMinPrefixLength
	MaxPrefixLength = validate.VPCMaxPrefixLength
)

// NatGatewayMode says how many NAT gateways the VPC gets.
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
type NatGatewayMode string

const (
	// NatGatewayPerAz puts one NAT gateway (and Elastic IP) in the public
	// subnet of every AZ; each AZ's private route table uses its own, so
	// losing an AZ does not cut the others' egress. The default.
	NatGatewayPerAz NatGatewayMode = "PER_AZ"
	// NatGatewaySingle puts one NAT gateway in the first AZ and routes every
	// private subnet through it: cheaper, but egress of every AZ fails with
	// that AZ (and crosses AZs, which costs data transfer).
	NatGatewaySingle NatGatewayMode = "SINGLE"
	// NatGatewayNone creates no NAT gateway: private subnets have no default
	// route and reach AWS only through the VPC endpoints.
	NatGatewayNone NatGatewayMode = "NONE"
)

// Flow-log destination types, Terraform's log_destination_type values.
const (
	// FlowLogDestinationCloudWatchLogs delivers to an encrypted log group
	// the construct creates. The default.
	FlowLogDestinationCloudWatchLogs = "cloud-watch-logs"
	// FlowLogDestinationS3 delivers to an S3 bucket (FlowLogsConfig.Bucket
	// or FlowLogsConfig.LogDestination).
	FlowLogDestinationS3 = "s3"
)

// Flow-log file formats of an S3 destination (destination_options).
const (
	FlowLogFileFormatPlainText = "plain-text"
	FlowLogFileFormatParquet   = "parquet"
)

// DefaultInterfaceEndpoints are the interface endpoints created unless
// Endpoints.Disabled is set: what an ECS Fargate task needs to pull images
// from ECR (with the S3 gateway endpoint), write logs and read secrets.
var DefaultInterfaceEndpoints = []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"}

// AdditionalInterfaceEndpointServices lists the services accepted in
// Endpoints.AdditionalInterfaceEndpoints (the last part of the endpoint
// service name; see EndpointServiceName).
var AdditionalInterfaceEndpointServices = []string{
	"ec2messages", "ecs", "ecs-agent", "ecs-telemetry", "elasticloadbalancing", "events", "kms", "monitoring",
	"sns", "sqs", "ssm", "ssmmessages", "sts", "xray",
}

// SecureVpcConfig configures NewSecureVpc. Only AccountId, Region and the
// availability zones are required; every other field has a secure default.
// Optional numbers are pointers: nil means the documented default (Go
// 1.26: new(26) sets one). The rules every field must follow are listed in
// rules.go of this package, with the AWS and Terraform pages they follow.
type SecureVpcConfig struct {
	// AccountId is the 12-digit AWS account the VPC deploys to. Required
	// unless Provider has one literal allowed_account_ids entry (then it
	// defaults to it and must be one of them): the flow-log role's trust
	// policy checks aws:SourceAccount and the KMS key policy names the
	// account.
	AccountId string
	// Region is the AWS region, e.g. "eu-west-1": one the AWS provider knows
	// (validate.Region; a typo suggests the nearest). Required unless
	// Provider has a literal region (then it defaults to it and must match
	// it). It also picks the endpoint service names (EndpointServiceName:
	// China regions use "cn.com.amazonaws" for some services).
	Region string
	// Tags are set on every taggable resource the VPC creates, merged by
	// the provider with its default_tags. Keys "Name" and "Tier" are set by
	// the construct and rejected here. Validated with
	// validate.Collector.Tags (at most 50; keys 1-128, values 0-256
	// characters of letters, digits, spaces and _.:/=+-@).
	Tags map[string]string
	// Provider creates every resource and data source with this AWS
	// provider, e.g. an alias for a second region. Default: the stack's
	// default AWS provider.
	Provider cdktf.TerraformProvider
	// Name prefixes the Name tags and names the flow-log log group
	// ("/aws/vpc/flow-logs/<Name>"), KMS alias ("alias/<Name>-vpc-flow-logs")
	// and IAM role ("<Name>-flow-logs-*") and the endpoint security group
	// ("<Name>-endpoints-*"). 1-27 letters, digits, '-' and '_', not
	// starting with "sg-" (EC2 reserves it for security group names); unique
	// per account and region (two constructs of one app with the same Name
	// are an error). Default: validate.NameFromID(id), the construct id in
	// lowercase with other characters as '-', which must then follow this
	// rule too (the error names the field "id").
	Name string
	// CidrBlock is the VPC's IPv4 CIDR block, /16 to /28, without host bits
	// (a literal: the subnets are computed from it). Default "10.0.0.0/16".
	// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
	CidrBlock string

	// AvailabilityZones lists the AZ names, e.g. ["eu-west-1a",
	// "eu-west-1b"]: at least 2, at most 6, no duplicates, all in Region
	// (elements may be tokens, which Terraform checks). Subnet IDs are
	// exposed in this order. Either this or AvailabilityZoneCount is
	// required; the explicit list keeps plans offline and stable.
	AvailabilityZones []string
	// AvailabilityZoneCount, when AvailabilityZones is empty, reads the
	// region's available AZs (opt-in-not-required, so no Local Zones) from
	// the aws_availability_zones data source and uses the first
	// AvailabilityZoneCount of them (2-6). A postcondition fails the plan if
	// the region has fewer. nil: AvailabilityZones is required.
	// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/availability_zones
	AvailabilityZoneCount *int

	// PublicSubnetPrefixLength is the prefix length (16-28 bits) of each
	// public subnet. nil: DefaultPublicSubnetPrefixLength (24).
	PublicSubnetPrefixLength *int
	// PrivateSubnetPrefixLength is the prefix length (16-28 bits) of each
	// private subnet. nil: DefaultPrivateSubnetPrefixLength (20).
	PrivateSubnetPrefixLength *int
	// IsolatedSubnets adds the isolated tier (subnets with no route out of
	// the VPC, for data stores). Default false.
	IsolatedSubnets bool
	// IsolatedSubnetPrefixLength is the prefix length (16-28 bits) of each
	// isolated subnet. nil: DefaultIsolatedSubnetPrefixLength (24). Only
	// with IsolatedSubnets.
	IsolatedSubnetPrefixLength *int
	// PublicSubnetCidrs, PrivateSubnetCidrs and IsolatedSubnetCidrs pin a
	// tier's subnet CIDRs, one per AZ in AZ order, instead of computing them
	// (use them to keep an existing layout, or to add an AZ without
	// renumbering). A pinned tier must not also set its prefix length. Each
	// CIDR must be a literal, lie in CidrBlock, be /16-/28 and overlap no
	// other subnet.
	//
	// Computed subnets are placed tier by tier (public, private, isolated),
	// AZ by AZ, each in the lowest free block of its size. Changing the AZs,
	// a prefix length or CidrBlock therefore renumbers (replaces) subnets.
	PublicSubnetCidrs []string
	// PrivateSubnetCidrs: see PublicSubnetCidrs.
	PrivateSubnetCidrs []string
	// IsolatedSubnetCidrs: see PublicSubnetCidrs. Only with IsolatedSubnets.
	IsolatedSubnetCidrs []string

	// NatGateways is NatGatewayPerAz (default), NatGatewaySingle or
	// NatGatewayNone. NatGatewayNone needs the VPC endpoints.
	NatGateways NatGatewayMode

	// PermissionsBoundary is the ARN of a managed IAM policy set as the
	// permissions boundary of every IAM role the construct creates (the
	// flow-log delivery role), as organisations that require one on every
	// role demand. It must be a policy of AccountId, or an AWS managed
	// policy (account "aws"). Default: none.
	// See https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
	PermissionsBoundary string

	// FlowLogs configures VPC flow logs (on by default).
	FlowLogs FlowLogsConfig
	// NetworkAcls configures the optional per-tier network ACLs and their
	// deny list.
	NetworkAcls NetworkAclsConfig
	// Endpoints configures the VPC endpoints (on by default).
	Endpoints EndpointsConfig
}

// FlowLogsConfig configures a VPC's flow log.
// See https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
type FlowLogsConfig struct {
	// Disabled turns flow logs off. Only for a throw-away VPC whose cost must
	// be minimal: without flow logs there is no record of who talked to
	// what, which incident response and GuardDuty-style analysis need.
	// Default false. (ImportedVpcConfig.FlowLogs uses a nil pointer for
	// "no flow log" instead.)
	Disabled bool
	// LogDestinationType is "cloud-watch-logs" (a log group encrypted with
	// a customer-managed KMS key, written by a dedicated IAM role) or "s3".
	// Default: "s3" when Bucket or LogDestination is set, else
	// "cloud-watch-logs".
	LogDestinationType string
	// KmsKey encrypts the flow-log group with this key instead of a new
	// one (bring your own key, "cloud-watch-logs" only). The construct adds
	// the statement CloudWatch Logs needs for this one log group to the
	// key's policy. The key must be in AccountId and Region. Set at most one
	// of KmsKey and KmsKeyArn.
	KmsKey *securekey.SecureKey
	// KmsKeyArn encrypts the flow-log group with a key managed elsewhere
	// ("cloud-watch-logs" only; a key of AccountId and Region): its key
	// policy must contain the statement FlowLogKeyPolicyStatements lists
	// (CloudWatch Logs of Region for this log group), or log group creation
	// fails at apply.
	KmsKeyArn string
	// Bucket is the S3 destination as a bucket of this app ("s3" only): the
	// construct adds the statements delivery.logs.amazonaws.com needs
	// (FlowLogBucketPolicyStatements) to the bucket's one policy and, when
	// the bucket is encrypted with a securekey.SecureKey, to that key's
	// policy (FlowLogBucketKeyPolicyStatements). A bucket encrypted with a
	// KmsKeyArn key needs those key statements added by the key's owner.
	// Set at most one of Bucket and LogDestination. The bucket may be in
	// another account (the statements name this VPC's account); it must be
	// in the VPC's partition.
	Bucket *securebucket.SecureBucket
	// BucketPrefix is the folder inside Bucket the logs go to, e.g. "vpc/"
	// (letters, digits and !_.'()/-, not starting with '/', at most 512
	// characters; AWS adds "AWSLogs/<account>/vpcflowlogs/..." below it).
	// Only with Bucket; put a folder in the ARN for LogDestination.
	BucketPrefix string
	// LogDestination is the S3 destination as a bucket ARN, optionally
	// with a folder ("arn:aws:s3:::bucket/prefix", the folder of letters,
	// digits and "!_.'()/-"), of the VPC's partition, for a bucket managed
	// elsewhere ("s3" only). Its bucket policy (of whichever account owns
	// it) must contain FlowLogBucketPolicyStatements, or delivery fails. A
	// cdktf token on its own (e.g. *bucket.Arn()) is accepted as is; text
	// around a token is not.
	LogDestination string
	// RetentionInDays is the log group's retention, one of the CloudWatch
	// Logs values (validate.LogRetentionDays; 0, "never expire", is not
	// allowed: every log group of this module has a finite retention).
	// nil: DefaultFlowLogRetentionInDays (365). Only for
	// "cloud-watch-logs".
	RetentionInDays *int
	// TrafficType is "ALL" (default), "ACCEPT" or "REJECT".
	TrafficType string
	// MaxAggregationIntervalSeconds is 600 or 60 (seconds). nil:
	// DefaultFlowLogMaxAggregationIntervalSeconds (600).
	MaxAggregationIntervalSeconds *int
	// FileFormat is the S3 object format, "plain-text" (default) or
	// "parquet" ("s3" only).
	FileFormat string
	// HiveCompatiblePartitions uses Hive-compatible S3 prefixes ("s3"
	// only). Default false.
	HiveCompatiblePartitions bool
	// PerHourPartition partitions S3 objects per hour instead of per day
	// ("s3" only). Default false.
	PerHourPartition bool
}

// NetworkAclsConfig configures one custom network ACL per tier. Network
// ACLs here are a deny list in front of the security groups: each tier's
// ACL denies the listed CIDRs in both directions (rules 1 and up), then
// allows TCP, UDP and ICMP (rules 100, 110, 120; the isolated tier only to
// and from the VPC CIDR). Other IP protocols are not allowed through.
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
type NetworkAclsConfig struct {
	// Enabled creates the per-tier ACLs; the managed default ACL then has no
	// rules (denies everything) and is used by no subnet. Default false:
	// subnets use the managed default ACL, which allows all traffic as
	// AWS's own default does, and security groups do the filtering.
	Enabled bool
	// DenyCidrBlocks are IPv4 CIDRs denied in and out of every tier, e.g. a
	// suspicious address as "203.0.113.7/32" (elements may be tokens).
	// Literal ones must not overlap the VPC CIDR or each other. At most
	// RuleQuota - 3 entries (17 with the default quota), fewer with
	// DenyCidrBlocksVariable. Only with Enabled.
	DenyCidrBlocks []string
	// DenyCidrBlocksVariable, when set, declares a Terraform variable of
	// that name (type list(string), default []) whose CIDRs are denied like
	// DenyCidrBlocks, so responders can block an address with
	// `terraform apply -var '<name>=["203.0.113.7/32"]'` and no code change.
	// Terraform validates the entries' format and count. It must be a
	// Terraform identifier and not a name Terraform reserves for variables
	// (validate.VariableName: count, version, source, ...), unique in the
	// stack. Only with Enabled.
	DenyCidrBlocksVariable string
	// RuleQuota is the account's "Rules per network ACL" quota per
	// direction (20-40); the deny list may use all of it but the 3 allow
	// rules. nil: DefaultNetworkAclRuleQuota (20). Only with Enabled.
	RuleQuota *int
}

// EndpointsConfig configures the VPC endpoints. All interface endpoints sit
// in the private subnets with private DNS on and share one security group
// that allows TCP 443 only from the VPC CIDR (and from the security groups
// given to AllowEndpointAccessFrom).
// See https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
type EndpointsConfig struct {
	// Disabled creates no endpoint. Only when every AWS call may leave
	// through NAT: tasks then need NAT for ECR and logs, and that traffic
	// leaves the VPC. Not allowed with NatGatewayNone. Default false.
	Disabled bool
	// AdditionalInterfaceEndpoints adds interface endpoints for these
	// services (from AdditionalInterfaceEndpointServices, e.g. "sts", "kms",
	// "ssm"), after DefaultInterfaceEndpoints.
	AdditionalInterfaceEndpoints []string
}
