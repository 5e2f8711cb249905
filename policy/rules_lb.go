package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// lbType returns a load balancer's type: "application" (the default),
// "network" or "gateway"; "" when unknown.
func (s *stack) lbType(lb *resource) string {
	switch t, st := s.str(lb.attrs["load_balancer_type"]); st {
	case absent:
		return "application"
	case known:
		return t
	}
	return ""
}

// internetFacing reports whether a load balancer is provably public:
// internal is false or not set (the default).
func (s *stack) internetFacing(lb *resource) bool {
	v, st := s.boolean(lb.attrs["internal"])
	return st == absent || (st == known && !v)
}

func (s *stack) loadBalancers() []*resource {
	var out []*resource
	for _, typ := range lbTypes {
		out = append(out, s.byType[typ]...)
	}
	return out
}

func checkLBPublic(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, lb := range s.loadBalancers() {
		if s.internetFacing(lb) {
			hits = append(hits, hit{lb, fmt.Sprintf("internal = false: the %s load balancer is reachable from the internet", s.lbType(lb))})
		}
	}
	return hits
}

// listenerLB returns the load balancer a listener belongs to, when it is
// in the stack.
func (s *stack) listenerLB(l *resource) *resource {
	ts, _ := s.targets(l.attrs["load_balancer_arn"], lbTypes...)
	if len(ts) == 1 {
		return ts[0]
	}
	return nil
}

// plainHTTPActions describes actions that serve content over HTTP instead
// of redirecting to HTTPS; "" when every action is such a redirect (or a
// fixed response, which forwards nothing).
func (s *stack) plainHTTPActions(actions any) string {
	for _, a := range blocks(actions) {
		typ, st := s.str(a["type"])
		if st != known {
			return "an action whose type is not known at synth"
		}
		switch typ {
		case "redirect":
			for _, r := range blocks(a["redirect"]) {
				p, pst := s.str(r["protocol"])
				if pst == absent || (pst == known && p != "HTTPS") {
					return "a redirect that keeps plain HTTP (protocol is not \"HTTPS\")"
				}
			}
		case "fixed-response":
		default:
			return fmt.Sprintf("a %q action", typ)
		}
	}
	return ""
}

func checkLBPlainHTTP(c *checkContext, s *stack) []hit {
	var hits []hit
	httpListeners := map[*resource]bool{}
	for _, typ := range []string{"aws_lb_listener", "aws_alb_listener"} {
		for _, l := range s.byType[typ] {
			lb := s.listenerLB(l)
			if lb != nil && s.lbType(lb) != "application" {
				continue
			}
			proto, st := s.str(l.attrs["protocol"])
			if st == absent && lb != nil {
				proto, st = "HTTP", known // an ALB listener without protocol is HTTP
			}
			if st != known || !strings.EqualFold(proto, "HTTP") {
				continue
			}
			httpListeners[l] = true
			if what := s.plainHTTPActions(l.attrs["default_action"]); what != "" {
				hits = append(hits, hit{l, "HTTP listener with " + what})
			}
		}
	}
	for _, typ := range []string{"aws_lb_listener_rule", "aws_alb_listener_rule"} {
		for _, r := range s.byType[typ] {
			ts, _ := s.targets(r.attrs["listener_arn"], "aws_lb_listener", "aws_alb_listener")
			for _, l := range ts {
				if httpListeners[l] {
					if what := s.plainHTTPActions(r.attrs["action"]); what != "" {
						hits = append(hits, hit{r, "rule of HTTP listener " + l.address() + " with " + what})
					}
				}
			}
		}
	}
	return hits
}

// modernTLSPolicy matches ELB security policies whose minimum is TLS 1.2
// (the TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families); the "Ext" variants add
// legacy ciphers and do not match.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
var modernTLSPolicy = regexp.MustCompile(`^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-`)

func checkLBTLSPolicy(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, typ := range []string{"aws_lb_listener", "aws_alb_listener"} {
		for _, l := range s.byType[typ] {
			proto, _ := s.str(l.attrs["protocol"])
			if proto != "HTTPS" && proto != "TLS" {
				continue
			}
			switch pol, st := s.str(l.attrs["ssl_policy"]); {
			case st == absent:
				hits = append(hits, hit{l, "no ssl_policy: AWS applies ELBSecurityPolicy-2016-08, which allows TLS 1.0"})
			case st == unknown:
				hits = append(hits, hit{l, "ssl_policy is not known at synth"})
			case !modernTLSPolicy.MatchString(pol) || strings.Contains(pol, "-Ext"):
				hits = append(hits, hit{l, fmt.Sprintf("ssl_policy %q allows TLS below 1.2 or legacy ciphers", pol)})
			}
		}
	}
	return hits
}

func checkLBDropInvalidHeaders(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, lb := range s.loadBalancers() {
		if s.lbType(lb) != "application" {
			continue
		}
		switch v, st := s.boolean(lb.attrs["drop_invalid_header_fields"]); {
		case st == absent:
			hits = append(hits, hit{lb, "drop_invalid_header_fields not set (default false)"})
		case st == unknown:
			hits = append(hits, hit{lb, "drop_invalid_header_fields is not known at synth"})
		case !v:
			hits = append(hits, hit{lb, "drop_invalid_header_fields = false"})
		}
	}
	return hits
}

func checkLBAccessLogs(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, lb := range s.loadBalancers() {
		if s.lbType(lb) == "gateway" {
			continue // gateway load balancers have no access logs
		}
		on, msg := false, "no access_logs block"
		for _, al := range blocks(lb.attrs["access_logs"]) {
			v, st := s.boolean(al["enabled"])
			_, bst := s.str(al["bucket"])
			switch {
			case bst == absent:
				msg = "access_logs without a bucket"
			case st == known && v:
				on = true
			case st == unknown:
				msg = "access_logs.enabled is not known at synth"
			default:
				msg = "access_logs.enabled is not true (it defaults to false even with a bucket)"
			}
		}
		if !on {
			hits = append(hits, hit{lb, msg})
		}
	}
	return hits
}

func checkLBWAF(c *checkContext, s *stack) []hit {
	assocs := map[*resource]bool{}
	open := false
	for _, typ := range []string{"aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association"} {
		for _, a := range s.byType[typ] {
			ts, o := s.targets(a.attrs["resource_arn"], lbTypes...)
			open = open || (o && len(ts) == 0)
			for _, t := range ts {
				assocs[t] = true
			}
		}
	}
	var hits []hit
	for _, lb := range s.loadBalancers() {
		if s.lbType(lb) != "application" || !s.internetFacing(lb) || assocs[lb] || open {
			continue
		}
		hits = append(hits, hit{lb, "no aws_wafv2_web_acl_association refers to this internet-facing ALB"})
	}
	return hits
}

func checkTrailMultiRegion(c *checkContext, s *stack) []hit {
	return s.requireTrue("aws_cloudtrail", "is_multi_region_trail", "the trail records API calls in its home region only")
}

func checkTrailValidation(c *checkContext, s *stack) []hit {
	return s.requireTrue("aws_cloudtrail", "enable_log_file_validation", "tampering with delivered log files cannot be detected")
}

// requireTrue reports every resource of typ whose attr is not provably true.
func (s *stack) requireTrue(typ, attr, why string) []hit {
	var hits []hit
	for _, r := range s.byType[typ] {
		switch v, st := s.boolean(r.attrs[attr]); {
		case st == absent:
			hits = append(hits, hit{r, fmt.Sprintf("%s not set (default false): %s", attr, why)})
		case st == unknown:
			hits = append(hits, hit{r, fmt.Sprintf("%s is not known at synth", attr)})
		case !v:
			hits = append(hits, hit{r, fmt.Sprintf("%s = false: %s", attr, why)})
		}
	}
	return hits
}

func checkTrailKMS(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, t := range s.byType["aws_cloudtrail"] {
		if k, st := s.str(t.attrs["kms_key_id"]); st == absent || (st == known && k == "") {
			hits = append(hits, hit{t, "no kms_key_id: log files are encrypted with SSE-S3 only"})
		}
	}
	return hits
}

func checkSNSKMS(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, t := range s.byType["aws_sns_topic"] {
		switch k, st := s.str(t.attrs["kms_master_key_id"]); {
		case st == absent || (st == known && k == ""):
			hits = append(hits, hit{t, "no kms_master_key_id: messages are stored unencrypted"})
		case st == known && strings.HasSuffix(k, "alias/aws/sns"):
			hits = append(hits, hit{t, "kms_master_key_id is the AWS managed key alias/aws/sns, which CloudWatch and EventBridge cannot use and you cannot scope"})
		}
	}
	return hits
}
