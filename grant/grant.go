// Package grant is the permission model of the constructs, after AWS CDK's
// IGrantable and Grant: a resource construct (securekey.SecureKey,
// securebucket.SecureBucket) grants actions on itself to a Grantee, instead
// of the user writing a second policy.
//
//   - A role created in this app (Role) gets one inline policy per grant on
//     the role (identity side): aws_iam_role_policy named
//     "<grant>-<8 hex of the resource's construct path>", created next to
//     the role, with a deterministic construct id. Granting the same thing
//     twice returns the first grant; reusing a grant name on one resource
//     and role for other actions is an error.
//   - Any other principal (Principal: another account, a role or user
//     managed elsewhere; Service: an AWS service) gets a statement in the
//     resource's one resource policy (resource side), one per grantee.
//
// Identity-side grants work because the resource policies of the
// constructs let the account's IAM policies decide (the key policy gives
// the account root kms:*; bucket policies only deny).
//
// See https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws-iam.Grant.html
// for the model this follows.
package grant

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Grantee receives permissions. Use Role, Principal or Service.
type Grantee interface {
	// Role is the app's role that identity-side grants attach to; nil for
	// a principal outside the app.
	Role() iamrole.IamRole
	// Principal is the principal of a resource-side statement, e.g.
	// iampolicy.AWS(arn) or iampolicy.Service(name).
	Principal() any
	// Conditions are added to a resource-side statement (e.g.
	// aws:SourceAccount for a service principal); nil for none.
	Conditions() map[string]map[string]any
}

type role struct{ r iamrole.IamRole }

func (g role) Role() iamrole.IamRole { return g.r }
func (g role) Principal() any {
	if isNil(g.r) {
		return nil
	}
	return iampolicy.AWS(*g.r.Arn())
}
func (g role) Conditions() map[string]map[string]any { return nil }

// Role is a role created in this app (e.g. HardenedEcsService.TaskRole):
// grants attach an inline policy to it.
func Role(r iamrole.IamRole) Grantee { return role{r} }

type principal struct {
	p          any
	conditions map[string]map[string]any
}

func (g principal) Role() iamrole.IamRole                 { return nil }
func (g principal) Principal() any                        { return g.p }
func (g principal) Conditions() map[string]map[string]any { return g.conditions }

// Principal is an IAM principal not managed by this app (an account ID, an
// account root "arn:aws:iam::<account>:root", a role or a user ARN, or a
// reference to one): grants add a statement to the resource policy. Apply
// refuses any other literal value.
func Principal(arn string) Grantee { return principal{p: iampolicy.AWS(arn)} }

// Service is an AWS service principal such as "delivery.logs.amazonaws.com"
// with optional conditions (aws:SourceAccount, aws:SourceArn: always set
// them against the confused-deputy problem): grants add a statement to the
// resource policy. Apply refuses a name that is not "<...>.amazonaws.com"
// (or ".amazonaws.com.cn").
func Service(name string, conditions map[string]map[string]any) Grantee {
	return principal{p: iampolicy.Service(name), conditions: conditions}
}

// Grant is the result of granting.
type Grant struct {
	// Statement is the (first) statement granted: in the role's inline
	// policy (Resource set), or in the resource policy (Principal set).
	Statement iampolicy.Statement
	// Statements are all statements granted, Statement first, then one per
	// Request.Also part.
	Statements []iampolicy.Statement
	// RolePolicy is the inline policy on the role; nil for a resource-side
	// grant.
	RolePolicy iamrolepolicy.IamRolePolicy
}

// ResourceSide reports whether the grant went into the resource policy.
func (g *Grant) ResourceSide() bool { return g.RolePolicy == nil }

// Request is what a resource construct grants. It is the extension point
// for resource constructs of your own; the constructs of this module call
// Apply with it.
type Request struct {
	// Name names the grant ("kms-decrypt", "s3-read"): letters, digits and
	// '-'. It becomes part of the inline policy's name and construct id.
	Name string
	// ResourcePath is the construct path of the resource (its node path),
	// which makes the inline policy name unique per resource.
	ResourcePath string
	// Scope is the resource's construct (e.g. the aws_kms_key). Resource
	// side, the grantee's references (a role ARN from a variable or another
	// resource) are resolved from it for the statement's Sid, so that two
	// principals given as references get two statements. Without it, each
	// reference counts as one value. Optional.
	Scope constructs.IConstruct
	// Actions are the IAM actions granted.
	Actions []string
	// Resources are the ARNs of the identity-side statement (the key ARN,
	// the bucket and "<bucket>/*").
	Resources []string
	// ResourcePolicyResources are the resources of the resource-side
	// statement ("*" in a key policy, the bucket ARNs in a bucket policy).
	ResourcePolicyResources []string
	// AddToResourcePolicy adds a statement to the resource's one policy.
	AddToResourcePolicy func(iampolicy.Statement) error
	// Also are further statements of the same grant, for permissions whose
	// actions differ by resource or that span resources (a Terraform state
	// object, its lock file and the state key). Identity side they go into
	// the same inline policy; resource side each goes into the policy its
	// AddToResourcePolicy adds to (the Request's when nil). Optional.
	Also []Part
}

// Part is one further statement of a Request (see Request.Also).
type Part struct {
	// Actions are the IAM actions of this statement.
	Actions []string
	// Resources are the ARNs of the identity-side statement.
	Resources []string
	// ResourcePolicyResources are the resources of the resource-side
	// statement.
	ResourcePolicyResources []string
	// AddToResourcePolicy adds the resource-side statement to its
	// resource's policy; nil means the Request's.
	AddToResourcePolicy func(iampolicy.Statement) error
}

var (
	grantNameRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,100}$`)
	nonAlnumRe  = regexp.MustCompile(`[^A-Za-z0-9]`)
)

// actionsOf is actionSets of a policy document's statements.
func actionsOf(doc string) []string {
	var d iampolicy.Document
	if json.Unmarshal([]byte(doc), &d) != nil {
		return nil
	}
	return actionSets(d.Statement)
}

// actionSets lists the actions of each statement as a set (sorted, once
// each), one string per statement.
func actionSets(sts []iampolicy.Statement) []string {
	var out []string
	for _, st := range sts {
		a := slices.Clone(st.Action)
		slices.Sort(a)
		out = append(out, strings.Join(slices.Compact(a), "\x00"))
	}
	return out
}

// partStatements are the statements of parts, for comparing actions.
func partStatements(parts []Part) []iampolicy.Statement {
	var out []iampolicy.Statement
	for _, p := range parts {
		out = append(out, iampolicy.Statement{Action: p.Actions})
	}
	return out
}

// grantCache remembers the resource-side grants per resource construct
// (Request.Scope) and Sid.
type grantCache struct {
	mu sync.Mutex
	m  map[constructs.IConstruct]map[string]*Grant
}

var resourceGrants grantCache

func (c *grantCache) get(scope constructs.IConstruct, sid string) (*Grant, bool) {
	if scope == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[scope][sid]
	return g, ok
}

func (c *grantCache) put(scope constructs.IConstruct, sid string, g *Grant) {
	if scope == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[constructs.IConstruct]map[string]*Grant{}
	}
	if c.m[scope] == nil {
		c.m[scope] = map[string]*Grant{}
	}
	c.m[scope][sid] = g
}

// granteeKey is g's principal and conditions as JSON, with their tokens
// resolved from scope ("${var.ci_role_arn}"), or each token written as
// "${token}" without a scope: a token's own text changes with the order
// tokens are made in, and Sids must not (synthesis is deterministic).
func granteeKey(g Grantee, scope constructs.IConstruct) string {
	b, _ := json.Marshal([]any{g.Principal(), g.Conditions()})
	if scope != nil {
		if r, ok := resolveJSON(b, scope); ok {
			b = r
		}
	}
	var out strings.Builder
	for _, f := range validate.Fragments(string(b)) {
		if f.Token {
			out.WriteString("${token}")
		} else {
			out.WriteString(f.Text)
		}
	}
	return out.String()
}

// resolveJSON resolves the tokens of a JSON document from scope (plain
// JSON values only cross into the jsii kernel; a failure leaves the
// tokens as they are).
func resolveJSON(doc []byte, scope constructs.IConstruct) (out []byte, ok bool) {
	var plain any
	if json.Unmarshal(doc, &plain) != nil {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	r := cdktf.Tokenization_Resolve(plain, &cdktf.ResolveOptions{Scope: scope, Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat())})
	out, err := json.Marshal(r)
	return out, err == nil
}

// hash8 is 8 hex digits of the SHA-256 of s.
func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// checkPrincipal checks the literal values of a resource-side grantee:
// an "AWS" principal is an account ID or an IAM or STS ARN, a "Service"
// principal a service's DNS name (s3.amazonaws.com,
// logs.cn-north-1.amazonaws.com.cn). References are Terraform's to check.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func checkPrincipal(v *validate.Collector, p any) {
	m, ok := p.(map[string]any)
	if !ok {
		return
	}
	for _, kind := range []string{"AWS", "Service"} {
		s, ok := m[kind].(string)
		if !ok || !v.Literal("grantee", s) {
			continue
		}
		switch kind {
		case "AWS":
			a, isArn := validate.ParseARN(s)
			v.Check(validate.AccountID(s) || isArn && (a.Service == "iam" || a.Service == "sts"), "grantee", s,
				"must be an account ID or the ARN of an IAM principal (arn:<partition>:iam::<account>:root, :role/<name>, :user/<name>)")
		case "Service":
			v.Check(servicePrincipalRe.MatchString(s), "grantee", s, "must be a service principal such as logs.amazonaws.com")
		}
	}
}

var servicePrincipalRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.amazonaws\.com(\.cn)?$`)

// isNil reports whether x is nil or an interface holding a nil pointer.
func isNil(x any) bool {
	if x == nil {
		return true
	}
	r := reflect.ValueOf(x)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// Apply grants req to g: an inline policy on g's role when it is a role of
// this app, else a statement added to the resource policy (one per part:
// Request.Also). Statement ids are "Grant<name><8 hex>" and, for the parts,
// that with "Part<n>" appended (n from 2); resource side, the 8 hex digits
// hash the resource, the name and the grantee (principal and conditions,
// references resolved from Request.Scope), so each grantee gets its own
// statement. Applying the same grant twice returns the first grant; a role
// grant whose name is already used on the resource and role for other
// actions is an error.
func Apply(g Grantee, req Request) (*Grant, error) {
	v := validate.New("grant.Apply")
	v.Check(!isNil(g) && (!isNil(g.Role()) || g.Principal() != nil), "grantee", nil, "is required: grant.Role(role), grant.Principal(arn) or grant.Service(name, conditions)")
	v.Check(grantNameRe.MatchString(req.Name), "Name", req.Name, "must be 1-100 letters, digits and '-'")
	v.Check(len(req.Actions) > 0, "Actions", req.Actions, "must list at least one action")
	for i, p := range req.Also {
		v.Check(len(p.Actions) > 0, fmt.Sprintf("Also[%d].Actions", i), p.Actions, "must list at least one action")
	}
	if !isNil(g) && isNil(g.Role()) {
		checkPrincipal(v, g.Principal())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	suffix := hash8(req.ResourcePath)
	sid := "Grant" + nonAlnumRe.ReplaceAllString(req.Name, "") + suffix
	if g.Role() == nil {
		// The resource-side Sid names the grant, the resource and the
		// grantee: grants to two principals, or two grants whose names
		// differ only in '-', are two statements of one policy.
		sid = "Grant" + nonAlnumRe.ReplaceAllString(req.Name, "") + hash8(req.ResourcePath+"\x00"+req.Name+"\x00"+granteeKey(g, req.Scope))
	}
	parts := append([]Part{{Actions: req.Actions, Resources: req.Resources, ResourcePolicyResources: req.ResourcePolicyResources,
		AddToResourcePolicy: req.AddToResourcePolicy}}, req.Also...)
	partSid := func(i int) string {
		if i == 0 {
			return sid
		}
		return fmt.Sprintf("%sPart%d", sid, i+1)
	}
	r := g.Role()
	if r == nil {
		// The same grantee again (its references resolve alike, even when
		// their tokens differ): the first grant, if it has these actions.
		if prev, ok := resourceGrants.get(req.Scope, sid); ok {
			if !slices.Equal(actionSets(prev.Statements), actionSets(partStatements(parts))) {
				v.Add("Name", req.Name, fmt.Sprintf("is already a grant on %s to %v with other actions: give this grant another Name", req.ResourcePath, g.Principal()))
				return nil, v.Err()
			}
			return prev, nil
		}
		out := &Grant{}
		for i, p := range parts {
			add := p.AddToResourcePolicy
			if add == nil {
				add = req.AddToResourcePolicy
			}
			st := iampolicy.Statement{Sid: partSid(i), Effect: "Allow", Principal: g.Principal(), Action: p.Actions, Resource: p.ResourcePolicyResources, Condition: g.Conditions()}
			if add == nil {
				return nil, fmt.Errorf("grant.Apply: grant %q has no resource policy to add a statement for %v to", req.Name, g.Principal())
			}
			if err := add(st); err != nil {
				return nil, err
			}
			out.Statements = append(out.Statements, st)
		}
		out.Statement = out.Statements[0]
		resourceGrants.put(req.Scope, sid, out)
		return out, nil
	}
	var sts []iampolicy.Statement
	for i, p := range parts {
		sts = append(sts, iampolicy.Statement{Sid: partSid(i), Effect: "Allow", Action: p.Actions, Resource: p.Resources})
	}
	scope := r.Node().Scope()
	id := fmt.Sprintf("%s_grant_%s_%s", *r.Node().Id(), req.Name, suffix)
	doc := iampolicy.New(sts...).JSON()
	if existing, ok := scope.Node().TryFindChild(jsii.String(id)).(iamrolepolicy.IamRolePolicy); ok {
		// Same name, resource and role: the same grant if it has the same
		// actions (resources are the same resource's, but each read of its
		// ARN is a new token, so they are not compared).
		if p := existing.PolicyInput(); p == nil || !slices.Equal(actionsOf(*p), actionSets(sts)) {
			v.Add("Name", req.Name, fmt.Sprintf("is already a grant on %s to role %s with other actions: give this grant another Name", req.ResourcePath, *r.Node().Path()))
			return nil, v.Err()
		}
		return &Grant{Statement: sts[0], Statements: sts, RolePolicy: existing}, nil
	}
	parent, ok := scope.(constructs.Construct)
	if !ok {
		return nil, fmt.Errorf("grant.Apply: the scope of role %s is not a construct", *r.Node().Path())
	}
	name := req.Name + "-" + suffix
	rv := validate.New("grant.Apply")
	res := registry.Check(rv, parent, id, registry.Env{}, []registry.Claim{{Kind: registry.IAMRolePolicy, Name: name, Field: "Name", Qualifier: *r.Node().Path()}})
	if err := rv.Err(); err != nil {
		return nil, err
	}
	policy := iamrolepolicy.NewIamRolePolicy(parent, jsii.String(id), &iamrolepolicy.IamRolePolicyConfig{
		Name:     jsii.String(name),
		Role:     r.Id(),
		Policy:   jsii.String(doc),
		Provider: r.Provider(),
	})
	res.Commit()
	return &Grant{Statement: sts[0], Statements: sts, RolePolicy: policy}, nil
}
