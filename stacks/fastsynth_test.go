package stacks_test

// The kit's init enables fast synth for this test binary (its tests build
// apps with cdktf.NewApp), as for every other package's tests, and silences
// Node 20's end-of-life banner.
import _ "github.com/hardened-iac/cdktf-aws/stacktest"
