package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// MinReasonLength is the shortest reason a suppression may give, in
// characters (after trimming spaces).
const MinReasonLength = 10

// Finding is one rule failing on one resource.
type Finding struct {
	// Rule is the rule that failed.
	Rule Rule
	// Stack is the stack's name; File its cdk.tf.json (StackFile.Path) and
	// Line the 1-based line of the resource in it (0 when unknown).
	Stack string
	File  string
	Line  int
	// Address is the Terraform address of the resource, "type.name".
	Address string
	// Path is the resource's construct path ("stack/construct/.../id"), or
	// "" when the JSON carries no cdktf metadata.
	Path string
	// Message says what exactly is wrong with this resource.
	Message string
	// Suppressed is true when a suppression with a valid reason covers the
	// finding; Reason is that reason and SuppressedAt the construct path
	// (or resource address) the suppression was declared on.
	Suppressed   bool
	Reason       string
	SuppressedAt string
}

// Location names the resource for people: its construct path and address.
func (f Finding) Location() string {
	if f.Path == "" {
		return fmt.Sprintf("%s: %s", f.Stack, f.Address)
	}
	return fmt.Sprintf("%s (%s)", f.Path, f.Address)
}

// String formats the finding on one line: severity, rule ID, title,
// construct path, resource address, what is wrong and the fix.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s: %s: %s. Fix: %s", f.Rule.Severity, f.Rule.ID, f.Rule.Title, f.Location(), f.Message, f.Rule.Fix)
}

// Problem is a suppression that is wrong: an unknown rule ID, a reason
// shorter than MinReasonLength, or a suppression that matches no finding.
// Every problem fails a run, whatever the severity threshold.
type Problem struct {
	// Stack is the stack the suppression is recorded in.
	Stack string `json:"stack"`
	// Target is the construct path or resource address it was declared on.
	Target string `json:"target"`
	// RuleID is the rule it names.
	RuleID string `json:"ruleId"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// String formats the problem on one line.
func (p Problem) String() string {
	return fmt.Sprintf("suppression %s on %s (stack %s): %s", p.RuleID, p.Target, p.Stack, p.Message)
}

// Report is the result of checking stacks.
type Report struct {
	// Stacks are the names of the stacks checked, sorted.
	Stacks []string
	// Findings are every finding, suppressed or not, sorted by stack,
	// severity (most severe first), rule ID, construct path and address.
	Findings []Finding
	// Problems are the suppressions that are wrong, sorted.
	Problems []Problem
}

// Failing returns the unsuppressed findings at or above min (unset: High).
func (r *Report) Failing(min Severity) []Finding {
	min = min.orDefault()
	var out []Finding
	for _, f := range r.Findings {
		if !f.Suppressed && f.Rule.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// Suppressed returns the findings covered by a suppression.
func (r *Report) Suppressed() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// Err returns nil when no unsuppressed finding is at or above min (unset:
// High) and no suppression is wrong; otherwise an error counting both.
func (r *Report) Err(min Severity) error {
	min = min.orDefault()
	failing, problems := len(r.Failing(min)), len(r.Problems)
	if failing == 0 && problems == 0 {
		return nil
	}
	var parts []string
	if failing > 0 {
		parts = append(parts, fmt.Sprintf("%d unsuppressed %s at or above %s", failing, plural(failing, "finding"), min))
	}
	if problems > 0 {
		parts = append(parts, fmt.Sprintf("%d wrong %s", problems, plural(problems, "suppression")))
	}
	return errors.New("policy check failed: " + strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// CheckPath loads the stacks at path (see Load) and checks them.
func CheckPath(path string) (*Report, error) {
	files, err := Load(path)
	if err != nil {
		return nil, err
	}
	return Check(files...)
}

// Check runs every rule over the stacks and applies their suppressions.
// Stacks are checked together: a bucket that one stack's S3 backend names
// is a state bucket in every stack. It fails only when a stack is not
// valid JSON.
func Check(files ...StackFile) (*Report, error) {
	ctx := &checkContext{stateBuckets: map[string]bool{}}
	var stacks []*stack
	for _, f := range files {
		s, err := parseStack(f)
		if err != nil {
			return nil, err
		}
		stacks = append(stacks, s)
		for _, b := range s.backendBuckets {
			ctx.stateBuckets[b] = true
		}
	}
	rep := &Report{}
	for _, s := range stacks {
		rep.Stacks = append(rep.Stacks, s.name)
		findings, problems, err := s.check(ctx)
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, findings...)
		rep.Problems = append(rep.Problems, problems...)
	}
	sort.Strings(rep.Stacks)
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		switch {
		case a.Stack != b.Stack:
			return a.Stack < b.Stack
		case a.Rule.Severity != b.Rule.Severity:
			return a.Rule.Severity > b.Rule.Severity
		case a.Rule.ID != b.Rule.ID:
			return a.Rule.ID < b.Rule.ID
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Address != b.Address:
			return a.Address < b.Address
		}
		return a.Message < b.Message
	})
	sort.SliceStable(rep.Problems, func(i, j int) bool {
		a, b := rep.Problems[i], rep.Problems[j]
		if a.Stack != b.Stack {
			return a.Stack < b.Stack
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.RuleID < b.RuleID
	})
	return rep, nil
}

// suppression is one declared suppression of one stack.
type suppression struct {
	target   string // construct path or resource address
	resource *resource
	rule     string
	reason   string
	valid    bool
	used     bool
}

func (s *stack) check(ctx *checkContext) (findings []Finding, problems []Problem, err error) {
	var sups []*suppression
	add := func(target string, r *resource, entries map[string]any) {
		ids := make([]string, 0, len(entries))
		for id := range entries {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			reason, isStr := entries[id].(string)
			sp := &suppression{target: target, resource: r, rule: id, reason: strings.TrimSpace(reason)}
			switch _, knownRule := byID[id]; {
			case !knownRule:
				problems = append(problems, Problem{s.name, target, id, fmt.Sprintf("unknown rule ID (rules: %s)", strings.Join(ruleIDs(), ", "))})
			case !isStr:
				problems = append(problems, Problem{s.name, target, id, fmt.Sprintf("the reason must be a string, got %v", entries[id])})
			case len([]rune(sp.reason)) < MinReasonLength:
				problems = append(problems, Problem{s.name, target, id, fmt.Sprintf("reason %q is shorter than %d characters: say why the finding is intended", sp.reason, MinReasonLength)})
			default:
				sp.valid = true
			}
			sups = append(sups, sp)
		}
	}
	paths := make([]string, 0, len(s.suppress))
	for p := range s.suppress {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		add(p, nil, s.suppress[p])
	}
	for _, r := range s.resources {
		if len(r.suppress) > 0 {
			add(r.address(), r, r.suppress)
		}
	}
	// The most specific suppression wins: the resource's own, then the
	// longest construct path.
	find := func(r *resource, rule string) *suppression {
		var best *suppression
		for _, sp := range sups {
			if sp.rule != rule || !sp.valid {
				continue
			}
			if sp.resource != nil {
				if sp.resource == r {
					return sp
				}
				continue
			}
			if r.path != "" && (r.path == sp.target || strings.HasPrefix(r.path, sp.target+"/")) {
				if best == nil || len(sp.target) > len(best.target) {
					best = sp
				}
			}
		}
		return best
	}
	for i := range pack {
		d := &pack[i]
		hits, err := runRule(d, ctx, s)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range hits {
			f := Finding{
				Rule: d.Rule.clone(), Stack: s.name, File: s.file, Line: s.lines[h.r.address()],
				Address: h.r.address(), Path: h.r.path, Message: h.msg,
			}
			if sp := find(h.r, d.ID); sp != nil {
				sp.used = true
				f.Suppressed, f.Reason, f.SuppressedAt = true, sp.reason, sp.target
			}
			findings = append(findings, f)
		}
	}
	for _, sp := range sups {
		if sp.valid && !sp.used {
			problems = append(problems, Problem{s.name, sp.target, sp.rule, "matches no finding: remove it (the resource may have been fixed or renamed)"})
		}
	}
	return findings, problems, nil
}

// runRule runs one rule, turning a panic (a bug, or JSON of a shape no
// rule expects) into an error instead of crashing the caller.
func runRule(d *ruleDef, ctx *checkContext, s *stack) (hits []hit, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("policy: rule %s failed on stack %s: %v", d.ID, s.name, r)
		}
	}()
	return d.check(ctx, s), nil
}
