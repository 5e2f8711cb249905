package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// ToolName and ToolURI identify the checker in SARIF output.
const (
	ToolName = "hardened-cdktf-policy"
	ToolURI  = "https://github.com/hardened-iac/cdktf-aws"
)

// WriteSARIF writes the report as a SARIF 2.1.0 log (one run) for
// code-scanning services such as GitHub code scanning:
//   - tool.driver.rules holds the whole rule pack, each with its title,
//     fix (help), checklist line, severity ("security-severity", level)
//     and the trivy, checkov and cdk-nag IDs it maps to (properties);
//   - each finding is a result naming the rule, with the stack file as
//     its artifact (and the resource's line in it), the construct path
//     and the resource address as logical locations, and a stable partial
//     fingerprint (rule, stack, address);
//   - a suppressed finding carries a SARIF suppression of kind "inSource",
//     status "accepted", with the reason as its justification.
//
// Stack file paths are written as given (relative paths stay relative, so
// they resolve against the repository root when the command runs there).
func (r *Report) WriteSARIF(w io.Writer) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI(ToolName, ToolURI)
	ruleIndex := map[string]int{}
	for i, d := range pack {
		ruleIndex[d.ID] = i
		props := sarif.Properties{
			"tags":              []string{"security", "terraform", "cdktf"},
			"security-severity": d.Severity.securitySeverity(),
			"precision":         "high",
			"severity":          d.Severity.String(),
			"checklist":         d.Checklist,
		}
		if len(d.Trivy) > 0 {
			props["trivy"] = d.Trivy
		}
		if len(d.Checkov) > 0 {
			props["checkov"] = d.Checkov
		}
		if len(d.CdkNag) > 0 {
			props["cdk-nag"] = d.CdkNag
		}
		help := fmt.Sprintf("%s\n\nFix: %s\n\nChecklist: %s%s", d.Title, d.Fix, d.Checklist, mappingText(d.Rule))
		run.AddRule(d.ID).
			WithName(ruleName(d.Title)).
			WithShortDescription(sarif.NewMultiformatMessageString(d.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(d.Title + ". Enforces the checklist line \"" + d.Checklist + "\".")).
			WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(helpMarkdown(d.Rule))).
			WithHelpURI(ToolURI + "#policy-checks").
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(d.Severity.sarifLevel())).
			WithProperties(props)
	}
	artifactIndex := map[string]int{}
	for _, f := range r.Findings {
		uri := filepath.ToSlash(f.File)
		if _, ok := artifactIndex[uri]; !ok && uri != "" {
			artifactIndex[uri] = len(artifactIndex)
			run.AddArtifact().WithLocation(sarif.NewSimpleArtifactLocation(uri))
		}
	}
	for _, f := range r.Findings {
		loc := sarif.NewLocation()
		if uri := filepath.ToSlash(f.File); uri != "" {
			phys := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri).WithIndex(artifactIndex[uri]))
			if f.Line > 0 {
				phys.WithRegion(sarif.NewRegion().WithStartLine(f.Line))
			}
			loc.WithPhysicalLocation(phys)
		}
		if f.Path != "" {
			loc.AddLogicalLocations(sarif.NewLogicalLocation().
				WithName(f.Path[strings.LastIndex(f.Path, "/")+1:]).
				WithFullyQualifiedName(f.Path).
				WithKind("object"))
		}
		loc.AddLogicalLocations(sarif.NewLogicalLocation().
			WithName(f.Address).
			WithFullyQualifiedName(f.Stack + "/" + f.Address).
			WithKind("resource"))
		res := run.CreateResultForRule(f.Rule.ID).
			WithRuleIndex(ruleIndex[f.Rule.ID]).
			WithLevel(f.Rule.Severity.sarifLevel()).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s: %s: %s. Fix: %s", f.Rule.Title, f.Location(), f.Message, f.Rule.Fix))).
			WithLocations([]*sarif.Location{loc}).
			WithPartialFingerPrints(map[string]interface{}{"hardenedCdktfPolicy/v1": fingerprint(f)})
		res.AttachPropertyBag(propertyBag(map[string]interface{}{
			"stack": f.Stack, "address": f.Address, "constructPath": f.Path,
		}))
		if f.Suppressed {
			sup := sarif.NewSuppression("inSource").
				WithStatus("accepted").
				WithJustifcation(f.Reason).
				WithGuid(guid(f)).
				WithLocation(loc)
			res.WithSuppression([]*sarif.Suppression{sup})
		}
	}
	log.AddRun(run)
	return log.PrettyWrite(w)
}

func propertyBag(m map[string]interface{}) *sarif.PropertyBag {
	pb := sarif.NewPropertyBag()
	for k, v := range m {
		pb.Add(k, v)
	}
	return pb
}

// ruleName turns a title into a PascalCase SARIF rule name.
func ruleName(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func mappingText(r Rule) string {
	var parts []string
	if len(r.Trivy) > 0 {
		parts = append(parts, "trivy "+strings.Join(r.Trivy, ", "))
	}
	if len(r.Checkov) > 0 {
		parts = append(parts, "checkov "+strings.Join(r.Checkov, ", "))
	}
	if len(r.CdkNag) > 0 {
		parts = append(parts, "cdk-nag "+strings.Join(r.CdkNag, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n\nEquivalent checks: " + strings.Join(parts, "; ")
}

func helpMarkdown(r Rule) string {
	md := fmt.Sprintf("**%s** (%s)\n\n**Fix:** %s\n\n**Checklist:** %s", r.Title, r.Severity, r.Fix, r.Checklist)
	if m := mappingText(r); m != "" {
		md += "\n\n**Equivalent checks:** " + strings.TrimPrefix(m, "\n\nEquivalent checks: ")
	}
	return md + "\n\nSuppress a deliberate exception with `policy.Suppress(construct, \"" + r.ID + "\", \"<reason>\")`."
}

func fingerprint(f Finding) string {
	sum := sha256.Sum256([]byte(f.Rule.ID + "\x00" + f.Stack + "\x00" + f.Address + "\x00" + f.Message))
	return hex.EncodeToString(sum[:16])
}

// guid derives a stable, RFC 4122-shaped (version 5 style) GUID for a
// suppression from the finding it covers.
func guid(f Finding) string {
	sum := sha256.Sum256([]byte("suppression\x00" + f.Rule.ID + "\x00" + f.Stack + "\x00" + f.Address + "\x00" + f.Message))
	b := sum[:16]
	b[6] = (b[6] & 0x0f) | 0x50
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
