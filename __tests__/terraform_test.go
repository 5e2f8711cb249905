package tests

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestTerraformPlan runs terraform init and plan (which validates first),
// offline, over every stack of a full synth of the reference app, in one
// Terraform run, and checks each stack's plan: no errors, only creations,
// and the expected resources among them.
func TestTerraformPlan(t *testing.T) {
	app := referenceApp(t)
	plans := stacktest.PlanStacks(t, app.All()...)
	for i, name := range app.StackNames() {
		t.Run(name, func(t *testing.T) {
			plan := plans[i]
			require.Equal(t, name, plan.Stack)
			created := plan.Addresses(tfjson.ActionCreate)
			require.Len(t, plan.ResourceChanges, len(created)+countReads(plan), "a fresh stack must only create (and read data sources)")
			plan.RequireNoDestroy(t)
			for _, want := range expectedPlanned(t, app.Stacks[name]) {
				assert.Contains(t, created, want)
			}
		})
	}
}

// expectedPlanned lists every resource the synthesized JSON declares, as a
// plan address: the plan must create each of them.
func expectedPlanned(t *testing.T, s stacktest.Stack) []string {
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

func countReads(plan *stacktest.Plan) int {
	return len(plan.Addresses(tfjson.ActionRead))
}
