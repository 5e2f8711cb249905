package stacktest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*tfjson.ProviderSchemas{}
)

// ProviderSchemasE returns the schemas of every provider the stacks require
// (the sources of their terraform.required_providers, newest version), as `terraform providers schema
// -json` gives them. The schema is cached per test binary and on disk in
// CacheDir, keyed by the dependency lock file (the exact provider builds),
// so `terraform providers schema` (a provider start and some 15 s for
// hashicorp/aws) runs once per machine and provider version.
func ProviderSchemasE(stacks ...Stack) (*tfjson.ProviderSchemas, error) {
	tf, err := NewTerraformE()
	if err != nil {
		return nil, err
	}
	// Only the sources: the schema only has to tell blocks from attributes,
	// and a stack's exact version pin (cdktf's default) may not be
	// installable offline.
	providers := requiredProviders(stacks...)
	for src := range providers {
		providers[src] = ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var lock []byte
	if len(providers) > 0 {
		if lock, err = tf.lockFile(ctx, providers); err != nil {
			return nil, err
		}
	}
	srcs := make([]string, 0, len(providers))
	for s := range providers {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	sum := sha256.Sum256([]byte(strings.Join(srcs, "\n") + "\n" + string(lock)))
	key := hex.EncodeToString(sum[:])

	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[key]; ok {
		return s, nil
	}
	cacheFile := filepath.Join(tf.cacheDir, "provider-schemas", key+".json")
	if raw, err := os.ReadFile(cacheFile); err == nil {
		var s tfjson.ProviderSchemas
		if err := json.Unmarshal(raw, &s); err == nil {
			schemaCache[key] = &s
			return &s, nil
		}
	}
	dir, err := tf.TempDir("schema-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	required := map[string]any{}
	for i, s := range srcs {
		req := map[string]any{"source": s}
		if providers[s] != "" {
			req["version"] = providers[s]
		}
		required[fmt.Sprintf("p%d", i)] = req
	}
	doc := mustJSON(map[string]any{"terraform": map[string]any{"required_providers": required}})
	w, err := tf.NewWorkdir(dir, map[string][]byte{"main.tf.json": doc})
	if err != nil {
		return nil, err
	}
	w.providers = providers
	if _, err := w.InitE(ctx); err != nil {
		return nil, err
	}
	s, err := w.TF.ProvidersSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform providers schema: %w", err)
	}
	schemaCache[key] = s
	if raw, err := json.Marshal(s); err == nil && os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
		tmp := fmt.Sprintf("%s.%d.tmp", cacheFile, os.Getpid())
		if os.WriteFile(tmp, raw, 0o644) == nil {
			_ = os.Rename(tmp, cacheFile)
		}
	}
	return s, nil
}

// ProviderSchemas is ProviderSchemasE that skips the test when terraform or
// the provider is missing (fails it under CI=true) and fails it on any other
// error.
func ProviderSchemas(t testing.TB, stacks ...Stack) *tfjson.ProviderSchemas {
	t.Helper()
	NewTerraform(t)
	s, err := ProviderSchemasE(stacks...)
	if err != nil {
		if isInstallError(err) {
			SkipOrFail(t, "provider", err.Error())
		}
		t.Fatal(err)
	}
	return s
}
