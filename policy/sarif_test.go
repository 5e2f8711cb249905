package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sarifSchemaFile is the OASIS SARIF 2.1.0 JSON schema (errata01, the
// official version), copied from oasis-tcs/sarif-spec
// sarif-2.1/schema/sarif-schema-2.1.0.json at commit a560296c.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// ValidateSARIF validates a SARIF log against the OASIS schema, with
// format assertions on.
func ValidateSARIF(t testing.TB, log []byte) error {
	t.Helper()
	raw, err := os.ReadFile(sarifSchemaFile)
	require.NoError(t, err)
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	require.NoError(t, c.AddResource(url, schemaDoc))
	sch, err := c.Compile(url)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	require.NoError(t, err)
	return sch.Validate(inst)
}

func TestSARIFIsValidAndComplete(t *testing.T) {
	rep := check(t,
		res("aws_sns_topic", "open", at("fixture/alerts/open", openTopic)),
		res("aws_sns_topic", "accepted", `{"name": "b", "//": {"policy_suppressions": {"HC-SNS-001": "Only public release notes go through this topic."}}}`),
		res("aws_lb", "pub", `{"drop_invalid_header_fields": true}`),
	)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteSARIF(&buf))
	require.NoError(t, ValidateSARIF(t, buf.Bytes()), "SARIF must validate against the 2.1.0 schema:\n%s", buf.String())

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID         string `json:"id"`
						Help       struct{ Text string }
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Artifacts []struct {
				Location struct{ URI string } `json:"location"`
			} `json:"artifacts"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
						Kind               string `json:"kind"`
					} `json:"logicalLocations"`
				} `json:"locations"`
				Suppressions []struct {
					Kind          string `json:"kind"`
					Status        string `json:"status"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Equal(t, ToolName, run.Tool.Driver.Name)
	require.Len(t, run.Tool.Driver.Rules, len(Rules()), "every rule of the pack is described")
	for i, r := range Rules() {
		d := run.Tool.Driver.Rules[i]
		assert.Equal(t, r.ID, d.ID)
		assert.Contains(t, d.Help.Text, r.Fix)
		assert.Equal(t, r.Checklist, d.Properties["checklist"])
		assert.NotEmpty(t, d.Properties["security-severity"])
		if len(r.Trivy) > 0 {
			assert.Len(t, d.Properties["trivy"], len(r.Trivy), r.ID)
		}
	}
	require.Len(t, run.Artifacts, 1)
	assert.Equal(t, "fixture/cdk.tf.json", run.Artifacts[0].Location.URI)

	byAddr := map[string]int{}
	for i, res := range run.Results {
		loc := res.Locations[0]
		require.NotEmpty(t, loc.LogicalLocations)
		byAddr[loc.LogicalLocations[len(loc.LogicalLocations)-1].FullyQualifiedName+" "+res.RuleID] = i
		assert.Equal(t, "fixture/cdk.tf.json", loc.PhysicalLocation.ArtifactLocation.URI)
		assert.Greater(t, loc.PhysicalLocation.Region.StartLine, 0)
		assert.Equal(t, run.Tool.Driver.Rules[res.RuleIndex].ID, res.RuleID)
	}
	open := run.Results[byAddr["fixture/aws_sns_topic.open HC-SNS-001"]]
	assert.Equal(t, "error", open.Level)
	assert.Equal(t, "fixture/alerts/open", open.Locations[0].LogicalLocations[0].FullyQualifiedName, "the construct path is a logical location")
	assert.Equal(t, "resource", open.Locations[0].LogicalLocations[1].Kind)
	assert.Empty(t, open.Suppressions)
	assert.Contains(t, open.Message.Text, "aws_sns_topic.open")

	acc := run.Results[byAddr["fixture/aws_sns_topic.accepted HC-SNS-001"]]
	require.Len(t, acc.Suppressions, 1)
	assert.Equal(t, "inSource", acc.Suppressions[0].Kind)
	assert.Equal(t, "accepted", acc.Suppressions[0].Status)
	assert.Equal(t, "Only public release notes go through this topic.", acc.Suppressions[0].Justification)

	_, ok := byAddr["fixture/aws_lb.pub HC-LB-001"]
	assert.True(t, ok, "the load balancer finding is a result")
}

// TestSARIFSchemaRejectsBrokenLogs proves the schema check can fail.
func TestSARIFSchemaRejectsBrokenLogs(t *testing.T) {
	broken := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "suppressions": [{"kind": "inSource", "status": null}]}]}]}`
	assert.Error(t, ValidateSARIF(t, []byte(broken)))
	assert.Error(t, ValidateSARIF(t, []byte(`{"version": "2.0.0", "runs": []}`)))
	assert.NoError(t, ValidateSARIF(t, []byte(`{"version": "2.1.0", "runs": []}`)))
}
