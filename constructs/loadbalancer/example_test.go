package loadbalancer_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
)

// Two services behind one shared ALB, routed by host: each attaches with
// its own target group and listener rule; the ALB's security group reaches
// only their task groups. The WAF association and the ALB alarms take the
// shared ALB (alb.LoadBalancer.Arn(), alb.LoadBalancer.ArnSuffix()).
func ExampleNewHardenedAlb() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shop-prod"))
	alb, err := loadbalancer.NewHardenedAlb(stack, "edge", &loadbalancer.HardenedAlbConfig{
		AccountId:                          "111122223333",
		Region:                             "eu-west-1",
		VpcId:                              "vpc-0123456789abcdef0",
		VpcCidr:                            "10.0.0.0/16",
		SubnetIds:                          []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		CertificateDomainName:              "*.shop.example.com",
		CertificateSubjectAlternativeNames: []string{"shop.example.com"},
		Route53ZoneId:                      "Z0123456789ABCDEFGHIJ",
	})
	if err != nil {
		panic(err)
	}
	for i, name := range []string{"api", "www"} {
		svc, err := ecsservice.NewHardenedEcsService(stack, name, &ecsservice.HardenedEcsServiceConfig{
			AccountId:               "111122223333",
			Region:                  "eu-west-1",
			PrivateSubnetIds:        []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"},
			TaskEgressPrefixListIds: []string{"pl-6da54004"},
			Image:                   "111122223333.dkr.ecr.eu-west-1.amazonaws.com/" + name + ":1.4.2",
			ContainerPort:           8080,
			Attach: &ecsservice.Attachment{
				LoadBalancer: alb,
				Priority:     10 * (i + 1),
				HostHeaders:  []string{name + ".shop.example.com"},
			},
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(svc.Config.Name, svc.Config.VpcId, svc.Config.Attach.Priority, svc.LoadBalancer == nil)
	}

	// A second service with the same priority is refused, naming the first.
	_, err = ecsservice.NewHardenedEcsService(stack, "admin", &ecsservice.HardenedEcsServiceConfig{
		AccountId:               "111122223333",
		Region:                  "eu-west-1",
		PrivateSubnetIds:        []string{"subnet-0bbbbbbbbbbbbbbb1"},
		TaskEgressPrefixListIds: []string{"pl-6da54004"},
		Image:                   "111122223333.dkr.ecr.eu-west-1.amazonaws.com/admin:2.0.0",
		ContainerPort:           8080,
		Attach:                  &ecsservice.Attachment{LoadBalancer: alb, Priority: 20, HostHeaders: []string{"admin.shop.example.com"}},
	})
	fmt.Println(err)
	// Output:
	// api vpc-0123456789abcdef0 10 true
	// www vpc-0123456789abcdef0 20 true
	// ecsservice.NewHardenedEcsService("admin"): invalid config (1 problem):
	//   - Attach.Priority = "20": listener rule priority "20" (unique per account and region; 111122223333 in eu-west-1) is already used by construct shop-prod/www (field Attach.Priority); each rule of one listener needs its own priority: choose another Attach.Priority
}
