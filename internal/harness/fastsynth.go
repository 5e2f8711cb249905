package harness

import "github.com/hardened-iac/cdktf-aws/fastsynth"

// Every test binary that uses the harness synthesizes with fast synth (the
// AWS provider's modules load lazily; identical output). init runs before
// any test creates a construct. HARDENED_CDKTF_FASTSYNTH=off switches it off.
func init() { fastsynth.Enable() }
