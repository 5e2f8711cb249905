// Package tests holds the integration tests of the reference app: golden
// snapshots of every stack, deterministic synthesis, terraform plan of every
// stack, the trivy scan, and the state backend's tests. Go skips
// directories starting with '_' in ./..., so run it by name:
//
//	go test ./... ./__tests__
package tests

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// referenceApp synthesizes the reference app (stacks.NewReferenceApp, the
// same call main.go makes) once per test binary, and starts its plan in the
// background (TestTerraformPlan takes it), so Terraform runs while the other
// tests do.
var referenceApp = stacktest.Memo(func(t testing.TB) *stacktest.App {
	app := stacktest.SynthApp(t, stacks.NewReferenceApp)
	stacktest.PlanInBackground(app.All()...)
	return app
})

func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }

// wantStacks is every stack the reference app must synthesize.
func wantStacks() []string {
	names := []string{stacks.BootstrapStackName}
	for _, env := range stacks.ReferenceEnvironments {
		names = append(names, stacks.WebAppStackName(env))
	}
	return names
}

// addProvider adds the AWS provider of the reference account and region to
// a test stack, with the provider version constraint the stacks use.
func addProvider(stack cdktf.TerraformStack) {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(stacks.ReferenceRegion),
		AllowedAccountIds: jsii.Strings(stacks.ReferenceAccountId),
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
}
