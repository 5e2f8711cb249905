package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

// TestWebAppWiring checks, in every web-app stack of the platform, that the
// constructs are connected as the platform requires: tasks in the private
// subnets, the ALB in the public subnets, the WAF on that ALB, the alarms on
// that ALB, service and web ACL, and the outputs.
func TestWebAppWiring(t *testing.T) {
	app := referenceApp(t)
	p := platform(t)
	for _, env := range p.Environments {
		s := app.Stacks[p.StackName(env.Name)]
		t.Run(env.Name, func(t *testing.T) {
			vpc := "${" + s.Ref(t, "aws_vpc", "network/vpc") + ".id}"
			alb := s.Ref(t, "aws_lb", "service/alb")
			svc := s.Resource(t, "aws_ecs_service", "service/service")
			subnets := func(tier string) []any {
				var out []any
				for i := range azCount(env) {
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
			assert.Equal(t, "https://"+env.Domain, outputs.Get("url.value").String())
			for _, v := range []string{stacks.BlockedCidrsVariable, stacks.WafBlockedAddressesVariable, stacks.DesiredCountVariable} {
				assert.True(t, s.Get("variable."+v).Exists(), "incident-response variable %s", v)
			}
		})
	}
}

// TestEnvironmentSettings checks that every environment's stack carries
// that environment's own settings from the platform config: NAT gateways,
// task count, deletion protection, GuardDuty and log retentions.
func TestEnvironmentSettings(t *testing.T) {
	app := referenceApp(t)
	p := platform(t)
	for _, env := range p.Environments {
		s := app.Stacks[p.StackName(env.Name)]
		t.Run(env.Name, func(t *testing.T) {
			nat := map[securevpc.NatGatewayMode]int{securevpc.NatGatewayPerAz: azCount(env), securevpc.NatGatewaySingle: 1, securevpc.NatGatewayNone: 0}
			assert.Len(t, s.Resources("aws_nat_gateway"), nat[env.Vpc.NatGateways], "NAT gateways (%s)", env.Vpc.NatGateways)

			assert.EqualValues(t, *env.Service.DesiredCount, s.Get("variable."+stacks.DesiredCountVariable+".default").Int())
			assert.Equal(t, *env.Service.DeletionProtection, s.Resource(t, "aws_lb", "service/alb").Get("enable_deletion_protection").Bool())

			if *env.Monitoring.GuardDutyDetector {
				require.Len(t, s.Resources("aws_guardduty_detector"), 1)
			} else {
				assert.Empty(t, s.Resources("aws_guardduty_detector"), "no GuardDuty detector")
			}

			for lg, days := range map[string]int{
				"network/flow_log_group":     *env.Vpc.FlowLogRetentionInDays,
				"service/log_group":          *env.Service.LogRetentionInDays,
				"waf/log_group":              *env.Waf.LogRetentionInDays,
				"monitoring/trail_log_group": *env.Monitoring.LogRetentionInDays,
			} {
				assert.EqualValues(t, days, s.Resource(t, "aws_cloudwatch_log_group", lg).Get("retention_in_days").Int(), lg)
			}
		})
	}
}

// azCount is the number of AZs of env's VPC.
func azCount(env stacks.EnvironmentConfig) int {
	if len(env.Vpc.AvailabilityZones) > 0 {
		return len(env.Vpc.AvailabilityZones)
	}
	return *env.Vpc.AvailabilityZoneCount
}

func itoa(i int) string { return string(rune('0' + i)) }
