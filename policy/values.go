package policy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/hardened-iac/cdktf-aws/internal/tfref"
)

// How values are read.
//
// Every string in Terraform JSON is a template: "${...}" interpolates an
// expression, "$${" is a literal "${". The checker parses strings with
// HCL's own template parser, as Terraform does, and evaluates them with
// what is known at synth:
//   - a string without interpolation is a literal;
//   - var.NAME is its default when it has one (the value Terraform uses
//     when none is passed); a variable without a default is unknown;
//   - a few pure functions (jsonencode, join, format, lower, upper, concat)
//     are evaluated when their arguments are known;
//   - anything else (a resource attribute, a data source, module.*, local.*)
//     is unknown at synth.
//
// A reference to a resource attribute is also a relation: a public access
// block whose bucket is "${aws_s3_bucket.logs.id}" belongs to that bucket.

// state says whether a value was found and whether it is known.
type state int

const (
	absent  state = iota // the attribute is not set
	known                // the value is known at synth
	unknown              // set, but only known at plan or apply time
)

var evalFuncs = map[string]function.Function{
	"jsonencode": stdlib.JSONEncodeFunc,
	"join":       stdlib.JoinFunc,
	"format":     stdlib.FormatFunc,
	"lower":      stdlib.LowerFunc,
	"upper":      stdlib.UpperFunc,
	"concat":     stdlib.ConcatFunc,
}

// eval resolves v to a Go value (string, float64, bool, []any,
// map[string]any) when it is known at synth.
func (s *stack) eval(v any) (any, state) {
	switch x := v.(type) {
	case nil:
		return nil, absent
	case string:
		if !strings.Contains(x, "${") && !strings.Contains(x, "%{") {
			return x, known
		}
		expr, diags := hclsyntax.ParseTemplate([]byte(x), "", hcl.InitialPos)
		if diags.HasErrors() {
			return x, known // not a valid template: Terraform would reject it; read it as text
		}
		out, ok := s.evalExpr(expr, nil)
		if !ok {
			return nil, unknown
		}
		return out, known
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			ev, st := s.eval(e)
			if st != known {
				return nil, unknown
			}
			out[i] = ev
		}
		return out, known
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ev, st := s.eval(e)
			if st == unknown {
				return nil, unknown
			}
			out[k] = ev
		}
		return out, known
	}
	return v, known
}

// evalExpr evaluates an HCL expression with the variables' defaults and
// the extra root values given. It fails when anything it needs is unknown.
func (s *stack) evalExpr(expr hclsyntax.Expression, extra map[string]cty.Value) (any, bool) {
	ctx := &hcl.EvalContext{Functions: evalFuncs, Variables: map[string]cty.Value{}}
	for k, v := range extra {
		ctx.Variables[k] = v
	}
	for _, tr := range expr.Variables() {
		if tr.RootName() != "var" || len(tr) < 2 {
			if _, ok := extra[tr.RootName()]; !ok {
				return nil, false
			}
			continue
		}
	}
	vars := map[string]cty.Value{}
	for name, v := range s.vars {
		if !v.hasDefault {
			continue
		}
		if cv, ok := toCty(v.def); ok {
			vars[name] = cv
		}
	}
	for _, tr := range expr.Variables() {
		if tr.RootName() != "var" {
			continue
		}
		attr, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		if _, ok := vars[attr.Name]; !ok {
			return nil, false // no default: unknown
		}
	}
	ctx.Variables["var"] = cty.ObjectVal(vars)
	val, diags := expr.Value(ctx)
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return nil, false
	}
	return fromCty(val)
}

func toCty(v any) (cty.Value, bool) {
	raw, err := json.Marshal(v)
	if err != nil {
		return cty.NilVal, false
	}
	t, err := ctyjson.ImpliedType(raw)
	if err != nil {
		return cty.NilVal, false
	}
	cv, err := ctyjson.Unmarshal(raw, t)
	return cv, err == nil
}

func fromCty(v cty.Value) (any, bool) {
	if v.IsNull() {
		return nil, true
	}
	raw, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil, false
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, false
	}
	return out, true
}

// str reads a string (numbers and booleans are formatted, as Terraform
// converts them).
func (s *stack) str(v any) (string, state) {
	ev, st := s.eval(v)
	if st != known {
		return "", st
	}
	switch x := ev.(type) {
	case string:
		return x, known
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), known
	case bool:
		return strconv.FormatBool(x), known
	case nil:
		return "", absent
	}
	return "", unknown
}

// literalString is str for callers that only care about known strings.
func (s *stack) literalString(v any) (string, bool) {
	x, st := s.str(v)
	return x, st == known
}

// boolean reads a bool; "true" and "false" strings count, as Terraform
// converts them.
func (s *stack) boolean(v any) (bool, state) {
	ev, st := s.eval(v)
	if st != known {
		return false, st
	}
	switch x := ev.(type) {
	case bool:
		return x, known
	case string:
		if b, err := strconv.ParseBool(x); err == nil {
			return b, known
		}
	case nil:
		return false, absent
	}
	return false, unknown
}

// number reads a number; numeric strings count.
func (s *stack) number(v any) (float64, state) {
	ev, st := s.eval(v)
	if st != known {
		return 0, st
	}
	switch x := ev.(type) {
	case float64:
		return x, known
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return f, known
		}
	case nil:
		return 0, absent
	}
	return 0, unknown
}

// strings reads a list of strings element by element: known elements are
// returned, and unknownSeen says whether any element (or the whole list)
// is unknown. A single string counts as a list of one.
func (s *stack) strings(v any) (out []string, unknownSeen bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case []any:
		for _, e := range x {
			if str, st := s.str(e); st == known {
				out = append(out, str)
			} else if st == unknown {
				// "${var.list}" inside a list, or a reference
				if ev, st2 := s.eval(e); st2 == known {
					if l, ok := ev.([]any); ok {
						for _, le := range l {
							out = append(out, fmt.Sprint(le))
						}
						continue
					}
				}
				unknownSeen = true
			}
		}
		return out, unknownSeen
	}
	ev, st := s.eval(v)
	switch st {
	case known:
		switch x := ev.(type) {
		case []any:
			for _, e := range x {
				out = append(out, fmt.Sprint(e))
			}
			return out, false
		case string:
			return []string{x}, false
		}
		return nil, true
	case unknown:
		return nil, true
	}
	return nil, false
}

// blocks normalizes a nested block: cdktf writes a block either as an
// object or as a list of objects.
func blocks(v any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		var out []map[string]any
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// refs lists the references in every string inside v (strings that do not
// parse refer to nothing).
func refs(v any) []tfref.Ref {
	out, _ := tfref.InTemplates(v)
	return out
}

// nameAttr is the attribute that names a resource type, for matching
// literal names (a companion resource that names its bucket by literal
// instead of by reference).
var nameAttr = map[string]string{
	"aws_s3_bucket": "bucket",
}

// targets returns the resources of the given types that v refers to,
// either by reference (any attribute) or, for types in nameAttr, by a
// literal equal to the resource's literal name (or an S3 ARN of it).
// open reports that v holds something the checker cannot resolve (an
// unknown variable, a module output, a data source, a function of unknown
// values), so it may refer to any resource.
func (s *stack) targets(v any, types ...string) (out []*resource, open bool) {
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
	}
	seen := map[*resource]bool{}
	add := func(r *resource) {
		if r != nil && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, rf := range refs(v) {
		switch rf.Kind {
		case "resource":
			if want[rf.Type] {
				add(s.byAddr[rf.Type+"."+rf.Name])
			}
		case "var":
			if vv, ok := s.vars[rf.Name]; !ok || !vv.hasDefault {
				open = true
			}
		case "data":
			if !s.dataResolves(rf) {
				open = true
			}
		case "module", "local":
			open = true
		}
	}
	// Literal names: the known string value(s) of v.
	lits, _ := s.strings(v)
	for _, rf := range refs(v) {
		if rf.Kind == "data" {
			if r := s.byAddr["data."+rf.Type+"."+rf.Name]; r != nil {
				if n, ok := s.literalString(r.attrs["bucket"]); ok {
					lits = append(lits, n)
				}
			}
		}
	}
	for _, lit := range lits {
		if strings.Contains(lit, "${") {
			continue
		}
		name := strings.TrimPrefix(lit, "arn:aws:s3:::")
		name = strings.TrimPrefix(name, "arn:aws-us-gov:s3:::")
		name = strings.TrimPrefix(name, "arn:aws-cn:s3:::")
		if i := strings.Index(name, "/"); i >= 0 {
			name = name[:i]
		}
		for t := range want {
			attr := nameAttr[t]
			if attr == "" {
				continue
			}
			for _, r := range s.byType[t] {
				if n, ok := s.literalString(r.attrs[attr]); ok && n == name {
					add(r)
				}
			}
		}
	}
	return out, open
}

// dataResolves reports whether a data source reference can be matched by
// its literal name (data.aws_s3_bucket with a literal bucket).
func (s *stack) dataResolves(rf tfref.Ref) bool {
	r := s.byAddr["data."+rf.Type+"."+rf.Name]
	if r == nil {
		return false
	}
	_, ok := s.literalString(r.attrs["bucket"])
	return ok && rf.Type == "aws_s3_bucket"
}

// refersTo reports whether v refers to r by reference (any attribute).
func refersTo(v any, r *resource) bool {
	for _, rf := range refs(v) {
		if rf.Kind == "resource" && rf.Type == r.typ && rf.Name == r.name {
			return true
		}
		if rf.Kind == "data" && r.mode == "data" && rf.Type == r.typ && rf.Name == r.name {
			return true
		}
	}
	return false
}

// referrers returns the resources of typ whose attribute attr refers to r
// (see targets).
func (s *stack) referrers(r *resource, typ, attr string) []*resource {
	var out []*resource
	for _, c := range s.byType[typ] {
		ts, _ := s.targets(c.attrs[attr], r.typ)
		for _, t := range ts {
			if t == r {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// openReferrers reports whether any resource of typ has an attr the
// checker cannot resolve (so it might belong to r).
func (s *stack) openReferrers(typ, attr string, targetTypes ...string) bool {
	for _, c := range s.byType[typ] {
		ts, open := s.targets(c.attrs[attr], targetTypes...)
		if open && len(ts) == 0 {
			return true
		}
	}
	return false
}
