package stacktest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// testSchema is a small slice of the hashicorp/aws schema, shaped as
// `terraform providers schema -json` gives it.
func testSchema() *tfjson.ProviderSchemas {
	str := func() *tfjson.SchemaAttribute {
		return &tfjson.SchemaAttribute{AttributeType: cty.String, Optional: true}
	}
	attrs := func(names ...string) map[string]*tfjson.SchemaAttribute {
		m := map[string]*tfjson.SchemaAttribute{}
		for _, n := range names {
			m[n] = str()
		}
		return m
	}
	block := func(mode tfjson.SchemaNestingMode, b *tfjson.SchemaBlock) *tfjson.SchemaBlockType {
		return &tfjson.SchemaBlockType{NestingMode: mode, Block: b}
	}
	tags := &tfjson.SchemaAttribute{AttributeType: cty.Map(cty.String), Optional: true}
	ingress := &tfjson.SchemaAttribute{AttributeType: cty.Set(cty.Object(map[string]cty.Type{
		"cidr_blocks": cty.List(cty.String), "from_port": cty.Number, "to_port": cty.Number, "protocol": cty.String,
	})), Optional: true}
	return &tfjson.ProviderSchemas{FormatVersion: "1.0", Schemas: map[string]*tfjson.ProviderSchema{
		"registry.terraform.io/hashicorp/aws": {
			ConfigSchema: &tfjson.Schema{Block: &tfjson.SchemaBlock{
				Attributes:   attrs("region", "alias", "allowed_account_ids"),
				NestedBlocks: map[string]*tfjson.SchemaBlockType{"default_tags": block(tfjson.SchemaNestingModeList, &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{"tags": tags}})},
			}},
			ResourceSchemas: map[string]*tfjson.Schema{
				"aws_s3_bucket": {Block: &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{"bucket": str(), "tags": tags, "force_destroy": str()}}},
				"aws_s3_bucket_versioning": {Block: &tfjson.SchemaBlock{
					Attributes: attrs("bucket"),
					NestedBlocks: map[string]*tfjson.SchemaBlockType{
						"versioning_configuration": block(tfjson.SchemaNestingModeList, &tfjson.SchemaBlock{Attributes: attrs("status", "mfa_delete")}),
					},
				}},
				"aws_s3_bucket_server_side_encryption_configuration": {Block: &tfjson.SchemaBlock{
					Attributes: attrs("bucket"),
					NestedBlocks: map[string]*tfjson.SchemaBlockType{
						"rule": block(tfjson.SchemaNestingModeSet, &tfjson.SchemaBlock{
							Attributes: attrs("bucket_key_enabled"),
							NestedBlocks: map[string]*tfjson.SchemaBlockType{
								"apply_server_side_encryption_by_default": block(tfjson.SchemaNestingModeList, &tfjson.SchemaBlock{Attributes: attrs("sse_algorithm", "kms_master_key_id")}),
							},
						}),
					},
				}},
				"aws_security_group":   {Block: &tfjson.SchemaBlock{Attributes: map[string]*tfjson.SchemaAttribute{"name": str(), "ingress": ingress}}},
				"aws_s3_bucket_policy": {Block: &tfjson.SchemaBlock{Attributes: attrs("bucket", "policy")}},
				"aws_kms_key":          {Block: &tfjson.SchemaBlock{Attributes: attrs("description", "policy")}},
			},
			DataSourceSchemas: map[string]*tfjson.Schema{
				"aws_iam_policy_document": {Block: &tfjson.SchemaBlock{
					NestedBlocks: map[string]*tfjson.SchemaBlockType{
						"statement": block(tfjson.SchemaNestingModeList, &tfjson.SchemaBlock{
							Attributes: map[string]*tfjson.SchemaAttribute{
								"actions":   {AttributeType: cty.Set(cty.String), Optional: true},
								"resources": {AttributeType: cty.Set(cty.String), Optional: true},
							},
							NestedBlocks: map[string]*tfjson.SchemaBlockType{
								"principals": block(tfjson.SchemaNestingModeSet, &tfjson.SchemaBlock{
									Attributes: map[string]*tfjson.SchemaAttribute{"type": str(), "identifiers": {AttributeType: cty.Set(cty.String), Optional: true}},
								}),
							},
						}),
					},
				}},
			},
		},
	}}
}

// specFor turns a schema block into an hcldec spec that decodes attributes
// and nested blocks the way Terraform does (attributes of any type).
func specFor(b *tfjson.SchemaBlock) hcldec.ObjectSpec {
	spec := hcldec.ObjectSpec{}
	for name := range b.Attributes {
		spec[name] = &hcldec.AttrSpec{Name: name, Type: cty.DynamicPseudoType}
	}
	for name, bt := range b.NestedBlocks {
		spec[name] = &hcldec.BlockTupleSpec{TypeName: name, Nested: specFor(bt.Block)}
	}
	return spec
}

// evalCtx gives every reference the test inputs use a concrete value, so
// templates evaluate to comparable strings.
func evalCtx() *hcl.EvalContext {
	obj := func(kv map[string]cty.Value) cty.Value { return cty.ObjectVal(kv) }
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"aws_s3_bucket": obj(map[string]cty.Value{"b": obj(map[string]cty.Value{
				"id": cty.StringVal("bucket-b"), "arn": cty.StringVal("arn:aws:s3:::bucket-b"),
			})}),
			"aws_kms_key": obj(map[string]cty.Value{"k": obj(map[string]cty.Value{"arn": cty.StringVal("arn:aws:kms:eu-west-1:111122223333:key/k")})}),
			"var":         obj(map[string]cty.Value{"env": cty.StringVal("dev"), "on": cty.True}),
		},
		Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc, "upper": stdlib.UpperFunc},
	}
}

// decoded is what Terraform would see of one resource or data source.
type decoded struct {
	Value      cty.Value
	DependsOn  []string
	Provider   string
	Count      cty.Value
	Lifecycle  map[string]string
	ObjectType string
}

// decodeAll decodes every resource and data source of a file with the
// schema, in either syntax, as Terraform would.
func decodeAll(t *testing.T, f *hcl.File, schema *tfjson.ProviderSchemas) map[string]decoded {
	t.Helper()
	top, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "terraform"}, {Type: "output", LabelNames: []string{"name"}},
	}})
	require.False(t, diags.HasErrors(), diags.Error())
	c := &converter{schema: schema}
	out := map[string]decoded{}
	for _, blk := range top.Blocks {
		var sch *tfjson.SchemaBlock
		switch blk.Type {
		case "resource", "data":
			sch = c.lookup(blk.Type, blk.Labels[0]).Block
		case "provider":
			sch = schema.Schemas["registry.terraform.io/hashicorp/aws"].ConfigSchema.Block
		default:
			continue
		}
		meta, rest, diags := blk.Body.PartialContent(&hcl.BodySchema{
			Attributes: []hcl.AttributeSchema{{Name: "depends_on"}, {Name: "provider"}, {Name: "count"}},
			Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
		})
		require.False(t, diags.HasErrors(), diags.Error())
		var d decoded
		d.Value, diags = hcldec.Decode(rest, specFor(sch), evalCtx())
		require.False(t, diags.HasErrors(), "%s %v: %s", blk.Type, blk.Labels, diags.Error())
		if a, ok := meta.Attributes["depends_on"]; ok {
			exprs, diags := hcl.ExprList(a.Expr)
			require.False(t, diags.HasErrors(), diags.Error())
			for _, e := range exprs {
				tr, diags := hcl.AbsTraversalForExpr(e)
				require.False(t, diags.HasErrors(), diags.Error())
				d.DependsOn = append(d.DependsOn, traversalString(tr))
			}
		}
		if a, ok := meta.Attributes["provider"]; ok {
			tr, diags := hcl.AbsTraversalForExpr(a.Expr)
			require.False(t, diags.HasErrors(), diags.Error())
			d.Provider = traversalString(tr)
		}
		if a, ok := meta.Attributes["count"]; ok {
			d.Count, diags = a.Expr.Value(evalCtx())
			require.False(t, diags.HasErrors(), diags.Error())
		}
		for _, lb := range meta.Blocks {
			attrs, diags := lb.Body.JustAttributes()
			require.False(t, diags.HasErrors(), diags.Error())
			d.Lifecycle = map[string]string{}
			for name, a := range attrs {
				if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.Bool {
					d.Lifecycle[name] = v.GoString()
					continue
				}
				if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
					d.Lifecycle[name] = "keyword:" + kw
					continue
				}
				if exprs, diags := hcl.ExprList(a.Expr); !diags.HasErrors() {
					var refs []string
					for _, e := range exprs {
						tr, diags := hcl.RelTraversalForExpr(e)
						require.False(t, diags.HasErrors(), diags.Error())
						refs = append(refs, traversalString(tr))
					}
					d.Lifecycle[name] = strings.Join(refs, ",")
					continue
				}
				v, diags := a.Expr.Value(nil)
				require.False(t, diags.HasErrors(), diags.Error())
				d.Lifecycle[name] = v.GoString()
			}
		}
		out[blk.Type+"."+strings.Join(blk.Labels, ".")] = d
	}
	return out
}

func traversalString(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				b.WriteString(fmt.Sprintf("[%q]", s.Key.AsString()))
			} else {
				b.WriteString("[" + s.Key.GoString() + "]")
			}
		}
	}
	return strings.TrimPrefix(b.String(), ".")
}

// convert runs ToHCL on doc and checks that Terraform would read the HCL
// exactly as it reads the JSON: same attribute values (templates
// evaluated), same nested blocks, same meta-arguments. It returns the HCL.
func convert(t *testing.T, doc string) (string, map[string]decoded) {
	t.Helper()
	schema := testSchema()
	out, err := ToHCL([]byte(doc), schema)
	require.NoError(t, err)
	hf, diags := hclsyntax.ParseConfig(out, "out.tf", hcl.InitialPos)
	require.False(t, diags.HasErrors(), "generated HCL does not parse: %s\n%s", diags.Error(), out)

	// The JSON side, as Terraform reads it (without cdktf's "//" metadata,
	// which Terraform ignores as a comment).
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc), &m))
	stripComments(m)
	clean, err := json.Marshal(m)
	require.NoError(t, err)
	jf, diags := hcljson.Parse(clean, "in.tf.json")
	require.False(t, diags.HasErrors(), diags.Error())

	want := decodeAll(t, jf, schema)
	got := decodeAll(t, hf, schema)
	require.Equal(t, len(want), len(got), "\n%s", out)
	for addr, w := range want {
		g, ok := got[addr]
		require.True(t, ok, "%s missing from\n%s", addr, out)
		assert.True(t, w.Value.RawEquals(g.Value), "%s:\n json: %s\n  hcl: %s\n%s", addr, w.Value.GoString(), g.Value.GoString(), out)
		assert.Equal(t, w.DependsOn, g.DependsOn, addr)
		assert.Equal(t, w.Provider, g.Provider, addr)
		assert.Equal(t, w.Lifecycle, g.Lifecycle, addr)
		assert.True(t, w.Count.RawEquals(g.Count), addr)
	}
	return string(out), got
}

func stripComments(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "//")
		for _, e := range x {
			stripComments(e)
		}
	case []any:
		for _, e := range x {
			stripComments(e)
		}
	}
}

func TestToHCLBlocksVersusAttributes(t *testing.T) {
	out, got := convert(t, `{
	  "//": {"metadata": {"stackName": "test"}},
	  "provider": {"aws": [{"region": "eu-west-1", "default_tags": [{"tags": {"Project": "p", "Owner Name": "x"}}]}]},
	  "resource": {
	    "aws_s3_bucket": {"b": {"//": {"metadata": {"path": "test/b"}}, "bucket": "bucket-b", "tags": {"Name": "b", "kubernetes.io/role": "x"}}},
	    "aws_s3_bucket_versioning": {"v": {"bucket": "${aws_s3_bucket.b.id}", "versioning_configuration": {"status": "Enabled"}}},
	    "aws_s3_bucket_server_side_encryption_configuration": {"e": {
	      "bucket": "${aws_s3_bucket.b.id}",
	      "rule": [{"bucket_key_enabled": true, "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.k.arn}"}]},
	               {"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]
	    }},
	    "aws_security_group": {"sg": {"name": "sg", "ingress": [{"cidr_blocks": ["10.0.0.0/8"], "from_port": 443, "to_port": 443, "protocol": "tcp"}]}}
	  },
	  "data": {"aws_iam_policy_document": {"d": {"statement": [{"actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.b.arn}/*"],
	    "principals": [{"type": "Service", "identifiers": ["logging.s3.amazonaws.com"]}]}]}}}
	}`)
	// Nested blocks come out as blocks, one per array element, at every level.
	assert.Contains(t, out, "versioning_configuration {")
	assert.Contains(t, out, "default_tags {")
	assert.Equal(t, 2, strings.Count(out, "rule {"), out)
	assert.Equal(t, 2, strings.Count(out, "apply_server_side_encryption_by_default {"), out)
	assert.Contains(t, out, "principals {")
	// Map and object-list attributes stay attributes.
	assert.Contains(t, out, "tags = {")
	assert.Contains(t, out, `"kubernetes.io/role" = "x"`)
	assert.Contains(t, out, "ingress = [")
	assert.NotContains(t, out, "ingress {")
	// References stay references for the scanner to follow.
	assert.Contains(t, out, `kms_master_key_id = "${aws_kms_key.k.arn}"`)
	assert.NotContains(t, out, `"//"`)
	enc := got["resource.aws_s3_bucket_server_side_encryption_configuration.e"].Value
	rule0 := enc.GetAttr("rule").Index(cty.NumberIntVal(0))
	assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/k",
		rule0.GetAttr("apply_server_side_encryption_by_default").Index(cty.NumberIntVal(0)).GetAttr("kms_master_key_id").AsString())
}

func TestToHCLTemplatesAndPolicyStrings(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],` +
		`"Resource":["${aws_s3_bucket.b.arn}","${aws_s3_bucket.b.arn}/home/$${aws:username}/*"],` +
		`"Condition":{"StringLike":{"s3:prefix":["%%{x}","back\\slash","tab\there","line\nbreak","é ✓"]}}}]}`
	doc, err := json.Marshal(map[string]any{"resource": map[string]any{
		"aws_s3_bucket_policy": map[string]any{"p": map[string]any{"bucket": "${aws_s3_bucket.b.id}", "policy": policy}},
		"aws_kms_key": map[string]any{"k": map[string]any{
			"description": `env %{ if var.on }${upper(var.env)}%{ else }none%{ endif } "quoted" ${jsonencode({"a" = "b"})}`,
			"policy":      "${jsonencode({\"Statement\" = [{\"Resource\" = aws_s3_bucket.b.arn}]})}",
		}},
	}})
	require.NoError(t, err)
	out, got := convert(t, string(doc))

	// Evaluated, the policy is the JSON document with the reference filled
	// in and the escapes resolved: byte-identical to what Terraform sends.
	wantPolicy := strings.NewReplacer("${aws_s3_bucket.b.arn}", "arn:aws:s3:::bucket-b", "$${", "${", "%%{", "%{").Replace(policy)
	gotPolicy := got["resource.aws_s3_bucket_policy.p"].Value.GetAttr("policy").AsString()
	assert.Equal(t, wantPolicy, gotPolicy)
	assert.True(t, json.Valid([]byte(gotPolicy)))
	assert.Contains(t, out, `\"Resource\":[\"${aws_s3_bucket.b.arn}\"`, "interpolations stay template syntax inside the escaped string")
	assert.Contains(t, out, `$${aws:username}`, "a literal ${ stays escaped")
	assert.Contains(t, out, `%%{x}`)
	assert.Equal(t, `env DEV "quoted" {"a":"b"}`, got["resource.aws_kms_key.k"].Value.GetAttr("description").AsString())
	assert.Equal(t, `{"Statement":[{"Resource":"arn:aws:s3:::bucket-b"}]}`, got["resource.aws_kms_key.k"].Value.GetAttr("policy").AsString())
}

func TestToHCLMetaArguments(t *testing.T) {
	out, got := convert(t, `{
	  "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "west", "region": "us-west-2"}]},
	  "resource": {
	    "aws_s3_bucket": {"b": {"bucket": "b", "provider": "aws.west", "count": 2,
	      "lifecycle": {"prevent_destroy": true, "ignore_changes": ["tags", "tags[\"x\"]"]}}},
	    "aws_s3_bucket_policy": {"p": {"bucket": "x", "policy": "{}", "depends_on": ["aws_s3_bucket.b", "aws_kms_key.k"],
	      "lifecycle": {"ignore_changes": "all", "create_before_destroy": false}}},
	    "aws_kms_key": {"k": {"description": "k"}}
	  }
	}`)
	assert.Contains(t, out, "depends_on = [aws_s3_bucket.b, aws_kms_key.k]")
	assert.Regexp(t, `provider\s+= aws\.west\n`, out)
	assert.Contains(t, out, "lifecycle {")
	assert.Regexp(t, `ignore_changes\s+= all\n`, out)
	assert.Regexp(t, `ignore_changes\s+= \[tags, tags\["x"\]\]\n`, out)
	assert.Contains(t, out, `alias  = "west"`)
	assert.Equal(t, []string{"aws_s3_bucket.b", "aws_kms_key.k"}, got["resource.aws_s3_bucket_policy.p"].DependsOn)
	assert.Equal(t, map[string]string{"prevent_destroy": "cty.True", "ignore_changes": `tags,tags["x"]`}, got["resource.aws_s3_bucket.b"].Lifecycle)
	assert.Equal(t, "keyword:all", got["resource.aws_s3_bucket_policy.p"].Lifecycle["ignore_changes"])
}

func TestToHCLTerraformVariablesOutputs(t *testing.T) {
	out, err := ToHCL([]byte(`{
	  "terraform": {"required_version": ">= 1.10", "required_providers": {"aws": {"source": "aws", "version": "~> 5.99"}},
	    "backend": {"s3": {"bucket": "state", "key": "k", "encrypt": true, "use_lockfile": true}}},
	  "variable": {"env": {"type": "string", "default": "dev ${literal}", "description": "d",
	    "validation": [{"condition": "${contains([\"dev\", \"prod\"], var.env)}", "error_message": "bad env"}]}},
	  "locals": {"name": "app-${var.env}"},
	  "output": {"arn": {"value": "${aws_s3_bucket.b.arn}", "sensitive": true, "depends_on": ["aws_s3_bucket.b"]}}
	}`), testSchema())
	require.NoError(t, err)
	_, diags := hclsyntax.ParseConfig(out, "out.tf", hcl.InitialPos)
	require.False(t, diags.HasErrors(), "%s\n%s", diags.Error(), out)
	s := string(out)
	assert.Contains(t, s, `backend "s3" {`)
	assert.Contains(t, s, "use_lockfile = true")
	assert.Contains(t, s, "required_providers {")
	assert.Contains(t, s, "type        = string")
	assert.Contains(t, s, `default     = "dev $${literal}"`, "a variable default is a literal, not a template")
	assert.Contains(t, s, `condition     = contains(["dev", "prod"], var.env)`)
	assert.Contains(t, s, `name = "app-${var.env}"`)
	assert.Contains(t, s, `value      = "${aws_s3_bucket.b.arn}"`)
	assert.Contains(t, s, "depends_on = [aws_s3_bucket.b]")
}

func TestToHCLFilesNamedAfterConstructPaths(t *testing.T) {
	files, err := ToHCLFiles([]byte(`{
	  "provider": {"aws": [{"region": "eu-west-1"}]},
	  "resource": {"aws_s3_bucket": {
	    "logs_bucket_1A2B": {"//": {"metadata": {"path": "web/logs/bucket", "uniqueId": "logs_bucket_1A2B"}}, "bucket": "l"},
	    "raw": {"bucket": "r"}}},
	  "data": {"aws_iam_policy_document": {"doc_ABC": {"//": {"metadata": {"path": "web/logs/doc"}}}}}
	}`), testSchema())
	require.NoError(t, err)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	assert.ElementsMatch(t, []string{"logs.bucket.tf", "aws_s3_bucket.raw.tf", "data.logs.doc.tf", StackFileName}, names)
	assert.Contains(t, string(files["logs.bucket.tf"]), `resource "aws_s3_bucket" "logs_bucket_1A2B" {`)
	assert.Contains(t, string(files[StackFileName]), `provider "aws" {`)
}

func TestToHCLErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown resource type":          `{"resource": {"aws_nope": {"x": {}}}}`,
		"expression in block position":   `{"resource": {"aws_s3_bucket_versioning": {"v": {"versioning_configuration": "${var.x}"}}}}`,
		"unterminated interpolation":     `{"resource": {"aws_s3_bucket": {"b": {"bucket": "${aws_s3_bucket.x.id"}}}}`,
		"invalid depends_on reference":   `{"resource": {"aws_s3_bucket": {"b": {"depends_on": ["not a reference!"]}}}}`,
		"unsupported top-level key":      `{"resources": {}}`,
		"not JSON":                       `{`,
		"dynamic block of unknown block": `{"resource": {"aws_s3_bucket": {"b": {"dynamic": {"nope": {"for_each": "${var.x}", "content": {}}}}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ToHCL([]byte(doc), testSchema())
			assert.Error(t, err)
		})
	}
}

func TestToHCLDynamicBlocks(t *testing.T) {
	out, err := ToHCL([]byte(`{"resource": {"aws_s3_bucket_server_side_encryption_configuration": {"e": {"bucket": "b",
	  "dynamic": {"rule": {"for_each": "${var.rules}", "iterator": "r", "content": {"bucket_key_enabled": "${r.value.bk}",
	    "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}}}}}}}`), testSchema())
	require.NoError(t, err)
	_, diags := hclsyntax.ParseConfig(out, "out.tf", hcl.InitialPos)
	require.False(t, diags.HasErrors(), "%s\n%s", diags.Error(), out)
	s := string(out)
	assert.Contains(t, s, `dynamic "rule" {`)
	assert.Contains(t, s, "iterator = r")
	assert.Contains(t, s, "content {")
	assert.Contains(t, s, "apply_server_side_encryption_by_default {")
}

func TestToHCLDeterministic(t *testing.T) {
	doc := []byte(`{"resource": {"aws_s3_bucket": {"b": {"bucket": "b", "tags": {"z": "1", "a": "2", "m": "3"}}, "a": {"bucket": "a"}}}}`)
	first, err := ToHCL(doc, testSchema())
	require.NoError(t, err)
	for range 5 {
		again, err := ToHCL(doc, testSchema())
		require.NoError(t, err)
		require.Equal(t, string(first), string(again))
	}
}
