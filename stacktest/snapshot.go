package stacktest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/sebdah/goldie/v2"
)

// SnapshotDir is the directory, relative to the test's package directory,
// of the golden files: one <stack name>.tf.json per stack.
const SnapshotDir = "testdata"

// Golden returns the golden-file form of a stack: its cdk.tf.json with
// every absolute path under the current working directory (cdktf's default
// local backend is <working directory>/terraform.<stack>.tfstate) made
// relative, so that the file does not depend on where the checkout is.
// Everything else is byte for byte as synthesized.
func Golden(s Stack) []byte {
	wd, err := os.Getwd()
	if err != nil {
		return s.Raw
	}
	quoted, _ := json.Marshal(wd + string(filepath.Separator))
	prefix := quoted[:len(quoted)-1] // `"<wd>/` with JSON escapes, without the closing quote
	return bytes.ReplaceAll(s.Raw, prefix, []byte(`"`))
}

// update reports whether the test binary runs with -update (goldie's flag;
// GOLDIE_UPDATE=true works too).
func update() bool {
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return true
	}
	v := strings.ToLower(os.Getenv("GOLDIE_UPDATE"))
	return v == "true" || v == "1" || v == "yes"
}

// Snapshot compares the stack's Golden form with testdata/<stack>.tf.json
// and fails the test with a unified diff when they differ. Run the test
// with -update to write the file instead, then review the diff (git diff)
// before committing it.
func Snapshot(t testing.TB, s Stack) {
	t.Helper()
	goldie.New(t, goldie.WithFixtureDir(SnapshotDir), goldie.WithNameSuffix(".tf.json"),
		goldie.WithDiffEngine(goldie.ClassicDiff)).Assert(t, s.Name, Golden(s))
}

// SnapshotApp snapshots every stack of the app (a subtest per stack, see
// Snapshot). The app owns the *.tf.json files of testdata/: a golden file
// whose stack the app no longer has fails the test, and -update removes it.
func SnapshotApp(t *testing.T, app *App) {
	t.Helper()
	for _, name := range app.StackNames() {
		t.Run(name, func(t *testing.T) { Snapshot(t, app.Stacks[name]) })
	}
	stale, err := staleSnapshots(SnapshotDir, app)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if update() {
			if err := os.Remove(f); err != nil {
				t.Error(err)
			} else {
				t.Logf("removed %s: the app has no stack %s", f, strings.TrimSuffix(filepath.Base(f), ".tf.json"))
			}
			continue
		}
		t.Errorf("%s has no stack in the app (stacks: %q); remove it with\n\tgo test -run '^%s$' -update", f, app.StackNames(), strings.Split(t.Name(), "/")[0])
	}
}

func staleSnapshots(dir string, app *App) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf.json"))
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, f := range files {
		if _, ok := app.Stacks[strings.TrimSuffix(filepath.Base(f), ".tf.json")]; !ok {
			stale = append(stale, f)
		}
	}
	sort.Strings(stale)
	return stale, nil
}

// CheckSnapshotE is Snapshot without a test: it compares the stack's Golden
// form with dir/<stack>.tf.json and returns an error holding a unified diff
// when they differ, or writes the file when write is true.
func CheckSnapshotE(dir string, s Stack, write bool) error {
	file := filepath.Join(dir, s.Name+".tf.json")
	got := Golden(s)
	if write {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(file, got, 0o644)
	}
	want, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("golden file %s: %w (write it with -update)", file, err)
	}
	if bytes.Equal(want, got) {
		return nil
	}
	diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(want)), B: difflib.SplitLines(string(got)),
		FromFile: file, ToFile: "synthesized " + s.Name, Context: 3,
	})
	return fmt.Errorf("stack %s differs from %s:\n%s", s.Name, file, diff)
}
