package policy

import (
	"fmt"
	"strings"
)

// Severity ranks a rule: Low < Medium < High < Critical. The zero value
// means "not set"; where an option takes a Severity, zero selects the
// default (High).
type Severity int

// The severities, from least to most severe.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

// DefaultSeverity is the threshold used when none is given: findings at or
// above it fail a run.
const DefaultSeverity = High

// String returns the upper-case name ("LOW", "MEDIUM", "HIGH", "CRITICAL"),
// or "UNSET" for the zero value.
func (s Severity) String() string {
	switch s {
	case Low:
		return "LOW"
	case Medium:
		return "MEDIUM"
	case High:
		return "HIGH"
	case Critical:
		return "CRITICAL"
	case 0:
		return "UNSET"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads a severity name, case-insensitively: LOW, MEDIUM,
// HIGH or CRITICAL. Anything else is an error naming the accepted values.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "LOW":
		return Low, nil
	case "MEDIUM":
		return Medium, nil
	case "HIGH":
		return High, nil
	case "CRITICAL":
		return Critical, nil
	}
	return 0, fmt.Errorf("unknown severity %q: want LOW, MEDIUM, HIGH or CRITICAL", s)
}

// orDefault returns s, or DefaultSeverity when s is unset.
func (s Severity) orDefault() Severity {
	if s == 0 {
		return DefaultSeverity
	}
	return s
}

// sarifLevel maps a severity to a SARIF result level.
func (s Severity) sarifLevel() string {
	switch s {
	case Critical, High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub code scanning reads from a
// rule's "security-severity" property to rank alerts (critical >= 9.0,
// high >= 7.0, medium >= 4.0, low > 0).
func (s Severity) securitySeverity() string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	}
	return "3.0"
}
