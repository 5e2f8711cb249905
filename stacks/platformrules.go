package stacks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// The platform's own rules, in one place. Value rules of single fields come
// from the validate package; the rules of the constructs (subnet sizes,
// Fargate sizes, retention values, ...) run afterwards in
// PlatformConfig.check, on the configs the stacks are built from.

// nameRe is the one rule of the platform's own: project and environment
// names prefix the names of buckets, trails, roles and alarms (and an
// environment's name is the first label of its default domain), hence
// lowercase, starting with a letter, and no "--" (CloudTrail and S3 names
// forbid it in places). Every other value rule comes from validate.
var nameRe = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9])*$`)

const (
	nameRule     = "must be lowercase letters and digits, single '-' between them, starting with a letter"
	accountRule  = validate.AccountIDRule + " (quote it if it starts with 0)"
	requiredRule = "is required"
)

// checkRules records the problems of the platform rules. Fields are YAML
// key paths.
func (c *PlatformConfig) checkRules(v *validate.Collector) {
	required := func(field string, ok bool) bool { return v.Check(ok, field, nil, requiredRule) }
	// rule checks a required value with a rule function of validate.
	rule := func(field, value string, rule func(string) string) bool {
		return required(field, value != "") && v.Rule(field, value, rule(value))
	}
	account := func(field, value string) bool {
		return required(field, value != "") && v.Check(validate.AccountID(value), field, value, accountRule)
	}
	region := func(field, value string) bool { return required(field, value != "") && v.Region(field, value) }

	if required("project", c.Project != "") {
		v.Check(nameRe.MatchString(c.Project), "project", c.Project, nameRule)
	}
	domainOK := rule("domain", c.Domain, validate.DNSName)
	rule("hosted_zone_id", c.HostedZoneId, validate.HostedZoneID)
	if c.HostedZoneAccountId != "" {
		account("hosted_zone_account", c.HostedZoneAccountId)
	}

	s := c.State
	required("state.bucket", s.Bucket != "")
	stateAccountOK := account("state.account", s.AccountId)
	stateRegionOK := region("state.region", s.Region)
	// ARNs are checked against the state account and region when those are
	// valid themselves (no cascade).
	stateEnv := validate.Env{AccountField: "state.account", RegionField: "state.region"}
	if stateAccountOK {
		stateEnv.AccountId = s.AccountId
	}
	if stateRegionOK {
		stateEnv.Region = s.Region
	}
	if s.KmsKeyArn != "" {
		// The bootstrap output state_kms_key_arn: aliases and bare key IDs
		// do not match the state bucket policy, which compares key ARNs.
		v.ARN("state.kms_key_arn", s.KmsKeyArn, validate.KmsKeyArn, stateEnv)
	}

	if v.Tags("tags", c.Tags) {
		for _, k := range DefaultTagKeys {
			_, set := c.Tags[k]
			v.Check(!set, "tags."+k, c.Tags[k], "is a default tag the stacks set themselves (from project and the environment's name)")
		}
	}
	if b := c.PermissionsBoundaryArn; b != "" {
		// Its account is compared per stack (below, and by the bootstrap
		// stack for state.account).
		v.Rule("permissions_boundary_arn", b, validate.PermissionsBoundaryRule(b, validate.Env{}))
	}

	if len(c.Environments) == 0 {
		v.Add("environments", nil, "is required: at least one environment")
	}
	hostedZoneAccount := c.HostedZoneAccountId
	if hostedZoneAccount == "" {
		hostedZoneAccount = s.AccountId
	}
	// Every valid VPC range, per account, for the overlap rule (a range
	// no VPC may have is reported once, as such).
	byAccount := map[string][]placedCIDR{}
	for _, e := range c.Environments {
		if cidr, rule := validate.CIDR(e.Vpc.CidrBlock); rule == "" && validate.VPCSized(cidr) && validate.AccountID(e.AccountId) {
			byAccount[e.AccountId] = append(byAccount[e.AccountId], placedCIDR{name: e.Name, cidr: cidr, vpc: existingVpcKey(e)})
		}
	}
	checkSharedVpcs(v, c.Environments)
	seenCIDRs := map[string]int{}       // per account: how many of byAccount's ranges came before
	detectors := map[[2]string]string{} // account and region -> environment with the GuardDuty detector
	names := map[string]bool{}
	for _, e := range c.Environments {
		p := "environments." + e.Name
		if v.Check(nameRe.MatchString(e.Name), p, e.Name, "environment name "+nameRule) {
			v.Check(!names[e.Name], p, e.Name, "is defined twice: environment names must be unique")
		}
		names[e.Name] = true
		accountOK := account(p+".account", e.AccountId)
		region(p+".region", e.Region)
		if e.Domain != "" && domainOK {
			v.Check(e.Domain == c.Domain || strings.HasSuffix(e.Domain, "."+c.Domain), p+".domain", e.Domain,
				fmt.Sprintf("must be domain %s or a name under it (the certificate is validated in its hosted zone)", c.Domain))
		}
		if e.HostedZoneId != "" {
			v.Rule(p+".hosted_zone_id", e.HostedZoneId, validate.HostedZoneID(e.HostedZoneId))
		} else if accountOK && validate.AccountID(hostedZoneAccount) && e.AccountId != hostedZoneAccount {
			v.Add(p+".hosted_zone_id", nil, fmt.Sprintf(
				"is required: account %s is not hosted_zone_account %s, and the certificate's DNS validation records are written with this environment's credentials; use a hosted zone in account %s (e.g. a subdomain zone delegated from %s)",
				e.AccountId, hostedZoneAccount, e.AccountId, c.Domain))
		}
		if e.StateRoleArn != "" {
			// The state bucket and key grant only their own account.
			v.ARN(p+".state_role_arn", e.StateRoleArn, validate.IamRoleArn, stateEnv)
		}

		if required(p+".vpc.cidr", e.Vpc.CidrBlock != "") {
			if cidr, rule := validate.CIDR(e.Vpc.CidrBlock); rule != "" {
				v.Add(p+".vpc.cidr", e.Vpc.CidrBlock, rule)
			} else if accountOK && validate.VPCSized(cidr) {
				all := byAccount[e.AccountId]
				before := all[:seenCIDRs[e.AccountId]]
				seenCIDRs[e.AccountId]++
				for _, o := range before {
					if vpc := existingVpcKey(e); vpc != "" && o.vpc == vpc {
						// Environments in one existing VPC share its range.
						if o.cidr != cidr {
							v.Add(p+".vpc.cidr", e.Vpc.CidrBlock, fmt.Sprintf("must be %s, the cidr of the same VPC %s in environments.%s", o.cidr, e.Vpc.Existing.VpcId, o.name))
						}
						break
					}
					if o.cidr.Overlaps(cidr) {
						rule := fmt.Sprintf("overlaps environments.%s.vpc.cidr %s in the same account %s: VPCs of one account must not overlap, or peering, Transit Gateway and shared endpoints between them break", o.name, o.cidr, e.AccountId)
						if free, ok := freeRange(cidr, all); ok {
							rule += fmt.Sprintf("; %s is free", free)
						}
						v.Add(p+".vpc.cidr", e.Vpc.CidrBlock, rule)
						break
					}
				}
			}
		}

		sv := e.Service
		required(p+".service.image_tag", sv.ImageTag != "")
		required(p+".service.container_port", sv.ContainerPort != nil)
		v.Check(sv.IngressCidrBlocks == nil || len(sv.IngressCidrBlocks) > 0, p+".service.ingress_cidrs", sv.IngressCidrBlocks,
			"must list at least one CIDR (leave the key out for the default 0.0.0.0/0)")
		c.checkServices(v, e, p, domainOK, accountOK)
		checkExistingVpc(v, e.Vpc, p+".vpc")
		if b := c.PermissionsBoundaryArn; b != "" && e.PermissionsBoundaryArn == "" && !v.Failed("permissions_boundary_arn") && accountOK && validate.Region(e.Region) {
			// The shared boundary, in this environment's account.
			if rule := validate.PermissionsBoundaryRule(b, validate.Env{AccountId: e.AccountId, Region: e.Region, AccountField: p + ".account", RegionField: p + ".region"}); rule != "" {
				v.Add("permissions_boundary_arn", b, fmt.Sprintf("is the boundary of environments.%s too, and there it %s; set environments.%s.permissions_boundary_arn, or use an AWS managed policy", e.Name, rule, e.Name))
			}
		}

		m := e.Monitoring
		detector := m.GuardDutyDetector == nil || *m.GuardDutyDetector
		if detector && accountOK && validate.Region(e.Region) {
			where := [2]string{e.AccountId, e.Region}
			if other, dup := detectors[where]; dup {
				v.Add(p+".monitoring.guardduty_detector", true, fmt.Sprintf(
					"environments.%s already creates the GuardDuty detector of account %s in %s, and AWS allows one per account and region: set guardduty_detector: false here (true is the default)",
					other, e.AccountId, e.Region))
			} else {
				detectors[where] = e.Name
			}
		}
		v.Check(detector || m.FindingPublishingFrequency == "", p+".monitoring.finding_publishing_frequency", m.FindingPublishingFrequency,
			"is only allowed with guardduty_detector: true (an existing detector keeps its own setting)")
	}
}

// placedCIDR is an environment's VPC range.
type placedCIDR struct {
	name string
	cidr netip.Prefix
	// vpc is existingVpcKey of the environment.
	vpc string
}

// existingVpcKey identifies the existing VPC of an environment (VPC IDs
// are unique per account and region), or "" for a new VPC.
func existingVpcKey(e EnvironmentConfig) string {
	if x := e.Vpc.Existing; x != nil && x.VpcId != "" {
		return e.AccountId + "/" + e.Region + "/" + x.VpcId
	}
	return ""
}

// checkSharedVpcs records what two environments in one existing VPC must
// not both add: its endpoints (a second S3 gateway endpoint on the same
// route tables, or a second interface endpoint with private DNS, fails at
// apply) and deny rules in one network ACL (both number theirs from 1).
func checkSharedVpcs(v *validate.Collector, envs []EnvironmentConfig) {
	endpoints := map[string]string{} // VPC -> environment adding its endpoints
	acls := map[string]string{}      // VPC and ACL -> environment adding rules
	for _, e := range envs {
		vpc := existingVpcKey(e)
		if vpc == "" {
			continue
		}
		x, p := e.Vpc.Existing, "environments."+e.Name+".vpc.existing"
		if x.Endpoints == nil || *x.Endpoints {
			if other, ok := endpoints[vpc]; ok {
				v.Add(p+".endpoints", ptrValue(x.Endpoints), fmt.Sprintf(
					"environments.%s adds the endpoints of VPC %s already, and a second set fails at apply: set endpoints: false and s3_prefix_list_id (true is the default)", other, x.VpcId))
			} else {
				endpoints[vpc] = e.Name
			}
		}
		for i, acl := range x.NetworkAclIds {
			if other, ok := acls[vpc+"/"+acl]; ok {
				v.Add(fmt.Sprintf("%s.network_acl_ids[%d]", p, i), acl, fmt.Sprintf(
					"environments.%s adds its deny rules to this network ACL already, numbered from 1 as these would be: list each ACL in one environment", other))
			} else {
				acls[vpc+"/"+acl] = e.Name
			}
		}
	}
}

// freeRange returns the first IPv4 range of p's size after p, within the
// private range (10/8, 172.16/12, 192.168/16) or else the /8 that holds p,
// that overlaps no range in taken.
func freeRange(p netip.Prefix, taken []placedCIDR) (netip.Prefix, bool) {
	if !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	container := netip.PrefixFrom(p.Addr(), 8).Masked()
	for _, private := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} {
		if pp := netip.MustParsePrefix(private); pp.Contains(p.Addr()) && pp.Bits() <= p.Bits() {
			container = pp
		}
	}
	u32 := func(a netip.Addr) uint32 {
		b := a.As4()
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	base, start := u32(container.Addr()), u32(p.Addr())
	span := uint64(1) << (32 - container.Bits())
	size := uint64(1) << (32 - p.Bits())
	for k := uint64(1); k < span/size && k <= 4096; k++ {
		off := (uint64(start-base) + k*size) % span
		a := uint32(uint64(base) + off)
		cand := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}), p.Bits())
		free := true
		for _, t := range taken {
			if t.cidr.Overlaps(cand) {
				free = false
				break
			}
		}
		if free {
			return cand, true
		}
	}
	return netip.Prefix{}, false
}

// checkServices records the problems of an environment's services: the
// platform's own rules of their keys (the constructs check the values).
func (c *PlatformConfig) checkServices(v *validate.Collector, e EnvironmentConfig, p string, domainOK, accountOK bool) {
	shared := len(e.Services) > 0
	sv := e.Service
	onlyShared := "is only used with services (a shared ALB that routes by host and path)"
	v.Check(shared || sv.Hosts == nil, p+".service.hosts", sv.Hosts, onlyShared)
	v.Check(shared || sv.PathPatterns == nil, p+".service.path_patterns", sv.PathPatterns, onlyShared)
	v.Check(shared || sv.Priority == nil, p+".service.priority", ptrValue(sv.Priority), onlyShared)
	checkHosts := func(field string, hosts []string) {
		if !domainOK {
			return
		}
		for i, h := range hosts {
			name := strings.TrimPrefix(strings.ToLower(h), "*.")
			v.Check(name == c.Domain || strings.HasSuffix(name, "."+c.Domain), fmt.Sprintf("%s[%d]", field, i), h,
				fmt.Sprintf("must be domain %s or a name under it: the shared ALB's certificate is validated in its hosted zone", c.Domain))
		}
	}
	checkHosts(p+".service.hosts", sv.Hosts)
	for _, x := range e.Services {
		q := p + ".services." + x.Name
		v.Check(nameRe.MatchString(x.Name), q, x.Name, "service name "+nameRule)
		required(v, q+".image_tag", x.ImageTag != "")
		required(v, q+".container_port", x.ContainerPort != nil)
		albWide := "is a setting of the shared ALB: set it in service"
		v.Check(x.DeletionProtection == nil, q+".deletion_protection", ptrValue(x.DeletionProtection), albWide)
		v.Check(x.IngressCidrBlocks == nil, q+".ingress_cidrs", x.IngressCidrBlocks, albWide)
		v.Check(x.SecurityGroupRuleQuota == nil, q+".security_group_rule_quota", ptrValue(x.SecurityGroupRuleQuota), "is the account's quota: set it in service")
		checkHosts(q+".hosts", x.Hosts)
	}
}

// checkExistingVpc records the problems of vpc.existing: the keys that
// describe a new VPC must be unset, and the IDs the stack needs given.
func checkExistingVpc(v *validate.Collector, n VpcSettings, p string) {
	x := n.Existing
	if x == nil {
		return
	}
	newOnly := "describes a new VPC and must be unset with existing"
	v.Check(n.AvailabilityZones == nil, p+".availability_zones", n.AvailabilityZones, newOnly)
	v.Check(n.AvailabilityZoneCount == nil, p+".availability_zone_count", ptrValue(n.AvailabilityZoneCount), newOnly)
	v.Check(n.NatGateways == "", p+".nat_gateways", string(n.NatGateways), newOnly)
	required(v, p+".existing.vpc_id", x.VpcId != "")
	required(v, p+".existing.public_subnet_ids", len(x.PublicSubnetIds) > 0)
	required(v, p+".existing.private_subnet_ids", len(x.PrivateSubnetIds) > 0)
	switch {
	case x.S3PrefixListId != "":
	case x.Endpoints == nil || *x.Endpoints:
		v.Check(len(x.PrivateRouteTableIds) > 0, p+".existing.private_route_table_ids", nil,
			"is required with endpoints (the default): the S3 gateway endpoint is added to these route tables; or give s3_prefix_list_id of the VPC's own S3 gateway endpoint")
	default:
		v.Add(p+".existing.s3_prefix_list_id", nil,
			"is required with endpoints: false: the tasks pull image layers from ECR's S3 bucket through the VPC's own S3 gateway endpoint, whose prefix list (pl-...) their security group allows")
	}
}

func required(v *validate.Collector, field string, ok bool) bool {
	return v.Check(ok, field, nil, requiredRule)
}

// ptrValue is the value of an optional setting for messages.
func ptrValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
