package validate

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// CloudWatch alarm and SNS rules (PutMetricAlarm, Subscribe).

// CloudWatch alarm limits. See
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const (
	// MaxAlarmNameLength and MaxAlarmDescriptionLength are in characters.
	MaxAlarmNameLength        = 255
	MaxAlarmDescriptionLength = 1024
	// MaxAlarmRangeSeconds is the longest evaluation range (Period x
	// EvaluationPeriods) of an alarm whose period is at least one hour;
	// MaxShortAlarmRangeSeconds that of an alarm with a shorter period.
	MaxAlarmRangeSeconds      = 7 * 86400
	MaxShortAlarmRangeSeconds = 86400
)

// HighResolutionAlarmPeriods are the sub-minute periods CloudWatch accepts
// for alarms on high-resolution metrics (stored with a StorageResolution of
// 1 second); every other period is a multiple of 60 seconds.
var HighResolutionAlarmPeriods = []int{10, 20, 30}

// AlarmName: a CloudWatch alarm name, 1-255 characters, no control
// characters (PutMetricAlarm's AlarmName).
func AlarmName(name string) string {
	if length(name) < 1 || length(name) > MaxAlarmNameLength || strings.ContainsFunc(name, unicode.IsControl) {
		return fmt.Sprintf("must be a CloudWatch alarm name: 1-%d characters, no control characters", MaxAlarmNameLength)
	}
	return ""
}

// AlarmDescription: a CloudWatch alarm description, at most 1024
// characters (PutMetricAlarm's AlarmDescription).
func AlarmDescription(d string) string {
	if length(d) > MaxAlarmDescriptionLength {
		return fmt.Sprintf("must be a CloudWatch alarm description of at most %d characters", MaxAlarmDescriptionLength)
	}
	return ""
}

// AlarmPeriod returns why seconds is not a period a CloudWatch metric alarm
// can use, or "", and the nearest valid period as a suggestion ("" when
// there is none). CloudWatch accepts 10, 20, 30 and any positive multiple of
// 60; the sub-minute periods only make sense for a metric with
// sub-minute data (highResolution): on a metric with one-minute data the
// alarm lapses into INSUFFICIENT_DATA, so they are refused for it.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
func AlarmPeriod(seconds int, highResolution bool) (rule, suggestion string) {
	sub := false
	for _, p := range HighResolutionAlarmPeriods {
		sub = sub || seconds == p
	}
	switch {
	case sub && highResolution:
		return "", ""
	case sub:
		return "must be a multiple of 60 seconds: the metric has one-minute data, and an alarm with a period of 10, 20 or 30 seconds on it lapses into INSUFFICIENT_DATA", "60"
	case seconds >= 60 && seconds%60 == 0 && seconds <= MaxAlarmRangeSeconds:
		return "", ""
	}
	rule = fmt.Sprintf("must be a multiple of 60 seconds from 60 to %d", MaxAlarmRangeSeconds)
	if highResolution {
		rule = fmt.Sprintf("must be 10, 20, 30 or a multiple of 60 seconds up to %d", MaxAlarmRangeSeconds)
	}
	n := 60
	switch {
	case seconds >= MaxAlarmRangeSeconds:
		n = MaxAlarmRangeSeconds
	case seconds > 60:
		n = (seconds + 30) / 60 * 60
	}
	return rule, strconv.Itoa(n)
}

// MaxEvaluationPeriods is the largest EvaluationPeriods CloudWatch accepts
// with a valid period: Period x EvaluationPeriods may be at most one day for
// a period under one hour, and seven days otherwise.
func MaxEvaluationPeriods(periodSeconds int) int {
	if periodSeconds <= 0 {
		return 0
	}
	if periodSeconds < 3600 {
		return MaxShortAlarmRangeSeconds / periodSeconds
	}
	return MaxAlarmRangeSeconds / periodSeconds
}

// AlarmEvaluationPeriods returns why evaluationPeriods cannot go with a
// valid period, or "", and the nearest valid value as a suggestion.
// The product is bounded by division, so huge values cannot overflow.
func AlarmEvaluationPeriods(periodSeconds, evaluationPeriods int) (rule, suggestion string) {
	limit := MaxEvaluationPeriods(periodSeconds)
	switch {
	case evaluationPeriods < 1:
		return "must be at least 1", "1"
	case limit >= 1 && evaluationPeriods > limit:
		span := "one day (86400 seconds) for a period under one hour"
		if periodSeconds >= 3600 {
			span = "seven days (604800 seconds) for a period of one hour or more"
		}
		return fmt.Sprintf("times the period (%d seconds) must be at most %s, CloudWatch's limit", periodSeconds, span), strconv.Itoa(limit)
	}
	return "", ""
}

// AlarmDatapoints returns why datapointsToAlarm cannot go with
// evaluationPeriods (it must be from 1 to evaluationPeriods), or "".
func AlarmDatapoints(datapointsToAlarm, evaluationPeriods int) string {
	if datapointsToAlarm < 1 || datapointsToAlarm > max(evaluationPeriods, 1) {
		return fmt.Sprintf("must be from 1 to EvaluationPeriods (%d)", evaluationPeriods)
	}
	return ""
}

var emailDomainLabelRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

// EmailAddress: a bare e-mail address such as "secops@example.com", as an
// SNS "email" subscription endpoint takes it: no display name or angle
// brackets, at most 254 characters, a local part RFC 5322 accepts and a
// domain of at least two DNS labels (letters, digits and inner '-', at most
// 63 each). See https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
func EmailAddress(s string) string {
	const rule = "must be a plain email address such as secops@example.com"
	if len(s) > 254 {
		return rule
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return rule
	}
	at := strings.LastIndexByte(s, '@')
	labels := strings.Split(s[at+1:], ".")
	if len(labels) < 2 {
		return rule
	}
	for _, l := range labels {
		if len(l) > 63 || !emailDomainLabelRe.MatchString(l) {
			return rule
		}
	}
	return ""
}
