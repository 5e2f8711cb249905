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
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// Severity is a trivy severity: UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL.
type Severity string

// The severities, lowest first.
const (
	Unknown  Severity = "UNKNOWN"
	Low      Severity = "LOW"
	Medium   Severity = "MEDIUM"
	High     Severity = "HIGH"
	Critical Severity = "CRITICAL"
)

var severityRank = map[Severity]int{Unknown: 0, Low: 1, Medium: 2, High: 3, Critical: 4}

// AtLeast reports whether s is min or worse.
func (s Severity) AtLeast(min Severity) bool {
	return severityRank[Severity(strings.ToUpper(string(s)))] >= severityRank[Severity(strings.ToUpper(string(min)))]
}

// Finding is one failed trivy check.
type Finding struct {
	// Stack is the stack the finding is in.
	Stack string
	// Path is the construct path, relative to the stack, of the resource
	// the finding is about, e.g. "service/access_logs_encryption".
	Path string
	// Address is that resource's Terraform address, e.g.
	// "aws_s3_bucket_server_side_encryption_configuration.x".
	Address string
	// ID is the check ID, e.g. "AWS-0132".
	ID string
	// Severity is the check's severity.
	Severity Severity
	// Title and Message describe the problem; Resolution says how to fix
	// it; URL is the check's documentation.
	Title, Message, Resolution, URL string
}

// String formats the finding on one line.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s/%s (%s): %s [%s]", f.Severity, f.ID, f.Stack, f.Path, f.Address, f.Title, f.Message)
}

// Accept declares a finding accepted on purpose, in the test that scans:
// check ID at construct Path (relative to the stack: the resource at that
// path or any construct under it), in whichever stack has it, for Reason.
// Accepting by stack name or for a whole stack is not possible: an
// acceptance names the construct it is about, and its reason says why the
// finding is true but intended.
type Accept struct {
	// ID is the check ID, e.g. "AWS-0132".
	ID string
	// Path is the construct path relative to the stack, e.g.
	// "service/access_logs_encryption".
	Path string
	// Reason says why the finding is intended and what compensates for it.
	Reason string
}

func (a Accept) matches(f Finding) bool {
	return a.ID == f.ID && (f.Path == a.Path || strings.HasPrefix(f.Path, a.Path+"/"))
}

func (a Accept) check() error {
	var missing []string
	if strings.TrimSpace(a.ID) == "" {
		missing = append(missing, "ID")
	}
	if strings.Trim(a.Path, "/ ") == "" {
		missing = append(missing, "Path (the construct the finding is about)")
	}
	if strings.TrimSpace(a.Reason) == "" {
		missing = append(missing, "Reason")
	}
	if len(missing) > 0 {
		return fmt.Errorf("stacktest.Accept %+v: %s required", a, strings.Join(missing, ", "))
	}
	return nil
}

// scanCache holds the findings of this test binary's scans by scanKey.
var scanCache runCache[[]Finding]

// ScanE converts every stack to HCL (ToHCLFiles, with the providers' schemas
// from ProviderSchemasE; one directory per stack) and runs `trivy config`
// once over all of them, offline (embedded checks, no update or version
// check, no telemetry, a private cache), without any ignore file. It returns
// the failed checks of any severity that no accept matches, sorted by
// stack, path and ID, and the accepts that matched nothing (stale: the
// finding is gone, or the path is wrong). Stacks need distinct names.
// Findings are cached per test binary by stack content, so scanning a stack
// again, alone or with others, does not run trivy for it again, and a scan
// that ScanInBackground started is waited for.
func ScanE(stacks []Stack, accepted ...Accept) (findings []Finding, unused []Accept, err error) {
	if len(stacks) == 0 {
		return nil, nil, errors.New("stacktest: no stacks to scan")
	}
	var errs []error
	for _, a := range accepted {
		if err := a.check(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	all, err := scan(stacks)
	if err != nil {
		return nil, nil, err
	}
	used := make([]bool, len(accepted))
	for _, f := range all {
		ok := false
		for i, a := range accepted {
			if a.matches(f) {
				used[i], ok = true, true
			}
		}
		if !ok {
			findings = append(findings, f)
		}
	}
	for i, a := range accepted {
		if !used[i] {
			unused = append(unused, a)
		}
	}
	return findings, unused, nil
}

// Scan is ScanE that skips the test when trivy, terraform or the provider
// is missing (fails it under CI=true), fails it on any other error, and
// fails it for every accept that matched nothing. It returns the findings
// no accept matched; see RequireNoFindings.
func Scan(t testing.TB, stacks []Stack, accepted ...Accept) []Finding {
	t.Helper()
	if _, err := TrivyPath(); err != nil {
		SkipOrFail(t, "trivy", err.Error())
	}
	NewTerraform(t) // the provider schema comes from terraform
	findings, unused, err := ScanE(stacks, accepted...)
	if err != nil {
		if isInstallError(err) {
			SkipOrFail(t, "provider", err.Error())
		}
		t.Fatal(err)
	}
	for _, a := range unused {
		t.Errorf("accepted finding %s at %q matches nothing in stacks %s: remove the acceptance, or fix its ID or path (reason was: %s)", a.ID, a.Path, names(stacks), a.Reason)
	}
	return findings
}

// RequireNoFindings fails the test for every finding of severity min or
// worse, with its fix and documentation, and logs the others.
func RequireNoFindings(t testing.TB, findings []Finding, min Severity) {
	t.Helper()
	for _, f := range findings {
		if f.Severity.AtLeast(min) {
			t.Errorf("%s\n    fix: %s\n    see: %s\n    (if it is true but intended, declare a stacktest.Accept{ID: %q, Path: %q, Reason: ...} in the test)", f, f.Resolution, f.URL, f.ID, f.Path)
		} else {
			t.Logf("below %s: %s", min, f)
		}
	}
}

func names(stacks []Stack) string {
	var n []string
	for _, s := range stacks {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

// ScanInBackground starts one trivy run over the stacks (see ScanE) in the
// background and returns at once. A later Scan or ScanE of any of these
// stacks, with its own accepts, waits for that run and reports its errors
// instead of running trivy again: a package whose tests scan different
// stacks pays one trivy start-up (about 1.3 CPU-seconds) instead of one
// per test. Call it after the synth.
func ScanInBackground(stacks ...Stack) {
	entries, todo, err := startScans(stacks)
	if err != nil || len(todo) == 0 {
		return // ScanE reports err when the findings are asked for
	}
	go runScans(stacks, entries, todo)
}

func scanKey(s Stack) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", s.Name)
	h.Write(s.Raw)
	return hex.EncodeToString(h.Sum(nil))
}

// startScans returns the cache entry of every stack, creating the missing
// ones, and the indexes of the stacks whose entries this caller created
// (and must scan).
func startScans(stacks []Stack) ([]*runEntry[[]Finding], []int, error) {
	seen := map[string]bool{}
	for _, s := range stacks {
		if seen[s.Name] || s.Name == "" || s.Name != filepath.Base(s.Name) || strings.HasPrefix(s.Name, ".") {
			return nil, nil, fmt.Errorf("stacktest: scanning needs distinct, plain stack names (they name directories); got %q", s.Name)
		}
		seen[s.Name] = true
	}
	keys := make([]string, len(stacks))
	for i, s := range stacks {
		keys[i] = scanKey(s)
	}
	entries, todo := scanCache.claim(keys)
	return entries, todo, nil
}

// runScans runs trivy once over stacks[todo] and sets their entries.
func runScans(stacks []Stack, entries []*runEntry[[]Finding], todo []int) {
	var ss []Stack
	for _, i := range todo {
		ss = append(ss, stacks[i])
	}
	found, err := runScan(ss)
	for _, i := range todo {
		entries[i].set(found[stacks[i].Name], err)
	}
}

// scan returns every failed check of the stacks. Findings are cached per
// stack content: trivy runs once over the stacks not scanned yet.
func scan(stacks []Stack) ([]Finding, error) {
	entries, todo, err := startScans(stacks)
	if err != nil {
		return nil, err
	}
	if len(todo) > 0 {
		runScans(stacks, entries, todo)
	}
	var out []Finding
	var errs []error
	seen := map[error]bool{} // a run's error once, not once per stack
	for _, e := range entries {
		findings, err := e.wait()
		if err != nil && !seen[err] {
			seen[err] = true
			errs = append(errs, err)
		}
		out = append(out, findings...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Stack != b.Stack {
			return a.Stack < b.Stack
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.ID < b.ID
	})
	return out, nil
}

// runScan runs trivy once over the stacks and returns the findings by stack.
func runScan(stacks []Stack) (map[string][]Finding, error) {
	bin, err := TrivyPath()
	if err != nil {
		return nil, err
	}
	schema, err := structureSchemas(stacks...)
	if err != nil {
		return nil, err
	}
	tf, _ := NewTerraformE() // structureSchemas succeeded, so this does
	root, err := tf.TempDir("scan-")
	if err != nil {
		return nil, err
	}
	defer tf.remove(root)
	type fileInfo struct{ stack, address, path string }
	index := map[string]fileInfo{} // "<stack>/<file>" -> resource
	paths := map[string]string{}   // "<stack>\x00<address>" -> construct path
	for _, s := range stacks {
		files, addrs, err := hclFiles(s.Raw, schema)
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", s.Name, err)
		}
		for _, kind := range []string{"resource", "data"} {
			s.Get(kind).ForEach(func(typ, byID gjson.Result) bool {
				byID.ForEach(func(id, r gjson.Result) bool {
					addr := typ.String() + "." + id.String()
					if kind == "data" {
						addr = "data." + addr
					}
					paths[s.Name+"\x00"+addr] = s.Path(r)
					return true
				})
				return true
			})
		}
		dir := filepath.Join(root, s.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for name, src := range files {
			if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
				return nil, err
			}
			addr := addrs[name]
			index[s.Name+"/"+name] = fileInfo{s.Name, addr, paths[s.Name+"\x00"+addr]}
		}
	}
	start := time.Now()
	raw, err := runTrivy(bin, root, filepath.Join(tf.dir, "trivy-cache"))
	if err != nil {
		return nil, err
	}
	count(func() { stats.scanStacks += len(stacks); stats.scanRuns++; stats.scanTime += time.Since(start) })
	findings, err := parseTrivy(raw)
	if err != nil {
		return nil, err
	}
	out := map[string][]Finding{}
	for _, f := range findings {
		info, ok := index[f.Stack+"/"+f.file]
		if !ok {
			return nil, fmt.Errorf("trivy reported %q, which stacktest did not write", f.Stack+"/"+f.file)
		}
		f.Stack = info.stack
		f.Address, f.Path = info.address, info.path
		// trivy may blame another resource than the one in the file (e.g. a
		// bucket for its encryption configuration): name that one.
		if f.cause != "" {
			if p, ok := paths[info.stack+"\x00"+f.cause]; ok {
				f.Address, f.Path = f.cause, p
			}
		}
		if f.Address == "" {
			f.Address = f.cause
		}
		out[f.Stack] = append(out[f.Stack], f.Finding)
	}
	return out, nil
}

// runTrivy runs `trivy config` over root and returns its JSON report.
func runTrivy(bin, root, cache string) ([]byte, error) {
	args := []string{
		"config", "--quiet", "--format", "json",
		"--skip-check-update", "--skip-version-check", "--disable-telemetry",
		"--cache-dir", cache, "--misconfig-scanners", "terraform",
		root,
	}
	ctx, cancel := context.WithTimeout(runCtx, 10*time.Minute) // Main cancels runCtx at the end
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TRIVY_") {
			env = append(env, kv) // no user trivy settings (ignore files, severities)
		}
	}
	if os.Getenv("GOGC") == "" {
		env = append(env, "GOGC="+DefaultGOGC) // trivy holds its compiled checks: see DefaultGOGC
	}
	cmd.Env = append(env, "TRIVY_DISABLE_VEX_NOTICE=true")
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
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

// rawFinding is a finding before its file is mapped to a resource.
type rawFinding struct {
	Finding
	file, cause string
}

func parseTrivy(out []byte) ([]rawFinding, error) {
	var rep trivyReport
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("parsing trivy JSON: %w\n%s", err, out)
	}
	var findings []rawFinding
	for _, r := range rep.Results {
		target := filepath.ToSlash(r.Target)
		stack, file, ok := strings.Cut(target, "/")
		if !ok {
			stack, file = "", target
		}
		for _, m := range r.Misconfigurations {
			if m.Status != "" && m.Status != "FAIL" {
				continue
			}
			id := m.ID
			if id == "" {
				id = m.AVDID
			}
			findings = append(findings, rawFinding{
				Finding: Finding{
					Stack: stack, ID: id, Severity: Severity(strings.ToUpper(m.Severity)),
					Title: m.Title, Message: m.Message, Resolution: m.Resolution, URL: m.PrimaryURL,
				},
				file: file, cause: m.CauseMetadata.Resource,
			})
		}
	}
	return findings, nil
}
