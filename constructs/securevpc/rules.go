package securevpc

// The rules of this package, in one place. Each config is checked in full
// before anything is created, and every problem is reported once: a field
// that fails is not blamed again by the checks that depend on it (a bad
// Region does not also make every AZ "of another region", a bad CidrBlock
// does not also make every subnet "outside the VPC").
//
//	Field                           Rule (source)
//	AccountId, Region               validate.Collector.Env (12 digits; a region the AWS provider knows, nearest suggested)
//	Name / id                       1-27 of [A-Za-z0-9_-], not "sg-..." (it prefixes an IAM role name_prefix of at most
//	                                38 characters and a security group name_prefix; EC2 reserves "sg-")
//	Tags                            validate.Collector.Tags; "Name" and "Tier" are the construct's
//	CidrBlock                       literal IPv4 CIDR without host bits, /16-/28
//	                                (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html)
//	AvailabilityZones               2-6, distinct, names of Region (validate.AvailabilityZoneRule); tokens pass
//	AvailabilityZoneCount           2-6, not with AvailabilityZones
//	*SubnetPrefixLength             16-28 and at least the VPC's; every tier must fit next to the others (the
//	                                nearest prefix length that fits is suggested)
//	*SubnetCidrs                    one literal CIDR per AZ, /16-/28, inside CidrBlock, overlapping no other subnet
//	NatGateways                     PER_AZ, SINGLE or NONE; NONE needs the endpoints
//	PermissionsBoundary             an IAM managed policy ARN of AccountId (or AWS managed, account "aws")
//	FlowLogs.TrafficType            ALL, ACCEPT or REJECT (case suggested)
//	FlowLogs.MaxAggregation…Seconds 60 or 600 (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html)
//	FlowLogs.RetentionInDays        a CloudWatch Logs retention value (validate.LogRetention), cloud-watch-logs only
//	FlowLogs.KmsKey / KmsKeyArn     one key, of AccountId and Region (validate.KmsKeyArn), cloud-watch-logs only
//	FlowLogs.Bucket / LogDestination one bucket, of the VPC's partition (validate.S3BucketArn), s3 only
//	FlowLogs.FileFormat …           plain-text or parquet; Hive and per-hour partitions: s3 only
//	NetworkAcls.DenyCidrBlocks      IPv4 CIDRs (tokens pass), not overlapping the VPC or each other, at most
//	                                RuleQuota - 3 with the variable's entries
//	NetworkAcls.DenyCidrBlocksVariable validate.VariableName, unique in the stack
//	NetworkAcls.RuleQuota           20-40 (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)
//	Endpoints.Additional…           from AdditionalInterfaceEndpointServices, no duplicates
//	ImportedVpcConfig.Attributes    EC2 IDs of their kind (validate.EC2IDRule: vpc-, subnet-, rtb-, pl-, sg-); tokens pass
//	ImportedNetworkAclsConfig       acl- IDs, FirstRuleNumber 1-32766 with room for MaxDenyRules (1-40)
//
// Names the construct creates are claimed in the app's registry (log group,
// KMS alias, IAM role name prefix, the deny-list variable, the route tables
// of an S3 gateway endpoint and the rule numbers of deny rules in existing
// ACLs), so two constructs that would collide at apply are refused at synth.

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// plan is a validated config plus what was computed from it.
type plan struct {
	// name is the construct's Name (defaulted from the id when nameField
	// is "id").
	name, nameField string
	env             validate.Env
	tags            map[string]string
	provider        cdktf.TerraformProvider
	boundary        string

	// SecureVpc only.
	cfg                       SecureVpcConfig
	vpc                       netip.Prefix
	azCount                   int
	public, private, isolated []netip.Prefix

	// ImportedVpc only.
	imported   ImportedVpcConfig
	isImported bool

	// flowLogs is the flow-log config with defaults, nil for none.
	flowLogs *FlowLogsConfig
	// interfaceEndpoints lists every interface endpoint service, in order.
	interfaceEndpoints []string
	// denyVariable and denyRoom: the deny-list variable and how many
	// entries it may hold.
	denyVariable string
	denyRoom     int
	// s3RouteTables and aclRules are literal IDs claimed in the registry.
	s3RouteTables []string
	aclRules      []string
}

var (
	nameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,27}$`)
	// idRe is the construct-id rule of baseline.CheckScope (cdktf derives
	// Terraform names from the id).
	idRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)
	// folderRe is an S3 folder of a flow-log destination.
	folderRe = regexp.MustCompile(`^[A-Za-z0-9!_.'()/-]{1,512}$`)
)

// nameRuleText is the rule of Name (and of the id when Name is empty).
const nameRuleText = "must be 1-27 letters, digits, '-' or '_', not starting with 'sg-' (it names the log group, KMS alias, IAM role and endpoint security group; EC2 reserves the 'sg-' prefix of security group names)"

// Kinds of names only this package creates (see package registry).
var (
	// s3GatewayRouteTable: a route table can take one S3 gateway endpoint.
	s3GatewayRouteTable = registry.Kind{Name: "route table of an S3 gateway endpoint", Scope: registry.Region,
		Hint: "a route table can be associated with one S3 gateway endpoint: set Endpoints.SkipS3GatewayEndpoint in all but one"}
	// aclRuleNumber: a rule number is used once per ACL and direction.
	aclRuleNumber = registry.Kind{Name: "network ACL rule number", Scope: registry.Region,
		Hint: "give each construct its own FirstRuleNumber range"}
)

// Validate checks the config as NewSecureVpc(scope, id, cfg) does, without
// creating anything: id is the construct id NewSecureVpc would get. It
// checks id as NewSecureVpc does (the Terraform naming rule, and the Name
// rule when Name is empty, since Name then defaults to id), but cannot know
// whether a scope already has a child named id. It returns nil or a
// *validate.Error listing every problem.
func (cfg *SecureVpcConfig) Validate(id string) error {
	v := validate.NewFor("securevpc.NewSecureVpc", id)
	cfg.plan(v, id, true)
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
	l := c.plan(v, id, true)
	if err := v.Err(); err != nil {
		return nil, nil, nil, err
	}
	return strs(l.public), strs(l.private), strs(l.isolated), nil
}

// checkID reports an id that breaks the construct-id rule (the
// constructors leave that to baseline.CheckScope when they have a scope).
func checkID(v *validate.Collector, id string) {
	v.Check(idRe.MatchString(id), "id", id,
		"must start with a letter or '_' and hold at most 64 letters, digits, '_' and '-' (it becomes part of Terraform resource names)")
}

// base checks what SecureVpcConfig and ImportedVpcConfig share: account,
// region, name, tags, permissions boundary.
func (p *plan) base(v *validate.Collector, id, name, account, region string, tags map[string]string, boundary string) {
	p.name, p.nameField = name, "Name"
	nameRule := nameRuleText
	if name == "" {
		// Name defaults from the id: report a bad default on id, once (an
		// id that breaks the construct-id rule is reported already).
		p.name, p.nameField = validate.NameFromID(id), "id"
		nameRule = "is the default Name (Name is empty), so it " + nameRuleText + "; or set Name"
	}
	p.env = v.Env("AccountId", account, "Region", region)
	p.tags, p.boundary = tags, boundary
	common.CheckTags(v, "Tags", tags, "Name", "Tier")
	if p.nameField == "Name" || idRe.MatchString(id) {
		if validate.HasToken(p.name) {
			v.RequireLiteral(p.nameField, p.name)
		} else {
			v.Check(nameRe.MatchString(p.name) && !strings.HasPrefix(strings.ToLower(p.name), "sg-"), p.nameField, p.name, nameRule)
		}
	}
	if boundary != "" && !validate.HasToken(boundary) {
		v.Rule("PermissionsBoundary", boundary, boundaryRule(boundary, p.env))
	}
}

// boundaryRule is the rule of a permissions boundary: a managed policy of
// the account, or an AWS managed policy ("arn:aws:iam::aws:policy/...").
func boundaryRule(arn string, env validate.Env) string {
	if a, ok := validate.ParseARN(arn); ok && a.Account == "aws" {
		a.Account = "000000000000"
		env.AccountId = ""
		return validate.ArnRule(a.String(), validate.IamPolicyArn, env)
	}
	return validate.ArnRule(arn, validate.IamPolicyArn, env)
}

// plan validates cfg into v and computes the subnets; it returns nil when
// v holds a problem afterwards. id is the construct id; Name defaults to
// it. withID also checks id itself (see checkID).
func (cfg *SecureVpcConfig) plan(v *validate.Collector, id string, withID bool) *plan {
	if withID {
		checkID(v, id)
	}
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	v.ConfigTokens(c, "AvailabilityZones") // a list token has a rule of its own below
	l := &plan{provider: c.Provider}
	l.base(v, id, c.Name, c.AccountId, c.Region, c.Tags, c.PermissionsBoundary)
	c.Name = l.name
	if c.CidrBlock == "" {
		c.CidrBlock = DefaultCidrBlock
	}
	if c.NatGateways == "" {
		c.NatGateways = NatGatewayPerAz
	}
	regionOK := l.env.Region != ""

	// VPC CIDR.
	vpcOK := false
	if v.RequireLiteral("CidrBlock", c.CidrBlock) {
		l.vpc, vpcOK = v.VPCCIDR("CidrBlock", c.CidrBlock)
	}

	// Availability zones.
	count := c.AvailabilityZoneCount
	switch {
	case len(c.AvailabilityZones) > 0 && count != nil:
		v.Add("AvailabilityZoneCount", *count, "must be unset when AvailabilityZones is set (use one or the other)")
	case validate.IsListToken(c.AvailabilityZones):
		v.Add("AvailabilityZones", c.AvailabilityZones,
			"must list the AZs (a list token's length is only known to Terraform, and the subnets need it); use AvailabilityZoneCount for AZs from the region")
	case len(c.AvailabilityZones) > 0:
		l.azCount = len(c.AvailabilityZones)
		if !v.Check(l.azCount >= MinAvailabilityZones && l.azCount <= MaxAvailabilityZones, "AvailabilityZones", c.AvailabilityZones,
			fmt.Sprintf("must list %d to %d availability zones (at least two for availability)", MinAvailabilityZones, MaxAvailabilityZones)) {
			break
		}
		seen := map[string]int{}
		for i, az := range c.AvailabilityZones {
			field := fmt.Sprintf("AvailabilityZones[%d]", i)
			if validate.HasToken(az) {
				continue
			}
			if j, dup := seen[az]; dup {
				v.Add(field, az, fmt.Sprintf("is a duplicate of AvailabilityZones[%d]: every subnet tier needs distinct AZs", j))
				continue
			}
			seen[az] = i
			if regionOK {
				if rule := validate.AvailabilityZoneRule(az, c.Region); rule != "" {
					v.Suggest(field, az, rule, nearestAZ(az, c.Region))
				}
			}
		}
	case count != nil:
		if v.Range("AvailabilityZoneCount", *count, MinAvailabilityZones, MaxAvailabilityZones, "AZs (at least two for availability)") {
			l.azCount = *count
		}
	default:
		v.Add("AvailabilityZones", c.AvailabilityZones, fmt.Sprintf("is required (at least %d AZ names), unless AvailabilityZoneCount is set", MinAvailabilityZones))
	}
	azOK := l.azCount >= MinAvailabilityZones && l.azCount <= MaxAvailabilityZones

	l.subnets(v, &c, vpcOK, azOK)

	// NAT and endpoints.
	v.OneOf("NatGateways", string(c.NatGateways), []string{string(NatGatewayPerAz), string(NatGatewaySingle), string(NatGatewayNone)})
	v.Check(!(c.NatGateways == NatGatewayNone && c.Endpoints.Disabled), "Endpoints.Disabled", c.Endpoints.Disabled,
		"must be false with NatGateways NONE: the private subnets would have no way to reach ECR, CloudWatch Logs or Secrets Manager")
	if c.Endpoints.Disabled {
		v.Check(len(c.Endpoints.AdditionalInterfaceEndpoints) == 0, "Endpoints.AdditionalInterfaceEndpoints", c.Endpoints.AdditionalInterfaceEndpoints,
			"is only used when the endpoints are enabled")
	} else {
		l.interfaceEndpoints = checkServices(v, "Endpoints.AdditionalInterfaceEndpoints", slices.Clone(DefaultInterfaceEndpoints), c.Endpoints.AdditionalInterfaceEndpoints)
	}

	// Flow logs.
	if c.FlowLogs.Disabled {
		v.Check(isZeroFlowLogs(c.FlowLogs), "FlowLogs", "Disabled: true", "must set no other field when Disabled is true")
	} else {
		l.checkFlowLogs(v, "FlowLogs", &c.FlowLogs)
		l.flowLogs = &c.FlowLogs
	}

	// Network ACLs.
	na := &c.NetworkAcls
	if !na.Enabled {
		v.Check(len(na.DenyCidrBlocks) == 0, "NetworkAcls.DenyCidrBlocks", na.DenyCidrBlocks, "needs NetworkAcls.Enabled: true (the deny list lives in the per-tier ACLs)")
		v.Check(na.DenyCidrBlocksVariable == "", "NetworkAcls.DenyCidrBlocksVariable", na.DenyCidrBlocksVariable, "needs NetworkAcls.Enabled: true")
		v.Check(na.RuleQuota == nil, "NetworkAcls.RuleQuota", na.RuleQuota, "needs NetworkAcls.Enabled: true")
	} else {
		quota := DefaultNetworkAclRuleQuota
		if v.OptionalRange("NetworkAcls.RuleQuota", na.RuleQuota, DefaultNetworkAclRuleQuota, MaxNetworkAclRuleQuota, "rules per direction") {
			quota = validate.IntOr(na.RuleQuota, DefaultNetworkAclRuleQuota)
		}
		na.RuleQuota = &quota
		var vpcP *netip.Prefix
		if vpcOK {
			vpcP = &l.vpc
		}
		l.checkDenyList(v, "NetworkAcls.", na.DenyCidrBlocks, na.DenyCidrBlocksVariable, quota-AllowRulesPerDirection, vpcP)
	}

	l.cfg = c
	if v.Err() != nil {
		return nil
	}
	return l
}

// subnets checks the tiers and places them in the VPC CIDR.
func (l *plan) subnets(v *validate.Collector, c *SecureVpcConfig, vpcOK, azOK bool) {
	if !c.IsolatedSubnets {
		v.Check(c.IsolatedSubnetPrefixLength == nil, "IsolatedSubnetPrefixLength", c.IsolatedSubnetPrefixLength, "is only used with IsolatedSubnets: true")
		v.Check(len(c.IsolatedSubnetCidrs) == 0, "IsolatedSubnetCidrs", c.IsolatedSubnetCidrs, "is only used with IsolatedSubnets: true")
	}
	tiers := []*tier{
		{name: TierPublic, field: "Public", prefix: &c.PublicSubnetPrefixLength, def: DefaultPublicSubnetPrefixLength, cidrs: c.PublicSubnetCidrs, enabled: true, out: &l.public},
		{name: TierPrivate, field: "Private", prefix: &c.PrivateSubnetPrefixLength, def: DefaultPrivateSubnetPrefixLength, cidrs: c.PrivateSubnetCidrs, enabled: true, out: &l.private},
		{name: TierIsolated, field: "Isolated", prefix: &c.IsolatedSubnetPrefixLength, def: DefaultIsolatedSubnetPrefixLength, cidrs: c.IsolatedSubnetCidrs, enabled: c.IsolatedSubnets, out: &l.isolated},
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
		if *t.prefix != nil {
			v.Add(t.field+"SubnetPrefixLength", **t.prefix, "must be unset when "+field+" is set (the CIDRs fix the size)")
		}
		if azOK && len(t.cidrs) != l.azCount {
			v.Add(field, t.cidrs, fmt.Sprintf("must list one CIDR per availability zone (%d)", l.azCount))
			layoutOK = false
		}
		t.pinned = true
		for i, s := range t.cidrs {
			f := fmt.Sprintf("%s[%d]", field, i)
			if v.Failed(f) || !v.RequireLiteral(f, s) { // a list token was reported by ConfigTokens
				layoutOK = false
				continue
			}
			p, rule := validate.CIDR(s)
			switch {
			case rule != "":
				v.Add(f, s, rule)
			case !p.Addr().Is4() || p.Bits() < MinPrefixLength || p.Bits() > MaxPrefixLength:
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
	var computed []*tier
	for _, t := range tiers {
		if !t.enabled || t.pinned {
			continue
		}
		if *t.prefix == nil {
			*t.prefix = &t.def
		}
		if !v.Range(t.field+"SubnetPrefixLength", **t.prefix, MinPrefixLength, MaxPrefixLength, "bits (subnet limits)") {
			layoutOK = false
			continue
		}
		computed = append(computed, t)
	}
	for _, t := range computed {
		if bits := **t.prefix; vpcOK && bits < l.vpc.Bits() {
			s := ""
			if layoutOK {
				if b, ok := l.fitting(computed, used, t, l.vpc.Bits()); ok {
					s = strconv.Itoa(b)
				}
			}
			v.Suggest(t.field+"SubnetPrefixLength", bits, fmt.Sprintf("must be at least the CidrBlock's prefix length %d: a subnet cannot be larger than its VPC", l.vpc.Bits()), s)
			layoutOK = false
		}
	}
	if !layoutOK {
		return
	}
	if failed, others := place(l.vpc, used, computed, l.azCount); failed != nil {
		s := ""
		if b, ok := l.fitting(computed, used, failed, **failed.prefix+1); ok {
			s = strconv.Itoa(b)
		}
		v.Suggest(failed.field+"SubnetPrefixLength", **failed.prefix, fmt.Sprintf(
			"the %s subnets do not fit: %d x /%d must fit in CidrBlock %s next to %s; use a larger CidrBlock, fewer AZs or longer prefix lengths",
			failed.name, l.azCount, **failed.prefix, l.vpc, describe(others)), s)
		for _, t := range computed {
			*t.out = nil
		}
	}
}

// tier is one subnet tier while placing.
type tier struct {
	name, field string
	prefix      **int
	def         int
	cidrs       []string
	enabled     bool
	pinned      bool
	out         *[]netip.Prefix
}

// place allocates the computed tiers, in order, around the pinned CIDRs in
// used; it returns the first tier that does not fit, or nil, and the
// subnets of the other tiers placed before it.
func place(vpc netip.Prefix, used []netip.Prefix, computed []*tier, azCount int) (*tier, []netip.Prefix) {
	used = slices.Clone(used)
	for _, t := range computed {
		*t.out = nil
		before := len(used)
		for i := 0; i < azCount; i++ {
			p, ok := allocate(vpc, used, **t.prefix)
			if !ok {
				return t, used[:before]
			}
			used = append(used, p)
			*t.out = append(*t.out, p)
		}
	}
	return nil, nil
}

func describe(used []netip.Prefix) string {
	if len(used) == 0 {
		return "nothing"
	}
	return fmt.Sprint(strs(used))
}

// fitting returns the smallest prefix length >= from (up to /28) for tier
// t with which every computed tier fits, the others keeping theirs.
// Tiers other than t whose prefix is shorter than the VPC's are taken at
// the VPC's (the smallest they could be).
func (l *plan) fitting(computed []*tier, used []netip.Prefix, t *tier, from int) (int, bool) {
	all := computed
	saved := map[*tier]*int{}
	for _, x := range all {
		saved[x] = *x.prefix
		if x != t && **x.prefix < l.vpc.Bits() {
			bits := l.vpc.Bits()
			*x.prefix = &bits
		}
	}
	defer func() {
		for x, p := range saved {
			*x.prefix = p
		}
	}()
	defer func() {
		for _, x := range all {
			*x.out = nil
		}
	}()
	for b := max(from, MinPrefixLength); b <= MaxPrefixLength; b++ {
		bb := b
		*t.prefix = &bb
		if failed, _ := place(l.vpc, used, all, l.azCount); failed == nil {
			return b, true
		}
	}
	return 0, false
}

// nearestAZ suggests the AZ of region with the same letter as az ("a" of
// "eu-west-1a" for region us-east-2 gives "us-east-2a").
func nearestAZ(az, region string) string {
	if n := len(az); n > 0 && az[n-1] >= 'a' && az[n-1] <= 'z' {
		return region + az[n-1:]
	}
	return ""
}

// checkServices checks interface endpoint services added to base.
func checkServices(v *validate.Collector, field string, base, add []string) []string {
	out := base
	for i, s := range add {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case slices.Contains(out, s):
			v.Add(f, s, "is a duplicate (or one of the default endpoints)")
		case !slices.Contains(AdditionalInterfaceEndpointServices, s) && !slices.Contains(DefaultInterfaceEndpoints, s):
			all := append(slices.Clone(DefaultInterfaceEndpoints), AdditionalInterfaceEndpointServices...)
			v.Suggest(f, s, fmt.Sprintf("must be one of %v", all), validate.Nearest(s, all))
		default:
			out = append(out, s)
		}
	}
	return out
}

func isZeroFlowLogs(fl FlowLogsConfig) bool {
	return fl.LogDestinationType == "" && fl.KmsKey == nil && fl.KmsKeyArn == "" && fl.Bucket == nil && fl.BucketPrefix == "" &&
		fl.LogDestination == "" && fl.RetentionInDays == nil && fl.TrafficType == "" && fl.MaxAggregationIntervalSeconds == nil &&
		fl.FileFormat == "" && !fl.HiveCompatiblePartitions && !fl.PerHourPartition
}

// checkFlowLogs checks a flow-log config and fills in its defaults.
func (l *plan) checkFlowLogs(v *validate.Collector, prefix string, fl *FlowLogsConfig) {
	f := func(name string) string { return prefix + "." + name }
	env := l.env
	if fl.LogDestinationType == "" {
		fl.LogDestinationType = FlowLogDestinationCloudWatchLogs
		if fl.Bucket != nil || fl.LogDestination != "" {
			fl.LogDestinationType = FlowLogDestinationS3
		}
	}
	if fl.TrafficType == "" {
		fl.TrafficType = "ALL"
	}
	v.OneOf(f("TrafficType"), fl.TrafficType, []string{"ALL", "ACCEPT", "REJECT"})
	if fl.MaxAggregationIntervalSeconds == nil {
		fl.MaxAggregationIntervalSeconds = new(DefaultFlowLogMaxAggregationIntervalSeconds)
	}
	v.OneOfInt(f("MaxAggregationIntervalSeconds"), *fl.MaxAggregationIntervalSeconds, []int{60, 600}, "seconds")
	s3Only := func(field string, set bool, value any) {
		v.Check(!set, f(field), value, `is only used for "s3"`)
	}
	switch fl.LogDestinationType {
	case FlowLogDestinationCloudWatchLogs:
		if fl.RetentionInDays == nil {
			fl.RetentionInDays = new(DefaultFlowLogRetentionInDays)
		}
		v.LogRetention(f("RetentionInDays"), *fl.RetentionInDays)
		v.Check(fl.LogDestination == "", f("LogDestination"), fl.LogDestination,
			`must be empty for "cloud-watch-logs": the construct creates the encrypted log group`)
		s3Only("Bucket", fl.Bucket != nil, "(a SecureBucket)")
		s3Only("BucketPrefix", fl.BucketPrefix != "", fl.BucketPrefix)
		s3Only("FileFormat", fl.FileFormat != "", fl.FileFormat)
		s3Only("HiveCompatiblePartitions", fl.HiveCompatiblePartitions, true)
		s3Only("PerHourPartition", fl.PerHourPartition, true)
		switch {
		case fl.KmsKey != nil && fl.KmsKeyArn != "":
			v.Add(f("KmsKeyArn"), fl.KmsKeyArn, "must be empty when "+f("KmsKey")+" is set (one key)")
		case fl.KmsKey != nil:
			fl.KmsKey.CheckUse(v, f("KmsKey"), env, flowLogKeyStatement(l.name, env))
		case fl.KmsKeyArn != "" && !validate.HasToken(fl.KmsKeyArn):
			v.ARN(f("KmsKeyArn"), fl.KmsKeyArn, validate.KmsKeyArn, env)
		}
	case FlowLogDestinationS3:
		v.Check(fl.RetentionInDays == nil, f("RetentionInDays"), fl.RetentionInDays,
			`is only used for "cloud-watch-logs"; set an S3 lifecycle rule on the bucket instead`)
		v.Check(fl.KmsKey == nil && fl.KmsKeyArn == "", f("KmsKey"), fl.KmsKeyArn, `is only used for "cloud-watch-logs": an S3 destination uses the bucket's own encryption`)
		if fl.FileFormat == "" {
			fl.FileFormat = FlowLogFileFormatPlainText
		}
		v.OneOf(f("FileFormat"), fl.FileFormat, []string{FlowLogFileFormatPlainText, FlowLogFileFormatParquet})
		switch {
		case fl.Bucket != nil && fl.LogDestination != "":
			v.Add(f("LogDestination"), fl.LogDestination, "must be empty when "+f("Bucket")+" is set (one destination)")
		case fl.Bucket != nil:
			l.checkBucket(v, f, fl)
		default:
			v.Check(fl.BucketPrefix == "", f("BucketPrefix"), fl.BucketPrefix, "is only used with "+f("Bucket")+"; put the folder in the LogDestination ARN")
			l.checkLogDestination(v, f("LogDestination"), fl.LogDestination)
		}
	default:
		v.Suggest(f("LogDestinationType"), fl.LogDestinationType, `must be "cloud-watch-logs" or "s3"`,
			validate.Nearest(fl.LogDestinationType, []string{FlowLogDestinationCloudWatchLogs, FlowLogDestinationS3}))
	}
}

// s3Rule is the rule of an S3 flow-log destination ARN.
const s3Rule = "must be an S3 bucket ARN such as arn:aws:s3:::my-flow-logs or arn:aws:s3:::my-flow-logs/vpc/ (folder of letters, digits and \"!_.'()/-\"), or a single cdktf token such as *bucket.Arn()"

func (l *plan) checkLogDestination(v *validate.Collector, field, dest string) {
	switch {
	case dest == "":
		v.Add(field, dest, `is required for "s3" (or set Bucket to a securebucket.SecureBucket of this app)`)
	case validate.HasToken(dest):
		// A token of another app is reported by ConfigTokens already.
		v.Check(v.Failed(field) || validate.IsToken(dest), field, dest, s3Rule)
	default:
		a, ok := validate.ParseARN(dest)
		if !ok || a.Service != "s3" || validate.ArnRule(dest, validate.S3BucketArn, validate.Env{}) != "" {
			if ok && a.Service != "s3" {
				v.Add(field, dest, fmt.Sprintf("%s (this is an ARN of service %q)", s3Rule, a.Service))
			} else {
				v.Add(field, dest, s3Rule)
			}
			return
		}
		// The shape is right: only the partition can still be wrong.
		v.ARN(field, dest, validate.S3BucketArn, l.env)
	}
}

func (l *plan) checkBucket(v *validate.Collector, f func(string) string, fl *FlowLogsConfig) {
	b := fl.Bucket
	if b.Bucket == nil {
		v.Add(f("Bucket"), nil, "must be a bucket created with securebucket.NewSecureBucket")
		return
	}
	if p := l.env.Partition(); p != "" && validate.PartitionOf(b.Config.Region) != p {
		v.Add(f("Bucket"), b.Config.BucketName, fmt.Sprintf("must be a bucket of partition %q (Region %q): flow logs cannot cross partitions; this bucket is in %q",
			p, l.env.Region, validate.PartitionOf(b.Config.Region)))
		return
	}
	if fl.BucketPrefix != "" && !validate.HasToken(fl.BucketPrefix) {
		v.Check(folderRe.MatchString(fl.BucketPrefix) && !strings.HasPrefix(fl.BucketPrefix, "/") && !strings.Contains(fl.BucketPrefix, "AWSLogs"),
			f("BucketPrefix"), fl.BucketPrefix,
			`must be a folder of 1-512 letters, digits and !_.'()/-, not starting with "/" and without "AWSLogs" (AWS adds AWSLogs/<account>/vpcflowlogs/ below it)`)
	}
	if v.Failed(f("BucketPrefix")) || l.env.AccountId == "" || l.env.Region == "" {
		return
	}
	bucketStmts, keyStmts := flowLogBucketStatements(l.name, l.env, *b.Arn(), fl.BucketPrefix)
	b.CheckAddToResourcePolicy(v, f("Bucket")+".Policy", bucketStmts...)
	if k := b.Config.KmsKey; k != nil {
		k.CheckUse(v, f("Bucket")+".KmsKey", validate.Env{}, keyStmts...)
	}
}

// checkDenyList checks a deny list of at most max entries (static plus
// the variable's).
func (l *plan) checkDenyList(v *validate.Collector, prefix string, cidrs []string, variable string, maxRules int, vpc *netip.Prefix) {
	field := prefix + "DenyCidrBlocks"
	if !v.Check(len(cidrs) <= maxRules, field, len(cidrs),
		fmt.Sprintf("must hold at most %d CIDRs (network ACL rule quota; raise RuleQuota if your account's quota is higher)", maxRules)) {
		return
	}
	v.Check(!(variable != "" && len(cidrs) >= maxRules), prefix+"DenyCidrBlocksVariable", variable,
		fmt.Sprintf("leaves no room: DenyCidrBlocks already uses all %d deny rules", maxRules))
	seen := map[netip.Prefix]int{}
	for i, s := range cidrs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if validate.HasToken(s) {
			continue
		}
		p, rule := validate.CIDR(s)
		switch {
		case rule != "":
			v.Add(f, s, rule)
			continue
		case !p.Addr().Is4():
			v.Add(f, s, "must be an IPv4 CIDR block (the VPC is IPv4-only)")
			continue
		case vpc != nil && p.Overlaps(*vpc):
			v.Add(f, s, fmt.Sprintf("must not overlap the VPC CIDR %s: it would cut traffic inside the VPC", *vpc))
			continue
		}
		if j, dup := seen[p]; dup {
			v.Add(f, s, fmt.Sprintf("is a duplicate of %s[%d]", field, j))
			continue
		}
		for q, j := range seen {
			if q.Overlaps(p) {
				wider := q
				if p.Bits() < q.Bits() {
					wider = p
				}
				v.Suggest(f, s, fmt.Sprintf("overlaps %s[%d] (%s): one deny rule covers both, and each costs a rule of the quota", field, j, q), wider.String())
				break
			}
		}
		seen[p] = i
	}
	if variable != "" {
		v.Rule(prefix+"DenyCidrBlocksVariable", variable, validate.VariableName(variable))
	}
	l.denyVariable, l.denyRoom = variable, maxRules-len(cidrs)
}

// registryEnv is where the construct's names must be unique.
func (l *plan) registryEnv() registry.Env {
	return registry.Env{Partition: l.env.Partition(), Account: l.env.AccountId, Region: l.env.Region}
}

// claims are the names the construct creates that must be unique in the
// app. Names generated from a prefix by Terraform (the flow-log role, the
// endpoint security group) are unique by construction; their prefix is
// claimed so that two constructs do not share one. Name tags are not
// names.
func (l *plan) claims() []registry.Claim {
	var out []registry.Claim
	if fl := l.flowLogs; fl != nil && fl.LogDestinationType == FlowLogDestinationCloudWatchLogs {
		out = append(out,
			registry.Claim{Kind: registry.LogGroup, Name: flowLogGroupName(l.name), Field: l.nameField},
			registry.Claim{Kind: registry.IAMRolePrefix, Name: flowLogRolePrefix(l.name), Field: l.nameField})
		if fl.KmsKey == nil && fl.KmsKeyArn == "" {
			out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: flowLogKeyAlias(l.name), Field: l.nameField})
		}
	}
	varField := "NetworkAcls.DenyCidrBlocksVariable"
	if l.denyVariable != "" {
		out = append(out, registry.Claim{Kind: registry.Variable, Name: l.denyVariable, Field: varField})
	}
	for _, rt := range l.s3RouteTables {
		out = append(out, registry.Claim{Kind: s3GatewayRouteTable, Name: rt, Field: "Endpoints.RouteTableIds"})
	}
	for _, r := range l.aclRules {
		out = append(out, registry.Claim{Kind: aclRuleNumber, Name: r, Field: "NetworkAcls.FirstRuleNumber"})
	}
	return out
}

// plan validates an ImportedVpcConfig.
func (cfg *ImportedVpcConfig) plan(v *validate.Collector, id string, withID bool) *plan {
	if withID {
		checkID(v, id)
	}
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	// The VPC's lists are passed on whole (a data source's ids work).
	v.ConfigTokens(c, "Attributes.AvailabilityZones",
		"Attributes.PublicSubnetIds", "Attributes.PrivateSubnetIds", "Attributes.IsolatedSubnetIds",
		"Attributes.PublicRouteTableIds", "Attributes.PrivateRouteTableIds", "Attributes.IsolatedRouteTableIds",
		"Endpoints.SubnetIds", "Endpoints.RouteTableIds")
	l := &plan{provider: c.Provider, isImported: true}
	l.base(v, id, c.Name, c.AccountId, c.Region, c.Tags, c.PermissionsBoundary)
	c.Name = l.name
	a := &c.Attributes
	a.AvailabilityZones = slices.Clone(a.AvailabilityZones)

	// Attributes.
	if v.Check(a.VpcId != "", "Attributes.VpcId", a.VpcId, "is required: the ID of the existing VPC (vpc-...) or a token") {
		v.EC2ID("Attributes.VpcId", a.VpcId, validate.VpcID)
	}
	if a.CidrBlock != "" && !validate.HasToken(a.CidrBlock) {
		v.VPCCIDR("Attributes.CidrBlock", a.CidrBlock)
	}
	ids := func(field string, list []string, kind validate.EC2ResourceKind) {
		seen := map[string]int{}
		for i, s := range list {
			f := fmt.Sprintf("%s[%d]", field, i)
			if j, dup := seen[s]; dup && !validate.HasToken(s) {
				v.Add(f, s, fmt.Sprintf("is a duplicate of %s[%d]", field, j))
				continue
			}
			seen[s] = i
			v.EC2ID(f, s, kind)
		}
	}
	ids("Attributes.PublicSubnetIds", a.PublicSubnetIds, validate.SubnetID)
	ids("Attributes.PrivateSubnetIds", a.PrivateSubnetIds, validate.SubnetID)
	ids("Attributes.IsolatedSubnetIds", a.IsolatedSubnetIds, validate.SubnetID)
	ids("Attributes.PublicRouteTableIds", a.PublicRouteTableIds, validate.RouteTableID)
	ids("Attributes.PrivateRouteTableIds", a.PrivateRouteTableIds, validate.RouteTableID)
	ids("Attributes.IsolatedRouteTableIds", a.IsolatedRouteTableIds, validate.RouteTableID)
	if a.S3PrefixListId != "" {
		v.EC2ID("Attributes.S3PrefixListId", a.S3PrefixListId, validate.PrefixListID)
	}
	if a.EndpointSecurityGroupId != "" {
		v.EC2ID("Attributes.EndpointSecurityGroupId", a.EndpointSecurityGroupId, validate.SecurityGroupID)
	}
	for i, az := range a.AvailabilityZones {
		if l.env.Region != "" && !validate.HasToken(az) {
			if rule := validate.AvailabilityZoneRule(az, l.env.Region); rule != "" {
				v.Suggest(fmt.Sprintf("Attributes.AvailabilityZones[%d]", i), az, rule, nearestAZ(az, l.env.Region))
			}
		}
	}

	// Flow logs.
	if c.FlowLogs != nil {
		fl := *c.FlowLogs
		if v.Check(!fl.Disabled, "FlowLogs.Disabled", true, "must be false: leave FlowLogs nil for no flow log") {
			l.checkFlowLogs(v, "FlowLogs", &fl)
			c.FlowLogs, l.flowLogs = &fl, &fl
		}
	}

	// Endpoints.
	if c.Endpoints != nil {
		e := *c.Endpoints
		if e.InterfaceEndpoints == nil {
			l.interfaceEndpoints = slices.Clone(DefaultInterfaceEndpoints)
		} else {
			l.interfaceEndpoints = checkServices(v, "Endpoints.InterfaceEndpoints", []string{}, e.InterfaceEndpoints)
		}
		if len(l.interfaceEndpoints) > 0 {
			if e.SubnetIds == nil {
				e.SubnetIds = slices.Clone(a.PrivateSubnetIds)
				v.Check(len(e.SubnetIds) > 0, "Endpoints.SubnetIds", e.SubnetIds, "is required for interface endpoints, unless Attributes.PrivateSubnetIds is set")
			} else {
				ids("Endpoints.SubnetIds", e.SubnetIds, validate.SubnetID)
				v.Check(len(e.SubnetIds) > 0, "Endpoints.SubnetIds", e.SubnetIds, "must list at least one subnet for the interface endpoints")
			}
			v.Check(a.CidrBlock != "", "Attributes.CidrBlock", a.CidrBlock, "is required with interface endpoints: their security group admits HTTPS from the VPC CIDR")
		}
		if e.SkipS3GatewayEndpoint {
			v.Check(e.RouteTableIds == nil, "Endpoints.RouteTableIds", e.RouteTableIds, "is only used for the S3 gateway endpoint (SkipS3GatewayEndpoint is true)")
		} else {
			if e.RouteTableIds == nil {
				e.RouteTableIds = slices.Clone(a.PrivateRouteTableIds)
				v.Check(len(e.RouteTableIds) > 0, "Endpoints.RouteTableIds", e.RouteTableIds,
					"is required for the S3 gateway endpoint, unless Attributes.PrivateRouteTableIds is set (or set SkipS3GatewayEndpoint)")
			} else {
				ids("Endpoints.RouteTableIds", e.RouteTableIds, validate.RouteTableID)
				v.Check(len(e.RouteTableIds) > 0, "Endpoints.RouteTableIds", e.RouteTableIds, "must list at least one route table for the S3 gateway endpoint")
			}
			v.Check(a.S3PrefixListId == "", "Attributes.S3PrefixListId", a.S3PrefixListId,
				"must be empty when the construct creates the S3 gateway endpoint (it fills it in); set Endpoints.SkipS3GatewayEndpoint to keep an existing endpoint")
			for _, rt := range e.RouteTableIds {
				if !validate.HasToken(rt) && !slices.Contains(l.s3RouteTables, rt) {
					l.s3RouteTables = append(l.s3RouteTables, rt)
				}
			}
		}
		c.Endpoints = &e
	}

	// Deny rules in existing ACLs.
	if c.NetworkAcls != nil {
		na := *c.NetworkAcls
		if v.Check(len(na.NetworkAclIds) > 0, "NetworkAcls.NetworkAclIds", na.NetworkAclIds, "is required: the network ACLs (acl-...) that get the deny rules") {
			ids("NetworkAcls.NetworkAclIds", na.NetworkAclIds, validate.NetworkAclID)
		}
		v.Check(len(na.DenyCidrBlocks) > 0 || na.DenyCidrBlocksVariable != "", "NetworkAcls.DenyCidrBlocks", na.DenyCidrBlocks,
			"must hold at least one CIDR, unless DenyCidrBlocksVariable is set")
		maxRules := MaxDenyCidrBlocks
		if v.OptionalRange("NetworkAcls.MaxDenyRules", na.MaxDenyRules, 1, MaxNetworkAclRuleQuota, "rules") {
			maxRules = validate.IntOr(na.MaxDenyRules, MaxDenyCidrBlocks)
		}
		na.MaxDenyRules = &maxRules
		first := 1
		const lastRule = 32766
		if v.OptionalRange("NetworkAcls.FirstRuleNumber", na.FirstRuleNumber, 1, lastRule-maxRules+1, "(rule numbers; the deny rules take MaxDenyRules numbers from it)") {
			first = validate.IntOr(na.FirstRuleNumber, 1)
		}
		na.FirstRuleNumber = &first
		var vpcP *netip.Prefix
		if p, rule := validate.CIDR(a.CidrBlock); rule == "" && !validate.HasToken(a.CidrBlock) {
			vpcP = &p
		}
		l.checkDenyList(v, "NetworkAcls.", na.DenyCidrBlocks, na.DenyCidrBlocksVariable, maxRules, vpcP)
		seen := map[string]bool{}
		for _, acl := range na.NetworkAclIds {
			if validate.HasToken(acl) || seen[acl] {
				continue
			}
			seen[acl] = true
			for n := first; n < first+maxRules; n++ {
				l.aclRules = append(l.aclRules, fmt.Sprintf("%s #%d", acl, n))
			}
		}
		c.NetworkAcls = &na
	}
	l.imported = c
	if v.Err() != nil {
		return nil
	}
	return l
}

// flowLogGroupName is the flow-log group of a VPC named name.
func flowLogGroupName(name string) string { return "/aws/vpc/flow-logs/" + name }

// flowLogRolePrefix is the name_prefix of the flow-log role.
func flowLogRolePrefix(name string) string { return name + "-flow-logs-" }

// flowLogKeyAlias is the alias of the flow-log key created for VPC name.
func flowLogKeyAlias(name string) string { return "alias/" + name + "-vpc-flow-logs" }

// flowLogKeyStatement is the key-policy statement that lets CloudWatch
// Logs of env's region use a key for the flow-log group of VPC name only.
func flowLogKeyStatement(name string, env validate.Env) iampolicy.Statement {
	groupArn := fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", env.Partition(), env.Region, env.AccountId, flowLogGroupName(name))
	return securekey.LogsStatement("AllowCloudWatchLogsFlowLogs"+policydoc.SidPart(name), env.Region, "ArnEquals", groupArn)
}

// flowLogBucketStatements are the bucket-policy and key-policy statements
// that let delivery.logs.amazonaws.com write the flow logs of account
// env.AccountId to bucketArn (a literal ARN or a token) under folder, as
// AWS documents them. Sids carry the VPC's name, so several VPCs can write
// to one bucket.
// See https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
func flowLogBucketStatements(name string, env validate.Env, bucketArn, folder string) (bucket, key []iampolicy.Statement) {
	sid := policydoc.SidPart(name)
	source := map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": env.AccountId},
		"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:%s:logs:%s:%s:*", env.Partition(), env.Region, env.AccountId)},
	}
	write := map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": env.AccountId, "s3:x-amz-acl": "bucket-owner-full-control"},
		"ArnLike":      source["ArnLike"],
	}
	if folder != "" && !strings.HasSuffix(folder, "/") {
		folder += "/"
	}
	delivery := iampolicy.Service("delivery.logs.amazonaws.com")
	bucket = []iampolicy.Statement{
		{Sid: "FlowLogsAclCheck" + sid, Effect: "Allow", Principal: delivery,
			Action: []string{"s3:GetBucketAcl", "s3:ListBucket"}, Resource: []string{bucketArn}, Condition: source},
		{Sid: "FlowLogsWrite" + sid, Effect: "Allow", Principal: delivery,
			Action: []string{"s3:PutObject"}, Resource: []string{bucketArn + "/" + folder + "AWSLogs/" + env.AccountId + "/*"}, Condition: write},
	}
	key = []iampolicy.Statement{{Sid: "FlowLogsDelivery" + sid, Effect: "Allow", Principal: delivery,
		Action:   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
		Resource: []string{"*"}, Condition: source}}
	return bucket, key
}

// bucketOfDestination splits a literal S3 destination ARN into the bucket
// ARN and its folder; a token is returned whole with no folder.
func bucketOfDestination(dest string) (bucketArn, folder string) {
	if validate.HasToken(dest) {
		return dest, ""
	}
	a, _ := validate.ParseARN(dest)
	bucket, folder, _ := strings.Cut(a.Resource, "/")
	a.Resource = bucket
	return a.String(), folder
}
