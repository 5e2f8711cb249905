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

var (
	// nameRe is the rule of project and environment names: they prefix the
	// names of buckets, trails, roles and alarms, hence lowercase and no
	// "--" (CloudTrail and S3 names forbid it in places).
	nameRe = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9])*$`)
	// dnsNameRe is a lowercase DNS name of at least two labels.
	dnsNameRe = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`)
	// hostedZoneIDRe is a Route 53 hosted zone ID.
	hostedZoneIDRe = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	// kmsKeyArnRe is a KMS key ARN: partition, region, account.
	kmsKeyArnRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
	// roleArnRe is an IAM role ARN: partition, account.
	roleArnRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role/[\w+=,.@/-]{1,512}$`)
)

const (
	nameRule       = "must be lowercase letters and digits, single '-' between them, starting with a letter"
	accountRule    = "must be a 12-digit AWS account ID (quote it if it starts with 0)"
	regionRule     = "must be an AWS region code such as us-east-1"
	requiredRule   = "is required"
	dnsNameRule    = "must be a lowercase DNS name such as example.com"
	hostedZoneRule = "must be a Route 53 hosted zone ID (Z followed by uppercase letters and digits)"
)

// checkRules records the problems of the platform rules. Fields are YAML
// key paths.
func (c *PlatformConfig) checkRules(v *validate.Collector) {
	required := func(field string, ok bool) bool { return v.Check(ok, field, nil, requiredRule) }
	str := func(field, value string, ok func(string) bool, rule string) bool {
		if !required(field, value != "") {
			return false
		}
		return v.Check(ok(value), field, value, rule)
	}

	str("project", c.Project, nameRe.MatchString, nameRule)
	domainOK := str("domain", c.Domain, dnsName, dnsNameRule)
	str("hosted_zone_id", c.HostedZoneId, hostedZoneIDRe.MatchString, hostedZoneRule)
	if c.HostedZoneAccountId != "" {
		v.Check(validate.AccountID(c.HostedZoneAccountId), "hosted_zone_account", c.HostedZoneAccountId, accountRule)
	}

	s := c.State
	required("state.bucket", s.Bucket != "")
	stateAccountOK := str("state.account", s.AccountId, validate.AccountID, accountRule)
	stateRegionOK := str("state.region", s.Region, validate.Region, regionRule)
	if s.KmsKeyArn != "" {
		if m := kmsKeyArnRe.FindStringSubmatch(s.KmsKeyArn); m == nil {
			v.Add("state.kms_key_arn", s.KmsKeyArn, "must be a KMS key ARN (the bootstrap output state_kms_key_arn); aliases and key IDs do not match the state bucket policy")
		} else {
			v.Check(!stateRegionOK || m[2] == s.Region, "state.kms_key_arn", s.KmsKeyArn, fmt.Sprintf("must be a key in state.region %s", s.Region))
			v.Check(!stateAccountOK || m[3] == s.AccountId, "state.kms_key_arn", s.KmsKeyArn, fmt.Sprintf("must be a key in state.account %s", s.AccountId))
		}
	}

	if len(c.Environments) == 0 {
		v.Add("environments", nil, "is required: at least one environment")
	}
	hostedZoneAccount := c.HostedZoneAccountId
	if hostedZoneAccount == "" {
		hostedZoneAccount = s.AccountId
	}
	// Every valid VPC range, per account, for the overlap rule.
	byAccount := map[string][]placedCIDR{}
	for _, e := range c.Environments {
		if cidr, rule := validate.CIDR(e.Vpc.CidrBlock); rule == "" && validate.AccountID(e.AccountId) {
			byAccount[e.AccountId] = append(byAccount[e.AccountId], placedCIDR{name: e.Name, cidr: cidr})
		}
	}
	seenCIDRs := map[string]int{}       // per account: how many of byAccount's ranges came before
	detectors := map[[2]string]string{} // account and region -> environment with the GuardDuty detector
	names := map[string]bool{}
	for _, e := range c.Environments {
		p := "environments." + e.Name
		if v.Check(nameRe.MatchString(e.Name), p, e.Name, "environment name "+nameRule) {
			v.Check(!names[e.Name], p, e.Name, "is defined twice: environment names must be unique")
		}
		names[e.Name] = true
		accountOK := str(p+".account", e.AccountId, validate.AccountID, accountRule)
		str(p+".region", e.Region, validate.Region, regionRule)
		if e.Domain != "" && domainOK {
			v.Check(e.Domain == c.Domain || strings.HasSuffix(e.Domain, "."+c.Domain), p+".domain", e.Domain,
				fmt.Sprintf("must be domain %s or a name under it (the certificate is validated in its hosted zone)", c.Domain))
		}
		if e.HostedZoneId != "" {
			v.Check(hostedZoneIDRe.MatchString(e.HostedZoneId), p+".hosted_zone_id", e.HostedZoneId, hostedZoneRule)
		} else if accountOK && validate.AccountID(hostedZoneAccount) && e.AccountId != hostedZoneAccount {
			v.Add(p+".hosted_zone_id", nil, fmt.Sprintf(
				"is required: account %s is not hosted_zone_account %s, and the certificate's DNS validation records are written with this environment's credentials; use a hosted zone in account %s (e.g. a subdomain zone delegated from %s)",
				e.AccountId, hostedZoneAccount, e.AccountId, c.Domain))
		}
		if e.StateRoleArn != "" {
			if m := roleArnRe.FindStringSubmatch(e.StateRoleArn); m == nil {
				v.Add(p+".state_role_arn", e.StateRoleArn, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
			} else {
				v.Check(!stateAccountOK || m[2] == s.AccountId, p+".state_role_arn", e.StateRoleArn,
					fmt.Sprintf("must be a role in state.account %s: the state bucket and key grant only their own account", s.AccountId))
			}
		}

		if required(p+".vpc.cidr", e.Vpc.CidrBlock != "") {
			if cidr, rule := validate.CIDR(e.Vpc.CidrBlock); rule != "" {
				v.Add(p+".vpc.cidr", e.Vpc.CidrBlock, rule)
			} else if accountOK {
				all := byAccount[e.AccountId]
				before := all[:seenCIDRs[e.AccountId]]
				seenCIDRs[e.AccountId]++
				for _, o := range before {
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

func dnsName(s string) bool { return len(s) <= 253 && dnsNameRe.MatchString(s) }

// placedCIDR is an environment's VPC range.
type placedCIDR struct {
	name string
	cidr netip.Prefix
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
