// Package harness is the test harness shared by every test in this module:
// it synthesizes stacks and apps and returns their parsed Terraform JSON,
// compares them with golden files, and runs the real Terraform CLI over them
// offline (init, validate, plan) with a private CLI config, fake credentials
// and a loopback fake of the few read-only AWS calls the provider makes.
//
// The jsii runtime is not goroutine-safe: never call these helpers from
// parallel tests.
package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func init() {
	// Node 20 prints an end-of-life banner on every jsii start.
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	}
}

// Stack is one synthesized stack.
type Stack struct {
	// Name is the stack's name.
	Name string
	// Raw is the cdk.tf.json text exactly as synthesized.
	Raw []byte
	// JSON is Raw parsed.
	JSON gjson.Result
}

// Get returns the value at a gjson path, e.g. "terraform.backend.s3.bucket".
func (s Stack) Get(path string) gjson.Result { return s.JSON.Get(path) }

// Resources returns the resources of one Terraform type, by logical ID.
func (s Stack) Resources(typ string) map[string]gjson.Result {
	out := map[string]gjson.Result{}
	s.JSON.Get("resource." + gjson.Escape(typ)).ForEach(func(k, v gjson.Result) bool {
		out[k.String()] = v
		return true
	})
	return out
}

// DataSources returns the data sources of one Terraform type, by logical ID.
func (s Stack) DataSources(typ string) map[string]gjson.Result {
	out := map[string]gjson.Result{}
	s.JSON.Get("data." + gjson.Escape(typ)).ForEach(func(k, v gjson.Result) bool {
		out[k.String()] = v
		return true
	})
	return out
}

// Resource returns the single resource of typ whose construct path ends with
// pathSuffix (for example "state/state_bucket"), failing the test unless
// exactly one matches.
func (s Stack) Resource(t testing.TB, typ, pathSuffix string) gjson.Result {
	t.Helper()
	var found []gjson.Result
	var paths []string
	for _, r := range s.Resources(typ) {
		p := r.Get(`//.metadata.path`).String()
		paths = append(paths, p)
		if p == pathSuffix || strings.HasSuffix(p, "/"+pathSuffix) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		sort.Strings(paths)
		t.Fatalf("stack %s: want exactly one %s at path */%s, found %d among %v", s.Name, typ, pathSuffix, len(found), paths)
	}
	return found[0]
}

// Ref returns the Terraform reference of the resource of typ at pathSuffix,
// e.g. "aws_s3_bucket.state_state_bucket_9EF7BAF0", for comparing with
// interpolations like "${aws_s3_bucket.x.id}".
func (s Stack) Ref(t testing.TB, typ, pathSuffix string) string {
	t.Helper()
	r := s.Resource(t, typ, pathSuffix)
	return typ + "." + r.Get(`//.metadata.uniqueId`).String()
}

// JSONField parses a resource attribute that holds a JSON document (a
// policy, a container definition) and returns it parsed.
func JSONField(t testing.TB, r gjson.Result, field string) gjson.Result {
	t.Helper()
	raw := r.Get(field)
	if !raw.Exists() || !gjson.Valid(raw.String()) {
		t.Fatalf("attribute %q is not a JSON document: %s", field, raw.Raw)
	}
	return gjson.Parse(raw.String())
}

// SynthStack defines one stack named "test" with define (and, when define
// adds no backend, a local backend with a relative path), synthesizes it as
// `cdktf synth` does (with cdktf's validations, and with the "//" metadata
// that Stack.Resource matches construct paths against), and returns it. A
// panic from jsii (cdktf reports validation errors that way) fails the test
// with the message.
func SynthStack(t testing.TB, define func(stack cdktf.TerraformStack)) Stack {
	t.Helper()
	var out Stack
	catch(t, func() {
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir()), StackTraces: jsii.Bool(false)})
		stack := cdktf.NewTerraformStack(app, jsii.String("test"))
		define(stack)
		if stack.Node().TryFindChild(jsii.String("backend")) == nil {
			// cdktf's default local backend has an absolute path, which
			// would make golden files depend on the checkout's location.
			cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.test.tfstate")})
		}
		app.Synth()
		raw, err := os.ReadFile(filepath.Join(*app.Outdir(), "stacks", "test", "cdk.tf.json"))
		if err != nil {
			t.Fatal(err)
		}
		out = Stack{Name: "test", Raw: raw, JSON: gjson.ParseBytes(raw)}
	})
	return out
}

// App is a synthesized cdktf app.
type App struct {
	// Dir is the output directory (the equivalent of cdktf.out).
	Dir string
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

// SynthApp runs define on a new app whose outdir is a temporary directory,
// synthesizes it as `cdktf synth` would, and reads every stack back.
func SynthApp(t testing.TB, define func(app constructs.Construct) error) *App {
	t.Helper()
	dir := t.TempDir()
	app, err := SynthAppTo(dir, define)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// SynthAppTo is SynthApp without a testing.TB, for benchmarks and tools.
func SynthAppTo(dir string, define func(app constructs.Construct) error) (app *App, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synth panicked: %v", r)
		}
	}()
	a := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	if err := define(a); err != nil {
		return nil, err
	}
	a.Synth()
	return ReadApp(dir)
}

// ReadApp reads every stack of an already synthesized app directory.
func ReadApp(dir string) (*App, error) {
	app := &App{Dir: dir, Stacks: map[string]Stack{}}
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
		name := filepath.Base(filepath.Dir(f))
		app.Stacks[name] = Stack{Name: name, Raw: raw, JSON: gjson.ParseBytes(raw)}
	}
	return app, nil
}

// MustPanic runs fn and returns the panic message; it fails the test if fn
// does not panic. Use it to assert that cdktf's own validation rejects
// something.
func MustPanic(t testing.TB, fn func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("expected a panic, got none")
		}
		msg = fmt.Sprint(r)
	}()
	fn()
	return ""
}

func catch(t testing.TB, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("synth failed: %v", r)
		}
	}()
	fn()
}

// RequireNoChildren fails the test if scope has any child construct: a
// constructor that rejected its config must not have created anything.
func RequireNoChildren(t testing.TB, scope constructs.Construct) {
	t.Helper()
	children := *scope.Node().Children()
	var ids []string
	for _, c := range children {
		ids = append(ids, *c.Node().Id())
	}
	require.Empty(t, ids, "a rejected config must not create constructs")
}

// TestRegion is the region of stacks built by tests.
const TestRegion = "us-east-1"

// AddProvider adds the AWS provider for TestRegion and FakeAccountID to a
// test stack, with the version constraint the stacks use (the bindings
// would pin an exact version the offline mirror may not have), so it can be
// planned with (*Terraform).PlanStack.
func AddProvider(stack cdktf.TerraformStack) {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(TestRegion),
		AllowedAccountIds: jsii.Strings(FakeAccountID),
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(AwsProviderVersion))
}

// AwsProviderVersion is the hashicorp/aws constraint of test stacks; it
// matches stacks.AwsProviderVersion.
const AwsProviderVersion = "~> 5.99"
