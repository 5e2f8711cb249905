package stacks_test

import (
	"fmt"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

// examplePlatform is a small platform.yaml: two environments in two
// accounts, the state in the first.
const examplePlatform = `
project: shop
domain: shop.example.org
hosted_zone_id: Z04EXAMPLE7QX1
state:
  bucket: shop-terraform-state-example
  account: "111122223333"
  region: eu-central-1
environments:
  staging:
    account: "111122223333"
    region: eu-central-1
    vpc:
      cidr: 10.20.0.0/16
      availability_zones: [eu-central-1a, eu-central-1b]
      nat_gateways: SINGLE
    service:
      image_tag: "2.4.1"
      container_port: 8080
      desired_count: 1
      deletion_protection: false
    monitoring:
      guardduty_detector: true
  live:
    account: "444455556666"
    region: eu-central-1
    domain: shop.example.org
    hosted_zone_id: Z09EXAMPLELIVE1   # a zone in the live account
    vpc:
      cidr: 10.30.0.0/16
      availability_zone_count: 3
    service:
      image_tag: "2.4.1"
      container_port: 8080
`

// The platform from a config file: the bootstrap stack and one web-app
// stack per environment. main.go does this with platform.yaml.
func ExampleNewPlatformApp() {
	cfg, err := stacks.ParsePlatformConfig("platform.yaml", []byte(examplePlatform))
	if err != nil {
		panic(err)
	}
	app := cdktf.NewApp(nil)
	platform, err := stacks.NewPlatformApp(app, cfg)
	if err != nil {
		panic(err)
	}
	for _, c := range *app.Node().Children() {
		fmt.Println(*c.Node().Id())
	}
	// The live account's stack keeps its state in the staging account's
	// bucket through a role the bootstrap stack creates.
	live, _ := cfg.WebAppStackConfig("live")
	fmt.Println(live.Backend.AssumeRole.RoleArn)
	fmt.Println(len(platform.Bootstrap.StateAccessRoles), "state access role")
	// Output:
	// bootstrap
	// shop-staging
	// shop-live
	// arn:aws:iam::111122223333:role/shop-live-terraform-state
	// 1 state access role
}

// A bad config file gets one error that lists every problem with its
// line, before any stack exists.
func ExampleParsePlatformConfig_invalid() {
	bad := `
project: shop
domain: shop.example.org
hosted_zone_id: Z04EXAMPLE7QX1
state:
  bucket: shop-terraform-state-example
  account: "111122223333"
  region: eu-central-1
environments:
  staging:
    account: "111122223333"
    region: eu-central-1
    vpc: {cidr: 10.20.0.0/16, availability_zone_count: 2}
    service: {image_tag: "2.4.1", container_port: 8080}
    monitoring: {guardduty_detector: false}
  prod:
    account: "111122223333"
    region: eu-central-1
    vpc: {cidr: 10.20.128.0/17, availability_zone_count: 2}
    service: {image_tag: "2.4.1", cpu: lots}
    monitring: {}
`
	_, err := stacks.ParsePlatformConfig("platform.yaml", []byte(bad))
	fmt.Println(err)
	// Output:
	// platform.yaml: invalid platform config (4 problems):
	//   - platform.yaml:19:11: environments.prod.vpc.cidr = "10.20.128.0/17": overlaps environments.staging.vpc.cidr 10.20.0.0/16 in the same account 111122223333: VPCs of one account must not overlap, or peering, Transit Gateway and shared endpoints between them break; 10.21.0.0/17 is free
	//   - platform.yaml:20:5: environments.prod.service.container_port: is required
	//   - platform.yaml:20:40: environments.prod.service.cpu = "lots": must be a whole number
	//   - platform.yaml:21:5: environments.prod.monitring: unknown key; did you mean "monitoring"?
}

// A web-app stack validates every construct's config before it creates
// anything, and reports every problem in one error.
func ExampleNewWebAppStack_invalid() {
	platform, err := stacks.ParsePlatformConfig("platform.yaml", []byte(examplePlatform))
	if err != nil {
		panic(err)
	}
	cfg, _ := platform.WebAppStackConfig("staging")
	cfg.Network.AvailabilityZones = []string{"eu-central-1a"}
	cfg.Service.ContainerPort = 0
	_, err = stacks.NewWebAppStack(cdktf.NewApp(nil), "web-staging", cfg)
	fmt.Println(err)
	// Output:
	// stacks.NewWebAppStack: invalid config (2 problems):
	//   - Network.AvailabilityZones = []string{"eu-central-1a"}: must list 2 to 6 availability zones (at least two for availability)
	//   - Service.ContainerPort = 0: is required: a TCP port 1-65535
}
