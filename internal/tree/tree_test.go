package tree_test

import (
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/tree"
)

// The cached facts must be what the kernel answers, for constructs recorded
// with Child (computed from the parent) and for those that are not (read).
func TestFactsMatchTheKernel(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir()), StackTraces: jsii.Bool(false)})
	stack := cdktf.NewTerraformStack(app, jsii.String("stack-a"))
	outer := constructs.NewConstruct(stack, jsii.String("outer"))
	tree.Child(stack, "outer", outer)
	inner := constructs.NewConstruct(outer, jsii.String("inner_1"))
	tree.Child(outer, "inner_1", inner)
	unrecorded := constructs.NewConstruct(inner, jsii.String("leaf"))
	loose := constructs.NewConstruct(app, jsii.String("loose"))
	tree.Child(app, "loose", loose)

	for _, c := range []constructs.IConstruct{app, stack, outer, inner, unrecorded, loose} {
		want := *c.Node().Path()
		if got := tree.Path(c); got != want {
			t.Errorf("Path = %q, want %q", got, want)
		}
		if got := tree.Path(c); got != want {
			t.Errorf("second Path = %q, want %q", got, want)
		}
		if got, want := tree.Root(c), c.Node().Root(); got != want {
			t.Errorf("Root of %q = %v, want %v", want, got, want)
		}
	}
	for _, c := range []constructs.IConstruct{stack, outer, inner, unrecorded} {
		s, pv := tree.Stack(c)
		if pv != nil || s != cdktf.TerraformStack_Of(c) {
			t.Errorf("Stack of %q = %v (panic %v), want %v", *c.Node().Path(), s, pv, cdktf.TerraformStack_Of(c))
		}
		if got := tree.StackPath(c); got != "stack-a" {
			t.Errorf("StackPath of %q = %q, want stack-a", *c.Node().Path(), got)
		}
	}
	for _, c := range []constructs.IConstruct{app, loose} {
		if s, pv := tree.Stack(c); s != nil || pv == nil {
			t.Errorf("Stack of %q outside any stack = %v (panic %v), want nil and the kernel's panic", *c.Node().Path(), s, pv)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("StackPath of a construct outside any stack did not panic as TerraformStack_Of does")
			}
		}()
		tree.StackPath(loose)
	}()
}

func TestAttrReadsOnce(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir()), StackTraces: jsii.Bool(false)})
	c := constructs.NewConstruct(app, jsii.String("c"))
	reads := 0
	read := func(v string) func() *string {
		return func() *string { reads++; return jsii.String(v) }
	}
	a1 := tree.Attr(c, "arn", read("arn-value"))
	a2 := tree.Attr(c, "arn", read("other"))
	n := tree.Attr(c, "name", read("name-value"))
	if *a1 != "arn-value" || *a2 != "arn-value" || *n != "name-value" || reads != 2 {
		t.Errorf("Attr = %q, %q, %q after %d reads; want arn-value twice, name-value, 2 reads", *a1, *a2, *n, reads)
	}
	if got := tree.Attr(nil, "arn", read("uncached")); *got != "uncached" || reads != 3 {
		t.Errorf("Attr(nil) = %q after %d reads; want a read every time", *got, reads)
	}
}
