package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// The prebuilt TypeScript provider classes map each Terraform attribute to a
// config property in generated code of a fixed shape:
//
//	synthesizeAttributes() {
//	    return {
//	        bucket_prefix: cdktf.stringToTerraform(this._bucketPrefix),
//	        rule: cdktf.listMapper(fooRuleToTerraform, true)(this._rule.internalValue),
//	        ...
//	    };
//	}
//	function fooRuleToTerraform(struct) { ... return { days: cdktf.numberToTerraform(struct.days), ... }; }
//
// and `this._bucketPrefix = config.bucketPrefix;` in the constructor. Reading
// that code gives the exact Terraform-name -> property-name table of every
// resource and nested block, without guessing a camelCase rule.

// fieldKind says how a Terraform attribute's value maps to the config value.
type fieldKind int

const (
	opaque   fieldKind = iota // passed as is: primitives, lists of primitives, maps (keys kept)
	block                     // a nested block (object or list of objects) of struct fn
	unmapped                  // not an attribute of this type (see fieldFor)
)

type field struct {
	prop string    // config property name
	kind fieldKind // how to convert the value
	fn   string    // struct function (block kind): "fooRule" of fooRuleToTerraform
}

// structInfo maps Terraform attribute names to config fields.
type structInfo map[string]field

// class is one provider class: a resource, data source or the provider.
type class struct {
	tfType string // aws_s3_bucket (data sources: aws_caller_identity; provider: aws)
	kind   string // TerraformResource, TerraformDataSource, TerraformProvider
	module string // import path: @cdktf/provider-aws/lib/s3-bucket
	name   string // S3Bucket
	attrs  structInfo
	// structs of the module by function name.
	structs map[string]structInfo
}

var (
	reClass      = regexp.MustCompile(`(?m)^class (\w+) extends cdktf\.(TerraformResource|TerraformDataSource|TerraformProvider) \{`)
	reTfType     = regexp.MustCompile(`(?m)^(\w+)\.tfResourceType = "([^"]+)";`)
	reCtorField  = regexp.MustCompile(`this\._(\w+)(?:\.internalValue)? = config\.(\w+);`)
	reStructFunc = regexp.MustCompile(`(?m)^function (\w+)ToTerraform\(struct\) \{$`)
	reAttrLine   = regexp.MustCompile(`^\s+(\w+): (.*?),?$`)
	reListBlock  = regexp.MustCompile(`^cdktf\.listMapper\((\w+)ToTerraform, (?:true|false)\)\(`)
	reOneBlock   = regexp.MustCompile(`^(\w+)ToTerraform\(`)
	reThisField  = regexp.MustCompile(`\(this\._(\w+)(?:\.internalValue)?\)$`)
	reStructProp = regexp.MustCompile(`\(struct\.(\w+)\)$`)
)

// parseModule reads the classes and struct functions of one provider module
// (lib/<name>/index.js).
func parseModule(src, module string) ([]*class, error) {
	structs := map[string]structInfo{}
	for _, m := range reStructFunc.FindAllStringSubmatchIndex(src, -1) {
		name := src[m[2]:m[3]]
		body, ok := returnBlock(src[m[1]:], "\n    return {\n", "\n    };")
		if !ok {
			return nil, fmt.Errorf("%s: struct function %sToTerraform has no `return {...}` block", module, name)
		}
		info := structInfo{}
		for _, line := range strings.Split(body, "\n") {
			a := reAttrLine.FindStringSubmatch(line)
			if a == nil {
				continue
			}
			p := reStructProp.FindStringSubmatch(a[2])
			if p == nil {
				return nil, fmt.Errorf("%s: %sToTerraform: cannot read %q", module, name, line)
			}
			info[a[1]] = fieldOf(p[1], a[2])
		}
		structs[name] = info
	}
	types := map[string]string{}
	for _, m := range reTfType.FindAllStringSubmatch(src, -1) {
		types[m[1]] = m[2]
	}
	ctor := map[string]string{}
	for _, m := range reCtorField.FindAllStringSubmatch(src, -1) {
		ctor[m[1]] = m[2]
	}
	var classes []*class
	for _, m := range reClass.FindAllStringSubmatchIndex(src, -1) {
		c := &class{name: src[m[2]:m[3]], kind: src[m[4]:m[5]], module: module, structs: structs, attrs: structInfo{}}
		c.tfType = types[c.name]
		if c.tfType == "" {
			return nil, fmt.Errorf("%s: class %s has no tfResourceType", module, c.name)
		}
		rest := src[m[1]:]
		body, ok := returnBlock(rest, "\n    synthesizeAttributes() {\n        return {\n", "\n        };")
		if !ok {
			return nil, fmt.Errorf("%s: class %s has no synthesizeAttributes() { return {...} }", module, c.name)
		}
		for _, line := range strings.Split(body, "\n") {
			a := reAttrLine.FindStringSubmatch(line)
			if a == nil {
				continue
			}
			f := reThisField.FindStringSubmatch(a[2])
			if f == nil {
				return nil, fmt.Errorf("%s: %s.synthesizeAttributes: cannot read %q", module, c.name, line)
			}
			prop := ctor[f[1]]
			if prop == "" {
				prop = f[1]
			}
			c.attrs[a[1]] = fieldOf(prop, a[2])
		}
		classes = append(classes, c)
	}
	return classes, nil
}

// returnBlock returns the text between the first start marker in s and the
// end marker that follows it.
func returnBlock(s, start, end string) (string, bool) {
	i := strings.Index(s, start)
	if i < 0 {
		return "", false
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return "", false
	}
	return s[:j], true
}

func fieldOf(prop, expr string) field {
	if m := reListBlock.FindStringSubmatch(expr); m != nil {
		return field{prop: prop, kind: block, fn: m[1]}
	}
	if m := reOneBlock.FindStringSubmatch(expr); m != nil && !strings.HasPrefix(expr, "cdktf.") {
		return field{prop: prop, kind: block, fn: m[1]}
	}
	return field{prop: prop, kind: opaque}
}

// provider finds the classes of @cdktf/provider-aws under a node_modules
// directory, loading each module once.
type provider struct {
	lib string // .../node_modules/@cdktf/provider-aws/lib

	mu      sync.Mutex
	byType  map[string]*class // "resource:aws_s3_bucket", "data:aws_x", "provider:aws"
	scanned bool
}

func newProvider(nodeModules string) (*provider, error) {
	lib := filepath.Join(nodeModules, "@cdktf", "provider-aws", "lib")
	if _, err := os.Stat(filepath.Join(lib, "provider", "index.js")); err != nil {
		return nil, fmt.Errorf("no @cdktf/provider-aws in %s (run npm ci in bench/ts): %w", nodeModules, err)
	}
	return &provider{lib: lib, byType: map[string]*class{}}, nil
}

var kindOfBlock = map[string]string{"resource": "TerraformResource", "data": "TerraformDataSource", "provider": "TerraformProvider"}

// lookup returns the class of a Terraform type in a top-level block
// ("resource", "data" or "provider").
func (p *provider) lookup(blockKind, tfType string) (*class, error) {
	key := blockKind + ":" + tfType
	if c := p.byType[key]; c != nil {
		return c, nil
	}
	// The module directory is the kebab-case type name; check, then scan
	// every module if the guess is wrong.
	var dir string
	switch blockKind {
	case "resource":
		dir = strings.ReplaceAll(strings.TrimPrefix(tfType, "aws_"), "_", "-")
	case "data":
		dir = "data-" + strings.ReplaceAll(tfType, "_", "-")
	case "provider":
		dir = "provider"
	}
	if err := p.load(dir); err != nil {
		return nil, err
	}
	if c := p.byType[key]; c != nil {
		return c, nil
	}
	if !p.scanned {
		p.scanned = true
		entries, err := os.ReadDir(p.lib)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				if err := p.load(e.Name()); err != nil {
					return nil, err
				}
			}
		}
	}
	if c := p.byType[key]; c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("no class for %s %s in %s", blockKind, tfType, p.lib)
}

func (p *provider) load(dir string) error {
	src, err := os.ReadFile(filepath.Join(p.lib, dir, "index.js"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	classes, err := parseModule(string(src), "@cdktf/provider-aws/lib/"+dir)
	if err != nil {
		return err
	}
	for _, c := range classes {
		for bk, k := range kindOfBlock {
			if c.kind == k {
				t := c.tfType
				if bk == "provider" {
					t = "aws"
				}
				p.byType[bk+":"+t] = c
			}
		}
	}
	return nil
}
