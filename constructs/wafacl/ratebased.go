package wafacl

import (
	"fmt"
	"strings"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Aggregate key types of a rate-based statement.
const (
	AggregateIP          = "IP"
	AggregateForwardedIP = "FORWARDED_IP"
	AggregateCustomKeys  = "CUSTOM_KEYS"
	AggregateConstant    = "CONSTANT"
)

// MaxRateKeys is the most custom aggregation keys of a rate-based
// statement.
const MaxRateKeys = 5

// Rate key kinds (the custom_key block names).
const (
	RateKeyIP             = "ip"
	RateKeyForwardedIP    = "forwarded_ip"
	RateKeyHTTPMethod     = "http_method"
	RateKeyHeader         = "header"
	RateKeyCookie         = "cookie"
	RateKeyQueryArgument  = "query_argument"
	RateKeyQueryString    = "query_string"
	RateKeyURIPath        = "uri_path"
	RateKeyLabelNamespace = "label_namespace"
)

// RateKeyKinds are the custom aggregation keys this package renders.
var RateKeyKinds = []string{RateKeyIP, RateKeyForwardedIP, RateKeyHTTPMethod, RateKeyHeader, RateKeyCookie,
	RateKeyQueryArgument, RateKeyQueryString, RateKeyURIPath, RateKeyLabelNamespace}

// RateKey is one custom aggregation key of a RateBased statement: each
// distinct combination of the keys' values is counted separately.
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatementCustomKey.html
type RateKey struct {
	// Kind is one of RateKeyKinds.
	Kind string
	// Name is the header, cookie or query argument name (1-64
	// characters), or the label namespace of RateKeyLabelNamespace (a
	// namespace such as "awswaf:managed:aws:bot-control:bot:category:").
	Name string
	// TextTransformations apply to header, cookie, query_argument,
	// query_string and uri_path keys (at most 10). Default NONE.
	TextTransformations []TextTransformation
}

// RateKeyOf returns a key of kind with an optional name and
// transformations: RateKeyOf(RateKeyHeader, "x-api-key").
func RateKeyOf(kind, name string, tts ...TextTransformation) RateKey {
	return RateKey{Kind: kind, Name: name, TextTransformations: tts}
}

func (k RateKey) named() bool {
	return k.Kind == RateKeyHeader || k.Kind == RateKeyCookie || k.Kind == RateKeyQueryArgument || k.Kind == RateKeyLabelNamespace
}

func (k RateKey) transformed() bool {
	return k.named() && k.Kind != RateKeyLabelNamespace || k.Kind == RateKeyQueryString || k.Kind == RateKeyURIPath
}

func (k RateKey) toMap() map[string]any {
	inner := map[string]any{}
	switch {
	case k.Kind == RateKeyLabelNamespace:
		inner["namespace"] = escape(k.Name)
	case k.named():
		inner["name"] = escape(k.Name)
	}
	if k.transformed() {
		inner["text_transformation"] = transformationsMap(k.TextTransformations)
	}
	return map[string]any{k.Kind: inner}
}

// RateBased is a rate_based_statement: it counts requests per aggregation
// instance (per client IP by default) over EvaluationWindowSeconds and
// applies the rule's action to instances over Limit. It can only be the top
// statement of a Rule (WAF does not nest it). WCUs: 2, +30 per custom key,
// plus the scope-down statement's.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
type RateBased struct {
	// Limit is the number of requests per aggregation instance per window,
	// 10-2,000,000,000. Required.
	Limit int
	// EvaluationWindowSeconds is 60, 120, 300 or 600. Default (nil) 300.
	EvaluationWindowSeconds *int
	// AggregateKeyType is IP, FORWARDED_IP (needs ForwardedIP), CUSTOM_KEYS
	// (needs Keys) or CONSTANT (one counter for every request the
	// ScopeDown statement matches; needs ScopeDown). Default: CUSTOM_KEYS
	// when Keys is set, else IP.
	AggregateKeyType string
	// Keys are the custom aggregation keys (1-5) of CUSTOM_KEYS. An ip or
	// forwarded_ip key needs another key beside it (aggregate on the IP
	// alone with AggregateKeyType IP or FORWARDED_IP).
	Keys []RateKey
	// ForwardedIP reads the client IP from a header, for FORWARDED_IP or a
	// forwarded_ip key (Position must be empty).
	ForwardedIP *ForwardedIPConfig
	// ScopeDown limits what is counted to requests matching it.
	ScopeDown Statement
}

func (s RateBased) keyType() string {
	switch {
	case s.AggregateKeyType != "":
		return s.AggregateKeyType
	case len(s.Keys) > 0:
		return AggregateCustomKeys
	}
	return AggregateIP
}

// Map implements Statement.
func (s RateBased) Map() map[string]any {
	m := map[string]any{
		"aggregate_key_type":    s.keyType(),
		"evaluation_window_sec": float64(validate.IntOr(s.EvaluationWindowSeconds, DefaultEvaluationWindowSeconds)),
		"limit":                 float64(s.Limit),
	}
	if len(s.Keys) > 0 {
		keys := make([]any, len(s.Keys))
		for i, k := range s.Keys {
			keys[i] = k.toMap()
		}
		m["custom_key"] = keys
	}
	if s.ForwardedIP != nil {
		m["forwarded_ip_config"] = s.ForwardedIP.toMap(false)
	}
	if !isNil(s.ScopeDown) {
		m["scope_down_statement"] = s.ScopeDown.Map()
	}
	return map[string]any{"rate_based_statement": m}
}

// WCU implements Statement.
func (s RateBased) WCU() int {
	n := 2 + 30*len(s.Keys)
	if !isNil(s.ScopeDown) {
		n += s.ScopeDown.WCU()
	}
	return n
}

func (s RateBased) check(c *checker, field string, at position) {
	field += "(RateBased)"
	v := c.v
	if !v.Check(at.root, field, "RateBased", "cannot be nested: a rate-based statement is only allowed as the top statement of a rule") {
		return
	}
	v.Range(field+".Limit", s.Limit, MinRateLimit, MaxRateLimit, "requests per window")
	if s.EvaluationWindowSeconds != nil {
		v.OneOfInt(field+".EvaluationWindowSeconds", *s.EvaluationWindowSeconds, AllowedEvaluationWindows, "seconds")
	}
	kt := s.keyType()
	if s.AggregateKeyType != "" && !v.OneOf(field+".AggregateKeyType", s.AggregateKeyType, []string{AggregateIP, AggregateForwardedIP, AggregateCustomKeys, AggregateConstant}) {
		kt = ""
	}
	switch kt {
	case AggregateCustomKeys:
		v.Check(len(s.Keys) >= 1 && len(s.Keys) <= MaxRateKeys, field+".Keys", len(s.Keys), fmt.Sprintf("must hold 1-%d keys with AggregateKeyType CUSTOM_KEYS", MaxRateKeys))
	case AggregateForwardedIP:
		v.Check(s.ForwardedIP != nil, field+".ForwardedIP", nil, "is required with AggregateKeyType FORWARDED_IP")
	case AggregateConstant:
		v.Check(!isNil(s.ScopeDown), field+".ScopeDown", nil, "is required with AggregateKeyType CONSTANT (it counts every request the scope-down statement matches)")
	}
	if kt != "" && kt != AggregateCustomKeys {
		v.Check(len(s.Keys) == 0, field+".Keys", len(s.Keys), "must be empty unless AggregateKeyType is CUSTOM_KEYS")
	}
	seen := map[string]bool{}
	forwardedKey := false
	for i, k := range s.Keys {
		f := fmt.Sprintf("%s.Keys[%d]", field, i)
		if !v.OneOf(f+".Kind", k.Kind, RateKeyKinds) {
			continue
		}
		id := k.Kind + "/" + strings.ToLower(k.Name)
		v.Check(!seen[id], f, k.Kind+" "+k.Name, "is listed twice")
		seen[id] = true
		if k.Kind == RateKeyForwardedIP {
			forwardedKey = true
		}
		if k.Kind == RateKeyIP || k.Kind == RateKeyForwardedIP {
			v.Check(len(s.Keys) > 1, f, k.Kind, fmt.Sprintf("needs another key beside it: to aggregate on the IP alone, set AggregateKeyType %s and no Keys", map[string]string{RateKeyIP: AggregateIP, RateKeyForwardedIP: AggregateForwardedIP}[k.Kind]))
		}
		switch {
		case k.Kind == RateKeyLabelNamespace:
			if c.literal(f+".Name", k.Name) {
				if rule := labelNamespaceRule(k.Name); rule != "" {
					v.Add(f+".Name", k.Name, rule)
				}
			}
		case k.named():
			if c.literal(f+".Name", k.Name) {
				v.Check(len(k.Name) >= 1 && len(k.Name) <= 64 && strings.TrimSpace(k.Name) != "", f+".Name", k.Name, "is required: a name of 1-64 characters, not only whitespace")
			}
		default:
			v.Check(k.Name == "", f+".Name", k.Name, "does not apply to a "+k.Kind+" key")
		}
		if k.transformed() {
			checkTransformations(c, f+".TextTransformations", k.TextTransformations)
		} else {
			v.Check(len(k.TextTransformations) == 0, f+".TextTransformations", len(k.TextTransformations), "do not apply to a "+k.Kind+" key")
		}
	}
	if s.ForwardedIP != nil {
		if v.Check(kt == AggregateForwardedIP || forwardedKey, field+".ForwardedIP", s.ForwardedIP.HeaderName,
			"only applies with AggregateKeyType FORWARDED_IP or a forwarded_ip key") {
			s.ForwardedIP.check(c, field+".ForwardedIP", false)
		}
	} else if forwardedKey {
		v.Add(field+".ForwardedIP", nil, "is required with a forwarded_ip key")
	}
	if s.ScopeDown != nil {
		checkStatement(c, field+".ScopeDown", s.ScopeDown, scopeDownPosition())
	}
}

// labelNamespaceRule: a label namespace for rate-based aggregation, label
// characters and ending with ':'.
func labelNamespaceRule(ns string) string {
	switch {
	case !labelKeyRe.MatchString(ns) || len(ns) > 1024:
		return "must be a label namespace of 1-1024 letters, digits, '_', '-' and ':' (no spaces)"
	case !strings.HasSuffix(ns, ":"):
		return "must be a namespace, ending with ':' (e.g. \"awswaf:managed:aws:bot-control:bot:category:\")"
	case strings.HasPrefix(ns, ":") || strings.Contains(ns, "::"):
		return "must not have an empty component: components are separated by single ':'"
	}
	return ""
}
