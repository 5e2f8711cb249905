package tests

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/internal/harness"
)

// TestTerraformPlan runs terraform init, validate and plan, offline, over
// every stack of a full synth of the reference app, and checks the plan:
// no errors, only creations, and the expected resources among them.
func TestTerraformPlan(t *testing.T) {
	tf := harness.NewTerraform(t)
	app := referenceApp(t)
	for _, name := range app.StackNames() {
		t.Run(name, func(t *testing.T) {
			// Terraform runs in its own processes, not through jsii, so
			// stacks may plan in parallel; the synth above is already done.
			t.Parallel()
			plan := tf.PlanStack(t, app.Stacks[name])
			created := harness.Addresses(plan, tfjson.Actions{tfjson.ActionCreate})
			require.Len(t, plan.ResourceChanges, len(created)+countReads(plan), "a fresh stack must only create (and read data sources)")
			for _, want := range expectedPlanned(t, app.Stacks[name]) {
				assert.Contains(t, created, want)
			}
		})
	}
}

// expectedPlanned lists every resource the synthesized JSON declares, as a
// plan address: the plan must create each of them.
func expectedPlanned(t *testing.T, s harness.Stack) []string {
	var out []string
	s.Get("resource").ForEach(func(typ, byID gjson.Result) bool {
		byID.ForEach(func(id, r gjson.Result) bool {
			if !r.Get("count").Exists() && !r.Get("for_each").Exists() {
				out = append(out, typ.String()+"."+id.String())
			}
			return true
		})
		return true
	})
	if strings.HasPrefix(s.Name, "bootstrap") {
		require.NotEmpty(t, out)
	}
	return out
}

func countReads(plan *tfjson.Plan) int {
	return len(harness.Addresses(plan, tfjson.Actions{tfjson.ActionRead}))
}
