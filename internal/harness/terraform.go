package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// DefaultPluginMirror is where this project's machines keep the
// hashicorp/aws provider for offline use. Override with TF_PLUGIN_MIRROR.
const DefaultPluginMirror = "/opt/tf-plugins"

// FakeAccessKey and FakeSecretKey are the credentials written into the
// temporary copy of a stack; no AWS endpoint ever sees them.
const (
	FakeAccessKey = "AKIAIOSFODNN7EXAMPLE"
	FakeSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// SkipOrFail skips the test with msg, or fails it when CI=true: in CI a
// missing tool is a broken machine, not a reason to pass.
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true: %s", msg)
	}
	t.Skip(msg + " (set CI=true to make this a failure)")
}

// Terraform drives the real Terraform CLI with a CLI config of its own.
type Terraform struct {
	// ExecPath is the terraform binary.
	ExecPath string
	// CLIConfig is the CLI config file every command uses.
	CLIConfig string
	// Mirror is the provider filesystem mirror in use, or "" for the registry.
	Mirror string
	// AWS is the loopback fake that answers the provider's read-only calls.
	AWS *FakeAWS
}

var (
	tfOnce   sync.Once
	tfShared *Terraform
	tfErr    error
)

// NewTerraform finds terraform (TERRAFORM_BINARY, else PATH), writes a CLI
// config that installs hashicorp/* providers from the filesystem mirror when
// it exists (TF_PLUGIN_MIRROR, default /opt/tf-plugins) and never reads the
// user's own config, and starts the fake AWS endpoint. One instance is shared
// by the whole test binary. When terraform is missing it skips the test, or
// fails it under CI=true.
func NewTerraform(t testing.TB) *Terraform {
	t.Helper()
	tfOnce.Do(func() { tfShared, tfErr = newTerraform() })
	if tfErr != nil {
		SkipOrFail(t, tfErr.Error())
	}
	return tfShared
}

func newTerraform() (*Terraform, error) {
	bin := os.Getenv("TERRAFORM_BINARY")
	if bin == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			return nil, errors.New("terraform not found on PATH (install Terraform >= 1.10 or set TERRAFORM_BINARY)")
		}
		bin = p
	}
	dir, err := os.MkdirTemp("", "harness-terraform-")
	if err != nil {
		return nil, err
	}
	mirror := os.Getenv("TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = DefaultPluginMirror
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		mirror = ""
	}
	cfg := "# Written by the test harness: tests never read the user's CLI config.\n"
	if mirror != "" {
		cfg += fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`, mirror)
	}
	cfgPath := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	fake, err := StartFakeAWS()
	if err != nil {
		return nil, err
	}
	return &Terraform{ExecPath: bin, CLIConfig: cfgPath, Mirror: mirror, AWS: fake}, nil
}

// Env returns the environment for terraform commands: the caller's, minus
// any AWS or TF_ settings that could reach a real account or the user's own
// config, plus the harness CLI config.
func (tf *Terraform) Env() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "TF_") {
			continue
		}
		env[k] = v
	}
	env["TF_CLI_CONFIG_FILE"] = tf.CLIConfig
	env["CHECKPOINT_DISABLE"] = "1"
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	env["AWS_CONFIG_FILE"] = os.DevNull
	env["AWS_SHARED_CREDENTIALS_FILE"] = os.DevNull
	return env
}

// Workdir is a temporary Terraform working directory holding a patched
// copy of one stack.
type Workdir struct {
	Dir   string
	Stack Stack
	TF    *tfexec.Terraform
}

// OfflineCopy writes a copy of stack into a new temporary directory with:
// the backend replaced by a local one; every aws provider given fake static
// credentials, skip_credentials_validation, skip_metadata_api_check and
// skip_region_validation, and its endpoints pointed at the loopback fake (so
// the account ID check of allowed_account_ids and data sources such as
// aws_caller_identity work offline). Nothing else in the stack changes.
func (tf *Terraform) OfflineCopy(t testing.TB, stack Stack) *Workdir {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(stack.Raw, &doc); err != nil {
		t.Fatalf("stack %s: %v", stack.Name, err)
	}
	dir := t.TempDir()
	terraform, _ := doc["terraform"].(map[string]any)
	if terraform == nil {
		terraform = map[string]any{}
		doc["terraform"] = terraform
	}
	terraform["backend"] = map[string]any{"local": map[string]any{"path": filepath.Join(dir, "terraform.tfstate")}}
	providers, _ := doc["provider"].(map[string]any)
	aws, _ := providers["aws"].([]any)
	for _, p := range aws {
		pm := p.(map[string]any)
		pm["access_key"] = FakeAccessKey
		pm["secret_key"] = FakeSecretKey
		pm["skip_credentials_validation"] = true
		pm["skip_metadata_api_check"] = true
		pm["skip_region_validation"] = true
		pm["endpoints"] = []any{tf.AWS.Endpoints()}
	}
	return tf.newWorkdir(t, dir, stack, doc)
}

// newWorkdir writes doc as dir/cdk.tf.json (creating dir) and returns a
// Workdir whose commands run with the harness environment.
func (tf *Terraform) newWorkdir(t testing.TB, dir string, stack Stack, doc map[string]any) *Workdir {
	t.Helper()
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := tfexec.NewTerraform(dir, tf.ExecPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SetEnv(tf.Env()); err != nil {
		t.Fatal(err)
	}
	return &Workdir{Dir: dir, Stack: stack, TF: x}
}

// Init runs terraform init. A provider that cannot be installed skips the
// test (fails under CI=true).
func (w *Workdir) Init(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := w.TF.Init(ctx, tfexec.Upgrade(false)); err != nil {
		msg := err.Error()
		if strings.Contains(msg, "Failed to query available provider packages") || strings.Contains(msg, "Failed to install provider") {
			SkipOrFail(t, "terraform could not install hashicorp/aws (no filesystem mirror and no registry access): "+msg)
		}
		t.Fatalf("stack %s: terraform init: %v", w.Stack.Name, err)
	}
}

// Validate runs terraform validate and fails the test on any error
// diagnostic.
func (w *Workdir) Validate(t testing.TB) *tfjson.ValidateOutput {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := w.TF.Validate(ctx)
	if err != nil {
		t.Fatalf("stack %s: terraform validate: %v", w.Stack.Name, err)
	}
	if !out.Valid || out.ErrorCount > 0 {
		t.Fatalf("stack %s: terraform validate found %d errors:\n%s", w.Stack.Name, out.ErrorCount, diagnostics(out.Diagnostics))
	}
	return out
}

// Plan runs terraform plan and returns the plan as terraform-json, failing
// the test on any error.
func (w *Workdir) Plan(t testing.TB, opts ...tfexec.PlanOption) *tfjson.Plan {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	planFile := filepath.Join(w.Dir, "plan.out")
	if _, err := w.TF.Plan(ctx, append([]tfexec.PlanOption{tfexec.Out(planFile)}, opts...)...); err != nil {
		t.Fatalf("stack %s: terraform plan: %v", w.Stack.Name, err)
	}
	plan, err := w.TF.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatalf("stack %s: terraform show: %v", w.Stack.Name, err)
	}
	return plan
}

// PlanStack is OfflineCopy + Init + Validate + Plan.
func (tf *Terraform) PlanStack(t testing.TB, stack Stack) *tfjson.Plan {
	t.Helper()
	w := tf.OfflineCopy(t, stack)
	w.Init(t)
	w.Validate(t)
	return w.Plan(t)
}

// Addresses returns the sorted addresses of the plan's resource changes
// whose actions are exactly want (e.g. tfjson.Actions{tfjson.ActionCreate}).
func Addresses(plan *tfjson.Plan, want tfjson.Actions) []string {
	var out []string
	for _, rc := range plan.ResourceChanges {
		if rc.Change != nil && slices.Equal(rc.Change.Actions, want) {
			out = append(out, rc.Address)
		}
	}
	sort.Strings(out)
	return out
}

// Change returns the planned change of one address, or nil.
func Change(plan *tfjson.Plan, address string) *tfjson.ResourceChange {
	for _, rc := range plan.ResourceChanges {
		if rc.Address == address {
			return rc
		}
	}
	return nil
}

func diagnostics(ds []tfjson.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s: %s: %s", d.Severity, d.Summary, d.Detail)
		if d.Range != nil {
			fmt.Fprintf(&b, " (%s:%d)", d.Range.Filename, d.Range.Start.Line)
		}
		b.WriteString("\n")
	}
	return b.String()
}
