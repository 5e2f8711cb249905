package tests

import (
	"testing"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// acceptedFindings are the trivy findings of the reference app that are true
// and intended, each for one construct and with the reason. A fixable
// problem is fixed, not accepted here; an acceptance that no longer matches
// anything fails the scan.
//
// The state backend's access-log bucket (bootstrap, state/log_bucket*) also
// uses SSE-S3 but needs no acceptance: trivy's AWS-0132 already exempts a
// bucket whose policy allows logging.s3.amazonaws.com to s3:PutObject. It
// does not recognize Elastic Load Balancing as a log writer, hence the
// first acceptance.
var acceptedFindings = []stacktest.Accept{
	{
		ID: "AWS-0132", Path: "service/access_logs_encryption",
		Reason: "ALB access-log bucket (ecsservice access_logs). Elastic Load Balancing can only deliver access logs to a bucket " +
			"encrypted with SSE-S3 (\"The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)\", " +
			"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), so a customer managed " +
			"key would stop log delivery. Compensating controls: all four public access blocks, BucketOwnerEnforced, TLS-only bucket " +
			"policy, writes limited to the ELB log delivery principal, lifecycle expiry.",
	},
	{
		ID: "AWS-0053", Path: "service/alb",
		Reason: "The web app's public entry point: the ALB is internet-facing by design (ecsservice documents it as \"the one " +
			"intended exposure\"). It accepts only TCP 443 (TLS 1.2+ policy) and 80 (301 redirect to HTTPS) from IngressCidrBlocks, " +
			"is protected by the WAF web ACL, drops invalid header fields, and forwards only to the service's target group; tasks " +
			"run in private subnets without public IPs. Set Internal or narrow IngressCidrBlocks to remove the exposure.",
	},
}

// TestTrivyScan scans every stack of the reference app with trivy (the
// stacks converted to HCL by stacktest, because trivy misreads nested
// blocks in *.tf.json) and fails on any HIGH or CRITICAL finding that
// acceptedFindings does not accept. Run it alone with
//
//	go test ./__tests__ -run TestTrivyScan -v
func TestTrivyScan(t *testing.T) {
	app := referenceApp(t)
	findings := stacktest.Scan(t, app.All(), acceptedFindings...)
	t.Logf("trivy scanned stacks %v: %d findings not accepted", app.StackNames(), len(findings))
	stacktest.RequireNoFindings(t, findings, stacktest.High)
}
