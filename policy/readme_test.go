package policy

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the rule table in ../README.md")

const (
	tableBegin = "<!-- policy-rules:begin (generated: go test ./policy -run TestReadmeRuleTable -update-readme) -->"
	tableEnd   = "<!-- policy-rules:end -->"
)

// ruleTable renders the pack as the README's Markdown table.
func ruleTable() string {
	ids := func(s []string) string {
		if len(s) == 0 {
			return "–"
		}
		return strings.Join(s, ", ")
	}
	var b strings.Builder
	b.WriteString("| ID | Severity | Title | Checklist line | trivy | checkov | cdk-nag | Fix |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s |\n", r.ID, r.Severity, r.Title, r.Checklist,
			ids(r.Trivy), ids(r.Checkov), ids(r.CdkNag), strings.ReplaceAll(r.Fix, "|", `\|`))
	}
	return b.String()
}

// TestReadmeRuleTable keeps the README's rule table equal to the pack.
func TestReadmeRuleTable(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start, end := strings.Index(readme, tableBegin), strings.Index(readme, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no rule table between %q and %q", tableBegin, tableEnd)
	}
	want := tableBegin + "\n" + ruleTable() + tableEnd
	got := readme[start : end+len(tableEnd)]
	if got == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("../README.md", []byte(readme[:start]+want+readme[end+len(tableEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is out of date: run go test ./policy -run TestReadmeRuleTable -update-readme")
}
