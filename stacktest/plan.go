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
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// Plan is the offline `terraform plan` of one stack, as `terraform show
// -json` gives it. When several stacks were planned in one Terraform run
// (see PlanStacksE), the plan is mapped back to the stack: addresses,
// planned values, output changes and configuration are those of a plan of
// the stack alone; Variables is nil.
type Plan struct {
	// Stack is the stack's name.
	Stack string
	*tfjson.Plan
}

// Addresses returns the sorted addresses of the resource changes whose
// actions are exactly actions, e.g. Addresses(tfjson.ActionCreate), or
// Addresses(tfjson.ActionDelete, tfjson.ActionCreate) for a replacement
// that destroys first.
func (p *Plan) Addresses(actions ...tfjson.Action) []string {
	var out []string
	for _, rc := range p.ResourceChanges {
		if rc.Change != nil && slices.Equal([]tfjson.Action(rc.Change.Actions), actions) {
			out = append(out, rc.Address)
		}
	}
	sort.Strings(out)
	return out
}

// Destroyed returns the sorted addresses of the resource changes that
// delete something: deletions and replacements (in either order).
func (p *Plan) Destroyed() []string {
	var out []string
	for _, rc := range p.ResourceChanges {
		if rc.Change != nil && (rc.Change.Actions.Delete() || rc.Change.Actions.Replace()) {
			out = append(out, rc.Address)
		}
	}
	sort.Strings(out)
	return out
}

// RequireNoDestroy fails the test, listing them, when the plan deletes or
// replaces anything.
func (p *Plan) RequireNoDestroy(t testing.TB) {
	t.Helper()
	if d := p.Destroyed(); len(d) > 0 {
		t.Errorf("stack %s: the plan deletes or replaces %d resources: %s", p.Stack, len(d), strings.Join(d, ", "))
	}
}

// RequireOnly fails the test for every resource change whose actions are not
// exactly one of allowed, e.g. RequireOnly(t, tfjson.ActionCreate,
// tfjson.ActionRead) for a new stack that only creates resources and reads
// data sources.
func (p *Plan) RequireOnly(t testing.TB, allowed ...tfjson.Action) {
	t.Helper()
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil || len(rc.Change.Actions) != 1 || !slices.Contains(allowed, rc.Change.Actions[0]) {
			var got tfjson.Actions
			if rc.Change != nil {
				got = rc.Change.Actions
			}
			t.Errorf("stack %s: %s plans %v, want only %v", p.Stack, rc.Address, got, allowed)
		}
	}
}

// Change returns the planned change of one address, or nil.
func (p *Plan) Change(address string) *tfjson.ResourceChange {
	for _, rc := range p.ResourceChanges {
		if rc.Address == address {
			return rc
		}
	}
	return nil
}

// FindAfter returns the planned attribute values of the resource at address
// (the change's "after"; unknown values are absent, see AfterUnknown), or an
// error naming the addresses the plan has.
func (p *Plan) FindAfter(address string) (map[string]any, error) {
	rc := p.Change(address)
	if rc == nil || rc.Change == nil {
		var all []string
		for _, rc := range p.ResourceChanges {
			all = append(all, rc.Address)
		}
		return nil, fmt.Errorf("stack %s: no planned change for %s among %d: %s", p.Stack, address, len(all), strings.Join(all, ", "))
	}
	after, _ := rc.Change.After.(map[string]any)
	if after == nil {
		return nil, fmt.Errorf("stack %s: %s has no planned values (actions %v)", p.Stack, address, rc.Change.Actions)
	}
	return after, nil
}

// After is FindAfter that fails the test instead of returning an error.
func (p *Plan) After(t testing.TB, address string) map[string]any {
	t.Helper()
	after, err := p.FindAfter(address)
	if err != nil {
		t.Fatal(err)
	}
	return after
}

// AfterUnknown returns which planned attributes of address are known only
// after apply (true leaves), or nil.
func (p *Plan) AfterUnknown(address string) map[string]any {
	if rc := p.Change(address); rc != nil && rc.Change != nil {
		m, _ := rc.Change.AfterUnknown.(map[string]any)
		return m
	}
	return nil
}

// planCache holds the plans of this test binary by planKey.
var planCache runCache[*Plan]

func planKey(s Stack) string {
	h := sha256.New()
	h.Write(s.Raw)
	if len(s.vars) > 0 {
		v, _ := json.Marshal(s.vars)
		h.Write([]byte{0})
		h.Write(v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PlanStacksE runs terraform init and plan, offline, over every stack and
// returns their plans in the same order. The kit does everything a plan
// needs besides the stack:
//
//   - the backend is replaced by a local one in a temporary directory;
//   - every hashicorp/aws provider block gets fake static credentials (and
//     loses profile, token and shared config settings) and the
//     skip_credentials_validation, skip_metadata_api_check and
//     skip_region_validation flags; every AWS call goes to the FakeAWS
//     (see Terraform.Env), which answers GetCallerIdentity with the account
//     that provider block allows (see AccountFor) and
//     DescribeAvailabilityZones for its region; allowed_account_ids is
//     still checked, so a stack that would refuse its own account fails
//     here;
//   - no user Terraform or AWS config is read (see Terraform.Env);
//   - providers come from the shared plugin cache.
//
// Stacks are planned together in one Terraform run, each as a child module
// of a generated root, so the provider schema loads once; stacks a child
// module cannot hold (import blocks) get runs of their own, and when the
// shared run fails every stack is planned alone, so each error names its
// stack. `terraform plan` validates the configuration first, exactly as
// `terraform validate` does, so a plan also proves the stack valid.
//
// Plans are cached per test binary by stack content (and WithVars values):
// planning the same stack again costs nothing, and a plan that
// PlanInBackground started is waited for.
func PlanStacksE(stacks ...Stack) ([]*Plan, error) {
	if len(stacks) == 0 {
		return nil, errors.New("stacktest: no stacks to plan")
	}
	entries, todo, err := startPlans(stacks)
	if err != nil {
		return nil, err
	}
	if len(todo) > 0 {
		runPlans(stacks, entries, todo)
	}
	out := make([]*Plan, len(stacks))
	var errs []error
	for i, s := range stacks {
		plan, err := entries[i].wait()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p := *plan
		p.Stack = s.Name
		out[i] = &p
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// PlanInBackground starts PlanStacksE of the stacks in the background (one
// Terraform run, in other processes) and returns at once, so that the
// plan runs while the test binary goes on with other tests; a later
// PlanStacks of any of these stacks waits for it and reports its errors.
// Synthesis stays in the calling goroutine: call it after the synth.
func PlanInBackground(stacks ...Stack) {
	entries, todo, err := startPlans(stacks)
	if err != nil || len(todo) == 0 {
		return // PlanStacksE reports err when the plans are asked for
	}
	go runPlans(stacks, entries, todo)
}

// startPlans returns the cache entry of every stack, creating the missing
// ones, and the indexes of the stacks whose entries this caller created
// (and must plan).
func startPlans(stacks []Stack) ([]*runEntry[*Plan], []int, error) {
	if _, err := NewTerraformE(); err != nil {
		return nil, nil, err
	}
	keys := make([]string, len(stacks))
	for i, s := range stacks {
		keys[i] = planKey(s)
	}
	entries, todo := planCache.claim(keys)
	return entries, todo, nil
}

// runCtx is cancelled by Main at the end of the run, so that a plan started
// in the background and never waited for does not outlive the test binary.
var runCtx, cancelRuns = context.WithCancel(context.Background())

// runPlans plans stacks[todo] in one Terraform run (see plan) and sets
// their entries.
func runPlans(stacks []Stack, entries []*runEntry[*Plan], todo []int) {
	tf, _ := NewTerraformE() // startPlans checked the error
	ctx, cancel := context.WithTimeout(runCtx, 20*time.Minute)
	defer cancel()
	ss := make([]Stack, len(todo))
	for j, i := range todo {
		ss[j] = stacks[i]
	}
	plans, errs := tf.plan(ctx, ss)
	for j, i := range todo {
		entries[i].set(plans[j], errs[j])
	}
}

// PlanStacks is PlanStacksE that skips the test when terraform or the
// provider is missing (fails it under CI=true) and fails it on any other
// error.
func PlanStacks(t testing.TB, stacks ...Stack) []*Plan {
	t.Helper()
	NewTerraform(t)
	plans, err := PlanStacksE(stacks...)
	if err != nil {
		if isInstallError(err) {
			SkipOrFail(t, "provider", "terraform could not install the providers (no filesystem mirror and no registry access): "+err.Error())
		}
		t.Fatal(err)
	}
	return plans
}

// PlanStack is PlanStacks for one stack.
func PlanStack(t testing.TB, s Stack) *Plan {
	t.Helper()
	return PlanStacks(t, s)[0]
}

// ValidateStacksE runs terraform init and validate, offline, over the
// stacks in one Terraform run (each a child module of a generated root,
// backends removed), and returns an error listing every error diagnostic
// with its stack. PlanStacksE validates too; use this when a plan is not
// wanted.
func ValidateStacksE(stacks ...Stack) error {
	if len(stacks) == 0 {
		return errors.New("stacktest: no stacks to validate")
	}
	tf, err := NewTerraformE()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	w, _, _, err := tf.combinedWorkdir(stacks, false)
	if err != nil {
		return err
	}
	defer os.RemoveAll(w.Dir)
	if _, err := w.InitE(ctx); err != nil {
		return err
	}
	out, err := w.TF.Validate(ctx)
	if err != nil {
		return fmt.Errorf("terraform validate: %w", err)
	}
	if !out.Valid || out.ErrorCount > 0 {
		return fmt.Errorf("terraform validate found %d errors:\n%s", out.ErrorCount, diagnostics(out.Diagnostics))
	}
	return nil
}

// ValidateStacks is ValidateStacksE that skips the test when terraform or
// the provider is missing (fails it under CI=true) and fails it on any
// other error.
func ValidateStacks(t testing.TB, stacks ...Stack) {
	t.Helper()
	NewTerraform(t)
	if err := ValidateStacksE(stacks...); err != nil {
		if isInstallError(err) {
			SkipOrFail(t, "provider", err.Error())
		}
		t.Fatal(err)
	}
}

func diagnostics(ds []tfjson.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s: %s", d.Severity, d.Summary)
		if d.Detail != "" {
			fmt.Fprintf(&b, ": %s", d.Detail)
		}
		if d.Range != nil {
			fmt.Fprintf(&b, " (%s:%d)", d.Range.Filename, d.Range.Start.Line)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// plan plans stacks (distinct content), combined where it can, and
// returns each stack's plan or error.
func (tf *Terraform) plan(ctx context.Context, stacks []Stack) ([]*Plan, []error) {
	plans := make([]*Plan, len(stacks))
	errs := make([]error, len(stacks))
	var combine []int
	for i, s := range stacks {
		if s.Get("import").Exists() {
			continue // import blocks are only allowed in a root module
		}
		combine = append(combine, i)
	}
	if len(combine) > 1 {
		group := make([]Stack, len(combine))
		for j, i := range combine {
			group[j] = stacks[i]
		}
		got, err := tf.planCombined(ctx, group)
		if err == nil {
			for j, i := range combine {
				plans[i] = got[j]
			}
		}
		// On an error, every stack is planned alone below, so that each
		// error message names its own stack.
	}
	for i, s := range stacks {
		if plans[i] != nil {
			continue
		}
		p, err := tf.planAlone(ctx, s)
		if err != nil {
			errs[i] = fmt.Errorf("stack %s: %w", s.Name, err)
			continue
		}
		plans[i] = p
	}
	return plans, errs
}

// planAlone plans one stack as the root module.
func (tf *Terraform) planAlone(ctx context.Context, s Stack) (*Plan, error) {
	w, err := tf.OfflineWorkdirE(s)
	if w != nil {
		defer tf.remove(w.Dir)
	}
	if err != nil {
		return nil, err
	}
	p, err := w.planAndShow(ctx)
	if err != nil {
		return nil, err
	}
	count(func() { stats.planStacks++; stats.planRuns++ })
	return &Plan{Stack: s.Name, Plan: p}, nil
}

// planAndShow runs init, plan -out and show -json in w.
func (w *Workdir) planAndShow(ctx context.Context) (*tfjson.Plan, error) {
	start := time.Now()
	if _, err := w.InitE(ctx); err != nil {
		return nil, err
	}
	inited := time.Now()
	planFile := filepath.Join(w.Dir, "plan.out")
	if err := w.planOut(ctx, planFile); err != nil {
		return nil, err
	}
	planned := time.Now()
	p, err := w.TF.ShowPlanFile(ctx, planFile)
	if err != nil {
		return nil, fmt.Errorf("terraform show: %w", err)
	}
	count(func() {
		stats.initTime += inited.Sub(start)
		stats.planTime += planned.Sub(inited)
		stats.showTime += time.Since(planned)
	})
	return p, nil
}

// planOut runs terraform plan -out=planFile with opts, machine-readable
// (-json): the human-readable rendering of the plan, which nobody reads
// here, costs Terraform a JSON rendering of every planned value first,
// about a tenth of a large plan's CPU (aws_wafv2_web_acl rules above all).
// A failed plan's error lists the diagnostics of the JSON stream.
func (w *Workdir) planOut(ctx context.Context, planFile string, opts ...tfexec.PlanOption) error {
	var out bytes.Buffer
	_, err := w.TF.PlanJSON(ctx, &out, append([]tfexec.PlanOption{tfexec.Out(planFile)}, opts...)...)
	w.TF.SetStdout(nil) // PlanJSON leaves out as the runner's stdout
	if err == nil {
		return nil
	}
	var ds []tfjson.Diagnostic
	for _, line := range bytes.Split(out.Bytes(), []byte("\n")) {
		if msg, perr := tfjson.UnmarshalLogMessage(line); perr == nil {
			if d, ok := msg.(tfjson.DiagnosticLogMessage); ok && d.Severity == tfjson.DiagnosticSeverityError {
				ds = append(ds, d.Diagnostic)
			}
		}
	}
	if len(ds) > 0 {
		return fmt.Errorf("terraform plan: %w\n%s", err, diagnostics(ds))
	}
	return fmt.Errorf("terraform plan: %w", err)
}

var moduleNameRe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// moduleNames gives each stack a distinct Terraform identifier.
func moduleNames(stacks []Stack) []string {
	names := make([]string, len(stacks))
	used := map[string]bool{}
	for i, s := range stacks {
		n := moduleNameRe.ReplaceAllString(s.Name, "_")
		if n == "" || !(n[0] == '_' || n[0] >= 'A' && n[0] <= 'Z' || n[0] >= 'a' && n[0] <= 'z') {
			n = "stack_" + n
		}
		base := n
		for k := 2; used[n]; k++ {
			n = fmt.Sprintf("%s_%d", base, k)
		}
		used[n] = true
		names[i] = n
	}
	return names
}

// combinedWorkdir writes a root module that calls every stack as a child
// module (directory = module name), with the stacks' outputs re-exported
// as "<module>__<output>" (returned: root output -> module, output).
func (tf *Terraform) combinedWorkdir(stacks []Stack, credentials bool) (*Workdir, []string, map[string][2]string, error) {
	dir, err := tf.TempDir("plan-")
	if err != nil {
		return nil, nil, nil, err
	}
	names := moduleNames(stacks)
	files := map[string][]byte{}
	modules := map[string]any{}
	outputs := map[string]any{}
	outMap := map[string][2]string{}
	for i, s := range stacks {
		var doc map[string]any
		if credentials {
			doc, err = tf.offlineDoc(s)
		} else {
			doc, err = decode(s.Raw)
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, nil, fmt.Errorf("stack %s: %w", s.Name, err)
		}
		if t, ok := doc["terraform"].(map[string]any); ok {
			delete(t, "backend")
			delete(t, "cloud")
		}
		files[names[i]+"/cdk.tf.json"] = mustJSON(doc)
		call := map[string]any{"source": "./" + names[i]}
		for k, v := range s.vars {
			call[k] = escapeTemplates(v)
		}
		modules[names[i]] = call
		outs, _ := doc["output"].(map[string]any)
		for o, body := range outs {
			rootName := names[i] + "__" + o
			def := map[string]any{"value": "${module." + names[i] + "." + o + "}"}
			if b, ok := body.(map[string]any); ok && b["sensitive"] == true {
				def["sensitive"] = true
			}
			outputs[rootName] = def
			outMap[rootName] = [2]string{names[i], o}
		}
	}
	root := map[string]any{
		"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": filepath.Join(dir, "terraform.tfstate")}}},
		"module":    modules,
	}
	if len(outputs) > 0 {
		root["output"] = outputs
	}
	files["main.tf.json"] = mustJSON(root)
	w, err := tf.NewWorkdir(dir, files, stacks...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, nil, err
	}
	return w, names, outMap, nil
}

// planCombined plans the stacks in one Terraform run and splits the plan.
func (tf *Terraform) planCombined(ctx context.Context, stacks []Stack) ([]*Plan, error) {
	w, names, outMap, err := tf.combinedWorkdir(stacks, true)
	if err != nil {
		return nil, err
	}
	defer tf.remove(w.Dir)
	full, err := w.planAndShow(ctx)
	if err != nil {
		return nil, err
	}
	count(func() { stats.planStacks += len(stacks); stats.planRuns++ })
	plans := make([]*Plan, len(stacks))
	for i, s := range stacks {
		plans[i] = &Plan{Stack: s.Name, Plan: splitPlan(full, names[i], outMap)}
	}
	return plans, nil
}

// splitPlan returns the part of a combined plan that belongs to module name,
// with addresses as they would be in a plan of that stack alone.
func splitPlan(full *tfjson.Plan, name string, outMap map[string][2]string) *tfjson.Plan {
	prefix := "module." + name
	strip := func(addr string) (string, bool) {
		if addr == prefix {
			return "", true
		}
		if rest, ok := strings.CutPrefix(addr, prefix+"."); ok {
			return rest, true
		}
		return "", false
	}
	// Provider config keys: "module.<name>:aws" -> "aws",
	// "module.<name>.module.x:aws" -> "module.x:aws".
	stripKey := func(k string) string {
		if rest, ok := strings.CutPrefix(k, prefix+":"); ok {
			return rest
		}
		if rest, ok := strings.CutPrefix(k, prefix+"."); ok {
			return rest
		}
		return k
	}
	p := &tfjson.Plan{
		FormatVersion:    full.FormatVersion,
		TerraformVersion: full.TerraformVersion,
		Complete:         full.Complete,
		Timestamp:        full.Timestamp,
	}
	changes := func(in []*tfjson.ResourceChange) []*tfjson.ResourceChange {
		var out []*tfjson.ResourceChange
		for _, rc := range in {
			addr, ok := strip(rc.Address)
			if !ok {
				continue
			}
			c := *rc
			c.Address = addr
			c.ModuleAddress, _ = strip(rc.ModuleAddress)
			if rc.PreviousAddress != "" {
				c.PreviousAddress, _ = strip(rc.PreviousAddress)
			}
			out = append(out, &c)
		}
		return out
	}
	p.ResourceChanges = changes(full.ResourceChanges)
	p.ResourceDrift = changes(full.ResourceDrift)
	for _, ra := range full.RelevantAttributes {
		if addr, ok := strip(ra.Resource); ok {
			ra.Resource = addr
			p.RelevantAttributes = append(p.RelevantAttributes, ra)
		}
	}
	for rootName, change := range full.OutputChanges {
		if m := outMap[rootName]; m[0] == name {
			if p.OutputChanges == nil {
				p.OutputChanges = map[string]*tfjson.Change{}
			}
			p.OutputChanges[m[1]] = change
		}
	}
	if full.PlannedValues != nil {
		p.PlannedValues = &tfjson.StateValues{RootModule: &tfjson.StateModule{}}
		for rootName, o := range full.PlannedValues.Outputs {
			if m := outMap[rootName]; m[0] == name {
				if p.PlannedValues.Outputs == nil {
					p.PlannedValues.Outputs = map[string]*tfjson.StateOutput{}
				}
				p.PlannedValues.Outputs[m[1]] = o
			}
		}
		if full.PlannedValues.RootModule != nil {
			for _, cm := range full.PlannedValues.RootModule.ChildModules {
				if cm.Address == prefix {
					p.PlannedValues.RootModule = restateModule(cm, strip)
				}
			}
		}
	}
	if full.Config != nil {
		p.Config = &tfjson.Config{}
		if full.Config.RootModule != nil {
			if call := full.Config.RootModule.ModuleCalls[name]; call != nil {
				p.Config.RootModule = call.Module
			}
		}
		for k, pc := range full.Config.ProviderConfigs {
			if pc.ModuleAddress != prefix {
				continue
			}
			c := *pc
			c.ModuleAddress = ""
			if p.Config.ProviderConfigs == nil {
				p.Config.ProviderConfigs = map[string]*tfjson.ProviderConfig{}
			}
			p.Config.ProviderConfigs[stripKey(k)] = &c
		}
		if p.Config.RootModule != nil {
			p.Config.RootModule = rekeyModule(p.Config.RootModule, stripKey)
		}
	}
	return p
}

// rekeyModule copies a configuration module with every resource's provider
// config key rewritten.
func rekeyModule(m *tfjson.ConfigModule, key func(string) string) *tfjson.ConfigModule {
	out := *m
	out.Resources = nil
	for _, r := range m.Resources {
		c := *r
		c.ProviderConfigKey = key(r.ProviderConfigKey)
		out.Resources = append(out.Resources, &c)
	}
	if m.ModuleCalls != nil {
		out.ModuleCalls = map[string]*tfjson.ModuleCall{}
		for n, call := range m.ModuleCalls {
			c := *call
			if call.Module != nil {
				c.Module = rekeyModule(call.Module, key)
			}
			out.ModuleCalls[n] = &c
		}
	}
	return &out
}

func restateModule(m *tfjson.StateModule, strip func(string) (string, bool)) *tfjson.StateModule {
	out := &tfjson.StateModule{}
	out.Address, _ = strip(m.Address)
	for _, r := range m.Resources {
		c := *r
		c.Address, _ = strip(r.Address)
		out.Resources = append(out.Resources, &c)
	}
	for _, cm := range m.ChildModules {
		out.ChildModules = append(out.ChildModules, restateModule(cm, strip))
	}
	return out
}

// offlineDoc returns a stack's JSON with every hashicorp/aws provider block
// made offline (see PlanStacksE). The backend is left to the caller.
func (tf *Terraform) offlineDoc(s Stack) (map[string]any, error) {
	doc, err := decode(s.Raw)
	if err != nil {
		return nil, err
	}
	awsNames := map[string]bool{}
	required, _ := doc["terraform"].(map[string]any)
	rp, _ := required["required_providers"].(map[string]any)
	providers, _ := doc["provider"].(map[string]any)
	for name := range providers {
		src := "hashicorp/" + name
		if req, ok := rp[name].(map[string]any); ok {
			if s, ok := req["source"].(string); ok && s != "" {
				src = s
			}
		}
		if normalizeSource(src) == "registry.terraform.io/hashicorp/aws" {
			awsNames[name] = true
		}
	}
	for name := range awsNames {
		blocks, ok := providers[name].([]any)
		if !ok {
			if one, isObj := providers[name].(map[string]any); isObj {
				blocks = []any{one}
				providers[name] = blocks
			}
		}
		for _, b := range blocks {
			pm, ok := b.(map[string]any)
			if !ok {
				continue
			}
			tf.offlineProvider(pm)
		}
	}
	return doc, nil
}

// offlineProvider patches one aws provider block in place.
func (tf *Terraform) offlineProvider(pm map[string]any) {
	account := AccountFor(stringList(pm["allowed_account_ids"]), stringList(pm["forbidden_account_ids"]))
	key, secret := tf.AWS.Credentials(account)
	for _, k := range []string{"profile", "shared_config_files", "shared_credentials_files", "token", "assume_role_with_web_identity", "custom_ca_bundle", "ec2_metadata_service_endpoint"} {
		delete(pm, k)
	}
	pm["access_key"] = key
	pm["secret_key"] = secret
	pm["skip_credentials_validation"] = true
	pm["skip_metadata_api_check"] = true
	pm["skip_region_validation"] = true
	// Endpoints come from the environment (Terraform.Env); the stack's own
	// endpoints of the faked services would win over it, so they go.
	if blocks, ok := pm["endpoints"].([]any); ok {
		var kept []any
		for _, b := range blocks {
			if m, ok := b.(map[string]any); ok {
				for _, svc := range fakedServices {
					delete(m, svc)
				}
				if len(m) == 0 {
					continue
				}
			}
			kept = append(kept, b)
		}
		if len(kept) == 0 {
			delete(pm, "endpoints")
		} else {
			pm["endpoints"] = kept
		}
	} else if m, ok := pm["endpoints"].(map[string]any); ok {
		for _, svc := range fakedServices {
			delete(m, svc)
		}
		if len(m) == 0 {
			delete(pm, "endpoints")
		}
	}
}

func stringList(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func setLocalBackend(doc map[string]any, path string) {
	t, _ := doc["terraform"].(map[string]any)
	if t == nil {
		t = map[string]any{}
		doc["terraform"] = t
	}
	delete(t, "cloud")
	t["backend"] = map[string]any{"local": map[string]any{"path": path}}
}

// decode parses JSON keeping numbers exact.
func decode(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if doc == nil {
		doc = map[string]any{}
	}
	return doc, nil
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // only maps, slices and JSON scalars reach here
	}
	return b
}

// escapeTemplates makes literal strings safe as Terraform JSON expressions.
func escapeTemplates(v any) any {
	switch x := v.(type) {
	case string:
		return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = escapeTemplates(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = escapeTemplates(e)
		}
		return out
	default:
		// Other Go values (typed slices, structs) go through JSON first.
		if b, err := json.Marshal(x); err == nil {
			var y any
			if json.Unmarshal(b, &y) == nil {
				switch y.(type) {
				case string, []any, map[string]any:
					return escapeTemplates(y)
				}
				return y
			}
		}
		return x
	}
}

// OfflineWorkdirE writes s, made offline as PlanStacksE makes it (fake
// credentials for the account its provider allows, the loopback fake AWS,
// a local backend) into a new directory under the kit's scratch directory,
// which Main removes, with s's WithVars values as terraform.tfvars.json.
// Use it for what PlanStack does not do: plans with -var or -target, or
// several plans of one stack after one init.
func (tf *Terraform) OfflineWorkdirE(s Stack) (*Workdir, error) {
	dir, err := tf.TempDir("workdir-")
	if err != nil {
		return nil, err
	}
	doc, err := tf.offlineDoc(s)
	if err != nil {
		return nil, err
	}
	setLocalBackend(doc, filepath.Join(dir, "terraform.tfstate"))
	files := map[string][]byte{"cdk.tf.json": mustJSON(doc)}
	if len(s.vars) > 0 {
		files["terraform.tfvars.json"] = mustJSON(s.vars)
	}
	w, err := tf.NewWorkdir(dir, files, s)
	if err != nil {
		return nil, err
	}
	w.stack = s.Name
	return w, nil
}

// OfflineWorkdir is OfflineWorkdirE that fails the test on an error.
func (tf *Terraform) OfflineWorkdir(t testing.TB, s Stack) *Workdir {
	t.Helper()
	w, err := tf.OfflineWorkdirE(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// PlanE runs terraform plan in w (after Init) with opts and returns the
// plan as `terraform show -json` gives it.
func (w *Workdir) PlanE(ctx context.Context, opts ...tfexec.PlanOption) (*tfjson.Plan, error) {
	planFile, err := os.CreateTemp(w.Dir, "plan-*.out")
	if err != nil {
		return nil, err
	}
	planFile.Close()
	start := time.Now()
	if err := w.planOut(ctx, planFile.Name(), opts...); err != nil {
		return nil, err
	}
	planned := time.Now()
	p, err := w.TF.ShowPlanFile(ctx, planFile.Name())
	if err != nil {
		return nil, fmt.Errorf("terraform show: %w", err)
	}
	count(func() {
		stats.planStacks++
		stats.planRuns++
		stats.planTime += planned.Sub(start)
		stats.showTime += time.Since(planned)
	})
	return p, nil
}

// Plan is PlanE that fails the test on an error.
func (w *Workdir) Plan(t testing.TB, opts ...tfexec.PlanOption) *Plan {
	t.Helper()
	p, err := w.PlanE(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &Plan{Stack: w.stack, Plan: p}
}
