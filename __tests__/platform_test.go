package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestWebAppWiring checks, in every reference web-app stack, that the
// constructs are connected as the platform requires: tasks in the private
// subnets, the ALB in the public subnets, the WAF on that ALB, the alarms on
// that ALB, service and web ACL, and the outputs.
func TestWebAppWiring(t *testing.T) {
	app := referenceApp(t)
	for _, env := range stacks.ReferenceEnvironments {
		s := app.Stacks[stacks.WebAppStackName(env)]
		t.Run(env, func(t *testing.T) {
			vpc := "${" + s.Ref(t, "aws_vpc", "network/vpc") + ".id}"
			alb := s.Ref(t, "aws_lb", "service/alb")
			svc := s.Resource(t, "aws_ecs_service", "service/service")
			subnets := func(tier string) []any {
				var out []any
				for i := range stacks.ReferenceAvailabilityZones {
					out = append(out, "${"+s.Ref(t, "aws_subnet", "network/"+tier+"_subnet_"+itoa(i))+".id}")
				}
				return out
			}
			assert.Equal(t, subnets("private"), svc.Get("network_configuration.subnets").Value(), "tasks in the private subnets")
			assert.False(t, svc.Get("network_configuration.assign_public_ip").Bool())
			assert.Equal(t, subnets("public"), s.Resource(t, "aws_lb", "service/alb").Get("subnets").Value(), "ALB in the public subnets")
			for _, sg := range s.Resources("aws_security_group") {
				if sg.Get("//.metadata.path").String() != s.Name+"/network/endpoint_security_group" && strings.Contains(sg.Get("//.metadata.path").String(), "/service/") {
					assert.Equal(t, vpc, sg.Get("vpc_id").String(), "service security groups in the VPC")
				}
			}
			assert.Equal(t, "${"+alb+".arn}", s.Resource(t, "aws_wafv2_web_acl_association", "waf/association").Get("resource_arn").String(), "WAF on the ALB")

			var dims []string
			for _, a := range s.Resources("aws_cloudwatch_metric_alarm") {
				a.Get("dimensions").ForEach(func(k, v gjson.Result) bool {
					dims = append(dims, k.String()+"="+v.String())
					return true
				})
			}
			assert.Contains(t, dims, "LoadBalancer=${"+alb+".arn_suffix}")
			assert.Contains(t, dims, "TargetGroup=${"+s.Ref(t, "aws_lb_target_group", "service/target_group")+".arn_suffix}")
			assert.Contains(t, dims, "ServiceName=${"+s.Ref(t, "aws_ecs_service", "service/service")+".name}")
			assert.Contains(t, dims, "WebACL="+s.Resource(t, "aws_wafv2_web_acl", "waf/web_acl").Get("visibility_config.metric_name").String())

			outputs := s.Get("output")
			for name, want := range map[string]string{
				"alarm_topic_arn":           "${" + s.Ref(t, "aws_sns_topic", "monitoring/alarm_topic") + ".arn}",
				"vpc_flow_log_group_name":   "${" + s.Ref(t, "aws_cloudwatch_log_group", "network/flow_log_group") + ".name}",
				"waf_log_group_name":        "${" + s.Ref(t, "aws_cloudwatch_log_group", "waf/log_group") + ".name}",
				"cloudtrail_log_group_name": "${" + s.Ref(t, "aws_cloudwatch_log_group", "monitoring/trail_log_group") + ".name}",
				"service_alb_dns_name":      "${" + alb + ".dns_name}",
				"service_log_group_name":    "${" + s.Ref(t, "aws_cloudwatch_log_group", "service/log_group") + ".name}",
			} {
				assert.Equal(t, want, outputs.Get(name+".value").String(), name)
			}
			host := stacks.ReferenceDomain
			if env != "prod" {
				host = env + "." + host
			}
			assert.Equal(t, "https://"+host, outputs.Get("url.value").String())
			for _, v := range []string{stacks.BlockedCidrsVariable, stacks.WafBlockedAddressesVariable, stacks.DesiredCountVariable} {
				assert.True(t, s.Get("variable."+v).Exists(), "incident-response variable %s", v)
			}
		})
	}
}

// TestEnvironmentsDiffer checks the dev/prod differences a team expects:
// NAT gateways, task count, deletion protection, GuardDuty and retention.
func TestEnvironmentsDiffer(t *testing.T) {
	app := referenceApp(t)
	dev, prod := app.Stacks[stacks.WebAppStackName("dev")], app.Stacks[stacks.WebAppStackName("prod")]

	assert.Len(t, dev.Resources("aws_nat_gateway"), 1, "dev: one NAT gateway")
	assert.Len(t, prod.Resources("aws_nat_gateway"), len(stacks.ReferenceAvailabilityZones), "prod: a NAT gateway per AZ")

	count := func(s stacktest.Stack) int64 {
		return s.Get("variable." + stacks.DesiredCountVariable + ".default").Int()
	}
	assert.EqualValues(t, 1, count(dev))
	assert.EqualValues(t, 2, count(prod))

	assert.False(t, dev.Resource(t, "aws_lb", "service/alb").Get("enable_deletion_protection").Bool())
	assert.True(t, prod.Resource(t, "aws_lb", "service/alb").Get("enable_deletion_protection").Bool())

	assert.Empty(t, dev.Resources("aws_guardduty_detector"), "dev: no GuardDuty detector (prod's covers the account)")
	require.Len(t, prod.Resources("aws_guardduty_detector"), 1)

	for _, lg := range []string{"network/flow_log_group", "service/log_group", "waf/log_group", "monitoring/trail_log_group"} {
		assert.EqualValues(t, 30, dev.Resource(t, "aws_cloudwatch_log_group", lg).Get("retention_in_days").Int(), "dev %s", lg)
		assert.EqualValues(t, 365, prod.Resource(t, "aws_cloudwatch_log_group", lg).Get("retention_in_days").Int(), "prod %s", lg)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
