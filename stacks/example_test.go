package stacks_test

import (
	"fmt"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

// The reference platform: a bootstrap stack for the state backend and one
// web-app stack per environment. main.go synthesizes exactly this.
func ExampleNewReferenceApp() {
	app := cdktf.NewApp(nil)
	if err := stacks.NewReferenceApp(app); err != nil {
		panic(err)
	}
	for _, c := range *app.Node().Children() {
		fmt.Println(*c.Node().Id())
	}
	// Output:
	// bootstrap
	// ecs-webapp-dev
	// ecs-webapp-prod
}

// A web-app stack validates every construct's config before it creates
// anything, and reports every problem in one error.
func ExampleNewWebAppStack_invalid() {
	cfg := stacks.ReferenceWebAppConfig("dev")
	cfg.Network.AvailabilityZones = []string{"us-east-1a"}
	cfg.Service.ContainerPort = 0
	_, err := stacks.NewWebAppStack(cdktf.NewApp(nil), "web-dev", cfg)
	fmt.Println(err)
	// Output:
	// stacks.NewWebAppStack: invalid config (2 problems):
	//   - Network.AvailabilityZones = []string{"us-east-1a"}: must list 2 to 6 availability zones (at least two for availability)
	//   - Service.ContainerPort = 0: is required: a TCP port 1-65535
}
