package policy

import (
	"fmt"
	"net/netip"
	"strings"
)

// ingress is one inbound permission: an inline ingress block of a security
// group, an aws_security_group_rule of type "ingress", or an
// aws_vpc_security_group_ingress_rule.
type ingress struct {
	owner *resource // the resource a finding is reported on
	group *resource // the security group it opens, when resolvable
	// protocol is lower-case: "tcp", "udp", "icmp", "all", or a number
	// other than 6/17/-1; "" when unknown.
	protocol string
	from, to int
	portsOK  bool // from/to are known (only meaningful for tcp/udp)
	cidrs    []string
}

func normalizeProtocol(p string) string {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "-1", "all":
		return "all"
	case "tcp", "6":
		return "tcp"
	case "udp", "17":
		return "udp"
	case "icmp", "1":
		return "icmp"
	case "icmpv6", "58":
		return "icmpv6"
	}
	return strings.ToLower(p)
}

func (s *stack) ports(attrs map[string]any) (from, to int, ok bool) {
	f, fs := s.number(attrs["from_port"])
	t, ts := s.number(attrs["to_port"])
	if fs != known || ts != known || f != f || t != t { // f != f: NaN
		return 0, 0, false
	}
	clamp := func(x float64) int { return int(max(-1, min(65536, x))) }
	return clamp(f), clamp(t), true
}

func (s *stack) ingresses() []ingress {
	var out []ingress
	add := func(owner, group *resource, attrs map[string]any, protoKey string, cidrKeys ...string) {
		in := ingress{owner: owner, group: group}
		if p, st := s.str(attrs[protoKey]); st == known {
			in.protocol = normalizeProtocol(p)
		}
		in.from, in.to, in.portsOK = s.ports(attrs)
		for _, k := range cidrKeys {
			cs, _ := s.strings(attrs[k])
			in.cidrs = append(in.cidrs, cs...)
		}
		out = append(out, in)
	}
	for _, typ := range []string{"aws_security_group", "aws_default_security_group"} {
		for _, g := range s.byType[typ] {
			for _, b := range blocks(g.attrs["ingress"]) {
				add(g, g, b, "protocol", "cidr_blocks", "ipv6_cidr_blocks")
			}
			// cdktf's TerraformDynamicBlock: dynamic "ingress" { content { ... } }.
			// Values from the iterator are unknown; literals in content count.
			for _, d := range blocks(g.attrs["dynamic"]) {
				for _, dyn := range blocks(d["ingress"]) {
					for _, b := range blocks(dyn["content"]) {
						add(g, g, b, "protocol", "cidr_blocks", "ipv6_cidr_blocks")
					}
				}
			}
		}
	}
	group := func(v any) *resource {
		ts, _ := s.targets(v, "aws_security_group", "aws_default_security_group")
		if len(ts) == 1 {
			return ts[0]
		}
		return nil
	}
	for _, r := range s.byType["aws_security_group_rule"] {
		if t, _ := s.literalString(r.attrs["type"]); t != "ingress" {
			continue
		}
		add(r, group(r.attrs["security_group_id"]), r.attrs, "protocol", "cidr_blocks", "ipv6_cidr_blocks")
	}
	for _, r := range s.byType["aws_vpc_security_group_ingress_rule"] {
		add(r, group(r.attrs["security_group_id"]), r.attrs, "ip_protocol", "cidr_ipv4", "cidr_ipv6")
	}
	return out
}

// openCIDRs returns the CIDRs that admit every address (0.0.0.0/0, ::/0).
func (in ingress) openCIDRs() []string {
	var out []string
	for _, c := range in.cidrs {
		if p, err := netip.ParsePrefix(strings.TrimSpace(c)); err == nil && p.Bits() == 0 {
			out = append(out, c)
		}
	}
	return out
}

// covers reports whether the permission admits port on TCP or UDP.
func (in ingress) covers(port int) bool {
	switch in.protocol {
	case "all":
		return true
	case "tcp", "udp":
		return in.portsOK && in.from <= port && port <= in.to
	}
	return false
}

func (in ingress) describe(open []string) string {
	switch in.protocol {
	case "all":
		return fmt.Sprintf("all traffic from %s", strings.Join(open, ", "))
	case "tcp", "udp":
		if in.from == in.to {
			return fmt.Sprintf("%s %d from %s", in.protocol, in.from, strings.Join(open, ", "))
		}
		return fmt.Sprintf("%s %d-%d from %s", in.protocol, in.from, in.to, strings.Join(open, ", "))
	}
	return fmt.Sprintf("protocol %s from %s", in.protocol, strings.Join(open, ", "))
}

func checkSGAdmin(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, in := range s.ingresses() {
		open := in.openCIDRs()
		if len(open) == 0 || in.protocol == "" {
			continue
		}
		var admin []string
		if in.covers(22) {
			admin = append(admin, "SSH (22)")
		}
		if in.covers(3389) {
			admin = append(admin, "RDP (3389)")
		}
		if len(admin) > 0 {
			hits = append(hits, hit{in.owner, in.describe(open) + " reaches " + strings.Join(admin, " and ")})
		}
	}
	return hits
}

var adminOrWeb = map[int]bool{22: true, 80: true, 443: true, 3389: true}

func checkSGOtherPorts(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, in := range s.ingresses() {
		open := in.openCIDRs()
		if len(open) == 0 || in.protocol == "" {
			continue
		}
		other := false
		switch in.protocol {
		case "all":
			other = true
		case "tcp", "udp":
			if !in.portsOK {
				continue
			}
			for p := max(in.from, 0); p <= in.to && p <= 65535; p++ {
				if !adminOrWeb[p] || (in.protocol == "udp" && (p == 80 || p == 443)) {
					other = true
					break
				}
			}
		default:
			other = true // ICMP and other protocols
		}
		if other {
			hits = append(hits, hit{in.owner, in.describe(open)})
		}
	}
	return hits
}

// usedByLoadBalancer reports whether a load balancer lists the group.
func (s *stack) usedByLoadBalancer(g *resource) bool {
	for _, typ := range []string{"aws_lb", "aws_alb", "aws_elb"} {
		for _, lb := range s.byType[typ] {
			if refersTo(lb.attrs["security_groups"], g) {
				return true
			}
		}
	}
	return false
}

func checkSGWebNotLB(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, in := range s.ingresses() {
		open := in.openCIDRs()
		if len(open) == 0 || in.protocol != "tcp" || !(in.covers(80) || in.covers(443)) {
			continue
		}
		if in.group == nil || s.usedByLoadBalancer(in.group) {
			continue // an unresolvable group may be a load balancer's
		}
		hits = append(hits, hit{in.owner, fmt.Sprintf("%s on %s, which no load balancer in the stack uses", in.describe(open), in.group.address())})
	}
	return hits
}

func checkSubnetPublicIP(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, typ := range []string{"aws_subnet", "aws_default_subnet"} {
		for _, sn := range s.byType[typ] {
			v, st := s.boolean(sn.attrs["map_public_ip_on_launch"])
			// aws_default_subnet defaults to true (AWS's default subnets map public IPs).
			if (st == known && v) || (st == absent && typ == "aws_default_subnet") {
				hits = append(hits, hit{sn, "map_public_ip_on_launch = true: every instance and task launched here gets a public IP"})
			}
		}
	}
	return hits
}

func checkVPCFlowLogs(c *checkContext, s *stack) []hit {
	var hits []hit
	open := s.openReferrers("aws_flow_log", "vpc_id", "aws_vpc", "aws_default_vpc")
	for _, typ := range []string{"aws_vpc", "aws_default_vpc"} {
		for _, v := range s.byType[typ] {
			if len(s.referrers(v, "aws_flow_log", "vpc_id")) > 0 || open {
				continue
			}
			hits = append(hits, hit{v, "no aws_flow_log refers to this VPC"})
		}
	}
	return hits
}

func checkECSServicePublicIP(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, svc := range s.byType["aws_ecs_service"] {
		for _, nc := range blocks(svc.attrs["network_configuration"]) {
			if v, st := s.boolean(nc["assign_public_ip"]); st == known && v {
				hits = append(hits, hit{svc, "network_configuration.assign_public_ip = true"})
			}
		}
	}
	return hits
}
