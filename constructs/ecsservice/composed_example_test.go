package ecsservice_test

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

// Estate is what the platform team already has: a VPC, its subnets and
// route tables, the permissions boundary every role must carry, and the
// cost tags every resource must carry.
type Estate struct {
	Env                    stacks.Env
	Vpc                    securevpc.VpcAttributes
	PermissionsBoundaryArn string
	Tags                   map[string]string
}

// Shop is the composed stack: two services behind one shared ALB, routed
// by host, on one cluster, in an existing VPC, with the team's key, the
// permissions boundary on every role, cost tags on every resource, custom
// WAF rules, and a web ACL in a second region through a provider alias.
type Shop struct {
	Stack    cdktf.TerraformStack
	Vpc      *securevpc.ImportedVpc
	Key      *securekey.SecureKey
	Cluster  ecscluster.EcsCluster
	Alb      *loadbalancer.HardenedAlb
	Api, Web *ecsservice.HardenedEcsService
	Waf      *wafacl.WafAcl
	// EdgeWaf is the CLOUDFRONT web ACL, in us-east-1
	// (wafacl.CloudfrontRegion), the second region.
	EdgeWaf *wafacl.WafAcl
}

// NewShop builds the composed stack called id in scope for estate e.
func NewShop(scope constructs.Construct, id string, e Estate) (*Shop, error) {
	env := e.Env
	s := &Shop{Stack: stacks.NewStack(scope, id, env)}
	var err error

	// The VPC exists: given by its IDs, hardened with a flow log and the
	// endpoints the tasks need to pull images and write logs.
	s.Key, err = securekey.NewSecureKey(s.Stack, "team_key", &securekey.SecureKeyConfig{
		AccountId: env.AccountId, Region: env.Region, Alias: "alias/" + id + "-team", Tags: e.Tags,
	})
	if err != nil {
		return nil, err
	}
	s.Vpc, err = securevpc.NewImportedVpc(s.Stack, "network", &securevpc.ImportedVpcConfig{
		AccountId: env.AccountId, Region: env.Region, Tags: e.Tags, Attributes: e.Vpc,
		PermissionsBoundary: e.PermissionsBoundaryArn,
		FlowLogs:            &securevpc.FlowLogsConfig{KmsKey: s.Key},
		Endpoints:           &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"ecr.api", "ecr.dkr", "logs"}},
	})
	if err != nil {
		return nil, err
	}
	vpc := s.Vpc.VpcAttributes()

	// One cluster for both services.
	tags := map[string]*string{}
	for k, v := range e.Tags {
		tags[k] = jsii.String(v)
	}
	s.Cluster = ecscluster.NewEcsCluster(s.Stack, jsii.String("cluster"), &ecscluster.EcsClusterConfig{
		Name:    jsii.String(id),
		Setting: &[]*ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String("enabled")}},
		Tags:    &tags,
	})

	// One internet-facing ALB, shared by the services.
	s.Alb, err = loadbalancer.NewHardenedAlb(s.Stack, "edge", &loadbalancer.HardenedAlbConfig{
		AccountId: env.AccountId, Region: env.Region, Tags: e.Tags,
		VpcId: vpc.VpcId, VpcCidr: vpc.CidrBlock, SubnetIds: vpc.PublicSubnetIds,
		CertificateArn: "arn:aws:acm:" + env.Region + ":" + env.AccountId + ":certificate/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
	})
	if err != nil {
		return nil, err
	}
	service := func(name string, priority int, hosts []string) (*ecsservice.HardenedEcsService, error) {
		return ecsservice.NewHardenedEcsService(s.Stack, name, &ecsservice.HardenedEcsServiceConfig{
			AccountId: env.AccountId, Region: env.Region, Tags: e.Tags,
			KmsKey: s.Key, PermissionsBoundaryArn: e.PermissionsBoundaryArn,
			PrivateSubnetIds: vpc.PrivateSubnetIds, ClusterArn: *s.Cluster.Arn(),
			TaskEgressPrefixListIds: []string{vpc.S3PrefixListId},
			Image:                   env.AccountId + ".dkr.ecr." + env.Region + ".amazonaws.com/shop-" + name + ":1.4.2",
			ContainerPort:           8080,
			Attach:                  &ecsservice.Attachment{LoadBalancer: s.Alb, Priority: priority, HostHeaders: hosts},
		})
	}
	if s.Api, err = service("api", 10, []string{"api.shop.example"}); err != nil {
		return nil, err
	}
	if s.Web, err = service("web", 20, []string{"shop.example", "www.shop.example"}); err != nil {
		return nil, err
	}
	for _, svc := range []*ecsservice.HardenedEcsService{s.Api, s.Web} {
		if err := s.Vpc.AllowEndpointAccessFrom(*svc.TaskSecurityGroup.Id()); err != nil {
			return nil, err
		}
	}

	// The regional web ACL on the shared ALB, with the team's own rules.
	s.Waf, err = wafacl.NewWafAcl(s.Stack, "waf", &wafacl.WafAclConfig{
		AccountId: env.AccountId, Region: env.Region, Tags: e.Tags,
		ResourceArn: *s.Alb.LoadBalancer.Arn(),
		CustomRules: []wafacl.Rule{
			{Name: "BlockAdminFromAbroad", Action: wafacl.ActionBlock,
				Statement: wafacl.And{Statements: []wafacl.Statement{
					wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/admin", TextTransformations: wafacl.Transform("LOWERCASE")},
					wafacl.Not{Statement: wafacl.GeoMatch{CountryCodes: []string{"DE", "AT"}}},
				}}},
			{Name: "ApiKeyRate", Action: wafacl.ActionBlock,
				Statement: wafacl.RateBased{Limit: 200, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "x-api-key")}}},
		},
		Logging: wafacl.Logging{KmsKey: s.Key},
	})
	if err != nil {
		return nil, err
	}

	// The second region: a CLOUDFRONT web ACL (CloudFront's live in
	// us-east-1) for the CDN in front of the shop, through a provider alias
	// with the same account guard and default tags.
	edge := provider.NewAwsProvider(s.Stack, jsii.String("aws_edge"), &provider.AwsProviderConfig{
		Alias: jsii.String("edge"), Region: jsii.String(wafacl.CloudfrontRegion), AllowedAccountIds: jsii.Strings(env.AccountId),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &map[string]*string{
			"Project": jsii.String(env.Project), "Environment": jsii.String(env.Environment), "ManagedBy": jsii.String("cdktf"),
		}}},
	})
	s.EdgeWaf, err = wafacl.NewWafAcl(s.Stack, "cdn_waf", &wafacl.WafAclConfig{
		AccountId: env.AccountId, Scope: wafacl.ScopeCloudfront, Provider: edge, Tags: e.Tags,
		CustomRules: []wafacl.Rule{{Name: "BlockBadBots", Action: wafacl.ActionBlock,
			Statement: wafacl.ByteMatch{FieldToMatch: wafacl.SingleHeader("User-Agent"), PositionalConstraint: "CONTAINS", SearchString: "badbot", TextTransformations: wafacl.Transform("LOWERCASE")}}},
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Two services on one shared ALB, routed by host, on one cluster, in a
// VPC given by IDs, with the team's key, a permissions boundary, cost tags
// and custom WAF rules, plus a web ACL in a second region. The test
// TestComposed plans and scans this stack.
func Example_composed() {
	app := cdktf.NewApp(nil)
	shop, err := NewShop(app, "shop-prod", Estate{
		Env: stacks.Env{Project: "shop", Environment: "prod", AccountId: "111122223333", Region: "eu-west-1"},
		Vpc: securevpc.VpcAttributes{
			VpcId: "vpc-0a1b2c3d4e5f60718", CidrBlock: "10.40.0.0/16",
			AvailabilityZones:    []string{"eu-west-1a", "eu-west-1b"},
			PublicSubnetIds:      []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"},
			PrivateSubnetIds:     []string{"subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"},
			PrivateRouteTableIds: []string{"rtb-0a1b2c3d4e5f60021", "rtb-0a1b2c3d4e5f60022"},
		},
		PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/platform-boundary",
		Tags:                   map[string]string{"CostCenter": "cc-4711", "Owner": "shop-team"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("services on", shop.Alb.Config.Name+":", shop.Api.Config.Name, shop.Web.Config.Name)
	fmt.Println("WAF custom rules:", len(shop.Waf.Config.CustomRules), "regional,", len(shop.EdgeWaf.Config.CustomRules), "at the edge")
	// Output:
	// services on edge: api web
	// WAF custom rules: 2 regional, 1 at the edge
}
