package statebackend_test

import "github.com/hardened-iac/cdktf-aws/fastsynth"

// This test binary synthesizes with fast synth, like main.go and stacktest.
func init() { fastsynth.Enable() }
