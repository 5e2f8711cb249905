//go:build unix

package fastsynth

import (
	"fmt"
	"os"
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
