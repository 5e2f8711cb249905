package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/policy"
)

// insecureDir is a stack folder of hand-written insecure resources (and
// secure twins), one or more per rule; __tests__ TestPolicyMixedFixture
// synthesizes it from Go and keeps this copy in sync.
const insecureDir = "testdata/insecure"

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestInsecureStackFailsAndNamesEveryRule(t *testing.T) {
	code, out, stderr := runCmd(t, insecureDir)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "policy check failed")
	for _, r := range policy.Rules() {
		assert.Contains(t, out, " "+r.ID+" ", "the report names %s", r.ID)
	}
	for _, addr := range []string{
		"aws_s3_bucket.open_bucket", "aws_vpc_security_group_ingress_rule.ssh_from_anywhere", "aws_security_group_rule.rdp_from_anywhere",
		"aws_subnet.public_subnet", "aws_ecs_service.public_service", "aws_vpc.unlogged_vpc", "aws_cloudwatch_log_group.plain_logs",
		"aws_kms_key.static_key", "aws_iam_policy.admin_policy", "aws_iam_role.task_role", "aws_ecr_repository.mutable_repo",
		"aws_ecs_task_definition.root_task", "aws_lb_listener.http_forward", "aws_lb_listener.https_outdated", "aws_lb.public_alb",
		"aws_cloudtrail.weak_trail", "aws_sns_topic.plain_topic",
	} {
		assert.Contains(t, out, "("+addr+")")
	}
	// Each failing finding is one line: severity, rule, title, path, address, message, fix.
	first := strings.SplitN(out, "\n", 2)[0]
	assert.Regexp(t, `^CRITICAL HC-[A-Z0-9]+-\d{3} .+: test/\S+ \(aws_\S+\): .+\. Fix: .+$`, first)
}

func TestSeverityThreshold(t *testing.T) {
	code, out, _ := runCmd(t, "-severity", "critical", insecureDir)
	assert.Equal(t, 1, code, "CRITICAL findings remain")
	assert.NotContains(t, strings.SplitN(out, "below CRITICAL", 2)[0], "HIGH HC-", "HIGH findings are listed below the threshold")
	assert.Contains(t, out, "below CRITICAL (not failing):")
}

// referenceOut assembles a cdktf.out (manifest and stack folders) from the
// reference app's golden snapshots.
func referenceOut(t *testing.T) string {
	t.Helper()
	snaps, err := filepath.Glob("../../__tests__/testdata/*.tf.json")
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	dir := t.TempDir()
	stacks := map[string]any{}
	for _, s := range snaps {
		name := strings.TrimSuffix(filepath.Base(s), ".tf.json")
		raw, err := os.ReadFile(s)
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks", name), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", name, "cdk.tf.json"), raw, 0o644))
		stacks[name] = map[string]any{"name": name, "synthesizedStackPath": "stacks/" + name + "/cdk.tf.json"}
	}
	m, err := json.Marshal(map[string]any{"stacks": stacks, "version": "0.20.12"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "manifest.json"), m, 0o644))
	return dir
}

// TestReferenceAppPasses: the reference app's cdktf.out exits 0 and lists
// the deliberate exceptions as suppressed, each with its reason.
func TestReferenceAppPasses(t *testing.T) {
	dir := referenceOut(t)
	code, out, stderr := runCmd(t, dir)
	require.Equal(t, 0, code, out+stderr)
	_, suppressed, ok := strings.Cut(out, "suppressed:\n")
	require.True(t, ok, out)
	lines := 0
	for _, l := range strings.Split(suppressed, "\n") {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		lines++
		_, reason, ok := strings.Cut(l, ". Reason: ")
		assert.True(t, ok && len(reason) >= policy.MinReasonLength, "suppressed finding without its reason: %s", l)
	}
	assert.Equal(t, deliberateExceptions(t, dir), lines, "the public ALB of each web app, its SSE-S3 access-log bucket and CloudTrail logs role, and the state log bucket")
	for _, id := range []string{"HC-LB-001", "HC-S3-002", "HC-IAM-003"} {
		assert.Contains(t, out, " "+id+" ")
	}
	assert.Contains(t, out, ", 0 findings at or above HIGH,")
}

// deliberateExceptions is how many suppressed findings the reference app's
// cdktf.out in dir must report: the state log bucket's SSE-S3 (HC-S3-002)
// in the bootstrap stack, and in every web-app stack the internet-facing ALB
// (HC-LB-001), its SSE-S3 access-log bucket (HC-S3-002) and the CloudTrail
// logs role that cannot carry aws:SourceAccount (HC-IAM-003).
func deliberateExceptions(t *testing.T, dir string) int {
	t.Helper()
	stacks, err := filepath.Glob(filepath.Join(dir, "stacks", "*", "cdk.tf.json"))
	require.NoError(t, err)
	// Every stack but the bootstrap stack is a web app.
	return 1 + 3*(len(stacks)-1)
}

func validateSARIF(t *testing.T, log []byte) error {
	t.Helper()
	raw, err := os.ReadFile("../../policy/testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", doc))
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	require.NoError(t, err)
	return sch.Validate(inst)
}

func TestSARIFOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.sarif")
	code, out, stderr := runCmd(t, insecureDir, "-format", "sarif", "-output", path) // flags after DIR work too
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, out, "the report went to -output")
	assert.Contains(t, stderr, "policy: 1 stack,")
	log, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, validateSARIF(t, log), "the SARIF must validate against the OASIS 2.1.0 schema")

	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(log, &sarif))
	seen := map[string]bool{}
	for _, r := range sarif.Runs[0].Results {
		seen[r.RuleID] = true
		assert.Equal(t, insecureDir+"/cdk.tf.json", r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	for _, r := range policy.Rules() {
		assert.True(t, seen[r.ID], "SARIF has a result for %s", r.ID)
	}

	// The reference app's SARIF carries its suppressions.
	ref := referenceOut(t)
	code, out, _ = runCmd(t, "-format=sarif", ref)
	require.Equal(t, 0, code)
	require.NoError(t, validateSARIF(t, []byte(out)))
	assert.Equal(t, deliberateExceptions(t, ref), strings.Count(out, `"kind": "inSource"`))
}

func TestJSONOutput(t *testing.T) {
	code, out, _ := runCmd(t, "-format", "json", "-severity", "LOW", insecureDir)
	assert.Equal(t, 1, code)
	var rep struct {
		Stacks   []string `json:"stacks"`
		Findings []struct {
			RuleID, Severity, Address, ConstructPath, Fix string
			Suppressed                                    bool
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, []string{"test"}, rep.Stacks)
	require.NotEmpty(t, rep.Findings)
	for _, f := range rep.Findings {
		assert.NotEmpty(t, f.RuleID)
		assert.NotEmpty(t, f.Address)
		assert.True(t, strings.HasPrefix(f.ConstructPath, "test/"), f.ConstructPath)
		assert.NotEmpty(t, f.Fix)
	}
}

func TestCleanStackPasses(t *testing.T) {
	dir := t.TempDir()
	stack := `{"resource": {"aws_kms_key": {"k": {"//": {"metadata": {"path": "app/k"}}, "enable_key_rotation": true}}}}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cdk.tf.json"), []byte(stack), 0o644))
	code, out, _ := runCmd(t, dir)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "0 findings at or above HIGH")
}

func TestUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown format":   {"-format", "xml", insecureDir},
		"unknown severity": {"-severity", "SEVERE", insecureDir},
		"missing dir":      {filepath.Join(t.TempDir(), "nope")},
		"empty dir":        {t.TempDir()},
		"two dirs":         {insecureDir, insecureDir},
		"unknown flag":     {"-colour", insecureDir},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCmd(t, args...)
			assert.Equal(t, 2, code)
			assert.NotEmpty(t, stderr)
		})
	}
}
