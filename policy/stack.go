package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// StackFile is one synthesized stack: the text of a cdk.tf.json.
type StackFile struct {
	// Name is the stack's name: from cdktf.out/manifest.json, else the
	// JSON's "//".metadata.stackName, else the name of the folder holding
	// the file.
	Name string
	// Path is the file the JSON was read from, as found by Load (relative
	// when Load was given a relative path). It names the stack file in
	// findings and is the SARIF artifact. It may be empty for JSON that was
	// never a file.
	Path string
	// JSON is the file's content.
	JSON []byte
}

// Load finds the synthesized stacks at path, which is one of:
//   - a cdktf output directory (cdktf.out) with a manifest.json: every stack
//     the manifest lists;
//   - a directory with stacks/*/cdk.tf.json but no manifest;
//   - a stack folder holding a cdk.tf.json (cdktf.out/stacks/NAME);
//   - a stack file itself (any name, e.g. a golden snapshot).
//
// Stacks are returned sorted by name. It is an error when path holds none.
func Load(path string) ([]StackFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return []StackFile{{Name: stackName(raw, filepath.Base(filepath.Dir(absOr(path)))), Path: path, JSON: raw}}, nil
	}
	var out []StackFile
	if m, err := os.ReadFile(filepath.Join(path, "manifest.json")); err == nil {
		var manifest struct {
			Stacks map[string]struct {
				Name                 string `json:"name"`
				SynthesizedStackPath string `json:"synthesizedStackPath"`
			} `json:"stacks"`
		}
		if err := json.Unmarshal(m, &manifest); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(path, "manifest.json"), err)
		}
		for key, s := range manifest.Stacks {
			name := s.Name
			if name == "" {
				name = key
			}
			rel := s.SynthesizedStackPath
			if rel == "" {
				rel = filepath.Join("stacks", name, "cdk.tf.json")
			}
			f := filepath.Join(path, filepath.FromSlash(rel))
			raw, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("stack %s listed in the manifest: %w", name, err)
			}
			out = append(out, StackFile{Name: name, Path: f, JSON: raw})
		}
	} else if raw, err := os.ReadFile(filepath.Join(path, "cdk.tf.json")); err == nil {
		out = append(out, StackFile{Name: stackName(raw, filepath.Base(absOr(path))), Path: filepath.Join(path, "cdk.tf.json"), JSON: raw})
	} else {
		files, _ := filepath.Glob(filepath.Join(path, "stacks", "*", "cdk.tf.json"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			out = append(out, StackFile{Name: filepath.Base(filepath.Dir(f)), Path: f, JSON: raw})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no synthesized stack (want a cdktf.out with manifest.json, a stack folder with cdk.tf.json, or a .tf.json file)", path)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// stackName reads "//".metadata.stackName, falling back to def.
func stackName(raw []byte, def string) string {
	var doc struct {
		Meta struct {
			Metadata struct {
				StackName string `json:"stackName"`
			} `json:"metadata"`
		} `json:"//"`
	}
	if json.Unmarshal(raw, &doc) == nil && doc.Meta.Metadata.StackName != "" {
		return doc.Meta.Metadata.StackName
	}
	return def
}

// metadataKey is the key under "//" (of a resource or of the stack) that
// holds suppressions.
const metadataKey = "policy_suppressions"

// stack is a parsed StackFile.
type stack struct {
	name, file string
	resources  []*resource // sorted by address
	byAddr     map[string]*resource
	byType     map[string][]*resource
	vars       map[string]variable
	// backendBuckets are the literal S3 bucket names of the stack's own
	// "s3" backend.
	backendBuckets []string
	// suppress maps a construct path (a prefix of resource paths) to rule
	// IDs and reasons, from the stack's "//".policy_suppressions.
	suppress map[string]map[string]any
	lines    map[string]int
}

type variable struct {
	def        any
	hasDefault bool
}

// resource is one resource or data source.
type resource struct {
	mode     string // "resource" or "data"
	typ      string
	name     string
	path     string // construct path, "" when the JSON has no metadata
	attrs    map[string]any
	suppress map[string]any // rule ID -> reason, from "//".policy_suppressions
	stack    *stack
}

// address is the Terraform address: type.name, or data.type.name.
func (r *resource) address() string {
	if r.mode == "data" {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

func parseStack(f StackFile) (*stack, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(f.JSON))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("stack %s (%s): not JSON: %w", f.Name, f.Path, err)
	}
	s := &stack{
		name: f.Name, file: f.Path,
		byAddr: map[string]*resource{}, byType: map[string][]*resource{},
		vars: map[string]variable{}, suppress: map[string]map[string]any{},
		lines: resourceLines(f.JSON),
	}
	for _, mode := range []string{"resource", "data"} {
		types, _ := doc[mode].(map[string]any)
		for typ, v := range types {
			named, _ := v.(map[string]any)
			for name, body := range named {
				attrs, ok := body.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("stack %s: %s %s.%s is not an object", f.Name, mode, typ, name)
				}
				r := &resource{mode: mode, typ: typ, name: name, attrs: map[string]any{}, stack: s}
				for k, a := range attrs {
					if k == "//" {
						meta, _ := a.(map[string]any)
						if md, ok := meta["metadata"].(map[string]any); ok {
							r.path, _ = md["path"].(string)
						}
						r.suppress, _ = meta[metadataKey].(map[string]any)
						continue
					}
					r.attrs[k] = a
				}
				s.resources = append(s.resources, r)
				s.byAddr[r.address()] = r
			}
		}
	}
	sort.Slice(s.resources, func(i, j int) bool { return s.resources[i].address() < s.resources[j].address() })
	for _, r := range s.resources {
		if r.mode == "resource" {
			s.byType[r.typ] = append(s.byType[r.typ], r)
		}
	}
	if vars, ok := doc["variable"].(map[string]any); ok {
		for name, v := range vars {
			body, _ := v.(map[string]any)
			def, has := body["default"]
			s.vars[name] = variable{def: def, hasDefault: has}
		}
	}
	if tf, ok := doc["terraform"].(map[string]any); ok {
		if be, ok := tf["backend"].(map[string]any); ok {
			if s3, ok := be["s3"].(map[string]any); ok {
				if b, ok := s.literalString(s3["bucket"]); ok {
					s.backendBuckets = append(s.backendBuckets, b)
				}
			}
		}
	}
	if meta, ok := doc["//"].(map[string]any); ok {
		if sup, ok := meta[metadataKey].(map[string]any); ok {
			for escaped, rules := range sup {
				m, ok := rules.(map[string]any)
				if !ok {
					m = map[string]any{"": rules} // reported as malformed
				}
				s.suppress[unescapePath(escaped)] = m
			}
		}
	}
	return s, nil
}

// escapePath makes a construct path usable as one key of an AddOverride
// path, which cdktf splits on ".": "%" and "." are percent-encoded.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", ".", "%2E").Replace(p)
}

func unescapePath(p string) string {
	return strings.NewReplacer("%2E", ".", "%2e", ".", "%25", "%").Replace(p)
}

// resourceLines maps each resource and data source address to the 1-based
// line of its key in raw, so findings can point into the stack file.
func resourceLines(raw []byte) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		obj     bool
		wantKey bool
		key     string
	}
	var st []*frame
	valueDone := func() {
		if n := len(st); n > 0 && st[n-1].obj {
			st[n-1].wantKey = true
		}
	}
	lastOff, line := 0, 1
	for {
		tok, err := dec.Token()
		if err != nil { // io.EOF or a syntax error parseStack reports
			return lines
		}
		if n := len(st); n > 0 && st[n-1].obj && st[n-1].wantKey {
			if k, ok := tok.(string); ok {
				top := st[n-1]
				top.key, top.wantKey = k, false
				if n == 3 && (st[0].key == "resource" || st[0].key == "data") {
					off := int(dec.InputOffset())
					line += bytes.Count(raw[lastOff:off], []byte{'\n'})
					lastOff = off
					addr := st[1].key + "." + k
					if st[0].key == "data" {
						addr = "data." + addr
					}
					lines[addr] = line
				}
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			st = append(st, &frame{obj: true, wantKey: true})
		case json.Delim('['):
			st = append(st, &frame{})
		case json.Delim('}'), json.Delim(']'):
			st = st[:len(st)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}
