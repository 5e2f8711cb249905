package wafacl

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Statement is a typed WAF rule statement. Since cdktf 0.20.1 the provider
// bindings type nested `statement` blocks (and scope_down_statement) as
// interface{} and pass them to Terraform as plain snake_case maps, so nothing
// type-checks them before `terraform validate`. The statement types of this
// package (ByteMatch, GeoMatch, IPSetReference, LabelMatch, And, Or, Not)
// produce exactly those maps, are checked at synth time, and know their WCU
// cost.
//
// The set is closed: only this package's types implement Statement.
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl#statement-block
type Statement interface {
	// Map returns the statement as the map Terraform expects inside a
	// `statement` (or `scope_down_statement`) block, for example
	// {"geo_match_statement": {"country_codes": ["KP"]}}.
	Map() map[string]any
	// WCU returns the statement's web ACL capacity units as AWS documents
	// them for each statement type.
	WCU() int
	check(v *validate.Collector, field string, depth int)
}

// MaxStatementNesting is how many logical statements (And, Or, Not) may be
// nested inside each other in a scope-down statement. The hashicorp/aws
// provider's schema for nested statements is finite; two levels (e.g.
// And{Not{ByteMatch}}) are proven by this package's terraform plan test, so
// deeper nesting is rejected at synth time rather than at plan time.
const MaxStatementNesting = 2

// MaxPriority is the largest rule or text transformation priority: AWS WAF
// stores priorities as 32-bit integers.
const MaxPriority = math.MaxInt32

// isNil reports whether s is nil or a nil pointer stored in the interface
// (e.g. (*ByteMatch)(nil)), whose methods would panic.
func isNil(s Statement) bool {
	if s == nil {
		return true
	}
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// TextTransformation is one text_transformation of a match statement.
// Type is an AWS WAF transformation such as "NONE", "LOWERCASE",
// "URL_DECODE"; Priority orders them (0 first, at most MaxPriority).
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html
type TextTransformation struct {
	Priority int
	Type     string
}

// TextTransformationTypes lists the transformation types AWS WAF accepts.
var TextTransformationTypes = []string{
	"NONE", "COMPRESS_WHITE_SPACE", "HTML_ENTITY_DECODE", "LOWERCASE", "CMD_LINE", "URL_DECODE",
	"BASE64_DECODE", "HEX_DECODE", "MD5", "REPLACE_COMMENTS", "ESCAPE_SEQ_DECODE", "SQL_HEX_DECODE",
	"CSS_DECODE", "JS_DECODE", "NORMALIZE_PATH", "NORMALIZE_PATH_WIN", "REMOVE_NULLS", "REPLACE_NULLS",
	"BASE64_DECODE_EXT", "URL_DECODE_UNI", "UTF8_TO_UNICODE",
}

// FieldToMatch is the part of the request a match statement inspects. Build
// it with URIPath, QueryString, Method, SingleHeader or SingleQueryArgument.
type FieldToMatch struct {
	// Kind is the field_to_match block name, e.g. "uri_path".
	Kind string
	// Name is the header or query argument name, for the kinds that take one.
	Name string
}

// URIPath inspects the request's URI path.
func URIPath() FieldToMatch { return FieldToMatch{Kind: "uri_path"} }

// QueryString inspects the whole query string.
func QueryString() FieldToMatch { return FieldToMatch{Kind: "query_string"} }

// Method inspects the HTTP method.
func Method() FieldToMatch { return FieldToMatch{Kind: "method"} }

// SingleHeader inspects one request header (name matching is
// case-insensitive; it is written in lowercase). The name must be 1-40
// letters, digits, '_' or '-' (the hashicorp/aws provider's rule, checked
// after lowercasing).
func SingleHeader(name string) FieldToMatch { return FieldToMatch{Kind: "single_header", Name: name} }

// SingleQueryArgument inspects one query argument. The name must be 1-30
// letters, digits, '_' or '-' (the hashicorp/aws provider's rule, checked
// after lowercasing).
func SingleQueryArgument(name string) FieldToMatch {
	return FieldToMatch{Kind: "single_query_argument", Name: name}
}

func (f FieldToMatch) named() bool {
	return f.Kind == "single_header" || f.Kind == "single_query_argument"
}

func (f FieldToMatch) toMap() map[string]any {
	inner := map[string]any{}
	if f.named() {
		inner["name"] = baseline.EscapeTemplate(strings.ToLower(f.Name))
	}
	return map[string]any{f.Kind: inner}
}

// ByteMatch is a byte_match_statement (string match). PositionalConstraint
// is EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS or CONTAINS_WORD.
// SearchString is literal text (1-200 bytes): "${" and "%{" in it, e.g. the
// Log4Shell probe "${jndi:ldap", are escaped so Terraform does not read them
// as template sequences.
// TextTransformations default to a single NONE.
// WCUs: 2 (EXACTLY, STARTS_WITH, ENDS_WITH) or 10 (CONTAINS, CONTAINS_WORD),
// plus 10 per transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html
type ByteMatch struct {
	FieldToMatch         FieldToMatch
	PositionalConstraint string
	SearchString         string
	TextTransformations  []TextTransformation
}

func (s ByteMatch) transformations() []TextTransformation {
	if len(s.TextTransformations) == 0 {
		return []TextTransformation{{Priority: 0, Type: "NONE"}}
	}
	return s.TextTransformations
}

// Map implements Statement.
func (s ByteMatch) Map() map[string]any {
	var tts []any
	for _, t := range s.transformations() {
		tts = append(tts, map[string]any{"priority": float64(t.Priority), "type": t.Type})
	}
	return map[string]any{"byte_match_statement": map[string]any{
		"field_to_match":        s.FieldToMatch.toMap(),
		"positional_constraint": s.PositionalConstraint,
		"search_string":         baseline.EscapeTemplate(s.SearchString),
		"text_transformation":   tts,
	}}
}

// WCU implements Statement.
func (s ByteMatch) WCU() int {
	n := 2
	if s.PositionalConstraint == "CONTAINS" || s.PositionalConstraint == "CONTAINS_WORD" {
		n = 10
	}
	for _, t := range s.transformations() {
		if t.Type != "NONE" {
			n += 10
		}
	}
	return n
}

var (
	fieldKinds          = []string{"uri_path", "query_string", "method", "single_header", "single_query_argument"}
	headerNameRe        = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	queryArgumentNameRe = regexp.MustCompile(`^[a-z0-9_-]{1,30}$`)
)

// headerNameRule is the rule of SingleHeader names and redacted headers.
const headerNameRule = "must be 1-40 letters, digits, '_' or '-' (AWS WAF header names are lowercase; uppercase letters are lowercased)"

func (f FieldToMatch) check(v *validate.Collector, field string) {
	switch f.Kind {
	case "single_header":
		v.Check(headerNameRe.MatchString(strings.ToLower(f.Name)), field+".Name", f.Name, headerNameRule)
	case "single_query_argument":
		v.Check(queryArgumentNameRe.MatchString(strings.ToLower(f.Name)), field+".Name", f.Name,
			"must be 1-30 letters, digits, '_' or '-' (AWS WAF query argument names are lowercase; uppercase letters are lowercased)")
	}
}

func (s ByteMatch) check(v *validate.Collector, field string, _ int) {
	if v.Check(slices.Contains(fieldKinds, s.FieldToMatch.Kind), field+".FieldToMatch", s.FieldToMatch,
		"is required: use wafacl.URIPath(), QueryString(), Method(), SingleHeader(name) or SingleQueryArgument(name)") && s.FieldToMatch.named() {
		if v.Check(s.FieldToMatch.Name != "", field+".FieldToMatch.Name", s.FieldToMatch.Name, "is required for "+s.FieldToMatch.Kind) {
			s.FieldToMatch.check(v, field+".FieldToMatch")
		}
	}
	v.Check(slices.Contains([]string{"EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"}, s.PositionalConstraint),
		field+".PositionalConstraint", s.PositionalConstraint, "must be EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS or CONTAINS_WORD")
	v.Check(len(s.SearchString) >= 1 && len(s.SearchString) <= 200, field+".SearchString", s.SearchString, "must be 1-200 bytes")
	prios := map[int]bool{}
	for i, t := range s.TextTransformations {
		f := fmt.Sprintf("%s.TextTransformations[%d]", field, i)
		v.Check(slices.Contains(TextTransformationTypes, t.Type), f+".Type", t.Type, fmt.Sprintf("must be one of %v", TextTransformationTypes))
		v.Check(t.Priority >= 0 && t.Priority <= MaxPriority && !prios[t.Priority], f+".Priority", t.Priority,
			fmt.Sprintf("must be 0-%d and unique within the statement", MaxPriority))
		prios[t.Priority] = true
	}
}

// GeoMatch is a geo_match_statement: it matches requests whose source IP
// is in one of CountryCodes (ISO 3166-1 alpha-2 codes that AWS WAF accepts,
// listed in the package variable CountryCodes, e.g. "KP"). 1 WCU.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-geo-match.html
type GeoMatch struct {
	CountryCodes []string
}

// Map implements Statement.
func (s GeoMatch) Map() map[string]any {
	codes := make([]any, len(s.CountryCodes))
	for i, c := range s.CountryCodes {
		codes[i] = c
	}
	return map[string]any{"geo_match_statement": map[string]any{"country_codes": codes}}
}

// WCU implements Statement.
func (s GeoMatch) WCU() int { return 1 }

func (s GeoMatch) check(v *validate.Collector, field string, _ int) {
	v.Check(len(s.CountryCodes) > 0, field+".CountryCodes", s.CountryCodes, "must list at least one country code")
	for i, c := range s.CountryCodes {
		v.Check(isCountryCode(c), fmt.Sprintf("%s.CountryCodes[%d]", field, i), c,
			"must be an ISO 3166-1 alpha-2 country code that AWS WAF knows, in upper case, e.g. \"KP\" (see wafacl.CountryCodes)")
	}
}

// IPSetReference is an ip_set_reference_statement: it matches requests
// whose source IP is in the IP set with that ARN (usually a token such as
// *ipset.Arn()). 1 WCU.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html
type IPSetReference struct {
	Arn string
}

// Map implements Statement.
func (s IPSetReference) Map() map[string]any {
	return map[string]any{"ip_set_reference_statement": map[string]any{"arn": s.Arn}}
}

// WCU implements Statement.
func (s IPSetReference) WCU() int { return 1 }

var ipSetArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)/ipset/[\w-]+/[\w-]+$`)

func (s IPSetReference) check(v *validate.Collector, field string, _ int) {
	v.Check(isToken(s.Arn) || ipSetArnRe.MatchString(s.Arn), field+".Arn", s.Arn, "must be a WAFv2 IP set ARN (or a token of one)")
}

// LabelMatch is a label_match_statement: it matches requests that an
// earlier rule labelled. Scope is "LABEL" (default) or "NAMESPACE". Key is
// literal text ("${" and "%{" are escaped for Terraform). 1 WCU.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html
type LabelMatch struct {
	Scope string
	Key   string
}

// Map implements Statement.
func (s LabelMatch) Map() map[string]any {
	scope := s.Scope
	if scope == "" {
		scope = "LABEL"
	}
	return map[string]any{"label_match_statement": map[string]any{"key": baseline.EscapeTemplate(s.Key), "scope": scope}}
}

// WCU implements Statement.
func (s LabelMatch) WCU() int { return 1 }

func (s LabelMatch) check(v *validate.Collector, field string, _ int) {
	v.Check(s.Scope == "" || s.Scope == "LABEL" || s.Scope == "NAMESPACE", field+".Scope", s.Scope, "must be LABEL or NAMESPACE")
	v.Check(s.Key != "" && len(s.Key) <= 1024, field+".Key", s.Key, "must be a label or namespace of 1-1024 characters")
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

func checkList(v *validate.Collector, field string, depth int, stmts []Statement) {
	if !v.Check(depth < MaxStatementNesting, field, fmt.Sprintf("nesting depth %d", depth+1),
		fmt.Sprintf("logical statements (And, Or, Not) nest at most %d deep in a scope-down statement", MaxStatementNesting)) {
		return
	}
	v.Check(len(stmts) >= 2, field+".Statements", len(stmts), "must hold at least two statements")
	for i, s := range stmts {
		f := fmt.Sprintf("%s.Statements[%d]", field, i)
		if v.Check(!isNil(s), f, nil, "must not be nil") {
			s.check(v, f, depth+1)
		}
	}
}

// Map implements Statement.
func (s And) Map() map[string]any { return listMap("and_statement", s.Statements) }

// WCU implements Statement.
func (s And) WCU() int { return sumWCU(s.Statements) }

func (s And) check(v *validate.Collector, field string, depth int) {
	checkList(v, field+"(And)", depth, s.Statements)
}

// Map implements Statement.
func (s Or) Map() map[string]any { return listMap("or_statement", s.Statements) }

// WCU implements Statement.
func (s Or) WCU() int { return sumWCU(s.Statements) }

func (s Or) check(v *validate.Collector, field string, depth int) {
	checkList(v, field+"(Or)", depth, s.Statements)
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

func (s Not) check(v *validate.Collector, field string, depth int) {
	field += "(Not)"
	if !v.Check(depth < MaxStatementNesting, field, fmt.Sprintf("nesting depth %d", depth+1),
		fmt.Sprintf("logical statements (And, Or, Not) nest at most %d deep in a scope-down statement", MaxStatementNesting)) {
		return
	}
	if s.Statement != nil && isNil(s.Statement) {
		v.Add(field+".Statement", nil, "must not be nil")
	} else if v.Check(s.Statement != nil, field+".Statement", nil, "is required") {
		s.Statement.check(v, field+".Statement", depth+1)
	}
}

// CheckStatement validates a statement as the constructor does and returns
// nil or a *validate.Error.
func CheckStatement(s Statement) error {
	v := validate.New("wafacl.Statement")
	if v.Check(!isNil(s), "Statement", nil, "must not be nil") {
		s.check(v, "Statement", 0)
	}
	return v.Err()
}

// isToken reports whether s holds a Terraform interpolation, such as a cdktf
// token ("${TfToken[TOKEN.1]}") or "${aws_lb.x.arn}": such values are only
// known at plan time and are checked by Terraform and AWS instead.
func isToken(s string) bool { return validate.HasToken(s) }
