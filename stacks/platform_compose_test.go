package stacks_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// composedPlatform is a platform whose one environment uses every
// composition key: cost tags (shared and own), a permissions boundary, a
// team KMS key, an existing VPC given by IDs and two services on one
// shared ALB, routed by host. The values are this test's own (not the
// repository's platform.yaml), so a team's values cannot break it.
const composedPlatform = `
project: shop
domain: shop.example.org
hosted_zone_id: Z04EXAMPLE7QX1
tags:
  CostCenter: cc-4711
  Owner: platform-team
permissions_boundary_arn: arn:aws:iam::111122223333:policy/team-boundary
state:
  bucket: shop-terraform-state-example
  account: "111122223333"
  region: eu-west-2
environments:
  live:
    account: "111122223333"
    region: eu-west-2
    tags:
      Owner: shop-team
      DataClass: internal
    kms_key_arn: arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-44cd-96ef-1234567890ab
    vpc:
      cidr: 10.40.0.0/16
      existing:
        vpc_id: vpc-0a1b2c3d4e5f60718
        public_subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2]
        private_subnet_ids: [subnet-0bbbbbbbbbbbbbbb1, subnet-0bbbbbbbbbbbbbbb2]
        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]
        network_acl_ids: [acl-0ddddddddddddddd1]
    service:
      image_tag: "2.4.1"
      container_port: 8080
      deletion_protection: false
    services:
      api:
        image_tag: "3.0.2"
        container_port: 9000
        hosts: [api.shop.example.org]
        path_patterns: ["/v1/*"]
        priority: 5
      admin:
        image_tag: "1.2.0"
        container_port: 8081
    monitoring:
      guardduty_detector: true
`

func composedConfig(t *testing.T) *stacks.PlatformConfig {
	t.Helper()
	cfg, err := stacks.ParsePlatformConfig("composed.yaml", []byte(composedPlatform))
	require.NoError(t, err)
	return cfg
}

// TestComposedPlatformConfig: every composition key reaches the web-app
// stack's config, with the documented defaults.
func TestComposedPlatformConfig(t *testing.T) {
	cfg := composedConfig(t)
	e := cfg.WithDefaults().Environments[0] // domain: <environment>.<domain>
	w, ok := cfg.WebAppStackConfig(e.Name)
	require.True(t, ok)

	// Tags: the platform's, with the environment's over them.
	assert.Equal(t, map[string]string{"CostCenter": cfg.Tags["CostCenter"], "Owner": e.Tags["Owner"], "DataClass": e.Tags["DataClass"]}, w.Env.Tags)
	// Boundary: the platform's (the environment sets none).
	assert.Equal(t, cfg.PermissionsBoundaryArn, w.PermissionsBoundaryArn)
	assert.Equal(t, cfg.PermissionsBoundaryArn, cfg.BootstrapStackConfig().PermissionsBoundaryArn)
	assert.Equal(t, e.KmsKeyArn, w.KmsKeyArn)

	// Existing VPC: no new VPC, the IDs as given, hardening by default.
	x := e.Vpc.Existing
	require.NotNil(t, w.ImportedVpc)
	assert.Zero(t, w.Network.CidrBlock)
	assert.Equal(t, x.VpcId, w.ImportedVpc.Attributes.VpcId)
	assert.Equal(t, e.Vpc.CidrBlock, w.ImportedVpc.Attributes.CidrBlock)
	assert.Equal(t, x.PublicSubnetIds, w.ImportedVpc.Attributes.PublicSubnetIds)
	assert.Equal(t, x.PrivateSubnetIds, w.ImportedVpc.Attributes.PrivateSubnetIds)
	assert.Equal(t, x.PrivateRouteTableIds, w.ImportedVpc.Attributes.PrivateRouteTableIds)
	assert.NotNil(t, w.ImportedVpc.Endpoints, "endpoints default true")
	assert.NotNil(t, w.ImportedVpc.FlowLogs, "flow_logs default true")
	require.NotNil(t, w.ImportedVpc.NetworkAcls)
	assert.Equal(t, x.NetworkAclIds, w.ImportedVpc.NetworkAcls.NetworkAclIds)

	// Shared ALB: service and both entries of services attach by host.
	require.NotNil(t, w.SharedAlb)
	assert.Equal(t, e.Domain, w.SharedAlb.CertificateDomainName)
	assert.True(t, w.SharedAlb.DisableDeletionProtection, "service.deletion_protection is the ALB's")
	require.NotNil(t, w.Service.Attach)
	assert.Equal(t, []string{e.Domain}, w.Service.Attach.HostHeaders, "service's default host: the environment's domain")
	assert.Equal(t, stacks.DefaultServicePriority, w.Service.Attach.Priority)
	require.Len(t, w.AdditionalServices, len(e.Services))
	api, admin := w.AdditionalServices[0], w.AdditionalServices[1]
	assert.Equal(t, e.Services[0].Name, api.Id)
	assert.Equal(t, e.Services[0].Hosts, api.Config.Attach.HostHeaders)
	assert.Equal(t, e.Services[0].PathPatterns, api.Config.Attach.PathPatterns)
	assert.Equal(t, *e.Services[0].Priority, api.Config.Attach.Priority)
	assert.Equal(t, *e.Services[0].ContainerPort, api.Config.ContainerPort)
	assert.Equal(t, e.Services[0].ImageTag, api.Config.ImageTag)
	assert.Equal(t, []string{e.Services[1].Name + "." + e.Domain}, admin.Config.Attach.HostHeaders, "an entry's default host: <name>.<domain>")
	assert.Equal(t, 2*stacks.AdditionalServicePriorityStep, admin.Config.Attach.Priority, "default priority by file order")
	// The certificate covers every literal host.
	assert.ElementsMatch(t, []string{e.Services[0].Hosts[0], e.Services[1].Name + "." + e.Domain}, w.SharedAlb.CertificateSubjectAlternativeNames)
	require.NoError(t, w.Validate(cfg.StackName(e.Name)))
}

// TestComposedPlatformSynth checks the synthesized web-app stack of the
// composed platform: one ALB with a listener rule per service by host, no
// new VPC but the hardening of the existing one, the boundary on every
// role, the team key on every log group and the tags in the provider's
// default tags.
func TestComposedPlatformSynth(t *testing.T) {
	cfg := composedConfig(t)
	e := cfg.WithDefaults().Environments[0]
	app := stacktest.TestingApp(t)
	platform, err := stacks.NewPlatformApp(app, cfg)
	require.NoError(t, err)
	require.Len(t, platform.WebApps, 1)
	web := platform.WebApps[0]
	require.NotNil(t, web.Alb)
	require.NotNil(t, web.ImportedNetwork)
	require.Len(t, web.AdditionalServices, len(e.Services))
	j := gjson.Parse(*cdktf.Testing_Synth(web.Stack, new(false)))

	res := j.Get("resource")
	assert.False(t, res.Get("aws_vpc").Exists(), "no new VPC")
	assert.False(t, res.Get("aws_subnet").Exists(), "no new subnets")
	assert.Len(t, res.Get("aws_lb").Map(), 1, "one shared ALB")
	assert.Len(t, res.Get("aws_lb_target_group").Map(), 1+len(e.Services), "a target group per service")
	assert.Len(t, res.Get("aws_ecs_service").Map(), 1+len(e.Services))
	// One cluster: the services of services run in service's.
	clusters := res.Get("aws_ecs_cluster").Map()
	require.Len(t, clusters, 1, "one shared cluster")
	for _, svc := range web.AdditionalServices {
		assert.Nil(t, svc.Cluster)
		assert.Equal(t, *web.Service.ClusterArn, *svc.ClusterArn)
	}
	for id := range clusters {
		res.Get("aws_ecs_service").ForEach(func(_, s gjson.Result) bool {
			assert.Equal(t, "${aws_ecs_cluster."+id+".arn}", s.Get("cluster").String())
			return true
		})
	}
	assert.Len(t, res.Get("aws_wafv2_web_acl_association").Map(), 1, "one WAF association")

	// Listener rules: host (and path) per service, priorities as set or
	// defaulted.
	want := map[int64][]string{int64(stacks.DefaultServicePriority): {e.Domain}}
	for i, s := range e.Services {
		p := int64((i + 1) * stacks.AdditionalServicePriorityStep)
		if s.Priority != nil {
			p = int64(*s.Priority)
		}
		hosts := s.Hosts
		if hosts == nil {
			hosts = []string{s.Name + "." + e.Domain}
		}
		want[p] = hosts
	}
	got := map[int64][]string{}
	var paths []string
	for _, r := range res.Get("aws_lb_listener_rule").Map() {
		var hosts []string
		r.Get("condition").ForEach(func(_, c gjson.Result) bool {
			for _, h := range c.Get("host_header.values").Array() {
				hosts = append(hosts, h.String())
			}
			for _, p := range c.Get("path_pattern.values").Array() {
				paths = append(paths, p.String())
			}
			return true
		})
		got[r.Get("priority").Int()] = hosts
	}
	assert.Equal(t, want, got)
	assert.Equal(t, e.Services[0].PathPatterns, paths)

	// The existing VPC gets its flow log, endpoints and deny rules.
	for _, fl := range res.Get("aws_flow_log").Map() {
		assert.Equal(t, e.Vpc.Existing.VpcId, fl.Get("vpc_id").String())
	}
	assert.NotEmpty(t, res.Get("aws_flow_log").Map())
	var gateway int
	for _, ep := range res.Get("aws_vpc_endpoint").Map() {
		assert.Equal(t, e.Vpc.Existing.VpcId, ep.Get("vpc_id").String())
		if ep.Get("vpc_endpoint_type").String() == "Gateway" {
			gateway++
			var rts []string
			for _, r := range ep.Get("route_table_ids").Array() {
				rts = append(rts, r.String())
			}
			assert.ElementsMatch(t, e.Vpc.Existing.PrivateRouteTableIds, rts)
		}
	}
	assert.Equal(t, 1, gateway, "one S3 gateway endpoint")
	for _, rule := range res.Get("aws_network_acl_rule").Map() {
		assert.Equal(t, e.Vpc.Existing.NetworkAclIds[0], rule.Get("network_acl_id").String())
	}
	assert.NotEmpty(t, res.Get("aws_network_acl_rule").Map())

	// The boundary on every role, the team key on every log group.
	roles := res.Get("aws_iam_role").Map()
	assert.NotEmpty(t, roles)
	for id, r := range roles {
		assert.Equal(t, cfg.PermissionsBoundaryArn, r.Get("permissions_boundary").String(), "role %s", id)
	}
	groups := res.Get("aws_cloudwatch_log_group").Map()
	assert.NotEmpty(t, groups)
	for id, g := range groups {
		assert.Equal(t, e.KmsKeyArn, g.Get("kms_key_id").String(), "log group %s", id)
	}
	assert.True(t, j.Get("output."+stacks.OutputKmsKeyPolicyStatements).Exists())

	// Tags: the provider's default tags hold the merged tags.
	tags := j.Get("provider.aws.0.default_tags.0.tags")
	for k, v := range e.Tags {
		assert.Equal(t, v, tags.Get(k).String(), "default tag %s", k)
	}
	assert.Equal(t, cfg.Tags["CostCenter"], tags.Get("CostCenter").String())
	assert.Equal(t, e.Tags["Owner"], tags.Get("Owner").String(), "the environment's tag wins")
	assert.True(t, strings.HasPrefix(j.Get("output.url.value").String(), "https://"+e.Domain))

	boot := gjson.Parse(*cdktf.Testing_Synth(platform.Bootstrap.Stack, new(false)))
	assert.Equal(t, cfg.Tags["CostCenter"], boot.Get("provider.aws.0.default_tags.0.tags.CostCenter").String())
}
