package tests

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// fastSynthOutEnv tells a re-executed test binary to synthesize the
// reference app into the directory it names (see fastSynthChild).
const fastSynthOutEnv = "HARDENED_CDKTF_FASTSYNTH_TEST_OUT"

// TestFastSynthIsIdentical synthesizes every stack of the reference app
// (definePlatform, as main.go does) in two fresh processes, one with
// fast synth and one with HARDENED_CDKTF_FASTSYNTH=off, and requires every
// output file, cdk.tf.json of every stack included, to be byte-identical.
// NODE_OPTIONS must be set before the jsii kernel starts, hence processes.
func TestFastSynthIsIdentical(t *testing.T) {
	fastDir, fastErr := synthInChild(t, "on")
	plainDir, plainErr := synthInChild(t, "off")

	// The fast child really took the fast path, the plain one did not.
	assert.Regexp(t, `provider-aws/lib/index\.js: \d+ exports made lazy`, fastErr)
	assert.NotContains(t, plainErr, "exports made lazy")
	assert.Contains(t, fastErr, "started directly (one Node process)", "the fast child's kernel runs without the relay process")
	assert.NotContains(t, plainErr, "started directly")
	for _, out := range []string{fastErr, plainErr} {
		assert.NotContains(t, out, "unexpected shape")
	}

	fast, err := stacktest.ReadApp(fastDir)
	require.NoError(t, err)
	plain, err := stacktest.ReadApp(plainDir)
	require.NoError(t, err)
	require.ElementsMatch(t, wantStacks(t), plain.StackNames())
	require.Equal(t, plain.StackNames(), fast.StackNames())
	for _, name := range plain.StackNames() {
		t.Run(name, func(t *testing.T) {
			require.NotEmpty(t, plain.Stacks[name].Raw)
			assert.True(t, bytes.Equal(plain.Stacks[name].Raw, fast.Stacks[name].Raw),
				"stack %s: cdk.tf.json differs between fast and plain synth", name)
		})
	}
	// Every other file (manifest.json, assets) too.
	assert.Equal(t, treeOf(t, plainDir), treeOf(t, fastDir))
}

// fastSynthChild is the child process of TestFastSynthIsIdentical (TestMain
// runs it instead of the tests when fastSynthOutEnv is set): it synthesizes
// the platform into dir and returns the exit code.
func fastSynthChild(dir string) int {
	defer jsii.Close() // as stacktest.Main: the kernel's extracted runtime is removed
	if _, err := stacktest.SynthAppTo(dir, definePlatform); err != nil {
		fmt.Fprintln(os.Stderr, "fast synth child:", err)
		return 1
	}
	fmt.Println(fastSynthChildDone)
	return 0
}

// fastSynthChildDone is the child's last line when it synthesized.
const fastSynthChildDone = "fast synth child: synthesized"

// synthInChild re-executes this test binary to synthesize the reference app
// with HARDENED_CDKTF_FASTSYNTH=mode and the user's NODE_OPTIONS and
// JSII_NODE removed (this process's already carry the fast-synth preload and
// kernel launcher). It
// returns the output directory and the child's combined output.
func synthInChild(t *testing.T, mode string) (string, string) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	dir := t.TempDir()
	cmd := exec.Command(exe)
	cmd.Env = append(envWithout("NODE_OPTIONS", "JSII_NODE", fastsynth.NodeEnvVar, fastsynth.EnvVar, fastSynthOutEnv),
		fastsynth.EnvVar+"="+mode, fastSynthOutEnv+"="+dir, "HARDENED_CDKTF_FASTSYNTH_DEBUG=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child synth (%s=%s):\n%s", fastsynth.EnvVar, mode, out)
	require.Contains(t, string(out), fastSynthChildDone, "the child must have synthesized:\n%s", out)
	return dir, string(out)
}

func envWithout(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		drop := false
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				drop = true
			}
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return env
}

// treeOf maps every file under dir to its content.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		b, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// Benchmarks. Each iteration starts a fresh jsii kernel (the cost every
// `cdktf synth` pays) with NODE_OPTIONS set for the mode, synthesizes, and
// reports the kernel's peak RSS (VmHWM of its Node processes, Linux only) as
// node-peak-MB. bench/bench.sh runs them; see bench/README.md.
//
//	go test ./__tests__ -run '^$' -bench 'Synth' -benchtime 3x

// BenchmarkSynthReferenceApp synthesizes the whole reference app, the work
// of `go run .`, fast and plain.
func BenchmarkSynthReferenceApp(b *testing.B) {
	for _, mode := range []string{"fast", "plain"} {
		b.Run(mode, func(b *testing.B) {
			benchSynth(b, mode, definePlatform)
		})
	}
}

// BenchmarkSynthWebAppStacks synthesizes 1, 10 and 50 environment stacks of
// the first environment's web app (its config from the platform config,
// only the environment name changed) in one app and reports the cost per
// stack and per resource.
func BenchmarkSynthWebAppStacks(b *testing.B) {
	for _, mode := range []string{"fast", "plain"} {
		for _, n := range []int{1, 10, 50} {
			b.Run(fmt.Sprintf("%s/stacks=%d", mode, n), func(b *testing.B) {
				p := platform(b)
				benchSynth(b, mode, func(app constructs.Construct) error {
					for i := 1; i <= n; i++ {
						env := fmt.Sprintf("env%02d", i)
						cfg, _ := p.WebAppStackConfig(p.Environments[0].Name)
						cfg.Env.Environment = env
						cfg.Backend.Key = p.StackName(env) + "/terraform.tfstate"
						if _, err := stacks.NewWebAppStack(app, p.StackName(env), cfg); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}

func benchSynth(b *testing.B, mode string, define func(constructs.Construct) error) {
	enabled := os.Getenv("NODE_OPTIONS") // set by fastsynth.Enable in stacktest's init
	if mode == "fast" && !strings.Contains(enabled, "--require") {
		msg := fmt.Sprintf("fast synth is off in this process (%s=%s)", fastsynth.EnvVar, os.Getenv(fastsynth.EnvVar))
		if stacktest.CI() {
			b.Fatal(msg + ": under CI=true the fast benchmark must run")
		}
		b.Skip(msg)
	}
	defer func() {
		os.Setenv("NODE_OPTIONS", enabled)
		jsii.Close() // the next jsii call starts a kernel with the original environment
	}()
	if mode == "plain" {
		os.Unsetenv("NODE_OPTIONS") // jsii-runtime-go's own default then applies
	}
	var peakMB float64
	var stackCount, resources int
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		jsii.Close() // a fresh kernel inherits the NODE_OPTIONS of this mode
		dir, err := os.MkdirTemp("", "bench-synth-")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		app, err := stacktest.SynthAppTo(dir, define)
		b.StopTimer()
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		peakMB = max(peakMB, kernelPeakMB())
		stackCount, resources = len(app.Stacks), 0
		for _, s := range app.Stacks {
			s.Get("resource").ForEach(func(_, byID gjson.Result) bool {
				resources += len(byID.Map())
				return true
			})
		}
		jsii.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	perOp := float64(elapsed.Milliseconds()) / float64(b.N)
	b.ReportMetric(perOp, "ms/synth")
	b.ReportMetric(float64(stackCount), "stacks")
	b.ReportMetric(float64(resources), "resources")
	if peakMB > 0 {
		b.ReportMetric(peakMB, "node-peak-MB")
	}
}

// kernelPeakMB is the largest VmHWM (peak RSS) among this process's child
// processes and their children, in MB: the jsii runtime's Node wrapper and
// its kernel. It returns 0 where /proc is unavailable.
func kernelPeakMB() float64 {
	var peak float64
	var walk func(pid string)
	walk = func(pid string) {
		tasks, _ := filepath.Glob("/proc/" + pid + "/task/*/children")
		for _, task := range tasks {
			raw, _ := os.ReadFile(task)
			for _, child := range strings.Fields(string(raw)) {
				status, _ := os.ReadFile("/proc/" + child + "/status")
				for _, line := range strings.Split(string(status), "\n") {
					if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
						kb, _ := strconv.ParseFloat(f[1], 64)
						peak = max(peak, kb/1024)
					}
				}
				walk(child)
			}
		}
	}
	walk(strconv.Itoa(os.Getpid()))
	return peak
}
