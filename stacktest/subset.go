package stacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/internal/tfref"
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
	// Every block that can be kept, by address (as tfref.Ref.Address).
	bodies := map[string]any{}
	for kind, prefix := range map[string]string{"resource": "", "data": "data.", "ephemeral": "ephemeral."} {
		byType, _ := doc[kind].(map[string]any)
		for typ, named := range byType {
			m, _ := named.(map[string]any)
			for name, body := range m {
				bodies[prefix+typ+"."+name] = body
			}
		}
	}
	variables, _ := doc["variable"].(map[string]any)
	for name, body := range variables {
		bodies["var."+name] = body
	}
	locals := map[string]any{}
	switch l := doc["locals"].(type) {
	case map[string]any:
		locals = l
	case []any: // the array form: several locals objects
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				for k, v := range m {
					locals[k] = v
				}
			}
		}
	}
	for name, body := range locals {
		bodies["local."+name] = body
	}

	keep := map[string]bool{}
	var queue []string // addresses whose references are still to follow
	add := func(addr string) bool {
		if _, ok := bodies[addr]; !ok {
			return false
		}
		if !keep[addr] {
			keep[addr] = true
			queue = append(queue, addr)
		}
		return true
	}
	var problems []string
	for _, a := range addresses {
		if !add(a) {
			what := "resource"
			if strings.HasPrefix(a, "data.") {
				what = "data source"
			} else if strings.HasPrefix(a, "ephemeral.") {
				what = "ephemeral resource"
			}
			problems = append(problems, fmt.Sprintf("no %s %s", what, a))
		}
	}
	follow := func(refs []tfref.Ref, err error) {
		if err != nil {
			problems = append(problems, err.Error())
		}
		for _, r := range refs {
			switch r.Kind {
			case "module":
				problems = append(problems, fmt.Sprintf("a kept block refers to module.%s, which SubsetE does not follow", r.Name))
			case "other":
			default:
				add(r.Address())
			}
		}
	}
	if providers, ok := doc["provider"].(map[string]any); ok {
		follow(tfref.InTemplates(providers))
	}
	for len(queue) > 0 {
		addr := queue[0]
		queue = queue[1:]
		switch body := bodies[addr]; {
		case strings.HasPrefix(addr, "var."):
			// In JSON, a variable's description, default and type are
			// literal; only its validation blocks are expressions.
			if m, ok := body.(map[string]any); ok {
				follow(tfref.InTemplates(m["validation"]))
			}
		case strings.HasPrefix(addr, "local."):
			follow(tfref.InTemplates(body))
		default:
			followBlock(body, follow)
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
	for kind, prefix := range map[string]string{"resource": "", "data": "data.", "ephemeral": "ephemeral."} {
		byType, _ := doc[kind].(map[string]any)
		kept := map[string]any{}
		for typ, named := range byType {
			m, _ := named.(map[string]any)
			sub := map[string]any{}
			for name, body := range m {
				if keep[prefix+typ+"."+name] {
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
	for key, named := range map[string]map[string]any{"variable": variables, "locals": locals} {
		prefix := map[string]string{"variable": "var.", "locals": "local."}[key]
		kept := map[string]any{}
		for name, body := range named {
			if keep[prefix+name] {
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
		if keep["var."+k] {
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

// followBlock passes to follow what a resource, data source or ephemeral
// resource body refers to: its arguments and nested blocks (templates, map
// keys included), and its meta-arguments, whose depends_on and
// lifecycle.replace_triggered_by hold bare expressions. The body's "//"
// key is cdktf's metadata.
func followBlock(body any, follow func([]tfref.Ref, error)) {
	m, ok := body.(map[string]any)
	if !ok {
		follow(tfref.InTemplates(body))
		return
	}
	for k, v := range m {
		switch k {
		case "//":
		case "depends_on":
			follow(tfref.InExpressions(v))
		case "lifecycle":
			// An object, or a list of them; its conditions are templates.
			lifecycles, isList := v.([]any)
			if !isList {
				lifecycles = []any{v}
			}
			for _, l := range lifecycles {
				lm, ok := l.(map[string]any)
				if !ok {
					follow(tfref.InTemplates(l))
					continue
				}
				for lk, lv := range lm {
					if lk == "replace_triggered_by" {
						follow(tfref.InExpressions(lv))
					} else {
						follow(tfref.InTemplates(lv))
					}
				}
			}
		default:
			follow(tfref.InTemplates(v))
		}
	}
}
