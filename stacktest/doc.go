// Package stacktest is a test kit for cdktf stacks written in Go: the kit
// this module's own tests use, for teams to test their own stacks the same
// way. It does four jobs, each from a test (functions taking a testing.TB
// skip or fail the test) or from a tool (the ...E variants return errors):
//
//   - Synth: SynthApp and SynthStack synthesize inside the test, with fast
//     synth on (package fastsynth), and return the parsed cdk.tf.json of
//     every stack. Stack answers queries by resource type and construct
//     path (Resource, Ref, DataSource, Output, Variable, JSONDocument for
//     policy-like attributes). Memo shares one synth between the tests of a
//     package.
//   - Snapshot: Snapshot and SnapshotApp compare each stack with
//     testdata/<stack>.tf.json (golden files, goldie); `go test -update`
//     rewrites them. The file does not depend on the checkout path (see
//     Golden), and a golden file whose stack is gone fails SnapshotApp.
//   - Plan: PlanStacks runs `terraform init` and `terraform plan` offline
//     with the real provider. The kit replaces the backend, gives each
//     hashicorp/aws provider block fake credentials of the account its own
//     allowed_account_ids allows, answers the provider's few AWS calls on
//     loopback (FakeAWS), reads no user Terraform or AWS config, installs
//     providers once per machine (linked from an unpacked filesystem mirror,
//     else through a plugin cache), and plans several
//     stacks in one Terraform run. Plan has the assertions: Addresses by
//     action, RequireNoDestroy, RequireOnly, After. Stack.Subset plans part
//     of a stack (some resources and what they refer to) without the cost
//     of the rest, e.g. a variable's values planned again and again.
//   - Scan: Scan runs trivy over the stacks, converted to HCL by ToHCLFiles
//     (see there why not `cdktf synth --hcl`), and returns the findings with
//     severity, check ID, resource address and construct path. Findings
//     accepted on purpose are declared in the test (Accept: check ID,
//     construct path, reason); an acceptance that matches nothing fails the
//     test. ScanInBackground scans a package's stacks in one trivy run that
//     later Scans take their findings from.
//
// A test that needs terraform or trivy skips when it is missing, with one
// line, and fails under CI=true. Use Main as the package's TestMain so that
// the end of the run lists what was skipped, and nothing is left in the
// system temporary directory (the jsii runtime, the kit's directories):
//
//	func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }
//
// TestingApp is cdktf.Testing_App with its output directory in the test's
// own temporary directory: Testing_App(nil) leaves a cdktf.outdir.*
// directory behind for every app.
//
// Synthesis runs in jsii, which is not goroutine-safe: do not synthesize
// from parallel tests. Plans and scans are cached per test binary by stack
// content, so tests can ask for the same plan without paying twice.
//
// Environment: TERRAFORM_BINARY and TRIVY_BINARY choose the binaries;
// TF_PLUGIN_MIRROR a provider filesystem mirror (DefaultPluginMirror when
// it exists; "off" for none); STACKTEST_CACHE_DIR the kit's machine-wide
// cache (plugin cache, lock files, provider schemas); STACKTEST_TF_LOG and
// STACKTEST_TF_LOG_PATH Terraform's log, and STACKTEST_KEEP=1 keeps the
// Terraform working directories, for debugging. GOGC, when set, is passed to
// terraform and trivy as it is; otherwise they run with DefaultGOGC.
package stacktest
