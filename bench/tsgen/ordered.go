package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// value is a JSON value that keeps the order of object keys and the exact
// text of numbers, so the generated TypeScript passes the same literals.
type value struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	keys  []string
	vals  []*value // object values, parallel to keys
	elems []*value // array elements
	str   string   // string value
	raw   string   // number text, "true"/"false", "null"
}

func parseJSON(b []byte) (*value, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (*value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &value{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				e, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, e)
			}
			_, err := dec.Token() // '}'
			return v, err
		case '[':
			v := &value{kind: 'a', elems: []*value{}}
			for dec.More() {
				e, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, e)
			}
			_, err := dec.Token() // ']'
			return v, err
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	case string:
		return &value{kind: 's', str: t}, nil
	case json.Number:
		return &value{kind: 'n', raw: t.String()}, nil
	case bool:
		return &value{kind: 'b', raw: fmt.Sprint(t)}, nil
	case nil:
		return &value{kind: 'z', raw: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// get returns the value of key in object v, or nil.
func (v *value) get(key string) *value {
	if v == nil || v.kind != 'o' {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

// without returns a copy of object v without the given keys.
func (v *value) without(drop ...string) *value {
	out := &value{kind: 'o'}
	for i, k := range v.keys {
		skip := false
		for _, d := range drop {
			skip = skip || k == d
		}
		if !skip {
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, v.vals[i])
		}
	}
	return out
}

// js writes v as a JavaScript literal (JSON is valid JavaScript; Go's JSON
// encoder escapes U+2028 and U+2029).
func (v *value) js(w *strings.Builder) {
	switch v.kind {
	case 'o':
		w.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSString(w, k)
			w.WriteByte(':')
			v.vals[i].js(w)
		}
		w.WriteByte('}')
	case 'a':
		w.WriteByte('[')
		for i, e := range v.elems {
			if i > 0 {
				w.WriteByte(',')
			}
			e.js(w)
		}
		w.WriteByte(']')
	case 's':
		writeJSString(w, v.str)
	default:
		w.WriteString(v.raw)
	}
}

func (v *value) jsString() string {
	var w strings.Builder
	v.js(&w)
	return w.String()
}

func writeJSString(w *strings.Builder, s string) {
	b, _ := json.Marshal(s)
	w.Write(b)
}
