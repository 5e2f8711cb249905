package securitymonitoring_test

import (
	"fmt"
	"slices"
	"sort"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
)

// Example adds the monitoring layer of a production environment: trail,
// GuardDuty, CIS alarms and the ALB and ECS alarms, notifying one address.
// In a real stack the ALB and ECS values are tokens of those resources, for
// example *lb.ArnSuffix().
func Example() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("prod"))

	m, err := securitymonitoring.NewSecurityMonitoring(stack, "monitoring", &securitymonitoring.SecurityMonitoringConfig{
		Name:        "shop-web-prod",
		AccountId:   "111122223333",
		Region:      "eu-west-1",
		AlarmEmails: []string{"secops@example.com"},
		Alb: &securitymonitoring.AlbAlarms{
			LoadBalancerArnSuffix: "app/shop-web-prod/0123456789abcdef",
			TargetGroupArnSuffix:  "targetgroup/shop-web-prod/fedcba9876543210",
		},
		Ecs: []securitymonitoring.EcsAlarms{{ClusterName: "shop-web-prod", ServiceName: "web", CpuUtilizationThreshold: new(75)}},
	})
	if err != nil {
		panic(err)
	}
	var ids []string
	for id := range m.Alarms {
		if len(id) < 4 || id[:4] != "cis-" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	fmt.Println("trail bucket:", m.Config.S3BucketName)
	fmt.Println("log group:", m.Config.LogGroupName, *m.Config.RetentionInDays, "days")
	fmt.Println("guardduty:", m.Detector != nil, m.Config.FindingPublishingFrequency)
	fmt.Println("service alarms:", ids)
	fmt.Println("CIS alarms:", len(m.Alarms)-len(ids))

	// An invalid config is rejected as a whole, before anything is created.
	_, err = securitymonitoring.NewSecurityMonitoring(stack, "broken", &securitymonitoring.SecurityMonitoringConfig{
		Name: "dev", AccountId: "111122223333", Region: "eu-west-1",
		RetentionInDays: new(45), AlarmEmails: []string{"ops"},
		// One GuardDuty detector per account and region: "monitoring" has it.
		SkipGuardDutyDetector: true,
	})
	fmt.Println(err)
	// Output:
	// trail bucket: shop-web-prod-cloudtrail-111122223333
	// log group: /aws/cloudtrail/shop-web-prod 365 days
	// guardduty: true FIFTEEN_MINUTES
	// service alarms: [alb-5xx alb-target-5xx alb-unhealthy-hosts ecs-cpu-high ecs-memory-high]
	// CIS alarms: 15
	// securitymonitoring.NewSecurityMonitoring("broken"): invalid config (2 problems):
	//   - RetentionInDays = 45: must be one of the CloudWatch Logs retention values [1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653]; did you mean "30"?
	//   - AlarmEmails[0] = "ops": must be a plain email address such as secops@example.com
}

// Example_sharedAlb watches three services behind one load balancer, with
// the team's own key for the trail and the alarm topic and a permissions
// boundary on the construct's role. A threshold of 0 alarms on any 5xx.
func Example_sharedAlb() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shared"))
	teamKey, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{
		AccountId: "111122223333", Region: "eu-west-1", Alias: "alias/platform-team",
	})
	if err != nil {
		panic(err)
	}
	m, err := securitymonitoring.NewSecurityMonitoring(stack, "monitoring", &securitymonitoring.SecurityMonitoringConfig{
		Name: "platform", AccountId: "111122223333", Region: "eu-west-1",
		TrailKmsKey: teamKey, AlarmKmsKey: teamKey,
		PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/platform-boundary",
		Alb: &securitymonitoring.AlbAlarms{
			LoadBalancerArnSuffix: "app/shared/0123456789abcdef",
			Elb5xxThreshold:       new(0),
			TargetGroups: []securitymonitoring.TargetGroupAlarms{
				{Id: "web", TargetGroupArnSuffix: "targetgroup/web/0123456789abcdef"},
				{Id: "api", TargetGroupArnSuffix: "targetgroup/api/1123456789abcdef"},
			},
		},
		Ecs: []securitymonitoring.EcsAlarms{
			{Id: "web", ClusterName: "shared", ServiceName: "web"},
			{Id: "api", ClusterName: "shared", ServiceName: "api", CpuUtilizationThreshold: new(60)},
		},
	})
	if err != nil {
		panic(err)
	}
	var ids []string
	for id := range m.Alarms {
		if id[:4] != "cis-" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	fmt.Println("created keys:", m.TrailKey != nil, m.AlarmKey != nil)
	fmt.Println("statements added to the team key:", len(m.TrailKeyPolicyStatements)+len(m.AlarmKeyPolicyStatements))
	for _, id := range ids {
		fmt.Println(id)
	}
	// Output:
	// created keys: false false
	// statements added to the team key: 6
	// alb-5xx
	// alb-api-target-5xx
	// alb-api-unhealthy-hosts
	// alb-web-target-5xx
	// alb-web-unhealthy-hosts
	// ecs-api-cpu-high
	// ecs-api-memory-high
	// ecs-web-cpu-high
	// ecs-web-memory-high
}
