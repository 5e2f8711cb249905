package validate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestAlarmNameAndDescription(t *testing.T) {
	rule(t, "AlarmName", validate.AlarmName,
		[]string{"a", "prod-alb-5xx", "Prod: ALB 5xx / target", strings.Repeat("é", 255)},
		[]string{"", strings.Repeat("a", 256), "tab\there", "new\nline"})
	rule(t, "AlarmDescription", validate.AlarmDescription,
		[]string{"", "The load balancer answered 5xx.", strings.Repeat("x", 1024)},
		[]string{strings.Repeat("x", 1025)})
}

func TestAlarmPeriod(t *testing.T) {
	for _, tc := range []struct {
		seconds    int
		highRes    bool
		ok         bool
		suggestion string
	}{
		{60, false, true, ""}, {120, false, true, ""}, {86400, false, true, ""}, {604800, false, true, ""},
		{10, true, true, ""}, {20, true, true, ""}, {30, true, true, ""}, {60, true, true, ""},
		{10, false, false, "60"}, {30, false, false, "60"},
		{90, false, false, "120"}, {89, false, false, "60"}, {0, false, false, "60"}, {-60, true, false, "60"},
		{604860, false, false, "604800"}, {math.MaxInt, false, false, "604800"}, {15, true, false, "60"},
	} {
		rule, suggestion := validate.AlarmPeriod(tc.seconds, tc.highRes)
		assert.Equal(t, tc.ok, rule == "", "AlarmPeriod(%d, %v): %s", tc.seconds, tc.highRes, rule)
		assert.Equal(t, tc.suggestion, suggestion, "AlarmPeriod(%d, %v)", tc.seconds, tc.highRes)
	}
	rule, _ := validate.AlarmPeriod(30, false)
	assert.Contains(t, rule, "INSUFFICIENT_DATA")
}

func TestAlarmEvaluationPeriods(t *testing.T) {
	for _, tc := range []struct {
		period, n  int
		ok         bool
		suggestion string
	}{
		{60, 1, true, ""}, {60, 1440, true, ""}, {60, 1441, false, "1440"},
		{300, 288, true, ""}, {300, 289, false, "288"},
		{3540, 24, true, ""}, {3540, 25, false, "24"}, // under one hour: one day
		{3600, 168, true, ""}, {3600, 169, false, "168"}, // one hour or more: seven days
		{86400, 7, true, ""}, {86400, 8, false, "7"}, {604800, 1, true, ""},
		{60, 0, false, "1"}, {60, -5, false, "1"}, {60, math.MaxInt, false, "1440"}, {240, 1<<62 + 1, false, "360"},
	} {
		rule, suggestion := validate.AlarmEvaluationPeriods(tc.period, tc.n)
		assert.Equal(t, tc.ok, rule == "", "AlarmEvaluationPeriods(%d, %d): %s", tc.period, tc.n, rule)
		assert.Equal(t, tc.suggestion, suggestion, "AlarmEvaluationPeriods(%d, %d)", tc.period, tc.n)
	}
	assert.Equal(t, 0, validate.MaxEvaluationPeriods(0))
	assert.Empty(t, validate.AlarmDatapoints(3, 5))
	assert.Empty(t, validate.AlarmDatapoints(5, 5))
	assert.NotEmpty(t, validate.AlarmDatapoints(0, 5))
	assert.NotEmpty(t, validate.AlarmDatapoints(6, 5))
}

func TestEmailAddress(t *testing.T) {
	rule(t, "EmailAddress", validate.EmailAddress,
		[]string{"secops@example.com", "on-call+alarms@mail.example.org", "a.b@sub-1.example.co.uk"},
		[]string{"", "ops", "ops@localhost", "Ops <ops@example.com>", "<ops@example.com>", "ops@-example.com", "ops@example-.com",
			"ops@exa_mple.com", "ops@example..com", "ops@@example.com", strings.Repeat("a", 250) + "@example.com",
			"ops@" + strings.Repeat("a", 64) + ".com", " ops@example.com"})
}
