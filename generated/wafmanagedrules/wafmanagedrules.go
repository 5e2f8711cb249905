// Package wafmanagedrules holds the AWS managed rule groups for AWS WAF
// (WAFv2) as typed Go values: vendor, name, WCU capacity and the names of
// their rules, so that rule_action_override names can be checked at synth
// time instead of being silently ignored by AWS.
//
// The values in groups_gen.go are generated from catalog.json by
// `go generate ./...`; edit the catalog, never the generated file. A test
// fails when the generated file is stale.
//
// See https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
package wafmanagedrules

//go:generate go run ./internal/gen/cmd -catalog catalog.json -out groups_gen.go

import "slices"

// RuleGroup is one managed rule group.
type RuleGroup struct {
	// VendorName is the vendor_name of managed_rule_group_statement ("AWS").
	VendorName string
	// Name is the name of managed_rule_group_statement.
	Name string
	// Capacity is the group's web ACL capacity units (WCUs) as AWS documents them.
	Capacity int
	// Versioned is false for groups that AWS does not version (the IP
	// reputation lists): their managed_rule_group_statement must not set version.
	Versioned bool
	// ExtraFees is true for groups charged per request on top of the web ACL
	// price (Bot Control).
	ExtraFees bool
	// ConfigBlock names the block of managed_rule_group_configs the group
	// needs (e.g. "aws_managed_rules_bot_control_rule_set"), or "".
	ConfigBlock string
	// DocURL is the AWS documentation of the group.
	DocURL string
	// Rules lists the names of the group's rules.
	Rules []RuleName
}

// HasRule reports whether the group has a rule of that name.
func (g RuleGroup) HasRule(name RuleName) bool { return slices.Contains(g.Rules, name) }

// Lookup returns the catalog group with that vendor and name.
func Lookup(vendorName, name string) (RuleGroup, bool) {
	for _, g := range All {
		if g.VendorName == vendorName && g.Name == name {
			return g, true
		}
	}
	return RuleGroup{}, false
}
