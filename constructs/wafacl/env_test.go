package wafacl_test

import (
	"os"
	"testing"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestMain prints the kit's summary (plans, scans, and any check skipped
// for a missing tool) and removes its scratch directories.
func TestMain(m *testing.M) { os.Exit(stacktest.Main(m)) }
