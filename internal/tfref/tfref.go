// Package tfref finds what the expressions of a Terraform JSON document (a
// synthesized cdk.tf.json) refer to: the "${...}" and "%{...}" templates in
// its strings, and the bare expressions of meta-arguments such as
// depends_on. Expressions are parsed with hclsyntax, so for-expression and
// template-loop variables are not taken for references.
package tfref

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Ref is one object an expression refers to.
type Ref struct {
	// Kind is "resource", "data", "ephemeral", "var", "local", "module", or
	// "other" (count.*, each.*, self.*, path.*, terraform.*).
	Kind string
	// Type and Name identify a resource, data source or ephemeral resource;
	// Name alone a variable, local, module call or (for "other") the root
	// name.
	Type, Name string
	// Attr is the first attribute after the address ("id", "arn", ...), or
	// "" for none. Index steps are skipped: aws_x.y[0].arn has Attr "arn".
	Attr string
}

// Address is the object's address: "aws_x.y", "data.aws_x.y",
// "ephemeral.aws_x.y", "var.x", "local.x", "module.x"; for Kind "other",
// "other.<root>" ("other.count").
func (r Ref) Address() string {
	switch r.Kind {
	case "resource":
		return r.Type + "." + r.Name
	case "data", "ephemeral":
		return r.Kind + "." + r.Type + "." + r.Name
	}
	return r.Kind + "." + r.Name
}

// Names returns the root and attribute names of a traversal in order
// (aws_x.y[0].arn: aws_x, y, arn), and whether it has other steps (index
// or splat) that the names leave out.
func Names(tr hcl.Traversal) (names []string, indexed bool) {
	for _, step := range tr {
		switch t := step.(type) {
		case hcl.TraverseRoot:
			names = append(names, t.Name)
		case hcl.TraverseAttr:
			names = append(names, t.Name)
		default:
			indexed = true
		}
	}
	return names, indexed
}

// Of classifies one traversal.
func Of(tr hcl.Traversal) Ref {
	names, _ := Names(tr)
	at := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return ""
	}
	switch root := at(0); root {
	case "var", "module", "local":
		return Ref{Kind: root, Name: at(1), Attr: at(2)}
	case "data", "ephemeral":
		return Ref{Kind: root, Type: at(1), Name: at(2), Attr: at(3)}
	case "each", "count", "self", "path", "terraform":
		return Ref{Kind: "other", Name: root}
	default:
		return Ref{Kind: "resource", Type: root, Name: at(1), Attr: at(2)}
	}
}

// InTemplates returns the references of every template in v (strings, and
// the keys of objects, nested to any depth). A string that does not parse
// is reported in the error; the references of the others are returned all
// the same.
func InTemplates(v any) ([]Ref, error) {
	var out []Ref
	var errs []error
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				out = appendTemplate(out, &errs, k)
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			out = appendTemplate(out, &errs, x)
		}
	}
	walk(v)
	return out, errors.Join(errs...)
}

func appendTemplate(out []Ref, errs *[]error, s string) []Ref {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return out
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		*errs = append(*errs, fmt.Errorf("%q: %s", s, diags.Error()))
		return out
	}
	for _, tr := range expr.Variables() {
		out = append(out, Of(tr))
	}
	return out
}

// InExpressions returns the references of the strings in v (a string or a
// list of them) read as bare expressions, as Terraform JSON reads
// depends_on and lifecycle.replace_triggered_by: "aws_sqs_queue.a",
// "aws_sqs_queue.a[count.index]". A string that does not parse is reported
// in the error.
func InExpressions(v any) ([]Ref, error) {
	var out []Ref
	var errs []error
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			expr, diags := hclsyntax.ParseExpression([]byte(x), "", hcl.InitialPos)
			if diags.HasErrors() {
				errs = append(errs, fmt.Errorf("%q: %s", x, diags.Error()))
				return
			}
			for _, tr := range expr.Variables() {
				out = append(out, Of(tr))
			}
		}
	}
	walk(v)
	return out, errors.Join(errs...)
}
