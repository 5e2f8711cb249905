package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Nearest returns the candidate closest to value, for "did you mean"
// suggestions: the candidate equal to value ignoring case (the right
// casing of an enum), else the candidate at the smallest edit distance
// (Levenshtein, on runes) when that distance is at most a third of value's
// length (and at least 2), else "". Ties go to the earlier candidate.
func Nearest(value string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, value) {
			return c
		}
	}
	best, bestD := "", -1
	lv := strings.ToLower(value)
	for _, c := range candidates {
		d := editDistance(lv, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > max(2, utf8.RuneCountInString(value)/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, on runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// NearestInt returns the allowed value closest to n (the smaller one on a
// tie); ok is false when allowed is empty.
func NearestInt(n int, allowed []int) (nearest int, ok bool) {
	for i, a := range allowed {
		if i == 0 || abs(a-n) < abs(nearest-n) || abs(a-n) == abs(nearest-n) && a < nearest {
			nearest, ok = a, true
		}
	}
	return nearest, ok
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// OneOf records a problem unless value is one of allowed (exactly, case
// included), suggesting the correctly cased value or the nearest by edit
// distance (see Nearest); it reports validity. An enum decides what the
// construct builds, so a token is LiteralRule (NeedLiteral), not a
// suggestion.
//
//	v.OneOf("SslPolicy", c.SslPolicy, ModernSslPolicies)
func (c *Collector) OneOf(field, value string, allowed []string) bool {
	if slices.Contains(allowed, value) {
		return true
	}
	if !c.NeedLiteral(field, value) {
		return false
	}
	c.Suggest(field, value, "must be one of "+quoteList(allowed), Nearest(value, allowed))
	return false
}

// OneOfInt records a problem unless n is one of allowed, suggesting the
// nearest allowed value (log retention 730 suggests 731); it reports
// validity. unit ("days", "seconds") is part of the rule text.
func (c *Collector) OneOfInt(field string, n int, allowed []int, unit string) bool {
	if slices.Contains(allowed, n) {
		return true
	}
	rule := fmt.Sprintf("must be one of %v", allowed)
	if unit != "" {
		rule += " " + unit
	}
	s := ""
	if near, ok := NearestInt(n, allowed); ok {
		s = strconv.Itoa(near)
	}
	c.Suggest(field, n, rule, s)
	return false
}

// Range records a problem unless lo <= n <= hi, suggesting the nearer
// bound; it reports validity. unit ("seconds", "days", "percent") is part
// of the rule text.
func (c *Collector) Range(field string, n, lo, hi int, unit string) bool {
	if n >= lo && n <= hi {
		return true
	}
	rule := fmt.Sprintf("must be %d-%d", lo, hi)
	if unit != "" {
		rule += " " + unit
	}
	s := lo
	if n > hi {
		s = hi
	}
	c.Suggest(field, n, rule, strconv.Itoa(s))
	return false
}

// OptionalRange is Range for an optional number: nil means "unset, use the
// default" and is valid; a set value, 0 included, must lie in [lo, hi].
// This is how fields whose range includes 0 keep 0 distinct from unset.
func (c *Collector) OptionalRange(field string, p *int, lo, hi int, unit string) bool {
	if p == nil {
		return true
	}
	return c.Range(field, *p, lo, hi, unit)
}

// IntOr returns *p, or def when p is nil (the default of an optional
// number).
func IntOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// LogRetention records LogRetentionRule unless days is a
// CloudWatch Logs retention value, suggesting the nearest one (730
// suggests 731); it reports validity.
func (c *Collector) LogRetention(field string, days int) bool {
	if LogRetention(days) {
		return true
	}
	near, _ := NearestInt(days, LogRetentionDays)
	c.Suggest(field, days, LogRetentionRule, strconv.Itoa(near))
	return false
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
