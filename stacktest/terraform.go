package stacktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/tidwall/gjson"
)

// DefaultPluginMirror is a provider filesystem mirror used when it exists
// (override with TF_PLUGIN_MIRROR; TF_PLUGIN_MIRROR=off uses the registry
// only). hashicorp/* providers are installed from it, others from their
// registry.
const DefaultPluginMirror = "/opt/tf-plugins"

// mirrorInclude is the provider source prefix installed from the mirror.
const mirrorInclude = "registry.terraform.io/hashicorp/"

// DefaultGOGC is the Go garbage collector setting (the GOGC environment
// variable, see https://pkg.go.dev/runtime#hdr-Environment_Variables) that
// terraform, the providers it starts, and trivy run with, unless the
// caller's environment sets GOGC. Terraform and the providers hold the whole
// provider schema (hundreds of MB for hashicorp/aws) for the life of a
// command, and at Go's default of 100 the collector scans it again and
// again: planning an aws_wafv2_web_acl costs about 1.5 CPU-seconds per rule
// at 100, about 1.1 at 800. At 800 a command uses some 25% less CPU; its
// largest process peaks at about 1 GB instead of 600 MB, and a plan with
// five provider configurations at about 2.0 GB in all instead of 1.6 GB.
// trivy: some 20% less CPU, about 300 MB instead of 190 MB.
const DefaultGOGC = "800"

// Terraform drives the real Terraform CLI with a CLI config of its own: the
// user's Terraform and AWS configuration are never read, providers are
// installed once per machine (linked from an unpacked filesystem mirror, or
// through a plugin cache shared by every test binary of the machine), and a
// FakeAWS answers the provider's few read-only calls.
type Terraform struct {
	// ExecPath is the terraform binary.
	ExecPath string
	// CLIConfig is the CLI config file every command uses (but for the
	// inits that link providers straight from the mirror: see
	// Workdir.InitE).
	CLIConfig string
	// PluginCacheDir is Terraform's plugin_cache_dir: one provider
	// installation per machine, linked into every working directory (a
	// provider unpacked in the mirror is linked from there instead).
	PluginCacheDir string
	// Mirror is the provider filesystem mirror in use, or "" for none.
	Mirror string
	// AWS is the loopback fake that answers the provider's read-only calls.
	AWS *FakeAWS

	dir             string // private scratch directory, removed by Main
	mirrorCLIConfig string // CLIConfig without the plugin cache, "" without a mirror
	cacheDir        string // stacktest's directory under the user cache dir
	binID           string // identity of ExecPath, part of the lock file key

	lockMu sync.Mutex
	locks  map[string][]byte
}

var (
	tfOnce   sync.Once
	tfShared *Terraform
	tfErr    error
)

// NewTerraformE returns the Terraform of this test binary, creating it on
// first use: it finds terraform (TERRAFORM_BINARY, else PATH), writes a CLI
// config, and starts the FakeAWS. The plugin cache and the provider lock
// files and schemas live in os.UserCacheDir()/hardened-cdktf/stacktest
// (STACKTEST_CACHE_DIR overrides it).
func NewTerraformE() (*Terraform, error) {
	tfOnce.Do(func() { tfShared, tfErr = newTerraform() })
	return tfShared, tfErr
}

// NewTerraform is NewTerraformE that skips the test when terraform is
// missing (fails it under CI=true, see SkipOrFail) and fails it on any other
// error.
func NewTerraform(t testing.TB) *Terraform {
	t.Helper()
	if _, err := TerraformPath(); err != nil {
		SkipOrFail(t, "terraform", err.Error())
	}
	tf, err := NewTerraformE()
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

// CacheDir is the directory of the kit's caches shared by every test binary
// of the machine: STACKTEST_CACHE_DIR, else
// os.UserCacheDir()/hardened-cdktf/stacktest.
func CacheDir() (string, error) {
	if d := os.Getenv("STACKTEST_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "hardened-cdktf", "stacktest"), nil
}

func newTerraform() (*Terraform, error) {
	bin, err := TerraformPath()
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(bin)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "stacktest-terraform-")
	if err != nil {
		return nil, err
	}
	onExit(func() {
		if os.Getenv("STACKTEST_KEEP") == "" {
			os.RemoveAll(dir)
		}
	})
	cache, err := CacheDir()
	if err != nil {
		cache = filepath.Join(dir, "cache") // no shared cache, still correct
	}
	plugins := filepath.Join(cache, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return nil, err
	}
	mirror := os.Getenv("TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = DefaultPluginMirror
	}
	if mirror == "off" {
		mirror = ""
	} else if _, err := os.Stat(mirror); err != nil {
		mirror = ""
	}
	const header = "# Written by stacktest: tests never read the user's CLI config.\n"
	installation := "provider_installation {\n  direct {}\n}\n"
	if mirror != "" {
		installation = fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["%s*"]
  }
  direct {
    exclude = ["%s*"]
  }
}
`, mirror, mirrorInclude, mirrorInclude)
	}
	cfgPath := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(cfgPath, []byte(header+fmt.Sprintf("plugin_cache_dir = %q\n", plugins)+installation), 0o644); err != nil {
		return nil, err
	}
	// For inits whose providers are all unpacked in the mirror (see InitE):
	// no plugin cache, so Terraform links the mirror's directories.
	var mirrorCfgPath string
	if mirror != "" {
		mirrorCfgPath = filepath.Join(dir, "terraform-mirror.rc")
		if err := os.WriteFile(mirrorCfgPath, []byte(header+installation), 0o644); err != nil {
			return nil, err
		}
	}
	fake, err := StartFakeAWS()
	if err != nil {
		return nil, err
	}
	onExit(func() { fake.Close() })
	return &Terraform{
		ExecPath: bin, CLIConfig: cfgPath, PluginCacheDir: plugins, Mirror: mirror, AWS: fake,
		dir: dir, cacheDir: cache, mirrorCLIConfig: mirrorCfgPath,
		binID: fmt.Sprintf("%s %d %d", bin, info.Size(), info.ModTime().UnixNano()),
		locks: map[string][]byte{},
	}, nil
}

// Env returns the environment of terraform commands: the caller's, minus
// every AWS_* and TF_* variable (which could reach a real account or the
// user's own config), plus the kit's CLI config, no checkpoint calls, AWS
// config and credential files that are empty, and AWS_ENDPOINT_URL (and
// AWS_ENDPOINT_URL_STS, _EC2, _IAM) pointing every AWS call at the FakeAWS. STACKTEST_TF_LOG and
// STACKTEST_TF_LOG_PATH become TF_LOG and TF_LOG_PATH, for debugging.
//
// GOGC is DefaultGOGC unless the caller's environment sets it: see
// DefaultGOGC.
func (tf *Terraform) Env() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "TF_") {
			continue
		}
		env[k] = v
	}
	if _, ok := env["GOGC"]; !ok {
		env["GOGC"] = DefaultGOGC
	}
	env["TF_CLI_CONFIG_FILE"] = tf.CLIConfig
	env["CHECKPOINT_DISABLE"] = "1"
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	env["AWS_CONFIG_FILE"] = os.DevNull
	env["AWS_SHARED_CREDENTIALS_FILE"] = os.DevNull
	// Every AWS call goes to the FakeAWS (set by environment, not by an
	// endpoints block in each provider: such a block doubles the CPU cost of
	// every provider instance Terraform starts).
	env["AWS_ENDPOINT_URL"] = tf.AWS.URL
	for _, svc := range fakedServices {
		env["AWS_ENDPOINT_URL_"+strings.ToUpper(svc)] = tf.AWS.URL
	}
	return env
}

// remove removes a scratch directory, unless STACKTEST_KEEP is set (for
// looking at what Terraform was given).
func (tf *Terraform) remove(dir string) {
	if os.Getenv("STACKTEST_KEEP") == "" {
		os.RemoveAll(dir)
	} else {
		fmt.Fprintf(os.Stderr, "stacktest: STACKTEST_KEEP: kept %s\n", dir)
	}
}

// TempDir returns a new directory under the kit's scratch directory, which
// Main removes at the end of the run (unless STACKTEST_KEEP is set).
func (tf *Terraform) TempDir(pattern string) (string, error) {
	return os.MkdirTemp(tf.dir, pattern)
}

// Workdir is a Terraform working directory.
type Workdir struct {
	// Dir is the directory.
	Dir string
	// TF runs terraform commands in Dir with Terraform.Env.
	TF *tfexec.Terraform

	tf        *Terraform
	providers map[string]string // source -> version constraints, for the lock file
	stack     string            // the stack of OfflineWorkdirE
}

// NewWorkdir writes files (name -> content) into dir, creating it, and
// returns a Workdir whose commands run with the kit's environment. The
// provider requirements of stacks (their terraform.required_providers) let
// Init hand Terraform a dependency lock file, so that it links providers
// from the plugin cache instead of installing them again; pass the stacks
// the files come from.
func (tf *Terraform) NewWorkdir(dir string, files map[string][]byte, stacks ...Stack) (*Workdir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return nil, err
		}
	}
	x, err := tf.exec(dir, tf.Env())
	if err != nil {
		return nil, err
	}
	return &Workdir{Dir: dir, TF: x, tf: tf, providers: requiredProviders(stacks...)}, nil
}

// exec returns a terraform-exec runner in dir with env.
func (tf *Terraform) exec(dir string, env map[string]string) (*tfexec.Terraform, error) {
	x, err := tfexec.NewTerraform(dir, tf.ExecPath)
	if err != nil {
		return nil, err
	}
	if err := x.SetEnv(env); err != nil {
		return nil, err
	}
	// Debugging: STACKTEST_TF_LOG=trace STACKTEST_TF_LOG_PATH=/tmp/tf.log.
	if v := os.Getenv("STACKTEST_TF_LOG"); v != "" {
		x.SetLog(v)
		if p := os.Getenv("STACKTEST_TF_LOG_PATH"); p != "" {
			x.SetLogPath(p)
		}
	}
	return x, nil
}

// InitE runs terraform init. When the workdir's stacks require providers,
// it first writes the dependency lock file the kit keeps for exactly those
// requirements (creating it once per machine, under a file lock), so that
// every init selects the same versions and installs nothing:
//
//   - When the filesystem mirror holds every locked provider unpacked (the
//     <mirror>/<host>/<namespace>/<type>/<version>/<os>_<arch> layout of
//     https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror),
//     init runs without the plugin cache and links each provider straight
//     from the mirror; the lock file goes in without its checksums, since
//     verifying them would hash each package twice (about 1 CPU-second for
//     the 700 MB hashicorp/aws) and init records a fresh one anyway.
//   - Otherwise the lock file keeps its checksums: Terraform uses a
//     plugin_cache_dir entry only when the lock file already records its
//     checksum, so without them every init would download or unpack the
//     provider again.
//
// After init the checksums leave the working directory's lock file (see
// stripLockChecksums); the next InitE writes the kit's lock file again
// first. It reports whether every provider was linked rather than
// installed: from the plugin cache, or from the unpacked mirror.
func (w *Workdir) InitE(ctx context.Context) (linked bool, err error) {
	fromMirror := false
	if len(w.providers) > 0 {
		lock, err := w.tf.lockFile(ctx, w.providers)
		if err != nil {
			return false, err
		}
		if w.tf.unpackedInMirror(lock) {
			if lock, err = lockWithoutChecksums(lock, "kit lock file"); err != nil {
				return false, err
			}
			fromMirror = true
		}
		if err := os.WriteFile(filepath.Join(w.Dir, ".terraform.lock.hcl"), lock, 0o644); err != nil {
			return false, err
		}
	}
	x := w.TF
	if fromMirror {
		env := w.tf.Env()
		env["TF_CLI_CONFIG_FILE"] = w.tf.mirrorCLIConfig
		if x, err = w.tf.exec(w.Dir, env); err != nil {
			return false, err
		}
	}
	var out bytes.Buffer
	x.SetStdout(&out)
	defer x.SetStdout(nil)
	if err := x.Init(ctx, tfexec.Upgrade(false)); err != nil {
		return false, fmt.Errorf("terraform init: %w", err)
	}
	s := out.String()
	if len(w.providers) > 0 { // the kit's lock file, written again before every init
		if err := stripLockChecksums(filepath.Join(w.Dir, ".terraform.lock.hcl")); err != nil {
			return false, err
		}
	}
	if fromMirror {
		return w.linkedFrom(w.tf.Mirror), nil
	}
	return len(w.providers) > 0 && strings.Contains(s, "from the shared cache directory") && !strings.Contains(s, "- Installing "), nil
}

// linkedFrom reports whether every provider package in the workdir's
// .terraform/providers is a symbolic link to a directory under root.
func (w *Workdir) linkedFrom(root string) bool {
	pkgs, err := filepath.Glob(filepath.Join(w.Dir, ".terraform", "providers", "*", "*", "*", "*", "*"))
	if err != nil || len(pkgs) == 0 {
		return false
	}
	for _, p := range pkgs {
		target, err := os.Readlink(p)
		if err != nil || !strings.HasPrefix(target, root+string(filepath.Separator)) {
			return false
		}
	}
	return true
}

// unpackedInMirror reports whether the filesystem mirror holds every
// provider of the lock file, at its locked version, unpacked for this
// platform.
func (tf *Terraform) unpackedInMirror(lock []byte) bool {
	if tf.Mirror == "" || tf.mirrorCLIConfig == "" {
		return false
	}
	f, diags := hclwrite.ParseConfig(lock, "lock", hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	n := 0
	for _, b := range f.Body().Blocks() {
		if b.Type() != "provider" || len(b.Labels()) != 1 {
			continue
		}
		src := b.Labels()[0]
		if !mirrored(src) {
			return false
		}
		v := b.Body().GetAttribute("version")
		if v == nil {
			return false
		}
		version := strings.Trim(strings.TrimSpace(string(v.Expr().BuildTokens(nil).Bytes())), `"`)
		dir := filepath.Join(tf.Mirror, filepath.FromSlash(src), version, runtime.GOOS+"_"+runtime.GOARCH)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return false
		}
		n++
	}
	return n > 0
}

// mirrored reports whether the CLI config installs the provider source
// address (registry.terraform.io/hashicorp/aws) from the mirror.
func mirrored(src string) bool {
	return strings.HasPrefix(src, mirrorInclude)
}

// stripLockChecksums removes the checksums from a working directory's
// dependency lock file after init, keeping each provider's version and
// constraints. Init has just verified the installed packages against them;
// with them, every later command (plan, show, validate) would hash each
// provider package again before starting it, about 0.5 CPU-seconds for the
// 700 MB hashicorp/aws. Without checksums Terraform still uses exactly the
// locked versions. A missing lock file is left alone.
func stripLockChecksums(path string) error {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	out, err := lockWithoutChecksums(src, path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// lockWithoutChecksums is a dependency lock file without the providers'
// hashes attributes; name is for errors.
func lockWithoutChecksums(src []byte, name string) ([]byte, error) {
	f, diags := hclwrite.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", name, diags.Error())
	}
	for _, b := range f.Body().Blocks() {
		if b.Type() == "provider" {
			b.Body().RemoveAttribute("hashes")
		}
	}
	return f.Bytes(), nil
}

// Init is InitE that skips the test when the provider cannot be installed
// (no mirror and no registry access; fails it under CI=true) and fails it
// on any other error.
func (w *Workdir) Init(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	_, err := w.InitE(ctx)
	count(func() { stats.initTime += time.Since(start) })
	if err != nil {
		if isInstallError(err) {
			SkipOrFail(t, "provider", "terraform could not install the providers (no filesystem mirror and no registry access): "+err.Error())
		}
		t.Fatal(err)
	}
}

func isInstallError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Failed to query available provider packages") || strings.Contains(msg, "Failed to install provider")
}

// requiredProviders collects terraform.required_providers of stacks: full
// source address -> version constraints (joined with ", ").
func requiredProviders(stacks ...Stack) map[string]string {
	sets := map[string]map[string]bool{}
	for _, s := range stacks {
		s.Get("terraform.required_providers").ForEach(func(name, v gjson.Result) bool {
			src := v.Get("source").String()
			if v.Type == gjson.String { // legacy: name = "version"
				src = ""
			}
			if src == "" {
				src = "hashicorp/" + name.String()
			}
			src = normalizeSource(src)
			if sets[src] == nil {
				sets[src] = map[string]bool{}
			}
			version := v.Get("version").String()
			if v.Type == gjson.String {
				version = v.String()
			}
			for _, c := range strings.Split(version, ",") {
				if c = strings.TrimSpace(c); c != "" {
					sets[src][c] = true
				}
			}
			return true
		})
	}
	out := map[string]string{}
	for src, cs := range sets {
		var list []string
		for c := range cs {
			list = append(list, c)
		}
		sort.Strings(list)
		out[src] = strings.Join(list, ", ")
	}
	return out
}

func normalizeSource(src string) string {
	src = strings.ToLower(src)
	switch strings.Count(src, "/") {
	case 0:
		return "registry.terraform.io/hashicorp/" + src
	case 1:
		return "registry.terraform.io/" + src
	}
	return src
}

// lockFile returns the dependency lock file for exactly these provider
// requirements, from the kit's cache directory, creating it with one
// `terraform init` when this machine has none yet.
func (tf *Terraform) lockFile(ctx context.Context, providers map[string]string) ([]byte, error) {
	var keyText strings.Builder
	fmt.Fprintf(&keyText, "%s\n%s\n%s/%s\n", tf.binID, tf.Mirror, runtime.GOOS, runtime.GOARCH)
	srcs := make([]string, 0, len(providers))
	for s := range providers {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	required := map[string]any{}
	for i, s := range srcs {
		fmt.Fprintf(&keyText, "%s %s\n", s, providers[s])
		req := map[string]any{"source": s}
		if providers[s] != "" {
			req["version"] = providers[s]
		}
		required[fmt.Sprintf("p%d", i)] = req
	}
	sum := sha256.Sum256([]byte(keyText.String()))
	key := hex.EncodeToString(sum[:16])

	tf.lockMu.Lock()
	defer tf.lockMu.Unlock()
	if b, ok := tf.locks[key]; ok {
		return b, nil
	}
	path := filepath.Join(tf.cacheDir, "locks", key+".terraform.lock.hcl")
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
		tf.locks[key] = b
		return b, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockPath(filepath.Join(tf.cacheDir, "locks", ".populate"))
	if err != nil {
		return nil, err
	}
	defer unlock()
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 { // another process made it
		tf.locks[key] = b
		return b, nil
	}
	dir, err := tf.TempDir("lock-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	doc, _ := json.Marshal(map[string]any{"terraform": map[string]any{"required_providers": required}})
	w, err := tf.NewWorkdir(dir, map[string][]byte{"main.tf.json": doc})
	if err != nil {
		return nil, err
	}
	if err := w.TF.Init(ctx, tfexec.Backend(false)); err != nil {
		return nil, fmt.Errorf("terraform init (installing the providers into the plugin cache %s): %w", tf.PluginCacheDir, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		return nil, err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err == nil {
		_ = os.Rename(tmp, path)
	}
	tf.locks[key] = b
	return b, nil
}
