//go:build !unix

package stacktest

// lockPath is a no-op where flock is not available: two test binaries that
// fill an empty cache at the same moment may both install the provider.
func lockPath(string) (func(), error) { return func() {}, nil }
