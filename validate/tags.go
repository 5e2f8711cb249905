package validate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tag limits common to AWS services.
// See https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
const (
	// MaxTags is the most user tags one resource may have.
	MaxTags = 50
	// MaxTagKeyLength and MaxTagValueLength are in Unicode characters.
	MaxTagKeyLength   = 128
	MaxTagValueLength = 256
)

// tagCharsRe is the character set every service accepts in tag keys and
// values: letters, separators (spaces), numbers and _ . : / = + - @. It
// excludes control characters such as newlines and tabs.
var tagCharsRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// TagKey returns why k cannot be a tag key, or "": 1-128 Unicode
// characters of letters, spaces, numbers and _ . : / = + - @, not beginning
// with "aws:" in any case (reserved for AWS).
func TagKey(k string) string {
	if n := utf8.RuneCountInString(k); n < 1 || n > MaxTagKeyLength || !utf8.ValidString(k) {
		return fmt.Sprintf("must be a tag key of 1-%d characters", MaxTagKeyLength)
	}
	if !tagCharsRe.MatchString(k) {
		return "must hold only letters, spaces, numbers and _ . : / = + - @ (no control characters)"
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return "must not begin with \"aws:\", which AWS reserves"
	}
	return ""
}

// TagValue returns why v cannot be a tag value, or "": 0-256 Unicode
// characters of letters, spaces, numbers and _ . : / = + - @.
func TagValue(v string) string {
	if utf8.RuneCountInString(v) > MaxTagValueLength || !utf8.ValidString(v) {
		return fmt.Sprintf("must be a tag value of at most %d characters", MaxTagValueLength)
	}
	if !tagCharsRe.MatchString(v) {
		return "must hold only letters, spaces, numbers and _ . : / = + - @ (no control characters)"
	}
	return ""
}

// Tags checks a tag map: at most MaxTags tags, each key by TagKey and
// each value by TagValue (keys and values holding a cdktf token are
// Terraform's to check). Problems name the tag as field[key]. It reports
// whether every tag is valid.
func (c *Collector) Tags(field string, tags map[string]string) bool {
	n := c.Len()
	c.Check(len(tags) <= MaxTags, field, len(tags), fmt.Sprintf("must hold at most %d tags (an AWS limit per resource; the provider's default_tags count too)", MaxTags))
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := field + "[" + k + "]"
		if c.Literal(f, k) {
			c.Rule(f, k, TagKey(k))
		}
		if val := tags[k]; c.Literal(f, val) {
			c.Rule(f, val, TagValue(val))
		}
	}
	return c.Len() == n
}
