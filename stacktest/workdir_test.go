package stacktest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// OfflineWorkdir and Workdir.Plan: several plans of one stack after one
// init, with -var; a value the variable's validation refuses fails the
// plan with the validation's message.
func TestOfflineWorkdirPlansWithVars(t *testing.T) {
	s := stacktest.SynthStack(t, "workdir-vars", func(stack cdktf.TerraformStack) {
		cdktf.NewTerraformVariable(stack, jsii.String("size"), &cdktf.TerraformVariableConfig{
			Type: jsii.String("number"), Default: jsii.Number(1),
			Validation: &[]*cdktf.TerraformVariableValidationConfig{{
				Condition:    jsii.String("${var.size <= 3}"),
				ErrorMessage: jsii.String("size must be at most 3."),
			}},
		})
		cdktf.NewTerraformOutput(stack, jsii.String("doubled"), &cdktf.TerraformOutputConfig{Value: jsii.String("${var.size * 2}")})
	})
	w := stacktest.NewTerraform(t).OfflineWorkdir(t, s)
	w.Init(t)
	for _, c := range []struct{ size, doubled float64 }{{1, 2}, {3, 6}} {
		var opts []tfexec.PlanOption
		if c.size != 1 { // 1 is the default
			opts = append(opts, tfexec.Var(fmt.Sprintf("size=%g", c.size)))
		}
		p := w.Plan(t, opts...)
		assert.Equal(t, s.Name, p.Stack)
		require.Contains(t, p.OutputChanges, "doubled")
		assert.Equal(t, c.doubled, p.OutputChanges["doubled"].After)
	}
	_, err := w.PlanE(context.Background(), tfexec.Var("size=4"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "size must be at most 3.")
}
