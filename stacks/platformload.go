package stacks

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agext/levenshtein"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// ConfigProblem is one problem of a platform config file.
type ConfigProblem struct {
	// File is the config file's name as given to the loader.
	File string
	// Line and Column locate the key (or list item) at fault, 1-based; for
	// a missing key, its parent. Zero when unknown.
	Line, Column int
	// Path is the YAML key path, e.g. "environments.prod.vpc.cidr" (list
	// items as "ingress_cidrs[1]").
	Path string
	// Value is the offending value as written, or nil for a missing key.
	Value any
	// Rule says what is allowed.
	Rule string
	// Suggestion is the nearest valid value, when there is one (a region
	// for a region typo, the allowed memory size nearest the one given);
	// "" otherwise.
	Suggestion string
}

func (p ConfigProblem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		if p.Value != nil {
			fmt.Fprintf(&b, " = %#v", p.Value)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Rule)
	if p.Suggestion != "" {
		fmt.Fprintf(&b, "; did you mean %q?", p.Suggestion)
	}
	return b.String()
}

// ConfigError is returned by LoadPlatformConfig and ParsePlatformConfig for
// a config that cannot be used: it lists every problem, in file order, with
// file, line, key path, value and rule. errors.As also finds a
// *validate.Error in it (fields are the key paths).
type ConfigError struct {
	// File is the config file's name.
	File string
	// Problems holds one entry per problem; it is never empty.
	Problems []ConfigProblem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: invalid platform config (%d problem", e.File, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns the problems as a *validate.Error.
func (e *ConfigError) Unwrap() error {
	ve := &validate.Error{Construct: "stacks.LoadPlatformConfig"}
	for _, p := range e.Problems {
		ve.Problems = append(ve.Problems, validate.Problem{Field: p.Path, Value: p.Value, Rule: p.Rule, Suggestion: p.Suggestion})
	}
	return ve
}

// utf8Text returns data without a UTF-8 byte order mark, or a problem
// when data is not UTF-8 text.
func utf8Text(file string, data []byte) ([]byte, *ConfigProblem) {
	const save = ": save the file as UTF-8"
	for _, bom := range []struct{ mark, name string }{
		// UTF-32 first: its little-endian mark starts with UTF-16's.
		{"\x00\x00\xFE\xFF", "UTF-32"}, {"\xFF\xFE\x00\x00", "UTF-32"}, {"\xFE\xFF", "UTF-16"}, {"\xFF\xFE", "UTF-16"},
	} {
		if strings.HasPrefix(string(data), bom.mark) {
			return nil, &ConfigProblem{File: file, Line: 1, Column: 1, Rule: "is " + bom.name + " text" + save}
		}
	}
	data = []byte(strings.TrimPrefix(string(data), "\uFEFF"))
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return nil, &ConfigProblem{File: file, Line: line, Column: col, Rule: fmt.Sprintf("is not UTF-8 text (byte 0x%02X)%s", data[i], save)}
		case r == 0:
			// YAML allows no NUL; UTF-16 without a byte order mark has many.
			return nil, &ConfigProblem{File: file, Line: line, Column: col, Rule: "holds a NUL byte (UTF-16 text without a byte order mark?)" + save}
		}
		// Line ends: LF, CRLF or a lone CR (YAML's line breaks).
		if r == '\n' || r == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			line, col = line+1, 0
		}
		col++
		i += n
	}
	return data, nil
}

// LoadPlatformConfig reads and checks the platform config file at path
// (usually ConfigFile()). See ParsePlatformConfig.
func LoadPlatformConfig(path string) (*PlatformConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("platform config: %w (%s names another file)", err, ConfigFileEnv)
	}
	return ParsePlatformConfig(path, data)
}

// ParsePlatformConfig parses a platform config (YAML; the schema is
// PlatformConfig's, README "Configuring your environments") and checks it
// completely: syntax, unknown keys (with the nearest known key), duplicate
// keys, wrong types, then every rule of PlatformConfig.Validate. It returns
// the config as written (defaults are applied by NewPlatformApp) or one
// *ConfigError listing every problem; file names the source in messages.
//
// Scalars may be written unquoted where a string is expected (account
// 123456789012, image_tag 1.10): the text is taken as written. Anchors and
// aliases work; top-level keys starting with "x-" are ignored, to hold
// anchors. The file is UTF-8 (YAML 1.2's default), with or without a
// byte order mark and with LF, CRLF or CR line ends; a UTF-16 or UTF-32
// file, a NUL byte or invalid UTF-8 is a problem at its first bad byte.
func ParsePlatformConfig(file string, data []byte) (*PlatformConfig, error) {
	data, p := utf8Text(file, data)
	if p != nil {
		return nil, &ConfigError{File: file, Problems: []ConfigProblem{*p}}
	}
	d := &decoder{file: file, pos: map[string]token.Position{}, bad: map[string]bool{}, anchors: map[string]ast.Node{}, suggested: map[string]bool{}}
	cfg := &PlatformConfig{}
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		p := ConfigProblem{File: file, Rule: "invalid YAML: " + err.Error()}
		var ye yaml.Error
		if errors.As(err, &ye) {
			p.Rule = "invalid YAML: " + ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				p.Line, p.Column = tk.Position.Line, tk.Position.Column
			}
		}
		return nil, &ConfigError{File: file, Problems: []ConfigProblem{p}}
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			d.add(doc.Body, fmt.Sprintf("document %d", i+1), nil, "must be the only YAML document in the file")
			continue
		}
		body = doc.Body
	}
	if body == nil {
		d.problems = append(d.problems, ConfigProblem{File: file, Rule: "is empty: see README, Configuring your environments"})
	} else {
		d.collectAnchors(body)
		d.decode(body, "", reflect.ValueOf(cfg).Elem())
	}
	if body != nil {
		v := validate.New("")
		cfg.check(v)
		for _, p := range problemsOf(v) {
			if d.isBad(p.Field) || d.suggested[p.Field] && p.Rule == requiredRule {
				continue // already reported as a type problem or a misspelt key
			}
			cp := ConfigProblem{File: file, Path: p.Field, Value: p.Value, Rule: p.Rule, Suggestion: p.Suggestion}
			cp.Line, cp.Column = d.position(p.Field)
			d.problems = append(d.problems, cp)
		}
	}
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b ConfigProblem) int {
			// Problems without a position (none in practice) go last.
			la, lb := a.Line, b.Line
			if la == 0 {
				la = 1 << 30
			}
			if lb == 0 {
				lb = 1 << 30
			}
			if la != lb {
				return la - lb
			}
			return a.Column - b.Column
		})
		return nil, &ConfigError{File: file, Problems: d.problems}
	}
	return cfg, nil
}

// decoder walks the YAML AST against the PlatformConfig types (by
// reflection over their yaml tags), so that every problem is found, not
// only the first, and every key keeps its position.
type decoder struct {
	file     string
	problems []ConfigProblem
	// pos maps key paths to the position of their key (or list item).
	pos map[string]token.Position
	// bad holds the paths whose values could not be decoded.
	bad     map[string]bool
	anchors map[string]ast.Node
	// suggested holds the paths of keys that an unknown key was taken
	// for ("regin" for "region"): their "is required" is not repeated.
	suggested map[string]bool
}

func (d *decoder) add(n ast.Node, path string, value any, rule string) {
	p := ConfigProblem{File: d.file, Path: path, Value: value, Rule: rule}
	if n != nil {
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			p.Line, p.Column = tk.Position.Line, tk.Position.Column
		}
	}
	d.problems = append(d.problems, p)
}

func (d *decoder) mark(n ast.Node, path string) {
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		if _, ok := d.pos[path]; !ok {
			d.pos[path] = *tk.Position
		}
	}
}

// position returns the position of path, or of its nearest ancestor. A
// map key written as "tags[aws:cost]" (validate.Tags) is the key
// "tags.aws:cost".
func (d *decoder) position(path string) (int, int) {
	if i := strings.LastIndexByte(path, '['); i > 0 && strings.HasSuffix(path, "]") && !isIndex(path[i:]) {
		if p, ok := d.pos[path[:i]+"."+path[i+1:len(path)-1]]; ok {
			return p.Line, p.Column
		}
	}
	for {
		if p, ok := d.pos[path]; ok {
			return p.Line, p.Column
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			if p, ok := d.pos[""]; ok {
				return p.Line, p.Column
			}
			return 0, 0
		}
		path = path[:i]
	}
}

// isBad reports whether path or an ancestor failed to decode.
func (d *decoder) isBad(path string) bool {
	for {
		if d.bad[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return false
		}
		path = path[:i]
	}
}

func (d *decoder) collectAnchors(n ast.Node) {
	ast.Walk(visitor(func(n ast.Node) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
	}), n)
}

type visitor func(ast.Node)

func (f visitor) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// resolve strips anchors, aliases and tags (an explicit !!str keeps the
// scalar's text).
func (d *decoder) resolve(n ast.Node) (ast.Node, bool) {
	forceString := false
	for i := 0; i < 100 && n != nil; i++ {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.AliasNode:
			target, ok := d.anchors[x.Value.GetToken().Value]
			if !ok {
				return nil, false
			}
			n = target
		case *ast.TagNode:
			if x.Start != nil && x.Start.Value == "!!str" {
				forceString = true
			}
			n = x.Value
		default:
			return n, forceString
		}
	}
	return n, forceString
}

// describe is how a node appears as a problem's value.
func describe(n ast.Node) any {
	switch x := n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return nil
	case *ast.StringNode:
		return x.Value
	}
	s := strings.TrimSpace(n.String())
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func (d *decoder) decode(n ast.Node, path string, rv reflect.Value) {
	n, forceString := d.resolve(n)
	if n == nil {
		d.bad[path] = true
		d.add(n, path, nil, "is an alias of an undefined anchor")
		return
	}
	if _, null := n.(*ast.NullNode); null {
		return // an empty value: as if the key were not there
	}
	switch rv.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, path, rv)
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Struct {
			d.decodeKeyed(n, path, rv)
			return
		}
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			d.typeProblem(n, path, "must be a list, e.g. [a, b]")
			return
		}
		out := reflect.MakeSlice(rv.Type(), len(seq.Values), len(seq.Values))
		for i, item := range seq.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.mark(item, p)
			d.decode(item, p, out.Index(i))
		}
		rv.Set(out)
	case reflect.Map:
		m, ok := d.mapping(n)
		if !ok {
			d.typeProblem(n, path, "must be a mapping of names to values")
			return
		}
		out := reflect.MakeMapWithSize(rv.Type(), len(m))
		seen := map[string]int{}
		for _, kv := range m {
			key := kv.Key.GetToken().Value
			p := path + "." + key
			if line, dup := seen[key]; dup {
				d.add(kv.Key, p, nil, fmt.Sprintf("is defined twice (first at line %d)", line))
				continue
			}
			seen[key] = kv.Key.GetToken().Position.Line
			d.mark(kv.Key, p)
			val := reflect.New(rv.Type().Elem()).Elem()
			d.decode(kv.Value, p, val)
			out.SetMapIndex(reflect.ValueOf(key), val)
		}
		rv.Set(out)
	case reflect.Pointer:
		val := reflect.New(rv.Type().Elem())
		if rv.Type().Elem().Kind() == reflect.Struct {
			// An optional section (vpc.existing): set when written.
			if d.decodeStruct(n, path, val.Elem()) {
				rv.Set(val)
			}
			return
		}
		if d.scalar(n, path, val.Elem(), forceString) {
			rv.Set(val)
		}
	default:
		d.scalar(n, path, rv, forceString)
	}
}

func (d *decoder) typeProblem(n ast.Node, path, rule string) {
	d.bad[path] = true
	d.add(n, path, describe(n), rule)
}

// scalar decodes a string, integer or bool.
func (d *decoder) scalar(n ast.Node, path string, rv reflect.Value, forceString bool) bool {
	if lit, ok := n.(*ast.LiteralNode); ok {
		n = lit.Value
	}
	switch rv.Kind() {
	case reflect.String:
		switch x := n.(type) {
		case *ast.StringNode:
			rv.SetString(x.Value)
		case *ast.IntegerNode, *ast.FloatNode:
			rv.SetString(x.GetToken().Value) // the number's text, as written
		case *ast.BoolNode:
			if !forceString {
				d.typeProblem(n, path, fmt.Sprintf("must be a string, not a boolean (quote it: \"%s\")", x.GetToken().Value))
				return false
			}
			rv.SetString(x.GetToken().Value)
		default:
			d.typeProblem(n, path, "must be a string")
			return false
		}
	case reflect.Int:
		x, ok := n.(*ast.IntegerNode)
		if !ok || forceString {
			d.typeProblem(n, path, "must be a whole number")
			return false
		}
		i, err := strconv.ParseInt(fmt.Sprint(x.Value), 10, 32)
		if err != nil {
			d.typeProblem(n, path, "must be a whole number within ±2147483647")
			return false
		}
		rv.SetInt(i)
	case reflect.Bool:
		x, ok := n.(*ast.BoolNode)
		if !ok || forceString {
			d.typeProblem(n, path, "must be true or false")
			return false
		}
		rv.SetBool(x.Value)
	default:
		panic("stacks: unsupported config field kind " + rv.Kind().String()) // a programming error in this package
	}
	return true
}

// mapping returns the key-value pairs of a mapping node, with merge keys
// ("<<: *anchor") expanded: keys written in the mapping itself win.
func (d *decoder) mapping(n ast.Node) ([]*ast.MappingValueNode, bool) {
	var values []*ast.MappingValueNode
	switch x := n.(type) {
	case *ast.MappingNode:
		values = x.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{x}
	default:
		return nil, false
	}
	var own, merged []*ast.MappingValueNode
	for _, kv := range values {
		if _, isMerge := kv.Key.(*ast.MergeKeyNode); !isMerge {
			own = append(own, kv)
			continue
		}
		srcs := []ast.Node{kv.Value}
		if v, _ := d.resolve(kv.Value); v != nil {
			if seq, ok := v.(*ast.SequenceNode); ok {
				srcs = seq.Values
			}
		}
		for _, src := range srcs {
			src, _ = d.resolve(src)
			if m, ok := d.mapping(src); ok {
				merged = append(merged, m...)
			}
		}
	}
	for _, kv := range merged {
		key := kv.Key.GetToken().Value
		if !slices.ContainsFunc(own, func(o *ast.MappingValueNode) bool { return o.Key.GetToken().Value == key }) {
			own = append(own, kv)
		}
	}
	return own, true
}

func hasKey(m map[string]fieldInfo, k string) bool { _, ok := m[k]; return ok }

type fieldInfo struct {
	index int
	keyed bool
}

func fieldsOf(t reflect.Type) (map[string]fieldInfo, []string) {
	fields := map[string]fieldInfo{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = fieldInfo{index: i, keyed: opts == "keyed"}
		names = append(names, name)
	}
	return fields, names
}

// decodeStruct decodes a mapping into a struct; false when n is no
// mapping.
func (d *decoder) decodeStruct(n ast.Node, path string, rv reflect.Value) bool {
	m, ok := d.mapping(n)
	if !ok {
		d.typeProblem(n, path, "must be a mapping of keys to values")
		return false
	}
	if path == "" && len(m) > 0 {
		d.mark(m[0].Key, "")
	}
	fields, names := fieldsOf(rv.Type())
	seen := map[string]int{}
	for _, kv := range m {
		key := kv.Key.GetToken().Value
		p := join(path, key)
		if path == "" && strings.HasPrefix(key, "x-") {
			continue // extension keys, to hold anchors
		}
		f, known := fields[key]
		if !known {
			hint, meant := suggest(key, names, rv.Type())
			if meant != "" {
				d.suggested[join(path, meant)] = true
			}
			d.add(kv.Key, p, nil, "unknown key"+hint)
			continue
		}
		if line, dup := seen[key]; dup {
			d.add(kv.Key, p, nil, fmt.Sprintf("is defined twice (first at line %d)", line))
			continue
		}
		seen[key] = kv.Key.GetToken().Position.Line
		d.mark(kv.Key, p)
		d.decode(kv.Value, p, rv.Field(f.index))
	}
	return true
}

// decodeKeyed decodes a mapping of names to structs into a slice, in file
// order, setting each element's Name.
func (d *decoder) decodeKeyed(n ast.Node, path string, rv reflect.Value) {
	m, ok := d.mapping(n)
	if !ok {
		d.typeProblem(n, path, "must be a mapping of names to their settings")
		return
	}
	seen := map[string]int{}
	out := reflect.MakeSlice(rv.Type(), 0, len(m))
	for _, kv := range m {
		name := kv.Key.GetToken().Value
		p := path + "." + name
		if line, dup := seen[name]; dup {
			what := "environment"
			if path != "environments" {
				what = "service"
			}
			d.add(kv.Key, p, nil, fmt.Sprintf("is defined twice (first at line %d): %s names must be unique", line, what))
			continue
		}
		seen[name] = kv.Key.GetToken().Position.Line
		d.mark(kv.Key, p)
		el := reflect.New(rv.Type().Elem()).Elem()
		el.FieldByName("Name").SetString(name)
		d.decode(kv.Value, p, el)
		out = reflect.Append(out, el)
	}
	rv.Set(out)
}

// suggest proposes the nearest known key, or the nested key of that name,
// and returns the hint and the key meant (relative to the mapping).
func suggest(key string, names []string, t reflect.Type) (string, string) {
	best, bestDist := "", 0
	for _, n := range names {
		dist := levenshtein.Distance(strings.ToLower(key), n, nil)
		if best == "" || dist < bestDist {
			best, bestDist = n, dist
		}
	}
	if best != "" && bestDist <= max(2, len(key)/3) {
		return fmt.Sprintf("; did you mean %q?", best), best
	}
	// A key that belongs one level down, e.g. "cidr" next to "vpc".
	fields, _ := fieldsOf(t)
	for _, n := range names {
		ft := t.Field(fields[n].index).Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			if nested, _ := fieldsOf(ft); hasKey(nested, key) {
				return fmt.Sprintf("; did you mean %s.%s?", n, key), n + "." + key
			}
		}
	}
	return fmt.Sprintf(" (known keys: %s)", strings.Join(names, ", ")), ""
}
