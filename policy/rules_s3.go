package policy

import (
	"fmt"
	"strings"
)

// checkContext carries what rules need from outside one stack.
type checkContext struct {
	// stateBuckets are the literal bucket names of every checked stack's
	// S3 backend: a bucket with one of these names holds Terraform state.
	stateBuckets map[string]bool
}

// bucketCompanions returns the resources of typ whose "bucket" names b,
// and whether some resource of typ names a bucket the checker cannot
// resolve (it might be b).
func (s *stack) bucketCompanions(b *resource, typ string) (out []*resource, open bool) {
	return s.referrers(b, typ, "bucket"), s.openReferrers(typ, "bucket", "aws_s3_bucket")
}

func checkS3PublicAccessBlock(c *checkContext, s *stack) []hit {
	flags := []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}
	missing := func(attrs map[string]any) []string {
		var out []string
		for _, f := range flags {
			switch v, st := s.boolean(attrs[f]); {
			case st == absent:
				out = append(out, f+" not set (default false)")
			case st == unknown:
				out = append(out, f+" not known at synth")
			case !v:
				out = append(out, f+" = false")
			}
		}
		return out
	}
	for _, acct := range s.byType["aws_s3_account_public_access_block"] {
		if len(missing(acct.attrs)) == 0 {
			return nil // the account-level block covers every bucket
		}
	}
	var hits []hit
	for _, b := range s.byType["aws_s3_bucket"] {
		pabs, open := s.bucketCompanions(b, "aws_s3_bucket_public_access_block")
		if len(pabs) == 0 {
			if !open {
				hits = append(hits, hit{b, "no aws_s3_bucket_public_access_block refers to this bucket"})
			}
			continue
		}
		var best []string
		for i, p := range pabs {
			m := missing(p.attrs)
			if i == 0 || len(m) < len(best) {
				best = m
			}
		}
		if len(best) > 0 {
			hits = append(hits, hit{b, "public access block: " + strings.Join(best, ", ")})
		}
	}
	return hits
}

// sseRules returns the encryption rules of a bucket: from its
// aws_s3_bucket_server_side_encryption_configuration and from the legacy
// inline server_side_encryption_configuration block.
func (s *stack) sseRules(b *resource) (rules []map[string]any, found, open bool) {
	confs, open := s.bucketCompanions(b, "aws_s3_bucket_server_side_encryption_configuration")
	for _, conf := range confs {
		found = true
		rules = append(rules, blocks(conf.attrs["rule"])...)
	}
	for _, inline := range blocks(b.attrs["server_side_encryption_configuration"]) {
		found = true
		rules = append(rules, blocks(inline["rule"])...)
	}
	return rules, found, open
}

func checkS3Encryption(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, b := range s.byType["aws_s3_bucket"] {
		rules, found, open := s.sseRules(b)
		if !found {
			if !open {
				hits = append(hits, hit{b, "no server-side encryption configuration: S3 applies SSE-S3 (AES256), not a customer managed key"})
			}
			continue
		}
		msg := "no encryption rule"
		ok := false
		for _, r := range rules {
			for _, d := range blocks(r["apply_server_side_encryption_by_default"]) {
				alg, st := s.str(d["sse_algorithm"])
				switch {
				case st == unknown:
					msg = "sse_algorithm is not known at synth"
				case alg != "aws:kms" && alg != "aws:kms:dsse":
					msg = fmt.Sprintf("sse_algorithm = %q (SSE-S3), not a customer managed KMS key", alg)
				default:
					key, kst := s.str(d["kms_master_key_id"])
					switch {
					case kst == absent || (kst == known && key == ""):
						msg = "sse_algorithm aws:kms without kms_master_key_id uses the AWS managed key aws/s3"
					case kst == known && strings.HasSuffix(key, "alias/aws/s3"):
						msg = "kms_master_key_id is the AWS managed key alias/aws/s3"
					default:
						ok = true
					}
				}
			}
		}
		if !ok {
			hits = append(hits, hit{b, msg})
		}
	}
	return hits
}

// logBuckets returns the buckets that receive logs in this stack: ALB/ELB
// access and connection logs, CloudTrail, S3 server access logs, VPC flow
// logs and WAF logs delivered to S3.
func (s *stack) logBuckets() map[*resource]string {
	out := map[*resource]string{}
	mark := func(v any, why string) {
		ts, _ := s.targets(v, "aws_s3_bucket")
		for _, t := range ts {
			if _, seen := out[t]; !seen {
				out[t] = why
			}
		}
	}
	for _, typ := range []string{"aws_lb", "aws_alb", "aws_elb"} {
		for _, lb := range s.byType[typ] {
			for _, blk := range blocks(lb.attrs["access_logs"]) {
				mark(blk["bucket"], "receives access logs of "+lb.address())
			}
			for _, blk := range blocks(lb.attrs["connection_logs"]) {
				mark(blk["bucket"], "receives connection logs of "+lb.address())
			}
		}
	}
	for _, t := range s.byType["aws_cloudtrail"] {
		mark(t.attrs["s3_bucket_name"], "receives CloudTrail logs of "+t.address())
	}
	for _, l := range s.byType["aws_s3_bucket_logging"] {
		mark(l.attrs["target_bucket"], "receives S3 server access logs ("+l.address()+")")
	}
	for _, b := range s.byType["aws_s3_bucket"] {
		for _, blk := range blocks(b.attrs["logging"]) {
			mark(blk["target_bucket"], "receives S3 server access logs of "+b.address())
		}
	}
	for _, f := range s.byType["aws_flow_log"] {
		if typ, _ := s.literalString(f.attrs["log_destination_type"]); typ == "s3" {
			mark(f.attrs["log_destination"], "receives VPC flow logs ("+f.address()+")")
		}
	}
	for _, w := range s.byType["aws_wafv2_web_acl_logging_configuration"] {
		mark(w.attrs["log_destination_configs"], "receives WAF logs ("+w.address()+")")
	}
	return out
}

func checkS3Versioning(c *checkContext, s *stack) []hit {
	logs := s.logBuckets()
	var hits []hit
	for _, b := range s.byType["aws_s3_bucket"] {
		why, isLog := logs[b]
		if name, ok := s.literalString(b.attrs["bucket"]); ok && c.stateBuckets[name] {
			why, isLog = "holds Terraform state (an S3 backend names it)", true
		}
		if !isLog {
			continue
		}
		vs, open := s.bucketCompanions(b, "aws_s3_bucket_versioning")
		enabled := false
		status := "no aws_s3_bucket_versioning refers to it"
		for _, v := range vs {
			for _, vc := range blocks(v.attrs["versioning_configuration"]) {
				switch st, state := s.str(vc["status"]); {
				case state == known && st == "Enabled":
					enabled = true
				case state == unknown:
					status = "versioning status is not known at synth"
				default:
					status = fmt.Sprintf("versioning status %q", st)
				}
			}
		}
		for _, inline := range blocks(b.attrs["versioning"]) {
			if on, st := s.boolean(inline["enabled"]); st == known && on {
				enabled = true
			}
		}
		if !enabled && !(len(vs) == 0 && open) {
			hits = append(hits, hit{b, fmt.Sprintf("the bucket %s; %s", why, status)})
		}
	}
	return hits
}

// bucketPolicies returns the policy documents that apply to a bucket.
// ok is false when one of them is unknown at synth (or a policy's bucket
// cannot be resolved), so the bucket's effective policy is not known.
func (s *stack) bucketPolicies(b *resource) (docs []document, owners []*resource, ok bool) {
	ps, open := s.bucketCompanions(b, "aws_s3_bucket_policy")
	ok = !(open && len(ps) == 0)
	for _, p := range ps {
		d, known := s.policyDoc(p.attrs["policy"])
		if !known {
			ok = false
			continue
		}
		docs = append(docs, d)
		owners = append(owners, p)
	}
	if v, has := b.attrs["policy"]; has {
		d, known := s.policyDoc(v)
		if !known {
			ok = false
		} else {
			docs = append(docs, d)
			owners = append(owners, b)
		}
	}
	return docs, owners, ok
}

func checkS3TLSOnly(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, b := range s.byType["aws_s3_bucket"] {
		docs, _, ok := s.bucketPolicies(b)
		denied := false
		for _, d := range docs {
			for _, st := range d.Statements {
				if denyNonTLS(st) {
					denied = true
				}
			}
		}
		if denied || !ok {
			continue
		}
		msg := "no bucket policy"
		if len(docs) > 0 {
			msg = "no bucket policy statement denies requests with aws:SecureTransport false"
		}
		hits = append(hits, hit{b, msg})
	}
	return hits
}

// denyNonTLS reports whether st denies every principal all of S3 when
// aws:SecureTransport is false.
func denyNonTLS(st statement) bool {
	if st.Effect != "Deny" || !anyone(st.Principal) || len(st.Resource) == 0 {
		return false
	}
	all := false
	for _, a := range st.Action {
		if a == "*" || strings.EqualFold(a, "s3:*") {
			all = true
		}
	}
	if !all {
		return false
	}
	for op, keys := range st.Condition {
		if op != "Bool" && op != "BoolIfExists" {
			continue
		}
		for k, vals := range keys {
			if strings.EqualFold(k, "aws:SecureTransport") {
				for _, v := range vals {
					if strings.EqualFold(v, "false") {
						return true
					}
				}
			}
		}
	}
	return false
}

// restrictingKeys are condition keys that limit who can use an Allow
// statement whose principal is "*".
var restrictingKeys = []string{
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:principalorgid", "aws:principalorgpaths",
	"aws:principalaccount", "aws:principalarn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
	"aws:userid", "aws:username", "aws:sourceorgid", "aws:sourceorgpaths", "kms:calleraccount", "kms:viaservice",
	"s3:dataaccesspointaccount", "aws:principalservicename", "aws:calledvia",
}

func restricted(st statement) bool {
	keys := st.conditionKeys()
	for _, k := range restrictingKeys {
		if keys[k] {
			return true
		}
	}
	return false
}

func checkS3AnyPrincipal(c *checkContext, s *stack) []hit {
	var hits []hit
	check := func(owner *resource, v any) {
		d, ok := s.policyDoc(v)
		if !ok {
			return
		}
		for i, st := range d.Statements {
			if st.Effect == "Allow" && anyone(st.Principal) && !restricted(st) {
				hits = append(hits, hit{owner, fmt.Sprintf("statement %s allows %s to any principal without a restricting condition", sid(st, i), strings.Join(st.Action, ", "))})
			}
		}
	}
	for _, p := range s.byType["aws_s3_bucket_policy"] {
		check(p, p.attrs["policy"])
	}
	for _, b := range s.byType["aws_s3_bucket"] {
		if v, has := b.attrs["policy"]; has {
			check(b, v)
		}
	}
	return hits
}

// sid names a statement in messages: its Sid, or its position.
func sid(st statement, i int) string {
	if st.Sid != "" {
		return fmt.Sprintf("%q", st.Sid)
	}
	return fmt.Sprintf("#%d", i+1)
}
