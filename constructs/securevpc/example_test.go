package securevpc_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
)

// A VPC over two AZs with the defaults: 10.0.0.0/16, a NAT gateway per AZ,
// flow logs to an encrypted log group kept 365 days, and VPC endpoints.
// HardenedEcsService takes PrivateSubnetIds, the ALB PublicSubnetIds.
func ExampleNewSecureVpc() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	network, err := securevpc.NewSecureVpc(stack, "network", &securevpc.SecureVpcConfig{
		AccountId:         "123456789012",
		Region:            "us-east-1",
		AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
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
		AccountId:         "123456789012",
		Region:            "us-east-1",
		CidrBlock:         "10.0.0.0/20",
		AvailabilityZones: []string{"us-east-1a", "us-east-1a"},
		FlowLogs:          securevpc.FlowLogsConfig{RetentionInDays: new(100)},
	})
	fmt.Println(err)
	// Output:
	// securevpc.NewSecureVpc: invalid config (3 problems):
	//   - AvailabilityZones[1] = "us-east-1a": is a duplicate of AvailabilityZones[0]: every subnet tier needs distinct AZs
	//   - PrivateSubnetPrefixLength = 20: the private subnets do not fit: 2 x /20 must fit in CidrBlock 10.0.0.0/20 next to [10.0.0.0/24 10.0.1.0/24]; use a larger CidrBlock, fewer AZs or longer prefix lengths; did you mean "22"?
	//   - FlowLogs.RetentionInDays = 100: must be one of the CloudWatch Logs retention values [1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653]; did you mean "90"?
}

// Compute the subnet layout without synthesizing anything.
func ExampleSecureVpcConfig_SubnetCidrs() {
	cfg := securevpc.SecureVpcConfig{
		AccountId: "123456789012", Region: "us-east-1", CidrBlock: "10.20.0.0/20",
		AvailabilityZones:         []string{"us-east-1a", "us-east-1b", "us-east-1c"},
		PublicSubnetPrefixLength:  new(26),
		PrivateSubnetPrefixLength: new(23),
		IsolatedSubnets:           true,
	}
	public, private, isolated, err := cfg.SubnetCidrs()
	fmt.Println(public, private, isolated, err)
	// Output: [10.20.0.0/26 10.20.0.64/26 10.20.0.128/26] [10.20.2.0/23 10.20.4.0/23 10.20.6.0/23] [10.20.1.0/24 10.20.8.0/24 10.20.9.0/24] <nil>
}
