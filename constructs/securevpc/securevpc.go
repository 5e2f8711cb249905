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
//     work without NAT.
//
// See https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html
package securevpc

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultnetworkacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultroutetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/networkacl"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/networkaclrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// SecureVpc is a deployed VPC. Every ID is a cdktf token string that can be
// passed to other constructs' plain-string config fields.
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
	// PublicRouteTableId is the public tier's route table (default route to
	// the internet gateway).
	PublicRouteTableId string
	// PrivateRouteTableIds are the private tier's route tables, one per AZ in
	// AZ order (default route to a NAT gateway unless NatGatewayNone).
	PrivateRouteTableIds []string
	// IsolatedRouteTableId is the isolated tier's route table (local routes
	// only); "" without IsolatedSubnets.
	IsolatedRouteTableId string
	// InternetGatewayId is the internet gateway's ID.
	InternetGatewayId string
	// NatGatewayIds are the NAT gateways' IDs (per AZ, one, or none).
	NatGatewayIds []string
	// FlowLogId is the flow log's ID; "" with FlowLogs.Disabled.
	FlowLogId string
	// FlowLogGroupName and FlowLogGroupArn identify the flow-log group; ""
	// unless the destination is cloud-watch-logs.
	FlowLogGroupName, FlowLogGroupArn string
	// FlowLogKmsKeyArn is the ARN of the key that encrypts the log group; ""
	// unless the destination is cloud-watch-logs.
	FlowLogKmsKeyArn string
	// FlowLogKey is the key the construct created for the log group; nil
	// unless the destination is cloud-watch-logs and no key was brought
	// (FlowLogs.KmsKey, FlowLogs.KmsKeyArn).
	FlowLogKey *securekey.SecureKey
	// FlowLogKeyPolicyStatements are the key-policy statements the flow-log
	// group's key needs (CloudWatch Logs of Region for this one log group):
	// added to the key created or given as FlowLogs.KmsKey, and to be
	// present in the policy of a FlowLogs.KmsKeyArn key. nil unless the
	// destination is cloud-watch-logs.
	FlowLogKeyPolicyStatements []iampolicy.Statement
	// FlowLogRoleArn is the ARN of the role that delivers flow logs; ""
	// unless the destination is cloud-watch-logs.
	FlowLogRoleArn string
	// EndpointSecurityGroupId is the security group of the interface
	// endpoints (TCP 443 from the VPC CIDR); "" with Endpoints.Disabled.
	EndpointSecurityGroupId string
	// S3GatewayEndpointId is the S3 gateway endpoint's ID; "" with
	// Endpoints.Disabled.
	S3GatewayEndpointId string
	// S3PrefixListId is the prefix list of the S3 gateway endpoint, for
	// security-group egress rules to S3 (ECR image layers); "" with
	// Endpoints.Disabled.
	S3PrefixListId string
	// InterfaceEndpointIds maps each interface endpoint service ("ecr.api",
	// ...) to its endpoint ID.
	InterfaceEndpointIds map[string]string
	// NetworkAclIds maps "public", "private" and "isolated" to the tier's
	// network ACL ID; nil unless NetworkAcls.Enabled.
	NetworkAclIds map[string]string
	// DenyCidrBlocksVariable is the Terraform variable feeding the deny list;
	// nil unless NetworkAcls.DenyCidrBlocksVariable is set.
	DenyCidrBlocksVariable cdktf.TerraformVariable
	// Config is the config after defaults were applied.
	Config SecureVpcConfig
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
// when cfg is invalid (see SecureVpcConfig for the rules), when scope is
// nil, or when id is not a valid construct id (a letter or '_', then at most
// 63 letters, digits, '_' and '-') or already names a child of scope.
//
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc
// and https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html
func NewSecureVpc(scope constructs.Construct, id string, cfg *SecureVpcConfig) (*SecureVpc, error) {
	v := validate.New("securevpc.NewSecureVpc")
	// CheckScope reports a bad id; layout only reports what CheckScope
	// cannot see (an id that is a valid construct id but a bad default
	// Name). Without a scope, CheckScope stops early, so layout checks id.
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	l := cfg.layout(v, id, scope == nil)
	var res *registry.Reservation
	if l != nil {
		res = registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(l.cfg.Region), Account: l.cfg.AccountId, Region: l.cfg.Region}, l.claims())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	c := l.cfg
	p := c.Provider
	env := baseline.Env{AccountID: c.AccountId, Region: c.Region}
	x := &SecureVpc{
		Construct:            constructs.NewConstruct(scope, jsii.String(id)),
		CidrBlock:            l.vpc.String(),
		PublicSubnetCidrs:    strs(l.public),
		PrivateSubnetCidrs:   strs(l.private),
		IsolatedSubnetCidrs:  strs(l.isolated),
		InterfaceEndpointIds: map[string]string{},
		Config:               c,
	}
	in := x.Construct
	// name returns the tags of one resource: the user's Tags and its Name.
	name := func(parts ...string) *map[string]*string {
		return common.Tags(c.Tags, map[string]string{"Name": strings.Join(append([]string{c.Name}, parts...), "-")})
	}

	x.Vpc = vpc.NewVpc(in, jsii.String("vpc"), &vpc.VpcConfig{
		Provider:           p,
		CidrBlock:          jsii.String(x.CidrBlock),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               name(),
	})
	x.VpcId = *x.Vpc.Id()
	vpcID := x.Vpc.Id()

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
		for i := 0; i < l.azCount; i++ {
			x.AvailabilityZones = append(x.AvailabilityZones,
				*cdktf.Token_AsString(cdktf.Fn_Element(azs.Names(), jsii.Number(float64(i))), nil))
		}
	}

	// Locked defaults: the default security group without any rule, the
	// main route table with local routes only, the default network ACL.
	defaultsecuritygroup.NewDefaultSecurityGroup(in, jsii.String("default_security_group"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
		Provider: p,
		VpcId:    vpcID,
		Ingress:  &[]*defaultsecuritygroup.DefaultSecurityGroupIngress{},
		Egress:   &[]*defaultsecuritygroup.DefaultSecurityGroupEgress{},
		Tags:     name("default-deny-all"),
	})
	defaultroutetable.NewDefaultRouteTable(in, jsii.String("default_route_table"), &defaultroutetable.DefaultRouteTableConfig{
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
	defaultnetworkacl.NewDefaultNetworkAcl(in, jsii.String("default_network_acl"), dnacl)

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
	public := newSubnets(TierPublic, x.PublicSubnetCidrs)
	private := newSubnets(TierPrivate, x.PrivateSubnetCidrs)
	isolated := newSubnets(TierIsolated, x.IsolatedSubnetCidrs)
	x.PublicSubnetIds, x.PrivateSubnetIds, x.IsolatedSubnetIds = ids(public), ids(private), ids(isolated)

	associate := func(rt routetable.RouteTable, ss []subnet.Subnet, tier string) {
		for i, s := range ss {
			routetableassociation.NewRouteTableAssociation(in, jsii.String(fmt.Sprintf("%s_route_table_association_%d", tier, i)),
				&routetableassociation.RouteTableAssociationConfig{Provider: p, RouteTableId: rt.Id(), SubnetId: s.Id()})
		}
	}

	// Public tier: one route table, default route to the internet gateway.
	igw := internetgateway.NewInternetGateway(in, jsii.String("internet_gateway"), &internetgateway.InternetGatewayConfig{
		Provider: p,
		VpcId:    vpcID, Tags: name(),
	})
	x.InternetGatewayId = *igw.Id()
	publicRT := routetable.NewRouteTable(in, jsii.String("public_route_table"), &routetable.RouteTableConfig{Provider: p, VpcId: vpcID, Tags: name(TierPublic)})
	x.PublicRouteTableId = *publicRT.Id()
	route.NewRoute(in, jsii.String("public_default_route"), &route.RouteConfig{
		Provider:     p,
		RouteTableId: publicRT.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: igw.Id(),
	})
	associate(publicRT, public, TierPublic)

	// NAT gateways.
	var nats []natgateway.NatGateway
	natCount := map[NatGatewayMode]int{NatGatewayPerAz: l.azCount, NatGatewaySingle: 1, NatGatewayNone: 0}[c.NatGateways]
	for i := 0; i < natCount; i++ {
		e := eip.NewEip(in, jsii.String(fmt.Sprintf("nat_eip_%d", i)), &eip.EipConfig{
			Provider: p,
			Domain:   jsii.String("vpc"), Tags: name("nat", x.AvailabilityZones[i]),
		})
		n := natgateway.NewNatGateway(in, jsii.String(fmt.Sprintf("nat_gateway_%d", i)), &natgateway.NatGatewayConfig{
			Provider:     p,
			AllocationId: e.AllocationId(),
			SubnetId:     public[i].Id(),
			Tags:         name(x.AvailabilityZones[i]),
			DependsOn:    &[]cdktf.ITerraformDependable{igw},
		})
		nats = append(nats, n)
		x.NatGatewayIds = append(x.NatGatewayIds, *n.Id())
	}

	// Private tier: one route table per AZ, default route to a NAT gateway.
	var privateRTs []*string
	for i, s := range private {
		rt := routetable.NewRouteTable(in, jsii.String(fmt.Sprintf("private_route_table_%d", i)), &routetable.RouteTableConfig{
			Provider: p,
			VpcId:    vpcID, Tags: name(TierPrivate, x.AvailabilityZones[i]),
		})
		if len(nats) > 0 {
			route.NewRoute(in, jsii.String(fmt.Sprintf("private_default_route_%d", i)), &route.RouteConfig{
				Provider:     p,
				RouteTableId: rt.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), NatGatewayId: nats[min(i, len(nats)-1)].Id(),
			})
		}
		associate(rt, []subnet.Subnet{s}, fmt.Sprintf("%s_%d", TierPrivate, i))
		privateRTs = append(privateRTs, rt.Id())
		x.PrivateRouteTableIds = append(x.PrivateRouteTableIds, *rt.Id())
	}

	// Isolated tier: one route table without any route out of the VPC.
	if c.IsolatedSubnets {
		rt := routetable.NewRouteTable(in, jsii.String("isolated_route_table"), &routetable.RouteTableConfig{Provider: p, VpcId: vpcID, Tags: name(TierIsolated)})
		x.IsolatedRouteTableId = *rt.Id()
		associate(rt, isolated, TierIsolated)
	}

	x.newFlowLog(l, env, name)
	x.newNetworkAcls(l, map[string][]subnet.Subnet{TierPublic: public, TierPrivate: private, TierIsolated: isolated})
	x.newEndpoints(l, privateRTs, name)
	return x, nil
}

func (x *SecureVpc) newFlowLog(l *layout, env baseline.Env, name func(...string) *map[string]*string) {
	fl := l.cfg.FlowLogs
	if fl.Disabled {
		return
	}
	in := x.Construct
	c := l.cfg
	p := c.Provider
	flc := &flowlog.FlowLogConfig{
		Provider:               p,
		VpcId:                  x.Vpc.Id(),
		TrafficType:            jsii.String(fl.TrafficType),
		LogDestinationType:     jsii.String(fl.LogDestinationType),
		MaxAggregationInterval: jsii.Number(float64(fl.MaxAggregationInterval)),
		Tags:                   name(),
	}
	if fl.LogDestinationType == FlowLogDestinationS3 {
		flc.LogDestination = jsii.String(fl.LogDestination)
	} else {
		groupName := flowLogGroupName(c.Name)
		// CloudWatch Logs may use the key for this one log group only.
		venv := validate.Env{AccountId: env.AccountID, Region: env.Region}
		logsStmt := flowLogKeyStatement(c.Name, venv)
		var keyArn *string
		switch {
		case fl.KmsKey != nil:
			if err := fl.KmsKey.AddToResourcePolicy(logsStmt); err != nil {
				panic(err) // unreachable: CheckUse passed during validation
			}
			keyArn = fl.KmsKey.Arn()
		case fl.KmsKeyArn != "":
			keyArn = jsii.String(fl.KmsKeyArn)
		default:
			// The created key keeps the Sid it always had.
			logsStmt.Sid = "AllowCloudWatchLogs"
			key, err := securekey.NewSecureKey(in, "flow_log_key", &securekey.SecureKeyConfig{
				AccountId:            c.AccountId,
				Region:               c.Region,
				Description:          "Encrypts the VPC flow logs of " + c.Name,
				Alias:                flowLogKeyAlias(c.Name),
				DeletionWindowInDays: FlowLogKeyDeletionWindowInDays,
				Statements:           []iampolicy.Statement{logsStmt},
				Tags:                 c.Tags,
				Provider:             p,
			})
			if err != nil {
				panic(err) // unreachable: the config was validated
			}
			x.FlowLogKey, keyArn = key, key.Arn()
		}
		x.FlowLogKeyPolicyStatements = []iampolicy.Statement{logsStmt}
		group := baseline.NewLogGroup(in, "flow_log_group", baseline.LogGroupConfig{
			Name: groupName, RetentionInDays: fl.RetentionInDays, KmsKeyArn: keyArn,
			Tags: common.Tags(c.Tags, nil), Provider: p,
		})
		trust := iampolicy.New(iampolicy.Statement{
			Sid:       "AllowVpcFlowLogs",
			Effect:    "Allow",
			Principal: iampolicy.Service("vpc-flow-logs.amazonaws.com"),
			Action:    []string{"sts:AssumeRole"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": env.AccountID},
				"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", env.Partition(), env.Region, env.AccountID)},
			},
		})
		role := iamrole.NewIamRole(in, jsii.String("flow_log_role"), &iamrole.IamRoleConfig{
			Provider:         p,
			NamePrefix:       jsii.String(c.Name + "-flow-logs-"),
			Description:      jsii.String("Delivers the VPC flow logs of " + c.Name + " to " + groupName),
			AssumeRolePolicy: jsii.String(trust.JSON()),
			Tags:             name("flow-logs"),
		})
		arn := *group.Arn()
		write := iampolicy.New(iampolicy.Statement{
			Sid:      "WriteFlowLogGroup",
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			Resource: []string{arn, arn + ":log-stream:*"},
		})
		iamrolepolicy.NewIamRolePolicy(in, jsii.String("flow_log_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
			Provider: p,
			Name:     jsii.String("write-flow-log-group"),
			Role:     role.Id(),
			Policy:   jsii.String(write.JSON()),
		})
		flc.LogDestination = group.Arn()
		flc.IamRoleArn = role.Arn()
		x.FlowLogGroupName, x.FlowLogGroupArn = *group.Name(), arn
		x.FlowLogKmsKeyArn, x.FlowLogRoleArn = *keyArn, *role.Arn()
	}
	x.FlowLogId = *flowlog.NewFlowLog(in, jsii.String("flow_log"), flc).Id()
}

// NACL rule numbers: deny rules from 1, allow rules after them.
const (
	denyRuleBase  = 1
	allowRuleBase = 100
)

func (x *SecureVpc) newNetworkAcls(l *layout, subnets map[string][]subnet.Subnet) {
	na := l.cfg.NetworkAcls
	if !na.Enabled {
		return
	}
	in := x.Construct
	p := l.cfg.Provider
	x.NetworkAclIds = map[string]string{}
	if na.DenyCidrBlocksVariable != "" {
		room := MaxDenyCidrBlocks - len(na.DenyCidrBlocks)
		x.DenyCidrBlocksVariable = cdktf.NewTerraformVariable(in, jsii.String("deny_cidr_blocks"), &cdktf.TerraformVariableConfig{
			Type:        jsii.String("list(string)"),
			Default:     &[]*string{},
			Nullable:    jsii.Bool(false),
			Description: jsii.String(fmt.Sprintf("IPv4 CIDRs denied in and out of every subnet of VPC %s (network ACL rules; at most %d).", l.cfg.Name, room)),
			Validation: &[]*cdktf.TerraformVariableValidationConfig{
				{
					Condition:    jsii.String(fmt.Sprintf("${length(var.%s) <= %d}", na.DenyCidrBlocksVariable, room)),
					ErrorMessage: jsii.String(fmt.Sprintf("At most %d CIDRs fit in the network ACLs' deny rules.", room)),
				},
				{
					Condition:    jsii.String(fmt.Sprintf("${alltrue([for c in var.%s : can(cidrnetmask(c)) && cidrhost(c, 0) == split(\"/\", c)[0]])}", na.DenyCidrBlocksVariable)),
					ErrorMessage: jsii.String("Every entry must be an IPv4 CIDR block without host bits, such as 203.0.113.7/32."),
				},
			},
		})
		x.DenyCidrBlocksVariable.OverrideLogicalId(jsii.String(na.DenyCidrBlocksVariable))
	}
	for _, tier := range []string{TierPublic, TierPrivate, TierIsolated} {
		ss := subnets[tier]
		if len(ss) == 0 {
			continue
		}
		var subnetIDs []*string
		for _, s := range ss {
			subnetIDs = append(subnetIDs, s.Id())
		}
		acl := networkacl.NewNetworkAcl(in, jsii.String(tier+"_network_acl"), &networkacl.NetworkAclConfig{
			Provider:  p,
			VpcId:     x.Vpc.Id(),
			SubnetIds: &subnetIDs,
			Tags:      common.Tags(l.cfg.Tags, map[string]string{"Name": l.cfg.Name + "-" + tier, "Tier": tier}),
		})
		x.NetworkAclIds[tier] = *acl.Id()
		for _, egress := range []bool{false, true} {
			dir := "ingress"
			if egress {
				dir = "egress"
			}
			for i, cidr := range na.DenyCidrBlocks {
				networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_deny_%d", tier, dir, i)), &networkaclrule.NetworkAclRuleConfig{
					Provider:     p,
					NetworkAclId: acl.Id(), Egress: jsii.Bool(egress), RuleNumber: jsii.Number(float64(denyRuleBase + i)),
					RuleAction: jsii.String("deny"), Protocol: jsii.String("-1"), CidrBlock: jsii.String(cidr),
					FromPort: jsii.Number(0), ToPort: jsii.Number(0),
				})
			}
			if x.DenyCidrBlocksVariable != nil {
				count := cdktf.TerraformCount_Of(cdktf.Fn_LengthOf(x.DenyCidrBlocksVariable.ListValue()))
				networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_deny_variable", tier, dir)), &networkaclrule.NetworkAclRuleConfig{
					Provider:     p,
					Count:        count,
					NetworkAclId: acl.Id(), Egress: jsii.Bool(egress),
					RuleNumber: cdktf.Op_Add(count.Index(), jsii.Number(float64(denyRuleBase+len(na.DenyCidrBlocks)))),
					RuleAction: jsii.String("deny"), Protocol: jsii.String("-1"),
					CidrBlock: cdktf.Token_AsString(cdktf.Fn_Element(x.DenyCidrBlocksVariable.ListValue(), count.Index()), nil),
					FromPort:  jsii.Number(0), ToPort: jsii.Number(0),
				})
			}
			peer := "0.0.0.0/0"
			if tier == TierIsolated {
				peer = x.CidrBlock
			}
			for j, proto := range []string{"tcp", "udp", "icmp"} {
				rc := &networkaclrule.NetworkAclRuleConfig{
					Provider:     p,
					NetworkAclId: acl.Id(), Egress: jsii.Bool(egress), RuleNumber: jsii.Number(float64(allowRuleBase + 10*j)),
					RuleAction: jsii.String("allow"), Protocol: jsii.String(proto), CidrBlock: jsii.String(peer),
				}
				if proto == "icmp" {
					rc.IcmpType, rc.IcmpCode = jsii.Number(-1), jsii.Number(-1)
				} else {
					rc.FromPort, rc.ToPort = jsii.Number(0), jsii.Number(65535)
				}
				networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_allow_%s", tier, dir, proto)), rc)
			}
		}
	}
}

func (x *SecureVpc) newEndpoints(l *layout, privateRTs []*string, name func(...string) *map[string]*string) {
	if l.cfg.Endpoints.Disabled {
		return
	}
	in := x.Construct
	p := l.cfg.Provider
	region := l.cfg.Region
	s3 := vpcendpoint.NewVpcEndpoint(in, jsii.String("s3_gateway_endpoint"), &vpcendpoint.VpcEndpointConfig{
		Provider:        p,
		VpcId:           x.Vpc.Id(),
		ServiceName:     jsii.String("com.amazonaws." + region + ".s3"),
		VpcEndpointType: jsii.String("Gateway"),
		RouteTableIds:   &privateRTs,
		Tags:            name("s3"),
	})
	x.S3GatewayEndpointId = *s3.Id()
	x.S3PrefixListId = *s3.PrefixListId()

	sg := securitygroup.NewSecurityGroup(in, jsii.String("endpoint_security_group"), &securitygroup.SecurityGroupConfig{
		Provider:    p,
		NamePrefix:  jsii.String(l.cfg.Name + "-endpoints-"),
		Description: jsii.String("Interface VPC endpoints of " + l.cfg.Name + ": HTTPS from the VPC only"),
		VpcId:       x.Vpc.Id(),
		Ingress: &[]*securitygroup.SecurityGroupIngress{{
			Description: jsii.String("HTTPS from the VPC"),
			Protocol:    jsii.String("tcp"),
			FromPort:    jsii.Number(443),
			ToPort:      jsii.Number(443),
			CidrBlocks:  jsii.Strings(x.CidrBlock),
		}},
		// Endpoints only answer; security groups are stateful.
		Egress: &[]*securitygroup.SecurityGroupEgress{},
		Tags:   name("endpoints"),
	})
	x.EndpointSecurityGroupId = *sg.Id()
	var subnetIDs []*string
	for _, id := range x.PrivateSubnetIds {
		subnetIDs = append(subnetIDs, jsii.String(id))
	}
	for _, svc := range l.interfaceEndpoints {
		e := vpcendpoint.NewVpcEndpoint(in, jsii.String(strings.NewReplacer(".", "_", "-", "_").Replace(svc)+"_endpoint"), &vpcendpoint.VpcEndpointConfig{
			Provider:          p,
			VpcId:             x.Vpc.Id(),
			ServiceName:       jsii.String("com.amazonaws." + region + "." + svc),
			VpcEndpointType:   jsii.String("Interface"),
			SubnetIds:         &subnetIDs,
			SecurityGroupIds:  jsii.Strings(x.EndpointSecurityGroupId),
			PrivateDnsEnabled: jsii.Bool(true),
			Tags:              name(svc),
		})
		x.InterfaceEndpointIds[svc] = *e.Id()
	}
}
