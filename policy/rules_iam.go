package policy

import (
	"fmt"
	"regexp"
	"strings"
)

func checkLogGroupKMS(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, lg := range s.byType["aws_cloudwatch_log_group"] {
		if k, st := s.str(lg.attrs["kms_key_id"]); st == absent || (st == known && k == "") {
			hits = append(hits, hit{lg, "no kms_key_id: CloudWatch Logs encrypts with a service key you do not control"})
		}
	}
	return hits
}

func checkLogGroupRetention(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, lg := range s.byType["aws_cloudwatch_log_group"] {
		switch v, st := s.number(lg.attrs["retention_in_days"]); {
		case st == absent:
			hits = append(hits, hit{lg, "no retention_in_days: events never expire"})
		case st == known && v == 0:
			hits = append(hits, hit{lg, "retention_in_days = 0: events never expire"})
		}
	}
	return hits
}

func checkKMSRotation(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, k := range s.byType["aws_kms_key"] {
		// Only symmetric encryption keys rotate automatically.
		if spec, st := s.str(k.attrs["customer_master_key_spec"]); st == known && spec != "SYMMETRIC_DEFAULT" {
			continue
		}
		if usage, st := s.str(k.attrs["key_usage"]); st == known && usage != "ENCRYPT_DECRYPT" {
			continue
		}
		switch v, st := s.boolean(k.attrs["enable_key_rotation"]); {
		case st == absent:
			hits = append(hits, hit{k, "enable_key_rotation not set (default false)"})
		case st == unknown:
			hits = append(hits, hit{k, "enable_key_rotation is not known at synth"})
		case !v:
			hits = append(hits, hit{k, "enable_key_rotation = false"})
		}
	}
	return hits
}

func checkKMSPolicyPrincipal(c *checkContext, s *stack) []hit {
	var hits []hit
	check := func(owner *resource, v any) {
		d, ok := s.policyDoc(v)
		if !ok {
			return
		}
		for i, st := range d.Statements {
			if st.Effect != "Allow" {
				continue
			}
			switch {
			case !st.HasPrincipal:
				hits = append(hits, hit{owner, fmt.Sprintf("statement %s has no Principal", sid(st, i))})
			case len(st.Principal) == 0:
				hits = append(hits, hit{owner, fmt.Sprintf("statement %s has an empty Principal", sid(st, i))})
			case anyone(st.Principal) && !restricted(st):
				hits = append(hits, hit{owner, fmt.Sprintf("statement %s allows any principal (\"*\") without a restricting condition", sid(st, i))})
			}
		}
	}
	for _, k := range s.byType["aws_kms_key"] {
		if v, has := k.attrs["policy"]; has {
			check(k, v)
		}
	}
	for _, p := range s.byType["aws_kms_key_policy"] {
		check(p, p.attrs["policy"])
	}
	return hits
}

// identityPolicy is one identity-based policy document and where it sits.
type identityPolicy struct {
	owner *resource
	where string
	doc   document
}

func (s *stack) identityPolicies() []identityPolicy {
	var out []identityPolicy
	for _, typ := range []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"} {
		for _, p := range s.byType[typ] {
			if d, ok := s.policyDoc(p.attrs["policy"]); ok {
				out = append(out, identityPolicy{p, "policy", d})
			}
		}
	}
	for _, r := range s.byType["aws_iam_role"] {
		for i, ip := range blocks(r.attrs["inline_policy"]) {
			if d, ok := s.policyDoc(ip["policy"]); ok {
				out = append(out, identityPolicy{r, fmt.Sprintf("inline_policy #%d", i+1), d})
			}
		}
	}
	return out
}

var adminPolicyARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$`)

func isStarAction(a string) bool { return a == "*" || a == "*:*" }

func checkIAMStarAction(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, p := range s.identityPolicies() {
		for i, st := range p.doc.Statements {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Action {
				if isStarAction(a) {
					hits = append(hits, hit{p.owner, fmt.Sprintf("%s statement %s allows Action %q", p.where, sid(st, i), a)})
					break
				}
			}
			if len(st.NotAction) > 0 {
				hits = append(hits, hit{p.owner, fmt.Sprintf("%s statement %s allows every action except %s (NotAction)", p.where, sid(st, i), strings.Join(st.NotAction, ", "))})
			}
		}
	}
	admin := func(owner *resource, v any) {
		arns, _ := s.strings(v)
		for _, a := range arns {
			if adminPolicyARN.MatchString(a) {
				hits = append(hits, hit{owner, "attaches the AWS managed AdministratorAccess policy (Action \"*\" on \"*\")"})
			}
		}
	}
	for _, typ := range []string{"aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"} {
		for _, a := range s.byType[typ] {
			admin(a, a.attrs["policy_arn"])
		}
	}
	for _, r := range s.byType["aws_iam_role"] {
		admin(r, r.attrs["managed_policy_arns"])
	}
	return hits
}

// readPrefixes start the names of actions that read, never write.
var readPrefixes = []string{"Get", "List", "Describe", "Head", "View", "Search", "Lookup", "BatchGet", "Query", "Scan", "Select", "Filter"}

// starOnlyWrites are write actions that support no resource-level
// permissions: Resource "*" is the only choice for them.
// See the Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).
var starOnlyWrites = map[string]bool{
	"cloudwatch:putmetricdata":         true,
	"xray:puttracesegments":            true,
	"xray:puttelemetryrecords":         true,
	"ssmmessages:createcontrolchannel": true,
	"ssmmessages:createdatachannel":    true,
	"ssmmessages:opencontrolchannel":   true,
	"ssmmessages:opendatachannel":      true,
	"kms:createkey":                    true,
}

// isWrite reports whether an action (possibly with wildcards) can write.
func isWrite(action string) bool {
	if isStarAction(action) {
		return true
	}
	_, verb, ok := strings.Cut(action, ":")
	if !ok {
		return true
	}
	if starOnlyWrites[strings.ToLower(action)] {
		return false
	}
	for _, p := range readPrefixes {
		if strings.HasPrefix(verb, p) {
			return false
		}
	}
	return true
}

func checkIAMStarResource(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, p := range s.identityPolicies() {
		for i, st := range p.doc.Statements {
			if st.Effect != "Allow" || len(st.NotAction) > 0 {
				continue // NotAction is HC-IAM-001's
			}
			starAction := false
			for _, a := range st.Action {
				starAction = starAction || isStarAction(a)
			}
			if starAction {
				continue // reported by HC-IAM-001
			}
			star := len(st.NotResource) > 0
			for _, r := range st.Resource {
				star = star || r == "*"
			}
			if !star {
				continue
			}
			var writes []string
			for _, a := range st.Action {
				if isWrite(a) {
					writes = append(writes, a)
				}
			}
			if len(writes) > 0 {
				hits = append(hits, hit{p.owner, fmt.Sprintf("%s statement %s allows %s on Resource \"*\"", p.where, sid(st, i), strings.Join(writes, ", "))})
			}
		}
	}
	return hits
}

func checkIAMTrustSourceAccount(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, r := range s.byType["aws_iam_role"] {
		d, ok := s.policyDoc(r.attrs["assume_role_policy"])
		if !ok {
			continue
		}
		for i, st := range d.Statements {
			services := st.Principal["Service"]
			if st.Effect != "Allow" || len(services) == 0 {
				continue
			}
			if st.conditionKeys()["aws:sourceaccount"] {
				continue
			}
			hits = append(hits, hit{r, fmt.Sprintf("statement %s lets %s assume the role without an aws:SourceAccount condition", sid(st, i), strings.Join(services, ", "))})
		}
	}
	return hits
}
