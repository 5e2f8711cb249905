package baseline

import (
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

var constructIDRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// CheckScope records a problem when scope is nil, when id could not name
// Terraform resources (cdktf derives resource and output names from it: it
// must start with a letter or '_' and hold only letters, digits, '_' and
// '-', at most 64 characters), or when scope already has a child named id.
// Constructors call it first, so that these mistakes return an error
// instead of a panic from the construct tree.
func CheckScope(v *validate.Collector, scope constructs.Construct, id string) {
	if scope == nil {
		v.Add("scope", nil, "is required")
		return
	}
	if !CheckID(v, id) {
		return
	}
	v.Check(tree.Node(scope).TryFindChild(jsii.String(id)) == nil, "id", id, "is already used by another construct in this scope")
}

// CheckID records a problem, and reports false, when id could not name a
// construct (the id rule of CheckScope), for checks that run before there is
// a scope.
func CheckID(v *validate.Collector, id string) bool {
	return v.Check(constructIDRe.MatchString(id), "id", id, "must start with a letter or '_' and hold at most 64 letters, digits, '_' and '-' (it becomes part of Terraform resource names)")
}

// EscapeTemplate makes a literal string safe to pass to a Terraform
// argument: "${" and "%{" become "$${" and "%%{", so Terraform does not
// read user text (a shell "${VAR}", a WAF search string "${jndi:") as an
// interpolation. cdktf tokens ("${TfToken[...]}") are left alone, so a
// string may still embed resource references.
func EscapeTemplate(s string) string {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if (s[i] == '$' || s[i] == '%') && i+1 < len(s) && s[i+1] == '{' && !strings.HasPrefix(s[i:], "${TfToken[") {
			b.WriteByte(s[i])
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
