//go:build !unix

package fastsynth

func checkDir(string) error { return nil }
