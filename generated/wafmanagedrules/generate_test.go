package wafmanagedrules_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules/internal/gen"
)

// TestGeneratedCodeIsFresh fails when groups_gen.go differs from what
// `go generate ./...` would write from catalog.json.
func TestGeneratedCodeIsFresh(t *testing.T) {
	catalog, err := os.ReadFile("catalog.json")
	require.NoError(t, err)
	want, err := gen.Render(catalog)
	require.NoError(t, err)
	got, err := os.ReadFile("groups_gen.go")
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "groups_gen.go is stale: run `go generate ./...` and commit the result")
}

func TestRenderRejectsBadCatalog(t *testing.T) {
	for name, catalog := range map[string]string{
		"unknown field":   `{"groups":[{"ident":"A","vendor_name":"AWS","name":"A","capacity":1,"rules":["r"],"oops":1}]}`,
		"zero capacity":   `{"groups":[{"ident":"A","vendor_name":"AWS","name":"A","capacity":0,"rules":["r"]}]}`,
		"no rules":        `{"groups":[{"ident":"A","vendor_name":"AWS","name":"A","capacity":1,"rules":[]}]}`,
		"duplicate rule":  `{"groups":[{"ident":"A","vendor_name":"AWS","name":"A","capacity":1,"rules":["r","r"]}]}`,
		"duplicate group": `{"groups":[{"ident":"A","vendor_name":"AWS","name":"A","capacity":1,"rules":["r"]},{"ident":"A","vendor_name":"AWS","name":"A","capacity":1,"rules":["r"]}]}`,
		"no groups":       `{"groups":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := gen.Render([]byte(catalog))
			require.Error(t, err)
		})
	}
}

func TestCatalogValues(t *testing.T) {
	// Capacities as documented by AWS.
	for _, tc := range []struct {
		g        wafmanagedrules.RuleGroup
		name     string
		capacity int
	}{
		{wafmanagedrules.Common, "AWSManagedRulesCommonRuleSet", 700},
		{wafmanagedrules.KnownBadInputs, "AWSManagedRulesKnownBadInputsRuleSet", 200},
		{wafmanagedrules.AmazonIpReputationList, "AWSManagedRulesAmazonIpReputationList", 25},
		{wafmanagedrules.AnonymousIpList, "AWSManagedRulesAnonymousIpList", 50},
		{wafmanagedrules.SQLi, "AWSManagedRulesSQLiRuleSet", 200},
		{wafmanagedrules.Linux, "AWSManagedRulesLinuxRuleSet", 200},
		{wafmanagedrules.Unix, "AWSManagedRulesUnixRuleSet", 100},
		{wafmanagedrules.AdminProtection, "AWSManagedRulesAdminProtectionRuleSet", 100},
		{wafmanagedrules.BotControl, "AWSManagedRulesBotControlRuleSet", 50},
	} {
		require.Equal(t, "AWS", tc.g.VendorName)
		require.Equal(t, tc.name, tc.g.Name)
		require.Equal(t, tc.capacity, tc.g.Capacity, tc.name)
		got, ok := wafmanagedrules.Lookup("AWS", tc.name)
		require.True(t, ok)
		require.Equal(t, tc.g.Name, got.Name)
	}
	require.True(t, wafmanagedrules.Common.HasRule(wafmanagedrules.Common_SizeRestrictions_BODY))
	require.False(t, wafmanagedrules.Common.HasRule("SQLi_BODY"))
	require.Equal(t, wafmanagedrules.RuleName("SQLi_BODY"), wafmanagedrules.SQLi_SQLi_BODY)
	require.False(t, wafmanagedrules.AmazonIpReputationList.Versioned)
	require.Equal(t, "aws_managed_rules_bot_control_rule_set", wafmanagedrules.BotControl.ConfigBlock)
	_, ok := wafmanagedrules.Lookup("AWS", "NoSuchGroup")
	require.False(t, ok)
}
