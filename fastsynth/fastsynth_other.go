//go:build !unix

package fastsynth

func checkDir(string) error { return nil }

// setupLauncher does nothing: the kernel launcher is a POSIX shell script.
func setupLauncher(string, string) (bool, error) { return false, nil }
