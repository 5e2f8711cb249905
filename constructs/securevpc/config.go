package securevpc

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is zero.
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
	// DefaultFlowLogMaxAggregationInterval is the flow-log aggregation
	// interval (seconds).
	DefaultFlowLogMaxAggregationInterval = 600
	// FlowLogKeyDeletionWindowInDays is the deletion window of the flow-log
	// KMS key (days).
	FlowLogKeyDeletionWindowInDays = 30
	// MaxDenyCidrBlocks is how many CIDRs the deny list (static entries plus
	// the Terraform variable's) may hold: a network ACL has at most 20 rules
	// per direction by default and each tier's ACL keeps 3 allow rules.
	MaxDenyCidrBlocks = 17
	// MinAvailabilityZones is the fewest AZs a SecureVpc spans.
	MinAvailabilityZones = 2
	// MaxAvailabilityZones is the most AZs a SecureVpc spans (the largest
	// region, us-east-1, has 6).
	MaxAvailabilityZones = 6
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
	// FlowLogDestinationS3 delivers to an existing S3 bucket (LogDestination).
	FlowLogDestinationS3 = "s3"
)

// DefaultInterfaceEndpoints are the interface endpoints created unless
// Endpoints.Disabled is set: what an ECS Fargate task needs to pull images
// from ECR (with the S3 gateway endpoint), write logs and read secrets.
var DefaultInterfaceEndpoints = []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"}

// AdditionalInterfaceEndpointServices lists the services accepted in
// Endpoints.AdditionalInterfaceEndpoints (the last part of
// com.amazonaws.<region>.<service>).
var AdditionalInterfaceEndpointServices = []string{
	"ec2messages", "ecs", "ecs-agent", "ecs-telemetry", "elasticloadbalancing", "events", "kms", "monitoring",
	"sns", "sqs", "ssm", "ssmmessages", "sts", "xray",
}

// SecureVpcConfig configures NewSecureVpc. Only AccountId, Region and the
// availability zones are required; every other field has a secure default.
type SecureVpcConfig struct {
	// AccountId is the 12-digit AWS account the VPC deploys to. Required
	// unless Provider has one literal allowed_account_ids entry (then it
	// defaults to it and must be one of them): the flow-log role's trust
	// policy checks aws:SourceAccount and the KMS key policy names the
	// account.
	AccountId string
	// Region is the AWS region, e.g. "us-east-1": one the AWS provider knows
	// (validate.Region; a typo suggests the nearest). Required unless
	// Provider has a literal region (then it defaults to it and must match
	// it).
	Region string
	// Tags are set on every taggable resource the VPC creates, merged by
	// the provider with its default_tags. Keys "Name" and "Tier" are set by
	// the construct and rejected here. Validated with
	// validate.Collector.Tags.
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
	// CidrBlock is the VPC's IPv4 CIDR block, /16 to /28, without host bits.
	// Default "10.0.0.0/16".
	// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
	CidrBlock string

	// AvailabilityZones lists the AZ names, e.g. ["us-east-1a",
	// "us-east-1b"]: at least 2, at most 6, no duplicates, all in Region.
	// Subnet IDs are exposed in this order. Either this or
	// AvailabilityZoneCount is required; the explicit list keeps plans
	// offline and stable.
	AvailabilityZones []string
	// AvailabilityZoneCount, when AvailabilityZones is empty, reads the
	// region's available AZs (opt-in-not-required, so no Local Zones) from
	// the aws_availability_zones data source and uses the first
	// AvailabilityZoneCount of them (2-6). A postcondition fails the plan if
	// the region has fewer.
	// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/availability_zones
	AvailabilityZoneCount int

	// PublicSubnetPrefixLength is the prefix length (/16-/28) of each public
	// subnet. Default 24.
	PublicSubnetPrefixLength int
	// PrivateSubnetPrefixLength is the prefix length (/16-/28) of each
	// private subnet. Default 20.
	PrivateSubnetPrefixLength int
	// IsolatedSubnets adds the isolated tier (subnets with no route out of
	// the VPC, for data stores). Default false.
	IsolatedSubnets bool
	// IsolatedSubnetPrefixLength is the prefix length (/16-/28) of each
	// isolated subnet. Default 24. Only with IsolatedSubnets.
	IsolatedSubnetPrefixLength int
	// PublicSubnetCidrs, PrivateSubnetCidrs and IsolatedSubnetCidrs pin a
	// tier's subnet CIDRs, one per AZ in AZ order, instead of computing them
	// (use them to keep an existing layout, or to add an AZ without
	// renumbering). A pinned tier must not also set its prefix length. Each
	// CIDR must lie in CidrBlock, be /16-/28 and overlap no other subnet.
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

	// FlowLogs configures VPC flow logs (on by default).
	FlowLogs FlowLogsConfig
	// NetworkAcls configures the optional per-tier network ACLs and their
	// deny list.
	NetworkAcls NetworkAclsConfig
	// Endpoints configures the VPC endpoints (on by default).
	Endpoints EndpointsConfig
}

// FlowLogsConfig configures the VPC's flow log.
// See https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
type FlowLogsConfig struct {
	// Disabled turns flow logs off. Only for a throw-away VPC whose cost must
	// be minimal: without flow logs there is no record of who talked to
	// what, which incident response and GuardDuty-style analysis need.
	// Default false.
	Disabled bool
	// LogDestinationType is "cloud-watch-logs" (default: a log group
	// encrypted with a customer-managed KMS key, written by a dedicated IAM
	// role) or "s3".
	LogDestinationType string
	// KmsKey encrypts the flow-log group with this key instead of a new
	// one (bring your own key, "cloud-watch-logs" only). The construct adds
	// the statement CloudWatch Logs needs for this one log group to the
	// key's policy. The key must be in AccountId and Region. Set at most one
	// of KmsKey and KmsKeyArn.
	KmsKey *securekey.SecureKey
	// KmsKeyArn encrypts the flow-log group with a key managed elsewhere
	// ("cloud-watch-logs" only): its key policy must contain the statement
	// SecureVpc.FlowLogKeyPolicyStatements lists (CloudWatch Logs of Region
	// for this log group), or log group creation fails at apply.
	KmsKeyArn string
	// LogDestination is the S3 bucket ARN, optionally with a folder
	// ("arn:aws:s3:::bucket/prefix", the folder of letters, digits and
	// "!_.'()/-"), for LogDestinationType "s3". Required then, rejected
	// otherwise. The bucket policy must let delivery.logs.amazonaws.com
	// write (see the AWS guide on S3 flow logs). A cdktf token on its own
	// (e.g. *bucket.Arn(), "${TfToken[TOKEN.<n>]}") is accepted as is; text
	// around a token is not.
	LogDestination string
	// RetentionInDays is the log group's retention, one of the CloudWatch
	// Logs values (validate.LogRetentionDays). Default 365. Only for
	// "cloud-watch-logs".
	RetentionInDays int
	// TrafficType is "ALL" (default), "ACCEPT" or "REJECT".
	TrafficType string
	// MaxAggregationInterval is 600 (default) or 60 seconds.
	MaxAggregationInterval int
}

// NetworkAclsConfig configures one custom network ACL per tier. Network
// ACLs here are a deny list in front of the security groups: each tier's
// ACL denies the listed CIDRs in both directions (rules 1-17), then allows
// TCP, UDP and ICMP (rules 100, 110, 120; the isolated tier only to and from
// the VPC CIDR). Other IP protocols are not allowed through.
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
type NetworkAclsConfig struct {
	// Enabled creates the per-tier ACLs; the managed default ACL then has no
	// rules (denies everything) and is used by no subnet. Default false:
	// subnets use the managed default ACL, which allows all traffic as
	// AWS's own default does, and security groups do the filtering.
	Enabled bool
	// DenyCidrBlocks are IPv4 CIDRs denied in and out of every tier, e.g. a
	// suspicious address as "203.0.113.7/32". They must not overlap the VPC
	// CIDR. Only with Enabled.
	DenyCidrBlocks []string
	// DenyCidrBlocksVariable, when set, declares a Terraform variable of
	// that name (type list(string), default []) whose CIDRs are denied like
	// DenyCidrBlocks, so responders can block an address with
	// `terraform apply -var '<name>=["203.0.113.7/32"]'` and no code change.
	// Terraform validates the entries' format and count. It must be a
	// Terraform identifier and not a name Terraform reserves for variables
	// (validate.VariableName: count, version, source, ...). Only with Enabled.
	DenyCidrBlocksVariable string
}

// EndpointsConfig configures the VPC endpoints. All interface endpoints sit
// in the private subnets with private DNS on and share one security group
// that allows TCP 443 only from the VPC CIDR.
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

// layout is the validated config plus what was computed from it.
type layout struct {
	cfg      SecureVpcConfig
	vpc      netip.Prefix
	azCount  int
	public   []netip.Prefix
	private  []netip.Prefix
	isolated []netip.Prefix
	// interfaceEndpoints lists every interface endpoint service, in order.
	interfaceEndpoints []string
	// nameFromID is set when Name defaulted from the construct id.
	nameFromID bool
}

var (
	nameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,27}$`)
)

// Validate checks the config as NewSecureVpc(scope, id, cfg) does, without
// creating anything: id is the construct id NewSecureVpc would get. It
// checks id as NewSecureVpc does (the Terraform naming rule, and the Name
// rule when Name is empty, since Name then defaults to id), but cannot know
// whether a scope already has a child named id. It returns nil or a
// *validate.Error listing every problem.
func (cfg *SecureVpcConfig) Validate(id string) error {
	v := validate.New("securevpc.NewSecureVpc")
	cfg.layout(v, id, true)
	return v.Err()
}

// SubnetCidrs returns the subnet CIDRs NewSecureVpc would create, per tier
// in AZ order (isolated is nil without IsolatedSubnets), or the validation
// error.
func (cfg *SecureVpcConfig) SubnetCidrs() (public, private, isolated []string, err error) {
	c := SecureVpcConfig{}
	if cfg != nil {
		c = *cfg
	}
	v := validate.New("securevpc.NewSecureVpc")
	id := c.Name
	if id == "" {
		id = "vpc"
	}
	l := c.layout(v, id, true)
	if err := v.Err(); err != nil {
		return nil, nil, nil, err
	}
	return strs(l.public), strs(l.private), strs(l.isolated), nil
}

func strs(ps []netip.Prefix) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// idRe is the construct-id rule of baseline.CheckScope (cdktf derives
// Terraform names from the id).
var idRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// layout validates cfg into v and computes the subnets; it returns nil when
// v holds a problem afterwards. id is the construct id; Name defaults to it.
// checkID also reports an id that breaks the construct-id rule (the
// constructor leaves that to baseline.CheckScope).
func (cfg *SecureVpcConfig) layout(v *validate.Collector, id string, checkID bool) *layout {
	if checkID {
		v.Check(idRe.MatchString(id), "id", id,
			"must start with a letter or '_' and hold at most 64 letters, digits, '_' and '-' (it becomes part of Terraform resource names)")
	}
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameFromID := false
	nameField, nameRule := "Name", nameRuleText
	if c.Name == "" {
		// Name defaults from the id: report a bad default on id, once (an
		// id that breaks the construct-id rule is reported already).
		c.Name = validate.NameFromID(id)
		nameFromID = true
		nameField, nameRule = "id", "is the default Name (Name is empty), so it "+nameRuleText+"; or set Name"
	}
	if c.CidrBlock == "" {
		c.CidrBlock = DefaultCidrBlock
	}
	if c.PublicSubnetPrefixLength == 0 && len(c.PublicSubnetCidrs) == 0 {
		c.PublicSubnetPrefixLength = DefaultPublicSubnetPrefixLength
	}
	if c.PrivateSubnetPrefixLength == 0 && len(c.PrivateSubnetCidrs) == 0 {
		c.PrivateSubnetPrefixLength = DefaultPrivateSubnetPrefixLength
	}
	if c.IsolatedSubnets && c.IsolatedSubnetPrefixLength == 0 && len(c.IsolatedSubnetCidrs) == 0 {
		c.IsolatedSubnetPrefixLength = DefaultIsolatedSubnetPrefixLength
	}
	if c.NatGateways == "" {
		c.NatGateways = NatGatewayPerAz
	}
	fl := &c.FlowLogs
	if !fl.Disabled {
		if fl.LogDestinationType == "" {
			fl.LogDestinationType = FlowLogDestinationCloudWatchLogs
		}
		if fl.TrafficType == "" {
			fl.TrafficType = "ALL"
		}
		if fl.MaxAggregationInterval == 0 {
			fl.MaxAggregationInterval = DefaultFlowLogMaxAggregationInterval
		}
		if fl.RetentionInDays == 0 && fl.LogDestinationType == FlowLogDestinationCloudWatchLogs {
			fl.RetentionInDays = DefaultFlowLogRetentionInDays
		}
	}
	l := &layout{nameFromID: nameFromID}

	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	regionOK := env.Region != ""
	common.CheckTags(v, "Tags", c.Tags, "Name", "Tier")
	if nameField == "Name" || idRe.MatchString(id) {
		v.Check(nameRe.MatchString(c.Name) && !strings.HasPrefix(strings.ToLower(c.Name), "sg-"), nameField, c.Name, nameRule)
	}

	// VPC CIDR.
	vpcOK := false
	if p, rule := validate.CIDR(c.CidrBlock); rule != "" {
		v.Add("CidrBlock", c.CidrBlock, rule)
	} else if !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 {
		v.Add("CidrBlock", c.CidrBlock, "must be an IPv4 CIDR block between /16 and /28 (VPC limits)")
	} else {
		l.vpc, vpcOK = p, true
	}

	// Availability zones.
	switch {
	case len(c.AvailabilityZones) > 0 && c.AvailabilityZoneCount != 0:
		v.Add("AvailabilityZoneCount", c.AvailabilityZoneCount, "must be 0 when AvailabilityZones is set (use one or the other)")
	case len(c.AvailabilityZones) > 0:
		l.azCount = len(c.AvailabilityZones)
		v.Check(l.azCount >= MinAvailabilityZones && l.azCount <= MaxAvailabilityZones, "AvailabilityZones", c.AvailabilityZones,
			fmt.Sprintf("must list %d to %d availability zones (at least two for availability)", MinAvailabilityZones, MaxAvailabilityZones))
		seen := map[string]bool{}
		for i, az := range c.AvailabilityZones {
			field := fmt.Sprintf("AvailabilityZones[%d]", i)
			if seen[az] {
				v.Add(field, az, "is a duplicate: every subnet tier needs distinct AZs")
			}
			seen[az] = true
			if regionOK {
				v.Rule(field, az, validate.AvailabilityZoneRule(az, c.Region))
			}
		}
	case c.AvailabilityZoneCount != 0:
		l.azCount = c.AvailabilityZoneCount
		v.Check(l.azCount >= MinAvailabilityZones && l.azCount <= MaxAvailabilityZones, "AvailabilityZoneCount", c.AvailabilityZoneCount,
			fmt.Sprintf("must be %d to %d (at least two for availability)", MinAvailabilityZones, MaxAvailabilityZones))
	default:
		v.Add("AvailabilityZones", c.AvailabilityZones, fmt.Sprintf("is required (at least %d AZ names), unless AvailabilityZoneCount is set", MinAvailabilityZones))
	}
	azOK := l.azCount >= MinAvailabilityZones && l.azCount <= MaxAvailabilityZones

	// Subnets.
	if !c.IsolatedSubnets {
		v.Check(c.IsolatedSubnetPrefixLength == 0, "IsolatedSubnetPrefixLength", c.IsolatedSubnetPrefixLength, "is only used with IsolatedSubnets: true")
		v.Check(len(c.IsolatedSubnetCidrs) == 0, "IsolatedSubnetCidrs", c.IsolatedSubnetCidrs, "is only used with IsolatedSubnets: true")
	}
	type tier struct {
		name, field string
		prefix      int
		cidrs       []string
		enabled     bool
		out         *[]netip.Prefix
	}
	tiers := []tier{
		{"public", "Public", c.PublicSubnetPrefixLength, c.PublicSubnetCidrs, true, &l.public},
		{"private", "Private", c.PrivateSubnetPrefixLength, c.PrivateSubnetCidrs, true, &l.private},
		{"isolated", "Isolated", c.IsolatedSubnetPrefixLength, c.IsolatedSubnetCidrs, c.IsolatedSubnets, &l.isolated},
	}
	layoutOK := vpcOK && azOK
	var used []netip.Prefix
	usedBy := map[netip.Prefix]string{}
	// Pinned CIDRs first, so computed tiers are placed around them.
	for _, t := range tiers {
		if !t.enabled || len(t.cidrs) == 0 {
			continue
		}
		field := t.field + "SubnetCidrs"
		if t.prefix != 0 {
			v.Add(t.field+"SubnetPrefixLength", t.prefix, "must be 0 when "+field+" is set (the CIDRs fix the size)")
		}
		if azOK && len(t.cidrs) != l.azCount {
			v.Add(field, t.cidrs, fmt.Sprintf("must list one CIDR per availability zone (%d)", l.azCount))
			layoutOK = false
		}
		for i, s := range t.cidrs {
			f := fmt.Sprintf("%s[%d]", field, i)
			p, rule := validate.CIDR(s)
			switch {
			case rule != "":
				v.Add(f, s, rule)
			case !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28:
				v.Add(f, s, "must be an IPv4 CIDR block between /16 and /28 (subnet limits)")
			case vpcOK && (!l.vpc.Contains(p.Addr()) || p.Bits() < l.vpc.Bits()):
				v.Add(f, s, fmt.Sprintf("must lie inside CidrBlock %s", l.vpc))
			default:
				if other := overlapping(p, used); other.IsValid() {
					v.Add(f, s, fmt.Sprintf("overlaps %s (%s)", other, usedBy[other]))
					layoutOK = false
				} else {
					used = append(used, p)
					usedBy[p] = f
				}
				*t.out = append(*t.out, p)
				continue
			}
			layoutOK = false
		}
	}
	for _, t := range tiers {
		if !t.enabled || len(t.cidrs) > 0 {
			continue
		}
		field := t.field + "SubnetPrefixLength"
		if t.prefix < 16 || t.prefix > 28 {
			v.Add(field, t.prefix, "must be between 16 and 28 (subnet limits)")
			layoutOK = false
			continue
		}
		if vpcOK && t.prefix < l.vpc.Bits() {
			v.Add(field, t.prefix, fmt.Sprintf("must be at least the CidrBlock's prefix length %d: a subnet cannot be larger than its VPC", l.vpc.Bits()))
			layoutOK = false
			continue
		}
		if !layoutOK {
			continue
		}
		for i := 0; i < l.azCount; i++ {
			p, ok := allocate(l.vpc, used, t.prefix)
			if !ok {
				v.Add(field, t.prefix, fmt.Sprintf(
					"the %s subnets do not fit: %d x /%d must fit in CidrBlock %s next to %s; use a larger CidrBlock, fewer AZs or longer prefix lengths",
					t.name, l.azCount, t.prefix, l.vpc, describe(used)))
				layoutOK = false
				break
			}
			used = append(used, p)
			usedBy[p] = fmt.Sprintf("%s subnet %d", t.name, i)
			*t.out = append(*t.out, p)
		}
	}

	// NAT and endpoints.
	v.Check(slices.Contains([]NatGatewayMode{NatGatewayPerAz, NatGatewaySingle, NatGatewayNone}, c.NatGateways), "NatGateways", c.NatGateways,
		`must be "PER_AZ", "SINGLE" or "NONE"`)
	v.Check(!(c.NatGateways == NatGatewayNone && c.Endpoints.Disabled), "Endpoints.Disabled", c.Endpoints.Disabled,
		"must be false with NatGateways NONE: the private subnets would have no way to reach ECR, CloudWatch Logs or Secrets Manager")
	if c.Endpoints.Disabled {
		v.Check(len(c.Endpoints.AdditionalInterfaceEndpoints) == 0, "Endpoints.AdditionalInterfaceEndpoints", c.Endpoints.AdditionalInterfaceEndpoints,
			"is only used when the endpoints are enabled")
	} else {
		l.interfaceEndpoints = slices.Clone(DefaultInterfaceEndpoints)
		for i, s := range c.Endpoints.AdditionalInterfaceEndpoints {
			f := fmt.Sprintf("Endpoints.AdditionalInterfaceEndpoints[%d]", i)
			switch {
			case !slices.Contains(AdditionalInterfaceEndpointServices, s):
				v.Add(f, s, fmt.Sprintf("must be one of %v", AdditionalInterfaceEndpointServices))
			case slices.Contains(l.interfaceEndpoints, s):
				v.Add(f, s, "is a duplicate (or one of the default endpoints)")
			default:
				l.interfaceEndpoints = append(l.interfaceEndpoints, s)
			}
		}
	}

	// Flow logs.
	if fl.Disabled {
		v.Check(*fl == FlowLogsConfig{Disabled: true}, "FlowLogs", *fl, "must set no other field when Disabled is true")
	} else {
		v.Check(slices.Contains([]string{"ALL", "ACCEPT", "REJECT"}, fl.TrafficType), "FlowLogs.TrafficType", fl.TrafficType, `must be "ALL", "ACCEPT" or "REJECT"`)
		v.Check(fl.MaxAggregationInterval == 60 || fl.MaxAggregationInterval == 600, "FlowLogs.MaxAggregationInterval", fl.MaxAggregationInterval,
			"must be 60 or 600 seconds")
		switch fl.LogDestinationType {
		case FlowLogDestinationCloudWatchLogs:
			v.LogRetention("FlowLogs.RetentionInDays", fl.RetentionInDays)
			v.Check(fl.LogDestination == "", "FlowLogs.LogDestination", fl.LogDestination,
				`must be empty for "cloud-watch-logs": the construct creates the encrypted log group`)
			switch {
			case fl.KmsKey != nil && fl.KmsKeyArn != "":
				v.Add("FlowLogs.KmsKeyArn", fl.KmsKeyArn, "must be empty when FlowLogs.KmsKey is set (one key)")
			case fl.KmsKey != nil:
				fl.KmsKey.CheckUse(v, "FlowLogs.KmsKey", env, flowLogKeyStatement(c.Name, env))
			case fl.KmsKeyArn != "":
				v.ARN("FlowLogs.KmsKeyArn", fl.KmsKeyArn, validate.KmsKeyArn, env)
			}
		case FlowLogDestinationS3:
			v.Check(fl.RetentionInDays == 0, "FlowLogs.RetentionInDays", fl.RetentionInDays,
				`is only used for "cloud-watch-logs"; set an S3 lifecycle rule on the bucket instead`)
			v.Check(fl.KmsKey == nil && fl.KmsKeyArn == "", "FlowLogs.KmsKey", fl.KmsKeyArn, `is only used for "cloud-watch-logs": an S3 destination uses the bucket's own encryption`)
			const rule = "must be an S3 bucket ARN such as arn:aws:s3:::my-flow-logs or arn:aws:s3:::my-flow-logs/vpc/ (folder of letters, digits and \"!_.'()/-\"), or a single cdktf token such as *bucket.Arn()"
			if validate.HasToken(fl.LogDestination) {
				if v.Check(validate.IsToken(fl.LogDestination), "FlowLogs.LogDestination", fl.LogDestination, rule) {
					v.Literal("FlowLogs.LogDestination", fl.LogDestination)
				}
			} else if a, ok := validate.ParseARN(fl.LogDestination); ok && a.Service == "s3" && validate.ArnRule(fl.LogDestination, validate.S3BucketArn, validate.Env{}) == "" {
				// The shape is right: only the partition can still be wrong.
				v.ARN("FlowLogs.LogDestination", fl.LogDestination, validate.S3BucketArn, env)
			} else {
				v.Add("FlowLogs.LogDestination", fl.LogDestination, rule)
			}
		default:
			v.Add("FlowLogs.LogDestinationType", fl.LogDestinationType, `must be "cloud-watch-logs" or "s3"`)
		}
	}

	// Network ACLs.
	na := c.NetworkAcls
	if !na.Enabled {
		v.Check(len(na.DenyCidrBlocks) == 0, "NetworkAcls.DenyCidrBlocks", na.DenyCidrBlocks, "needs NetworkAcls.Enabled: true (the deny list lives in the per-tier ACLs)")
		v.Check(na.DenyCidrBlocksVariable == "", "NetworkAcls.DenyCidrBlocksVariable", na.DenyCidrBlocksVariable, "needs NetworkAcls.Enabled: true")
	}
	v.Check(len(na.DenyCidrBlocks) <= MaxDenyCidrBlocks, "NetworkAcls.DenyCidrBlocks", len(na.DenyCidrBlocks),
		fmt.Sprintf("must hold at most %d CIDRs (network ACL rule quota)", MaxDenyCidrBlocks))
	v.Check(!(na.DenyCidrBlocksVariable != "" && len(na.DenyCidrBlocks) >= MaxDenyCidrBlocks), "NetworkAcls.DenyCidrBlocksVariable", na.DenyCidrBlocksVariable,
		fmt.Sprintf("leaves no room: DenyCidrBlocks already uses all %d deny rules", MaxDenyCidrBlocks))
	seenDeny := map[netip.Prefix]bool{}
	for i, s := range na.DenyCidrBlocks {
		f := fmt.Sprintf("NetworkAcls.DenyCidrBlocks[%d]", i)
		p, rule := validate.CIDR(s)
		switch {
		case rule != "":
			v.Add(f, s, rule)
		case !p.Addr().Is4():
			v.Add(f, s, "must be an IPv4 CIDR block (the VPC is IPv4-only)")
		case vpcOK && p.Overlaps(l.vpc):
			v.Add(f, s, fmt.Sprintf("must not overlap the VPC CIDR %s: it would cut traffic inside the VPC", l.vpc))
		case seenDeny[p]:
			v.Add(f, s, "is a duplicate")
		}
		seenDeny[p] = true
	}
	if na.DenyCidrBlocksVariable != "" {
		if rule := validate.VariableName(na.DenyCidrBlocksVariable); rule != "" {
			v.Add("NetworkAcls.DenyCidrBlocksVariable", na.DenyCidrBlocksVariable, rule)
		}
	}

	l.cfg = c
	if v.Err() != nil {
		return nil
	}
	return l
}

// nameRuleText is the rule of Name (and of the id when Name is empty).
const nameRuleText = "must be 1-27 letters, digits, '-' or '_', not starting with 'sg-' (it names the log group, KMS alias, IAM role and endpoint security group; EC2 reserves the 'sg-' prefix of security group names)"

// flowLogGroupName is the flow-log group of a VPC named name.
func flowLogGroupName(name string) string { return "/aws/vpc/flow-logs/" + name }

// flowLogKeyStatement is the key-policy statement that lets CloudWatch
// Logs of env's region use a key for the flow-log group of VPC name only.
func flowLogKeyStatement(name string, env validate.Env) iampolicy.Statement {
	groupArn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", env.Partition(), env.Region, env.AccountId, flowLogGroupName(name))
	return securekey.LogsStatement("AllowCloudWatchLogsFlowLogs"+alnumRe.ReplaceAllString(name, ""), env.Region, "ArnEquals", groupArn)
}

var alnumRe = regexp.MustCompile(`[^A-Za-z0-9]`)

// flowLogKeyAlias is the alias of the flow-log key created for VPC name.
func flowLogKeyAlias(name string) string { return "alias/" + name + "-vpc-flow-logs" }

// claims are the names the VPC creates that must be unique in the app.
func (l *layout) claims() []registry.Claim {
	c := l.cfg
	field := "Name"
	if l.nameFromID {
		field = "id"
	}
	var out []registry.Claim
	if fl := c.FlowLogs; !fl.Disabled && fl.LogDestinationType == FlowLogDestinationCloudWatchLogs {
		out = append(out, registry.Claim{Kind: registry.LogGroup, Name: flowLogGroupName(c.Name), Field: field})
		if fl.KmsKey == nil && fl.KmsKeyArn == "" {
			out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: flowLogKeyAlias(c.Name), Field: field})
		}
	}
	if c.NetworkAcls.DenyCidrBlocksVariable != "" {
		out = append(out, registry.Claim{Kind: registry.Variable, Name: c.NetworkAcls.DenyCidrBlocksVariable, Field: "NetworkAcls.DenyCidrBlocksVariable"})
	}
	return out
}

// overlapping returns the first prefix in used that overlaps p.
func overlapping(p netip.Prefix, used []netip.Prefix) netip.Prefix {
	for _, u := range used {
		if u.Overlaps(p) {
			return u
		}
	}
	return netip.Prefix{}
}

// allocate returns the lowest block of the given prefix length inside vpc
// that overlaps nothing in used.
func allocate(vpc netip.Prefix, used []netip.Prefix, bits int) (netip.Prefix, bool) {
	a := vpc.Addr().As4()
	base := uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])
	end := base + 1<<(32-vpc.Bits())
	size := uint64(1) << (32 - bits)
	for start := base; start+size <= end; start += size {
		addr := netip.AddrFrom4([4]byte{byte(start >> 24), byte(start >> 16), byte(start >> 8), byte(start)})
		p := netip.PrefixFrom(addr, bits)
		if !overlapping(p, used).IsValid() {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

func describe(used []netip.Prefix) string {
	if len(used) == 0 {
		return "nothing"
	}
	return fmt.Sprint(strs(used))
}
