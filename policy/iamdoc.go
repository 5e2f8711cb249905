package policy

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hardened-iac/cdktf-aws/internal/tfref"
)

// statement is one IAM policy statement, normalized: every list is a list,
// principals map a type ("AWS", "Service", "Federated", "CanonicalUser",
// or "*" for the bare wildcard) to identifiers, and conditions map an
// operator to keys to values.
type statement struct {
	Sid          string
	Effect       string
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Principal    map[string][]string
	NotPrincipal map[string][]string
	HasPrincipal bool
	Condition    map[string]map[string][]string
}

// document is a parsed policy document.
type document struct {
	Statements []statement
}

// policyDoc reads a policy attribute: a JSON string (possibly with
// "${...}" references inside its strings, as cdktf writes them), a
// "${jsonencode(...)}" expression, a variable's default, or a reference to
// a data.aws_iam_policy_document. ok is false when the document is unknown
// at synth.
func (s *stack) policyDoc(v any) (doc document, ok bool) {
	if raw, isStr := v.(string); isStr {
		if d := s.policyDocumentRef(raw); d != nil {
			return s.policyDocumentData(d, 0)
		}
	}
	parsed, ok := s.jsonAttr(v)
	if !ok {
		return document{}, false
	}
	return parseDocument(parsed)
}

// policyDocumentRef returns the data.aws_iam_policy_document that raw is
// exactly a reference to ("${data.aws_iam_policy_document.x.json}").
func (s *stack) policyDocumentRef(raw string) *resource {
	expr, diags := hclsyntax.ParseTemplate([]byte(raw), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	wrap, isWrap := expr.(*hclsyntax.TemplateWrapExpr)
	if !isWrap {
		return nil
	}
	st, isTr := wrap.Wrapped.(*hclsyntax.ScopeTraversalExpr)
	if !isTr {
		return nil
	}
	if rf := tfref.Of(st.Traversal); rf.Kind == "data" && rf.Type == "aws_iam_policy_document" {
		return s.byAddr["data.aws_iam_policy_document."+rf.Name]
	}
	return nil
}

// jsonAttr decodes an attribute that holds a JSON document: a JSON string
// (its "${...}" references stay as text inside the decoded strings), a
// "${jsonencode(...)}" expression (evaluated with every reference replaced
// by its own "${...}" text, so the structure survives), or a variable whose
// default is either. An object or list (as in a plan) is returned as is.
func (s *stack) jsonAttr(v any) (any, bool) {
	raw, isStr := v.(string)
	if !isStr {
		return v, v != nil
	}
	if t := strings.TrimSpace(raw); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		var parsed any
		if json.Unmarshal([]byte(t), &parsed) == nil {
			return parsed, true
		}
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(raw), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	wrap, isWrap := expr.(*hclsyntax.TemplateWrapExpr)
	if !isWrap {
		return nil, false
	}
	if _, isTr := wrap.Wrapped.(*hclsyntax.ScopeTraversalExpr); isTr {
		if ev, st := s.eval(raw); st == known {
			if str, isS := ev.(string); isS {
				var parsed any
				if json.Unmarshal([]byte(str), &parsed) == nil {
					return parsed, true
				}
				return nil, false
			}
			return ev, ev != nil
		}
		return nil, false
	}
	ph := placeholders(wrap.Wrapped)
	if ph == nil {
		return nil, false
	}
	out, ok := s.evalExpr(wrap.Wrapped, ph)
	if !ok {
		return nil, false
	}
	if str, isS := out.(string); isS {
		var parsed any
		if json.Unmarshal([]byte(str), &parsed) == nil {
			return parsed, true
		}
		return nil, false
	}
	return out, out != nil
}

// placeholders builds root values for every non-var traversal in expr whose
// leaves are the traversal's own "${...}" text. It returns nil when a
// traversal cannot be represented (an index step, or a prefix of another).
func placeholders(expr hclsyntax.Expression) map[string]cty.Value {
	tree := map[string]any{}
	for _, tr := range expr.Variables() {
		if tr.RootName() == "var" {
			continue
		}
		names, indexed := tfref.Names(tr)
		if indexed {
			return nil
		}
		node := tree
		for i, n := range names {
			if i == len(names)-1 {
				if _, exists := node[n]; exists {
					return nil
				}
				node[n] = "${" + strings.Join(names, ".") + "}"
				break
			}
			next, exists := node[n]
			if !exists {
				m := map[string]any{}
				node[n] = m
				node = m
				continue
			}
			m, isMap := next.(map[string]any)
			if !isMap {
				return nil
			}
			node = m
		}
	}
	out := map[string]cty.Value{}
	for k, v := range tree {
		out[k] = treeToCty(v)
	}
	return out
}

func treeToCty(v any) cty.Value {
	switch x := v.(type) {
	case string:
		return cty.StringVal(x)
	case map[string]any:
		m := map[string]cty.Value{}
		for k, e := range x {
			m[k] = treeToCty(e)
		}
		return cty.ObjectVal(m)
	}
	return cty.NilVal
}

// policyDocumentData converts a data.aws_iam_policy_document to a
// document, including the statements of its source and override
// documents (merged, not de-duplicated by Sid: a superset is enough for
// the checks).
func (s *stack) policyDocumentData(d *resource, depth int) (document, bool) {
	if depth > 8 {
		return document{}, false
	}
	var doc document
	for _, key := range []string{"source_policy_documents", "override_policy_documents"} {
		if list, ok := d.attrs[key].([]any); ok {
			for _, e := range list {
				sub, ok := s.policyDocNested(e, depth+1)
				if !ok {
					return document{}, false
				}
				doc.Statements = append(doc.Statements, sub.Statements...)
			}
		}
	}
	for _, b := range blocks(d.attrs["statement"]) {
		st := statement{Effect: "Allow"}
		if e, ok := s.literalString(b["effect"]); ok && e != "" {
			st.Effect = e
		}
		st.Sid, _ = s.literalString(b["sid"])
		st.Action = s.stringsOrRaw(b["actions"])
		st.NotAction = s.stringsOrRaw(b["not_actions"])
		st.Resource = s.stringsOrRaw(b["resources"])
		st.NotResource = s.stringsOrRaw(b["not_resources"])
		for _, key := range []string{"principals", "not_principals"} {
			ps := blocks(b[key])
			if len(ps) == 0 {
				continue
			}
			m := map[string][]string{}
			for _, p := range ps {
				typ, _ := s.literalString(p["type"])
				m[typ] = append(m[typ], s.stringsOrRaw(p["identifiers"])...)
			}
			if key == "principals" {
				st.Principal, st.HasPrincipal = m, true
			} else {
				st.NotPrincipal = m
			}
		}
		for _, c := range blocks(b["condition"]) {
			test, _ := s.literalString(c["test"])
			variable, _ := s.literalString(c["variable"])
			if st.Condition == nil {
				st.Condition = map[string]map[string][]string{}
			}
			if st.Condition[test] == nil {
				st.Condition[test] = map[string][]string{}
			}
			st.Condition[test][variable] = append(st.Condition[test][variable], s.stringsOrRaw(c["values"])...)
		}
		doc.Statements = append(doc.Statements, st)
	}
	return doc, true
}

func (s *stack) policyDocNested(v any, depth int) (document, bool) {
	if str, ok := v.(string); ok {
		if d := s.policyDocumentRef(str); d != nil {
			return s.policyDocumentData(d, depth)
		}
	}
	parsed, ok := s.jsonAttr(v)
	if !ok {
		return document{}, false
	}
	return parseDocument(parsed)
}

// stringsOrRaw returns the known strings of a list, keeping unknown
// elements as their raw "${...}" text (a reference is never "*").
func (s *stack) stringsOrRaw(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if str, st := s.str(e); st == known {
			out = append(out, str)
		} else if raw, ok := e.(string); ok {
			out = append(out, raw)
		}
	}
	return out
}

func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// parseDocument normalizes a decoded JSON policy document.
func parseDocument(v any) (document, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return document{}, false
	}
	var doc document
	for _, e := range asList(m["Statement"]) {
		sm, ok := e.(map[string]any)
		if !ok {
			return document{}, false
		}
		st := statement{
			Effect:      str(sm["Effect"]),
			Sid:         str(sm["Sid"]),
			Action:      strList(sm["Action"]),
			NotAction:   strList(sm["NotAction"]),
			Resource:    strList(sm["Resource"]),
			NotResource: strList(sm["NotResource"]),
		}
		if p, has := sm["Principal"]; has {
			st.Principal, st.HasPrincipal = principals(p), true
		}
		if p, has := sm["NotPrincipal"]; has {
			st.NotPrincipal = principals(p)
		}
		if c, ok := sm["Condition"].(map[string]any); ok {
			st.Condition = map[string]map[string][]string{}
			for op, keys := range c {
				km, _ := keys.(map[string]any)
				st.Condition[op] = map[string][]string{}
				for k, vals := range km {
					st.Condition[op][k] = strList(vals)
				}
			}
		}
		doc.Statements = append(doc.Statements, st)
	}
	return doc, true
}

func principals(v any) map[string][]string {
	switch x := v.(type) {
	case string:
		return map[string][]string{"*": {x}}
	case map[string]any:
		out := map[string][]string{}
		for k, e := range x {
			out[k] = strList(e)
		}
		return out
	}
	return map[string][]string{}
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return ""
}

func strList(v any) []string {
	var out []string
	for _, e := range asList(v) {
		out = append(out, str(e))
	}
	return out
}

// anyone reports whether a principal map admits everyone: "*", or
// {"AWS": "*"}.
func anyone(p map[string][]string) bool {
	for typ, ids := range p {
		for _, id := range ids {
			if id == "*" && (typ == "*" || typ == "AWS") {
				return true
			}
		}
	}
	return false
}

// conditionKeys lists the condition keys a statement tests, lower-cased.
func (st statement) conditionKeys() map[string]bool {
	out := map[string]bool{}
	for _, keys := range st.Condition {
		for k := range keys {
			out[strings.ToLower(k)] = true
		}
	}
	return out
}
