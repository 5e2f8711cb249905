package stacktest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
)

// SubsetE returns a copy of s that holds only what the plan of the given
// resources and data sources needs: each of addresses (as FindRef and
// DataRef give them, e.g. "aws_wafv2_ip_set.waf_blocked_ipv4_1A2B3C4D" or
// "data.aws_iam_policy_document.key_policy_5E6F7A8B") and, transitively,
// every resource, data source, input variable and local value their
// arguments, count, for_each, depends_on and lifecycle refer to, with the
// references of those variables' validation blocks. Every provider
// configuration and the terraform block are kept; outputs, module calls,
// check, moved, import and removed blocks are dropped. WithVars values of
// the variables kept stay set.
//
// Use it to plan part of a stack cheaply: `terraform plan -target` plans
// only the targets too, but it first evaluates and validates every block
// of the configuration, which for a stack of large resources (an
// aws_wafv2_web_acl costs about a CPU-second per rule) is most of the
// plan's cost. The subset is a configuration of its own: a plan of it
// proves nothing about the blocks it left out.
//
// It is an error when an address is not in s, or when a kept block refers
// to a module call (module outputs are not followed).
func (s Stack) SubsetE(addresses ...string) (Stack, error) {
	if len(addresses) == 0 {
		return Stack{}, fmt.Errorf("stack %s: SubsetE needs at least one address", s.Name)
	}
	doc, err := decode(s.Raw)
	if err != nil {
		return Stack{}, fmt.Errorf("stack %s: %w", s.Name, err)
	}
	blocks := func(kind string) map[string]any {
		out := map[string]any{}
		byType, _ := doc[kind].(map[string]any)
		for typ, named := range byType {
			m, _ := named.(map[string]any)
			for name, body := range m {
				out[typ+"."+name] = body
			}
		}
		return out
	}
	resources, data := blocks("resource"), blocks("data")
	variables, _ := doc["variable"].(map[string]any)
	locals, _ := doc["locals"].(map[string]any)

	keepRes, keepData := map[string]bool{}, map[string]bool{}
	keepVar, keepLocal := map[string]bool{}, map[string]bool{}
	var queue []any // block bodies whose references are still to follow
	var problems []string
	add := func(kind, name string) {
		switch kind {
		case "resource":
			if body, ok := resources[name]; ok && !keepRes[name] {
				keepRes[name] = true
				queue = append(queue, body)
			}
		case "data":
			if body, ok := data[name]; ok && !keepData[name] {
				keepData[name] = true
				queue = append(queue, body)
			}
		case "var":
			if body, ok := variables[name]; ok && !keepVar[name] {
				keepVar[name] = true
				queue = append(queue, body)
			}
		case "local":
			if body, ok := locals[name]; ok && !keepLocal[name] {
				keepLocal[name] = true
				queue = append(queue, body)
			}
		}
	}
	for _, a := range addresses {
		if name, ok := strings.CutPrefix(a, "data."); ok {
			if _, found := data[name]; !found {
				problems = append(problems, fmt.Sprintf("no data source %s", a))
			}
			add("data", name)
			continue
		}
		if _, found := resources[a]; !found {
			problems = append(problems, fmt.Sprintf("no resource %s", a))
		}
		add("resource", a)
	}
	if providers, ok := doc["provider"].(map[string]any); ok {
		queue = append(queue, providers)
	}
	for len(queue) > 0 {
		body := queue[0]
		queue = queue[1:]
		refs, err := references(body, "")
		if err != nil {
			problems = append(problems, err.Error())
		}
		for _, r := range refs {
			if r.kind == "module" {
				problems = append(problems, fmt.Sprintf("a kept block refers to module.%s, which SubsetE does not follow", r.name))
				continue
			}
			add(r.kind, r.name)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return Stack{}, fmt.Errorf("stack %s: subset: %s", s.Name, strings.Join(problems, "; "))
	}

	out := map[string]any{}
	for _, k := range []string{"//", "terraform", "provider"} {
		if v, ok := doc[k]; ok {
			out[k] = v
		}
	}
	pick := func(kind string, keep map[string]bool) {
		byType, _ := doc[kind].(map[string]any)
		kept := map[string]any{}
		for typ, named := range byType {
			m, _ := named.(map[string]any)
			sub := map[string]any{}
			for name, body := range m {
				if keep[typ+"."+name] {
					sub[name] = body
				}
			}
			if len(sub) > 0 {
				kept[typ] = sub
			}
		}
		if len(kept) > 0 {
			out[kind] = kept
		}
	}
	pick("resource", keepRes)
	pick("data", keepData)
	named := func(kind string, all map[string]any, keep map[string]bool) {
		kept := map[string]any{}
		for name, body := range all {
			if keep[name] {
				kept[name] = body
			}
		}
		if len(kept) > 0 {
			out[kind] = kept
		}
	}
	named("variable", variables, keepVar)
	named("locals", locals, keepLocal)

	raw, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return Stack{}, err
	}
	c := Stack{Name: s.Name, Raw: raw, JSON: gjson.ParseBytes(raw)}
	for k, v := range s.vars {
		if keepVar[k] {
			if c.vars == nil {
				c.vars = map[string]any{}
			}
			c.vars[k] = v
		}
	}
	return c, nil
}

// Subset is SubsetE that fails the test instead of returning an error.
func (s Stack) Subset(t testing.TB, addresses ...string) Stack {
	t.Helper()
	c, err := s.SubsetE(addresses...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reference is one object a block refers to: kind is "resource" (name
// "type.name"), "data" ("type.name"), "var", "local" or "module".
type reference struct{ kind, name string }

// references returns what the strings in v refer to: "${...}" templates,
// and the bare references of depends_on and lifecycle.replace_triggered_by.
func references(v any, key string) ([]reference, error) {
	var out []reference
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "//" {
				continue // cdktf metadata
			}
			r, err := references(e, k)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
	case []any:
		for _, e := range x {
			r, err := references(e, key)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
	case string:
		var traversals []hcl.Traversal
		if key == "depends_on" || key == "replace_triggered_by" {
			tr, diags := hclsyntax.ParseTraversalAbs([]byte(x), "", hcl.InitialPos)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s %q: %s", key, x, diags.Error())
			}
			traversals = []hcl.Traversal{tr}
		} else if strings.Contains(x, "${") || strings.Contains(x, "%{") {
			expr, diags := hclsyntax.ParseTemplate([]byte(x), "", hcl.InitialPos)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%q: %s", x, diags.Error())
			}
			traversals = expr.Variables()
		}
		for _, tr := range traversals {
			if r, ok := referenceOf(tr); ok {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func referenceOf(tr hcl.Traversal) (reference, bool) {
	attr := func(i int) string {
		if i < len(tr) {
			if a, ok := tr[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch root := tr.RootName(); root {
	case "var", "local", "module":
		return reference{root, attr(1)}, attr(1) != ""
	case "data":
		return reference{"data", attr(1) + "." + attr(2)}, attr(1) != "" && attr(2) != ""
	case "count", "each", "self", "path", "terraform":
		return reference{}, false
	default:
		return reference{"resource", root + "." + attr(1)}, attr(1) != ""
	}
}
