package wafacl

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Statement is a typed WAF rule statement. Since cdktf 0.20.1 the provider
// bindings type nested `statement` blocks (and scope_down_statement) as
// interface{} and pass them to Terraform as plain snake_case maps, so nothing
// type-checks them before `terraform validate`. The statement types of this
// package produce exactly those maps, are checked at synth time as WAF and
// the hashicorp/aws provider check them, and know their WCU cost:
//
//   - match statements: ByteMatch, RegexMatch, RegexPatternSetReference,
//     SizeConstraint, SqliMatch, XssMatch, GeoMatch, IPSetReference,
//     LabelMatch;
//   - logical statements: And, Or, Not;
//   - RateBased, only as the top statement of a Rule (WAF does not nest it).
//
// The set is closed: only this package's types implement Statement.
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#statement-block
// and https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements.html
type Statement interface {
	// Map returns the statement as the map Terraform expects inside a
	// `statement` (or `scope_down_statement`) block, for example
	// {"geo_match_statement": {"country_codes": ["KP"]}}. User text is
	// escaped for Terraform templates ("${" becomes "$${").
	Map() map[string]any
	// WCU returns the statement's web ACL capacity units as AWS documents
	// them for each statement type.
	WCU() int
	check(c *checker, field string, at position)
}

// MaxStatementNesting is how many logical statements (And, Or, Not) may be
// nested inside each other in a scope-down statement (of a managed rule
// group or a rate-based statement): the depth of the hashicorp/aws
// provider's scope_down_statement schema.
const MaxStatementNesting = 2

// MaxRuleStatementNesting is how many logical statements may be nested
// inside each other in the top statement of a Rule: the depth of the
// provider's rule statement schema (And{Or{Not{GeoMatch}}} is three).
const MaxRuleStatementNesting = 3

// MaxPriority is the largest rule or text transformation priority: AWS WAF
// stores priorities as 32-bit integers.
const MaxPriority = math.MaxInt32

// position is where a statement sits: how many logical statements enclose
// it and how many its context allows.
type position struct {
	depth, max int
	where      string // "a scope-down statement", "a rule statement"
	root       bool   // the top statement of a rule (RateBased allowed)
}

func scopeDownPosition() position {
	return position{max: MaxStatementNesting, where: "a scope-down statement"}
}

func rulePosition() position {
	return position{max: MaxRuleStatementNesting, where: "a rule statement", root: true}
}

// nested is the position of a statement inside a logical statement at p.
func (p position) nested() position {
	return position{depth: p.depth + 1, max: p.max, where: p.where}
}

// checker carries what statement checks need besides the statement: the
// collector, where the web ACL deploys (for ARNs) and its scope.
type checker struct {
	v     *validate.Collector
	env   validate.Env
	scope string // ScopeRegional or ScopeCloudfront; "" when unknown
	// refs counts IP set and regex pattern set reference statements
	// (MaxReferenceStatements per web ACL).
	refs int
}

// literal reports whether s holds no token (so its literal rules apply);
// a token that does not belong to the app is a problem (statements sit in
// interfaces, which validate.Collector.ConfigTokens does not walk).
func (c *checker) literal(field, s string) bool { return c.v.Literal(field, s) }

// isNil reports whether s is nil or a nil pointer stored in the interface
// (e.g. (*ByteMatch)(nil)), whose methods would panic.
func isNil(s Statement) bool {
	if s == nil {
		return true
	}
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// checkStatement checks s at field, with the nil rules every statement
// slot shares.
func checkStatement(c *checker, field string, s Statement, at position) {
	switch {
	case s == nil:
		c.v.Add(field, nil, "is required")
	case isNil(s):
		c.v.Add(field, nil, "must not be nil")
	default:
		s.check(c, field, at)
	}
}

// escape makes user text literal for Terraform: "${" and "%{" in the
// literal parts become "$${" and "%%{" (so the Log4Shell probe
// "${jndi:ldap" reaches WAF as typed); cdktf tokens are kept.
func escape(s string) string {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return s
	}
	var b strings.Builder
	for _, f := range validate.Fragments(s) {
		if f.Token {
			b.WriteString(f.Text)
			continue
		}
		t := strings.ReplaceAll(f.Text, "${", "$${")
		b.WriteString(strings.ReplaceAll(t, "%{", "%%{"))
	}
	return b.String()
}

// And is an and_statement: it matches when every nested statement
// matches. It needs at least two statements. WCUs: the sum of its
// statements'.
type And struct {
	Statements []Statement
}

// Or is an or_statement: it matches when any nested statement matches. It
// needs at least two statements. WCUs: the sum of its statements'.
type Or struct {
	Statements []Statement
}

// Not is a not_statement: it negates its one statement. WCUs: those of
// its statement.
type Not struct {
	Statement Statement
}

func listMap(key string, stmts []Statement) map[string]any {
	list := make([]any, len(stmts))
	for i, s := range stmts {
		if isNil(s) {
			list[i] = map[string]any{}
			continue
		}
		list[i] = s.Map()
	}
	return map[string]any{key: map[string]any{"statement": list}}
}

func sumWCU(stmts []Statement) int {
	n := 0
	for _, s := range stmts {
		if !isNil(s) {
			n += s.WCU()
		}
	}
	return n
}

// checkLogical checks the nesting depth of a logical statement at field.
func checkLogical(c *checker, field string, at position) bool {
	return c.v.Check(at.depth < at.max, field, fmt.Sprintf("nesting depth %d", at.depth+1),
		fmt.Sprintf("logical statements (And, Or, Not) nest at most %d deep in %s", at.max, at.where))
}

func checkList(c *checker, field string, at position, stmts []Statement) {
	if !checkLogical(c, field, at) {
		return
	}
	c.v.Check(len(stmts) >= 2, field+".Statements", len(stmts), "must hold at least two statements")
	for i, s := range stmts {
		f := fmt.Sprintf("%s.Statements[%d]", field, i)
		if c.v.Check(!isNil(s), f, nil, "must not be nil") {
			s.check(c, f, at.nested())
		}
	}
}

// Map implements Statement.
func (s And) Map() map[string]any { return listMap("and_statement", s.Statements) }

// WCU implements Statement.
func (s And) WCU() int { return sumWCU(s.Statements) }

func (s And) check(c *checker, field string, at position) {
	checkList(c, field+"(And)", at, s.Statements)
}

// Map implements Statement.
func (s Or) Map() map[string]any { return listMap("or_statement", s.Statements) }

// WCU implements Statement.
func (s Or) WCU() int { return sumWCU(s.Statements) }

func (s Or) check(c *checker, field string, at position) {
	checkList(c, field+"(Or)", at, s.Statements)
}

// Map implements Statement.
func (s Not) Map() map[string]any {
	var inner any = map[string]any{}
	if !isNil(s.Statement) {
		inner = s.Statement.Map()
	}
	return map[string]any{"not_statement": map[string]any{"statement": inner}}
}

// WCU implements Statement.
func (s Not) WCU() int {
	if isNil(s.Statement) {
		return 0
	}
	return s.Statement.WCU()
}

func (s Not) check(c *checker, field string, at position) {
	field += "(Not)"
	if !checkLogical(c, field, at) {
		return
	}
	checkStatement(c, field+".Statement", s.Statement, at.nested())
}

// CheckStatement validates s as a scope-down statement (the stricter
// nesting of MaxStatementNesting), as the constructor does, and returns nil
// or a *validate.Error. ARNs are checked for shape only (the web ACL's
// account, region and scope are unknown here).
func CheckStatement(s Statement) error {
	v := validate.New("wafacl.Statement")
	c := &checker{v: v}
	if v.Check(!isNil(s), "Statement", nil, "must not be nil") {
		s.check(c, "Statement", scopeDownPosition())
	}
	return v.Err()
}

// CheckRuleStatement validates s as the top statement of a Rule
// (MaxRuleStatementNesting; RateBased allowed), and returns nil or a
// *validate.Error.
func CheckRuleStatement(s Statement) error {
	v := validate.New("wafacl.Statement")
	c := &checker{v: v}
	if v.Check(!isNil(s), "Statement", nil, "must not be nil") {
		s.check(c, "Statement", rulePosition())
	}
	return v.Err()
}
