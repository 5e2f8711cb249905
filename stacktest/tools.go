package stacktest

import (
	"errors"
	"fmt"
	"go/build"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
)

// A missing tool (terraform, trivy) or provider skips the test that needs it
// with one line, or fails it under CI=true: in CI a missing tool is a broken
// machine, not a reason to pass. Main prints what was skipped at the end of
// the package's run.

// CI reports whether the CI environment variable is "true", which turns
// every skip for a missing tool into a failure.
func CI() bool { return os.Getenv("CI") == "true" }

var (
	statsMu sync.Mutex
	skips   []skipRecord
	stats   struct {
		planStacks, planRuns, scanStacks, scanRuns int
		initTime, planTime, showTime, scanTime     time.Duration
	}
	cleanups []func()
)

type skipRecord struct{ test, tool, reason string }

// SkipOrFail skips the test because tool is missing, with reason (one line),
// or fails it when CI=true. Main lists every such skip at the end of the
// run. The kit calls it for terraform, trivy and the AWS provider; call it
// for tools your own tests need.
func SkipOrFail(t testing.TB, tool, reason string) {
	t.Helper()
	reason = strings.ReplaceAll(strings.TrimSpace(reason), "\n", " ")
	if CI() {
		t.Fatalf("CI=true and %s is missing: %s", tool, reason)
	}
	statsMu.Lock()
	skips = append(skips, skipRecord{t.Name(), tool, reason})
	statsMu.Unlock()
	t.Skipf("%s missing, skipped: %s (CI=true makes this a failure)", tool, reason)
}

func count(f func()) {
	statsMu.Lock()
	defer statsMu.Unlock()
	f()
}

func onExit(f func()) {
	statsMu.Lock()
	defer statsMu.Unlock()
	cleanups = append(cleanups, f)
}

// Main runs the package's tests and then prints one summary line of what
// the kit did (stacks planned and scanned, and in how many terraform and
// trivy runs) followed by one line per test skipped for a missing tool. It
// also stops the test binary's jsii kernel (jsii.Close), which removes the
// runtime jsii-runtime-go extracted into the system temporary directory
// (about 2 MB for each test binary, left behind otherwise), and removes the
// kit's own temporary directories. Use it as the package's TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }
//
// `go test` shows a passing package's output only with -v (or -json), so
// when something was skipped outside CI the summary also goes to the
// terminal (/dev/tty) where there is one; set STACKTEST_TTY=off to stop
// that.
func Main(m *testing.M) int {
	code := m.Run()
	cancelRuns() // stops Terraform runs nobody waits for
	jsii.Close() // the kernel exits and its extracted runtime is removed
	summary := Summary()
	fmt.Print(summary)
	statsMu.Lock()
	skipped := len(skips) > 0
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	cleanups = nil
	statsMu.Unlock()
	if skipped && !CI() && os.Getenv("STACKTEST_TTY") != "off" {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			io.WriteString(tty, summary)
			tty.Close()
		}
	}
	return code
}

// Summary is the text Main prints: one line of counts, then "SKIPPED"
// lines for every test that skipped because a tool was missing.
func Summary() string {
	statsMu.Lock()
	defer statsMu.Unlock()
	pkg := ""
	if wd, err := os.Getwd(); err == nil {
		pkg = "[" + filepath.Base(wd) + "]"
	}
	var b strings.Builder
	sec := func(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
	fmt.Fprintf(&b, "stacktest%s: %d stack plans in %d terraform runs (init %s, plan %s, show %s), %d stack scans in %d trivy runs (%s)", pkg,
		stats.planStacks, stats.planRuns, sec(stats.initTime), sec(stats.planTime), sec(stats.showTime),
		stats.scanStacks, stats.scanRuns, sec(stats.scanTime))
	if len(skips) == 0 {
		b.WriteString(", nothing skipped\n")
		return b.String()
	}
	fmt.Fprintf(&b, "; SKIPPED %d test(s) for missing tools, so this run did NOT check everything:\n", len(skips))
	sorted := append([]skipRecord(nil), skips...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].test < sorted[j].test })
	for _, s := range sorted {
		fmt.Fprintf(&b, "stacktest%s: SKIPPED %s: %s missing: %s\n", pkg, s.test, s.tool, s.reason)
	}
	return b.String()
}

// TerraformPath finds the terraform binary: TERRAFORM_BINARY, else PATH.
func TerraformPath() (string, error) {
	if p := os.Getenv("TERRAFORM_BINARY"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TERRAFORM_BINARY=%s: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("terraform not found on PATH (install Terraform >= 1.10 or set TERRAFORM_BINARY)")
	}
	return p, nil
}

// TrivyPath finds the trivy binary: TRIVY_BINARY, else PATH, else
// $(go env GOPATH)/bin (where `go install` puts it).
func TrivyPath() (string, error) {
	if p := os.Getenv("TRIVY_BINARY"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TRIVY_BINARY=%s: %w", p, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("trivy"); err == nil {
		return p, nil
	}
	for _, gp := range filepath.SplitList(build.Default.GOPATH) {
		p := filepath.Join(gp, "bin", "trivy")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("trivy not found (set TRIVY_BINARY, put it on PATH, or `GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0`)")
}
