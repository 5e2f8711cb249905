// Package fastsynth makes cdktf synthesis in Go several times faster and
// lighter by removing the avoidable costs of the jsii path, with
// byte-identical output.
//
// # Why
//
// Every cdktf Go call is a round trip to a Node.js child process, the jsii
// kernel. Out of the box that kernel eagerly loads all ~2,100 modules of the
// AWS provider (seconds, ~400 MB of heap), runs behind a second Node process
// that relays each request, parses the provider's 120 MB type assembly on
// every start unless a runtime index happens to exist, hashes the 34 MB
// provider tarball, compiles ~400 modules from source, and records a full
// JavaScript stack trace for every token.
//
// # How
//
// [Enable] writes two embedded files to a private per-user cache directory
// and points the kernel at them:
//
//   - a Node.js preload script (`--require <file>` added to NODE_OPTIONS). As
//     Node compiles @cdktf/provider-aws/lib/index.js it turns each
//     `exports.x = require("./x");` line into a lazy getter, so only the
//     modules a program uses load. In the kernel process only, it also: builds
//     a missing runtime index in a detached low-priority process (jsii
//     builds it in a worker thread that the kernel's exit kills); keeps a V8
//     code cache of the kernel's modules; remembers tarball digests; and makes
//     cdktf record one explanatory line instead of each token's creation stack
//     (kernel frames, never the Go caller; only error messages show it).
//   - a launcher (kernel.sh, Unix), set as JSII_NODE: it starts the kernel
//     itself as the only Node process, the requests on a copy of stdin and
//     the responses on a copy of stdout, instead of the relay.
//
// Each measure checks its assumption (the exact shape of the code it relies
// on) and otherwise leaves jsii's behaviour unchanged (correct, slower),
// printing one line on stderr. SkipEnvVar leaves out single measures.
//
// # Use
//
// Call Enable once, before creating any construct: first thing in main, or
// in TestMain / a test helper's init:
//
//	func main() {
//		fastsynth.Enable()
//		app := cdktf.NewApp(nil)
//		...
//	}
//
// Importing the package has no side effect; only Enable changes anything.
//
// # Switching it off
//
// Set HARDENED_CDKTF_FASTSYNTH=off (or 0, false, no) to make Enable a no-op,
// for example to rule it out while debugging; it also holds in child
// processes that inherited the settings. With
// HARDENED_CDKTF_FASTSYNTH_DEBUG=1 the preload script reports on stderr what
// it did ("N exports made lazy", "started directly", index builds).
//
// NODE_OPTIONS and JSII_NODE are inherited by the processes this program
// starts afterwards; the script is inert in Node processes other than the
// kernel unless they load the provider. Measurements: bench/README.md.
package fastsynth

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/jsii-runtime-go"
)

// EnvVar is the environment variable that switches fast synth off: set it to
// "off", "0", "false" or "no" (any case) and Enable does nothing. Any other
// value, or no value, leaves fast synth on.
const EnvVar = "HARDENED_CDKTF_FASTSYNTH"

// DefaultHeapLimitMiB is the Node.js heap limit (MiB) Enable puts in
// NODE_OPTIONS when NODE_OPTIONS sets none. It is the value jsii-runtime-go
// uses when NODE_OPTIONS is unset, which Enable's own NODE_OPTIONS would
// otherwise override.
const DefaultHeapLimitMiB = 4069

// ErrKernelStarted is returned (wrapped) by Enable when the jsii kernel
// process was already running: that process keeps loading the provider the
// slow way. Call Enable before creating any construct.
var ErrKernelStarted = errors.New("the jsii kernel is already running; call fastsynth.Enable before creating any construct")

//go:embed preload.js
var preload []byte

var (
	once      sync.Once
	enableErr error
)

// Enable turns fast synth on for this process, once; later calls return the
// first call's result.
//
// It writes the preload script to <user cache dir>/hardened-cdktf/fastsynth/
// (content-addressed, so concurrent processes and versions are safe) and sets
// NODE_OPTIONS to the user's NODE_OPTIONS plus `--require <script>`, adding
// --max-old-space-size=4069 (see DefaultHeapLimitMiB) when it sets no heap
// limit, and on Unix points JSII_NODE at the kernel launcher (a JSII_NODE of
// the user's becomes the node the launcher runs, see NodeEnvVar; nothing
// changes when JSII_RUNTIME is set). jsii-runtime-go captures the environment of its not yet started
// kernel while Go packages initialize, so Enable then discards that unstarted
// kernel (jsii.Close); the next jsii call starts one with the new environment.
//
// Call it before creating any construct. It does nothing, and returns nil,
// when EnvVar switches fast synth off. Its errors are not fatal: synth still
// works, only slowly. Enable prints an error as one line on stderr and also
// returns it: ErrKernelStarted (wrapped) when the kernel was already running
// (detected on Linux), or the error writing the cache file.
//
// See https://nodejs.org/api/cli.html#node_optionsoptions and
// https://nodejs.org/api/cli.html#-r---require-module.
func Enable() error {
	once.Do(func() {
		enableErr = enable()
		if enableErr != nil {
			fmt.Fprintf(os.Stderr, "hardened-cdktf fastsynth: %v (synth still works, only slowly)\n", enableErr)
		}
	})
	return enableErr
}

func enable() error {
	if Disabled(os.Getenv(EnvVar)) {
		return nil
	}
	dir, err := cacheDir()
	if err != nil {
		return err
	}
	script, err := writeScript(dir)
	if err != nil {
		return err
	}
	launcherChanged, launcherErr := setupLauncher(dir, script)
	current, _ := os.LookupEnv("NODE_OPTIONS")
	merged := MergeNodeOptions(current, script)
	if merged == current && !launcherChanged {
		// Already set up (e.g. inherited from a parent process).
		return launcherErr
	}
	if err := os.Setenv("NODE_OPTIONS", merged); err != nil {
		return err
	}
	if kernelRunning() {
		return fmt.Errorf("NODE_OPTIONS set for later kernels, but %w", ErrKernelStarted)
	}
	// The kernel process was created, not started, during package
	// initialization with the old environment: drop it so that the next jsii
	// call creates one that inherits the new NODE_OPTIONS. Registered types
	// live outside the process and survive.
	jsii.Close()
	return launcherErr
}

// NodeEnvVar names the Node.js executable the kernel launcher runs (default:
// node on PATH). Enable sets it to the user's JSII_NODE when it replaces
// JSII_NODE with the launcher; it is not meant to be set by hand.
const NodeEnvVar = "HARDENED_CDKTF_FASTSYNTH_NODE"

// SkipEnvVar lists fast-synth measures to leave out, comma-separated, for
// measuring each one (bench/bench.sh) or ruling one out while debugging:
// "direct" (the kernel launcher, see NodeEnvVar), "index" (the detached
// runtime-index build), "stacks" (cdktf's token creation stacks), "cache"
// (the V8 code cache), "digest" (the remembered tarball digests), "lazy"
// (the lazy provider index). Unknown names are ignored.
const SkipEnvVar = "HARDENED_CDKTF_FASTSYNTH_SKIP"

// skipped reports whether SkipEnvVar names measure.
func skipped(measure string) bool {
	for _, m := range strings.Split(os.Getenv(SkipEnvVar), ",") {
		if strings.TrimSpace(m) == measure {
			return true
		}
	}
	return false
}

// Disabled reports whether value, the value of EnvVar, switches fast synth
// off: "off", "0", "false" or "no" in any case, ignoring surrounding space.
func Disabled(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "off", "0", "false", "no":
		return true
	}
	return false
}

var heapLimit = regexp.MustCompile(`(^|\s)"?--max[-_]old[-_]space[-_]size[=\s]`)

// MergeNodeOptions returns the NODE_OPTIONS value that loads the preload
// script at path: current (the user's NODE_OPTIONS, kept as is) followed by
// `--require <path>` (quoted the way Node parses NODE_OPTIONS when path has
// spaces, quotes or backslashes), preceded by
// --max-old-space-size=DefaultHeapLimitMiB when current sets no heap limit.
// It returns current unchanged when current already requires path. See
// https://nodejs.org/api/cli.html#node_optionsoptions for the syntax.
func MergeNodeOptions(current, path string) string {
	req := "--require " + quoteNodeOption(path)
	if strings.Contains(" "+current+" ", " "+req+" ") {
		return current
	}
	parts := []string{}
	if !heapLimit.MatchString(current) {
		parts = append(parts, fmt.Sprintf("--max-old-space-size=%d", DefaultHeapLimitMiB))
	}
	if s := strings.TrimSpace(current); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, req)
	return strings.Join(parts, " ")
}

// quoteNodeOption quotes s for NODE_OPTIONS: Node splits it on spaces outside
// double quotes, and inside double quotes a backslash escapes the next
// character.
func quoteNodeOption(s string) string {
	if !strings.ContainsAny(s, " \t\n\"\\") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// cacheDir is <user cache dir>/hardened-cdktf/fastsynth, or a per-user
// directory under the temp dir when the user has no cache dir.
func cacheDir() (string, error) {
	if base, err := os.UserCacheDir(); err == nil {
		return filepath.Join(base, "hardened-cdktf", "fastsynth"), nil
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("hardened-cdktf-%d", os.Getuid()), "fastsynth"), nil
}

// scriptName is the file name of the preload script in the cache directory:
// it contains a hash of the script, so every version has its own file.
func scriptName() string { return contentName("preload-", preload, ".js") }

// contentName is prefix + a hash of content + suffix.
func contentName(prefix string, content []byte, suffix string) string {
	sum := sha256.Sum256(content)
	return prefix + hex.EncodeToString(sum[:8]) + suffix
}

// writeScript makes sure dir/scriptName() holds exactly the embedded script
// and returns its path.
func writeScript(dir string) (string, error) {
	return writeFile(dir, scriptName(), preload, 0o600)
}

// writeFile makes sure dir/name holds exactly content, with mode perm, and
// returns its path. It writes a temp file in dir and renames it into place,
// so concurrent processes never see a partial file.
func writeFile(dir, name string, content []byte, perm os.FileMode) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cache dir: %w", err)
	}
	if err := checkDir(dir); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm() == perm {
		if got, err := os.ReadFile(path); err == nil && bytes.Equal(got, content) {
			return path, nil
		}
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("cache file: %w", err)
	}
	_, werr := tmp.Write(content)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), perm)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		// Another process may have put the same file in place meanwhile
		// (Windows cannot rename over a file that is open).
		if got, err := os.ReadFile(path); err == nil && bytes.Equal(got, content) {
			return path, nil
		}
		return "", fmt.Errorf("cache file: %w", werr)
	}
	return path, nil
}
