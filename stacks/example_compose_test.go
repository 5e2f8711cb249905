package stacks_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

// A team's estate composed in one stack: two services behind one shared
// ALB, routed by host, on one cluster, in a VPC given by its IDs, with the
// team's KMS key, a permissions boundary on every role, cost tags on every
// resource, a custom WAF rule, and a bucket in a second region through a
// provider alias.
func ExampleNewWebAppStack_composed() {
	const account, region = "111122223333", "eu-west-1"
	app := cdktf.NewApp(nil)
	web, err := stacks.NewWebAppStack(app, "shop-live", &stacks.WebAppStackConfig{
		Env: stacks.Env{Project: "shop", Environment: "live", AccountId: account, Region: region,
			Tags: map[string]string{"CostCenter": "cc-4711", "Owner": "shop-team"}},
		Backend: statebackend.BackendConfig{Bucket: "shop-terraform-state-example",
			KmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/0b7e2a6c-2f1d-4c3e-9a8b-7d6c5e4f3a21"},
		PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/team-boundary",
		KmsKeyArn:              "arn:aws:kms:eu-west-1:111122223333:key/6f1c9b2e-8d4a-4e7f-a1b3-c5d7e9f0a2b4",
		ImportedVpc: &securevpc.ImportedVpcConfig{
			Attributes: securevpc.VpcAttributes{
				VpcId:                "vpc-0a1b2c3d4e5f60718",
				CidrBlock:            "10.40.0.0/16",
				PublicSubnetIds:      []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
				PrivateSubnetIds:     []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"},
				PrivateRouteTableIds: []string{"rtb-0ccccccccccccccc1", "rtb-0ccccccccccccccc2"},
			},
			FlowLogs:  &securevpc.FlowLogsConfig{},
			Endpoints: &securevpc.ImportedEndpointsConfig{},
		},
		SharedAlb: &loadbalancer.HardenedAlbConfig{
			CertificateDomainName:              "shop.example.org",
			CertificateSubjectAlternativeNames: []string{"api.shop.example.org"},
			Route53ZoneId:                      "Z04EXAMPLE7QX1",
		},
		Service: ecsservice.HardenedEcsServiceConfig{
			CreateEcrRepository: true, ImageTag: "2.4.1", ContainerPort: 8080,
			Attach: &ecsservice.Attachment{Priority: 100, HostHeaders: []string{"shop.example.org"}},
		},
		AdditionalServices: []stacks.AdditionalService{{
			Id: "api",
			Config: ecsservice.HardenedEcsServiceConfig{
				CreateEcrRepository: true, ImageTag: "3.0.2", ContainerPort: 9000,
				Attach: &ecsservice.Attachment{Priority: 10, HostHeaders: []string{"api.shop.example.org"}},
			},
		}},
		Waf: wafacl.WafAclConfig{CustomRules: []wafacl.Rule{
			{Name: "BlockEmbargoed", Action: wafacl.ActionBlock, Statement: wafacl.GeoMatch{CountryCodes: []string{"KP"}}},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A second region in the same stack: a provider alias, given to a
	// construct as its Provider.
	useast1 := provider.NewAwsProvider(web.Stack, jsii.String("us_east_1"), &provider.AwsProviderConfig{
		Alias: jsii.String("us_east_1"), Region: jsii.String("us-east-1"),
		AllowedAccountIds: jsii.Strings(account)})
	if _, err := securebucket.NewSecureBucket(web.Stack, "replica", &securebucket.SecureBucketConfig{
		BucketName: "shop-live-replica-example", Provider: useast1}); err != nil {
		fmt.Println(err)
		return
	}

	fmt.Println("shared ALB:", web.Alb != nil, "existing VPC:", web.ImportedNetwork != nil)
	for _, svc := range append([]*ecsservice.HardenedEcsService{web.Service}, web.AdditionalServices...) {
		fmt.Println(svc.Config.Name, "own cluster:", svc.Cluster != nil)
	}
	fmt.Println(len(web.KeyPolicyStatements) > 0, "statements for the team key's policy")
	// Output:
	// shared ALB: true existing VPC: true
	// shop-live own cluster: true
	// shop-live-api own cluster: false
	// true statements for the team key's policy
}

// The same composition from platform.yaml: cost tags, a boundary, the
// team's key, an existing VPC by IDs and services on one shared ALB.
func ExampleParsePlatformConfig_composed() {
	cfg, err := stacks.ParsePlatformConfig("platform.yaml", []byte(`
project: shop
domain: shop.example.org
hosted_zone_id: Z04EXAMPLE7QX1
tags: {CostCenter: cc-4711}
permissions_boundary_arn: arn:aws:iam::111122223333:policy/team-boundary
state: {bucket: shop-terraform-state-example, account: "111122223333", region: eu-west-1}
environments:
  live:
    account: "111122223333"
    region: eu-west-1
    domain: shop.example.org
    tags: {Owner: shop-team}
    kms_key_arn: arn:aws:kms:eu-west-1:111122223333:key/6f1c9b2e-8d4a-4e7f-a1b3-c5d7e9f0a2b4
    vpc:
      cidr: 10.40.0.0/16
      existing:
        vpc_id: vpc-0a1b2c3d4e5f60718
        public_subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2]
        private_subnet_ids: [subnet-0bbbbbbbbbbbbbbb1, subnet-0bbbbbbbbbbbbbbb2]
        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]
    service: {image_tag: "2.4.1", container_port: 8080}
    services:
      api: {image_tag: "3.0.2", container_port: 9000}
      admin: {image_tag: "1.2.0", container_port: 8081, path_patterns: ["/admin/*"]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := cfg.WebAppStackConfig("live")
	fmt.Println("tags:", w.Env.Tags)
	fmt.Println("boundary:", w.PermissionsBoundaryArn)
	fmt.Println("existing VPC:", w.ImportedVpc.Attributes.VpcId)
	fmt.Println("certificate:", w.SharedAlb.CertificateDomainName, w.SharedAlb.CertificateSubjectAlternativeNames)
	fmt.Println("service:", w.Service.Attach.Priority, w.Service.Attach.HostHeaders)
	for _, a := range w.AdditionalServices {
		fmt.Println(a.Id+":", a.Config.Attach.Priority, a.Config.Attach.HostHeaders, a.Config.Attach.PathPatterns)
	}
	// Output:
	// tags: map[CostCenter:cc-4711 Owner:shop-team]
	// boundary: arn:aws:iam::111122223333:policy/team-boundary
	// existing VPC: vpc-0a1b2c3d4e5f60718
	// certificate: shop.example.org [api.shop.example.org admin.shop.example.org]
	// service: 1000 [shop.example.org]
	// api: 10 [api.shop.example.org] []
	// admin: 20 [admin.shop.example.org] [/admin/*]
}
