package stacks_test

import (
	"os"
	"testing"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestMain runs the tests through stacktest.Main. The kit's init turns fast
// synth on for this test binary, and Main then stops its jsii kernel, which
// removes the runtime that jsii-runtime-go extracted to the temporary
// directory.
func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }
