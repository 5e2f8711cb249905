// Package policy checks synthesized CDK for Terraform stacks against a rule
// pack derived from the seed's Security Best Practices Checklist, with
// suppressions that carry a reason, and reports as text, JSON or SARIF 2.1.0.
//
// It reads the synthesized Terraform JSON (one cdk.tf.json, or a whole
// cdktf.out), not the construct tree, so it sees every resource of a stack:
// the constructs of this module, resources written by hand with the
// provider bindings, and the effect of escape-hatch overrides. It works on
// the output of any cdktf app, Go or TypeScript.
//
// # Use
//
// In a Go cdktf program, replace app.Synth() with SynthAndCheck: it
// synthesizes, checks, prints one line per unsuppressed finding at or above
// the threshold (default High) and returns an error on any:
//
//	if err := policy.SynthAndCheck(app, nil); err != nil {
//		fmt.Fprintln(os.Stderr, err)
//		os.Exit(1)
//	}
//
// For any other app, or in CI, run the command after `cdktf synth`:
//
//	go run github.com/hardened-iac/cdktf-aws/cmd/policycheck -format sarif -output policy.sarif cdktf.out
//
// CheckPath, Check and Load do the same from Go; Rules and LookupRule
// describe the pack.
//
// # Rules
//
// Rules returns the pack. Each rule has an ID (HC-<family>-<n>), a
// severity, a title, the checklist line it enforces, a fix, and the
// equivalent trivy, checkov and cdk-nag IDs where one exists. A rule
// reports resources, never names: relations are resolved the way
// Terraform resolves them, from the references inside string values. A
// public access block belongs to the bucket its bucket attribute refers to
// ("${aws_s3_bucket.logs.id}", .bucket or .arn), or names by the same
// literal; a flow log to the VPC its vpc_id refers to; a listener to the
// load balancer of its load_balancer_arn; a web ACL association to the ALB
// of its resource_arn; a policy to the data.aws_iam_policy_document it
// references. A bucket is a state bucket when an S3 backend of any checked
// stack names it, and a log bucket when a load balancer, trail, flow log,
// WAF logging configuration or S3 logging configuration delivers to it.
//
// # Values unknown at synth
//
// Strings are parsed as Terraform templates with HCL's own parser. A
// literal is known; var.NAME takes the variable's default (what Terraform
// uses when no value is passed), and a variable without a default is
// unknown; jsonencode, join, format, lower, upper and concat are evaluated
// over known arguments; resource attributes, data sources, module outputs
// and locals are unknown. Rules treat unknown values conservatively, in
// the direction that never hides a missing control and never invents an
// exposure:
//   - a safety setting (rotation, multi-region, log file validation,
//     read-only root filesystem, scan on push, immutable tags, dropped
//     invalid headers, the four public access block flags, an SSE
//     algorithm, a TLS policy) counts only when it is provably on: an
//     unknown value is reported as "not known at synth";
//   - a required reference (a KMS key, a retention, an attached policy)
//     counts when present, whatever it refers to: keys are almost always
//     references;
//   - a dangerous value (an open CIDR, a wildcard action, a public IP
//     flag, privileged, a root user) is reported only when it is known;
//   - a relation the checker cannot resolve (a companion resource whose
//     bucket or vpc_id is an unknown variable or a module output) may point
//     at any resource, so the "missing companion" rules do not report.
//
// A policy document is read from a JSON string (its "${...}" references
// stay text), from "${jsonencode(...)}", or from a
// data.aws_iam_policy_document (including its source and override
// documents); an unknown document is not judged.
//
// # Suppressions
//
// Suppress records a deliberate exception with its reason (at least
// MinReasonLength characters) in the synthesized JSON, where every later
// check sees it. On a resource it lands in the resource's own metadata:
//
//	"//": {"metadata": {...}, "policy_suppressions": {"HC-LB-001": "reason"}}
//
// On any other construct it lands in the stack's metadata under the
// construct's path ("." and "%" percent-encoded, as cdktf splits override
// paths on "."), and covers every resource whose path is that path or lies
// under it:
//
//	"//": {"metadata": {...}, "policy_suppressions": {"app/service": {"HC-LB-001": "reason"}}}
//
// A TypeScript app writes the same with addOverride, e.g.
// resource.addOverride("//.policy_suppressions.HC-LB-001", "reason"). The
// checker reports as a Problem, which fails a run whatever the threshold,
// a suppression naming an unknown rule, one whose reason is too short, and
// one that matches no finding.
package policy
