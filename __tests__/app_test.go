// Package tests holds the integration tests of the reference app: golden
// snapshots of every stack, deterministic synthesis, terraform validate and
// plan of every stack, and the state backend's tests. Go skips directories
// starting with '_' in ./..., so run it by name:
//
//	go test ./... ./__tests__
package tests

import (
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/internal/harness"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

var (
	cfgOnce sync.Once
	cfg     *stacks.PlatformConfig
	cfgErr  error
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
func loadPlatform() (*stacks.PlatformConfig, error) {
	cfgOnce.Do(func() { cfg, cfgErr = stacks.LoadPlatformConfig(configFile()) })
	return cfg, cfgErr
}

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

var (
	refOnce sync.Once
	refApp  *harness.App
	refErr  error
	refDir  string
)

// referenceApp synthesizes the platform (definePlatform, the same calls
// main.go makes) once per test binary.
func referenceApp(t testing.TB) *harness.App {
	t.Helper()
	refOnce.Do(func() {
		refDir, refErr = os.MkdirTemp("", "reference-app-")
		if refErr == nil {
			refApp, refErr = harness.SynthAppTo(refDir, definePlatform)
		}
	})
	if refErr != nil {
		t.Fatalf("reference app: %v", refErr)
	}
	return refApp
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if refDir != "" {
		os.RemoveAll(refDir)
	}
	os.Exit(code)
}

// wantStacks is every stack the platform must synthesize.
func wantStacks(t testing.TB) []string {
	c := platform(t)
	return c.StackNames()
}
