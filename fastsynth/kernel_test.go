//go:build unix

package fastsynth

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRuntime writes a jsii runtime layout (bin/jsii-runtime.js and
// lib/program.js) to a temp dir and returns the entry point's path. The fake
// kernel answers each request line on fd 3 with {"ok":<request>} on fd 3, and
// prints to stdout and stderr on its first request, as a kernel's code may;
// the fake entry point prints "relayed" and exits.
func fakeRuntime(t *testing.T, marker bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "jsii-runtime.123")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lib"), 0o755))
	program := `
const fs = require("fs");
const opts = {errorFD:2,readFD:3,writeFD:3}; // the SyncStdio setup the launcher checks for
const buf = Buffer.alloc(65536);
let pending = "", first = true;
for (;;) {
  const n = fs.readSync(opts.readFD, buf, 0, buf.length, null);
  if (n === 0) break;
  pending += buf.toString("utf8", 0, n);
  let i;
  while ((i = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, i); pending = pending.slice(i + 1);
    if (first) { console.log("to stdout"); console.error("to stderr"); first = false; }
    fs.writeSync(opts.writeFD, JSON.stringify({ ok: JSON.parse(line), stdinIsNull: fs.fstatSync(0).isCharacterDevice() }) + "\n");
  }
}
`
	if !marker {
		program = strings.Replace(program, "readFD:3,writeFD:3", "readFD:5,writeFD:5", 1)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lib", "program.js"), []byte(program), 0o644))
	entry := filepath.Join(dir, "bin", "jsii-runtime.js")
	require.NoError(t, os.WriteFile(entry, []byte(`console.log("relayed " + process.argv.length);`), 0o644))
	return entry
}

// startLauncher writes the preload script and launcher to a fresh cache dir
// and starts the launcher on entry as jsii-runtime-go does (JSII_NODE
// <entry>, the request channel on stdin/stdout).
func startLauncher(t *testing.T, entry string, env ...string) (*exec.Cmd, *json.Encoder, *bufio.Reader, *strings.Builder) {
	t.Helper()
	nodePath(t)
	dir := filepath.Join(t.TempDir(), "hardened-cdktf", "fastsynth")
	script, err := writeScript(dir)
	require.NoError(t, err)
	launcher := launcherScript(script)
	path, err := writeFile(dir, contentName("kernel-", launcher, ".sh"), launcher, 0o700)
	require.NoError(t, err)
	require.Regexp(t, launcherName, path)
	cmd := exec.Command(path, entry)
	// The fake kernel has none of the real one's code to patch.
	cmd.Env = append(os.Environ(), "NODE_OPTIONS=", NodeEnvVar+"=", "HARDENED_CDKTF_FASTSYNTH_DEBUG=", SkipEnvVar+"=digest")
	cmd.Env = append(cmd.Env, env...)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, json.NewEncoder(stdin), bufio.NewReader(stdout), stderr
}

// TestLauncherRunsTheKernelDirectly: with the expected layout the launcher
// runs lib/program.js itself; requests and responses cross stdin/stdout
// (the kernel's fd 3), and the kernel's console output reaches stderr
// wrapped the way jsii-runtime-go decodes it.
func TestLauncherRunsTheKernelDirectly(t *testing.T) {
	cmd, enc, dec, stderr := startLauncher(t, fakeRuntime(t, true))
	for i := 0; i < 3; i++ {
		require.NoError(t, enc.Encode(map[string]int{"n": i}))
		line, err := dec.ReadString('\n')
		require.NoError(t, err)
		var resp struct {
			Ok          map[string]int
			StdinIsNull bool
		}
		require.NoError(t, json.Unmarshal([]byte(line), &resp), line)
		assert.Equal(t, i, resp.Ok["n"])
		assert.True(t, resp.StdinIsNull, "the kernel's fd 0 is /dev/null: nothing may read the request channel by accident")
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	_ = cmd.Wait()
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var m consoleLine
		require.NoError(t, json.Unmarshal([]byte(l), &m), "every stderr line is a console message: %q", l)
		got = append(got, m.String())
	}
	assert.Equal(t, []string{"stdout:to stdout\n", "stderr:to stderr\n"}, got)
}

type consoleLine struct{ Stdout, Stderr []byte }

func (c consoleLine) String() string {
	if c.Stdout != nil {
		return "stdout:" + string(c.Stdout)
	}
	return "stderr:" + string(c.Stderr)
}

// TestLauncherFallsBack: a runtime without the expected channel setup runs
// the standard way, with one line on stderr.
func TestLauncherFallsBack(t *testing.T) {
	cmd, _, dec, stderr := startLauncher(t, fakeRuntime(t, false))
	line, err := dec.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "relayed 2\n", line, "the entry point must run unchanged, with its one argument")
	_ = cmd.Wait()
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	require.Len(t, lines, 1, stderr.String())
	assert.Contains(t, lines[0], "does not have the expected layout")
}

// TestLauncherSwitchedOff: HARDENED_CDKTF_FASTSYNTH=off in the environment
// of a kernel (a child of a program that enabled fast synth) means the
// standard way, silently.
func TestLauncherSwitchedOff(t *testing.T) {
	cmd, _, dec, stderr := startLauncher(t, fakeRuntime(t, true), EnvVar+"=Off")
	line, err := dec.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "relayed 2\n", line)
	_ = cmd.Wait()
	assert.Empty(t, stderr.String())
}

// TestEnableSetsLauncher: Enable points JSII_NODE at the launcher and keeps a
// user's JSII_NODE as the node the launcher runs.
func TestEnableSetsLauncher(t *testing.T) {
	if _, err := os.Stat("/proc/self"); err != nil {
		skipOnThisOS(t, "XDG_CACHE_HOME sets the user cache dir only on Linux")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(EnvVar, "")
	t.Setenv(SkipEnvVar, "")
	t.Setenv("JSII_RUNTIME", "")
	t.Setenv(NodeEnvVar, "")
	t.Setenv("NODE_OPTIONS", "")
	script := filepath.Join(cache, "hardened-cdktf", "fastsynth", scriptName())
	launcher := filepath.Join(cache, "hardened-cdktf", "fastsynth", contentName("kernel-", launcherScript(script), ".sh"))

	t.Run("unset", func(t *testing.T) {
		t.Setenv("JSII_NODE", "")
		require.NoError(t, enable())
		assert.Equal(t, launcher, os.Getenv("JSII_NODE"))
		assert.Empty(t, os.Getenv(NodeEnvVar))
		fi, err := os.Stat(launcher)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
		require.NoError(t, enable(), "again (a child process): unchanged")
		assert.Equal(t, launcher, os.Getenv("JSII_NODE"))
	})
	t.Run("user's node kept", func(t *testing.T) {
		t.Setenv("JSII_NODE", "/opt/node22/bin/node")
		require.NoError(t, enable())
		assert.Equal(t, launcher, os.Getenv("JSII_NODE"))
		assert.Equal(t, "/opt/node22/bin/node", os.Getenv(NodeEnvVar))
	})
	t.Run("another version's launcher replaced, its node kept", func(t *testing.T) {
		t.Setenv("JSII_NODE", filepath.Join(cache, "hardened-cdktf", "fastsynth", "kernel-0123456789abcdef.sh"))
		t.Setenv(NodeEnvVar, "/opt/node22/bin/node")
		require.NoError(t, enable())
		assert.Equal(t, launcher, os.Getenv("JSII_NODE"))
		assert.Equal(t, "/opt/node22/bin/node", os.Getenv(NodeEnvVar))
	})
	for name, env := range map[string][2]string{
		"JSII_RUNTIME set":    {"JSII_RUNTIME", "node /x/runtime.js"},
		"skipped by the user": {SkipEnvVar, "cache,direct"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("JSII_NODE", "")
			t.Setenv(env[0], env[1])
			require.NoError(t, enable())
			assert.Empty(t, os.Getenv("JSII_NODE"))
		})
	}
}

// runKernelJS runs script in a Node process that the preload script takes
// for the jsii kernel (its main module is .../lib/program.js), with the
// preload script from cacheDir, and returns its stdout and stderr.
func runKernelJS(t *testing.T, cacheDir, script string, env ...string) (string, string) {
	t.Helper()
	node := nodePath(t)
	preloadPath, err := writeScript(cacheDir)
	require.NoError(t, err)
	lib := filepath.Join(t.TempDir(), "jsii-runtime.1", "lib")
	require.NoError(t, os.MkdirAll(lib, 0o755))
	main := filepath.Join(lib, "program.js")
	require.NoError(t, os.WriteFile(main, []byte(script), 0o644))
	cmd := exec.Command(node, "--require", preloadPath, main)
	// The fake kernel has none of the real one's code to patch.
	cmd.Env = append(os.Environ(), append([]string{"NODE_OPTIONS=", "HARDENED_CDKTF_FASTSYNTH_DEBUG=1", SkipEnvVar + "=digest"}, env...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	return stdout.String(), stderr.String()
}

// TestIndexBuildIsDetached: the kernel's runtime-index worker runs in a
// detached process that outlives the kernel, once per package at a time.
func TestIndexBuildIsDetached(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	pkg := filepath.Join(t.TempDir(), "pkg")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(pkg, link))
	worker := filepath.Join(t.TempDir(), "lib", "runtime-index-worker.js")
	require.NoError(t, os.MkdirAll(filepath.Dir(worker), 0o755))
	// A worker that takes a moment, then writes what it was given.
	require.NoError(t, os.WriteFile(worker, []byte(`
const { workerData, isMainThread } = require("worker_threads");
if (!isMainThread) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); // sleeps, no CPU
  require("fs").writeFileSync(require("path").join(workerData.packageDir, "index"), JSON.stringify(workerData));
}`), 0o644))
	script := `
const { Worker } = require("worker_threads");
const w = new Worker(process.argv[2], { workerData: { packageDir: process.argv[3], supportedFeatures: ["x"] } });
const again = new Worker(process.argv[2], { workerData: { packageDir: process.argv[3], supportedFeatures: ["x"] } });
console.log(JSON.stringify({ stub: typeof w.threadId === "undefined", again: typeof again.threadId === "undefined" }));
process.exit(0); // as the kernel does, long before the index is built
`
	lib := filepath.Join(t.TempDir(), "jsii-runtime.1", "lib")
	require.NoError(t, os.MkdirAll(lib, 0o755))
	main := filepath.Join(lib, "program.js")
	require.NoError(t, os.WriteFile(main, []byte(script), 0o644))
	preloadPath, err := writeScript(cache)
	require.NoError(t, err)
	cmd := exec.Command(nodePath(t), "--require", preloadPath, main, worker, link)
	cmd.Env = append(os.Environ(), "NODE_OPTIONS=", "HARDENED_CDKTF_FASTSYNTH_DEBUG=1", SkipEnvVar+"=digest")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	assert.JSONEq(t, `{"stub":true,"again":true}`, string(out))
	assert.Contains(t, stderr.String(), "building the runtime index of "+pkg, "the build gets the real package directory, not the kernel's link")
	assert.Contains(t, stderr.String(), "is being built by another process", "a second build of the same package waits for the first")
	var index []byte
	require.Eventually(t, func() bool {
		index, err = os.ReadFile(filepath.Join(pkg, "index"))
		return err == nil
	}, 30*time.Second, 100*time.Millisecond, "the detached build must finish after the kernel exited")
	assert.JSONEq(t, `{"packageDir":"`+pkg+`","supportedFeatures":["x"]}`, string(index))
	assert.Eventually(t, func() bool {
		locks, _ := filepath.Glob(filepath.Join(cache, "index-*.lock"))
		return len(locks) == 0
	}, 10*time.Second, 100*time.Millisecond, "the lock is released")
	failed, _ := filepath.Glob(filepath.Join(cache, "index-*.failed"))
	assert.Empty(t, failed)
}

// TestIndexBuildSkippedElsewhere: only the kernel process hooks Worker.
func TestIndexBuildSkippedOutsideTheKernel(t *testing.T) {
	preloadPath, err := writeScript(filepath.Join(t.TempDir(), "cache"))
	require.NoError(t, err)
	out, err := exec.Command(nodePath(t), "--require", preloadPath, "-e",
		`console.log(require("worker_threads").Worker.name, !!require("worker_threads").Worker.__hardenedCdktfLazy)`).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "Worker false\n", string(out))
}

// TestCreationStacksInTheKernel: the kernel's cdktf records one explanatory
// line instead of a stack; an unexpected module shape is left alone with
// one line on stderr.
func TestCreationStacksInTheKernel(t *testing.T) {
	nm := filepath.Join(t.TempDir(), "node_modules", "cdktf", "lib", "tokens", "private")
	require.NoError(t, os.MkdirAll(nm, 0o755))
	file := filepath.Join(nm, "stack-trace.js")
	real := `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureStackTrace = captureStackTrace;
function captureStackTrace() { return ["real stack"]; }
`
	probe := `console.log(JSON.stringify(require(` + strconvQuote(file) + `).captureStackTrace()))`
	cache := filepath.Join(t.TempDir(), "cache")

	require.NoError(t, os.WriteFile(file, []byte(real), 0o644))
	out, stderr := runKernelJS(t, cache, probe)
	var got []string
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "HARDENED_CDKTF_FASTSYNTH=off")
	assert.NotContains(t, stderr, "unexpected shape")

	out, _ = runKernelJS(t, cache, probe, SkipEnvVar+"=digest,stacks")
	assert.Equal(t, `["real stack"]`+"\n", out)

	require.NoError(t, os.WriteFile(file, []byte(real+"exports.other = 1;\n"), 0o644))
	out, stderr = runKernelJS(t, cache, probe, SkipEnvVar+"=digest,cache")
	assert.Equal(t, `["real stack"]`+"\n", out)
	assert.Contains(t, stderr, "stack-trace.js has an unexpected shape")
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestCodeCache: a module of the kernel's node_modules behaves the same
// compiled with the cache (its CommonJS scope, require, errors), the first
// run writes the cache and the second uses it; a changed file is recompiled.
func TestCodeCache(t *testing.T) {
	root := t.TempDir()
	pkg := filepath.Join(root, "node_modules", "m")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "dep.js"), []byte(`module.exports = 41;`), 0o644))
	mod := filepath.Join(pkg, "index.js")
	src := `"use strict";
const dep = require("./dep");
function lazy(x) { return x + dep; }
exports.value = lazy(1);
exports.file = __filename === module.filename;
exports.dir = __dirname;
exports.resolved = require.resolve("./dep");
exports.cache = typeof require.cache === "object" && require.cache[__filename] === module;
exports.thisIsExports = this === exports;
exports.version = 1;
`
	require.NoError(t, os.WriteFile(mod, []byte(src), 0o644))
	probe := `const m = require(` + strconvQuote(mod) + `); console.log(JSON.stringify(m));`
	want := `{"value":42,"file":true,"dir":` + strconvQuote(pkg) + `,"resolved":` + strconvQuote(filepath.Join(pkg, "dep.js")) + `,"cache":true,"thisIsExports":true,"version":1}`
	cache := filepath.Join(t.TempDir(), "cache")

	plain, _ := runKernelJS(t, cache, probe, SkipEnvVar+"=digest,cache")
	assert.JSONEq(t, want, plain)
	first, stderr := runKernelJS(t, cache, probe)
	assert.JSONEq(t, want, first)
	assert.Contains(t, stderr, "code cache: 0 hits, 3 written") // index.js, dep.js and the kernel itself
	second, stderr := runKernelJS(t, cache, probe)
	assert.JSONEq(t, want, second)
	assert.Contains(t, stderr, "code cache: 3 hits")

	// Same length, other content: a new key, not V8's length check.
	require.NoError(t, os.WriteFile(mod, []byte(strings.Replace(src, "version = 1", "version = 2", 1)), 0o644))
	third, stderr := runKernelJS(t, cache, probe)
	assert.JSONEq(t, strings.Replace(want, `"version":1`, `"version":2`, 1), third)
	assert.Contains(t, stderr, "code cache: 2 hits, 1 written")
}

// TestKernelPatchesFitTheRuntime: the jsii runtime this module builds with
// has each text the launcher and the kernel patches rely on exactly once
// (a jsii-runtime-go upgrade that changes them makes fast synth fall back,
// slower; this test says so first).
func TestKernelPatchesFitTheRuntime(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/jsii-runtime-go").Output()
	require.NoError(t, err)
	res := filepath.Join(strings.TrimSpace(string(out)), "internal", "embedded", "resources")
	program, err := os.ReadFile(filepath.Join(res, "lib", "program.js"))
	require.NoError(t, err)
	entry, err := os.ReadFile(filepath.Join(res, "bin", "jsii-runtime.js"))
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(program), "readFD:3,writeFD:3"), "the launcher's check")
	assert.Contains(t, string(entry), `"--preserve-symlinks",(0,s.resolve)(__dirname,"..","lib","program.js")`, "the entry point starts lib/program.js with --preserve-symlinks, as the launcher does")
	assert.FileExists(t, filepath.Join(res, "lib", "runtime-index-worker.js"))

	preloadPath, err := writeScript(filepath.Join(t.TempDir(), "cache"))
	require.NoError(t, err)
	got, err := exec.Command(nodePath(t), "-e", `
		const p = require(process.argv[1]);
		const src = require("fs").readFileSync(process.argv[2], "utf8");
		console.log(JSON.stringify(p.KERNEL_PATCHES.map((k) => src.split(k.find).length - 1)));
	`, preloadPath, filepath.Join(res, "lib", "program.js")).CombinedOutput()
	require.NoError(t, err, string(got))
	assert.Equal(t, "[1]\n", string(got), "each kernel patch's text occurs exactly once")
}

// TestDigestMemo: a tarball's digest is computed once, then remembered; a
// tarball that differs in its last MiB is hashed again.
func TestDigestMemo(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "p.tgz")
	data := make([]byte, 6<<20)
	_, _ = rand.Read(data)
	require.NoError(t, os.WriteFile(tgz, data, 0o644))
	cache := filepath.Join(t.TempDir(), "cache")
	probe := `
const p = require(process.argv[2]);
p.installDigestMemo();
let calls = 0;
const compute = () => { calls++; return require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[3])).digest(); };
const a = globalThis.__hardenedCdktfDigest(process.argv[3], ["p", "1.0.0"], compute).toString("base64");
const b = globalThis.__hardenedCdktfDigest(process.argv[3], ["p", "1.0.0"], compute).toString("base64");
const other = globalThis.__hardenedCdktfDigest(process.argv[3], ["p", "2.0.0"], compute).toString("base64");
console.log(JSON.stringify({ a, b, other, calls }));
`
	preloadPath, err := writeScript(cache)
	require.NoError(t, err)
	run := func() map[string]any {
		out, err := exec.Command(nodePath(t), "-e", probe, "x", preloadPath, tgz).CombinedOutput()
		require.NoError(t, err, string(out))
		var m map[string]any
		require.NoError(t, json.Unmarshal(out, &m), string(out))
		return m
	}
	m := run()
	assert.Equal(t, m["a"], m["b"])
	assert.Equal(t, m["a"], m["other"], "same bytes, same digest")
	assert.EqualValues(t, 2, m["calls"], "computed once per name and version")
	assert.EqualValues(t, 0, run()["calls"], "remembered across processes")
	data[len(data)-10] ^= 0xff
	require.NoError(t, os.WriteFile(tgz, data, 0o644))
	m = run()
	assert.EqualValues(t, 2, m["calls"], "a changed tarball is hashed again")
	b64, _ := base64.StdEncoding.DecodeString(m["a"].(string))
	assert.Len(t, b64, 32)
}
