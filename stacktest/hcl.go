package stacktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
)

// This file converts a synthesized stack (Terraform JSON syntax, as written
// by cdktf) into the equivalent Terraform native syntax (HCL), for security
// scanners.
//
// Why not `cdktf synth --hcl`: it renders some nested values as the
// JavaScript string "[object Object]" — WAFv2 rule statements among them
// (hashicorp/terraform-cdk#3630) — so the HCL it writes is not the stack
// that is deployed, and a scanner would check something else. And why not
// scan the JSON: trivy's Terraform JSON parser treats every nested block of
// a *.tf.json file as an attribute and so misses, for example, the
// versioning_configuration block of aws_s3_bucket_versioning; its HCL
// parser does not.
//
// The conversion is driven by the providers' schemas (`terraform providers
// schema -json`, see ProviderSchemasE), which say at every level of every
// resource and data source whether a key is a nested block or an
// attribute, exactly the way Terraform itself decodes JSON configuration.
// TestToHCLPlansLikeJSON proves that Terraform plans the HCL exactly as it
// plans the JSON.
//
// The output is meant to mean the same to Terraform as the input: strings
// stay Terraform templates ("${...}" interpolations and "%{...}" directives
// are kept as template syntax, so references between resources still
// resolve; literal text is escaped for a quoted string, so JSON policy
// documents come out byte-identical when evaluated); meta-arguments
// (depends_on, provider, lifecycle ignore_changes) become traversals;
// lifecycle, provisioner, connection and dynamic become blocks.

// ToHCL converts the cdk.tf.json text of one stack into one HCL file, using
// schema to tell nested blocks from attributes. Every resource and data
// source type in the stack must be in schema. The "//" metadata keys are
// dropped. The output is deterministic (keys sorted, block order kept).
func ToHCL(stackJSON []byte, schema *tfjson.ProviderSchemas) ([]byte, error) {
	files, err := ToHCLFiles(stackJSON, schema)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out bytes.Buffer
	for _, n := range names {
		if out.Len() > 0 {
			out.WriteString("\n")
		}
		out.Write(files[n])
	}
	return out.Bytes(), nil
}

// StackFileName is the name of the file of ToHCLFiles that holds the
// terraform, provider, variable, locals, output, module, moved and import
// blocks.
const StackFileName = "stack.tf"

// ToHCLFiles is ToHCL split into one file per resource and data source,
// named after the construct path from the "//" metadata without the stack
// name, with "/" replaced by "." (resource "bootstrap/state/log_bucket" goes
// to "state.log_bucket.tf"; a data source gets a "data." prefix), or after
// its address when it has no metadata. Everything else goes to
// StackFileName. Scanners report findings per file, which Scan maps back
// to the resource's address and construct path.
func ToHCLFiles(stackJSON []byte, schema *tfjson.ProviderSchemas) (map[string][]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(stackJSON))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("hcl: stack JSON: %w", err)
	}
	c := &converter{schema: schema, doc: doc}
	return c.files()
}

// hclFiles is ToHCLFiles that also returns, per file, the address of the
// resource or data source it holds.
func hclFiles(stackJSON []byte, schema *tfjson.ProviderSchemas) (map[string][]byte, map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(stackJSON))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("hcl: stack JSON: %w", err)
	}
	c := &converter{schema: schema, doc: doc, addresses: map[string]string{}}
	files, err := c.files()
	return files, c.addresses, err
}

type converter struct {
	schema    *tfjson.ProviderSchemas
	doc       map[string]any
	addresses map[string]string // file name -> address, when asked for
}

// fileBuilder collects the blocks of one output file.
type fileBuilder struct {
	f *hclwrite.File
}

func (fb *fileBuilder) body() *hclwrite.Body { return fb.f.Body() }

func (fb *fileBuilder) block(typ string, labels ...string) *hclwrite.Body {
	b := fb.f.Body()
	if len(b.Blocks()) > 0 || len(b.Attributes()) > 0 {
		b.AppendNewline()
	}
	return b.AppendNewBlock(typ, labels).Body()
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

func (c *converter) files() (map[string][]byte, error) {
	files := map[string]*fileBuilder{}
	get := func(name string) *fileBuilder {
		if fb, ok := files[name]; ok {
			return fb
		}
		fb := &fileBuilder{f: hclwrite.NewEmptyFile()}
		files[name] = fb
		return fb
	}
	known := map[string]bool{
		"//": true, "terraform": true, "provider": true, "variable": true, "locals": true,
		"output": true, "module": true, "resource": true, "data": true, "moved": true, "import": true,
	}
	for _, k := range sortedKeys(c.doc) {
		if !known[k] {
			return nil, fmt.Errorf("hcl: unsupported top-level key %q", k)
		}
	}
	stack := get(StackFileName)
	if err := c.terraformBlock(stack); err != nil {
		return nil, err
	}
	if err := c.providers(stack); err != nil {
		return nil, err
	}
	if err := c.variables(stack); err != nil {
		return nil, err
	}
	if err := c.locals(stack); err != nil {
		return nil, err
	}
	for _, kind := range []string{"resource", "data"} {
		byType, err := asObject(c.doc[kind], kind)
		if err != nil {
			return nil, err
		}
		for _, typ := range sortedKeys(byType) {
			named, err := asObject(byType[typ], kind+"."+typ)
			if err != nil {
				return nil, err
			}
			sch := c.lookup(kind, typ)
			if sch == nil || sch.Block == nil {
				return nil, fmt.Errorf("hcl: no provider schema for %s type %q (is its provider in required_providers?)", kind, typ)
			}
			for _, name := range sortedKeys(named) {
				body, err := asObject(named[name], kind+"."+typ+"."+name)
				if err != nil {
					return nil, err
				}
				fname := fileNameFor(kind, typ, name, body)
				if _, dup := files[fname]; dup {
					fname = strings.TrimSuffix(fname, ".tf") + "." + typ + "." + name + ".tf"
				}
				fb := get(fname)
				if c.addresses != nil {
					addr := typ + "." + name
					if kind == "data" {
						addr = "data." + addr
					}
					c.addresses[fname] = addr
				}
				if err := c.resourceBody(fb.block(kind, typ, name), body, sch.Block, kind+"."+typ+"."+name); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := c.modules(stack); err != nil {
		return nil, err
	}
	if err := c.outputs(stack); err != nil {
		return nil, err
	}
	if err := c.movedImport(stack); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for name, fb := range files {
		if name == StackFileName && len(fb.body().Blocks()) == 0 {
			continue
		}
		src := hclwrite.Format(fb.f.Bytes())
		// Never hand a scanner a file it cannot parse: it might skip it.
		if _, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("hcl: generated %s does not parse: %s\n%s", name, diags.Error(), src)
		}
		out[name] = src
	}
	return out, nil
}

func fileNameFor(kind, typ, name string, body map[string]any) string {
	p := ""
	if meta, ok := body["//"].(map[string]any); ok {
		if m, ok := meta["metadata"].(map[string]any); ok {
			p, _ = m["path"].(string)
		}
	}
	var base string
	if p != "" {
		parts := strings.Split(p, "/")
		if len(parts) > 1 {
			parts = parts[1:] // the stack name is the directory
		}
		base = strings.Join(parts, ".")
	} else {
		base = typ + "." + name
	}
	if kind == "data" {
		base = "data." + base
	}
	return unsafeFileChars.ReplaceAllString(base, "_") + ".tf"
}

// lookup finds the schema of a resource or data source type, preferring the
// provider whose local name is the type's prefix.
func (c *converter) lookup(kind, typ string) *tfjson.Schema {
	if c.schema == nil {
		return nil
	}
	prefix, _, _ := strings.Cut(typ, "_")
	var addrs []string
	for a := range c.schema.Schemas {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool {
		pi, pj := path.Base(addrs[i]) == prefix, path.Base(addrs[j]) == prefix
		if pi != pj {
			return pi
		}
		return addrs[i] < addrs[j]
	})
	for _, a := range addrs {
		ps := c.schema.Schemas[a]
		if ps == nil {
			continue
		}
		m := ps.ResourceSchemas
		if kind == "data" {
			m = ps.DataSourceSchemas
		}
		if s, ok := m[typ]; ok {
			return s
		}
	}
	return nil
}

// providerSchema finds the provider config schema of a provider local name
// through terraform.required_providers (default hashicorp/<name>).
func (c *converter) providerSchema(name string) *tfjson.Schema {
	if c.schema == nil {
		return nil
	}
	source := "hashicorp/" + name
	if tf, ok := c.doc["terraform"].(map[string]any); ok {
		if rp, ok := tf["required_providers"].(map[string]any); ok {
			if p, ok := rp[name].(map[string]any); ok {
				if s, ok := p["source"].(string); ok && s != "" {
					source = s
				}
			}
		}
	}
	switch strings.Count(source, "/") {
	case 0:
		source = "registry.terraform.io/hashicorp/" + source
	case 1:
		source = "registry.terraform.io/" + source
	}
	for a, ps := range c.schema.Schemas {
		if strings.EqualFold(a, source) && ps != nil {
			return ps.ConfigSchema
		}
	}
	return nil
}

// resourceBody writes a resource or data source body: meta-arguments, then
// the schema's attributes, then its nested blocks.
func (c *converter) resourceBody(b *hclwrite.Body, obj map[string]any, sch *tfjson.SchemaBlock, where string) error {
	meta := map[string]any{}
	rest := map[string]any{}
	for k, v := range obj {
		switch k {
		case "//":
		case "count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection":
			if _, isAttr := sch.Attributes[k]; isAttr {
				rest[k] = v
			} else if _, isBlock := sch.NestedBlocks[k]; isBlock {
				rest[k] = v
			} else {
				meta[k] = v
			}
		default:
			rest[k] = v
		}
	}
	for _, k := range []string{"count", "for_each"} {
		if v, ok := meta[k]; ok {
			toks, err := exprTokens(v)
			if err != nil {
				return fmt.Errorf("hcl: %s.%s: %w", where, k, err)
			}
			b.SetAttributeRaw(k, toks)
		}
	}
	if v, ok := meta["provider"]; ok {
		toks, err := traversalTokens(v)
		if err != nil {
			return fmt.Errorf("hcl: %s.provider: %w", where, err)
		}
		b.SetAttributeRaw("provider", toks)
	}
	if v, ok := meta["depends_on"]; ok {
		toks, err := traversalListTokens(v)
		if err != nil {
			return fmt.Errorf("hcl: %s.depends_on: %w", where, err)
		}
		b.SetAttributeRaw("depends_on", toks)
	}
	if err := c.schemaBody(b, rest, sch, where); err != nil {
		return err
	}
	if v, ok := meta["lifecycle"]; ok {
		if err := lifecycleBlock(b, v, where); err != nil {
			return err
		}
	}
	if v, ok := meta["connection"]; ok {
		if err := genericBlocks(b, "connection", v, where); err != nil {
			return err
		}
	}
	if v, ok := meta["provisioner"]; ok {
		if err := provisionerBlocks(b, v, where); err != nil {
			return err
		}
	}
	return nil
}

// schemaBody writes the attributes and nested blocks of obj as sch says.
// Keys the schema does not know are written as attributes (Terraform would
// reject them; the scanner then sees what Terraform would have been given).
func (c *converter) schemaBody(b *hclwrite.Body, obj map[string]any, sch *tfjson.SchemaBlock, where string) error {
	var blockKeys []string
	for _, k := range sortedKeys(obj) {
		if k == "//" {
			continue
		}
		if k == "dynamic" {
			if _, isAttr := sch.Attributes[k]; !isAttr {
				blockKeys = append(blockKeys, k)
				continue
			}
		}
		if _, isBlock := sch.NestedBlocks[k]; isBlock {
			blockKeys = append(blockKeys, k)
			continue
		}
		toks, err := exprTokens(obj[k])
		if err != nil {
			return fmt.Errorf("hcl: %s.%s: %w", where, k, err)
		}
		b.SetAttributeRaw(k, toks)
	}
	for _, k := range blockKeys {
		if k == "dynamic" {
			if err := c.dynamicBlocks(b, obj[k], sch, where); err != nil {
				return err
			}
			continue
		}
		if err := c.nestedBlocks(b, k, obj[k], sch.NestedBlocks[k], where+"."+k); err != nil {
			return err
		}
	}
	return nil
}

// nestedBlocks writes the blocks of one nested block type. JSON gives them
// as an array of objects (one block each), a single object (one block), or,
// for nesting mode "map", an object of label -> body.
func (c *converter) nestedBlocks(b *hclwrite.Body, name string, v any, bt *tfjson.SchemaBlockType, where string) error {
	if v == nil {
		return nil
	}
	inner := bt.Block
	if inner == nil {
		inner = &tfjson.SchemaBlock{}
	}
	if bt.NestingMode == tfjson.SchemaNestingModeMap {
		labelled, err := asObject(v, where)
		if err != nil {
			return err
		}
		for _, label := range sortedKeys(labelled) {
			items := []any{labelled[label]}
			if arr, ok := labelled[label].([]any); ok {
				items = arr
			}
			for i, item := range items {
				body, err := asObject(item, fmt.Sprintf("%s[%q][%d]", where, label, i))
				if err != nil {
					return err
				}
				if err := c.schemaBody(b.AppendNewBlock(name, []string{label}).Body(), body, inner, where); err != nil {
					return err
				}
			}
		}
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for i, item := range items {
		if item == nil {
			continue
		}
		body, ok := item.(map[string]any)
		if !ok {
			return fmt.Errorf("hcl: %s[%d]: nested block %q must be an object, got %T %v (an expression cannot stand for a block; use a dynamic block)", where, i, name, item, item)
		}
		if err := c.schemaBody(b.AppendNewBlock(name, nil).Body(), body, inner, fmt.Sprintf("%s[%d]", where, i)); err != nil {
			return err
		}
	}
	return nil
}

// dynamicBlocks writes `dynamic "name" { for_each, iterator, labels,
// content {...} }` blocks; content follows the schema of block "name".
func (c *converter) dynamicBlocks(b *hclwrite.Body, v any, sch *tfjson.SchemaBlock, where string) error {
	byName, err := asObject(v, where+".dynamic")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(byName) {
		bt, ok := sch.NestedBlocks[name]
		if !ok {
			return fmt.Errorf("hcl: %s: dynamic block %q is not a nested block type of this schema", where, name)
		}
		items := []any{byName[name]}
		if arr, ok := byName[name].([]any); ok {
			items = arr
		}
		for i, item := range items {
			w := fmt.Sprintf("%s.dynamic.%s[%d]", where, name, i)
			dyn, err := asObject(item, w)
			if err != nil {
				return err
			}
			db := b.AppendNewBlock("dynamic", []string{name}).Body()
			for _, k := range sortedKeys(dyn) {
				switch k {
				case "for_each", "labels":
					toks, err := exprTokens(dyn[k])
					if err != nil {
						return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
					}
					db.SetAttributeRaw(k, toks)
				case "iterator":
					toks, err := traversalTokens(dyn[k])
					if err != nil {
						return fmt.Errorf("hcl: %s.iterator: %w", w, err)
					}
					db.SetAttributeRaw(k, toks)
				case "content":
				default:
					return fmt.Errorf("hcl: %s: unsupported key %q in a dynamic block", w, k)
				}
			}
			content, err := asObject(dyn["content"], w+".content")
			if err != nil {
				return err
			}
			inner := bt.Block
			if inner == nil {
				inner = &tfjson.SchemaBlock{}
			}
			if err := c.schemaBody(db.AppendNewBlock("content", nil).Body(), content, inner, w+".content"); err != nil {
				return err
			}
		}
	}
	return nil
}

// lifecycleBlock writes the lifecycle meta-argument block.
func lifecycleBlock(b *hclwrite.Body, v any, where string) error {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for _, item := range items {
		lc, err := asObject(item, where+".lifecycle")
		if err != nil {
			return err
		}
		lb := b.AppendNewBlock("lifecycle", nil).Body()
		for _, k := range sortedKeys(lc) {
			var toks hclwrite.Tokens
			var err error
			switch k {
			case "create_before_destroy", "prevent_destroy":
				toks, err = exprTokens(lc[k])
			case "ignore_changes":
				if s, ok := lc[k].(string); ok && strings.TrimSpace(s) == "all" {
					toks = hclwrite.TokensForIdentifier("all")
				} else {
					toks, err = traversalListTokens(lc[k])
				}
			case "replace_triggered_by":
				toks, err = bareExprListTokens(lc[k])
			case "precondition", "postcondition":
				continue
			default:
				return fmt.Errorf("hcl: %s.lifecycle: unsupported key %q", where, k)
			}
			if err != nil {
				return fmt.Errorf("hcl: %s.lifecycle.%s: %w", where, k, err)
			}
			lb.SetAttributeRaw(k, toks)
		}
		for _, k := range []string{"precondition", "postcondition"} {
			if err := conditionBlocks(lb, k, lc[k], where+".lifecycle"); err != nil {
				return err
			}
		}
	}
	return nil
}

// conditionBlocks writes precondition/postcondition/validation blocks:
// condition is an expression, error_message a template.
func conditionBlocks(b *hclwrite.Body, name string, v any, where string) error {
	if v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for i, item := range items {
		w := fmt.Sprintf("%s.%s[%d]", where, name, i)
		obj, err := asObject(item, w)
		if err != nil {
			return err
		}
		cb := b.AppendNewBlock(name, nil).Body()
		for _, k := range sortedKeys(obj) {
			var toks hclwrite.Tokens
			if k == "condition" {
				toks, err = bareExprTokens(obj[k])
			} else {
				toks, err = exprTokens(obj[k])
			}
			if err != nil {
				return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
			}
			cb.SetAttributeRaw(k, toks)
		}
	}
	return nil
}

// genericBlocks writes blocks whose contents have no schema here: every key
// is an attribute.
func genericBlocks(b *hclwrite.Body, name string, v any, where string) error {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for i, item := range items {
		obj, err := asObject(item, fmt.Sprintf("%s.%s[%d]", where, name, i))
		if err != nil {
			return err
		}
		if err := genericBody(b.AppendNewBlock(name, nil).Body(), obj, where+"."+name); err != nil {
			return err
		}
	}
	return nil
}

func genericBody(b *hclwrite.Body, obj map[string]any, where string) error {
	for _, k := range sortedKeys(obj) {
		if k == "//" {
			continue
		}
		toks, err := exprTokens(obj[k])
		if err != nil {
			return fmt.Errorf("hcl: %s.%s: %w", where, k, err)
		}
		b.SetAttributeRaw(k, toks)
	}
	return nil
}

// provisionerBlocks writes provisioner "type" {...} blocks (JSON: an array
// of {"type": {...}} objects).
func provisionerBlocks(b *hclwrite.Body, v any, where string) error {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	for i, item := range items {
		w := fmt.Sprintf("%s.provisioner[%d]", where, i)
		byType, err := asObject(item, w)
		if err != nil {
			return err
		}
		for _, typ := range sortedKeys(byType) {
			body, err := asObject(byType[typ], w+"."+typ)
			if err != nil {
				return err
			}
			pb := b.AppendNewBlock("provisioner", []string{typ}).Body()
			rest := map[string]any{}
			for k, val := range body {
				if k != "connection" {
					rest[k] = val
				}
			}
			if err := genericBody(pb, rest, w+"."+typ); err != nil {
				return err
			}
			if conn, ok := body["connection"]; ok {
				if err := genericBlocks(pb, "connection", conn, w+"."+typ); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// terraformBlock writes the terraform block: required_version and other
// settings as attributes, required_providers entries as objects, backend
// and cloud as labelled/unlabelled blocks with attribute bodies.
func (c *converter) terraformBlock(fb *fileBuilder) error {
	tf, err := asObject(c.doc["terraform"], "terraform")
	if err != nil || len(tf) == 0 {
		return err
	}
	b := fb.block("terraform")
	for _, k := range sortedKeys(tf) {
		switch k {
		case "backend", "required_providers", "cloud":
			continue
		}
		toks, err := exprTokens(tf[k])
		if err != nil {
			return fmt.Errorf("hcl: terraform.%s: %w", k, err)
		}
		b.SetAttributeRaw(k, toks)
	}
	if rp, ok := tf["required_providers"]; ok {
		items, ok := rp.([]any)
		if !ok {
			items = []any{rp}
		}
		for _, item := range items {
			obj, err := asObject(item, "terraform.required_providers")
			if err != nil {
				return err
			}
			if err := genericBody(b.AppendNewBlock("required_providers", nil).Body(), obj, "terraform.required_providers"); err != nil {
				return err
			}
		}
	}
	if be, ok := tf["backend"]; ok {
		byType, err := asObject(be, "terraform.backend")
		if err != nil {
			return err
		}
		for _, typ := range sortedKeys(byType) {
			body, err := asObject(byType[typ], "terraform.backend."+typ)
			if err != nil {
				return err
			}
			if err := genericBody(b.AppendNewBlock("backend", []string{typ}).Body(), body, "terraform.backend."+typ); err != nil {
				return err
			}
		}
	}
	if cl, ok := tf["cloud"]; ok {
		if err := genericBlocks(b, "cloud", cl, "terraform"); err != nil {
			return err
		}
	}
	return nil
}

// providers writes provider blocks (cdktf: "provider": {"aws": [ {...} ]}).
func (c *converter) providers(fb *fileBuilder) error {
	byName, err := asObject(c.doc["provider"], "provider")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(byName) {
		items, ok := byName[name].([]any)
		if !ok {
			items = []any{byName[name]}
		}
		sch := c.providerSchema(name)
		for i, item := range items {
			w := fmt.Sprintf("provider.%s[%d]", name, i)
			obj, err := asObject(item, w)
			if err != nil {
				return err
			}
			b := fb.block("provider", name)
			if alias, ok := obj["alias"]; ok {
				toks, err := exprTokens(alias)
				if err != nil {
					return fmt.Errorf("hcl: %s.alias: %w", w, err)
				}
				b.SetAttributeRaw("alias", toks)
			}
			rest := map[string]any{}
			for k, v := range obj {
				if k != "alias" {
					rest[k] = v
				}
			}
			if sch != nil && sch.Block != nil {
				err = c.schemaBody(b, rest, sch.Block, w)
			} else {
				err = genericBody(b, rest, w)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// variables writes variable blocks; type is a type expression, default a
// literal value (Terraform does not evaluate templates there).
func (c *converter) variables(fb *fileBuilder) error {
	byName, err := asObject(c.doc["variable"], "variable")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(byName) {
		w := "variable." + name
		obj, err := asObject(byName[name], w)
		if err != nil {
			return err
		}
		b := fb.block("variable", name)
		for _, k := range sortedKeys(obj) {
			var toks hclwrite.Tokens
			switch k {
			case "//", "validation":
				continue
			case "type":
				toks, err = bareExprTokens(obj[k])
			case "default":
				var val cty.Value
				val, err = literalValue(obj[k])
				if err == nil {
					toks = hclwrite.TokensForValue(val)
				}
			default:
				toks, err = exprTokens(obj[k])
			}
			if err != nil {
				return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
			}
			b.SetAttributeRaw(k, toks)
		}
		if err := conditionBlocks(b, "validation", obj["validation"], w); err != nil {
			return err
		}
	}
	return nil
}

func (c *converter) locals(fb *fileBuilder) error {
	items, ok := c.doc["locals"].([]any)
	if !ok && c.doc["locals"] != nil {
		items = []any{c.doc["locals"]}
	}
	for _, item := range items {
		obj, err := asObject(item, "locals")
		if err != nil {
			return err
		}
		if len(obj) == 0 {
			continue
		}
		if err := genericBody(fb.block("locals"), obj, "locals"); err != nil {
			return err
		}
	}
	return nil
}

func (c *converter) outputs(fb *fileBuilder) error {
	byName, err := asObject(c.doc["output"], "output")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(byName) {
		w := "output." + name
		obj, err := asObject(byName[name], w)
		if err != nil {
			return err
		}
		b := fb.block("output", name)
		for _, k := range sortedKeys(obj) {
			var toks hclwrite.Tokens
			switch k {
			case "//", "precondition":
				continue
			case "depends_on":
				toks, err = traversalListTokens(obj[k])
			default:
				toks, err = exprTokens(obj[k])
			}
			if err != nil {
				return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
			}
			b.SetAttributeRaw(k, toks)
		}
		if err := conditionBlocks(b, "precondition", obj["precondition"], w); err != nil {
			return err
		}
	}
	return nil
}

func (c *converter) modules(fb *fileBuilder) error {
	byName, err := asObject(c.doc["module"], "module")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(byName) {
		w := "module." + name
		obj, err := asObject(byName[name], w)
		if err != nil {
			return err
		}
		b := fb.block("module", name)
		for _, k := range sortedKeys(obj) {
			var toks hclwrite.Tokens
			switch k {
			case "//":
				continue
			case "depends_on":
				toks, err = traversalListTokens(obj[k])
			case "providers":
				toks, err = providersMapTokens(obj[k])
			default:
				toks, err = exprTokens(obj[k])
			}
			if err != nil {
				return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
			}
			b.SetAttributeRaw(k, toks)
		}
	}
	return nil
}

// movedImport writes moved {from, to} and import {to, id, provider} blocks.
func (c *converter) movedImport(fb *fileBuilder) error {
	for _, kind := range []string{"moved", "import"} {
		v, ok := c.doc[kind]
		if !ok {
			continue
		}
		items, ok := v.([]any)
		if !ok {
			items = []any{v}
		}
		for i, item := range items {
			w := fmt.Sprintf("%s[%d]", kind, i)
			obj, err := asObject(item, w)
			if err != nil {
				return err
			}
			b := fb.block(kind)
			for _, k := range sortedKeys(obj) {
				var toks hclwrite.Tokens
				switch k {
				case "from", "to", "provider":
					toks, err = traversalTokens(obj[k])
				default:
					toks, err = exprTokens(obj[k])
				}
				if err != nil {
					return fmt.Errorf("hcl: %s.%s: %w", w, k, err)
				}
				b.SetAttributeRaw(k, toks)
			}
		}
	}
	return nil
}

// exprTokens converts a JSON value in expression context: strings are
// templates, arrays tuples, objects objects (keys are templates too),
// numbers, bools and null literals.
func exprTokens(v any) (hclwrite.Tokens, error) {
	switch x := v.(type) {
	case nil:
		return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(x)), nil
	case json.Number:
		n, err := cty.ParseNumberVal(x.String())
		if err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(n), nil
	case float64:
		return hclwrite.TokensForValue(cty.NumberFloatVal(x)), nil
	case string:
		return templateTokens(x)
	case []any:
		elems := make([]hclwrite.Tokens, 0, len(x))
		for i, e := range x {
			t, err := exprTokens(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			elems = append(elems, t)
		}
		return hclwrite.TokensForTuple(elems), nil
	case map[string]any:
		attrs := make([]hclwrite.ObjectAttrTokens, 0, len(x))
		for _, k := range sortedKeys(x) {
			kt, err := templateTokens(k)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			vt, err := exprTokens(x[k])
			if err != nil {
				return nil, fmt.Errorf("%q: %w", k, err)
			}
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: kt, Value: vt})
		}
		return hclwrite.TokensForObject(attrs), nil
	default:
		return nil, fmt.Errorf("unsupported JSON value %T", v)
	}
}

// templateTokens turns the source of a Terraform template (a JSON string:
// literal text, "${expr}" interpolations, "%{...}" directives, "$${" and
// "%%{" escapes) into a quoted template with the same meaning: literal parts
// are escaped for a quoted string, the rest is copied as native syntax.
func templateTokens(src string) (hclwrite.Tokens, error) {
	if _, diags := hclsyntax.ParseTemplate([]byte(src), "value", hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("invalid template %q: %s", src, diags.Error())
	}
	lexed, diags := hclsyntax.LexTemplate([]byte(src), "value", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("invalid template %q: %s", src, diags.Error())
	}
	var buf bytes.Buffer
	buf.WriteByte('"')
	depth := 0
	pos := 0
	for _, tok := range lexed {
		// Whitespace between tokens (only inside interpolations and
		// directives) is not part of any token: copy it from the source.
		if gap := src[pos:tok.Range.Start.Byte]; depth > 0 {
			buf.WriteString(gap)
		} else if gap != "" {
			buf.Write(escapeLiteral([]byte(gap)))
		}
		pos = tok.Range.End.Byte
		switch {
		case tok.Type == hclsyntax.TokenEOF:
			continue
		case depth == 0 && tok.Type == hclsyntax.TokenStringLit:
			buf.Write(escapeLiteral(tok.Bytes))
			continue
		case tok.Type == hclsyntax.TokenTemplateInterp || tok.Type == hclsyntax.TokenTemplateControl:
			depth++
		case tok.Type == hclsyntax.TokenTemplateSeqEnd:
			depth--
		case depth == 0:
			return nil, fmt.Errorf("template %q: unexpected %s at top level", src, tok.Type)
		}
		buf.Write(tok.Bytes)
	}
	buf.WriteByte('"')
	// One token: hclwrite writes it verbatim and Format leaves it alone.
	return hclwrite.Tokens{{Type: hclsyntax.TokenQuotedLit, Bytes: buf.Bytes()}}, nil
}

// escapeLiteral escapes literal template text for a quoted string. The
// template escapes "$${" and "%%{" mean the same in both syntaxes and are
// kept as they are.
func escapeLiteral(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		switch r {
		case '\\':
			out.WriteString(`\\`)
		case '"':
			out.WriteString(`\"`)
		case '\n':
			out.WriteString(`\n`)
		case '\r':
			out.WriteString(`\r`)
		case '\t':
			out.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&out, `\u%04X`, r)
			} else {
				out.WriteRune(r)
			}
		}
	}
	return out.Bytes()
}

// bareExpr returns the expression source of a JSON string that Terraform
// reads as an expression rather than a template (depends_on, provider,
// variable type, conditions): "${x}" and "x" both mean x.
func bareExpr(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string expression, got %T %v", v, v)
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 {
		s = strings.TrimSpace(s[2 : len(s)-1])
	}
	return s, nil
}

func bareExprTokens(v any) (hclwrite.Tokens, error) {
	if _, isString := v.(string); !isString {
		return exprTokens(v)
	}
	s, err := bareExpr(v)
	if err != nil {
		return nil, err
	}
	if _, diags := hclsyntax.ParseExpression([]byte(s), "expr", hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("invalid expression %q: %s", s, diags.Error())
	}
	return hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte(s)}}, nil
}

func bareExprListTokens(v any) (hclwrite.Tokens, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	elems := make([]hclwrite.Tokens, 0, len(arr))
	for _, e := range arr {
		t, err := bareExprTokens(e)
		if err != nil {
			return nil, err
		}
		elems = append(elems, t)
	}
	return hclwrite.TokensForTuple(elems), nil
}

func traversalTokens(v any) (hclwrite.Tokens, error) {
	s, err := bareExpr(v)
	if err != nil {
		return nil, err
	}
	trav, diags := hclsyntax.ParseTraversalAbs([]byte(s), "traversal", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("invalid reference %q: %s", s, diags.Error())
	}
	return hclwrite.TokensForTraversal(trav), nil
}

func traversalListTokens(v any) (hclwrite.Tokens, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of references, got %T", v)
	}
	elems := make([]hclwrite.Tokens, 0, len(arr))
	for _, e := range arr {
		t, err := traversalTokens(e)
		if err != nil {
			return nil, err
		}
		elems = append(elems, t)
	}
	return hclwrite.TokensForTuple(elems), nil
}

// providersMapTokens writes a module's providers = { aws = aws.alias }.
func providersMapTokens(v any) (hclwrite.Tokens, error) {
	obj, err := asObject(v, "providers")
	if err != nil {
		return nil, err
	}
	attrs := make([]hclwrite.ObjectAttrTokens, 0, len(obj))
	for _, k := range sortedKeys(obj) {
		kt, err := traversalTokens(k)
		if err != nil {
			return nil, err
		}
		vt, err := traversalTokens(obj[k])
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: kt, Value: vt})
	}
	return hclwrite.TokensForObject(attrs), nil
}

// literalValue converts JSON to a cty value without template evaluation.
func literalValue(v any) (cty.Value, error) {
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), nil
	case bool:
		return cty.BoolVal(x), nil
	case json.Number:
		return cty.ParseNumberVal(x.String())
	case float64:
		return cty.NumberFloatVal(x), nil
	case string:
		return cty.StringVal(x), nil
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal, nil
		}
		vals := make([]cty.Value, 0, len(x))
		for _, e := range x {
			ev, err := literalValue(e)
			if err != nil {
				return cty.NilVal, err
			}
			vals = append(vals, ev)
		}
		return cty.TupleVal(vals), nil
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal, nil
		}
		vals := map[string]cty.Value{}
		for k, e := range x {
			ev, err := literalValue(e)
			if err != nil {
				return cty.NilVal, err
			}
			vals[k] = ev
		}
		return cty.ObjectVal(vals), nil
	default:
		return cty.NilVal, fmt.Errorf("unsupported JSON value %T", v)
	}
}

func asObject(v any, where string) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("hcl: %s: want a JSON object, got %T", where, v)
	}
	return obj, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
