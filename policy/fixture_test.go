package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

// part is one block of a hand-built stack: a resource, data source,
// variable, backend or stack-level metadata.
type part struct {
	kind, typ, name string
	body            string // JSON object text
}

func res(typ, name, body string) part  { return part{"resource", typ, name, body} }
func data(typ, name, body string) part { return part{"data", typ, name, body} }
func tfvar(name, body string) part     { return part{"variable", "", name, body} }
func backendS3(bucket string) part     { return part{"backend", "", "", `{"bucket": "` + bucket + `"}`} }

// stackMeta adds keys under the stack's "//" (e.g. policy_suppressions).
func stackMeta(body string) part { return part{"meta", "", "", body} }

const fixtureStack = "fixture"

// stackJSON builds a cdk.tf.json the way cdktf writes one: every resource
// gets "//".metadata with path "fixture/<name>" (kept if the body sets its
// own "//").
func stackJSON(t testing.TB, parts ...part) []byte {
	t.Helper()
	doc := map[string]any{
		"//": map[string]any{"metadata": map[string]any{"stackName": fixtureStack, "version": "0.20.12"}},
	}
	parse := func(p part) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(p.body), &m); err != nil {
			t.Fatalf("fixture %s %s.%s: %v\n%s", p.kind, p.typ, p.name, err, p.body)
		}
		return m
	}
	sub := func(m map[string]any, keys ...string) map[string]any {
		for _, k := range keys {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		return m
	}
	for _, p := range parts {
		body := parse(p)
		switch p.kind {
		case "resource", "data":
			meta := sub(body, "//", "metadata")
			if _, ok := meta["path"]; !ok {
				meta["path"] = fixtureStack + "/" + p.name
			}
			meta["uniqueId"] = p.name
			sub(doc, p.kind, p.typ)[p.name] = body
		case "variable":
			sub(doc, "variable")[p.name] = body
		case "backend":
			sub(doc, "terraform", "backend")["s3"] = body
		case "meta":
			for k, v := range body {
				doc["//"].(map[string]any)[k] = v
			}
		}
	}
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func fixture(t testing.TB, parts ...part) StackFile {
	return StackFile{Name: fixtureStack, Path: "fixture/cdk.tf.json", JSON: stackJSON(t, parts...)}
}

// check runs the pack over one hand-built stack.
func check(t testing.TB, parts ...part) *Report {
	t.Helper()
	rep, err := Check(fixture(t, parts...))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// flagged returns the addresses a rule reports (suppressed or not), in
// report order.
func (r *Report) flagged(ruleID string) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Rule.ID == ruleID {
			out = append(out, f.Address)
		}
	}
	return out
}

func (r *Report) messages(ruleID string) string {
	var out []string
	for _, f := range r.Findings {
		if f.Rule.ID == ruleID {
			out = append(out, f.Address+": "+f.Message)
		}
	}
	return strings.Join(out, "\n")
}
