package securevpc

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// VpcAttributes describes a VPC by its IDs: what other constructs
// (ecsservice, stacks) need from a VPC, whether SecureVpc created it
// (SecureVpc.VpcAttributes) or it already exists (NewImportedVpc, after AWS
// CDK's Vpc.fromVpcAttributes). Every ID may be a cdktf token; literal IDs
// follow EC2's format (validate.EC2IDRule). Subnet and route table lists
// are in AZ order.
type VpcAttributes struct {
	// VpcId is the VPC's ID ("vpc-..."). Required.
	VpcId string
	// CidrBlock is the VPC's primary IPv4 CIDR (literal or token). Required
	// when interface endpoints are created (their security group admits
	// HTTPS from it).
	CidrBlock string
	// AvailabilityZones are the AZ names of the subnets, in order (may be
	// empty for an imported VPC).
	AvailabilityZones []string
	// PublicSubnetIds are the public subnets ("subnet-...", for load
	// balancers), PrivateSubnetIds the private subnets with egress (for
	// tasks and interface endpoints), IsolatedSubnetIds the subnets without
	// a route out of the VPC.
	PublicSubnetIds, PrivateSubnetIds, IsolatedSubnetIds []string
	// PublicRouteTableIds, PrivateRouteTableIds and IsolatedRouteTableIds
	// are each tier's route tables ("rtb-..."): the S3 gateway endpoint is
	// added to PrivateRouteTableIds unless
	// ImportedEndpointsConfig.RouteTableIds says otherwise.
	PublicRouteTableIds, PrivateRouteTableIds, IsolatedRouteTableIds []string
	// S3PrefixListId is the prefix list ("pl-...") of the VPC's S3 gateway
	// endpoint, for security-group egress rules to S3 (ECR image layers).
	// Set it for an imported VPC that already has an S3 gateway endpoint;
	// NewImportedVpc fills it from the endpoint it creates.
	S3PrefixListId string
	// EndpointSecurityGroupId is the security group of the VPC's interface
	// endpoints ("sg-..."), if known.
	EndpointSecurityGroupId string
}

// IVpc is a VPC other constructs can be placed in: a *SecureVpc or an
// *ImportedVpc. Constructs that need a VPC can take an IVpc and read its
// VpcAttributes.
type IVpc interface {
	// VpcAttributes returns the VPC's IDs.
	VpcAttributes() VpcAttributes
}

// ImportedVpcConfig configures NewImportedVpc: an existing VPC given by its
// IDs, and which of SecureVpc's hardening to add to it. Each hardening part
// is optional and off when its field is nil; nothing existing is changed
// (no subnet, route table or ACL is replaced).
type ImportedVpcConfig struct {
	// AccountId and Region are where the VPC is, as in SecureVpcConfig
	// (default from Provider).
	AccountId, Region string
	// Tags are set on every taggable resource the construct creates.
	Tags map[string]string
	// Provider creates every resource with this AWS provider.
	Provider cdktf.TerraformProvider
	// Name names what the construct creates (flow-log group, key alias,
	// role, endpoint security group, Name tags), as SecureVpcConfig.Name.
	// Default: validate.NameFromID(id).
	Name string
	// Attributes are the VPC's IDs. VpcId is required.
	Attributes VpcAttributes
	// PermissionsBoundary is set on every IAM role the construct creates
	// (see SecureVpcConfig.PermissionsBoundary).
	PermissionsBoundary string
	// FlowLogs, when set, adds a flow log of the whole VPC, configured as
	// for SecureVpc (Disabled must be false). nil: none.
	FlowLogs *FlowLogsConfig
	// Endpoints, when set, adds the VPC endpoints. nil: none.
	Endpoints *ImportedEndpointsConfig
	// NetworkAcls, when set, adds deny rules to existing network ACLs. nil:
	// none.
	NetworkAcls *ImportedNetworkAclsConfig
}

// ImportedEndpointsConfig adds VPC endpoints to an imported VPC: an S3
// gateway endpoint on route tables and interface endpoints (private DNS on)
// in subnets, behind one new security group that admits HTTPS from the VPC
// CIDR.
type ImportedEndpointsConfig struct {
	// InterfaceEndpoints are the interface endpoint services (from
	// DefaultInterfaceEndpoints and AdditionalInterfaceEndpointServices).
	// nil: DefaultInterfaceEndpoints; an empty non-nil slice: none.
	InterfaceEndpoints []string
	// SubnetIds are the subnets of the interface endpoints, at most one per
	// AZ. Default: Attributes.PrivateSubnetIds (required then).
	SubnetIds []string
	// SkipS3GatewayEndpoint creates no S3 gateway endpoint, for a VPC that
	// has one (a second one on the same route tables fails at apply): set
	// Attributes.S3PrefixListId to its prefix list instead. Default false.
	SkipS3GatewayEndpoint bool
	// RouteTableIds are the route tables the S3 gateway endpoint is added
	// to. Default: Attributes.PrivateRouteTableIds (required then).
	RouteTableIds []string
}

// ImportedNetworkAclsConfig adds a deny list to existing network ACLs: the
// CIDRs are denied in both directions by rules numbered from
// FirstRuleNumber, which must be free in every ACL listed.
type ImportedNetworkAclsConfig struct {
	// NetworkAclIds are the ACLs ("acl-...") that get the deny rules.
	// Required.
	NetworkAclIds []string
	// DenyCidrBlocks and DenyCidrBlocksVariable are as in
	// NetworkAclsConfig.
	DenyCidrBlocks         []string
	DenyCidrBlocksVariable string
	// FirstRuleNumber is the number of the first deny rule (1-32766; the
	// rules take consecutive numbers and must sort before the ACLs' allow
	// rules). nil: 1.
	FirstRuleNumber *int
	// MaxDenyRules bounds the deny list (static entries plus the
	// variable's), so the ACLs stay within their rule quota next to their
	// own rules (1-40). nil: MaxDenyCidrBlocks (17).
	MaxDenyRules *int
}

// ImportedVpc is an existing VPC described by IDs, with the hardening
// NewImportedVpc added to it. Its VpcAttributes are the given ones, with
// S3PrefixListId and EndpointSecurityGroupId filled from the endpoints it
// created.
type ImportedVpc struct {
	// Construct holds every resource created.
	Construct constructs.Construct
	// Hardening holds the typed resources of the flow log, endpoints and
	// deny rules created (those not configured are nil/empty).
	Hardening
	// Config is the config after defaults were applied.
	Config ImportedVpcConfig
	attrs  VpcAttributes
}

// VpcAttributes returns the VPC's IDs (IVpc).
func (x *ImportedVpc) VpcAttributes() VpcAttributes { return x.attrs.clone() }

func (a VpcAttributes) clone() VpcAttributes {
	c := a
	for _, l := range []*[]string{&c.AvailabilityZones, &c.PublicSubnetIds, &c.PrivateSubnetIds, &c.IsolatedSubnetIds,
		&c.PublicRouteTableIds, &c.PrivateRouteTableIds, &c.IsolatedRouteTableIds} {
		if *l != nil {
			*l = append([]string(nil), (*l)...)
		}
	}
	return c
}

// NewImportedVpc validates cfg and adds the configured hardening (flow log,
// endpoints, deny rules) to the existing VPC described by cfg.Attributes,
// under a new construct named id. With no hardening configured it creates
// nothing in Terraform and only serves the VPC's IDs (IVpc).
//
// It returns a *validate.Error listing every problem, and creates nothing,
// when cfg is invalid (IDs in EC2's format, the rules of FlowLogsConfig,
// the endpoint services, deny list CIDRs), scope is nil, id is invalid or
// taken, or another construct of the app claims the same names.
func NewImportedVpc(scope constructs.Construct, id string, cfg *ImportedVpcConfig) (*ImportedVpc, error) {
	v := validate.NewFor("securevpc.NewImportedVpc", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	p := cfg.plan(v, id, scope == nil)
	var res *registry.Reservation
	if p != nil {
		res = registry.Check(v, scope, id, p.registryEnv(), p.claims())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	res.Commit()
	c := p.imported
	x := &ImportedVpc{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c, attrs: c.Attributes.clone()}
	tree.Child(scope, id, x.Construct)
	b := p.builder(x.Construct, &x.Hardening, jsii.String(c.Attributes.VpcId), c.Attributes.CidrBlock)
	if c.FlowLogs != nil {
		b.flowLog(*c.FlowLogs)
	}
	if e := c.Endpoints; e != nil {
		b.endpoints(p.interfaceEndpoints, e.SubnetIds, e.RouteTableIds, !e.SkipS3GatewayEndpoint)
		if !e.SkipS3GatewayEndpoint {
			x.attrs.S3PrefixListId = x.S3PrefixListId
		}
		if len(p.interfaceEndpoints) > 0 {
			x.attrs.EndpointSecurityGroupId = x.EndpointSecurityGroupId
		}
	}
	if na := c.NetworkAcls; na != nil {
		b.denyVariable(na.DenyCidrBlocksVariable, p.denyRoom)
		for i, acl := range na.NetworkAclIds {
			for _, egress := range []bool{false, true} {
				b.denyRules(fmt.Sprintf("acl_%d", i), jsii.String(acl), na.DenyCidrBlocks, *na.FirstRuleNumber, egress)
			}
		}
	}
	return x, nil
}

// Validate checks the config as NewImportedVpc(scope, id, cfg) does,
// without creating anything (and without the checks that need the
// construct tree). It returns nil or a *validate.Error.
func (cfg *ImportedVpcConfig) Validate(id string) error {
	v := validate.NewFor("securevpc.NewImportedVpc", id)
	cfg.plan(v, id, true)
	return v.Err()
}
