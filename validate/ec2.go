package validate

import (
	"fmt"
	"net/netip"
	"regexp"
)

// EC2ResourceKind is a kind of EC2 resource ID: its prefix ("vpc", "subnet",
// "rtb", ...) and what messages call it. EC2 IDs are the prefix, '-', and 8
// (older resources) or 17 lowercase hexadecimal digits.
// See https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
type EC2ResourceKind struct {
	// Prefix is the ID prefix before '-', e.g. "subnet".
	Prefix string
	// What names the kind in messages, e.g. "subnet".
	What string
}

// EC2 resource ID kinds the constructs take.
var (
	VpcID           = EC2ResourceKind{Prefix: "vpc", What: "VPC"}
	SubnetID        = EC2ResourceKind{Prefix: "subnet", What: "subnet"}
	RouteTableID    = EC2ResourceKind{Prefix: "rtb", What: "route table"}
	SecurityGroupID = EC2ResourceKind{Prefix: "sg", What: "security group"}
	PrefixListID    = EC2ResourceKind{Prefix: "pl", What: "prefix list"}
	NetworkAclID    = EC2ResourceKind{Prefix: "acl", What: "network ACL"}
)

// Security group rule quota: "Inbound or outbound rules per security group"
// is 60 by default, counted separately for IPv4 and IPv6 and for each
// direction; it can be raised, to at most 1,000 (rules per group times
// groups per network interface may not exceed 1,000).
// See https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
const (
	DefaultSecurityGroupRuleQuota = 60
	MaxSecurityGroupRuleQuota     = 1000
)

// SecurityGroupRuleQuotaInRange reports whether quota is a value the
// quota can have, 1 to MaxSecurityGroupRuleQuota.
func SecurityGroupRuleQuotaInRange(quota int) bool {
	return quota >= 1 && quota <= MaxSecurityGroupRuleQuota
}

// SecurityGroupRules records a problem on field when a security group
// would hold more than quota rules of one direction; what says what they
// are ("inbound rules (CIDR blocks x ports: 3 x 2)") and fix what to do
// ("use fewer, wider CIDR blocks, or raise the quota and set
// SecurityGroupRuleQuota"). It reports whether the rules fit. A quota out
// of range is not compared (its own Range check, where it is set, reports
// it once).
func (c *Collector) SecurityGroupRules(field string, value any, rules, quota int, what, fix string) bool {
	if !SecurityGroupRuleQuotaInRange(quota) {
		return true
	}
	return c.Check(rules <= quota, field, value, fmt.Sprintf(
		"needs %d %s on one security group, over the quota of %d (the account's \"Inbound or outbound rules per security group\", %d unless raised in Service Quotas): %s",
		rules, what, quota, DefaultSecurityGroupRuleQuota, fix))
}

var ec2IDRe = regexp.MustCompile(`^([a-z]+)-([0-9a-f]{8}|[0-9a-f]{17})$`)

// EC2IDRule returns why id is not an EC2 ID of kind ("vpc-0a1b2c3d" or
// "vpc-0123456789abcdef0"), or "". Test Collector.Literal first: an ID
// holding a token is Terraform's to check.
func EC2IDRule(id string, kind EC2ResourceKind) string {
	if m := ec2IDRe.FindStringSubmatch(id); m != nil && m[1] == kind.Prefix {
		return ""
	}
	return fmt.Sprintf("must be a %s ID: %q followed by 8 or 17 lowercase hexadecimal digits, e.g. %s-0123456789abcdef0 (or a reference such as a resource's id)",
		kind.What, kind.Prefix+"-", kind.Prefix)
}

// EC2ID records EC2IDRule's problem unless value is an EC2 ID of kind or
// holds a cdktf token (e.g. *subnet.Id(): Terraform's to check; a token
// that does not belong to the app is reported by ConfigTokens, which every
// constructor calls), and reports validity.
func (c *Collector) EC2ID(field, value string, kind EC2ResourceKind) bool {
	if HasToken(value) {
		return true
	}
	return c.Rule(field, value, EC2IDRule(value, kind))
}

// VPC CIDR block sizes: a VPC's IPv4 CIDR block is /16 to /28, and so is
// every subnet's.
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
const (
	VPCMinPrefixLength = 16
	VPCMaxPrefixLength = 28
)

// VPCCIDRRule is the rule of a VPC's (or subnet's) IPv4 CIDR block.
const VPCCIDRRule = "must be an IPv4 CIDR block between /16 and /28 (VPC limits)"

// VPCSized reports whether p is an IPv4 block a VPC may have (/16 to /28).
func VPCSized(p netip.Prefix) bool {
	return p.Addr().Is4() && p.Bits() >= VPCMinPrefixLength && p.Bits() <= VPCMaxPrefixLength
}

// VPCCIDR checks a literal VPC IPv4 CIDR block (the CIDR rules,
// then VPCCIDRRule, suggesting the nearest allowed size) and returns it
// with true when valid.
func (c *Collector) VPCCIDR(field, s string) (netip.Prefix, bool) {
	p, rule := CIDR(s)
	if rule != "" {
		c.Add(field, s, rule)
		return netip.Prefix{}, false
	}
	if !VPCSized(p) {
		near := ""
		if p.Addr().Is4() {
			near = netip.PrefixFrom(p.Addr(), min(max(p.Bits(), VPCMinPrefixLength), VPCMaxPrefixLength)).Masked().String()
		}
		c.Suggest(field, s, VPCCIDRRule, near)
		return netip.Prefix{}, false
	}
	return p, true
}
