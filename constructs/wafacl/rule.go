package wafacl

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2webacl"
)

// Rule actions.
const (
	ActionAllow     = "allow"
	ActionBlock     = "block"
	ActionCount     = "count"
	ActionCaptcha   = "captcha"
	ActionChallenge = "challenge"
)

// RuleActions are the actions a Rule may take.
var RuleActions = []string{ActionAllow, ActionBlock, ActionCount, ActionCaptcha, ActionChallenge}

// Limits of rules, custom requests and responses (AWS WAF quotas and the
// provider's schema). See https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
const (
	// CustomRuleBasePriority is the automatic priority of the first custom
	// rule; rule i gets CustomRuleBasePriority+i, after the built-in rules
	// (10-40) and before the managed rule groups (100 + 10*i).
	CustomRuleBasePriority = 50
	// MaxCustomHeaders is the most headers one custom request or response
	// may insert.
	MaxCustomHeaders = 10
	// MaxCustomResponseBodies is the most custom response bodies of a web
	// ACL (the rate limit's body included).
	MaxCustomResponseBodies = 50
	// MaxCustomResponseBodyBytes is the largest custom response body.
	MaxCustomResponseBodyBytes = 4096
	// MaxReferenceStatements is the most IP set and regex pattern set
	// reference statements of a web ACL.
	MaxReferenceStatements = 50
	// MaxRuleLabels is the most labels of one rule this package accepts.
	MaxRuleLabels = 100
	// MinImmunityTimeSeconds and MaxImmunityTimeSeconds bound how long a
	// solved CAPTCHA or challenge stays valid.
	MinImmunityTimeSeconds = 60
	MaxImmunityTimeSeconds = 259200
)

// Content types of custom response bodies.
const (
	ContentTypeTextPlain       = "TEXT_PLAIN"
	ContentTypeTextHTML        = "TEXT_HTML"
	ContentTypeApplicationJSON = "APPLICATION_JSON"
)

// Rule is a custom rule of the web ACL: when Statement matches, WAF takes
// Action. Custom rules are evaluated with the built-in rules and the
// managed rule groups in priority order; their WCUs count against the web
// ACL's capacity.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-rules.html
type Rule struct {
	// Name is the rule's name (validate.WAFName: 1-128 letters, digits,
	// '_' and '-'), unique in the web ACL, and the suffix of its metric
	// name "<web ACL Name>-<Name>" (at most 128 characters). Required.
	Name string
	// Priority orders the rule (0-MaxPriority, unique across the web ACL:
	// the built-in rules take 10-40, the managed rule groups 100+10*i).
	// Default (nil): CustomRuleBasePriority + the rule's index. A rule that
	// matches labels of a managed group must come after that group.
	Priority *int
	// Action is one of RuleActions. Required.
	Action string
	// Statement is what the rule matches. Required.
	Statement Statement
	// Labels are added to matching requests (rule_label), for later rules'
	// LabelMatch: up to five ':'-separated namespaces and a name, each
	// 1-128 letters, digits, '_' and '-', no reserved word
	// (ReservedLabelWords); WAF prefixes awswaf:<account>:webacl:<Name>:.
	// Every five labels of the web ACL cost 1 WCU.
	Labels []string
	// CustomResponse replaces WAF's 403 for ActionBlock.
	CustomResponse *CustomResponse
	// InsertHeaders adds headers to the request forwarded to the origin
	// for ActionAllow, ActionCount, ActionCaptcha and ActionChallenge
	// (custom_request_handling): at most 10, names of 1-64 letters,
	// digits and _ $ . - (WAF prefixes "x-amzn-waf-"), values of 1-255
	// characters.
	InsertHeaders map[string]string
	// ImmunityTimeSeconds is how long a solved CAPTCHA or challenge
	// exempts the client (60-259200), for ActionCaptcha and
	// ActionChallenge. Default (nil): the web ACL's (300).
	ImmunityTimeSeconds *int
}

// CustomResponse is the response WAF sends for a blocked request.
// See https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html
type CustomResponse struct {
	// ResponseCode is the HTTP status, 200-599. Required.
	ResponseCode int
	// BodyKey names a body of WafAclConfig.CustomResponseBodies. Default:
	// no body.
	BodyKey string
	// Headers are added to the response: at most 10, names of 1-64
	// letters, digits and _ $ . - (WAF prefixes "x-amzn-waf-"), values of
	// 1-255 characters.
	Headers map[string]string
}

// CustomResponseBody is a body for CustomResponse.BodyKey.
type CustomResponseBody struct {
	// ContentType is TEXT_PLAIN, TEXT_HTML or APPLICATION_JSON (then
	// Content must be valid JSON). Required.
	ContentType string
	// Content is the body, 1-4096 bytes. "${" and "%{" are escaped for
	// Terraform.
	Content string
}

var (
	customHeaderNameRe = regexp.MustCompile(`^[A-Za-z0-9_$.-]{1,64}$`)
	bodyKeyRe          = regexp.MustCompile(`^[\w-]{1,128}$`)
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkHeaders(c *checker, field string, headers map[string]string) {
	c.v.Check(len(headers) <= MaxCustomHeaders, field, len(headers), fmt.Sprintf("must hold at most %d headers", MaxCustomHeaders))
	for _, name := range sortedKeys(headers) {
		f := fmt.Sprintf("%s[%s]", field, name)
		if c.literal(f, name) {
			c.v.Check(customHeaderNameRe.MatchString(name), f, name, "must be a header name of 1-64 letters, digits and _ $ . - (WAF prefixes it with \"x-amzn-waf-\")")
		}
		value := headers[name]
		if c.literal(f, value) {
			c.v.Check(len(value) >= 1 && len(value) <= 255 && printable(value), f, value, "must be a header value of 1-255 characters without control characters")
		}
	}
}

// checkRule checks custom rule r at field; bodies are the custom response
// body keys the web ACL defines.
func checkRule(c *checker, field string, r Rule, bodies map[string]bool) {
	v := c.v
	if v.Check(r.Name != "", field+".Name", r.Name, "is required") {
		if rule := wafNameRule(r.Name); rule != "" && v.NeedLiteral(field+".Name", r.Name) { // names the rule and its metric
			v.Add(field+".Name", r.Name, rule)
		}
	}
	if r.Priority != nil {
		v.Range(field+".Priority", *r.Priority, 0, MaxPriority, "")
	}
	actionOK := v.Check(r.Action != "", field+".Action", r.Action, fmt.Sprintf("is required: one of %v", RuleActions)) &&
		v.OneOf(field+".Action", r.Action, RuleActions)
	checkStatement(c, field+".Statement", r.Statement, rulePosition())
	v.Check(len(r.Labels) <= MaxRuleLabels, field+".Labels", len(r.Labels), fmt.Sprintf("must hold at most %d labels", MaxRuleLabels))
	seen := map[string]bool{}
	for i, l := range r.Labels {
		f := fmt.Sprintf("%s.Labels[%d]", field, i)
		if !c.literal(f, l) {
			continue
		}
		if rule := labelNameRule(l); rule != "" {
			v.Add(f, l, rule)
			continue
		}
		v.Check(!seen[l], f, l, "is listed twice")
		seen[l] = true
	}
	if !actionOK {
		return
	}
	if r.CustomResponse != nil {
		f := field + ".CustomResponse"
		if v.Check(r.Action == ActionBlock, f, r.Action, "only applies to Action block (other actions let the request through or answer with a CAPTCHA or challenge)") {
			v.Range(f+".ResponseCode", r.CustomResponse.ResponseCode, 200, 599, "")
			if k := r.CustomResponse.BodyKey; k != "" && !bodies[k] {
				v.Suggest(f+".BodyKey", k, "must name a body of CustomResponseBodies", nearestKey(k, bodies))
			}
			checkHeaders(c, f+".Headers", r.CustomResponse.Headers)
		}
	}
	if len(r.InsertHeaders) > 0 {
		if v.Check(r.Action != ActionBlock, field+".InsertHeaders", len(r.InsertHeaders), "does not apply to Action block: blocked requests do not reach the origin (use CustomResponse.Headers)") {
			checkHeaders(c, field+".InsertHeaders", r.InsertHeaders)
		}
	}
	if r.ImmunityTimeSeconds != nil {
		if v.Check(r.Action == ActionCaptcha || r.Action == ActionChallenge, field+".ImmunityTimeSeconds", *r.ImmunityTimeSeconds, "only applies to Action captcha or challenge") {
			v.Range(field+".ImmunityTimeSeconds", *r.ImmunityTimeSeconds, MinImmunityTimeSeconds, MaxImmunityTimeSeconds, "seconds")
		}
	}
}

func nearestKey(k string, keys map[string]bool) string {
	names := sortedKeys(keys)
	for _, n := range names {
		if n == k {
			return ""
		}
	}
	return nearest(k, names)
}

func checkBodies(c *checker, bodies map[string]CustomResponseBody, reserved []string) {
	v := c.v
	v.Check(len(bodies)+len(reserved) <= MaxCustomResponseBodies, "CustomResponseBodies", len(bodies),
		fmt.Sprintf("must hold at most %d bodies (the AWS WAF limit per web ACL, the rate limit's included)", MaxCustomResponseBodies))
	for _, k := range sortedKeys(bodies) {
		f := fmt.Sprintf("CustomResponseBodies[%s]", k)
		if !c.literal(f, k) || !v.Check(bodyKeyRe.MatchString(k), f, k, "must be a key of 1-128 letters, digits, '_' and '-'") {
			continue
		}
		if !v.Check(!slices.Contains(reserved, k), f, k, "is the key of the rate limit's body: choose another key") {
			continue
		}
		b := bodies[k]
		if v.Check(b.ContentType != "", f+".ContentType", b.ContentType, "is required: TEXT_PLAIN, TEXT_HTML or APPLICATION_JSON") {
			v.OneOf(f+".ContentType", b.ContentType, []string{ContentTypeTextPlain, ContentTypeTextHTML, ContentTypeApplicationJSON})
		}
		if c.literal(f+".Content", b.Content) &&
			v.Check(len(b.Content) >= 1 && len(b.Content) <= MaxCustomResponseBodyBytes, f+".Content", len(b.Content), fmt.Sprintf("must be 1-%d bytes", MaxCustomResponseBodyBytes)) &&
			b.ContentType == ContentTypeApplicationJSON {
			v.Check(json.Valid([]byte(b.Content)), f+".Content", b.Content, "must be valid JSON for content type APPLICATION_JSON")
		}
	}
}

// ruleAction renders the action of custom rule r (headers in name order).
func ruleAction(r Rule) *wafv2webacl.Wafv2WebAclRuleAction {
	h := r.InsertHeaders
	switch r.Action {
	case ActionAllow:
		a := &wafv2webacl.Wafv2WebAclRuleActionAllow{}
		if len(h) > 0 {
			a.CustomRequestHandling = requestHandling(h)
		}
		return &wafv2webacl.Wafv2WebAclRuleAction{Allow: a}
	case ActionCount:
		a := &wafv2webacl.Wafv2WebAclRuleActionCount{}
		if len(h) > 0 {
			a.CustomRequestHandling = &wafv2webacl.Wafv2WebAclRuleActionCountCustomRequestHandling{InsertHeader: countHeaders(h)}
		}
		return &wafv2webacl.Wafv2WebAclRuleAction{Count: a}
	case ActionCaptcha:
		a := &wafv2webacl.Wafv2WebAclRuleActionCaptcha{}
		if len(h) > 0 {
			a.CustomRequestHandling = &wafv2webacl.Wafv2WebAclRuleActionCaptchaCustomRequestHandling{InsertHeader: captchaHeaders(h)}
		}
		return &wafv2webacl.Wafv2WebAclRuleAction{Captcha: a}
	case ActionChallenge:
		a := &wafv2webacl.Wafv2WebAclRuleActionChallenge{}
		if len(h) > 0 {
			a.CustomRequestHandling = &wafv2webacl.Wafv2WebAclRuleActionChallengeCustomRequestHandling{InsertHeader: challengeHeaders(h)}
		}
		return &wafv2webacl.Wafv2WebAclRuleAction{Challenge: a}
	}
	b := &wafv2webacl.Wafv2WebAclRuleActionBlock{}
	if cr := r.CustomResponse; cr != nil {
		resp := &wafv2webacl.Wafv2WebAclRuleActionBlockCustomResponse{ResponseCode: jsii.Number(float64(cr.ResponseCode))}
		if cr.BodyKey != "" {
			resp.CustomResponseBodyKey = jsii.String(cr.BodyKey)
		}
		if len(cr.Headers) > 0 {
			var hs []*wafv2webacl.Wafv2WebAclRuleActionBlockCustomResponseResponseHeader
			for _, n := range sortedKeys(cr.Headers) {
				hs = append(hs, &wafv2webacl.Wafv2WebAclRuleActionBlockCustomResponseResponseHeader{Name: jsii.String(escape(n)), Value: jsii.String(escape(cr.Headers[n]))})
			}
			resp.ResponseHeader = &hs
		}
		b.CustomResponse = resp
	}
	return &wafv2webacl.Wafv2WebAclRuleAction{Block: b}
}

func requestHandling(h map[string]string) *wafv2webacl.Wafv2WebAclRuleActionAllowCustomRequestHandling {
	var hs []*wafv2webacl.Wafv2WebAclRuleActionAllowCustomRequestHandlingInsertHeader
	for _, n := range sortedKeys(h) {
		hs = append(hs, &wafv2webacl.Wafv2WebAclRuleActionAllowCustomRequestHandlingInsertHeader{Name: jsii.String(escape(n)), Value: jsii.String(escape(h[n]))})
	}
	return &wafv2webacl.Wafv2WebAclRuleActionAllowCustomRequestHandling{InsertHeader: &hs}
}

func countHeaders(h map[string]string) *[]*wafv2webacl.Wafv2WebAclRuleActionCountCustomRequestHandlingInsertHeader {
	var hs []*wafv2webacl.Wafv2WebAclRuleActionCountCustomRequestHandlingInsertHeader
	for _, n := range sortedKeys(h) {
		hs = append(hs, &wafv2webacl.Wafv2WebAclRuleActionCountCustomRequestHandlingInsertHeader{Name: jsii.String(escape(n)), Value: jsii.String(escape(h[n]))})
	}
	return &hs
}

func captchaHeaders(h map[string]string) *[]*wafv2webacl.Wafv2WebAclRuleActionCaptchaCustomRequestHandlingInsertHeader {
	var hs []*wafv2webacl.Wafv2WebAclRuleActionCaptchaCustomRequestHandlingInsertHeader
	for _, n := range sortedKeys(h) {
		hs = append(hs, &wafv2webacl.Wafv2WebAclRuleActionCaptchaCustomRequestHandlingInsertHeader{Name: jsii.String(escape(n)), Value: jsii.String(escape(h[n]))})
	}
	return &hs
}

func challengeHeaders(h map[string]string) *[]*wafv2webacl.Wafv2WebAclRuleActionChallengeCustomRequestHandlingInsertHeader {
	var hs []*wafv2webacl.Wafv2WebAclRuleActionChallengeCustomRequestHandlingInsertHeader
	for _, n := range sortedKeys(h) {
		hs = append(hs, &wafv2webacl.Wafv2WebAclRuleActionChallengeCustomRequestHandlingInsertHeader{Name: jsii.String(escape(n)), Value: jsii.String(escape(h[n]))})
	}
	return &hs
}
