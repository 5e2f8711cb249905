package fastsynth

import (
	"os"
	"path/filepath"
	"strings"
)

// kernelRunning reports whether this process has a running jsii kernel
// child: a child whose command line names the jsii runtime (or JSII_RUNTIME).
// It reads /proc/self/task/*/children; when that is unavailable it reports
// false.
func kernelRunning() bool {
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	custom := os.Getenv("JSII_RUNTIME")
	for _, t := range tasks {
		raw, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, pid := range strings.Fields(string(raw)) {
			cmd, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil {
				continue
			}
			c := strings.ReplaceAll(string(cmd), "\x00", " ")
			if strings.Contains(c, "jsii-runtime") || (custom != "" && strings.Contains(c, custom)) {
				return true
			}
		}
	}
	return false
}
