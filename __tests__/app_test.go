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
	"sync"
	"testing"

	"github.com/hardened-iac/cdktf-aws/internal/harness"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

var (
	refOnce sync.Once
	refApp  *harness.App
	refErr  error
	refDir  string
)

// referenceApp synthesizes the reference app (stacks.NewReferenceApp, the
// same call main.go makes) once per test binary.
func referenceApp(t testing.TB) *harness.App {
	t.Helper()
	refOnce.Do(func() {
		refDir, refErr = os.MkdirTemp("", "reference-app-")
		if refErr == nil {
			refApp, refErr = harness.SynthAppTo(refDir, stacks.NewReferenceApp)
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

// wantStacks is every stack the reference app must synthesize.
func wantStacks() []string {
	names := []string{stacks.BootstrapStackName}
	for _, env := range stacks.ReferenceEnvironments {
		names = append(names, stacks.WebAppStackName(env))
	}
	return names
}
