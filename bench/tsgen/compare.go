package main

import (
	"fmt"
	"sort"
	"strings"
)

// diff compares two synthesized stacks modulo metadata (every "//" key) and
// returns their differences as "path: want X, got Y" lines, at most max.
func diff(want, got *value, max int) []string {
	var out []string
	var walk func(path string, a, b *value)
	add := func(s string) {
		if len(out) < max {
			out = append(out, s)
		} else if len(out) == max {
			out = append(out, "...")
		}
	}
	walk = func(path string, a, b *value) {
		switch {
		case a == nil && b == nil:
			return
		case a == nil:
			add(fmt.Sprintf("%s: only in TypeScript: %s", path, short(b)))
			return
		case b == nil:
			add(fmt.Sprintf("%s: missing in TypeScript (Go: %s)", path, short(a)))
			return
		}
		if a.kind != b.kind {
			add(fmt.Sprintf("%s: Go %s, TypeScript %s", path, short(a), short(b)))
			return
		}
		switch a.kind {
		case 'o':
			keys := map[string]bool{}
			for _, k := range a.keys {
				keys[k] = true
			}
			for _, k := range b.keys {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				if k != "//" {
					sorted = append(sorted, k)
				}
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				walk(path+"."+k, a.get(k), b.get(k))
			}
		case 'a':
			if len(a.elems) != len(b.elems) {
				add(fmt.Sprintf("%s: Go has %d elements, TypeScript %d", path, len(a.elems), len(b.elems)))
				return
			}
			for i := range a.elems {
				walk(fmt.Sprintf("%s[%d]", path, i), a.elems[i], b.elems[i])
			}
		case 's':
			if a.str != b.str {
				add(fmt.Sprintf("%s: Go %q, TypeScript %q", path, a.str, b.str))
			}
		case 'n':
			if a.raw != b.raw {
				add(fmt.Sprintf("%s: Go %s, TypeScript %s", path, a.raw, b.raw))
			}
		default:
			if a.raw != b.raw {
				add(fmt.Sprintf("%s: Go %s, TypeScript %s", path, a.raw, b.raw))
			}
		}
	}
	walk("", want, got)
	return out
}

func short(v *value) string {
	s := v.jsString()
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return strings.TrimSpace(s)
}

// count returns the number of resources and data sources of a stack.
func count(doc *value) int {
	n := 0
	for _, k := range []string{"resource", "data"} {
		if b := doc.get(k); b != nil {
			for _, byID := range b.vals {
				n += len(byID.keys)
			}
		}
	}
	return n
}
