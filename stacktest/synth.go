package stacktest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
)

func init() {
	// Node 20 prints an end-of-life banner on every jsii start.
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	}
	// Every test binary that imports the kit synthesizes with fast synth:
	// the AWS provider's modules load lazily, the output is identical.
	// init runs before any test creates a construct;
	// HARDENED_CDKTF_FASTSYNTH=off switches it off.
	fastsynth.Enable()
}

// Stack is one synthesized stack.
type Stack struct {
	// Name is the stack's name (its construct id in the app).
	Name string
	// Raw is the cdk.tf.json text exactly as synthesized.
	Raw []byte
	// JSON is Raw parsed.
	JSON gjson.Result

	vars map[string]any
}

// Get returns the value at a gjson path, e.g. "terraform.backend.s3.bucket".
func (s Stack) Get(path string) gjson.Result { return s.JSON.Get(path) }

// Resources returns the resources of one Terraform type, by logical ID.
func (s Stack) Resources(typ string) map[string]gjson.Result {
	return s.blocks("resource", typ)
}

// DataSources returns the data sources of one Terraform type, by logical ID.
func (s Stack) DataSources(typ string) map[string]gjson.Result {
	return s.blocks("data", typ)
}

func (s Stack) blocks(kind, typ string) map[string]gjson.Result {
	out := map[string]gjson.Result{}
	s.JSON.Get(kind + "." + gjson.Escape(typ)).ForEach(func(k, v gjson.Result) bool {
		out[k.String()] = v
		return true
	})
	return out
}

// Path returns the construct path of a resource or data source of s,
// relative to the stack (e.g. "state/state_bucket" in stack "bootstrap"),
// from cdktf's "//" metadata; "" when it has none.
func (s Stack) Path(block gjson.Result) string {
	p := block.Get(`//.metadata.path`).String()
	return strings.TrimPrefix(p, s.Name+"/")
}

// FindResource returns the single resource of typ whose construct path,
// relative to the stack, is path or ends with "/"+path (so "state_bucket"
// finds "state/state_bucket" when nothing else ends that way). It is an
// error unless exactly one matches.
func (s Stack) FindResource(typ, path string) (gjson.Result, error) {
	_, r, err := s.find("resource", typ, path)
	return r, err
}

// FindDataSource is FindResource for data sources.
func (s Stack) FindDataSource(typ, path string) (gjson.Result, error) {
	_, r, err := s.find("data", typ, path)
	return r, err
}

func (s Stack) find(kind, typ, path string) (string, gjson.Result, error) {
	var ids, paths []string
	var found []gjson.Result
	for id, r := range s.blocks(kind, typ) {
		p := s.Path(r)
		paths = append(paths, p)
		if p == path || strings.HasSuffix(p, "/"+path) {
			ids = append(ids, id)
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		sort.Strings(paths)
		what := typ
		if kind == "data" {
			what = "data source " + typ
		}
		return "", gjson.Result{}, fmt.Errorf("stack %s: want exactly one %s at construct path %q, found %d among %q", s.Name, what, path, len(found), paths)
	}
	return ids[0], found[0], nil
}

// Resource is FindResource that fails the test instead of returning an error.
func (s Stack) Resource(t testing.TB, typ, path string) gjson.Result {
	t.Helper()
	r, err := s.FindResource(typ, path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// DataSource is FindDataSource that fails the test instead of returning an
// error.
func (s Stack) DataSource(t testing.TB, typ, path string) gjson.Result {
	t.Helper()
	r, err := s.FindDataSource(typ, path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// FindRef returns the Terraform address of the resource of typ at path (see
// FindResource), e.g. "aws_s3_bucket.state_state_bucket_9EF7BAF0", for
// comparing with interpolations such as "${aws_s3_bucket.x.id}" and with plan
// addresses.
func (s Stack) FindRef(typ, path string) (string, error) {
	id, _, err := s.find("resource", typ, path)
	if err != nil {
		return "", err
	}
	return typ + "." + id, nil
}

// Ref is FindRef that fails the test instead of returning an error.
func (s Stack) Ref(t testing.TB, typ, path string) string {
	t.Helper()
	ref, err := s.FindRef(typ, path)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// DataRef returns the address of the data source of typ at path, e.g.
// "data.aws_iam_policy_document.key_policy_1A2B3C4D".
func (s Stack) DataRef(t testing.TB, typ, path string) string {
	t.Helper()
	id, _, err := s.find("data", typ, path)
	if err != nil {
		t.Fatal(err)
	}
	return "data." + typ + "." + id
}

// FindOutput returns the output block of the given name (its value,
// description, sensitive), or an error listing the stack's outputs.
func (s Stack) FindOutput(name string) (gjson.Result, error) { return s.named("output", name) }

// FindVariable returns the variable block of the given name (type, default,
// description, ...), or an error listing the stack's variables.
func (s Stack) FindVariable(name string) (gjson.Result, error) { return s.named("variable", name) }

func (s Stack) named(kind, name string) (gjson.Result, error) {
	r := s.JSON.Get(kind + "." + gjson.Escape(name))
	if r.Exists() {
		return r, nil
	}
	var names []string
	s.JSON.Get(kind).ForEach(func(k, _ gjson.Result) bool {
		names = append(names, k.String())
		return true
	})
	sort.Strings(names)
	return gjson.Result{}, fmt.Errorf("stack %s: no %s %q among %q", s.Name, kind, name, names)
}

// Output is FindOutput that fails the test instead of returning an error.
func (s Stack) Output(t testing.TB, name string) gjson.Result {
	t.Helper()
	r, err := s.FindOutput(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Variable is FindVariable that fails the test instead of returning an error.
func (s Stack) Variable(t testing.TB, name string) gjson.Result {
	t.Helper()
	r, err := s.FindVariable(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// WithVars returns a copy of s that Plan and Validate give these input
// variable values (JSON-encodable Go values), for variables without a
// default. The synthesized JSON is unchanged.
func (s Stack) WithVars(vars map[string]any) Stack {
	c := s
	c.vars = make(map[string]any, len(vars))
	for k, v := range s.vars {
		c.vars[k] = v
	}
	for k, v := range vars {
		c.vars[k] = v
	}
	return c
}

// ParseJSONDocument parses an attribute of a resource or data source that
// holds a JSON document (an IAM policy, a container definition list) and
// returns it parsed; it is an error when the attribute is missing or not
// literal JSON (for example an unresolved "${...}" reference).
func ParseJSONDocument(block gjson.Result, attribute string) (gjson.Result, error) {
	raw := block.Get(attribute)
	if !raw.Exists() || raw.Type != gjson.String || !gjson.Valid(raw.String()) {
		return gjson.Result{}, fmt.Errorf("attribute %q is not a JSON document: %s", attribute, raw.Raw)
	}
	return gjson.Parse(raw.String()), nil
}

// JSONDocument is ParseJSONDocument that fails the test instead of
// returning an error.
func JSONDocument(t testing.TB, block gjson.Result, attribute string) gjson.Result {
	t.Helper()
	doc, err := ParseJSONDocument(block, attribute)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// App is a synthesized cdktf app.
type App struct {
	// Stacks maps stack names to their synthesized JSON.
	Stacks map[string]Stack
}

// StackNames returns the stack names in sorted order.
func (a *App) StackNames() []string {
	names := make([]string, 0, len(a.Stacks))
	for n := range a.Stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// All returns every stack, sorted by name.
func (a *App) All() []Stack {
	out := make([]Stack, 0, len(a.Stacks))
	for _, n := range a.StackNames() {
		out = append(out, a.Stacks[n])
	}
	return out
}

// Stack returns the stack of the given name, failing the test when the app
// has none.
func (a *App) Stack(t testing.TB, name string) Stack {
	t.Helper()
	s, ok := a.Stacks[name]
	if !ok {
		t.Fatalf("the app has no stack %q (stacks: %q)", name, a.StackNames())
	}
	return s
}

// PanicError is the error SynthAppE, SynthAppTo and SynthStackE return when
// define or the synth panicked (jsii reports cdktf's own validation errors
// that way), so that a test can tell a construct that panics on bad input
// from one that returns its error:
//
//	_, err := stacktest.SynthStackE("bad", define)
//	require.NotErrorAs(t, err, new(*stacktest.PanicError))
//	stacktest.RequireProblem(t, err, "Name", "") // fails on a panic too
type PanicError struct {
	// Value is what was passed to panic.
	Value any
}

// Error is "synth panicked: " and the panic's value.
func (e *PanicError) Error() string { return fmt.Sprintf("synth panicked: %v", e.Value) }

// SynthAppE runs define on a new cdktf app whose output directory is a new
// temporary directory, synthesizes it as `cdktf synth` does (with cdktf's
// validations and the "//" metadata the construct-path queries read), reads
// every stack back and removes the directory. An error from define is
// returned as it is, and a panic of define or of the synth as a
// *PanicError.
func SynthAppE(define func(app constructs.Construct) error) (*App, error) {
	dir, err := os.MkdirTemp("", "stacktest-synth-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	return SynthAppTo(dir, define)
}

// SynthAppTo is SynthAppE with the app's output directory (the equivalent
// of cdktf.out) in dir, which is kept: for tools, benchmarks and tests of
// the other files cdktf writes (manifest.json, assets).
func SynthAppTo(dir string, define func(app constructs.Construct) error) (app *App, err error) {
	defer func() {
		if r := recover(); r != nil {
			app, err = nil, &PanicError{Value: r}
		}
	}()
	a := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	if err := define(a); err != nil {
		return nil, err
	}
	a.Synth()
	return ReadApp(dir)
}

// TestingApp returns cdktf.Testing_App (a cdktf app with cdktf's test
// settings: a stub version, the future flags) whose output directory is a
// new directory under t.TempDir(), which the test removes when it ends.
// cdktf.Testing_App(nil) creates a cdktf.outdir.* directory in the system
// temporary directory for every app and nothing removes it: use TestingApp
// for the apps a test builds constructs in without SynthApp.
func TestingApp(t testing.TB) cdktf.App {
	t.Helper()
	return cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir())})
}

// SynthApp is SynthAppE that fails the test instead of returning an error.
// Synthesis goes through jsii, which is not goroutine-safe: do not call it
// from parallel tests.
func SynthApp(t testing.TB, define func(app constructs.Construct) error) *App {
	t.Helper()
	app, err := SynthAppE(define)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// SynthStackE creates a cdktf stack called name in a new app, runs define
// on it and synthesizes it (see SynthAppE). define adds what the test needs,
// a provider included; cdktf adds its default local backend when define
// adds no backend.
func SynthStackE(name string, define func(stack cdktf.TerraformStack) error) (Stack, error) {
	app, err := SynthAppE(func(app constructs.Construct) error {
		return define(cdktf.NewTerraformStack(app, jsii.String(name)))
	})
	if err != nil {
		return Stack{}, err
	}
	s, ok := app.Stacks[name]
	if !ok {
		return Stack{}, fmt.Errorf("stack %q was not synthesized (stacks: %q)", name, app.StackNames())
	}
	return s, nil
}

// SynthStack is SynthStackE for a define that reports problems through the
// test itself; a panic during synth fails the test with its message.
func SynthStack(t testing.TB, name string, define func(stack cdktf.TerraformStack)) Stack {
	t.Helper()
	s, err := SynthStackE(name, func(stack cdktf.TerraformStack) error {
		define(stack)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ReadApp reads every stack of an already synthesized app directory (the
// equivalent of cdktf.out).
func ReadApp(dir string) (*App, error) {
	app := &App{Stacks: map[string]Stack{}}
	files, err := filepath.Glob(filepath.Join(dir, "stacks", "*", "cdk.tf.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no stacks under %s", dir)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if !gjson.ValidBytes(raw) {
			return nil, fmt.Errorf("%s is not JSON", f)
		}
		name := filepath.Base(filepath.Dir(f))
		app.Stacks[name] = Stack{Name: name, Raw: raw, JSON: gjson.ParseBytes(raw)}
	}
	return app, nil
}

// Memo returns a function that calls build once per test binary, with the
// testing.TB of the first test that asks, and gives every caller the same
// value: one synth (or plan) per stack per package, shared by the tests that
// read it. When build fails (or skips) the first test, every later caller
// fails (or skips) too, naming that test.
//
//	var referenceApp = stacktest.Memo(func(t testing.TB) *stacktest.App {
//		return stacktest.SynthApp(t, stacks.NewReferenceApp)
//	})
//
//	func TestX(t *testing.T) { app := referenceApp(t); ... }
func Memo[T any](build func(t testing.TB) T) func(t testing.TB) T {
	var (
		once    sync.Once
		value   T
		ok      bool
		skipped bool
		first   string
	)
	return func(t testing.TB) T {
		t.Helper()
		once.Do(func() {
			first = t.Name()
			defer func() { skipped = !ok && t.Skipped() }()
			value = build(t)
			ok = true // not reached when build stops the test (t.Fatal, t.Skip)
		})
		if skipped {
			statsMu.Lock()
			skips = append(skips, skipRecord{t.Name(), "(shared value)", "skipped with " + first})
			statsMu.Unlock()
			t.Skipf("stacktest.Memo: the shared value was skipped in %s (see its reason)", first)
		}
		if !ok {
			t.Fatalf("stacktest.Memo: the shared value failed to build in %s (see its failure)", first)
		}
		return value
	}
}

// RequireNoChildren fails the test if scope has any child construct: a
// constructor that rejected its config must not have created anything.
func RequireNoChildren(t testing.TB, scope constructs.Construct) {
	t.Helper()
	var ids []string
	for _, c := range *scope.Node().Children() {
		ids = append(ids, *c.Node().Id())
	}
	if len(ids) > 0 {
		t.Errorf("a rejected config must not create constructs; %s has children %q", *scope.Node().Path(), ids)
	}
}
