package registry

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Owner is one construct, by its id in the scope given to CheckEach, and
// the names it will create.
type Owner struct {
	ID     string
	Claims []Claim
}

// CheckEach is Check for several constructs that one caller creates
// together (a stack's outputs, the roles of a bootstrap stack): each owner
// is checked against the committed names, and against the owners before it,
// so that two of them with one name get the same message as a clash with
// another construct, naming both. Commit the returned reservation once
// every owner's config is valid.
//
// With a nil scope (a config's Validate, before any construct exists) the
// owners are only checked against each other, as if in one stack; their
// ids are then taken as construct paths in messages.
func CheckEach(v *validate.Collector, scope constructs.Construct, env Env, owners []Owner) *Reservation {
	all := &Reservation{claims: map[key]owner{}}
	for _, o := range owners {
		claims := map[key]owner{}
		if scope != nil {
			r := Check(v, scope, o.ID, env, o.Claims)
			if r.app != nil {
				all.app = r.app
			}
			claims = r.claims
		} else {
			for _, c := range o.Claims {
				if c.Name != "" && !validate.HasToken(c.Name) {
					claims[keyOf(c, env, nil)] = owner{path: o.ID, field: c.Field, name: c.Name}
				}
			}
		}
		reported := map[string]bool{} // one problem per field of an owner
		for _, k := range sortedKeys(claims) {
			ow := claims[k]
			if prev, dup := all.claims[k]; dup {
				if reported[ow.field] {
					continue
				}
				reported[ow.field] = true
				hint := k.kind.Hint
				if hint == "" {
					hint = "choose another value so the two do not collide"
				}
				v.Add(ow.field, ow.name, fmt.Sprintf("%s %q%s is already used by construct %s (field %s); %s",
					k.kind.Name, ow.name, where(k, stackPathOf(scope)), prev.path, prev.field, hint))
				continue
			}
			all.claims[k] = ow
		}
	}
	return all
}

// sortedKeys orders a reservation's keys by field, so that messages come
// in a stable order.
func sortedKeys(m map[key]owner) []key {
	out := make([]key, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b key) int {
		return strings.Compare(m[a].field+"\x00"+a.kind.Name+"\x00"+a.name, m[b].field+"\x00"+b.kind.Name+"\x00"+b.name)
	})
	return out
}

func stackPathOf(scope constructs.Construct) (path string) {
	if scope == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			path = ""
		}
	}()
	return *cdktf.TerraformStack_Of(scope).Node().Path()
}

// Release forgets every name committed by scope and the constructs below
// it, for a caller that removes them from the construct tree again (a stack
// whose construction failed half way): the user can then retry with the
// same names.
func Release(scope constructs.Construct) {
	if scope == nil {
		return
	}
	path := *scope.Node().Path()
	mu.Lock()
	defer mu.Unlock()
	m := apps[scope.Node().Root()]
	for k, o := range m {
		if o.path == path || strings.HasPrefix(o.path, path+"/") {
			delete(m, k)
		}
	}
}
