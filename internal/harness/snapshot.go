package harness

import (
	"testing"

	"github.com/sebdah/goldie/v2"
)

// Snapshot compares got with testdata/<name>.tf.json (relative to the test's
// package directory). Run the test with -update to rewrite the golden file,
// then review the diff before committing it.
func Snapshot(t *testing.T, name string, got []byte) {
	t.Helper()
	goldie.New(t, goldie.WithFixtureDir("testdata"), goldie.WithNameSuffix(".tf.json")).Assert(t, name, got)
}
