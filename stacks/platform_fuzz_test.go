package stacks_test

import (
	"errors"
	"testing"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

// FuzzParsePlatformConfig: any input gives a config or a *ConfigError,
// never a panic. The seeds are the composition config and pieces of it.
func FuzzParsePlatformConfig(f *testing.F) {
	f.Add([]byte(composedPlatform))
	f.Add([]byte(examplePlatform))
	f.Add([]byte("environments:\n  x:\n    vpc:\n      existing: 3\n    services:\n      a: [1]\n"))
	f.Add([]byte("tags: {a: {b: c}}\nenvironments: {e: {services: {s: {priority: 99999999999, hosts: x}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := stacks.ParsePlatformConfig("fuzz.yaml", data)
		if err != nil {
			var ce *stacks.ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("not a *ConfigError with problems: %v", err)
			}
			return
		}
		if cfg == nil {
			t.Fatal("nil config without error")
		}
		for _, e := range cfg.Environments {
			if _, ok := cfg.WebAppStackConfig(e.Name); !ok {
				t.Fatalf("no web-app config for %s", e.Name)
			}
		}
	})
}
