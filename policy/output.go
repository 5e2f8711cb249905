package policy

import (
	"encoding/json"
	"fmt"
	"io"
)

// Summary is one line counting the report's findings against min (unset:
// High), e.g. "policy: 3 stacks, 0 findings at or above HIGH, 2 below, 4
// suppressed, 0 wrong suppressions".
func (r *Report) Summary(min Severity) string {
	min = min.orDefault()
	failing, below, suppressed := 0, 0, 0
	for _, f := range r.Findings {
		switch {
		case f.Suppressed:
			suppressed++
		case f.Rule.Severity >= min:
			failing++
		default:
			below++
		}
	}
	return fmt.Sprintf("policy: %d %s, %d %s at or above %s, %d below, %d suppressed, %d wrong %s",
		len(r.Stacks), plural(len(r.Stacks), "stack"), failing, plural(failing, "finding"), min, below, suppressed,
		len(r.Problems), plural(len(r.Problems), "suppression"))
}

// WriteFailing writes one line per unsuppressed finding at or above min
// and per wrong suppression, then the Summary line. It is what a synth run
// prints.
func (r *Report) WriteFailing(w io.Writer, min Severity) error {
	for _, f := range r.Failing(min) {
		if _, err := fmt.Fprintln(w, f); err != nil {
			return err
		}
	}
	for _, p := range r.Problems {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.Summary(min))
	return err
}

// WriteText writes the whole report for people: the failing findings (at
// or above min, unset: High), the findings below min, the suppressed
// findings with their reasons, the wrong suppressions, and the Summary.
func (r *Report) WriteText(w io.Writer, min Severity) error {
	min = min.orDefault()
	ew := &errWriter{w: w}
	for _, f := range r.Failing(min) {
		ew.println(f)
	}
	first := true
	for _, f := range r.Findings {
		if !f.Suppressed && f.Rule.Severity < min {
			if first {
				ew.println(fmt.Sprintf("below %s (not failing):", min))
				first = false
			}
			ew.println("  " + f.String())
		}
	}
	if sup := r.Suppressed(); len(sup) > 0 {
		ew.println("suppressed:")
		for _, f := range sup {
			ew.println(fmt.Sprintf("  %s %s %s: %s. Reason: %s", f.Rule.Severity, f.Rule.ID, f.Rule.Title, f.Location(), f.Reason))
		}
	}
	for _, p := range r.Problems {
		ew.println(p)
	}
	ew.println(r.Summary(min))
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) println(v any) {
	if e.err == nil {
		_, e.err = fmt.Fprintln(e.w, v)
	}
}

// jsonReport is the shape WriteJSON writes.
type jsonReport struct {
	Stacks   []string      `json:"stacks"`
	Findings []jsonFinding `json:"findings"`
	Problems []Problem     `json:"problems"`
}

type jsonFinding struct {
	RuleID       string   `json:"ruleId"`
	Severity     string   `json:"severity"`
	Title        string   `json:"title"`
	Checklist    string   `json:"checklist"`
	Stack        string   `json:"stack"`
	File         string   `json:"file"`
	Line         int      `json:"line,omitempty"`
	Address      string   `json:"address"`
	Path         string   `json:"constructPath"`
	Message      string   `json:"message"`
	Fix          string   `json:"fix"`
	Trivy        []string `json:"trivy,omitempty"`
	Checkov      []string `json:"checkov,omitempty"`
	CdkNag       []string `json:"cdkNag,omitempty"`
	Suppressed   bool     `json:"suppressed"`
	Reason       string   `json:"reason,omitempty"`
	SuppressedAt string   `json:"suppressedAt,omitempty"`
}

// WriteJSON writes every finding (suppressed ones with their reasons) and
// every wrong suppression as one indented JSON object:
//
//	{"stacks": [...], "findings": [{"ruleId", "severity", "title", "checklist",
//	 "stack", "file", "line", "address", "constructPath", "message", "fix",
//	 "trivy", "checkov", "cdkNag", "suppressed", "reason", "suppressedAt"}],
//	 "problems": [{"stack", "target", "ruleId", "message"}]}
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{Stacks: r.Stacks, Findings: []jsonFinding{}, Problems: r.Problems}
	if out.Stacks == nil {
		out.Stacks = []string{}
	}
	if out.Problems == nil {
		out.Problems = []Problem{}
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			RuleID: f.Rule.ID, Severity: f.Rule.Severity.String(), Title: f.Rule.Title, Checklist: f.Rule.Checklist,
			Stack: f.Stack, File: f.File, Line: f.Line, Address: f.Address, Path: f.Path, Message: f.Message, Fix: f.Rule.Fix,
			Trivy: f.Rule.Trivy, Checkov: f.Rule.Checkov, CdkNag: f.Rule.CdkNag,
			Suppressed: f.Suppressed, Reason: f.Reason, SuppressedAt: f.SuppressedAt,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
