package registry_test

import (
	"os"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
)

// This test binary synthesizes with fast synth, like main.go and stacktest.
func init() {
	// Node 20 prints an end-of-life banner on every jsii start.
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	}
	fastsynth.Enable()
}
