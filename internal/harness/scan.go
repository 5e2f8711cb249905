package harness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/tidwall/gjson"
)

// IgnoreFileName is the trivy ignore file at the repository root: every
// finding accepted on purpose is listed there, with a statement saying why.
// Scan passes it to trivy with --ignorefile. Findings are reported per file
// of ToHCLFiles, so an entry's paths can name one resource:
// "<stack>/<construct path with / as .>.tf", e.g. "bootstrap/state.log_bucket_encryption.tf".
const IgnoreFileName = ".trivyignore.yaml"

// Finding is one failed trivy check.
type Finding struct {
	// Stack is the stack the finding is in.
	Stack string
	// File is the HCL file (see ToHCLFiles), relative to the stack's directory.
	File string
	// ID is the check ID, e.g. "AWS-0132".
	ID string
	// AVDID is the Aqua Vulnerability Database ID where trivy reports one
	// separately (older versions; v0.74 reports only ID).
	AVDID string
	// Severity is LOW, MEDIUM, HIGH or CRITICAL.
	Severity string
	// Title and Message describe the problem; Resolution says how to fix it.
	Title, Message, Resolution string
	// Resource is the Terraform address trivy blames, e.g. "aws_s3_bucket.x".
	Resource string
	// URL is the check's documentation.
	URL string
}

// String formats the finding on one line.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s/%s: %s (%s) [%s]", f.Severity, f.ID, f.Stack, f.File, f.Title, f.Resource, f.Message)
}

// AtLeast reports whether the finding's severity is sev or worse.
func (f Finding) AtLeast(sev string) bool {
	rank := map[string]int{"UNKNOWN": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}
	return rank[strings.ToUpper(f.Severity)] >= rank[strings.ToUpper(sev)]
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

// Scan converts every stack to HCL (ToHCLFiles, one directory per stack
// under one temporary root, with the providers' schemas from
// ProviderSchemas) and runs `trivy config` once over the root, offline
// (embedded checks, no update or version check, no telemetry), with the
// repository's IgnoreFileName. It returns every failed check of any
// severity that the ignore file does not accept (trivy drops those), sorted
// by stack, file and ID. A missing trivy
// skips the test (fails it under CI=true); a trivy error fails it.
func Scan(t testing.TB, stacks ...Stack) []Finding {
	t.Helper()
	bin, err := TrivyPath()
	if err != nil {
		SkipOrFail(t, err.Error())
	}
	schema := ProviderSchemas(t, stacks...)
	root := t.TempDir()
	seen := map[string]bool{}
	for _, s := range stacks {
		if seen[s.Name] || s.Name == "" || s.Name != filepath.Base(s.Name) {
			t.Fatalf("Scan needs distinct, plain stack names (they name the directories); got %q twice or invalid", s.Name)
		}
		seen[s.Name] = true
		files, err := ToHCLFiles(s.Raw, schema)
		if err != nil {
			t.Fatalf("stack %s: %v", s.Name, err)
		}
		dir := filepath.Join(root, s.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	findings, err := RunTrivy(bin, root, RepoIgnoreFile())
	if err != nil {
		t.Fatalf("trivy: %v", err)
	}
	return findings
}

// RepoIgnoreFile returns the path of IgnoreFileName at the module root
// (the nearest directory above the working directory with a go.mod), or ""
// when there is none.
func RepoIgnoreFile() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, IgnoreFileName)
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// RunTrivy runs `trivy config` over root, whose subdirectories are stacks,
// with ignoreFile unless it is "", and parses the failed checks.
func RunTrivy(bin, root, ignoreFile string) ([]Finding, error) {
	cache, err := os.MkdirTemp("", "trivy-cache-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(cache)
	args := []string{
		"config", "--quiet", "--format", "json",
		"--skip-check-update", "--skip-version-check", "--disable-telemetry",
		"--cache-dir", cache, "--misconfig-scanners", "terraform",
	}
	if ignoreFile != "" {
		args = append(args, "--ignorefile", ignoreFile)
	}
	args = append(args, root)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "TRIVY_DISABLE_VEX_NOTICE=true")
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr.String())
	}
	return parseTrivy(stdout.Bytes())
}

type trivyMisconf struct {
	ID, AVDID, Title, Message, Resolution, Severity, PrimaryURL, Status string
	CauseMetadata                                                       struct{ Resource string }
}

type trivyReport struct {
	Results []struct {
		Target            string
		Misconfigurations []trivyMisconf
	}
}

func parseTrivy(out []byte) ([]Finding, error) {
	var rep trivyReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("parsing trivy JSON: %w\n%s", err, out)
	}
	var findings []Finding
	mk := func(target string, m trivyMisconf) Finding {
		target = filepath.ToSlash(target)
		stack, file, ok := strings.Cut(target, "/")
		if !ok {
			stack, file = "", target
		}
		return Finding{
			Stack: stack, File: file, ID: m.ID, AVDID: m.AVDID, Severity: m.Severity,
			Title: m.Title, Message: m.Message, Resolution: m.Resolution,
			Resource: m.CauseMetadata.Resource, URL: m.PrimaryURL,
		}
	}
	for _, r := range rep.Results {
		for _, m := range r.Misconfigurations {
			if m.Status != "" && m.Status != "FAIL" {
				continue
			}
			findings = append(findings, mk(r.Target, m))
		}
	}
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.Stack != b.Stack {
			return a.Stack < b.Stack
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.ID < b.ID
	})
	return findings, nil
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*tfjson.ProviderSchemas{}
)

// ProviderSchemas returns the schemas of every provider the stacks require
// (`terraform providers schema -json` in a workdir initialized offline
// with the union of their required_providers sources, any version),
// cached per test binary and on disk (os.UserCacheDir()/hardened-cdktf,
// keyed by the SHA-256 of the resulting .terraform.lock.hcl).
func ProviderSchemas(t testing.TB, stacks ...Stack) *tfjson.ProviderSchemas {
	t.Helper()
	required := map[string]any{}
	for _, s := range stacks {
		s.Get("terraform.required_providers").ForEach(func(k, v gjson.Result) bool {
			// Only the source: the schema only has to tell blocks from
			// attributes, and a test stack's exact version pin (cdktf's
			// default) may not be in the offline mirror.
			req := map[string]any{}
			if src := v.Get("source").String(); src != "" {
				req["source"] = src
			}
			required[k.String()] = req
			return true
		})
	}
	doc, err := json.Marshal(map[string]any{"terraform": map[string]any{"required_providers": required}})
	if err != nil {
		t.Fatal(err)
	}
	key := string(doc)
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[key]; ok {
		return s
	}
	tf := NewTerraform(t)
	w := tf.OfflineCopy(t, Stack{Name: "provider-schemas", Raw: doc})
	w.Init(t)
	// The lock file pins the exact provider builds, so it keys a disk cache
	// of the schema (dumping hashicorp/aws's schema takes ~15 s).
	var cacheFile string
	if lock, err := os.ReadFile(filepath.Join(w.Dir, ".terraform.lock.hcl")); err == nil {
		if dir, err := os.UserCacheDir(); err == nil {
			sum := sha256.Sum256(lock)
			cacheFile = filepath.Join(dir, "hardened-cdktf", "provider-schemas", hex.EncodeToString(sum[:])+".json")
			if raw, err := os.ReadFile(cacheFile); err == nil {
				var s tfjson.ProviderSchemas
				if err := json.Unmarshal(raw, &s); err == nil {
					schemaCache[key] = &s
					return &s
				}
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, err := w.TF.ProvidersSchema(ctx)
	if err != nil {
		t.Fatalf("terraform providers schema: %v", err)
	}
	schemaCache[key] = s
	if cacheFile != "" {
		if raw, err := json.Marshal(s); err == nil && os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
			tmp := fmt.Sprintf("%s.%d.tmp", cacheFile, os.Getpid())
			if os.WriteFile(tmp, raw, 0o644) == nil {
				_ = os.Rename(tmp, cacheFile)
			}
		}
	}
	return s
}
