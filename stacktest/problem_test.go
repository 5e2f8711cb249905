package stacktest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// fakeTB records Fatalf instead of stopping the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestRequireProblem(t *testing.T) {
	v := validate.New("x")
	v.Add("Name", "Bad_Name", "must be lowercase")
	err := v.Err()
	p := stacktest.RequireProblem(t, err, "Name", "lowercase")
	assert.Equal(t, "Bad_Name", p.Value)
	assert.Equal(t, "Name", stacktest.RequireProblem(t, err, "Name", "").Field)
	assert.Equal(t, "Bad_Name", stacktest.RequireOnlyProblem(t, err, "Name", "lowercase").Value)

	for name, call := range map[string]func(tb testing.TB){
		"other field": func(tb testing.TB) { stacktest.RequireProblem(tb, err, "Region", "") },
		"other rule":  func(tb testing.TB) { stacktest.RequireProblem(tb, err, "Name", "uppercase") },
		"plain error": func(tb testing.TB) { stacktest.RequireProblem(tb, errors.New("boom"), "Name", "") },
		"no error":    func(tb testing.TB) { stacktest.RequireProblem(tb, nil, "Name", "") },
		"only, but two": func(tb testing.TB) {
			v := validate.New("x")
			v.Add("Name", "Bad_Name", "must be lowercase")
			v.Add("Region", "x", "must be a region")
			stacktest.RequireOnlyProblem(tb, v.Err(), "Name", "lowercase")
		},
		"only, other field": func(tb testing.TB) { stacktest.RequireOnlyProblem(tb, err, "Region", "") },
	} {
		f := &fakeTB{TB: t}
		call(f)
		assert.True(t, f.failed, name)
	}
}
