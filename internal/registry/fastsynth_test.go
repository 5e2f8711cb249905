package registry_test

// The kit's init enables fast synth for this test binary (its tests build
// stacks with cdktf.NewApp), as for every other package's tests.
import _ "github.com/hardened-iac/cdktf-aws/stacktest"
