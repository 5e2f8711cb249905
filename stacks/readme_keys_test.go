package stacks_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

// yamlKeys lists the key paths of a config type (by its yaml tags),
// descending into sections; a keyed list (environments, services) is one
// key, its entries' keys are listed by the caller.
func yamlKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		key := prefix + name
		out = append(out, key)
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && opts != "keyed" {
			out = append(out, yamlKeys(ft, key+".")...)
		}
	}
	return out
}

// TestReadmeDocumentsEveryKey: README "Configuring your environments"
// has a row for every key of the platform.yaml schema.
func TestReadmeDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	text := string(data)
	start := strings.Index(text, "\n## Configuring your environments\n")
	require.Positive(t, start, "the section")
	end := strings.Index(text[start+1:], "\n## ")
	require.Positive(t, end)
	section := text[start : start+1+end]

	keys := yamlKeys(reflect.TypeOf(stacks.PlatformConfig{}), "")
	keys = append(keys, yamlKeys(reflect.TypeOf(stacks.EnvironmentConfig{}), "")...)
	for _, k := range keys {
		if k == "vpc" || k == "service" || k == "waf" || k == "monitoring" || k == "state" {
			continue // sections: their keys have rows
		}
		assert.Contains(t, section, "| `"+k+"` |", "a row for key %s", k)
	}
	assert.Contains(t, section, "| `services.<name>.…` |", "a row for the keys of services")
}
