package stacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
)

// SubsetE returns a copy of s that holds only what the plan of the given
// resources, data sources and ephemeral resources needs: each of addresses
// (as FindRef and DataRef give them, e.g.
// "aws_wafv2_ip_set.waf_blocked_ipv4_1A2B3C4D",
// "data.aws_iam_policy_document.key_policy_5E6F7A8B" or
// "ephemeral.aws_secretsmanager_secret_version.pw") and, transitively, every
// resource, data source, ephemeral resource, input variable and local value
// their arguments (map keys included), count, for_each, depends_on and
// lifecycle refer to, with the references of those variables' validation
// blocks. Every provider configuration (and what it refers to) and the
// terraform block are kept; outputs, module calls, check, moved, import and
// removed blocks are dropped. WithVars values of the variables kept stay
// set.
//
// Use it to plan part of a stack cheaply: `terraform plan -target` plans
// only the targets too, but it first evaluates and validates every block
// of the configuration, which for a stack of large resources (an
// aws_wafv2_web_acl costs about a CPU-second per rule) is most of the
// plan's cost. The subset is a configuration of its own: a plan of it
// proves nothing about the blocks it left out.
//
// It is an error when an address is not in s, when an expression does not
// parse, or when a kept block refers to a module call (module outputs are
// not followed).
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
	// kind (as reference.kind) -> name -> block body
	all := map[string]map[string]any{
		"resource": blocks("resource"), "data": blocks("data"), "ephemeral": blocks("ephemeral"),
		"var": map[string]any{}, "local": map[string]any{},
	}
	if v, ok := doc["variable"].(map[string]any); ok {
		all["var"] = v
	}
	switch l := doc["locals"].(type) {
	case map[string]any:
		all["local"] = l
	case []any: // the array form: several locals objects
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				for k, v := range m {
					all["local"][k] = v
				}
			}
		}
	}
	keep := map[string]map[string]bool{}
	type pending struct {
		kind string
		body any
	}
	var queue []pending // bodies whose references are still to follow
	var problems []string
	add := func(kind, name string) bool {
		body, ok := all[kind][name]
		if !ok {
			return false
		}
		if keep[kind] == nil {
			keep[kind] = map[string]bool{}
		}
		if !keep[kind][name] {
			keep[kind][name] = true
			queue = append(queue, pending{kind, body})
		}
		return true
	}
	for _, a := range addresses {
		kind, name, what := "resource", a, "resource"
		if n, ok := strings.CutPrefix(a, "data."); ok {
			kind, name, what = "data", n, "data source"
		} else if n, ok := strings.CutPrefix(a, "ephemeral."); ok {
			kind, name, what = "ephemeral", n, "ephemeral resource"
		}
		if !add(kind, name) {
			problems = append(problems, fmt.Sprintf("no %s %s", what, a))
		}
	}
	if providers, ok := doc["provider"].(map[string]any); ok {
		queue = append(queue, pending{"provider", providers})
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		var refs []reference
		var err error
		switch p.kind {
		case "var":
			// In JSON, a variable's description, default and type are
			// literal; only its validation blocks are expressions.
			if m, ok := p.body.(map[string]any); ok {
				refs, err = references(m["validation"])
			}
		case "local", "provider":
			refs, err = references(p.body)
		default:
			refs, err = blockReferences(p.body)
		}
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
		problems = slices.Compact(problems)
		return Stack{}, fmt.Errorf("stack %s: subset: %s", s.Name, strings.Join(problems, "; "))
	}

	out := map[string]any{}
	for _, k := range []string{"//", "terraform", "provider"} {
		if v, ok := doc[k]; ok {
			out[k] = v
		}
	}
	for _, kind := range []string{"resource", "data", "ephemeral"} {
		byType, _ := doc[kind].(map[string]any)
		kept := map[string]any{}
		for typ, named := range byType {
			m, _ := named.(map[string]any)
			sub := map[string]any{}
			for name, body := range m {
				if keep[kind][typ+"."+name] {
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
	for kind, key := range map[string]string{"var": "variable", "local": "locals"} {
		kept := map[string]any{}
		for name, body := range all[kind] {
			if keep[kind][name] {
				kept[name] = body
			}
		}
		if len(kept) > 0 {
			out[key] = kept
		}
	}

	raw, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return Stack{}, err
	}
	c := Stack{Name: s.Name, Raw: raw, JSON: gjson.ParseBytes(raw)}
	for k, v := range s.vars {
		if keep["var"][k] {
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

// reference is one object a block refers to: kind is "resource", "data",
// "ephemeral" (name "type.name"), "var", "local" or "module".
type reference struct{ kind, name string }

// blockReferences returns what a resource, data source or ephemeral
// resource body refers to: its arguments and nested blocks (templates,
// map keys included), and its meta-arguments, whose depends_on and
// lifecycle.replace_triggered_by hold bare expressions. The body's "//"
// key is cdktf's metadata.
func blockReferences(body any) ([]reference, error) {
	m, ok := body.(map[string]any)
	if !ok {
		return references(body)
	}
	var out []reference
	for k, v := range m {
		var refs []reference
		var err error
		switch k {
		case "//":
			continue
		case "depends_on":
			refs, err = bareReferences(k, v)
		case "lifecycle":
			refs, err = lifecycleReferences(v)
		default:
			refs, err = references(v)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

// lifecycleReferences: a lifecycle block (an object, or a list of them)
// whose replace_triggered_by holds bare expressions; its conditions are
// templates.
func lifecycleReferences(v any) ([]reference, error) {
	if l, ok := v.([]any); ok {
		var out []reference
		for _, e := range l {
			r, err := lifecycleReferences(e)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
		return out, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return references(v)
	}
	var out []reference
	for k, e := range m {
		var r []reference
		var err error
		if k == "replace_triggered_by" {
			r, err = bareReferences(k, e)
		} else {
			r, err = references(e)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

// bareReferences: the strings of v are expressions without "${...}", such
// as "aws_sqs_queue.a" or "aws_sqs_queue.a[count.index]".
func bareReferences(key string, v any) ([]reference, error) {
	var out []reference
	var walk func(any) error
	walk = func(v any) error {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if err := walk(e); err != nil {
					return err
				}
			}
		case string:
			expr, diags := hclsyntax.ParseExpression([]byte(x), "", hcl.InitialPos)
			if diags.HasErrors() {
				return fmt.Errorf("%s %q: %s", key, x, diags.Error())
			}
			for _, tr := range expr.Variables() {
				if r, ok := referenceOf(tr); ok {
					out = append(out, r)
				}
			}
		}
		return nil
	}
	err := walk(v)
	return out, err
}

// references returns what the strings in v refer to: "${...}" and
// "%{...}" templates, in values and in object keys.
func references(v any) ([]reference, error) {
	var out []reference
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			r, err := templateReferences(k)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
			if r, err = references(e); err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
	case []any:
		for _, e := range x {
			r, err := references(e)
			if err != nil {
				return nil, err
			}
			out = append(out, r...)
		}
	case string:
		return templateReferences(x)
	}
	return out, nil
}

func templateReferences(s string) ([]reference, error) {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return nil, nil
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%q: %s", s, diags.Error())
	}
	var out []reference
	for _, tr := range expr.Variables() {
		if r, ok := referenceOf(tr); ok {
			out = append(out, r)
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
	case "data", "ephemeral":
		return reference{root, attr(1) + "." + attr(2)}, attr(1) != "" && attr(2) != ""
	case "count", "each", "self", "path", "terraform":
		return reference{}, false
	default:
		return reference{"resource", root + "." + attr(1)}, attr(1) != ""
	}
}
