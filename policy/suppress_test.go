package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// at gives a resource body an explicit construct path.
func at(path, body string) string {
	return `{"//": {"metadata": {"path": "` + path + `"}}, ` + strings.TrimPrefix(strings.TrimSpace(body), "{")
}

const openTopic = `{"name": "t"}`

func findingOf(t *testing.T, rep *Report, rule, address string) Finding {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Rule.ID == rule && f.Address == address {
			return f
		}
	}
	t.Fatalf("no %s finding on %s in %v", rule, address, rep.Findings)
	return Finding{}
}

func TestResourceSuppression(t *testing.T) {
	rep := check(t,
		res("aws_sns_topic", "alerts", `{"name": "a", "//": {"policy_suppressions": {"HC-SNS-001": "  Encrypted by the subscriber side; no message content is sensitive.  "}}}`),
		res("aws_sns_topic", "other", openTopic),
	)
	f := findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.alerts")
	assert.True(t, f.Suppressed)
	assert.Equal(t, "Encrypted by the subscriber side; no message content is sensitive.", f.Reason, "reason is trimmed")
	assert.Equal(t, "aws_sns_topic.alerts", f.SuppressedAt)
	assert.False(t, findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.other").Suppressed, "a resource suppression covers only its resource")
	assert.Empty(t, rep.Problems)
	require.Len(t, rep.Failing(High), 1)
	assert.Equal(t, "aws_sns_topic.other", rep.Failing(High)[0].Address)
}

func TestConstructSuppressionCoversThePathPrefix(t *testing.T) {
	rep := check(t,
		stackMeta(`{"policy_suppressions": {
			"fixture/team": {"HC-SNS-001": "The team's topics carry only public build notifications."},
			"fixture/team/inner": {"HC-SNS-001": "Inner topics are test doubles, deleted nightly."},
			"fixture/grp%2Ex": {"HC-SNS-001": "Dotted construct ids are escaped in the key."}
		}}`),
		res("aws_sns_topic", "a", at("fixture/team/a", openTopic)),
		res("aws_sns_topic", "b", at("fixture/team/inner/deep/b", openTopic)),
		res("aws_sns_topic", "c", at("fixture/teamx/c", openTopic)),
		res("aws_sns_topic", "d", at("fixture/grp.x/d", openTopic)),
	)
	a := findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.a")
	assert.True(t, a.Suppressed)
	assert.Equal(t, "fixture/team", a.SuppressedAt)
	b := findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.b")
	assert.Equal(t, "fixture/team/inner", b.SuppressedAt, "the longest matching path wins")
	assert.Equal(t, "Inner topics are test doubles, deleted nightly.", b.Reason)
	assert.False(t, findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.c").Suppressed, "fixture/team must not cover fixture/teamx")
	assert.True(t, findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.d").Suppressed)
	assert.Empty(t, rep.Problems)
}

func TestWrongSuppressionsAreProblems(t *testing.T) {
	rep := check(t,
		stackMeta(`{"policy_suppressions": {"fixture/nothing-here": {"HC-SNS-001": "Nothing lives under this path any more."}}}`),
		res("aws_sns_topic", "typo", `{"name": "a", "//": {"policy_suppressions": {"HC-SNS-01": "A misspelled rule ID is caught."}}}`),
		res("aws_sns_topic", "short", `{"name": "b", "//": {"policy_suppressions": {"HC-SNS-001": "because"}}}`),
		res("aws_sns_topic", "fixed", `{"name": "c", "kms_master_key_id": "${aws_kms_key.k.arn}", "//": {"policy_suppressions": {"HC-SNS-001": "Was unencrypted until the key arrived."}}}`),
	)
	byTarget := map[string]Problem{}
	for _, p := range rep.Problems {
		byTarget[p.Target] = p
	}
	require.Len(t, rep.Problems, 4, "%v", rep.Problems)
	assert.Contains(t, byTarget["aws_sns_topic.typo"].Message, "unknown rule ID")
	assert.Contains(t, byTarget["aws_sns_topic.short"].Message, "shorter than 10 characters")
	assert.Contains(t, byTarget["aws_sns_topic.fixed"].Message, "matches no finding")
	assert.Contains(t, byTarget["fixture/nothing-here"].Message, "matches no finding")
	assert.False(t, findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.short").Suppressed, "a short reason does not suppress")

	err := rep.Err(Critical)
	require.Error(t, err, "wrong suppressions fail whatever the threshold")
	assert.Contains(t, err.Error(), "4 wrong suppressions")
}

func TestReportErrAndThreshold(t *testing.T) {
	rep := check(t, res("aws_cloudwatch_log_group", "lg", `{"name": "/x", "kms_key_id": "${aws_kms_key.k.arn}"}`))
	// Only HC-LOG-002 (LOW) fails.
	require.Equal(t, []string{"aws_cloudwatch_log_group.lg"}, rep.flagged("HC-LOG-002"))
	assert.NoError(t, rep.Err(0), "the default threshold is HIGH")
	assert.NoError(t, rep.Err(Medium))
	err := rep.Err(Low)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 unsuppressed finding at or above LOW")
	assert.Contains(t, rep.Summary(Low), "1 finding at or above LOW")
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Low, Medium, High, Critical} {
		got, err := ParseSeverity(strings.ToLower(s.String()))
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	_, err := ParseSeverity("SEVERE")
	assert.ErrorContains(t, err, "want LOW, MEDIUM, HIGH or CRITICAL")
	assert.Equal(t, High, Severity(0).orDefault())
}

func TestFindingLineAndText(t *testing.T) {
	rep := check(t, res("aws_sns_topic", "t", openTopic))
	f := findingOf(t, rep, "HC-SNS-001", "aws_sns_topic.t")
	raw := string(fixture(t, res("aws_sns_topic", "t", openTopic)).JSON)
	lines := strings.Split(raw, "\n")
	require.Greater(t, f.Line, 0)
	assert.Contains(t, lines[f.Line-1], `"t": {`, "Line points at the resource's key")
	line := f.String()
	for _, want := range []string{"HIGH", "HC-SNS-001", f.Rule.Title, "fixture/t", "aws_sns_topic.t", "Fix: " + f.Rule.Fix} {
		assert.Contains(t, line, want)
	}
	assert.NotContains(t, line, "\n")
}
