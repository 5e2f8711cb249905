package validate

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// cdktf encodes an unresolved value (a resource attribute, a variable, a
// function call) as a token in the native type:
//
//   - a string token is "${TfToken[KEY]}", and may sit inside other text;
//   - a list token is the one-element list ["#{TfToken[KEY]}"];
//   - a map token is a map with the one key "&{TfToken[KEY]}";
//   - a number token is a NaN-like double whose top 16 bits are 0xfdff
//     (0xfbff for a number-list token).
//
// KEY holds letters, digits and ":._-". This is cdktf's own encoding
// (cdktf/lib/tokens/private/encoding.js); these functions recognise exactly
// it, so "TfToken[x", a bare "${" and a Terraform expression such as
// "${var.project}" are literal text, validated like any other literal.
var (
	anyTokenRe    = regexp.MustCompile(`[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)
	stringTokenRe = regexp.MustCompile(`\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}`)
	listTokenRe   = regexp.MustCompile(`^#\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$`)
	oneTokenRe    = regexp.MustCompile(`^[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}$`)
)

// HasToken reports whether s contains a cdktf token (string, list or map
// token marker), i.e. whether part of its value is only known to Terraform.
// Literal text that merely looks similar ("TfToken[x", "${",
// "${var.project}") is not a token.
func HasToken(s string) bool { return strings.Contains(s, "{TfToken[") && anyTokenRe.MatchString(s) }

// IsToken reports whether s is exactly one cdktf token and nothing else,
// e.g. *bucket.Arn().
func IsToken(s string) bool { return oneTokenRe.MatchString(s) }

// IsListToken reports whether list is a cdktf list token: exactly one
// element "#{TfToken[KEY]}" (e.g. *subnet.Ids() of a data source). Its
// length is only known to Terraform.
func IsListToken(list []string) bool { return len(list) == 1 && listTokenRe.MatchString(list[0]) }

// Number-token marker bits (top 16 bits of the IEEE double), as in cdktf's
// createTokenDouble.
const (
	numberTokenMarker     = 0xfdff
	numberListTokenMarker = 0xfbff
)

// IsNumberToken reports whether f is a cdktf number token, such as
// *variable.NumberValue(), rather than a number.
func IsNumberToken(f float64) bool {
	top := math.Float64bits(f) >> 48
	return top == numberTokenMarker || top == numberListTokenMarker
}

// Fragment is one part of a string: literal text or one token.
type Fragment struct {
	// Text is the literal text, or the token's whole encoding
	// ("${TfToken[TOKEN.12]}").
	Text string
	// Token is true when Text is a token.
	Token bool
}

// Fragments splits s into literal text and tokens, in order, so rules can
// check the literal parts: for an image "${TfToken[TOKEN.3]}:1.4.2" they are
// a token and ":1.4.2". Empty literal parts are left out; "" gives nil.
func Fragments(s string) []Fragment {
	var out []Fragment
	last := 0
	for _, m := range anyTokenRe.FindAllStringIndex(s, -1) {
		if m[0] > last {
			out = append(out, Fragment{Text: s[last:m[0]]})
		}
		out = append(out, Fragment{Text: s[m[0]:m[1]], Token: true})
		last = m[1]
	}
	if last < len(s) {
		out = append(out, Fragment{Text: s[last:]})
	}
	return out
}

// UnresolvableToken returns the first token in s that does not belong to
// the running cdktf app (for example "${TfToken[TOKEN.99999]}" typed by
// hand, or a token of another process), or "" when every token resolves.
// cdktf would otherwise fail app.Synth() with "Unrecognized Token Key".
// Only a string that holds a token costs a call into the jsii runtime.
func UnresolvableToken(s string) string {
	if !HasToken(s) {
		return ""
	}
	for _, m := range anyTokenRe.FindAllString(s, -1) {
		if !resolves(m) {
			return m
		}
	}
	return ""
}

// resolved holds the tokens resolves has found: cdktf never removes a token
// from its token map, which lives as long as the jsii kernel (the process),
// so a token found once is found again without another round trip.
var resolved sync.Map

// resolves looks one token up in cdktf's token map; an unknown key makes
// cdktf throw, which jsii surfaces as a recoverable panic.
func resolves(token string) (ok bool) {
	if _, ok := resolved.Load(token); ok {
		return true
	}
	defer func() {
		if r := recover(); r != nil {
			ok = false
		} else {
			resolved.Store(token, struct{}{})
		}
	}()
	switch token[0] {
	case '#':
		cdktf.Tokenization_ReverseList(&[]*string{jsii.String(token)})
	case '&':
		cdktf.Tokenization_ReverseMap(&map[string]any{token: "x"})
	default:
		cdktf.Tokenization_ReverseString(jsii.String(token))
	}
	return true
}

// UnresolvableTokenRule is the rule of a value holding a token that does
// not belong to the app.
const UnresolvableTokenRule = "holds a cdktf token that does not belong to this app (%s): pass the value of a resource, variable or function of this app, or a literal"

// LiteralRule is the rule text of a value Terraform needs as a literal (a
// backend argument, a name that keys a map at synth time).
const LiteralRule = "must be a literal value, not a reference"

// Literal reports whether value is literal text (holds no token), so that
// literal rules should be checked. A value holding tokens is Terraform's to
// check; Literal still records a problem when one of its tokens does not
// belong to this app (UnresolvableToken), and returns false.
//
//	if v.Literal("VpcId", c.VpcId) {
//		v.Rule("VpcId", c.VpcId, vpcIDRule(c.VpcId))
//	}
func (c *Collector) Literal(field, value string) bool {
	if !HasToken(value) {
		return true
	}
	if t := UnresolvableToken(value); t != "" {
		c.Add(field, value, fmt.Sprintf(UnresolvableTokenRule, t))
	}
	return false
}

// RequireLiteral records LiteralRule when value holds a token or a
// Terraform template sequence ("${" or "%{"), which Terraform would try to
// evaluate where only literals are allowed (the backend block), and
// reports whether value is literal.
func (c *Collector) RequireLiteral(field, value string) bool {
	if HasToken(value) || strings.Contains(value, "${") || strings.Contains(value, "%{") {
		c.Add(field, value, LiteralRule)
		return false
	}
	return true
}

// NeedLiteral records LiteralRule for a field the construct reads at
// synth time (a name it derives other names, ARNs or policy statements
// from, an enum that decides what it builds, a value a security rule
// checks) when value holds a token, and reports whether value is literal,
// so that the field's own rule runs only on literal text:
//
//	if v.NeedLiteral("Name", c.Name) {
//		v.Rule("Name", c.Name, validate.ECSName(c.Name))
//	}
//
// A field already reported (a token of another app, found by ConfigTokens)
// gets no second problem. Later problems whose value holds one of value's
// tokens (a default name derived from it, or the same token given to
// another field) are not recorded: one mistake, one problem, and the next
// one shows once it is fixed.
func (c *Collector) NeedLiteral(field, value string) bool {
	if !HasToken(value) {
		return true
	}
	if !c.Failed(field) {
		c.Add(field, value, LiteralRule)
	}
	if c.reported == nil {
		c.reported = map[string]bool{}
	}
	for _, f := range Fragments(value) {
		if f.Token {
			c.reported[f.Text] = true
		}
	}
	return false
}

// derived reports whether value (a string or a list of strings) holds a
// token NeedLiteral has reported.
func (c *Collector) derived(value any) bool {
	if len(c.reported) == 0 {
		return false
	}
	var ss []string
	switch x := value.(type) {
	case string:
		ss = []string{x}
	case *string:
		if x != nil {
			ss = []string{*x}
		}
	case []string:
		ss = x
	}
	for _, s := range ss {
		for _, f := range Fragments(s) {
			if f.Token && c.reported[f.Text] {
				return true
			}
		}
	}
	return false
}

// Tokens checks that every token in the values of list resolves (see
// Literal) and reports whether every element is literal. Elements are
// reported as field[i].
func (c *Collector) Tokens(field string, list []string) bool {
	all := true
	for i, s := range list {
		if !c.Literal(fmt.Sprintf("%s[%d]", field, i), s) {
			all = false
		}
	}
	return all
}

// ConfigTokens walks a config struct (or pointer to one) and records a
// problem for every string, in any field, slice element or map key or
// value, that holds a token not belonging to this app (see
// UnresolvableToken), or a token of the wrong kind for where it is:
//
//   - a list or map token ("#{TfToken[…]}", "&{TfToken[…]}") in a string
//     field, a map key or value, or inside other text: cdktf cannot use a
//     whole list or map where one string is expected (ListTokenInStringRule);
//   - a list token next to other elements of a list: it stands for a whole
//     list, so nothing can be added to it (ListTokenWithElementsRule);
//   - a list token as the only element of a list field that the construct
//     needs element by element (one rule or resource per element), that is
//     any list field not named in listFields (ListTokenRule).
//
// listFields are the Go paths of the list fields (e.g. "SubnetIds",
// "Attributes.PrivateSubnetIds") that pass a whole list on to Terraform, so
// a list token (e.g. *subnets.Ids() of a data source) is fine there, or
// whose own rules explain why it is not. Fields are named by their Go path,
// e.g. "Secrets[DB_URL]" or "HealthCheck.Command[1]". Interface and func
// fields (providers, roles, statements) and constructs of this module (a
// struct with a Config field, e.g. a *securekey.SecureKey given as KmsKey,
// checked by its own constructor) are not walked. Constructors call it
// once, so every field gets the check without a rule of its own.
func (c *Collector) ConfigTokens(cfg any, listFields ...string) {
	walkTokens(c, "", reflect.ValueOf(cfg), 0, listFields)
}

// Rules of ConfigTokens for tokens of the wrong kind.
const (
	ListTokenInStringRule     = "holds a list token where one string is expected: pass one element (cdktf.Fn_Element(list, jsii.Number(0))) or a string attribute"
	MapTokenInStringRule      = "holds a map token where one string is expected: pass one value (cdktf.Fn_Lookup(map, key, nil)) or a string attribute"
	ListTokenWithElementsRule = "is a list token, which stands for a whole list of unknown length: it cannot be combined with other elements; pass it alone or join the lists with cdktf.Fn_Concat"
	ListTokenRule             = "must list its elements: a list token (whose length only Terraform knows) cannot be used here, because each element is used on its own; list the values (each may be a string token)"
	MapTokenRule              = "must list its entries: a map token (whose keys only Terraform knows) cannot be used here"
)

var (
	listTokenInRe = regexp.MustCompile(`#\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)
	mapTokenInRe  = regexp.MustCompile(`&\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)
)

// scalarTokens records the problems of a string used as one string: a list
// or map token in it, or a token of another app.
func (c *Collector) scalarTokens(field, s string) {
	switch {
	case listTokenInRe.MatchString(s):
		c.Add(field, s, ListTokenInStringRule)
	case mapTokenInRe.MatchString(s):
		c.Add(field, s, MapTokenInStringRule)
	default:
		c.Literal(field, s)
	}
}

// isConstruct reports whether t is a construct of this module (a struct
// that carries its validated config in a Config field).
func isConstruct(t reflect.Type) bool {
	f, ok := t.FieldByName("Config")
	return ok && f.Type.Kind() == reflect.Struct
}

func walkTokens(c *Collector, path string, v reflect.Value, depth int, listFields []string) {
	if depth > 8 || !v.IsValid() {
		return
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkTokens(c, path, v.Elem(), depth+1, listFields)
		}
	case reflect.Struct:
		t := v.Type()
		if isConstruct(t) {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				walkTokens(c, join(f.Name), v.Field(i), depth+1, listFields)
			}
		}
	case reflect.String:
		if s := v.String(); HasToken(s) {
			c.scalarTokens(path, s)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() != reflect.String {
			for i := 0; i < v.Len(); i++ {
				walkTokens(c, fmt.Sprintf("%s[%d]", path, i), v.Index(i), depth+1, listFields)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			s, f := v.Index(i).String(), fmt.Sprintf("%s[%d]", path, i)
			if !HasToken(s) {
				continue
			}
			if listTokenRe.MatchString(s) {
				switch {
				case !resolves(s):
					c.Add(f, s, fmt.Sprintf(UnresolvableTokenRule, s))
				case v.Len() > 1:
					c.Add(f, s, ListTokenWithElementsRule)
				case !slices.Contains(listFields, path):
					c.Add(f, s, ListTokenRule)
				}
				continue
			}
			c.scalarTokens(f, s)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			f := path + "[" + k.String() + "]"
			if ks := k.String(); HasToken(ks) {
				switch {
				case IsToken(ks) && strings.HasPrefix(ks, "&") && !resolves(ks):
					c.Add(path, ks, fmt.Sprintf(UnresolvableTokenRule, ks))
				case IsToken(ks) && strings.HasPrefix(ks, "&"):
					c.Add(path, ks, MapTokenRule)
				default:
					c.scalarTokens(f, ks)
				}
			}
			walkTokens(c, f, v.MapIndex(k), depth+1, listFields)
		}
	}
}
