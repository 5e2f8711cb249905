package securevpc_test

import (
	"os"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// Where the stacks of these tests deploy: one place, and not the reference
// app's values, so that nothing here depends on them.
// TestOtherPartition covers another partition and region.
const (
	account   = "111122223333"
	region    = "eu-west-1"
	stackName = "vpc-test"
	// otherRegion is a region the tests' configs must not accept.
	otherRegion = "ap-southeast-2"
)

var env = stacks.Env{Project: "securevpc-test", Environment: "test", AccountId: account, Region: region}

func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }

// synth synthesizes one stack named stackName, made by stacks.NewStack for
// env (the provider allows only account, in region), with define's
// constructs.
func synth(t testing.TB, define func(stack cdktf.TerraformStack)) stacktest.Stack {
	t.Helper()
	return synthIn(t, env, define)
}

// synthIn is synth for another Env.
func synthIn(t testing.TB, e stacks.Env, define func(stack cdktf.TerraformStack)) stacktest.Stack {
	t.Helper()
	return stacktest.SynthApp(t, func(app constructs.Construct) error {
		define(stacks.NewStack(app, stackName, e))
		return nil
	}).Stack(t, stackName)
}
