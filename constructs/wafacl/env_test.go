package wafacl_test

import (
	"os"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// Where the stacks of these tests deploy: one place, and not the reference
// app's values, so that nothing here depends on them.
const (
	account = "111122223333"
	region  = "eu-west-1"
	// fullStackName is the stack of fullConfig.
	fullStackName = "waf-full"
	// otherRegion is a region other than region.
	otherRegion = "ap-southeast-2"
)

var env = stacks.Env{Project: "wafacl-test", Environment: "test", AccountId: account, Region: region}

// TestMain starts the plan of the full stack, the longest job of the
// package, in the background before the tests run
// (TestFullStackValuesAndPlan synthesizes the same stack and takes the plan).
func TestMain(m *testing.M) {
	app, err := stacktest.SynthAppE(func(app constructs.Construct) error {
		_, err := wafacl.NewWafAcl(stacks.NewStack(app, fullStackName, env), "waf", fullConfig())
		return err
	})
	if err == nil {
		stacktest.PlanInBackground(app.Stacks[fullStackName])
	} // else TestFullStackValuesAndPlan reports it
	os.Exit(stacktest.Main(m))
}

// synthStack synthesizes one stack called name, made by stacks.NewStack for
// env (the provider allows only account, in region), with define's
// constructs.
func synthStack(t testing.TB, name string, define func(stack cdktf.TerraformStack)) stacktest.Stack {
	t.Helper()
	return stacktest.SynthApp(t, func(app constructs.Construct) error {
		define(stacks.NewStack(app, name, env))
		return nil
	}).Stack(t, name)
}
