package fastsynth

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKernelRunning checks the detection Enable uses to leave a running
// kernel alone: a child process whose command line names the jsii runtime.
func TestKernelRunning(t *testing.T) {
	assert.False(t, kernelRunning(), "this test binary has no jsii kernel")
	// Its arguments name the runtime's entrypoint, as the real kernel's do.
	child := exec.Command(nodePath(t), "-e", "setTimeout(() => {}, 30000)", "/tmp/jsii-runtime.123/bin/jsii-runtime.js")
	require.NoError(t, child.Start())
	assert.True(t, kernelRunning(), "a child running the jsii runtime must be detected")
	require.NoError(t, child.Process.Kill())
	_ = child.Wait()
	assert.False(t, kernelRunning(), "an exited kernel is no longer running")
}
