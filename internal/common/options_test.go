package common_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

const (
	account      = "444455556666"
	homeRegion   = "eu-west-1"
	secondRegion = "ap-southeast-2"
	alias        = "second"
)

var userTags = map[string]string{"CostCenter": "cc-1234", "Owner": "platform team", "a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6", "g": "7", "h": "8"}

// defineAll puts every construct of the module into stack, each with Tags
// and the aliased provider of the second region, and without AccountId and
// Region: they default from the provider.
func defineAll(t *testing.T, stack cdktf.TerraformStack) {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(homeRegion), AllowedAccountIds: jsii.Strings(account)})
	second := provider.NewAwsProvider(stack, jsii.String("aws_second"), &provider.AwsProviderConfig{
		Alias: jsii.String(alias), Region: jsii.String(secondRegion), AllowedAccountIds: jsii.Strings(account),
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))

	vpc, err := securevpc.NewSecureVpc(stack, "net", &securevpc.SecureVpcConfig{
		Tags: userTags, Provider: second,
		AvailabilityZones: []string{secondRegion + "a", secondRegion + "b"},
		IsolatedSubnets:   true,
		NetworkAcls:       securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"203.0.113.7/32"}, DenyCidrBlocksVariable: "net_deny"},
	})
	require.NoError(t, err)
	// The same hardening on a VPC given by IDs.
	_, err = securevpc.NewImportedVpc(stack, "existing_net", &securevpc.ImportedVpcConfig{
		Tags: userTags, Provider: second,
		Attributes: securevpc.VpcAttributes{VpcId: "vpc-0a1b2c3d", CidrBlock: "172.31.0.0/16",
			PrivateSubnetIds: []string{"subnet-0a1b2c3d"}, PrivateRouteTableIds: []string{"rtb-0a1b2c3d"}},
		FlowLogs:    &securevpc.FlowLogsConfig{},
		Endpoints:   &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"logs"}},
		NetworkAcls: &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"203.0.113.7/32"}},
	})
	require.NoError(t, err)
	svc, err := ecsservice.NewHardenedEcsService(stack, "web", &ecsservice.HardenedEcsServiceConfig{
		Tags: userTags, Provider: second,
		VpcId: vpc.VpcId, VpcCidr: vpc.CidrBlock, PublicSubnetIds: vpc.PublicSubnetIds, PrivateSubnetIds: vpc.PrivateSubnetIds,
		TaskEgressPrefixListIds: []string{vpc.S3PrefixListId},
		CreateEcrRepository:     true, ImageTag: "1.4.2", ContainerPort: 8080,
		EnableExecuteCommand:  true,
		CertificateDomainName: "app.example.com", Route53ZoneId: "Z0123456789ABCDEFGHIJ",
		RequestsPerTarget: new(500),
	})
	require.NoError(t, err)
	// A shared ALB and a service attached to it (target group, listener
	// rule, security group rules on the shared group).
	edge, err := loadbalancer.NewHardenedAlb(stack, "edge", &loadbalancer.HardenedAlbConfig{
		Tags: userTags, Provider: second,
		VpcId: vpc.VpcId, VpcCidr: vpc.CidrBlock, SubnetIds: vpc.PublicSubnetIds,
		CertificateDomainName: "*.example.com", CertificateSubjectAlternativeNames: []string{"example.com"}, Route53ZoneId: "Z0123456789ABCDEFGHIJ",
	})
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "api", &ecsservice.HardenedEcsServiceConfig{
		Tags: userTags, Provider: second,
		PrivateSubnetIds: vpc.PrivateSubnetIds, TaskEgressPrefixListIds: []string{vpc.S3PrefixListId},
		CreateEcrRepository: true, ImageTag: "1.4.2", ContainerPort: 8080,
		Attach: &ecsservice.Attachment{LoadBalancer: edge, Priority: 10, HostHeaders: []string{"api.example.com"}},
	})
	require.NoError(t, err)
	office, err := wafacl.NewIPSet(stack, "office", &wafacl.IPSetConfig{Tags: userTags, Provider: second, Addresses: []string{"203.0.113.0/24"}})
	require.NoError(t, err)
	waf, err := wafacl.NewWafAcl(stack, "waf", &wafacl.WafAclConfig{
		Tags: userTags, Provider: second, ResourceArn: *svc.LoadBalancer.Arn(),
		BlockedAddresses: []string{"198.51.100.0/24", "2001:db8::/32"}, AllowedAddresses: []string{"192.0.2.0/24", "2001:db8:1::/48"},
		CustomRules: []wafacl.Rule{{Name: "Office", Action: wafacl.ActionAllow, Statement: wafacl.IPSetReference{IPSet: office}}},
	})
	require.NoError(t, err)
	_, err = securitymonitoring.NewSecurityMonitoring(stack, "monitoring", &securitymonitoring.SecurityMonitoringConfig{
		Tags: userTags, Provider: second,
		Alb: &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: *svc.LoadBalancer.ArnSuffix(), TargetGroupArnSuffix: *svc.TargetGroup.ArnSuffix()},
		Ecs: []securitymonitoring.EcsAlarms{{ClusterName: *svc.ClusterName, ServiceName: *svc.Service.Name()}},
		Waf: &securitymonitoring.WafAlarms{WebAclMetricName: waf.MetricName},
	})
	require.NoError(t, err)
	_, err = statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Tags: userTags, Provider: second, Bucket: "options-test-state-" + account, LockTable: true,
	})
	require.NoError(t, err)
	key, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{Tags: userTags, Provider: second, Alias: "alias/options-test-team"})
	require.NoError(t, err)
	bucket, err := securebucket.NewSecureBucket(stack, "data", &securebucket.SecureBucketConfig{
		Tags: userTags, Provider: second, BucketName: "options-test-data-" + account, KmsKey: key,
		AccessLogs: &securebucket.AccessLogs{TargetBucket: "options-test-logs-" + account, TargetPrefix: "data/"},
	})
	require.NoError(t, err)
	_, err = bucket.GrantRead(grantRole(svc))
	require.NoError(t, err)
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("k1")), "a rejected key creates nothing")
}

// TestCommonOptions: with Tags and a provider alias of a second region on
// every construct, every resource and data source uses the alias, every
// resource type that has a tags attribute (AWS provider schema) carries
// the user's tags, and Region and AccountId come from the provider.
func TestCommonOptions(t *testing.T) {
	stack := stacktest.SynthStack(t, "options", func(stack cdktf.TerraformStack) { defineAll(t, stack) })
	again := stacktest.SynthStack(t, "options", func(stack cdktf.TerraformStack) { defineAll(t, stack) })
	require.Equal(t, string(stack.Raw), string(again.Raw), "tags (Go maps) synthesize deterministically")
	schema := stacktest.ProviderSchemas(t, stack)
	resources := schema.Schemas["registry.terraform.io/hashicorp/aws"].ResourceSchemas
	require.NotEmpty(t, resources, "AWS provider schema")

	tagged, untaggable := 0, map[string]bool{}
	for _, kind := range []string{"resource", "data"} {
		stack.Get(kind).ForEach(func(typ, byID gjson.Result) bool {
			byID.ForEach(func(id, r gjson.Result) bool {
				where := kind + "." + typ.String() + "." + id.String()
				assert.Equal(t, "aws."+alias, r.Get("provider").String(), "%s uses the aliased provider", where)
				if kind != "resource" {
					return true
				}
				rs, ok := resources[typ.String()]
				require.True(t, ok, "schema of %s", typ)
				if _, taggable := rs.Block.Attributes["tags"]; !taggable {
					untaggable[typ.String()] = true
					return true
				}
				tagged++
				for k, v := range userTags {
					assert.Equal(t, v, r.Get("tags."+gjson.Escape(k)).String(), "%s has tag %s", where, k)
				}
				return true
			})
			return true
		})
	}
	assert.Greater(t, tagged, 60, "taggable resources checked")
	t.Logf("%d tagged resources; types without tags: %v", tagged, untaggable)

	// Region and account came from the provider.
	policy := stacktest.JSONDocument(t, stack.Resource(t, "aws_kms_key", "net/flow_log_key"), "policy")
	assert.Contains(t, policy.Raw, "logs."+secondRegion+".amazonaws.com")
	assert.Contains(t, policy.Raw, "arn:aws:iam::"+account+":root")
	// ECS tasks inherit the service's tags.
	assert.Equal(t, "SERVICE", stack.Resource(t, "aws_ecs_service", "web/service").Get("propagate_tags").String())
}

func grantRole(s *ecsservice.HardenedEcsService) grant.Grantee { return grant.Role(s.TaskRole) }

// TestProviderMismatch: a construct's explicit Region or AccountId must
// match its provider's literal region and allowed_account_ids, and the
// provider must be in the construct's stack.
func TestProviderMismatch(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("a"))
	other := cdktf.NewTerraformStack(app, jsii.String("b"))
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(secondRegion), AllowedAccountIds: jsii.Strings(account)})
	foreign := provider.NewAwsProvider(other, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(secondRegion)})

	_, err := securekey.NewSecureKey(stack, "k1", &securekey.SecureKeyConfig{Provider: p, Region: homeRegion, AccountId: "111122223333"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Region = "`+homeRegion+`": must equal the region of Provider ("`+secondRegion+`")`)
	assert.Contains(t, err.Error(), `AccountId = "111122223333": must be one of the allowed_account_ids of Provider [`+account+`]`)

	_, err = securekey.NewSecureKey(stack, "k2", &securekey.SecureKeyConfig{Provider: foreign, AccountId: account})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Provider = \"b/aws\": must belong to the stack the construct is created in (a)")

	// Matching values, or none, are fine.
	_, err = securekey.NewSecureKey(stack, "k3", &securekey.SecureKeyConfig{Provider: p, Region: secondRegion})
	require.NoError(t, err)
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("k1")), "a rejected key creates nothing")
}
