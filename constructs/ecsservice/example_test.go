package ecsservice_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
)

// A Fargate service behind an HTTPS-only ALB, in any VPC given by IDs (here
// literals; SecureVpc's fields work the same). Everything not set is a
// secure default. The image is in the account's private ECR: the execution
// role may pull from exactly that repository (derived from Image), through
// the VPC's endpoints and the S3 gateway endpoint's prefix list (image
// layers are in S3).
func ExampleNewHardenedEcsService() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	svc, err := ecsservice.NewHardenedEcsService(stack, "shop-web-prod", &ecsservice.HardenedEcsServiceConfig{
		AccountId:               "111122223333",
		Region:                  "eu-west-1",
		VpcId:                   "vpc-0123456789abcdef0",
		VpcCidr:                 "10.0.0.0/16",
		PublicSubnetIds:         []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		PrivateSubnetIds:        []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"},
		TaskEgressPrefixListIds: []string{"pl-6da54004"},
		Image:                   "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2",
		ContainerPort:           5000,
		CertificateArn:          "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-4000-8000-000000000000",
	})
	if err != nil {
		panic(err)
	}
	// The application's own permissions go on the (otherwise empty) task role.
	if _, err := svc.AddTaskRolePolicy("read-assets", iampolicy.New(iampolicy.Statement{
		Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::shop-web-assets/*"},
	}).JSON()); err != nil {
		panic(err)
	}

	c := svc.Config
	fmt.Println(c.LoadBalancerName, c.TargetGroupName, c.LogGroupName)
	fmt.Println(c.SslPolicy, c.DesyncMitigationMode)
	fmt.Println(c.User, *c.Cpu, *c.MemoryMiB, *c.DesiredCount, *c.MinCapacity, *c.MaxCapacity)
	fmt.Printf("%q\n", c.HealthCheck.Command)
	// Output:
	// shop-web-prod-alb shop-web-prod-tg /ecs/shop-web-prod
	// ELBSecurityPolicy-TLS13-1-2-2021-06 defensive
	// 1000:1000 256 512 2 2 4
	// ["CMD-SHELL" "curl -f http://localhost:5000/health || exit 1"]
}

// Invalid input returns one error listing every problem, and creates nothing.
func ExampleNewHardenedEcsService_invalid() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-dev"))
	_, err := ecsservice.NewHardenedEcsService(stack, "web", &ecsservice.HardenedEcsServiceConfig{
		AccountId:        "111122223333",
		Region:           "eu-west-1",
		VpcId:            "vpc-0123456789abcdef0",
		VpcCidr:          "10.0.0.0/16",
		PublicSubnetIds:  []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		PrivateSubnetIds: []string{"subnet-0bbbbbbbbbbbbbbb1"},
		Image:            "nginx:latest",
		ContainerPort:    80,
		Cpu:              new(256),
		MemoryMiB:        new(4096),
		Environment:      map[string]string{"DB_PASSWORD": "hunter2"},
	})
	fmt.Println(err)
	// Output:
	// ecsservice.NewHardenedEcsService("web"): invalid config (4 problems):
	//   - CertificateArn = "": is required: the HTTPS listener needs CertificateArn or CertificateDomainName + Route53ZoneId (AllowPlainHttp is a dev-only escape)
	//   - MemoryMiB = 4096: is not a memory size (MiB) Fargate allows with Cpu = 256; allowed: [512 1024 2048]; did you mean "2048"?
	//   - Image = "nginx:latest": must be pinned to a version: the ':latest' tag moves and is rejected (or pin it with @sha256:<digest>)
	//   - Environment[DB_PASSWORD] = "DB_PASSWORD": looks like a secret: pass it in Secrets (Secrets Manager or SSM ARN), or list the name in AllowPlainEnvironment if it is not one
}

// Grants and connections the CDK way: the task role receives a bucket's
// read grant (one inline policy), a bastion's security group may reach the
// container port, and the roles the construct creates carry the team's
// permissions boundary.
func ExampleHardenedEcsService_TaskRoleGrantee() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shop-prod"))
	svc, err := ecsservice.NewHardenedEcsService(stack, "api", &ecsservice.HardenedEcsServiceConfig{
		AccountId:               "111122223333",
		Region:                  "eu-west-1",
		VpcId:                   "vpc-0123456789abcdef0",
		VpcCidr:                 "10.0.0.0/16",
		PublicSubnetIds:         []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		PrivateSubnetIds:        []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"},
		TaskEgressPrefixListIds: []string{"pl-6da54004"},
		Image:                   "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
		ContainerPort:           8080,
		CertificateArn:          "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-4000-8000-000000000000",
		PermissionsBoundaryArn:  "arn:aws:iam::111122223333:policy/team-boundary",
	})
	if err != nil {
		panic(err)
	}
	assets, err := securebucket.NewSecureBucket(stack, "assets", &securebucket.SecureBucketConfig{
		BucketName: "shop-assets-111122223333", AccountId: "111122223333", Region: "eu-west-1",
	})
	if err != nil {
		panic(err)
	}
	grants, err := assets.GrantRead(svc.TaskRoleGrantee())
	if err != nil {
		panic(err)
	}
	if _, err := svc.AllowFrom("sg-0123456789abcdef0", "from the bastion"); err != nil {
		panic(err)
	}
	_, err = svc.AllowFrom("sg-0123456789abcdef0", "")
	fmt.Println(len(grants), grants[0].ResourceSide(), len(svc.AllowedFromRules))
	fmt.Println(err)
	// Output:
	// 2 false 1
	// ecsservice.AllowFrom: invalid config (1 problem):
	//   - securityGroupId = "sg-0123456789abcdef0": is already allowed: AWS rejects a duplicate security group rule
}
