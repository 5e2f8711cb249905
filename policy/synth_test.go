package policy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
	"github.com/hardened-iac/cdktf-aws/policy"
)

func init() {
	fastsynth.Enable()
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	}
}

func newApp(t testing.TB, dir string) (cdktf.App, cdktf.TerraformStack) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")})
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform.tfstate")})
	return app, stack
}

// TestSuppressAndSynthAndCheck synthesizes one small app: a construct-level
// suppression declared before the resources it covers exist, a resource
// suppression, and one unsuppressed finding that must fail the run with
// one clear line.
func TestSuppressAndSynthAndCheck(t *testing.T) {
	dir := t.TempDir()
	app, stack := newApp(t, dir)

	team := constructs.NewConstruct(stack, jsii.String("team.web")) // a "." in an id must survive
	require.NoError(t, policy.Suppress(team, "HC-SNS-001", "The team's topics only carry public build notifications."))
	snstopic.NewSnsTopic(team, jsii.String("alerts"), &snstopic.SnsTopicConfig{Name: jsii.String("alerts")})
	nested := constructs.NewConstruct(team, jsii.String("nested"))
	snstopic.NewSnsTopic(nested, jsii.String("deep"), &snstopic.SnsTopicConfig{Name: jsii.String("deep")})

	loose := snstopic.NewSnsTopic(stack, jsii.String("loose"), &snstopic.SnsTopicConfig{Name: jsii.String("loose")})
	require.NoError(t, policy.Suppress(loose, "HC-SNS-001", "A public feed of release announcements."))
	snstopic.NewSnsTopic(stack, jsii.String("bad"), &snstopic.SnsTopicConfig{Name: jsii.String("bad")})

	// Bad calls return errors and record nothing.
	assert.ErrorContains(t, policy.Suppress(nil, "HC-SNS-001", "a long enough reason"), "scope is nil")
	err := policy.Suppress(team, "HC-NOPE-001", "a long enough reason")
	assert.ErrorContains(t, err, `unknown rule ID "HC-NOPE-001"`)
	assert.ErrorContains(t, err, "HC-SNS-001", "the error lists the rules")
	assert.ErrorContains(t, policy.Suppress(team, "HC-SNS-001", "  too short "), "shorter than 10 characters")
	assert.ErrorContains(t, policy.Suppress(app, "HC-SNS-001", "the app is not in a stack"), "policy.Suppress(HC-SNS-001)")

	var out bytes.Buffer
	err = policy.SynthAndCheck(app, &policy.Options{Output: &out})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 unsuppressed finding at or above HIGH")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	for _, want := range []string{"HIGH", "HC-SNS-001", "s/bad", "aws_sns_topic.bad", "Fix: "} {
		assert.Contains(t, lines[0], want)
	}
	assert.Contains(t, lines[1], "3 suppressed")

	// The suppressions are in the synthesized JSON, where any later run sees them.
	raw, err := os.ReadFile(filepath.Join(dir, "stacks", "s", "cdk.tf.json"))
	require.NoError(t, err)
	var doc struct {
		Meta struct {
			Suppressions map[string]map[string]string `json:"policy_suppressions"`
		} `json:"//"`
		Resource struct {
			Topics map[string]struct {
				Meta struct {
					Suppressions map[string]string `json:"policy_suppressions"`
				} `json:"//"`
			} `json:"aws_sns_topic"`
		} `json:"resource"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Equal(t, map[string]map[string]string{"s/team%2Eweb": {"HC-SNS-001": "The team's topics only carry public build notifications."}}, doc.Meta.Suppressions)
	var resourceLevel []string
	for _, tp := range doc.Resource.Topics {
		for id, reason := range tp.Meta.Suppressions {
			resourceLevel = append(resourceLevel, id+": "+reason)
		}
	}
	assert.Equal(t, []string{"HC-SNS-001: A public feed of release announcements."}, resourceLevel)

	rep, err := policy.CheckPath(dir)
	require.NoError(t, err)
	var suppressedAt []string
	for _, f := range rep.Suppressed() {
		suppressedAt = append(suppressedAt, f.Path+" <- "+f.SuppressedAt)
	}
	assert.ElementsMatch(t, []string{
		"s/team.web/alerts <- s/team.web",
		"s/team.web/nested/deep <- s/team.web",
		"s/loose <- aws_sns_topic.loose",
	}, suppressedAt)
}
