package stacktest

import (
	"errors"
	"strings"
	"testing"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// RequireProblem fails the test unless err is (or wraps) a
// *validate.Error with a problem on field whose text (rule and suggestion,
// as validate.Problem.String writes them) contains ruleContains ("" for any
// rule), and returns that problem. Use it to test that a config of yours
// is refused for the right reason.
func RequireProblem(t testing.TB, err error, field, ruleContains string) validate.Problem {
	t.Helper()
	var ve *validate.Error
	if !errors.As(err, &ve) {
		t.Fatalf("want a *validate.Error with a problem on %s, got %v", field, err)
		return validate.Problem{}
	}
	for _, p := range ve.Problems {
		if p.Field == field && strings.Contains(p.String(), ruleContains) {
			return p
		}
	}
	t.Fatalf("no problem on %s containing %q in:\n%v", field, ruleContains, err)
	return validate.Problem{}
}

// RequireOnlyProblem is RequireProblem for an error that must hold exactly
// one problem: one mistake in a config, one problem, with nothing derived
// from it reported again.
func RequireOnlyProblem(t testing.TB, err error, field, ruleContains string) validate.Problem {
	t.Helper()
	p := RequireProblem(t, err, field, ruleContains)
	var ve *validate.Error
	if errors.As(err, &ve) && len(ve.Problems) != 1 {
		t.Fatalf("want only the problem on %s, got %d:\n%v", field, len(ve.Problems), err)
	}
	return p
}
