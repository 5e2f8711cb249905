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
	"github.com/zclconf/go-cty/cty"
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

// structureSchemas returns the providers' schemas reduced to what ToHCLFiles
// reads (which keys are attributes and which are nested blocks, with their
// nesting), cached on disk next to the full schema: a tenth of its size,
// so a package that scans does not decode 14 MB of hashicorp/aws schema.
func structureSchemas(stacks ...Stack) (*tfjson.ProviderSchemas, error) {
	tf, err := NewTerraformE()
	if err != nil {
		return nil, err
	}
	providers := requiredProviders(stacks...)
	srcs := make([]string, 0, len(providers))
	for s := range providers {
		providers[s] = ""
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var lock []byte
	if len(providers) > 0 {
		if lock, err = tf.lockFile(ctx, providers); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256([]byte("structure\n" + strings.Join(srcs, "\n") + "\n" + string(lock)))
	key := hex.EncodeToString(sum[:])
	schemaMu.Lock()
	if s, ok := schemaCache[key]; ok {
		schemaMu.Unlock()
		return s, nil
	}
	cacheFile := filepath.Join(tf.cacheDir, "provider-schemas", key+".structure-v2.json")
	if raw, err := os.ReadFile(cacheFile); err == nil {
		var c compactSchemas
		if err := json.Unmarshal(raw, &c); err == nil {
			s := c.schemas()
			schemaCache[key] = s
			schemaMu.Unlock()
			return s, nil
		}
	}
	schemaMu.Unlock()
	full, err := ProviderSchemasE(stacks...)
	if err != nil {
		return nil, err
	}
	out := &tfjson.ProviderSchemas{FormatVersion: full.FormatVersion, Schemas: map[string]*tfjson.ProviderSchema{}}
	for addr, ps := range full.Schemas {
		if ps == nil {
			continue
		}
		p := &tfjson.ProviderSchema{
			ConfigSchema:      structureOf(ps.ConfigSchema),
			ResourceSchemas:   map[string]*tfjson.Schema{},
			DataSourceSchemas: map[string]*tfjson.Schema{},
		}
		for typ, sch := range ps.ResourceSchemas {
			p.ResourceSchemas[typ] = structureOf(sch)
		}
		for typ, sch := range ps.DataSourceSchemas {
			p.DataSourceSchemas[typ] = structureOf(sch)
		}
		out.Schemas[addr] = p
	}
	schemaMu.Lock()
	schemaCache[key] = out
	schemaMu.Unlock()
	if raw, err := json.Marshal(compact(out)); err == nil && os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
		tmp := fmt.Sprintf("%s.%d.tmp", cacheFile, os.Getpid())
		if os.WriteFile(tmp, raw, 0o644) == nil {
			_ = os.Rename(tmp, cacheFile)
		}
	}
	return out, nil
}

// compactSchemas is the disk form of structureSchemas: per provider, the
// provider config (C), resources (R) and data sources (D), each a block of
// attribute names (A) and nested blocks (B) with their nesting mode (M).
type compactSchemas map[string]struct {
	C *compactBlock
	R map[string]*compactBlock
	D map[string]*compactBlock
}

type compactBlock struct {
	A []string                 `json:",omitempty"`
	B map[string]*compactBlock `json:",omitempty"`
	M string                   `json:",omitempty"`
}

func compact(s *tfjson.ProviderSchemas) compactSchemas {
	out := compactSchemas{}
	var blk func(b *tfjson.SchemaBlock, mode tfjson.SchemaNestingMode) *compactBlock
	blk = func(b *tfjson.SchemaBlock, mode tfjson.SchemaNestingMode) *compactBlock {
		c := &compactBlock{M: string(mode)}
		if b == nil {
			return c
		}
		for name := range b.Attributes {
			c.A = append(c.A, name)
		}
		sort.Strings(c.A)
		for name, nb := range b.NestedBlocks {
			if c.B == nil {
				c.B = map[string]*compactBlock{}
			}
			c.B[name] = blk(nb.Block, nb.NestingMode)
		}
		return c
	}
	for addr, ps := range s.Schemas {
		e := out[addr]
		if ps.ConfigSchema != nil {
			e.C = blk(ps.ConfigSchema.Block, "")
		}
		e.R, e.D = map[string]*compactBlock{}, map[string]*compactBlock{}
		for typ, sch := range ps.ResourceSchemas {
			e.R[typ] = blk(sch.Block, "")
		}
		for typ, sch := range ps.DataSourceSchemas {
			e.D[typ] = blk(sch.Block, "")
		}
		out[addr] = e
	}
	return out
}

func (c compactSchemas) schemas() *tfjson.ProviderSchemas {
	var blk func(b *compactBlock) *tfjson.SchemaBlock
	blk = func(b *compactBlock) *tfjson.SchemaBlock {
		out := &tfjson.SchemaBlock{}
		if b == nil {
			return out
		}
		if len(b.A) > 0 {
			out.Attributes = make(map[string]*tfjson.SchemaAttribute, len(b.A))
			for _, name := range b.A {
				out.Attributes[name] = &tfjson.SchemaAttribute{AttributeType: cty.DynamicPseudoType, Optional: true}
			}
		}
		if len(b.B) > 0 {
			out.NestedBlocks = make(map[string]*tfjson.SchemaBlockType, len(b.B))
			for name, nb := range b.B {
				out.NestedBlocks[name] = &tfjson.SchemaBlockType{NestingMode: tfjson.SchemaNestingMode(nb.M), Block: blk(nb)}
			}
		}
		return out
	}
	out := &tfjson.ProviderSchemas{FormatVersion: "1.0", Schemas: map[string]*tfjson.ProviderSchema{}}
	for addr, e := range c {
		p := &tfjson.ProviderSchema{ResourceSchemas: map[string]*tfjson.Schema{}, DataSourceSchemas: map[string]*tfjson.Schema{}}
		if e.C != nil {
			p.ConfigSchema = &tfjson.Schema{Block: blk(e.C)}
		}
		for typ, b := range e.R {
			p.ResourceSchemas[typ] = &tfjson.Schema{Block: blk(b)}
		}
		for typ, b := range e.D {
			p.DataSourceSchemas[typ] = &tfjson.Schema{Block: blk(b)}
		}
		out.Schemas[addr] = p
	}
	return out
}

func structureOf(s *tfjson.Schema) *tfjson.Schema {
	if s == nil {
		return nil
	}
	return &tfjson.Schema{Version: s.Version, Block: structureBlock(s.Block)}
}

func structureBlock(b *tfjson.SchemaBlock) *tfjson.SchemaBlock {
	if b == nil {
		return nil
	}
	out := &tfjson.SchemaBlock{}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*tfjson.SchemaAttribute{}
		for name := range b.Attributes {
			out.Attributes[name] = &tfjson.SchemaAttribute{AttributeType: cty.DynamicPseudoType, Optional: true}
		}
	}
	if len(b.NestedBlocks) > 0 {
		out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
		for name, nb := range b.NestedBlocks {
			out.NestedBlocks[name] = &tfjson.SchemaBlockType{NestingMode: nb.NestingMode, Block: structureBlock(nb.Block), MinItems: nb.MinItems, MaxItems: nb.MaxItems}
		}
	}
	return out
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
