// Package policydoc keeps the one resource policy of a key or bucket as a
// Go-side iampolicy.Document and checks statements before they are added:
// valid shape, no Allow to a wildcard principal, unique Sids (an identical
// statement is added once), and the service's size limit.
package policydoc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

var sidRe = regexp.MustCompile(`^[A-Za-z0-9]*$`)

// Check records in v every problem of adding statements to doc (fields
// prefix[i]); limit is the policy's size limit in bytes (tokens make the
// literal size approximate).
func Check(v *validate.Collector, prefix string, doc iampolicy.Document, limit int, statements ...iampolicy.Statement) {
	sids := map[string]string{}
	for _, s := range doc.Statement {
		if s.Sid != "" {
			sids[s.Sid] = render(s)
		}
	}
	next := doc
	next.Statement = append([]iampolicy.Statement(nil), doc.Statement...)
	for i, s := range statements {
		f := fmt.Sprintf("%s[%d]", prefix, i)
		// Read at synth time: Sids key the policy, Effect is the meaning.
		v.NeedLiteral(f+".Sid", s.Sid)
		v.NeedLiteral(f+".Effect", s.Effect)
		v.Check(s.Effect == "Allow" || s.Effect == "Deny", f+".Effect", s.Effect, `must be "Allow" or "Deny"`)
		v.Check(len(s.Action) > 0, f+".Action", s.Action, "must list at least one action")
		v.Check(sidRe.MatchString(s.Sid), f+".Sid", s.Sid, "must hold only letters and digits (IAM's Sid charset)")
		v.Check(s.Effect != "Allow" || !wildcard(s.Principal), f+".Principal", s.Principal,
			"must not be the wildcard principal in an Allow statement: grant to a role, an account or a service instead")
		if s.Sid != "" {
			if prev, dup := sids[s.Sid]; dup {
				v.Check(prev == render(s), f+".Sid", s.Sid, "is already used by a different statement of this policy; Sids must be unique")
				continue
			}
			sids[s.Sid] = render(s)
		}
		next.Statement = append(next.Statement, s)
	}
	if n := len(next.JSON()); n > limit {
		v.Add(prefix, n, fmt.Sprintf("would make the policy %d bytes; the limit is %d", n, limit))
	}
}

// Add appends the statements that are not in doc yet (an identical
// statement with the same Sid is skipped) and reports whether doc changed.
// Call Check first.
func Add(doc *iampolicy.Document, statements ...iampolicy.Statement) bool {
	changed := false
	for _, s := range statements {
		dup := false
		for _, have := range doc.Statement {
			if s.Sid != "" && have.Sid == s.Sid || render(have) == render(s) {
				dup = true
				break
			}
		}
		if !dup {
			doc.Statement = append(doc.Statement, s)
			changed = true
		}
	}
	return changed
}

func render(s iampolicy.Statement) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func wildcard(p any) bool {
	switch x := p.(type) {
	case string:
		return x == "*"
	case map[string]any:
		for _, val := range x {
			switch y := val.(type) {
			case string:
				if y == "*" {
					return true
				}
			case []string:
				for _, z := range y {
					if z == "*" {
						return true
					}
				}
			}
		}
	}
	return false
}

var nonAlnumRe = regexp.MustCompile(`[^A-Za-z0-9]+`)

// SidPart is name as part of a Sid (letters and digits only): name itself
// when it is letters and digits, else its letters and digits followed by
// 8 hex digits of its SHA-256, so that names differing only in other
// characters ("shop-prod", "shop_prod", "shopprod") give different Sids in
// a shared policy.
func SidPart(name string) string {
	readable := nonAlnumRe.ReplaceAllString(name, "")
	if readable == name {
		return readable
	}
	sum := sha256.Sum256([]byte(name))
	return readable + hex.EncodeToString(sum[:4])
}
