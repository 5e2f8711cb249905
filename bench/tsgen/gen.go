package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// stackInput is one synthesized stack: its name (the stack's construct id)
// and its cdk.tf.json.
type stackInput struct {
	name string
	doc  *value
}

// readOut reads every stack of a cdktf.out directory, in manifest order.
func readOut(dir string) ([]stackInput, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	manifest, err := parseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	st := manifest.get("stacks")
	if st == nil || st.kind != 'o' || len(st.keys) == 0 {
		return nil, fmt.Errorf("%s/manifest.json lists no stacks", dir)
	}
	var out []stackInput
	for i, name := range st.keys {
		rel := st.vals[i].get("synthesizedStackPath")
		if rel == nil || rel.kind != 's' {
			return nil, fmt.Errorf("manifest.json: stack %s has no synthesizedStackPath", name)
		}
		b, err := os.ReadFile(filepath.Join(dir, rel.str))
		if err != nil {
			return nil, err
		}
		doc, err := parseJSON(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel.str, err)
		}
		out = append(out, stackInput{name: name, doc: doc})
	}
	return out, nil
}

// generator writes one TypeScript program for a set of stacks.
type generator struct {
	p       *provider
	imports map[string]string // module+class -> local alias
	order   []string          // import keys in first-use order
	body    strings.Builder
	// fallbacks counts attributes the generator could not map to a config
	// property and passed with addOverride instead (reported; 0 means every
	// attribute went through the provider classes' own config).
	fallbacks []string
	n         int // element counter for variable names
}

func newGenerator(p *provider) *generator {
	return &generator{p: p, imports: map[string]string{}}
}

func (g *generator) use(c *class) string {
	key := c.module + "\x00" + c.name
	if a, ok := g.imports[key]; ok {
		return a
	}
	a := fmt.Sprintf("C%d_%s", len(g.order), c.name)
	g.imports[key] = a
	g.order = append(g.order, key)
	return a
}

func (g *generator) printf(format string, args ...any) {
	fmt.Fprintf(&g.body, format, args...)
}

// element is one construct to create in a stack.
type element struct {
	path  string // construct path below the stack ("service/certificate")
	emit  func(v, scope, id string)
	depth int
}

// stack emits the function that rebuilds one stack.
func (g *generator) stack(idx int, s stackInput) error {
	doc := s.doc
	g.printf("\nfunction stack%d(app: App): void {\n", idx)
	g.printf("  const s = new TerraformStack(app, %s);\n", q(s.name))
	g.printf("  const sc = new Scopes(s);\n")

	known := map[string]bool{"//": true, "resource": true, "data": true, "provider": true, "terraform": true, "output": true, "variable": true}
	for i, k := range doc.keys {
		if !known[k] {
			g.fallback(s.name, k, "top-level block")
			g.printf("  s.addOverride(%s, %s);\n", q(k), doc.vals[i].jsString())
		}
	}

	// Providers first: resources refer to them.
	providers := map[string]string{} // "aws" or "aws.alias" -> variable
	if pv := doc.get("provider"); pv != nil {
		for i, pname := range pv.keys {
			if pname != "aws" {
				return fmt.Errorf("stack %s: provider %s is not supported (only aws)", s.name, pname)
			}
			c, err := g.p.lookup("provider", "aws")
			if err != nil {
				return err
			}
			for j, cfg := range pv.vals[i].elems {
				v := fmt.Sprintf("p%d", j)
				conf, over := g.config(c, c.attrs, cfg.without("//"), s.name+" provider aws")
				g.printf("  const %s = new %s(s, %s, %s as Any);\n", v, g.use(c), q(fmt.Sprintf("tsgen_provider_%d", j)), conf)
				g.overrides(v, over)
				ref := "aws"
				if a := cfg.get("alias"); a != nil && a.kind == 's' {
					ref += "." + a.str
				}
				providers[ref] = v
			}
		}
	}

	if tf := doc.get("terraform"); tf != nil {
		for i, k := range tf.keys {
			val := tf.vals[i]
			if k == "backend" && len(val.keys) == 1 && (val.keys[0] == "s3" || val.keys[0] == "local") {
				cls := map[string]string{"s3": "S3Backend", "local": "LocalBackend"}[val.keys[0]]
				g.printf("  new %s(s, %s as Any);\n", cls, camelKeys(val.vals[0]).jsString())
				continue
			}
			g.printf("  s.addOverride(%s, %s);\n", q("terraform."+k), val.jsString())
		}
	}

	if vars := doc.get("variable"); vars != nil {
		for i, name := range vars.keys {
			cfg := camelKeys(vars.vals[i].without("//"))
			g.printf("  new TerraformVariable(s, %s, %s as Any).overrideLogicalId(%s);\n", q("tsgen_var_"+name), cfg.jsString(), q(name))
		}
	}

	var elems []element
	var post []string
	for _, blockKind := range []string{"resource", "data"} {
		blk := doc.get(blockKind)
		if blk == nil {
			continue
		}
		for i, tfType := range blk.keys {
			c, err := g.p.lookup(blockKind, tfType)
			if err != nil {
				return fmt.Errorf("stack %s: %w", s.name, err)
			}
			byID := blk.vals[i]
			for j, logicalID := range byID.keys {
				r := byID.vals[j]
				path, err := elementPath(s.name, r)
				if err != nil {
					return fmt.Errorf("stack %s: %s.%s: %w", s.name, tfType, logicalID, err)
				}
				what := fmt.Sprintf("%s %s.%s", s.name, tfType, logicalID)
				meta := []string{"//", "depends_on", "provider", "count", "for_each", "lifecycle", "connection", "provisioner"}
				attrs := r.without(meta...)
				conf, over := g.config(c, c.attrs, attrs, what)
				if lc := r.get("lifecycle"); lc != nil {
					conf = strings.TrimSuffix(conf, "}")
					if conf != "{" {
						conf += ","
					}
					conf += q("lifecycle") + ":" + camelKeys(lc).jsString() + "}"
				}
				alias := g.use(c)
				c, logicalID, r := c, logicalID, r
				elems = append(elems, element{path: path, depth: strings.Count(path, "/"), emit: func(v, scope, id string) {
					g.printf("  const %s = new %s(%s, %s, %s as Any);\n", v, alias, scope, q(id), conf)
					g.printf("  %s.overrideLogicalId(%s);\n", v, q(logicalID))
					g.overrides(v, over)
					if d := r.get("depends_on"); d != nil {
						post = append(post, fmt.Sprintf("  %s.dependsOn = %s;\n", v, d.jsString()))
					}
					if pr := r.get("provider"); pr != nil && pr.kind == 's' {
						pv, ok := providers[pr.str]
						if !ok {
							pv = "undefined"
							g.fallback(what, "provider", "unknown provider "+pr.str)
						}
						post = append(post, fmt.Sprintf("  %s.provider = %s;\n", v, pv))
					}
					if cnt := r.get("count"); cnt != nil {
						post = append(post, fmt.Sprintf("  (%s as Any).count = %s;\n", v, cnt.jsString()))
					}
					for _, k := range []string{"for_each", "connection", "provisioner"} {
						if x := r.get(k); x != nil {
							post = append(post, fmt.Sprintf("  %s.addOverride(%s, %s);\n", v, q(k), x.jsString()))
						}
					}
					_ = c
				}})
			}
		}
	}

	// Outputs: their construct paths are in the "//" outputs tree.
	outIDs := map[string]string{} // logical id -> path below the stack
	if tree := doc.get("//").get("outputs").get(s.name); tree != nil {
		var walk func(prefix string, v *value)
		walk = func(prefix string, v *value) {
			for i, k := range v.keys {
				p := k
				if prefix != "" {
					p = prefix + "/" + k
				}
				if v.vals[i].kind == 's' {
					outIDs[v.vals[i].str] = p
				} else if v.vals[i].kind == 'o' {
					walk(p, v.vals[i])
				}
			}
		}
		walk("", tree)
	}
	if outs := doc.get("output"); outs != nil {
		for i, name := range outs.keys {
			o := outs.vals[i]
			path := outIDs[name]
			if path == "" {
				path = "tsgen_output_" + name
			}
			cfg := camelKeys(o.without("//", "depends_on"))
			name, o := name, o
			elems = append(elems, element{path: path, depth: strings.Count(path, "/"), emit: func(v, scope, id string) {
				g.printf("  const %s = new TerraformOutput(%s, %s, %s as Any);\n", v, scope, q(id), cfg.jsString())
				g.printf("  %s.overrideLogicalId(%s);\n", v, q(name))
				if d := o.get("depends_on"); d != nil {
					post = append(post, fmt.Sprintf("  %s.addOverride(\"depends_on\", %s);\n", v, d.jsString()))
				}
			}})
		}
	}

	// Parents before children, so that a construct that is the scope of
	// others exists before them.
	sort.SliceStable(elems, func(i, j int) bool { return elems[i].depth < elems[j].depth })
	isScope := map[string]bool{}
	for _, e := range elems {
		for p := e.path; strings.Contains(p, "/"); {
			p = p[:strings.LastIndex(p, "/")]
			isScope[p] = true
		}
	}
	for _, e := range elems {
		g.n++
		v := fmt.Sprintf("e%d", g.n)
		scope, id := "s", e.path
		if i := strings.LastIndex(e.path, "/"); i >= 0 {
			scope, id = fmt.Sprintf("sc.get(%s)", q(e.path[:i])), e.path[i+1:]
		}
		e.emit(v, scope, id)
		if isScope[e.path] {
			g.printf("  sc.set(%s, %s);\n", q(e.path), v)
		}
	}
	for _, p := range post {
		g.body.WriteString(p)
	}
	g.printf("}\n")
	return nil
}

// elementPath is the construct path of a resource below its stack, from its
// "//" metadata.
func elementPath(stack string, r *value) (string, error) {
	p := r.get("//").get("metadata").get("path")
	if p == nil || p.kind != 's' {
		return "", fmt.Errorf("no //.metadata.path")
	}
	rest, ok := strings.CutPrefix(p.str, stack+"/")
	if !ok || rest == "" {
		return "", fmt.Errorf("path %q is not below stack %s", p.str, stack)
	}
	return rest, nil
}

// config returns the TypeScript config literal for the attributes of obj
// under info, and the attributes it could not map (passed as overrides).
func (g *generator) config(c *class, info structInfo, obj *value, what string) (string, [][2]string) {
	var w strings.Builder
	var over [][2]string
	w.WriteByte('{')
	n := 0
	for i, k := range obj.keys {
		v := obj.vals[i]
		f, ok := info[k]
		var lit string
		if ok {
			lit, ok = g.convert(c, f, v)
		}
		if !ok {
			g.fallback(what, k, "no config property")
			over = append(over, [2]string{k, v.jsString()})
			continue
		}
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		writeJSString(&w, f.prop)
		w.WriteByte(':')
		w.WriteString(lit)
	}
	w.WriteByte('}')
	return w.String(), over
}

// convert returns the config value for a Terraform value of field f.
func (g *generator) convert(c *class, f field, v *value) (string, bool) {
	if f.kind != block {
		return v.jsString(), true
	}
	info, ok := c.structs[f.fn]
	if !ok {
		return "", false
	}
	one := func(e *value) (string, bool) {
		if e.kind != 'o' {
			return "", false
		}
		var w strings.Builder
		w.WriteByte('{')
		for i, k := range e.keys {
			sf, ok := info[k]
			if !ok {
				return "", false
			}
			lit, ok := g.convert(c, sf, e.vals[i])
			if !ok {
				return "", false
			}
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSString(&w, sf.prop)
			w.WriteByte(':')
			w.WriteString(lit)
		}
		w.WriteByte('}')
		return w.String(), true
	}
	switch v.kind {
	case 'o':
		return one(v)
	case 'a':
		parts := make([]string, len(v.elems))
		for i, e := range v.elems {
			s, ok := one(e)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ",") + "]", true
	}
	return "", false
}

func (g *generator) overrides(v string, over [][2]string) {
	for _, o := range over {
		g.printf("  %s.addOverride(%s, %s);\n", v, q(o[0]), o[1])
	}
}

func (g *generator) fallback(what, attr, why string) {
	g.fallbacks = append(g.fallbacks, fmt.Sprintf("%s: %s (%s)", what, attr, why))
}

// camelKeys converts the object keys of v, recursively, from Terraform's
// snake_case to cdktf's camelCase (cdktf converts them back with
// keysToSnakeCase for backends, variables, outputs and lifecycle).
func camelKeys(v *value) *value {
	switch v.kind {
	case 'o':
		out := &value{kind: 'o'}
		for i, k := range v.keys {
			out.keys = append(out.keys, camel(k))
			out.vals = append(out.vals, camelKeys(v.vals[i]))
		}
		return out
	case 'a':
		out := &value{kind: 'a', elems: []*value{}}
		for _, e := range v.elems {
			out.elems = append(out.elems, camelKeys(e))
		}
		return out
	}
	return v
}

// camel turns snake_case into camelCase.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			r := []rune(parts[i])
			r[0] = unicode.ToUpper(r[0])
			parts[i] = string(r)
		}
	}
	return strings.Join(parts, "")
}

func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

const prelude = `// Code generated by bench/tsgen from %s; DO NOT EDIT.
// Rebuilds the same stacks with the prebuilt TypeScript provider classes.
// With BENCH_PHASES=1 it prints phase times (ms) to stderr, like
// bench/synthapp -phases: load (Node start and the imports), define, synth.
const tStart = Date.now();
// No @types/node needed (tsconfig "types": []):
declare const process: { argv: string[]; env: Record<string, string | undefined>; stderr: { write(s: string): boolean } };
import { App, TerraformStack, TerraformOutput, TerraformVariable, S3Backend, LocalBackend } from "cdktf";
import { Construct } from "constructs";
%s
type Any = any;

// Scopes creates the plain constructs between a stack and its resources, so
// that construct paths match the Go app's.
class Scopes {
  private readonly m = new Map<string, Construct>();
  constructor(private readonly stack: Construct) {}
  get(path: string): Construct {
    let c = this.m.get(path);
    if (c) return c;
    const i = path.lastIndexOf("/");
    const parent = i < 0 ? this.stack : this.get(path.slice(0, i));
    c = new Construct(parent, path.slice(i + 1));
    this.m.set(path, c);
    return c;
  }
  set(path: string, c: Construct): void {
    this.m.set(path, c);
  }
}
`

// program returns the whole TypeScript program.
func (g *generator) program(source string, stacks int) string {
	var imp strings.Builder
	for _, key := range g.order {
		module, name, _ := strings.Cut(key, "\x00")
		fmt.Fprintf(&imp, "import { %s as %s } from %s;\n", name, g.imports[key], q(module))
	}
	var w strings.Builder
	fmt.Fprintf(&w, prelude, source, imp.String())
	w.WriteString(g.body.String())
	w.WriteString("\nconst t1 = Date.now();\nconst app = new App({ outdir: process.argv[2] || \"cdktf.out\" });\n")
	for i := 0; i < stacks; i++ {
		fmt.Fprintf(&w, "stack%d(app);\n", i)
	}
	w.WriteString("const t2 = Date.now();\napp.synth();\nconst t3 = Date.now();\n")
	w.WriteString("if (process.env.BENCH_PHASES) {\n  const t0 = Math.round(performance.timeOrigin);\n  process.stderr.write(`phases load=${t1 - t0} (node=${tStart - t0}) define=${t2 - t1} synth=${t3 - t2}\\n`);\n}\n")
	return w.String()
}
