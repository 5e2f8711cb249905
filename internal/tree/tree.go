// Package tree reads the facts about a construct that never change once it
// exists — its node, its path, its stack and the root of its tree — from the
// jsii kernel once per construct, instead of once per use. Each read is a
// round trip to the kernel (0.2–0.5 ms, see SPEED.md and bench/README.md);
// the constructs' validation (registry.Check, baseline.CheckScope, the
// provider-scope check) asks the same questions of the same scope many times
// per stack.
//
// The cache is keyed by the Go object (constructs whose dynamic type is a
// pointer, which every jsii proxy and every construct of this module is);
// other values are read every time. A construct's id, scope, path, stack
// and root are fixed when it is created, so a cached answer never goes
// stale; so is a resource attribute's token (Attr), a reference that cdktf
// resolves at synth. Child records a construct this module has just created, so that
// its path, stack and root follow from its parent's without a round trip.
package tree

import (
	"reflect"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

type facts struct {
	// parent and id, when Child recorded the construct.
	parent constructs.IConstruct
	id     string

	node    constructs.Node
	path    *string
	stackOK bool
	stack   cdktf.TerraformStack
	stackPV any // the value TerraformStack_Of panicked with
	root    constructs.IConstruct
	attrs   map[string]*string
}

var (
	mu    sync.Mutex
	cache = map[any]*facts{}
)

// entry returns c's cache entry, creating it, or nil when c cannot be a
// cache key (not a pointer).
func entry(c constructs.IConstruct) *facts {
	if c == nil {
		return nil
	}
	if v := reflect.ValueOf(c); v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	f := cache[c]
	if f == nil {
		f = &facts{}
		cache[c] = f
	}
	return f
}

// Child records that child was just created as new(parent, id) and is not a
// TerraformStack: its path is parent's path plus id, and its stack and root
// are parent's. Call it right after creating child; it reads nothing.
func Child(parent constructs.IConstruct, id string, child constructs.IConstruct) {
	f := entry(child)
	if f == nil || parent == nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if f.path == nil && !f.stackOK && f.root == nil {
		f.parent, f.id = parent, id
	}
}

// Attr is read(), called once per resource c and attribute name; read is
// the typed resource's getter, e.g. tree.Attr(sg, "id", sg.Id). A resource
// attribute is a token for a reference ("${aws_x.y.id}") that cdktf
// resolves at synth, so one token serves every use.
func Attr(c constructs.IConstruct, name string, read func() *string) *string {
	f := entry(c)
	if f == nil {
		return read()
	}
	mu.Lock()
	v, ok := f.attrs[name]
	mu.Unlock()
	if ok {
		return v
	}
	v = read()
	mu.Lock()
	if f.attrs == nil {
		f.attrs = map[string]*string{}
	}
	f.attrs[name] = v
	mu.Unlock()
	return v
}

// Node is c.Node(), read once.
func Node(c constructs.IConstruct) constructs.Node {
	f := entry(c)
	if f == nil {
		return c.Node()
	}
	mu.Lock()
	n := f.node
	mu.Unlock()
	if n == nil {
		n = c.Node()
		mu.Lock()
		f.node = n
		mu.Unlock()
	}
	return n
}

// Path is *c.Node().Path(), read once ("" for the app).
func Path(c constructs.IConstruct) string {
	f := entry(c)
	if f == nil {
		return *c.Node().Path()
	}
	mu.Lock()
	p, parent, id := f.path, f.parent, f.id
	mu.Unlock()
	if p != nil {
		return *p
	}
	var s string
	if parent != nil {
		if pp := Path(parent); pp != "" {
			s = pp + "/" + id
		} else {
			s = id
		}
	} else {
		s = *Node(c).Path()
	}
	mu.Lock()
	f.path = &s
	mu.Unlock()
	return s
}

// Stack is cdktf.TerraformStack_Of(c), read once. When c is in no stack,
// TerraformStack_Of panics; Stack returns nil and the value it panicked
// with.
func Stack(c constructs.IConstruct) (stack cdktf.TerraformStack, panicValue any) {
	f := entry(c)
	if f == nil {
		return stackOf(c)
	}
	mu.Lock()
	ok, s, pv, parent := f.stackOK, f.stack, f.stackPV, f.parent
	mu.Unlock()
	if ok {
		return s, pv
	}
	if parent != nil {
		s, pv = Stack(parent)
	} else {
		s, pv = stackOf(c)
	}
	mu.Lock()
	f.stackOK, f.stack, f.stackPV = true, s, pv
	mu.Unlock()
	return s, pv
}

// StackPath is the path of c's stack; it panics, as
// cdktf.TerraformStack_Of does, when c is in no stack.
func StackPath(c constructs.IConstruct) string {
	s, pv := Stack(c)
	if pv != nil {
		panic(pv)
	}
	return Path(s)
}

func stackOf(c constructs.IConstruct) (stack cdktf.TerraformStack, panicValue any) {
	defer func() {
		if r := recover(); r != nil {
			stack, panicValue = nil, r
		}
	}()
	return cdktf.TerraformStack_Of(c), nil
}

// Root is c.Node().Root(), read once.
func Root(c constructs.IConstruct) constructs.IConstruct {
	f := entry(c)
	if f == nil {
		return c.Node().Root()
	}
	mu.Lock()
	r, parent := f.root, f.parent
	mu.Unlock()
	if r != nil {
		return r
	}
	if parent != nil {
		r = Root(parent)
	} else {
		r = Node(c).Root()
	}
	mu.Lock()
	f.root = r
	mu.Unlock()
	return r
}
