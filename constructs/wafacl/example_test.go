package wafacl_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules"
)

// A web ACL in front of an ALB: the default managed rule groups (with one
// Core rule set rule counted instead of blocking, for file uploads), the
// per-IP rate limit, an incident-response block list fed from a Terraform
// variable, and logging.
func Example() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("webapp-prod"))

	groups := wafacl.DefaultManagedRuleGroups()
	groups[0].CountRules = []wafmanagedrules.RuleName{wafmanagedrules.Common_SizeRestrictions_BODY}

	acl, err := wafacl.NewWafAcl(stack, "waf", &wafacl.WafAclConfig{
		Name:      "webapp-prod",
		AccountId: "111122223333",
		Region:    "eu-central-1",
		// In a real stack: *service.LoadBalancer.Arn() (a token).
		ResourceArn:              "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/webapp-prod/0123456789abcdef",
		ManagedRuleGroups:        groups,
		BlockedAddressesVariable: "waf_blocked_addresses",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range acl.Rules {
		fmt.Printf("%3d %-40s %3d WCUs  metric %s\n", r.Priority, r.Name, r.WCU, r.MetricName)
	}
	fmt.Println("total:", acl.Capacity, "WCUs; logs:", acl.Config.Logging.LogGroupName)
	// Output:
	//  10 BlockedAddresses                           2 WCUs  metric webapp-prod-BlockedAddresses
	//  40 RateLimitPerIp                             2 WCUs  metric webapp-prod-RateLimitPerIp
	// 100 AWSManagedRulesCommonRuleSet             700 WCUs  metric webapp-prod-AWSManagedRulesCommonRuleSet
	// 110 AWSManagedRulesKnownBadInputsRuleSet     200 WCUs  metric webapp-prod-AWSManagedRulesKnownBadInputsRuleSet
	// 120 AWSManagedRulesAmazonIpReputationList     25 WCUs  metric webapp-prod-AWSManagedRulesAmazonIpReputationList
	// 130 AWSManagedRulesSQLiRuleSet               200 WCUs  metric webapp-prod-AWSManagedRulesSQLiRuleSet
	// total: 1129 WCUs; logs: aws-waf-logs-webapp-prod
}

// Adding rule groups beyond the 1500 WCUs of the base price fails at synth
// time with each rule's cost, unless AcceptExtraCapacityCost is set.
func ExampleWafAclConfig_Validate() {
	cfg := &wafacl.WafAclConfig{
		Name:      "webapp-prod",
		AccountId: "111122223333",
		Region:    "eu-central-1",
		ManagedRuleGroups: append(wafacl.DefaultManagedRuleGroups(),
			wafacl.ManagedRuleGroup{Group: wafmanagedrules.Linux},
			wafacl.ManagedRuleGroup{Group: wafmanagedrules.Unix},
			wafacl.ManagedRuleGroup{Group: wafmanagedrules.AdminProtection},
		),
	}
	fmt.Println(cfg.Validate("waf"))
	cfg.AcceptExtraCapacityCost = true
	fmt.Println(cfg.Validate("waf"))
	// Output:
	// wafacl.NewWafAcl("waf"): invalid config (1 problem):
	//   - ManagedRuleGroups = 1527: the web ACL needs 1527 WCUs, more than the 1500 included in the base price; AWS bills every extra 500 WCUs. Remove rule groups or rules, or set AcceptExtraCapacityCost: true. rule costs (WCUs): RateLimitPerIp=2, AWSManagedRulesCommonRuleSet=700, AWSManagedRulesKnownBadInputsRuleSet=200, AWSManagedRulesAmazonIpReputationList=25, AWSManagedRulesSQLiRuleSet=200, AWSManagedRulesLinuxRuleSet=200, AWSManagedRulesUnixRuleSet=100, AWSManagedRulesAdminProtectionRuleSet=100; total 1527
	// <nil>
}

// Typed statements render the snake_case maps that cdktf passes to
// Terraform for nested `statement` blocks.
func ExampleStatement() {
	s := wafacl.Not{Statement: wafacl.ByteMatch{
		FieldToMatch:         wafacl.URIPath(),
		PositionalConstraint: "STARTS_WITH",
		SearchString:         "/upload",
	}}
	fmt.Println(s.Map(), s.WCU(), wafacl.CheckStatement(s))
	// Output:
	// map[not_statement:map[statement:map[byte_match_statement:map[field_to_match:map[uri_path:map[]] positional_constraint:STARTS_WITH search_string:/upload text_transformation:[map[priority:0 type:NONE]]]]]] 2 <nil>
}

// One web ACL for a shared ALB and an API stage, with custom rules: allow
// the office (an IP set of NewIPSet) to /admin and block everyone else with
// a JSON body, and rate limit per API key. Their WCUs count with the
// managed groups, and their priorities are checked against them.
func Example_customRules() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shared-edge"))
	const account, region = "111122223333", "eu-central-1"

	office, err := wafacl.NewIPSet(stack, "office", &wafacl.IPSetConfig{
		AccountId: account, Region: region, Addresses: []string{"192.0.2.0/24"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	admin := wafacl.ByteMatch{FieldToMatch: wafacl.URIPath(), PositionalConstraint: "STARTS_WITH", SearchString: "/admin",
		TextTransformations: wafacl.Transform("URL_DECODE", "LOWERCASE")}
	acl, err := wafacl.NewWafAcl(stack, "waf", &wafacl.WafAclConfig{
		Name: "shared-edge", AccountId: account, Region: region,
		// In a real stack: *alb.Arn() and the stage's ARN (tokens).
		ResourceArn:  "arn:aws:elasticloadbalancing:eu-central-1:111122223333:loadbalancer/app/shared/0123456789abcdef",
		ResourceArns: []string{"arn:aws:apigateway:eu-central-1::/restapis/a1b2c3d4e5/stages/prod"},
		CustomResponseBodies: map[string]wafacl.CustomResponseBody{
			"forbidden": {ContentType: wafacl.ContentTypeApplicationJSON, Content: `{"error":"forbidden"}`},
		},
		CustomRules: []wafacl.Rule{
			{Name: "AdminFromOffice", Action: wafacl.ActionBlock,
				Statement:      wafacl.And{Statements: []wafacl.Statement{admin, wafacl.Not{Statement: wafacl.IPSetReference{IPSet: office}}}},
				CustomResponse: &wafacl.CustomResponse{ResponseCode: 403, BodyKey: "forbidden"}},
			{Name: "PerApiKey", Action: wafacl.ActionBlock,
				Statement: wafacl.RateBased{Limit: 300, Keys: []wafacl.RateKey{wafacl.RateKeyOf(wafacl.RateKeyHeader, "x-api-key")}}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range acl.Rules {
		fmt.Printf("%3d %-40s %3d WCUs\n", r.Priority, r.Name, r.WCU)
	}
	fmt.Println("total:", acl.Capacity, "WCUs;", len(acl.Associations), "associations")
	// Output:
	//  40 RateLimitPerIp                             2 WCUs
	//  50 AdminFromOffice                           23 WCUs
	//  51 PerApiKey                                 32 WCUs
	// 100 AWSManagedRulesCommonRuleSet             700 WCUs
	// 110 AWSManagedRulesKnownBadInputsRuleSet     200 WCUs
	// 120 AWSManagedRulesAmazonIpReputationList     25 WCUs
	// 130 AWSManagedRulesSQLiRuleSet               200 WCUs
	// total: 1182 WCUs; 2 associations
}
