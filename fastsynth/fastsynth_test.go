package fastsynth

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisabled(t *testing.T) {
	for _, v := range []string{"off", "OFF", "0", "false", "False", "no", " off "} {
		assert.True(t, Disabled(v), "%q switches fast synth off", v)
	}
	for _, v := range []string{"", "on", "1", "true", "yes", "offf"} {
		assert.False(t, Disabled(v), "%q leaves fast synth on", v)
	}
}

func TestMergeNodeOptions(t *testing.T) {
	const p = "/home/u/.cache/hardened-cdktf/fastsynth/preload-0123.js"
	cases := []struct{ name, current, want string }{
		{"unset gets jsii's heap limit", "", "--max-old-space-size=4069 --require " + p},
		{"blank gets jsii's heap limit", "  ", "--max-old-space-size=4069 --require " + p},
		{"user options kept, heap limit added", "--enable-source-maps", "--max-old-space-size=4069 --enable-source-maps --require " + p},
		{"user heap limit kept", "--max-old-space-size=8192", "--max-old-space-size=8192 --require " + p},
		{"user heap limit, underscore spelling", "--inspect --max_old_space_size=1024", "--inspect --max_old_space_size=1024 --require " + p},
		{"user heap limit, separate value", "--max-old-space-size 2048", "--max-old-space-size 2048 --require " + p},
		{"other requires kept", "--require /x/y.js", "--max-old-space-size=4069 --require /x/y.js --require " + p},
		{"already there: unchanged", "--max-old-space-size=4069 --require " + p, "--max-old-space-size=4069 --require " + p},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, MergeNodeOptions(c.current, p))
		})
	}
	t.Run("path with a space is quoted", func(t *testing.T) {
		assert.Equal(t, `--max-old-space-size=4069 --require "/a b/c\\d\"e.js"`, MergeNodeOptions("", `/a b/c\d"e.js`))
	})
}

// TestNodeParsesMergedOptions gives the merged NODE_OPTIONS to a real node,
// with the script in a directory whose name has a space, and checks that
// node loaded the preload script and the heap limit.
func TestNodeParsesMergedOptions(t *testing.T) {
	node := nodePath(t)
	path, err := writeScript(filepath.Join(t.TempDir(), "with space", "fastsynth"))
	require.NoError(t, err)
	cmd := exec.Command(node, "-e", `console.log(JSON.stringify({
		installed: !!globalThis[Symbol.for("hardened-cdktf.fastsynth.installed")],
		heapMiB: Math.round(require("v8").getHeapStatistics().heap_size_limit / 1048576)}))`)
	cmd.Env = append(os.Environ(), "NODE_OPTIONS="+MergeNodeOptions("", path))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	var got struct {
		Installed bool
		HeapMiB   int
	}
	require.NoError(t, json.Unmarshal(out, &got), string(out))
	assert.True(t, got.Installed, "node did not run the preload script")
	// V8 adds its young generation to the old-space limit.
	assert.InDelta(t, DefaultHeapLimitMiB, got.HeapMiB, 128)
}

func TestWriteScript(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	path, err := writeScript(dir)
	require.NoError(t, err)

	t.Run("content-addressed name", func(t *testing.T) {
		assert.Equal(t, dir, filepath.Dir(path))
		assert.Regexp(t, `^preload-[0-9a-f]{16}\.js$`, filepath.Base(path))
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, preload, got)
		old := preload
		t.Cleanup(func() { preload = old })
		preload = append([]byte("// another version\n"), old...)
		assert.NotEqual(t, filepath.Base(path), scriptName(), "another script must get another file")
	})

	t.Run("private", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			skipOnThisOS(t, "no Unix permissions")
		}
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		di, err := os.Stat(dir)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	})

	t.Run("damaged file is replaced", func(t *testing.T) {
		require.NoError(t, os.WriteFile(path, []byte("garbage"), 0o600))
		again, err := writeScript(dir)
		require.NoError(t, err)
		assert.Equal(t, path, again)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, preload, got)
	})

	t.Run("concurrent writers", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "cache")
		var wg sync.WaitGroup
		paths := make([]string, 16)
		errs := make([]error, 16)
		for i := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				paths[i], errs[i] = writeScript(fresh)
			}()
		}
		wg.Wait()
		for i := range paths {
			require.NoError(t, errs[i])
			assert.Equal(t, filepath.Join(fresh, scriptName()), paths[i])
		}
		got, err := os.ReadFile(paths[0])
		require.NoError(t, err)
		assert.Equal(t, preload, got)
		entries, err := os.ReadDir(fresh)
		require.NoError(t, err)
		require.Len(t, entries, 1, "no temp file may be left behind")
	})

	t.Run("directory writable by others is refused", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			skipOnThisOS(t, "no Unix permissions")
		}
		open := filepath.Join(t.TempDir(), "open")
		require.NoError(t, os.Mkdir(open, 0o700))
		require.NoError(t, os.Chmod(open, 0o777))
		_, err := writeScript(open)
		require.ErrorContains(t, err, "writable by other users")
	})
}

// TestEnableSetsNodeOptions runs enable (Enable without its once) in this
// process, which has no jsii kernel: it must set NODE_OPTIONS and write the
// script into the user cache dir, and do nothing when switched off.
func TestEnableSetsNodeOptions(t *testing.T) {
	if runtime.GOOS != "linux" {
		skipOnThisOS(t, "XDG_CACHE_HOME sets the user cache dir only on Linux")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(EnvVar, "") // whatever the caller's environment says
	t.Setenv("JSII_NODE", "")
	t.Setenv(NodeEnvVar, "")
	script := filepath.Join(cache, "hardened-cdktf", "fastsynth", scriptName())

	t.Run("switched off", func(t *testing.T) {
		t.Setenv(EnvVar, "off")
		t.Setenv("NODE_OPTIONS", "--enable-source-maps")
		require.NoError(t, enable())
		assert.Equal(t, "--enable-source-maps", os.Getenv("NODE_OPTIONS"))
		assert.NoFileExists(t, script)
	})
	t.Run("on, user options kept", func(t *testing.T) {
		t.Setenv("NODE_OPTIONS", "--enable-source-maps")
		require.NoError(t, enable())
		assert.Equal(t, "--max-old-space-size=4069 --enable-source-maps --require "+script, os.Getenv("NODE_OPTIONS"))
		assert.FileExists(t, script)
	})
	t.Run("on, NODE_OPTIONS unset", func(t *testing.T) {
		t.Setenv("NODE_OPTIONS", "")
		os.Unsetenv("NODE_OPTIONS")
		require.NoError(t, enable())
		assert.Equal(t, "--max-old-space-size=4069 --require "+script, os.Getenv("NODE_OPTIONS"))
		require.NoError(t, enable(), "a second call (e.g. in a child process) must be harmless")
		assert.Equal(t, "--max-old-space-size=4069 --require "+script, os.Getenv("NODE_OPTIONS"))
	})
}

// fakeIndex is an index.js of the shape `cdktf get` generates for the
// provider: 3 submodules that record when they are loaded.
const fakeIndex = `"use strict";
/**
 * Copyright (c) HashiCorp, Inc.
 * SPDX-License-Identifier: MPL-2.0
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.provider = exports.s3Bucket = exports.accessanalyzerAnalyzer = void 0;
// generated by cdktf get
exports.accessanalyzerAnalyzer = require("./accessanalyzer-analyzer");
exports.s3Bucket = require("./s3-bucket");
exports.provider = require("./provider");
//# sourceMappingURL=data:application/json;base64,e30=
`

var fakeModules = map[string]string{"accessanalyzer-analyzer": "AccessanalyzerAnalyzer", "s3-bucket": "S3Bucket", "provider": "AwsProvider"}

// probe loads the index at dir/node_modules/<pkg>/lib, reads s3Bucket off
// it, and reports what was loaded when.
const probe = `
globalThis.__loaded = [];
const idx = require(process.argv[1]);
const before = globalThis.__loaded.slice();
const keys = Object.keys(idx);
const cls = idx.s3Bucket.S3Bucket.name;
const same = idx.s3Bucket === require(require("path").join(require("path").dirname(process.argv[1]), "s3-bucket"));
const afterRead = globalThis.__loaded.slice();
idx.provider = "replaced";
console.log(JSON.stringify({before, keys, cls, same, afterRead, replaced: idx.provider, esModule: idx.__esModule}));
`

type probeResult struct {
	Before    []string
	Keys      []string
	Cls       string
	Same      bool
	AfterRead []string
	Replaced  any
	EsModule  bool
}

// runProbe writes index (and the fake submodules) as
// node_modules/<pkg>/lib/index.js and runs probe over it, with the preload
// script when preload is true. It returns the probe's result and stderr.
func runProbe(t *testing.T, pkg, index string, withPreload bool) (probeResult, string) {
	t.Helper()
	node := nodePath(t)
	lib := filepath.Join(t.TempDir(), "node_modules", filepath.FromSlash(pkg), "lib")
	require.NoError(t, os.MkdirAll(lib, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(lib, "index.js"), []byte(index), 0o644))
	for file, class := range fakeModules {
		src := fmt.Sprintf("globalThis.__loaded.push(%q); class %s {}; exports.%s = %s;\n", file, class, class, class)
		require.NoError(t, os.WriteFile(filepath.Join(lib, file+".js"), []byte(src), 0o644))
	}
	cmd := exec.Command(node, "-e", probe, filepath.Join(lib, "index.js"))
	cmd.Env = append(os.Environ(), "NODE_OPTIONS=", "HARDENED_CDKTF_FASTSYNTH_DEBUG=")
	if withPreload {
		script, err := writeScript(filepath.Join(t.TempDir(), "cache"))
		require.NoError(t, err)
		cmd.Env = append(cmd.Env, "NODE_OPTIONS=--require "+quoteNodeOption(script))
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var r probeResult
	require.NoError(t, json.Unmarshal(out, &r), string(out))
	return r, stderr.String()
}

func TestRewriteExpectedShapeIsLazy(t *testing.T) {
	plain, _ := runProbe(t, "@cdktf/provider-aws", fakeIndex, false)
	fast, stderr := runProbe(t, "@cdktf/provider-aws", fakeIndex, true)

	assert.Empty(t, stderr)
	assert.ElementsMatch(t, []string{"accessanalyzer-analyzer", "s3-bucket", "provider"}, plain.Before, "without the preload every submodule loads eagerly")
	assert.Empty(t, fast.Before, "with the preload no submodule loads before it is read")
	assert.Equal(t, []string{"s3-bucket"}, fast.AfterRead, "reading s3Bucket loads only s3-bucket")
	// Same observable module: keys (and their order), values, writability.
	assert.Equal(t, plain.Keys, fast.Keys)
	assert.Equal(t, []string{"accessanalyzerAnalyzer", "s3Bucket", "provider"}, fast.Keys, "chained assignment defines keys right to left")
	assert.Equal(t, "S3Bucket", fast.Cls)
	assert.True(t, fast.Same, "the export is the submodule itself")
	assert.Equal(t, "replaced", fast.Replaced, "exports stay writable")
	assert.True(t, fast.EsModule)
	assert.Equal(t, plain.Cls, fast.Cls)
}

func TestRewriteUnexpectedShapeIsUntouched(t *testing.T) {
	unexpected := map[string]string{
		"getter export": strings.Replace(fakeIndex, `exports.provider = require("./provider");`,
			`Object.defineProperty(exports, "provider", { enumerable: true, get: function () { return require("./provider"); } });`, 1),
		"code before the header": "var x = 1;\n" + fakeIndex,
		"no __esModule marker": strings.Replace(fakeIndex,
			`Object.defineProperty(exports, "__esModule", { value: true });`, "", 1),
		"computed require path": strings.Replace(fakeIndex, `require("./provider")`, `require(__dirname + "/provider")`, 1),
		"duplicate export": strings.Replace(fakeIndex, `exports.provider = require("./provider");`,
			`exports.provider = require("./provider");`+"\n"+`exports.provider = require("./provider");`, 1),
	}
	for name, index := range unexpected {
		t.Run(name, func(t *testing.T) {
			r, stderr := runProbe(t, "@cdktf/provider-aws", index, true)
			want := 3
			if name == "getter export" {
				want = 2 // that file's own provider export is lazy
			}
			assert.Len(t, r.Before, want, "an unexpected shape must load unchanged")
			assert.Equal(t, "S3Bucket", r.Cls)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			require.Len(t, lines, 1, "exactly one line on stderr: %q", stderr)
			assert.Contains(t, lines[0], "@cdktf/provider-aws/lib/index.js has an unexpected shape")
			assert.Contains(t, lines[0], "loading it unchanged")
		})
	}
}

func TestRewriteTouchesOnlyTheProviderIndex(t *testing.T) {
	for _, pkg := range []string{"@cdktf/provider-google", "provider-aws", "cdktf"} {
		t.Run(pkg, func(t *testing.T) {
			r, stderr := runProbe(t, pkg, fakeIndex, true)
			assert.Len(t, r.Before, 3, "%s/lib/index.js must load unchanged", pkg)
			assert.Empty(t, stderr)
		})
	}
}

// TestRewriteRealProviderIndex rewrites the index.js of the provider tarball
// this module builds with, and requires every `exports.x = require("./x")`
// line of it to become lazy.
func TestRewriteRealProviderIndex(t *testing.T) {
	node := nodePath(t)
	src := realProviderIndex(t)
	want := len(regexp.MustCompile(`(?m)^exports\.[\w$]+ = require\("\./[^"]+"\);$`).FindAllIndex(src, -1))
	require.Greater(t, want, 1000, "the provider index should require its ~2,000 submodules")

	dir := t.TempDir()
	file := filepath.Join(dir, "index.js")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	script, err := writeScript(filepath.Join(dir, "cache"))
	require.NoError(t, err)
	out, err := exec.Command(node, "-e", `
		const fs = require("fs");
		const src = fs.readFileSync(process.argv[1], "utf8");
		const r = require(process.argv[2]).rewrite(src);
		console.log(JSON.stringify({reason: r.reason || "", lazy: r.lazy || 0,
			lines: r.code ? r.code.split("\n").length : 0, srcLines: src.split("\n").length}));
	`, file, script).CombinedOutput()
	require.NoError(t, err, string(out))
	var r struct {
		Reason          string
		Lazy            int
		Lines, SrcLines int
	}
	require.NoError(t, json.Unmarshal(out, &r), string(out))
	assert.Empty(t, r.Reason)
	assert.Equal(t, want, r.Lazy)
	assert.Equal(t, r.SrcLines, r.Lines, "the rewrite keeps line numbers")
}

// realProviderIndex reads package/lib/index.js from the provider tarball
// embedded in the Go bindings module.
func realProviderIndex(t *testing.T) []byte {
	t.Helper()
	const mod = "github.com/cdktf/cdktf-provider-aws-go/aws/v19"
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", mod).Output()
	require.NoError(t, err, "go list -m %s", mod)
	fields := strings.Fields(string(out))
	require.Len(t, fields, 2)
	tgz := filepath.Join(fields[0], "jsii", "cdktf-provider-aws-"+strings.TrimPrefix(fields[1], "v")+".tgz")
	f, err := os.Open(tgz)
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		require.NoError(t, err, "package/lib/index.js not found in %s", tgz)
		if h.Name == "package/lib/index.js" {
			b, err := io.ReadAll(tr)
			require.NoError(t, err)
			return b
		}
	}
}

func nodePath(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	require.NoError(t, err, "node is required (the jsii kernel needs it too)")
	return node
}
