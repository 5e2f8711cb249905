package wafacl

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Limits of match statements, from the AWS WAF quotas and the hashicorp/aws
// provider's schema (which checks them at plan time).
// See https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
const (
	// MaxTextTransformations is the most text transformations one
	// statement (or one rate-based custom key) may have.
	MaxTextTransformations = 10
	// MaxSearchStringBytes is the longest ByteMatch search string.
	MaxSearchStringBytes = 200
	// MaxRegexBytes is the longest inline RegexMatch regex_string.
	MaxRegexBytes = 512
	// MaxSize is the largest SizeConstraint size (bytes) the provider accepts.
	MaxSize = MaxPriority
	// MaxMatchPatternNames is the most header or cookie names (included or
	// excluded) of a Headers or Cookies field to match.
	MaxMatchPatternNames = 199
)

// TextTransformation is one text_transformation of a match statement.
// Type is an AWS WAF transformation such as "NONE", "LOWERCASE",
// "URL_DECODE"; Priority orders them (0 first, 0-MaxPriority, unique within
// the statement). Each transformation other than NONE costs 10 WCUs.
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

// Transform returns text transformations of the given types, prioritised
// in order (0, 1, 2, ...): Transform("URL_DECODE", "LOWERCASE").
func Transform(types ...string) []TextTransformation {
	out := make([]TextTransformation, len(types))
	for i, t := range types {
		out[i] = TextTransformation{Priority: i, Type: t}
	}
	return out
}

func transformations(tts []TextTransformation) []TextTransformation {
	if len(tts) == 0 {
		return []TextTransformation{{Priority: 0, Type: "NONE"}}
	}
	return tts
}

func transformationsMap(tts []TextTransformation) []any {
	var out []any
	for _, t := range transformations(tts) {
		out = append(out, map[string]any{"priority": float64(t.Priority), "type": t.Type})
	}
	return out
}

// transformationWCU is 10 per transformation other than NONE.
func transformationWCU(tts []TextTransformation) int {
	n := 0
	for _, t := range tts {
		if t.Type != "NONE" {
			n += 10
		}
	}
	return n
}

func checkTransformations(c *checker, field string, tts []TextTransformation) {
	c.v.Check(len(tts) <= MaxTextTransformations, field, len(tts),
		fmt.Sprintf("must hold at most %d text transformations (the AWS WAF limit per statement)", MaxTextTransformations))
	prios := map[int]bool{}
	for i, t := range tts {
		f := fmt.Sprintf("%s[%d]", field, i)
		if c.v.OneOf(f+".Type", t.Type, TextTransformationTypes) && t.Type == "NONE" && len(tts) > 1 {
			c.v.Add(f+".Type", t.Type, "NONE means no transformation: it cannot be combined with other transformations")
		}
		c.v.Check(t.Priority >= 0 && t.Priority <= MaxPriority && !prios[t.Priority], f+".Priority", t.Priority,
			fmt.Sprintf("must be 0-%d and unique within the statement", MaxPriority))
		prios[t.Priority] = true
	}
}

// Field to match kinds (the field_to_match block names).
const (
	FieldURIPath             = "uri_path"
	FieldQueryString         = "query_string"
	FieldMethod              = "method"
	FieldAllQueryArguments   = "all_query_arguments"
	FieldSingleHeader        = "single_header"
	FieldSingleQueryArgument = "single_query_argument"
	FieldBody                = "body"
	FieldJSONBody            = "json_body"
	FieldHeaders             = "headers"
	FieldCookies             = "cookies"
	FieldHeaderOrder         = "header_order"
)

// FieldKinds are the FieldToMatch kinds this package renders.
var FieldKinds = []string{FieldURIPath, FieldQueryString, FieldMethod, FieldAllQueryArguments, FieldSingleHeader,
	FieldSingleQueryArgument, FieldBody, FieldJSONBody, FieldHeaders, FieldCookies, FieldHeaderOrder}

// Enumerations of field to match settings.
var (
	// OversizeHandlings are what WAF does with a body, JSON body, headers or
	// cookies larger than it inspects: CONTINUE inspects what fits, MATCH
	// and NO_MATCH decide without inspecting.
	OversizeHandlings = []string{"CONTINUE", "MATCH", "NO_MATCH"}
	// MatchScopes say which parts of JSON, headers or cookies are inspected.
	MatchScopes = []string{"ALL", "KEY", "VALUE"}
	// InvalidFallbackBehaviors are what WAF does with a body that is not
	// valid JSON.
	InvalidFallbackBehaviors = []string{"MATCH", "NO_MATCH", "EVALUATE_AS_STRING"}
)

// FieldToMatch is the part of the request a match statement inspects. Build
// the simple ones with URIPath, QueryString, Method, AllQueryArguments,
// SingleHeader, SingleQueryArgument and Body; set the fields for JSONBody,
// Headers, Cookies and HeaderOrder:
//
//	wafacl.FieldToMatch{Kind: wafacl.FieldHeaders, MatchScope: "VALUE",
//		OversizeHandling: "MATCH", Included: []string{"x-forwarded-host"}}
//
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_FieldToMatch.html
type FieldToMatch struct {
	// Kind is the field_to_match block name, one of FieldKinds.
	Kind string
	// Name is the header (1-40) or query argument (1-30) name of
	// SingleHeader and SingleQueryArgument: letters, digits, '_' and '-',
	// written in lowercase (WAF matches names case-insensitively; the
	// provider accepts only lowercase).
	Name string
	// OversizeHandling, one of OversizeHandlings: required for Headers,
	// Cookies and HeaderOrder; optional for Body and JSONBody (default
	// CONTINUE).
	OversizeHandling string
	// MatchScope, one of MatchScopes: required for JSONBody, Headers and
	// Cookies.
	MatchScope string
	// Included limits JSONBody to these JSON pointers ("/user/name"), or
	// Headers and Cookies to these names. Default: all.
	Included []string
	// Excluded inspects every header or cookie except these names (Headers
	// and Cookies only; not with Included).
	Excluded []string
	// InvalidFallbackBehavior, one of InvalidFallbackBehaviors, is what
	// JSONBody does with a body that is not valid JSON. Default: WAF's
	// (evaluate the tokens parsed before the error).
	InvalidFallbackBehavior string
}

// URIPath inspects the request's URI path.
func URIPath() FieldToMatch { return FieldToMatch{Kind: FieldURIPath} }

// QueryString inspects the whole query string.
func QueryString() FieldToMatch { return FieldToMatch{Kind: FieldQueryString} }

// Method inspects the HTTP method.
func Method() FieldToMatch { return FieldToMatch{Kind: FieldMethod} }

// AllQueryArguments inspects every query argument's value (+10 WCUs).
func AllQueryArguments() FieldToMatch { return FieldToMatch{Kind: FieldAllQueryArguments} }

// SingleHeader inspects one request header (name matching is
// case-insensitive; it is written in lowercase). The name must be 1-40
// letters, digits, '_' or '-' (the hashicorp/aws provider's rule, checked
// after lowercasing).
func SingleHeader(name string) FieldToMatch { return FieldToMatch{Kind: FieldSingleHeader, Name: name} }

// SingleQueryArgument inspects one query argument. The name must be 1-30
// letters, digits, '_' or '-' (the hashicorp/aws provider's rule, checked
// after lowercasing).
func SingleQueryArgument(name string) FieldToMatch {
	return FieldToMatch{Kind: FieldSingleQueryArgument, Name: name}
}

// Body inspects the request body (the first 8 KiB on an ALB); oversize is
// one of OversizeHandlings, or "" for CONTINUE.
func Body(oversize string) FieldToMatch {
	return FieldToMatch{Kind: FieldBody, OversizeHandling: oversize}
}

// JSONBody inspects the request body parsed as JSON (the statement's base
// WCUs double): scope is one of MatchScopes; paths are JSON pointers, none
// for the whole document.
func JSONBody(scope string, paths ...string) FieldToMatch {
	return FieldToMatch{Kind: FieldJSONBody, MatchScope: scope, Included: paths}
}

func (f FieldToMatch) named() bool {
	return f.Kind == FieldSingleHeader || f.Kind == FieldSingleQueryArgument
}

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = escape(s)
	}
	return out
}

func (f FieldToMatch) toMap() map[string]any {
	inner := map[string]any{}
	switch f.Kind {
	case FieldSingleHeader, FieldSingleQueryArgument:
		inner["name"] = escape(strings.ToLower(f.Name))
	case FieldBody:
		if f.OversizeHandling != "" {
			inner["oversize_handling"] = f.OversizeHandling
		}
	case FieldJSONBody:
		inner["match_scope"] = f.MatchScope
		if f.OversizeHandling != "" {
			inner["oversize_handling"] = f.OversizeHandling
		}
		if f.InvalidFallbackBehavior != "" {
			inner["invalid_fallback_behavior"] = f.InvalidFallbackBehavior
		}
		if len(f.Included) > 0 {
			inner["match_pattern"] = map[string]any{"included_paths": stringsAny(f.Included)}
		} else {
			inner["match_pattern"] = map[string]any{"all": map[string]any{}}
		}
	case FieldHeaders, FieldCookies:
		inner["match_scope"] = f.MatchScope
		inner["oversize_handling"] = f.OversizeHandling
		what := strings.TrimSuffix(f.Kind, "s") // header, cookie
		switch {
		case len(f.Included) > 0:
			inner["match_pattern"] = map[string]any{"included_" + what + "s": stringsAny(f.Included)}
		case len(f.Excluded) > 0:
			inner["match_pattern"] = map[string]any{"excluded_" + what + "s": stringsAny(f.Excluded)}
		default:
			inner["match_pattern"] = map[string]any{"all": map[string]any{}}
		}
	case FieldHeaderOrder:
		inner["oversize_handling"] = f.OversizeHandling
	}
	return map[string]any{f.Kind: inner}
}

// baseWCU applies the field's cost rule to a statement's base cost: JSON
// body doubles it, all query arguments adds 10.
func (f FieldToMatch) baseWCU(base int) int {
	switch f.Kind {
	case FieldJSONBody:
		return 2 * base
	case FieldAllQueryArguments:
		return base + 10
	}
	return base
}

var (
	headerNameRe        = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	queryArgumentNameRe = regexp.MustCompile(`^[a-z0-9_-]{1,30}$`)
	// jsonPointerRe: RFC 6901, "~" only as "~0" or "~1".
	jsonPointerRe = regexp.MustCompile(`^(/([^~/]|~[01])*)+$`)
)

// headerNameRule is the rule of SingleHeader names and redacted headers.
const headerNameRule = "must be 1-40 letters, digits, '_' or '-' (AWS WAF header names are lowercase; uppercase letters are lowercased)"

func (f FieldToMatch) check(c *checker, field string) {
	v := c.v
	if !v.NeedLiteral(field+".Kind", f.Kind) { // picks the block
		return
	}
	if !v.Check(slices.Contains(FieldKinds, f.Kind), field, f.Kind,
		fmt.Sprintf("is required: one of %v (use wafacl.URIPath(), QueryString(), Method(), AllQueryArguments(), SingleHeader(name), SingleQueryArgument(name), Body(oversize) or JSONBody(scope, paths...))", FieldKinds)) {
		return
	}
	only := func(ok bool, name string, value any) {
		v.Check(ok, field+"."+name, value, "does not apply to field "+f.Kind)
	}
	only(f.named() || f.Name == "", "Name", f.Name)
	only(slices.Contains([]string{FieldBody, FieldJSONBody, FieldHeaders, FieldCookies, FieldHeaderOrder}, f.Kind) || f.OversizeHandling == "", "OversizeHandling", f.OversizeHandling)
	only(slices.Contains([]string{FieldJSONBody, FieldHeaders, FieldCookies}, f.Kind) || f.MatchScope == "", "MatchScope", f.MatchScope)
	only(slices.Contains([]string{FieldJSONBody, FieldHeaders, FieldCookies}, f.Kind) || len(f.Included) == 0, "Included", f.Included)
	only(f.Kind == FieldHeaders || f.Kind == FieldCookies || len(f.Excluded) == 0, "Excluded", f.Excluded)
	only(f.Kind == FieldJSONBody || f.InvalidFallbackBehavior == "", "InvalidFallbackBehavior", f.InvalidFallbackBehavior)

	switch f.Kind {
	case FieldSingleHeader:
		if v.Check(f.Name != "", field+".Name", f.Name, "is required for "+f.Kind) && c.literal(field+".Name", f.Name) {
			v.Check(headerNameRe.MatchString(strings.ToLower(f.Name)), field+".Name", f.Name, headerNameRule)
		}
	case FieldSingleQueryArgument:
		if v.Check(f.Name != "", field+".Name", f.Name, "is required for "+f.Kind) && c.literal(field+".Name", f.Name) {
			v.Check(queryArgumentNameRe.MatchString(strings.ToLower(f.Name)), field+".Name", f.Name,
				"must be 1-30 letters, digits, '_' or '-' (AWS WAF query argument names are lowercase; uppercase letters are lowercased)")
		}
	}
	switch f.Kind {
	case FieldBody, FieldJSONBody:
		if f.OversizeHandling != "" {
			v.OneOf(field+".OversizeHandling", f.OversizeHandling, OversizeHandlings)
		}
	case FieldHeaders, FieldCookies, FieldHeaderOrder:
		if v.Check(f.OversizeHandling != "", field+".OversizeHandling", f.OversizeHandling, fmt.Sprintf("is required for %s: one of %v", f.Kind, OversizeHandlings)) {
			v.OneOf(field+".OversizeHandling", f.OversizeHandling, OversizeHandlings)
		}
	}
	switch f.Kind {
	case FieldJSONBody, FieldHeaders, FieldCookies:
		if v.Check(f.MatchScope != "", field+".MatchScope", f.MatchScope, fmt.Sprintf("is required for %s: one of %v", f.Kind, MatchScopes)) {
			v.OneOf(field+".MatchScope", f.MatchScope, MatchScopes)
		}
	}
	if f.InvalidFallbackBehavior != "" && f.Kind == FieldJSONBody {
		v.OneOf(field+".InvalidFallbackBehavior", f.InvalidFallbackBehavior, InvalidFallbackBehaviors)
	}
	switch f.Kind {
	case FieldJSONBody:
		for i, p := range f.Included {
			pf := fmt.Sprintf("%s.Included[%d]", field, i)
			if c.literal(pf, p) {
				v.Check(len(p) <= 512 && jsonPointerRe.MatchString(p), pf, p,
					"must be a JSON pointer (RFC 6901) of at most 512 characters, such as \"/user/name\" (\"~\" only as \"~0\" or \"~1\")")
			}
		}
	case FieldHeaders, FieldCookies:
		v.Check(len(f.Included) == 0 || len(f.Excluded) == 0, field+".Excluded", f.Excluded, "must be empty when Included is set (one match pattern)")
		maxLen := 64
		if f.Kind == FieldCookies {
			maxLen = 60
		}
		for _, list := range []struct {
			name  string
			names []string
		}{{"Included", f.Included}, {"Excluded", f.Excluded}} {
			v.Check(len(list.names) <= MaxMatchPatternNames, field+"."+list.name, len(list.names), fmt.Sprintf("must hold at most %d names", MaxMatchPatternNames))
			for i, n := range list.names {
				nf := fmt.Sprintf("%s.%s[%d]", field, list.name, i)
				if c.literal(nf, n) {
					v.Check(len(n) >= 1 && len(n) <= maxLen && strings.TrimSpace(n) != "", nf, n,
						fmt.Sprintf("must be a %s name of 1-%d characters, not only whitespace", strings.TrimSuffix(f.Kind, "s"), maxLen))
				}
			}
		}
	}
}

// matchPart is what the statements that inspect a request component share.
func checkMatchPart(c *checker, field string, f FieldToMatch, tts []TextTransformation) {
	f.check(c, field+".FieldToMatch")
	checkTransformations(c, field+".TextTransformations", tts)
}

// PositionalConstraints are the ByteMatch positional constraints.
var PositionalConstraints = []string{"EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"}

// ByteMatch is a byte_match_statement (string match). PositionalConstraint
// is one of PositionalConstraints. SearchString is literal text
// (1-200 bytes): "${" and "%{" in it, e.g. the Log4Shell probe
// "${jndi:ldap", are escaped so Terraform does not read them as template
// sequences. TextTransformations default to a single NONE.
// WCUs: 2 (EXACTLY, STARTS_WITH, ENDS_WITH) or 10 (CONTAINS,
// CONTAINS_WORD), doubled for JSONBody, +10 for AllQueryArguments, +10 per
// transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html
type ByteMatch struct {
	FieldToMatch         FieldToMatch
	PositionalConstraint string
	SearchString         string
	TextTransformations  []TextTransformation
}

// Map implements Statement.
func (s ByteMatch) Map() map[string]any {
	return map[string]any{"byte_match_statement": map[string]any{
		"field_to_match":        s.FieldToMatch.toMap(),
		"positional_constraint": s.PositionalConstraint,
		"search_string":         escape(s.SearchString),
		"text_transformation":   transformationsMap(s.TextTransformations),
	}}
}

// WCU implements Statement.
func (s ByteMatch) WCU() int {
	n := 2
	if s.PositionalConstraint == "CONTAINS" || s.PositionalConstraint == "CONTAINS_WORD" {
		n = 10
	}
	return s.FieldToMatch.baseWCU(n) + transformationWCU(s.TextTransformations)
}

func (s ByteMatch) check(c *checker, field string, _ position) {
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
	c.v.OneOf(field+".PositionalConstraint", s.PositionalConstraint, PositionalConstraints)
	if c.literal(field+".SearchString", s.SearchString) {
		c.v.Check(len(s.SearchString) >= 1 && len(s.SearchString) <= MaxSearchStringBytes, field+".SearchString", s.SearchString,
			fmt.Sprintf("must be 1-%d bytes", MaxSearchStringBytes))
	}
}

// RegexMatch is a regex_match_statement: it matches the field against one
// inline regular expression (1-512 bytes). The hashicorp/aws provider
// compiles it with Go's regexp package at plan time, so it must be valid
// RE2 syntax (no backreferences, lookarounds, atomic groups or possessive
// quantifiers, which WAF does not support either), and WAF refuses \C.
// WCUs: 3, doubled for JSONBody, +10 for AllQueryArguments, +10 per
// transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-regex-match.html
type RegexMatch struct {
	FieldToMatch        FieldToMatch
	RegexString         string
	TextTransformations []TextTransformation
}

// Map implements Statement.
func (s RegexMatch) Map() map[string]any {
	return map[string]any{"regex_match_statement": map[string]any{
		"field_to_match":      s.FieldToMatch.toMap(),
		"regex_string":        escape(s.RegexString),
		"text_transformation": transformationsMap(s.TextTransformations),
	}}
}

// WCU implements Statement.
func (s RegexMatch) WCU() int {
	return s.FieldToMatch.baseWCU(3) + transformationWCU(s.TextTransformations)
}

func (s RegexMatch) check(c *checker, field string, _ position) {
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
	f := field + ".RegexString"
	if !c.literal(f, s.RegexString) {
		return
	}
	if !c.v.Check(len(s.RegexString) >= 1 && len(s.RegexString) <= MaxRegexBytes, f, s.RegexString, fmt.Sprintf("must be 1-%d bytes", MaxRegexBytes)) {
		return
	}
	if _, err := regexp.Compile(s.RegexString); err != nil {
		c.v.Add(f, s.RegexString, "must be a regular expression the provider accepts (Go RE2 syntax; no backreferences, lookarounds or possessive quantifiers): "+err.Error())
	} else if strings.Contains(strings.ReplaceAll(s.RegexString, `\\`, ""), `\C`) {
		c.v.Add(f, s.RegexString, `must not use \C (single byte), which AWS WAF does not support`)
	}
}

// RegexPatternSetReference is a regex_pattern_set_reference_statement: it
// matches the field against the patterns of a WAFv2 regex pattern set
// (by ARN, or a token such as *set.Arn()) in the web ACL's scope, region
// and account. WCUs: 25, doubled for JSONBody, +10 for AllQueryArguments,
// +10 per transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-regex-pattern-set-match.html
type RegexPatternSetReference struct {
	Arn                 string
	FieldToMatch        FieldToMatch
	TextTransformations []TextTransformation
}

// Map implements Statement.
func (s RegexPatternSetReference) Map() map[string]any {
	return map[string]any{"regex_pattern_set_reference_statement": map[string]any{
		"arn":                 s.Arn,
		"field_to_match":      s.FieldToMatch.toMap(),
		"text_transformation": transformationsMap(s.TextTransformations),
	}}
}

// WCU implements Statement.
func (s RegexPatternSetReference) WCU() int {
	return s.FieldToMatch.baseWCU(25) + transformationWCU(s.TextTransformations)
}

func (s RegexPatternSetReference) check(c *checker, field string, _ position) {
	c.refs++
	checkWafArn(c, field+".Arn", s.Arn, wafRegexPatternSetArn)
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
}

// ComparisonOperators are the SizeConstraint operators.
var ComparisonOperators = []string{"EQ", "NE", "LE", "LT", "GE", "GT"}

// SizeConstraint is a size_constraint_statement: it compares the size in
// bytes of the field (after transformations) with Size (0-MaxSize; 0 is a
// value, e.g. GT 0 for "has a body"). ComparisonOperator is one of
// ComparisonOperators. WCUs: 1, doubled for JSONBody, +10 for
// AllQueryArguments, +10 per transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html
type SizeConstraint struct {
	FieldToMatch        FieldToMatch
	ComparisonOperator  string
	Size                int
	TextTransformations []TextTransformation
}

// Map implements Statement.
func (s SizeConstraint) Map() map[string]any {
	return map[string]any{"size_constraint_statement": map[string]any{
		"comparison_operator": s.ComparisonOperator,
		"field_to_match":      s.FieldToMatch.toMap(),
		"size":                float64(s.Size),
		"text_transformation": transformationsMap(s.TextTransformations),
	}}
}

// WCU implements Statement.
func (s SizeConstraint) WCU() int {
	return s.FieldToMatch.baseWCU(1) + transformationWCU(s.TextTransformations)
}

func (s SizeConstraint) check(c *checker, field string, _ position) {
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
	c.v.OneOf(field+".ComparisonOperator", s.ComparisonOperator, ComparisonOperators)
	c.v.Range(field+".Size", s.Size, 0, MaxSize, "bytes")
}

// SqliMatch is a sqli_match_statement: it detects SQL injection in the
// field. SensitivityLevel is LOW (default, fewer false positives) or HIGH.
// WCUs: 20 (LOW) or 30 (HIGH), doubled for JSONBody, +10 for
// AllQueryArguments, +10 per transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html
type SqliMatch struct {
	FieldToMatch        FieldToMatch
	SensitivityLevel    string
	TextTransformations []TextTransformation
}

// Map implements Statement.
func (s SqliMatch) Map() map[string]any {
	m := map[string]any{
		"field_to_match":      s.FieldToMatch.toMap(),
		"text_transformation": transformationsMap(s.TextTransformations),
	}
	if s.SensitivityLevel != "" {
		m["sensitivity_level"] = s.SensitivityLevel
	}
	return map[string]any{"sqli_match_statement": m}
}

// WCU implements Statement.
func (s SqliMatch) WCU() int {
	base := 20
	if s.SensitivityLevel == "HIGH" {
		base = 30
	}
	return s.FieldToMatch.baseWCU(base) + transformationWCU(s.TextTransformations)
}

func (s SqliMatch) check(c *checker, field string, _ position) {
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
	if s.SensitivityLevel != "" {
		c.v.OneOf(field+".SensitivityLevel", s.SensitivityLevel, []string{"LOW", "HIGH"})
	}
}

// XssMatch is an xss_match_statement: it detects cross-site scripting in
// the field. WCUs: 40, doubled for JSONBody, +10 for AllQueryArguments, +10
// per transformation other than NONE.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-xss-match.html
type XssMatch struct {
	FieldToMatch        FieldToMatch
	TextTransformations []TextTransformation
}

// Map implements Statement.
func (s XssMatch) Map() map[string]any {
	return map[string]any{"xss_match_statement": map[string]any{
		"field_to_match":      s.FieldToMatch.toMap(),
		"text_transformation": transformationsMap(s.TextTransformations),
	}}
}

// WCU implements Statement.
func (s XssMatch) WCU() int {
	return s.FieldToMatch.baseWCU(40) + transformationWCU(s.TextTransformations)
}

func (s XssMatch) check(c *checker, field string, _ position) {
	checkMatchPart(c, field, s.FieldToMatch, s.TextTransformations)
}

// ForwardedIPConfig makes a GeoMatch, IPSetReference or RateBased
// statement use the client IP from a header (e.g. "X-Forwarded-For")
// instead of the connection's source address.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html
type ForwardedIPConfig struct {
	// HeaderName is the header holding the IP, 1-255 letters, digits and
	// '-'. Required.
	HeaderName string
	// FallbackBehavior is MATCH or NO_MATCH: the result for a request
	// without a valid IP in the header. Required.
	FallbackBehavior string
	// Position is which IP of a list IPSetReference inspects: FIRST, LAST
	// or ANY (ANY costs 4 more WCUs). Required for IPSetReference; must be
	// empty elsewhere.
	Position string
}

var forwardedHeaderRe = regexp.MustCompile(`^[A-Za-z0-9-]{1,255}$`)

func (f *ForwardedIPConfig) check(c *checker, field string, withPosition bool) {
	if c.literal(field+".HeaderName", f.HeaderName) {
		c.v.Check(forwardedHeaderRe.MatchString(f.HeaderName), field+".HeaderName", f.HeaderName, "is required: a header name of 1-255 letters, digits and '-', such as \"X-Forwarded-For\"")
	}
	if c.v.Check(f.FallbackBehavior != "", field+".FallbackBehavior", f.FallbackBehavior, "is required: MATCH or NO_MATCH") {
		c.v.OneOf(field+".FallbackBehavior", f.FallbackBehavior, []string{"MATCH", "NO_MATCH"})
	}
	if withPosition {
		if c.v.Check(f.Position != "", field+".Position", f.Position, "is required: FIRST, LAST or ANY") {
			c.v.OneOf(field+".Position", f.Position, []string{"FIRST", "LAST", "ANY"})
		}
	} else {
		c.v.Check(f.Position == "", field+".Position", f.Position, "only applies to IPSetReference")
	}
}

func (f *ForwardedIPConfig) toMap(withPosition bool) []any {
	m := map[string]any{"fallback_behavior": f.FallbackBehavior, "header_name": escape(f.HeaderName)}
	if withPosition {
		m["position"] = f.Position
	}
	return []any{m}
}

// GeoMatch is a geo_match_statement: it matches requests whose source IP
// (or ForwardedIP) is in one of CountryCodes (ISO 3166-1 alpha-2 codes that
// AWS WAF accepts, listed in the package variable CountryCodes, e.g.
// "KP"). 1 WCU.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-geo-match.html
type GeoMatch struct {
	CountryCodes []string
	ForwardedIP  *ForwardedIPConfig
}

// Map implements Statement.
func (s GeoMatch) Map() map[string]any {
	codes := make([]any, len(s.CountryCodes))
	for i, c := range s.CountryCodes {
		codes[i] = c
	}
	m := map[string]any{"country_codes": codes}
	if s.ForwardedIP != nil {
		m["forwarded_ip_config"] = s.ForwardedIP.toMap(false)
	}
	return map[string]any{"geo_match_statement": m}
}

// WCU implements Statement.
func (s GeoMatch) WCU() int { return 1 }

func (s GeoMatch) check(c *checker, field string, _ position) {
	v := c.v
	v.Check(len(s.CountryCodes) > 0, field+".CountryCodes", s.CountryCodes, "must list at least one country code")
	seen := map[string]bool{}
	for i, code := range s.CountryCodes {
		f := fmt.Sprintf("%s.CountryCodes[%d]", field, i)
		if !isCountryCode(code) {
			v.Suggest(f, code, "must be an ISO 3166-1 alpha-2 country code that AWS WAF knows, in upper case, e.g. \"KP\" (see wafacl.CountryCodes)",
				validate.Nearest(code, CountryCodes))
			continue
		}
		v.Check(!seen[code], f, code, "is listed twice")
		seen[code] = true
	}
	if s.ForwardedIP != nil {
		s.ForwardedIP.check(c, field+".ForwardedIP", false)
	}
}

// IPSetReference is an ip_set_reference_statement: it matches requests
// whose source IP (or ForwardedIP) is in an IP set: one made by NewIPSet
// (IPSet), or an existing one by Arn (an IP set ARN of the web ACL's scope,
// region and account, or a token). Set exactly one of IPSet and Arn.
// WCUs: 1, or 5 with ForwardedIP position ANY.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html
type IPSetReference struct {
	Arn         string
	IPSet       *IPSet
	ForwardedIP *ForwardedIPConfig
}

func (s IPSetReference) arn() string {
	if s.IPSet != nil && s.IPSet.Set != nil {
		return *s.IPSet.Set.Arn()
	}
	return s.Arn
}

// Map implements Statement.
func (s IPSetReference) Map() map[string]any {
	m := map[string]any{"arn": s.arn()}
	if s.ForwardedIP != nil {
		m["ip_set_forwarded_ip_config"] = s.ForwardedIP.toMap(true)
	}
	return map[string]any{"ip_set_reference_statement": m}
}

// WCU implements Statement.
func (s IPSetReference) WCU() int {
	if s.ForwardedIP != nil && s.ForwardedIP.Position == "ANY" {
		return 5
	}
	return 1
}

func (s IPSetReference) check(c *checker, field string, _ position) {
	c.refs++
	switch {
	case s.IPSet != nil && s.Arn != "":
		c.v.Add(field+".Arn", s.Arn, "must be empty when IPSet is set (one IP set)")
	case s.IPSet != nil:
		if s.IPSet.Set == nil {
			c.v.Add(field+".IPSet", nil, "must be an IP set made by wafacl.NewIPSet")
		} else if c.scope != "" {
			c.v.Check(s.IPSet.Config.Scope == c.scope, field+".IPSet", s.IPSet.Config.Name,
				fmt.Sprintf("is an IP set of scope %s: the web ACL's scope is %s", s.IPSet.Config.Scope, c.scope))
		}
	default:
		checkWafArn(c, field+".Arn", s.Arn, validate.WafIPSetArn)
	}
	if s.ForwardedIP != nil {
		s.ForwardedIP.check(c, field+".ForwardedIP", true)
	}
}

// LabelMatch is a label_match_statement: it matches requests that an
// earlier rule labelled. Scope is "LABEL" (default: Key is a label, e.g.
// "awswaf:managed:aws:bot-control:bot:verified", or the name a rule of this
// web ACL gave it) or "NAMESPACE" (Key is a namespace, e.g.
// "awswaf:managed:aws:bot-control:"). Key is 1-1024 letters, digits, '_',
// '-' and ':', with no empty component ("a::b"). 1 WCU.
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
	return map[string]any{"label_match_statement": map[string]any{"key": escape(s.Key), "scope": scope}}
}

// WCU implements Statement.
func (s LabelMatch) WCU() int { return 1 }

var labelKeyRe = regexp.MustCompile(`^[0-9A-Za-z_\-:]+$`)

func (s LabelMatch) check(c *checker, field string, _ position) {
	if s.Scope != "" {
		c.v.OneOf(field+".Scope", s.Scope, []string{"LABEL", "NAMESPACE"})
	}
	f := field + ".Key"
	if !c.literal(f, s.Key) {
		return
	}
	switch {
	case !labelKeyRe.MatchString(s.Key) || len(s.Key) > 1024:
		c.v.Add(f, s.Key, "must be a label or namespace of 1-1024 letters, digits, '_', '-' and ':' (no spaces)")
	case strings.HasPrefix(s.Key, ":") || strings.Contains(s.Key, "::"):
		c.v.Add(f, s.Key, "must not have an empty component: components are separated by single ':'")
	case s.Scope != "NAMESPACE" && strings.HasSuffix(s.Key, ":"):
		c.v.Suggest(f, s.Key, "ends with ':', which makes it a namespace: set Scope NAMESPACE, or remove the ':'", strings.TrimRight(s.Key, ":"))
	}
}

// labelNameRule returns why a rule label (RuleLabels name) breaks WAF's
// label syntax, or "": up to five namespaces and a name separated by ':',
// each 1-128 letters, digits, '_' and '-', none a reserved word.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-requirements.html
func labelNameRule(label string) string {
	if !labelKeyRe.MatchString(label) || len(label) > 1024 {
		return "must be a label of letters, digits, '_', '-' and ':' (no spaces or other characters), at most 1024 characters"
	}
	parts := strings.Split(label, ":")
	if len(parts) > 6 {
		return "must have at most five namespaces and a name (at most six ':'-separated components)"
	}
	for _, p := range parts {
		if p == "" {
			return "must not have an empty component: namespaces and name are separated by single ':' (WAF adds the awswaf:<account>:webacl:<name>: prefix itself)"
		}
		if len(p) > 128 {
			return "must have namespaces and a name of at most 128 characters each"
		}
		if slices.Contains(ReservedLabelWords, strings.ToLower(p)) {
			return fmt.Sprintf("must not use %q, which AWS WAF reserves (%v)", p, ReservedLabelWords)
		}
	}
	return ""
}

// ReservedLabelWords cannot be a namespace or name of a rule label.
var ReservedLabelWords = []string{"awswaf", "aws", "waf", "rulegroup", "webacl", "regexpatternset", "ipset", "managed"}

// printable reports whether s has no control characters.
func printable(s string) bool {
	return !strings.ContainsFunc(s, unicode.IsControl)
}
