// Package tests holds the integration tests of the reference app: golden
// snapshots of every stack, deterministic synthesis, terraform plan of every
// stack, the trivy scan, and the state backend's tests. Go skips
// directories starting with '_' in ./..., so run it by name:
//
//	go test ./... ./__tests__
package tests

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// configFile is the platform config main.go reads: $HARDENED_CDKTF_CONFIG
// (a relative path is taken from the repository root, where `go run .`
// runs) or the repository's platform.yaml.
func configFile() string {
	f := stacks.ConfigFile()
	if !filepath.IsAbs(f) {
		f = filepath.Join("..", f)
	}
	return f
}

// loadPlatform loads the platform config once per test binary.
var loadPlatform = sync.OnceValues(func() (*stacks.PlatformConfig, error) {
	return stacks.LoadPlatformConfig(configFile())
})

// platform returns the platform config the tests check the app against,
// with every default filled in.
func platform(t testing.TB) stacks.PlatformConfig {
	t.Helper()
	c, err := loadPlatform()
	if err != nil {
		t.Fatal(err)
	}
	return c.WithDefaults()
}

// definePlatform defines the platform exactly as main.go does.
func definePlatform(app constructs.Construct) error {
	c, err := loadPlatform()
	if err != nil {
		return err
	}
	_, err = stacks.NewPlatformApp(app, c)
	return err
}

// referenceApp synthesizes the platform (definePlatform, the same calls
// main.go makes) once per test binary, and starts its plan in the
// background (TestTerraformPlan takes it), so Terraform runs while the other
// tests do; the stack of TestUnusualStateBackendsPlan is planned in the
// same Terraform run. It starts the package's one trivy run too: the app's
// stacks (TestTrivyScan) and the policy fixture (TestPolicyAgreesWithTrivy).
var referenceApp = stacktest.Memo(func(t testing.TB) *stacktest.App {
	app := stacktest.SynthApp(t, definePlatform)
	stacktest.PlanInBackground(append(app.All(), unusualBackends(t))...)
	stacktest.ScanInBackground(append(app.All(), mixedFixture(t))...)
	return app
})

func TestMain(m *testing.M) {
	if dir := os.Getenv(fastSynthOutEnv); dir != "" {
		os.Exit(fastSynthChild(dir)) // a child of TestFastSynthIsIdentical
	}
	os.Exit(stacktest.Main(m))
}

// wantStacks is every stack the platform must synthesize.
func wantStacks(t testing.TB) []string {
	c := platform(t)
	return c.StackNames()
}

// addProvider adds the AWS provider of testAccount and testRegion (not the
// platform's: the tests that build their own stacks do not depend on
// platform.yaml) to a test stack, with the provider version constraint the
// stacks use.
func addProvider(stack cdktf.TerraformStack) {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(testRegion),
		AllowedAccountIds: jsii.Strings(testAccount),
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
}
