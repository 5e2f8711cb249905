package securevpc_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
)

// A VPC over two AZs with the defaults: 10.0.0.0/16, a NAT gateway per AZ,
// flow logs to an encrypted log group kept 365 days, and VPC endpoints.
// HardenedEcsService takes PrivateSubnetIds, the ALB PublicSubnetIds.
func ExampleNewSecureVpc() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	network, err := securevpc.NewSecureVpc(stack, "network", &securevpc.SecureVpcConfig{
		AccountId:         "111122223333",
		Region:            "eu-west-1",
		AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(network.CidrBlock, network.Config.NatGateways, *network.Config.FlowLogs.RetentionInDays)
	fmt.Println("public: ", network.PublicSubnetCidrs)
	fmt.Println("private:", network.PrivateSubnetCidrs)
	fmt.Println(len(network.PrivateSubnetIds), "private subnets,", len(network.NatGatewayIds), "NAT gateways,", len(network.InterfaceEndpointIds), "interface endpoints")
	// Output:
	// 10.0.0.0/16 PER_AZ 365
	// public:  [10.0.0.0/24 10.0.1.0/24]
	// private: [10.0.16.0/20 10.0.32.0/20]
	// 2 private subnets, 2 NAT gateways, 4 interface endpoints
}

// Invalid input returns one error listing every problem, and creates nothing.
func ExampleNewSecureVpc_invalid() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-dev"))
	_, err := securevpc.NewSecureVpc(stack, "network", &securevpc.SecureVpcConfig{
		AccountId:         "111122223333",
		Region:            "eu-west-1",
		CidrBlock:         "10.0.0.0/20",
		AvailabilityZones: []string{"eu-west-1a", "eu-west-1a"},
		FlowLogs:          securevpc.FlowLogsConfig{RetentionInDays: new(100)},
	})
	fmt.Println(err)
	// Output:
	// securevpc.NewSecureVpc("network"): invalid config (3 problems):
	//   - AvailabilityZones[1] = "eu-west-1a": is a duplicate of AvailabilityZones[0]: every subnet tier needs distinct AZs
	//   - PrivateSubnetPrefixLength = 20: the private subnets do not fit: 2 x /20 must fit in CidrBlock 10.0.0.0/20 next to [10.0.0.0/24 10.0.1.0/24]; use a larger CidrBlock, fewer AZs or longer prefix lengths; did you mean "22"?
	//   - FlowLogs.RetentionInDays = 100: must be one of the CloudWatch Logs retention values [1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653]; did you mean "90"?
}

// Compute the subnet layout without synthesizing anything.
func ExampleSecureVpcConfig_SubnetCidrs() {
	cfg := securevpc.SecureVpcConfig{
		AccountId: "111122223333", Region: "eu-west-1", CidrBlock: "10.20.0.0/20",
		AvailabilityZones:         []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		PublicSubnetPrefixLength:  new(26),
		PrivateSubnetPrefixLength: new(23),
		IsolatedSubnets:           true,
	}
	public, private, isolated, err := cfg.SubnetCidrs()
	fmt.Println(public, private, isolated, err)
	// Output: [10.20.0.0/26 10.20.0.64/26 10.20.0.128/26] [10.20.2.0/23 10.20.4.0/23 10.20.6.0/23] [10.20.1.0/24 10.20.8.0/24 10.20.9.0/24] <nil>
}

// An existing VPC given by its IDs (like AWS CDK's Vpc.fromVpcAttributes),
// with this package's hardening added: a flow log, the S3 gateway endpoint
// on its private route tables, interface endpoints in its private subnets,
// and deny rules in its network ACL. Other constructs take its
// VpcAttributes exactly as a SecureVpc's.
func ExampleNewImportedVpc() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shared-vpc"))
	existing, err := securevpc.NewImportedVpc(stack, "estate", &securevpc.ImportedVpcConfig{
		AccountId: "111122223333",
		Region:    "eu-west-1",
		Attributes: securevpc.VpcAttributes{
			VpcId:                "vpc-0123456789abcdef0",
			CidrBlock:            "10.50.0.0/16",
			PublicSubnetIds:      []string{"subnet-0aaaaaaaaaaaaaaa0", "subnet-0aaaaaaaaaaaaaaa1"},
			PrivateSubnetIds:     []string{"subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"},
			PrivateRouteTableIds: []string{"rtb-0ccccccccccccccc0", "rtb-0ccccccccccccccc1"},
		},
		PermissionsBoundary: "arn:aws:iam::111122223333:policy/platform-boundary",
		FlowLogs:            &securevpc.FlowLogsConfig{},
		Endpoints:           &securevpc.ImportedEndpointsConfig{},
		NetworkAcls: &securevpc.ImportedNetworkAclsConfig{
			NetworkAclIds: []string{"acl-0ddddddddddddddd0"}, DenyCidrBlocks: []string{"203.0.113.7/32"}, FirstRuleNumber: new(50),
		},
	})
	if err != nil {
		panic(err)
	}
	// A service's task security group may reach the endpoints.
	if err := existing.AllowEndpointAccessFrom("sg-0eeeeeeeeeeeeeee0"); err != nil {
		panic(err)
	}
	var network securevpc.IVpc = existing
	attrs := network.VpcAttributes()
	fmt.Println(attrs.VpcId, attrs.PrivateSubnetIds)
	fmt.Println(len(existing.InterfaceEndpoints), "interface endpoints,", len(existing.DenyRules), "deny rules, flow log:", existing.FlowLog != nil)
	fmt.Println(attrs.S3PrefixListId != "", "(S3 prefix list of the new gateway endpoint)")
	// Output:
	// vpc-0123456789abcdef0 [subnet-0bbbbbbbbbbbbbbb0 subnet-0bbbbbbbbbbbbbbb1]
	// 4 interface endpoints, 2 deny rules, flow log: true
	// true (S3 prefix list of the new gateway endpoint)
}

// Flow logs to a bucket of this app: the statements CloudWatch's log
// delivery service needs are added to the bucket's one policy (and to its
// key's policy), so no second bucket policy is written.
func ExampleFlowLogsConfig_bucket() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("logs"))
	bucket, err := securebucket.NewSecureBucket(stack, "flow_logs", &securebucket.SecureBucketConfig{
		BucketName: "example-flow-logs-111122223333", AccountId: "111122223333", Region: "eu-west-1",
	})
	if err != nil {
		panic(err)
	}
	network, err := securevpc.NewSecureVpc(stack, "network", &securevpc.SecureVpcConfig{
		AccountId:         "111122223333",
		Region:            "eu-west-1",
		AvailabilityZones: []string{"eu-west-1a", "eu-west-1b"},
		FlowLogs:          securevpc.FlowLogsConfig{Bucket: bucket, BucketPrefix: "vpc/"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(network.Config.FlowLogs.LogDestinationType)
	for _, s := range bucket.PolicyDocument().Statement {
		fmt.Println(s.Sid, s.Action)
	}
	// Output:
	// s3
	// DenyInsecureTransport [s3:*]
	// DenyOutdatedTLS [s3:*]
	// FlowLogsAclChecknetwork [s3:GetBucketAcl s3:ListBucket]
	// FlowLogsWritenetwork [s3:PutObject]
}
