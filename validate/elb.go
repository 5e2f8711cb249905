package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Rules of Application Load Balancer listener rules and ACM certificate
// names.

// ApplicationListenerArn is a listener of an Application Load Balancer.
var ApplicationListenerArn = ArnKind{What: "Application Load Balancer listener", Service: "elasticloadbalancing",
	Resource: regexp.MustCompile(`^listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`),
	Example:  "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<lb-id>/<listener-id>"}

// Listener rule limits of Application Load Balancers.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
// and https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
const (
	// MaxListenerRulePriority is the largest listener rule priority (1 is
	// evaluated first).
	MaxListenerRulePriority = 50000
	// MaxConditionValues is the most values (match evaluations) of one
	// condition, e.g. host headers of one rule.
	MaxConditionValues = 3
	// MaxRuleConditionValues is the most values of all conditions of one rule.
	MaxRuleConditionValues = 5
	// MaxRuleWildcards is the most wildcards ('*' and '?') in one rule.
	MaxRuleWildcards = 5
	// MaxConditionValueLength is the longest host header or path pattern.
	MaxConditionValueLength = 128
)

var (
	hostHeaderRe  = regexp.MustCompile(`^[A-Za-z0-9*?_.-]+$`)
	pathPatternRe = regexp.MustCompile(`^[A-Za-z0-9_\-.$/~"'@:+&*?]+$`)
	dnsLabelRe    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// ListenerHostHeader: a host-header condition value, 1-128 characters of
// letters, digits, - _ . and the wildcards * and ?, with at least one '.'
// and only letters after the last '.' (case does not matter to the ALB).
func ListenerHostHeader(h string) string {
	const rule = "must be a host name pattern: 1-128 letters, digits, '-', '_', '.' and the wildcards '*' and '?', with at least one '.' and only letters after the last '.'"
	if length(h) < 1 || length(h) > MaxConditionValueLength || !hostHeaderRe.MatchString(h) {
		return rule
	}
	i := strings.LastIndexByte(h, '.')
	if i < 0 || i == len(h)-1 {
		return rule
	}
	for _, r := range h[i+1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return rule
		}
	}
	return ""
}

// ListenerPathPattern: a path-pattern condition value, 1-128 characters of
// letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards * and ?,
// starting with '/' or a wildcard (the ALB compares it with the request
// path, which starts with '/'; case matters).
func ListenerPathPattern(p string) string {
	if length(p) < 1 || length(p) > MaxConditionValueLength || !pathPatternRe.MatchString(p) {
		return `must be a path pattern: 1-128 letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards '*' and '?'`
	}
	if p[0] != '/' && p[0] != '*' && p[0] != '?' {
		return "must start with '/' (or a wildcard): request paths start with '/', so this pattern never matches"
	}
	return ""
}

// RuleWildcards counts the wildcards of listener rule condition values
// (at most MaxRuleWildcards per rule).
func RuleWildcards(values ...string) int {
	n := 0
	for _, v := range values {
		n += strings.Count(v, "*") + strings.Count(v, "?")
	}
	return n
}

// HTTP codes an Application Load Balancer health check accepts as
// healthy. See the HttpCode of Matcher in
// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
const (
	MinHealthCheckHTTPCode = 200
	MaxHealthCheckHTTPCode = 499
)

// HealthCheckMatcher: the HTTP codes of a healthy target of an Application
// Load Balancer, codes 200-499 given as one code ("200"), a list ("200,302")
// or ranges ("200-299", "200-299,302"), each range low-high with low <= high.
func HealthCheckMatcher(m string) string {
	rule := fmt.Sprintf(`must be HTTP codes %d-%d such as "200", "200,302" or "200-299" (ranges low-high, low <= high)`, MinHealthCheckHTTPCode, MaxHealthCheckHTTPCode)
	code := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && len(s) == 3 && n >= MinHealthCheckHTTPCode && n <= MaxHealthCheckHTTPCode
	}
	for _, part := range strings.Split(m, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := code(lo)
		if !ok {
			return rule
		}
		if isRange {
			b, ok := code(hi)
			if !ok || b < a {
				return rule
			}
		}
	}
	return ""
}

// CertificateDomainName: a name ACM issues a certificate for, lowercase
// (ACM stores names in lowercase; Terraform would then plan a change on
// every run), at most 253 characters, labels of 1-63 letters, digits and
// '-' not starting or ending with '-', at least two labels, and '*' only as
// the whole first label ("*.example.com").
// See https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
func CertificateDomainName(name string) string {
	const rule = "must be a lowercase DNS name such as app.example.com or *.example.com (labels of letters, digits and '-', '*' only as the whole first label, at most 253 characters)"
	switch r := dnsNameRule(name, true); {
	case r == "":
		return ""
	case strings.HasPrefix(r, "must be lowercase"):
		return r
	}
	return rule
}
