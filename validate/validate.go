package validate

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// Problem is one rule broken by one config field.
type Problem struct {
	// Field is the Go path of the field, for example "Subnets.PublicPrefix".
	Field string
	// Value is the offending value as the user gave it.
	Value any
	// Rule says what is allowed.
	Rule string
	// Suggestion is the nearest valid value, when there is one (a region
	// for a region typo, the correctly cased enum value, the nearest
	// allowed number); "" otherwise. Problem.String shows it as
	// `did you mean "<Suggestion>"?`.
	Suggestion string
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s = %#v: %s", p.Field, p.Value, p.Rule)
	if p.Suggestion != "" {
		s += fmt.Sprintf("; did you mean %q?", p.Suggestion)
	}
	return s
}

// Error is returned by every constructor in this module when its config is
// invalid. It lists every problem found, in the order the checks ran.
type Error struct {
	// Construct names the constructor or function whose input was
	// rejected, e.g. "securevpc.NewSecureVpc".
	Construct string
	// ID is the construct id it was called with ("" when there is none),
	// so that one of several constructs of a kind can be told apart.
	ID string
	// Problems holds one entry per broken rule; it is never empty.
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Construct)
	if e.ID != "" {
		fmt.Fprintf(&b, "(%q)", e.ID)
	}
	fmt.Fprintf(&b, ": invalid config (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("):")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Collector gathers problems. The zero value is not usable; call New.
type Collector struct {
	construct string
	id        string
	problems  []Problem
	// reported holds the tokens NeedLiteral reported.
	reported map[string]bool
}

// New returns a collector for the named construct.
func New(construct string) *Collector { return &Collector{construct: construct} }

// NewFor returns a collector for the named constructor called with the
// construct id id; its *Error names both: securevpc.NewSecureVpc("network").
func NewFor(construct, id string) *Collector { return &Collector{construct: construct, id: id} }

// Add records a problem (unless its value derives from a token
// NeedLiteral already reported).
func (c *Collector) Add(field string, value any, rule string) {
	c.AddProblem(Problem{Field: field, Value: value, Rule: rule})
}

// Suggest records a problem with a suggested valid value ("" for none).
// A suggestion corrects literal text, so for a string holding a token it
// records LiteralRule instead (NeedLiteral).
func (c *Collector) Suggest(field string, value any, rule, suggestion string) {
	if s, ok := value.(string); ok && !c.NeedLiteral(field, s) {
		return
	}
	c.AddProblem(Problem{Field: field, Value: value, Rule: rule, Suggestion: suggestion})
}

// AddProblem records p as it is (unless its value derives from a token
// NeedLiteral already reported).
func (c *Collector) AddProblem(p Problem) {
	if c.derived(p.Value) {
		return
	}
	c.problems = append(c.problems, p)
}

// Rule records a problem when rule is not "" and reports whether rule is
// "". It fits the rule functions of this package, which return "" for a
// valid value:
//
//	v.Rule("Name", name, validate.IAMRoleName(name))
//
// The rule functions check literal text, so a failed rule on a string
// holding a token records LiteralRule instead (NeedLiteral); where
// Terraform may check the value, guard the call with Literal.
func (c *Collector) Rule(field string, value any, rule string) bool {
	if rule == "" {
		return true
	}
	if s, ok := value.(string); ok && !c.NeedLiteral(field, s) {
		return false
	}
	c.Add(field, value, rule)
	return false
}

// Failed reports whether a problem was recorded for field or for a field
// below it ("Logging" covers "Logging.RetentionInDays" and "Logging[0]",
// "Statement" covers "Statement(And).Statements[1]").
// Use it to skip checks that depend on a value already reported, so one
// mistake gives one problem.
func (c *Collector) Failed(field string) bool {
	for _, p := range c.problems {
		if p.Field == field || strings.HasPrefix(p.Field, field+".") || strings.HasPrefix(p.Field, field+"[") || strings.HasPrefix(p.Field, field+"(") {
			return true
		}
	}
	return false
}

// Len is the number of problems recorded so far.
func (c *Collector) Len() int { return len(c.problems) }

// Check records a problem when ok is false and reports ok.
func (c *Collector) Check(ok bool, field string, value any, rule string) bool {
	if !ok {
		c.Add(field, value, rule)
	}
	return ok
}

// Merge appends the problems of err, prefixing each field with prefix (and
// a '.'; an empty prefix keeps the fields as they are), when err is or wraps
// a *Error; any other non-nil error becomes one problem.
func (c *Collector) Merge(prefix string, value any, err error) {
	if err == nil {
		return
	}
	var ve *Error
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if prefix != "" {
				p.Field = prefix + "." + p.Field
			}
			c.problems = append(c.problems, p)
		}
		return
	}
	c.Add(prefix, value, err.Error())
}

// Err returns nil when no problem was recorded, else an *Error.
func (c *Collector) Err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Construct: c.construct, ID: c.id, Problems: slices.Clone(c.problems)}
}

var (
	bucketNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipLikeRe     = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`)
	accountIDRe  = regexp.MustCompile(`^\d{12}$`)
)

// BucketName reports why name breaks the S3 general-purpose bucket naming
// rules, or "" when it is valid.
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func BucketName(name string) string {
	switch {
	case !bucketNameRe.MatchString(name):
		return "must be 3-63 characters of lowercase letters, digits, '.' and '-', beginning and ending with a letter or digit"
	case strings.Contains(name, ".."):
		return "must not contain two adjacent periods"
	case ipLikeRe.MatchString(name):
		return "must not be formatted as an IP address"
	case strings.HasPrefix(name, "xn--"), strings.HasPrefix(name, "sthree-"), strings.HasPrefix(name, "amzn-s3-demo-"):
		return "must not start with the reserved prefixes xn--, sthree- or amzn-s3-demo-"
	case strings.HasSuffix(name, "-s3alias"), strings.HasSuffix(name, "--ol-s3"), strings.HasSuffix(name, ".mrap"), strings.HasSuffix(name, "--x-s3"):
		return "must not end with the reserved suffixes -s3alias, --ol-s3, .mrap or --x-s3"
	}
	return ""
}

// AccountID reports whether id is a 12-digit AWS account ID.
// See https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
func AccountID(id string) bool { return accountIDRe.MatchString(id) }

// AccountIDRule is the rule text of AccountID.
const AccountIDRule = "must be a 12-digit AWS account ID"

// CIDR parses an IPv4 or IPv6 CIDR block and requires it to be in canonical
// form (no host bits set), as AWS APIs do.
func CIDR(s string) (netip.Prefix, string) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, "must be a CIDR block such as 10.0.0.0/16"
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Sprintf("has host bits set; the network address is %s", p.Masked())
	}
	return p, ""
}

// LogRetentionDays lists the values CloudWatch Logs accepts for
// retention_in_days (0 means never expire).
// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogRetention reports whether days is a retention CloudWatch Logs accepts.
// Zero ("never expire") is deliberately not accepted: every log group in this
// module has a finite retention.
func LogRetention(days int) bool { return slices.Contains(LogRetentionDays, days) }

// LogRetentionRule is the rule text used with LogRetention.
var LogRetentionRule = fmt.Sprintf("must be one of the CloudWatch Logs retention values %v", LogRetentionDays)
