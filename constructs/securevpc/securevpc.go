// Package securevpc provides SecureVpc, the network HardenedEcsService runs
// in: a VPC whose private workloads have no path in from the internet, with
// flow logs and locked default resources.
//
// It offers what terraform-aws-modules/vpc and AWS CDK's ec2.Vpc offer for a
// web platform, with the secure choices on by default:
//
//   - an IPv4 VPC (default 10.0.0.0/16) with DNS support and DNS hostnames,
//     spanning an explicit list of at least two AZs (or the first N from the
//     aws_availability_zones data source);
//   - per AZ, a public subnet (ALB, NAT), a private subnet with egress
//     (tasks) and optionally an isolated subnet (data, no route out of the
//     VPC); map_public_ip_on_launch is false everywhere;
//   - NAT gateways per AZ (default), single, or none;
//   - flow logs of ALL traffic (default) to a CloudWatch log group encrypted
//     with a customer-managed KMS key (rotation on) and kept 365 days,
//     written by a role that may only write to that group; or to S3;
//   - the default security group managed with no rules, the default network
//     ACL and the main route table managed;
//   - optional per-tier network ACLs with a deny list fed from config and
//     from a Terraform variable (incident response: "block suspicious IP");
//   - an S3 gateway endpoint and interface endpoints for ECR, CloudWatch
//     Logs and Secrets Manager (optionally STS, KMS, SSM and more), so tasks
//     work without NAT; AllowEndpointAccessFrom admits a security group.
//
// Every resource is exposed as the provider's typed resource (subnets,
// route tables, routes, NAT gateways and EIPs, the internet gateway,
// endpoints, the flow log, ACLs and their rules, the managed defaults) for
// escape hatches, next to the plain ID strings other constructs take.
//
// An existing VPC is described with VpcAttributes and NewImportedVpc, which
// adds the same hardening (flow log, endpoints, deny rules), each optional.
// Both *SecureVpc and *ImportedVpc are an IVpc.
//
// The validation rules of every field are listed in one place, rules.go.
// They run at synth, before anything is created, together with the app-wide
// registry of names. What only AWS can know fails at apply instead: the
// policy of a bucket or key managed elsewhere (LogDestination, KmsKeyArn:
// the statements they need are exposed as FlowLogBucketPolicyStatements
// and FlowLogKeyPolicyStatements), whether an existing VPC's IDs exist,
// route tables that already have an S3 gateway endpoint or ACL rule numbers
// used outside this app, and endpoint services missing from a chosen AZ.
//
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html
package securevpc

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultnetworkacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultroutetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/networkacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/networkaclrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// SecureVpc is a deployed VPC. Every ID is a cdktf token string that can be
// passed to other constructs' plain-string config fields; every resource is
// also exposed typed. Slices of per-AZ resources are in AZ order.
type SecureVpc struct {
	// Construct is the scope that holds every resource below. (A named field,
	// not embedded: jsii cannot pass a Go struct embedding a construct as a
	// scope.)
	Construct constructs.Construct
	// Vpc is the aws_vpc resource.
	Vpc vpc.Vpc
	// VpcId is the VPC's ID.
	VpcId string
	// CidrBlock is the VPC's IPv4 CIDR (a literal, e.g. "10.0.0.0/16").
	CidrBlock string
	// AvailabilityZones are the AZ names in subnet order (tokens in
	// AvailabilityZoneCount mode).
	AvailabilityZones []string
	// AvailabilityZonesData is the aws_availability_zones data source; nil
	// unless AvailabilityZoneCount is used.
	AvailabilityZonesData dataawsavailabilityzones.DataAwsAvailabilityZones

	// PublicSubnets, PrivateSubnets and IsolatedSubnets are each tier's
	// aws_subnet resources (IsolatedSubnets nil without IsolatedSubnets).
	PublicSubnets, PrivateSubnets, IsolatedSubnets []subnet.Subnet
	// PublicSubnetIds are the public subnets' IDs, in AZ order (for the ALB).
	PublicSubnetIds []string
	// PrivateSubnetIds are the private subnets' IDs, in AZ order (for tasks).
	PrivateSubnetIds []string
	// IsolatedSubnetIds are the isolated subnets' IDs, in AZ order; nil
	// without IsolatedSubnets.
	IsolatedSubnetIds []string
	// PublicSubnetCidrs, PrivateSubnetCidrs and IsolatedSubnetCidrs are the
	// subnets' CIDRs (literals), in AZ order.
	PublicSubnetCidrs, PrivateSubnetCidrs, IsolatedSubnetCidrs []string

	// PublicRouteTable is the public tier's route table (default route to
	// the internet gateway); PublicRouteTableId its ID.
	PublicRouteTable   routetable.RouteTable
	PublicRouteTableId string
	// PrivateRouteTables are the private tier's route tables, one per AZ
	// (default route to a NAT gateway unless NatGatewayNone);
	// PrivateRouteTableIds their IDs.
	PrivateRouteTables   []routetable.RouteTable
	PrivateRouteTableIds []string
	// IsolatedRouteTable is the isolated tier's route table (local routes
	// only); IsolatedRouteTableId its ID ("" without IsolatedSubnets).
	IsolatedRouteTable   routetable.RouteTable
	IsolatedRouteTableId string
	// RouteTableAssociations associate every subnet with its tier's route
	// table, keyed by tier, in AZ order.
	RouteTableAssociations map[string][]routetableassociation.RouteTableAssociation
	// PublicDefaultRoute is 0.0.0.0/0 to the internet gateway;
	// PrivateDefaultRoutes are each private route table's 0.0.0.0/0 to its
	// NAT gateway (nil with NatGatewayNone).
	PublicDefaultRoute   route.Route
	PrivateDefaultRoutes []route.Route

	// InternetGateway is the internet gateway; InternetGatewayId its ID.
	InternetGateway   internetgateway.InternetGateway
	InternetGatewayId string
	// NatGateways are the NAT gateways (per AZ, one, or none), NatEips
	// their Elastic IPs, NatGatewayIds their IDs.
	NatGateways   []natgateway.NatGateway
	NatEips       []eip.Eip
	NatGatewayIds []string

	// DefaultSecurityGroup, DefaultRouteTable and DefaultNetworkAcl are the
	// VPC's managed defaults: the default security group without any rule,
	// the main route table with local routes only (used by no subnet), the
	// default network ACL (allow all without NetworkAcls, no rule with).
	DefaultSecurityGroup defaultsecuritygroup.DefaultSecurityGroup
	DefaultRouteTable    defaultroutetable.DefaultRouteTable
	DefaultNetworkAcl    defaultnetworkacl.DefaultNetworkAcl

	// NetworkAcls maps "public", "private" and "isolated" to the tier's
	// network ACL, NetworkAclIds to its ID, NetworkAclRules to its allow
	// rules (the deny rules are Hardening.DenyRules); nil unless
	// NetworkAcls.Enabled.
	NetworkAcls     map[string]networkacl.NetworkAcl
	NetworkAclIds   map[string]string
	NetworkAclRules map[string][]networkaclrule.NetworkAclRule

	// Hardening holds the flow log, the endpoints and their security group
	// (AllowEndpointAccessFrom), and the deny-list variable and rules.
	Hardening

	// Config is the config after defaults were applied.
	Config SecureVpcConfig
}

// VpcAttributes returns the VPC's IDs (IVpc), for constructs that take any
// VPC: the same values as the string fields, with one route table ID per
// public and isolated tier.
func (x *SecureVpc) VpcAttributes() VpcAttributes {
	a := VpcAttributes{
		VpcId: x.VpcId, CidrBlock: x.CidrBlock, AvailabilityZones: x.AvailabilityZones,
		PublicSubnetIds: x.PublicSubnetIds, PrivateSubnetIds: x.PrivateSubnetIds, IsolatedSubnetIds: x.IsolatedSubnetIds,
		PublicRouteTableIds: []string{x.PublicRouteTableId}, PrivateRouteTableIds: x.PrivateRouteTableIds,
		S3PrefixListId: x.S3PrefixListId, EndpointSecurityGroupId: x.EndpointSecurityGroupId,
	}
	if x.IsolatedRouteTableId != "" {
		a.IsolatedRouteTableIds = []string{x.IsolatedRouteTableId}
	}
	return a.clone()
}

// Tier names, used in Name tags, the Tier tag and NetworkAclIds.
const (
	TierPublic   = "public"
	TierPrivate  = "private"
	TierIsolated = "isolated"
)

// NewSecureVpc validates cfg and creates the VPC described in the package
// documentation under a new construct named id.
//
// It returns a *validate.Error listing every problem, and creates nothing,
// when cfg is invalid (see the rules in rules.go and SecureVpcConfig),
// when scope is nil, when id is not a valid construct id (a letter or '_',
// then at most 63 letters, digits, '_' and '-') or already names a child of
// scope, or when another construct of the app claims one of its names.
//
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc
// and https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html
func NewSecureVpc(scope constructs.Construct, id string, cfg *SecureVpcConfig) (*SecureVpc, error) {
	v := validate.NewFor("securevpc.NewSecureVpc", id)
	// CheckScope reports a bad id; plan only reports what CheckScope
	// cannot see (an id that is a valid construct id but a bad default
	// Name). Without a scope, CheckScope stops early, so plan checks id.
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	l := cfg.plan(v, id, scope == nil)
	var res *registry.Reservation
	if l != nil {
		res = registry.Check(v, scope, id, l.registryEnv(), l.claims())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	c := l.cfg
	p := c.Provider
	x := &SecureVpc{
		Construct:              constructs.NewConstruct(scope, jsii.String(id)),
		CidrBlock:              l.vpc.String(),
		PublicSubnetCidrs:      strs(l.public),
		PrivateSubnetCidrs:     strs(l.private),
		IsolatedSubnetCidrs:    strs(l.isolated),
		RouteTableAssociations: map[string][]routetableassociation.RouteTableAssociation{},
		Config:                 c,
	}
	tree.Child(scope, id, x.Construct)
	in := x.Construct
	x.Vpc = vpc.NewVpc(in, jsii.String("vpc"), &vpc.VpcConfig{
		Provider:           p,
		CidrBlock:          jsii.String(x.CidrBlock),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               common.Tags(c.Tags, map[string]string{"Name": c.Name}),
	})
	vpcID := x.Vpc.Id()
	x.VpcId = *vpcID
	b := l.builder(in, &x.Hardening, vpcID, x.CidrBlock)
	name := b.nameTags

	// Availability zones.
	if len(c.AvailabilityZones) > 0 {
		x.AvailabilityZones = append([]string(nil), c.AvailabilityZones...)
	} else {
		azs := dataawsavailabilityzones.NewDataAwsAvailabilityZones(in, jsii.String("azs"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
			Provider: p,
			State:    jsii.String("available"),
			Filter: &[]*dataawsavailabilityzones.DataAwsAvailabilityZonesFilter{{
				Name: jsii.String("opt-in-status"), Values: jsii.Strings("opt-in-not-required"),
			}},
		})
		// element() wraps around, so guard against a region with fewer AZs.
		azs.AddOverride(jsii.String("lifecycle.postcondition"), []map[string]any{{
			"condition":     fmt.Sprintf("${length(self.names) >= %d}", l.azCount),
			"error_message": fmt.Sprintf("securevpc %s: AvailabilityZoneCount is %d but the region has fewer available AZs.", c.Name, l.azCount),
		}})
		x.AvailabilityZonesData = azs
		for i := 0; i < l.azCount; i++ {
			x.AvailabilityZones = append(x.AvailabilityZones,
				*cdktf.Token_AsString(cdktf.Fn_Element(azs.Names(), jsii.Number(float64(i))), nil))
		}
	}

	// Locked defaults: the default security group without any rule, the
	// main route table with local routes only, the default network ACL.
	x.DefaultSecurityGroup = defaultsecuritygroup.NewDefaultSecurityGroup(in, jsii.String("default_security_group"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
		Provider: p,
		VpcId:    vpcID,
		Ingress:  &[]*defaultsecuritygroup.DefaultSecurityGroupIngress{},
		Egress:   &[]*defaultsecuritygroup.DefaultSecurityGroupEgress{},
		Tags:     name("default-deny-all"),
	})
	x.DefaultRouteTable = defaultroutetable.NewDefaultRouteTable(in, jsii.String("default_route_table"), &defaultroutetable.DefaultRouteTableConfig{
		Provider:            p,
		DefaultRouteTableId: x.Vpc.DefaultRouteTableId(),
		Route:               &[]*defaultroutetable.DefaultRouteTableRoute{},
		Tags:                name("main-unused"),
	})
	dnacl := &defaultnetworkacl.DefaultNetworkAclConfig{
		Provider:            p,
		DefaultNetworkAclId: x.Vpc.DefaultNetworkAclId(),
		Ingress:             &[]*defaultnetworkacl.DefaultNetworkAclIngress{},
		Egress:              &[]*defaultnetworkacl.DefaultNetworkAclEgress{},
		Tags:                name("default"),
		// Subnets join and leave the default ACL implicitly.
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: jsii.Strings("subnet_ids")},
	}
	if !c.NetworkAcls.Enabled {
		// The subnets use the default ACL: allow everything, as AWS's own
		// default does, and let security groups filter.
		dnacl.Ingress = &[]*defaultnetworkacl.DefaultNetworkAclIngress{{
			RuleNo: jsii.Number(100), Action: jsii.String("allow"), Protocol: jsii.String("-1"),
			CidrBlock: jsii.String("0.0.0.0/0"), FromPort: jsii.Number(0), ToPort: jsii.Number(0),
		}}
		dnacl.Egress = &[]*defaultnetworkacl.DefaultNetworkAclEgress{{
			RuleNo: jsii.Number(100), Action: jsii.String("allow"), Protocol: jsii.String("-1"),
			CidrBlock: jsii.String("0.0.0.0/0"), FromPort: jsii.Number(0), ToPort: jsii.Number(0),
		}}
	}
	x.DefaultNetworkAcl = defaultnetworkacl.NewDefaultNetworkAcl(in, jsii.String("default_network_acl"), dnacl)

	// Subnets.
	newSubnets := func(tier string, cidrs []string) []subnet.Subnet {
		var out []subnet.Subnet
		for i, cidr := range cidrs {
			tags := name(tier, x.AvailabilityZones[i])
			(*tags)["Tier"] = jsii.String(tier)
			out = append(out, subnet.NewSubnet(in, jsii.String(fmt.Sprintf("%s_subnet_%d", tier, i)), &subnet.SubnetConfig{
				Provider:            p,
				VpcId:               vpcID,
				CidrBlock:           jsii.String(cidr),
				AvailabilityZone:    jsii.String(x.AvailabilityZones[i]),
				MapPublicIpOnLaunch: jsii.Bool(false),
				Tags:                tags,
			}))
		}
		return out
	}
	ids := func(ss []subnet.Subnet) []string {
		var out []string
		for _, s := range ss {
			out = append(out, *s.Id())
		}
		return out
	}
	x.PublicSubnets = newSubnets(TierPublic, x.PublicSubnetCidrs)
	x.PrivateSubnets = newSubnets(TierPrivate, x.PrivateSubnetCidrs)
	x.IsolatedSubnets = newSubnets(TierIsolated, x.IsolatedSubnetCidrs)
	x.PublicSubnetIds, x.PrivateSubnetIds, x.IsolatedSubnetIds = ids(x.PublicSubnets), ids(x.PrivateSubnets), ids(x.IsolatedSubnets)

	associate := func(rtID string, subnetIDs []string, tier, idPart string) {
		for i, s := range subnetIDs {
			a := routetableassociation.NewRouteTableAssociation(in, jsii.String(fmt.Sprintf("%s_route_table_association_%d", idPart, i)),
				&routetableassociation.RouteTableAssociationConfig{Provider: p, RouteTableId: jsii.String(rtID), SubnetId: jsii.String(s)})
			x.RouteTableAssociations[tier] = append(x.RouteTableAssociations[tier], a)
		}
	}

	// Public tier: one route table, default route to the internet gateway.
	x.InternetGateway = internetgateway.NewInternetGateway(in, jsii.String("internet_gateway"), &internetgateway.InternetGatewayConfig{
		Provider: p,
		VpcId:    vpcID, Tags: name(),
	})
	igw := x.InternetGateway
	x.InternetGatewayId = *igw.Id()
	x.PublicRouteTable = routetable.NewRouteTable(in, jsii.String("public_route_table"), &routetable.RouteTableConfig{Provider: p, VpcId: vpcID, Tags: name(TierPublic)})
	x.PublicRouteTableId = *x.PublicRouteTable.Id()
	x.PublicDefaultRoute = route.NewRoute(in, jsii.String("public_default_route"), &route.RouteConfig{
		Provider:     p,
		RouteTableId: jsii.String(x.PublicRouteTableId), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: jsii.String(x.InternetGatewayId),
	})
	associate(x.PublicRouteTableId, x.PublicSubnetIds, TierPublic, TierPublic)

	// NAT gateways.
	natCount := map[NatGatewayMode]int{NatGatewayPerAz: l.azCount, NatGatewaySingle: 1, NatGatewayNone: 0}[c.NatGateways]
	for i := 0; i < natCount; i++ {
		e := eip.NewEip(in, jsii.String(fmt.Sprintf("nat_eip_%d", i)), &eip.EipConfig{
			Provider: p,
			Domain:   jsii.String("vpc"), Tags: name("nat", x.AvailabilityZones[i]),
		})
		n := natgateway.NewNatGateway(in, jsii.String(fmt.Sprintf("nat_gateway_%d", i)), &natgateway.NatGatewayConfig{
			Provider:     p,
			AllocationId: e.AllocationId(),
			SubnetId:     jsii.String(x.PublicSubnetIds[i]),
			Tags:         name(x.AvailabilityZones[i]),
			DependsOn:    &[]cdktf.ITerraformDependable{igw},
		})
		x.NatEips = append(x.NatEips, e)
		x.NatGateways = append(x.NatGateways, n)
		x.NatGatewayIds = append(x.NatGatewayIds, *n.Id())
	}

	// Private tier: one route table per AZ, default route to a NAT gateway.
	for i := range x.PrivateSubnets {
		rt := routetable.NewRouteTable(in, jsii.String(fmt.Sprintf("private_route_table_%d", i)), &routetable.RouteTableConfig{
			Provider: p,
			VpcId:    vpcID, Tags: name(TierPrivate, x.AvailabilityZones[i]),
		})
		rtID := *rt.Id()
		if len(x.NatGateways) > 0 {
			x.PrivateDefaultRoutes = append(x.PrivateDefaultRoutes, route.NewRoute(in, jsii.String(fmt.Sprintf("private_default_route_%d", i)), &route.RouteConfig{
				Provider:     p,
				RouteTableId: jsii.String(rtID), DestinationCidrBlock: jsii.String("0.0.0.0/0"), NatGatewayId: jsii.String(x.NatGatewayIds[min(i, len(x.NatGateways)-1)]),
			}))
		}
		associate(rtID, x.PrivateSubnetIds[i:i+1], TierPrivate, fmt.Sprintf("%s_%d", TierPrivate, i))
		x.PrivateRouteTables = append(x.PrivateRouteTables, rt)
		x.PrivateRouteTableIds = append(x.PrivateRouteTableIds, rtID)
	}

	// Isolated tier: one route table without any route out of the VPC.
	if c.IsolatedSubnets {
		x.IsolatedRouteTable = routetable.NewRouteTable(in, jsii.String("isolated_route_table"), &routetable.RouteTableConfig{Provider: p, VpcId: vpcID, Tags: name(TierIsolated)})
		x.IsolatedRouteTableId = *x.IsolatedRouteTable.Id()
		associate(x.IsolatedRouteTableId, x.IsolatedSubnetIds, TierIsolated, TierIsolated)
	}

	if l.flowLogs != nil {
		b.flowLog(*l.flowLogs)
	}
	x.newNetworkAcls(l, b)
	if !c.Endpoints.Disabled {
		b.endpoints(l.interfaceEndpoints, x.PrivateSubnetIds, x.PrivateRouteTableIds, true)
	}
	return x, nil
}

// NACL rule numbers: deny rules from 1, allow rules after them.
const (
	denyRuleBase  = 1
	allowRuleBase = 100
)

func (x *SecureVpc) newNetworkAcls(l *plan, b *builder) {
	na := l.cfg.NetworkAcls
	if !na.Enabled {
		return
	}
	in := x.Construct
	p := l.cfg.Provider
	x.NetworkAcls, x.NetworkAclIds, x.NetworkAclRules = map[string]networkacl.NetworkAcl{}, map[string]string{}, map[string][]networkaclrule.NetworkAclRule{}
	b.denyVariable(na.DenyCidrBlocksVariable, l.denyRoom)
	subnets := map[string][]string{TierPublic: x.PublicSubnetIds, TierPrivate: x.PrivateSubnetIds, TierIsolated: x.IsolatedSubnetIds}
	for _, tier := range []string{TierPublic, TierPrivate, TierIsolated} {
		ss := subnets[tier]
		if len(ss) == 0 {
			continue
		}
		subnetIDs := jsii.Strings(ss...)
		acl := networkacl.NewNetworkAcl(in, jsii.String(tier+"_network_acl"), &networkacl.NetworkAclConfig{
			Provider:  p,
			VpcId:     jsii.String(x.VpcId),
			SubnetIds: subnetIDs,
			Tags:      common.Tags(l.cfg.Tags, map[string]string{"Name": l.cfg.Name + "-" + tier, "Tier": tier}),
		})
		x.NetworkAcls[tier] = acl
		aclID := *acl.Id()
		x.NetworkAclIds[tier] = aclID
		for _, egress := range []bool{false, true} {
			dir := "ingress"
			if egress {
				dir = "egress"
			}
			b.denyRules(tier, jsii.String(aclID), na.DenyCidrBlocks, denyRuleBase, egress)
			peer := "0.0.0.0/0"
			if tier == TierIsolated {
				peer = x.CidrBlock
			}
			for j, proto := range []string{"tcp", "udp", "icmp"} {
				rc := &networkaclrule.NetworkAclRuleConfig{
					Provider:     p,
					NetworkAclId: jsii.String(aclID), Egress: jsii.Bool(egress), RuleNumber: jsii.Number(float64(allowRuleBase + 10*j)),
					RuleAction: jsii.String("allow"), Protocol: jsii.String(proto), CidrBlock: jsii.String(peer),
				}
				if proto == "icmp" {
					rc.IcmpType, rc.IcmpCode = jsii.Number(-1), jsii.Number(-1)
				} else {
					rc.FromPort, rc.ToPort = jsii.Number(0), jsii.Number(65535)
				}
				x.NetworkAclRules[tier] = append(x.NetworkAclRules[tier],
					networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_allow_%s", tier, dir, proto)), rc))
			}
		}
	}
}
