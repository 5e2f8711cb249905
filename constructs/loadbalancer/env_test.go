package loadbalancer_test

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
const (
	account = "111122223333"
	region  = "eu-west-1"
	// otherRegion is a region other than region.
	otherRegion = "ap-southeast-2"
	// elbAccount writes ALB access logs in region.
	elbAccount = "156460612806"
)

var env = stacks.Env{Project: "loadbalancer-test", Environment: "test", AccountId: account, Region: region}

func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }

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
