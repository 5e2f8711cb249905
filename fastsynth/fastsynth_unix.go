//go:build unix

package fastsynth

import (
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"
)

// checkDir refuses a cache directory that another user could have planted
// or could write to: Node would run whatever script it found there.
func checkDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("cache dir: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cache dir %s is not a directory", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("cache dir %s is owned by uid %d, not by this user", dir, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("cache dir %s is writable by other users (mode %v)", dir, fi.Mode().Perm())
	}
	return nil
}

//go:embed kernel.sh
var launcherTemplate string

// launcherScript is the launcher for the preload script at preloadPath.
func launcherScript(preloadPath string) []byte {
	quoted := "'" + strings.ReplaceAll(preloadPath, "'", `'\''`) + "'"
	return []byte(strings.Replace(launcherTemplate, "@PRELOAD@", quoted, 1))
}

var launcherName = regexp.MustCompile(`[\\/]hardened-cdktf[\\/]fastsynth[\\/]kernel-[0-9a-f]{16}\.sh$`)

// setupLauncher writes the kernel launcher (kernel.sh) next to the preload
// script and points JSII_NODE at it, so that the kernel runs as one Node
// process. It leaves everything alone when JSII_RUNTIME is set (jsii then
// ignores JSII_NODE) or when the skip list names "direct". A JSII_NODE of the
// user's becomes the node the launcher runs. It reports whether it changed
// the environment.
func setupLauncher(dir, preloadPath string) (bool, error) {
	if os.Getenv("JSII_RUNTIME") != "" || skipped("direct") {
		return false, nil
	}
	script := launcherScript(preloadPath)
	path, err := writeFile(dir, contentName("kernel-", script, ".sh"), script, 0o700)
	if err != nil {
		return false, err
	}
	current := os.Getenv("JSII_NODE")
	if current == path {
		return false, nil
	}
	if current != "" && !launcherName.MatchString(current) {
		// The user's node (a launcher of another version keeps its node).
		if err := os.Setenv(NodeEnvVar, current); err != nil {
			return false, err
		}
	}
	return true, os.Setenv("JSII_NODE", path)
}
