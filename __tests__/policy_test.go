package tests

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/sebdah/goldie/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// knownBelowHigh are the findings below HIGH that the reference app has
// today, keyed by "<rule> <construct path without the stack>", each with
// why it is not suppressed. A new one fails the test: fix it, suppress it
// with a reason in the construct, or add it here with the reason.
var knownBelowHigh = map[string]string{}

// TestPolicyReferenceApp checks the reference app (the JSON main.go
// writes) with the rule pack: no unsuppressed finding at or above HIGH, no
// wrong suppression, and exactly the deliberate exceptions suppressed, each
// with its reason.
func TestPolicyReferenceApp(t *testing.T) {
	app := referenceApp(t)
	var files []policy.StackFile
	for _, s := range app.All() {
		files = append(files, policy.StackFile{Name: s.Name, JSON: s.Raw})
	}
	rep, err := policy.Check(files...)
	require.NoError(t, err)
	assert.ElementsMatch(t, app.StackNames(), rep.Stacks)
	for _, f := range rep.Failing(policy.High) {
		t.Errorf("unsuppressed: %s", f)
	}
	for _, p := range rep.Problems {
		t.Errorf("wrong suppression: %s", p)
	}
	var suppressed []string
	for _, f := range rep.Suppressed() {
		suppressed = append(suppressed, f.Rule.ID+" "+f.Path)
		assert.GreaterOrEqual(t, len(f.Reason), policy.MinReasonLength, f.String())
		t.Logf("suppressed: %s %s %s: %s", f.Rule.ID, f.Path, f.Address, f.Reason)
	}
	var want []string
	want = append(want, "HC-S3-002 "+stacks.BootstrapStackName+"/state/log_bucket")
	c := platform(t)
	for _, env := range c.Environments {
		name := c.StackName(env.Name)
		want = append(want, "HC-LB-001 "+name+"/service/alb", "HC-S3-002 "+name+"/service/access_logs",
			"HC-IAM-003 "+name+"/monitoring/trail_logs_role")
	}
	assert.ElementsMatch(t, want, suppressed, "the deliberate exceptions: the public ALB, the SSE-S3 log buckets and CloudTrail's log delivery role (CloudTrail sends no aws:SourceArn for it)")
	for _, f := range rep.Findings {
		if f.Suppressed || f.Rule.Severity >= policy.High {
			continue
		}
		_, rel, _ := strings.Cut(f.Path, "/")
		if why, ok := knownBelowHigh[f.Rule.ID+" "+rel]; ok {
			t.Logf("below HIGH, known (%s): %s", why, f)
		} else {
			t.Errorf("new finding below HIGH: %s\n    fix it, suppress it in the construct with a reason, or list it in knownBelowHigh", f)
		}
	}
}

// TestPolicySSHFromAnywhereFailsSynth does what `go run .` does
// (policy.SynthAndCheck) for a reference web-app stack to which a user has
// added an SSH rule from anywhere, and expects one clear failing line.
func TestPolicySSHFromAnywhereFailsSynth(t *testing.T) {
	c := platform(t)
	env := c.Environments[0].Name
	name := c.StackName(env)
	wc, ok := c.WebAppStackConfig(env)
	require.True(t, ok)
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir()), StackTraces: jsii.Bool(false)})
	ws, err := stacks.NewWebAppStack(app, name, wc)
	require.NoError(t, err)
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(ws.Stack, jsii.String("bastion_ssh"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: ws.Service.TaskSecurityGroup.Id(), Description: jsii.String("debug access"),
		IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(22), ToPort: jsii.Number(22), CidrIpv4: jsii.String("0.0.0.0/0"),
	})
	var out bytes.Buffer
	err = policy.SynthAndCheck(app, &policy.Options{Output: &out})
	require.Error(t, err, "the run must fail")
	t.Log(out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, "one line for the finding, one summary")
	for _, want := range []string{
		"CRITICAL", "HC-SG-001", "SSH or RDP open to the internet",
		name + "/bastion_ssh", "(aws_vpc_security_group_ingress_rule.bastion_ssh)",
		"tcp 22 from 0.0.0.0/0 reaches SSH (22)", "Fix: allow 22/3389 only from a known CIDR",
	} {
		assert.Contains(t, lines[0], want)
	}
	assert.Contains(t, err.Error(), "1 unsuppressed finding at or above HIGH")
}

// insecureFixtureDir holds the mixed fixture as the command's tests read it.
const insecureFixtureDir = "../cmd/policycheck/testdata/insecure"

// TestPolicyMixedFixture checks the hand-written fixture: every rule of the
// pack reports exactly its insecure resources and none of their secure
// twins. The fixture is also the policycheck command's test input: its
// synthesized JSON must equal ../cmd/policycheck/testdata/insecure/cdk.tf.json
// (refresh with go test ./__tests__ -run TestPolicyMixedFixture -update).
func TestPolicyMixedFixture(t *testing.T) {
	s := mixedFixture(t)
	goldie.New(t, goldie.WithFixtureDir(insecureFixtureDir), goldie.WithNameSuffix(".tf.json")).Assert(t, "cdk", stacktest.Golden(s))

	rep, err := policy.Check(policy.StackFile{Name: s.Name, Path: "cdk.tf.json", JSON: s.Raw})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	got := map[string][]string{}
	for _, f := range rep.Findings {
		got[f.Rule.ID] = append(got[f.Rule.ID], strings.TrimPrefix(f.Path, "test/"))
	}
	want := map[string][]string{
		"HC-S3-001": {"insecure_logs", "open_bucket"}, "HC-S3-002": {"insecure_logs", "open_bucket"},
		"HC-S3-003": {"insecure_logs"}, "HC-S3-004": {"insecure_logs", "open_bucket"}, "HC-S3-005": {"open_bucket_policy"},
		"HC-SG-001": {"rdp_from_anywhere", "ssh_from_anywhere"}, "HC-SG-002": {"debug"}, "HC-SG-003": {"app_https_from_anywhere"},
		"HC-VPC-001": {"public_subnet"}, "HC-VPC-002": {"unlogged_vpc"}, "HC-ECS-001": {"public_service"},
		"HC-LOG-001": {"plain_logs"}, "HC-LOG-002": {"plain_logs"},
		"HC-KMS-001": {"static_key"}, "HC-KMS-002": {"static_key"},
		"HC-IAM-001": {"admin_policy"}, "HC-IAM-002": {"writer_policy"}, "HC-IAM-003": {"task_role"},
		"HC-ECR-001": {"mutable_repo"}, "HC-ECR-002": {"mutable_repo"},
		"HC-ECS-002": {"root_task"}, "HC-ECS-003": {"root_task"}, "HC-ECS-004": {"root_task"}, "HC-ECS-005": {"root_task"},
		"HC-ECS-006": {"root_task"}, "HC-ECS-007": {"plain_cluster"},
		"HC-LB-001": {"public_alb"}, "HC-LB-002": {"http_forward"}, "HC-LB-003": {"https_outdated"},
		"HC-LB-004": {"public_alb"}, "HC-LB-005": {"unlogged_nlb"}, "HC-WAF-001": {"public_alb"},
		"HC-CT-001": {"weak_trail"}, "HC-CT-002": {"weak_trail"}, "HC-CT-003": {"weak_trail"},
		"HC-SNS-001": {"plain_topic"},
	}
	for id := range got {
		sort.Strings(got[id])
	}
	assert.Equal(t, want, got)
	for _, r := range policy.Rules() {
		assert.Contains(t, got, r.ID, "the fixture must trip every rule")
	}
}

// trivySubject maps a resource trivy blames to the resource our rule
// reports: an S3 companion (public access block, encryption, versioning,
// policy) to its bucket, anything else to itself.
func trivySubject(s stacktest.Stack, address string) string {
	typ, name, ok := strings.Cut(address, ".")
	if !ok || !strings.HasPrefix(typ, "aws_s3_bucket_") {
		return address
	}
	ref := s.Get("resource." + gjson.Escape(typ) + "." + gjson.Escape(name) + ".bucket").String()
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "${"), "}")
	if parts := strings.Split(ref, "."); len(parts) == 3 && parts[0] == "aws_s3_bucket" {
		return parts[0] + "." + parts[1]
	}
	return address
}

// trivyScope limits the comparison for rules whose trivy check is broader
// than the rule, to the resources where both speak about the same thing.
var trivyScope = map[string]func(address string) bool{
	// AWS-0090 wants every bucket versioned; HC-S3-003 wants state and log
	// buckets versioned. Compare on the fixture's log buckets.
	"HC-S3-003": func(a string) bool {
		return strings.HasPrefix(a, "aws_s3_bucket.insecure_logs") || strings.HasPrefix(a, "aws_s3_bucket.secure_logs")
	},
	// AWS-0094 and friends are about buckets (trivy blames the public
	// access block for its flags; trivySubject maps it back).
	"HC-S3-001": func(a string) bool { return strings.HasPrefix(a, "aws_s3_bucket.") },
}

// TestPolicyAgreesWithTrivy scans the mixed fixture with trivy (through
// the kit's HCL conversion) and requires, for every rule that names a
// trivy equivalent, the same verdict on every resource the rule looks at:
// flagged by both, or by neither.
func TestPolicyAgreesWithTrivy(t *testing.T) {
	s := mixedFixture(t)
	findings := stacktest.Scan(t, []stacktest.Stack{s})
	rep, err := policy.Check(policy.StackFile{Name: s.Name, Path: "cdk.tf.json", JSON: s.Raw})
	require.NoError(t, err)

	compared := 0
	for _, r := range policy.Rules() {
		if len(r.Trivy) == 0 {
			continue
		}
		ids := map[string]bool{}
		for _, id := range r.Trivy {
			ids[id] = true
		}
		ours, theirs := map[string]bool{}, map[string]bool{}
		for _, f := range rep.Findings {
			if f.Rule.ID == r.ID {
				ours[f.Address] = true
			}
		}
		for _, f := range findings {
			if ids[f.ID] && f.Address != "" {
				theirs[trivySubject(s, f.Address)] = true
			}
		}
		inScope := trivyScope[r.ID]
		for _, typ := range r.ResourceTypes {
			for logical := range s.Resources(typ) {
				addr := typ + "." + logical
				if inScope != nil && !inScope(addr) {
					continue
				}
				compared++
				if ours[addr] != theirs[addr] {
					t.Errorf("%s (trivy %v) disagree on %s: ours %v, trivy %v", r.ID, r.Trivy, addr, ours[addr], theirs[addr])
				}
			}
		}
	}
	t.Logf("compared %d verdicts", compared)
	assert.Greater(t, compared, 40)
	if t.Failed() {
		for _, f := range findings {
			t.Logf("trivy: %s", f)
		}
	}
}
