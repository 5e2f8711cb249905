package securevpc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The unusual stack: valid shapes off the reference path, as several
// constructs in ONE stack so that one terraform run plans them all.
//
//   - nonat: no NAT, 3 AZs, isolated tier, network ACLs with a raised rule
//     quota, a static deny list holding a token and the deny-list
//     variable; a task security group allowed to the endpoints;
//   - six: 6 AZs, flow logs off, extra endpoints;
//   - tiny: a /25 VPC filled exactly by /28 and /27 subnets, single NAT,
//     flow logs to a SecureBucket (SSE-KMS) in parquet, REJECT, 60 s;
//   - azdata: AZs from the data source, endpoints off, a brought key and a
//     permissions boundary;
//   - s3arn: flow logs to an S3 bucket ARN with a folder;
//   - cn, gov: other partitions through provider aliases (cn-north-1,
//     us-gov-west-1);
//   - existing: a VPC given by IDs with flow logs to the same bucket,
//     endpoints and deny rules in an existing ACL.
const (
	cnRegion  = "cn-north-1"
	govRegion = "us-gov-west-1"
	boundary  = "arn:aws:iam::" + account + ":policy/team-boundary"
	// govKeyArn is a key of GovCloud managed elsewhere.
	govKeyArn   = "arn:aws-us-gov:kms:" + govRegion + ":" + account + ":key/0b7a1d8e-3c2f-4e5a-9b6c-7d8e9f0a1b2c"
	externalArn = "arn:aws:s3:::vpc-test-external-logs/vpc/"
)

// importedAttrs is the existing VPC of the unusual stack.
var importedAttrs = securevpc.VpcAttributes{
	VpcId:                "vpc-0a1b2c3d4e5f60718",
	CidrBlock:            "172.31.0.0/16",
	PublicSubnetIds:      []string{"subnet-0aaaaaaaaaaaaaaa0", "subnet-0aaaaaaaaaaaaaaa1"},
	PrivateSubnetIds:     []string{"subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"},
	PrivateRouteTableIds: []string{"rtb-0ccccccccccccccc0", "rtb-0ccccccccccccccc1"},
}

type unusual struct {
	vpcs     map[string]*securevpc.SecureVpc
	existing *securevpc.ImportedVpc
	bucket   *securebucket.SecureBucket
	teamKey  *securekey.SecureKey
	tasks    securitygroup.SecurityGroup
}

func azs(r string, letters string) []string {
	var out []string
	for _, l := range letters {
		out = append(out, r+string(l))
	}
	return out
}

func defineUnusual(t testing.TB, stack cdktf.TerraformStack) *unusual {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region), AllowedAccountIds: jsii.Strings(account)})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
	cn := provider.NewAwsProvider(stack, jsii.String("aws_cn"), &provider.AwsProviderConfig{Alias: jsii.String("cn"), Region: jsii.String(cnRegion), AllowedAccountIds: jsii.Strings(account)})
	gov := provider.NewAwsProvider(stack, jsii.String("aws_gov"), &provider.AwsProviderConfig{Alias: jsii.String("gov"), Region: jsii.String(govRegion), AllowedAccountIds: jsii.Strings(account)})
	u := &unusual{vpcs: map[string]*securevpc.SecureVpc{}}
	var err error
	u.teamKey, err = securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/vpc-test-team"})
	require.NoError(t, err)
	logsKey, err := securekey.NewSecureKey(stack, "logs_key", &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/vpc-test-logs"})
	require.NoError(t, err)
	u.bucket, err = securebucket.NewSecureBucket(stack, "flow_logs", &securebucket.SecureBucketConfig{
		BucketName: "vpc-test-flow-logs-" + account, AccountId: account, Region: region, KmsKey: logsKey,
	})
	require.NoError(t, err)
	extraDeny := cdktf.NewTerraformVariable(stack, jsii.String("extra_deny"), &cdktf.TerraformVariableConfig{
		Type: jsii.String("string"), Default: jsii.String("192.0.2.0/24"),
	}).StringValue()

	cfgs := map[string]*securevpc.SecureVpcConfig{
		"nonat": {
			AccountId: account, Region: region, AvailabilityZones: azs(region, "abc"),
			NatGateways: securevpc.NatGatewayNone, IsolatedSubnets: true,
			NetworkAcls: securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(40),
				DenyCidrBlocks: []string{"203.0.113.7/32", *extraDeny}, DenyCidrBlocksVariable: "nonat_deny"},
		},
		"six": {
			AccountId: account, Region: region, AvailabilityZones: azs(region, "abcdef"), CidrBlock: "10.6.0.0/16",
			FlowLogs:  securevpc.FlowLogsConfig{Disabled: true},
			Endpoints: securevpc.EndpointsConfig{AdditionalInterfaceEndpoints: []string{"sts", "kms"}},
		},
		"tiny": {
			AccountId: account, Region: region, AvailabilityZones: azs(region, "ab"), CidrBlock: "10.9.0.0/25",
			PublicSubnetPrefixLength: new(28), PrivateSubnetPrefixLength: new(27), IsolatedSubnets: true, IsolatedSubnetPrefixLength: new(28),
			NatGateways: securevpc.NatGatewaySingle,
			FlowLogs: securevpc.FlowLogsConfig{Bucket: u.bucket, BucketPrefix: "tiny/", FileFormat: securevpc.FlowLogFileFormatParquet,
				HiveCompatiblePartitions: true, PerHourPartition: true, TrafficType: "REJECT", MaxAggregationIntervalSeconds: new(60)},
		},
		"azdata": {
			AccountId: account, Region: region, AvailabilityZoneCount: new(3), CidrBlock: "10.3.0.0/16",
			NatGateways: securevpc.NatGatewaySingle, Endpoints: securevpc.EndpointsConfig{Disabled: true},
			PermissionsBoundary: boundary,
			FlowLogs:            securevpc.FlowLogsConfig{KmsKey: u.teamKey, RetentionInDays: new(3653)},
		},
		"s3arn": {
			AccountId: account, Region: region, AvailabilityZones: azs(region, "bd"), CidrBlock: "10.4.0.0/16",
			FlowLogs: securevpc.FlowLogsConfig{LogDestination: externalArn},
		},
		"cn": {
			AccountId: account, Provider: cn, AvailabilityZones: azs(cnRegion, "ab"), CidrBlock: "10.20.0.0/16",
			Endpoints: securevpc.EndpointsConfig{AdditionalInterfaceEndpoints: []string{"sts", "monitoring", "kms"}},
		},
		"gov": {
			AccountId: account, Provider: gov, AvailabilityZones: azs(govRegion, "ab"), CidrBlock: "10.30.0.0/16",
			FlowLogs: securevpc.FlowLogsConfig{KmsKeyArn: govKeyArn}, PermissionsBoundary: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess",
		},
	}
	for _, n := range unusualNames {
		x, err := securevpc.NewSecureVpc(stack, n, cfgs[n])
		require.NoError(t, err, n)
		u.vpcs[n] = x
	}
	u.tasks = securitygroup.NewSecurityGroup(stack, jsii.String("tasks"), &securitygroup.SecurityGroupConfig{
		NamePrefix: jsii.String("tasks-"), Description: jsii.String("tasks"), VpcId: jsii.String(u.vpcs["nonat"].VpcId),
	})
	require.NoError(t, u.vpcs["nonat"].AllowEndpointAccessFrom(*u.tasks.Id()))
	require.NoError(t, u.vpcs["nonat"].AllowEndpointAccessFrom(*u.tasks.Id()), "allowing twice adds one rule")

	u.existing, err = securevpc.NewImportedVpc(stack, "existing", &securevpc.ImportedVpcConfig{
		AccountId: account, Region: region, Attributes: importedAttrs, PermissionsBoundary: boundary,
		Tags:      map[string]string{"CostCenter": "cc-42"},
		FlowLogs:  &securevpc.FlowLogsConfig{Bucket: u.bucket, BucketPrefix: "existing"},
		Endpoints: &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"ecr.api", "ecr.dkr", "logs"}},
		NetworkAcls: &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0ddddddddddddddd0"},
			DenyCidrBlocks: []string{"198.51.100.0/24"}, DenyCidrBlocksVariable: "existing_deny", FirstRuleNumber: new(50), MaxDenyRules: new(5)},
	})
	require.NoError(t, err)
	require.NoError(t, u.existing.AllowEndpointAccessFrom("sg-0eeeeeeeeeeeeeee0"))
	return u
}

var unusualNames = []string{"nonat", "six", "tiny", "azdata", "s3arn", "cn", "gov"}

var (
	unusualStack stacktest.Stack
	unusualVpcs  *unusual
)

func unusualSynth(t testing.TB) stacktest.Stack {
	t.Helper()
	if unusualStack.Raw == nil {
		unusualStack = stacktest.SynthStack(t, "vpc-unusual", func(stack cdktf.TerraformStack) { unusualVpcs = defineUnusual(t, stack) })
	}
	return unusualStack
}

func TestUnusualShapes(t *testing.T) {
	s := unusualSynth(t)
	u := unusualVpcs
	count := func(typ, n string) int { return len(byVpc(s, typ, n)) }

	t.Run("no NAT, 3 AZs, isolated tier", func(t *testing.T) {
		assert.Equal(t, 9, count("aws_subnet", "nonat"))
		assert.Zero(t, count("aws_nat_gateway", "nonat"))
		assert.Zero(t, count("aws_eip", "nonat"))
		assert.Len(t, byVpc(s, "aws_route", "nonat"), 1, "only the public default route")
		assert.Len(t, u.vpcs["nonat"].IsolatedSubnets, 3)
		// The raised quota leaves 40 - 3 allow rules - 2 static entries.
		assert.Equal(t, "${length(var.nonat_deny) <= 35}", s.Get("variable.nonat_deny.validation.0.condition").String())
		// A token in the static deny list passes through to Terraform.
		var tokenRules int
		for _, r := range byVpc(s, "aws_network_acl_rule", "nonat") {
			if r.Get("cidr_block").String() == "${var.extra_deny}" {
				tokenRules++
				assert.EqualValues(t, 2, r.Get("rule_number").Int())
			}
		}
		assert.Equal(t, 3*2, tokenRules, "one per tier and direction")
		sg := s.Resource(t, "aws_security_group", "nonat/endpoint_security_group")
		ing := sg.Get("ingress").Array()
		require.Len(t, ing, 2, "VPC CIDR + the task group, once")
		assert.Equal(t, []string{"10.0.0.0/16"}, strList(ing[0].Get("cidr_blocks")))
		assert.Equal(t, []string{ref(t, s, "aws_security_group", "tasks", "id")}, strList(ing[1].Get("security_groups")))
		assert.EqualValues(t, 443, ing[1].Get("from_port").Int())
	})

	t.Run("six AZs", func(t *testing.T) {
		assert.Equal(t, 12, count("aws_subnet", "six"))
		assert.Equal(t, 6, count("aws_nat_gateway", "six"))
		assert.Len(t, u.vpcs["six"].PrivateRouteTables, 6)
		assert.Zero(t, count("aws_flow_log", "six"))
		assert.Nil(t, u.vpcs["six"].FlowLog)
		for i, az := range azs(region, "abcdef") {
			assert.Equal(t, az, s.Resource(t, "aws_subnet", fmt.Sprintf("six/private_subnet_%d", i)).Get("availability_zone").String())
		}
	})

	t.Run("a /25 filled by /28 and /27 subnets", func(t *testing.T) {
		x := u.vpcs["tiny"]
		assert.Equal(t, []string{"10.9.0.0/28", "10.9.0.16/28"}, x.PublicSubnetCidrs)
		assert.Equal(t, []string{"10.9.0.32/27", "10.9.0.64/27"}, x.PrivateSubnetCidrs)
		assert.Equal(t, []string{"10.9.0.96/28", "10.9.0.112/28"}, x.IsolatedSubnetCidrs)
		// One more address does not fit: the nearest valid prefix length is suggested.
		c := x.Config
		c.Name, c.IsolatedSubnetPrefixLength = "tiny2", new(27)
		var ve *validate.Error
		require.ErrorAs(t, c.Validate("tiny2"), &ve)
		require.Len(t, ve.Problems, 1, "%v", ve)
		assert.Equal(t, "IsolatedSubnetPrefixLength", ve.Problems[0].Field)
		assert.Equal(t, "28", ve.Problems[0].Suggestion)
	})

	t.Run("flow logs to a SecureBucket", func(t *testing.T) {
		bucketArn := ref(t, s, "aws_s3_bucket", "flow_logs", "arn")
		fl := s.Resource(t, "aws_flow_log", "tiny/flow_log")
		assert.Equal(t, "s3", fl.Get("log_destination_type").String(), "a bucket means s3")
		assert.Equal(t, bucketArn+"/tiny/", fl.Get("log_destination").String())
		assert.Equal(t, "REJECT", fl.Get("traffic_type").String())
		assert.EqualValues(t, 60, fl.Get("max_aggregation_interval").Int())
		assert.JSONEq(t, `{"file_format":"parquet","hive_compatible_partitions":true,"per_hour_partition":true}`, fl.Get("destination_options").Raw)
		assert.Contains(t, strList(fl.Get("depends_on")), s.Ref(t, "aws_s3_bucket_policy", "flow_logs_policy"), "the bucket policy exists before the flow log")
		assert.False(t, fl.Get("iam_role_arn").Exists())

		// One bucket policy holds the TLS statements and both constructs'
		// delivery statements.
		require.Len(t, s.Resources("aws_s3_bucket_policy"), 1)
		pol := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "flow_logs_policy"), "policy")
		for n, folder := range map[string]string{"tiny": "tiny/", "existing": "existing/"} {
			w := pol.Get(`Statement.#(Sid=="FlowLogsWrite` + n + `")`)
			require.True(t, w.Exists(), n)
			assert.Equal(t, "delivery.logs.amazonaws.com", w.Get("Principal.Service").String())
			assert.Equal(t, []string{"s3:PutObject"}, strList(w.Get("Action")))
			assert.Equal(t, []string{bucketArn + "/" + folder + "AWSLogs/" + account + "/*"}, strList(w.Get("Resource")))
			assert.Equal(t, account, w.Get("Condition.StringEquals.aws:SourceAccount").String())
			assert.Equal(t, "bucket-owner-full-control", w.Get("Condition.StringEquals.s3:x-amz-acl").String())
			assert.Equal(t, "arn:aws:logs:"+region+":"+account+":*", w.Get("Condition.ArnLike.aws:SourceArn").String())
			acl := pol.Get(`Statement.#(Sid=="FlowLogsAclCheck` + n + `")`)
			assert.Equal(t, []string{bucketArn}, strList(acl.Get("Resource")))
		}
		assert.True(t, pol.Get(`Statement.#(Effect=="Deny")`).Exists(), "the TLS-only statements stay")
		// The bucket's key lets log delivery encrypt.
		kp := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "logs_key"), "policy")
		k := kp.Get(`Statement.#(Sid=="FlowLogsDeliverytiny")`)
		require.True(t, k.Exists())
		assert.Contains(t, strList(k.Get("Action")), "kms:GenerateDataKey*")
		assert.Equal(t, "delivery.logs.amazonaws.com", k.Get("Principal.Service").String())
		assert.Equal(t, u.vpcs["tiny"].FlowLogBucketKeyPolicyStatements[0].Sid, "FlowLogsDeliverytiny")
	})

	t.Run("flow logs to an S3 ARN", func(t *testing.T) {
		fl := s.Resource(t, "aws_flow_log", "s3arn/flow_log")
		assert.Equal(t, "s3", fl.Get("log_destination_type").String())
		assert.Equal(t, externalArn, fl.Get("log_destination").String())
		assert.False(t, fl.Get("destination_options").Exists(), "plain text, daily partitions: the defaults")
		stmts := u.vpcs["s3arn"].FlowLogBucketPolicyStatements
		require.Len(t, stmts, 2, "what the bucket owner must add")
		assert.Equal(t, []string{"arn:aws:s3:::vpc-test-external-logs"}, stmts[0].Resource)
		assert.Equal(t, []string{"arn:aws:s3:::vpc-test-external-logs/vpc/AWSLogs/" + account + "/*"}, stmts[1].Resource)
	})

	t.Run("AZs from the data source, brought key, permissions boundary", func(t *testing.T) {
		x := u.vpcs["azdata"]
		require.NotNil(t, x.AvailabilityZonesData)
		assert.Len(t, x.AvailabilityZones, 3)
		assert.Nil(t, x.FlowLogKey, "the team key is used, no key created")
		lg := s.Resource(t, "aws_cloudwatch_log_group", "azdata/flow_log_group")
		assert.Equal(t, ref(t, s, "aws_kms_key", "team_key", "arn"), lg.Get("kms_key_id").String())
		assert.EqualValues(t, 3653, lg.Get("retention_in_days").Int())
		kp := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "team_key"), "policy")
		st := kp.Get(`Statement.#(Sid=="AllowCloudWatchLogsFlowLogsazdata")`)
		require.True(t, st.Exists(), "the statement CloudWatch Logs needs was added to the team key")
		assert.Equal(t, "arn:aws:logs:"+region+":"+account+":log-group:/aws/vpc/flow-logs/azdata", st.Get(`Condition.ArnEquals.kms:EncryptionContext:aws:logs:arn`).String())
		assert.Equal(t, boundary, s.Resource(t, "aws_iam_role", "azdata/flow_log_role").Get("permissions_boundary").String())
		assert.False(t, s.Resource(t, "aws_iam_role", "nonat/flow_log_role").Get("permissions_boundary").Exists(), "no boundary unless asked")
		assert.Zero(t, count("aws_vpc_endpoint", "azdata"))
		assert.Nil(t, x.S3GatewayEndpoint)
		assert.Equal(t, "", x.S3PrefixListId)
	})

	t.Run("China and GovCloud", func(t *testing.T) {
		names := func(n string) map[string]string {
			out := map[string]string{}
			for _, e := range byVpc(s, "aws_vpc_endpoint", n) {
				_, rest, _ := strings.Cut(e.Get(`//.metadata.path`).String(), "/"+n+"/")
				out[rest] = e.Get("service_name").String()
			}
			return out
		}
		assert.Equal(t, map[string]string{
			"s3_gateway_endpoint":     "com.amazonaws." + cnRegion + ".s3",
			"ecr_api_endpoint":        "cn.com.amazonaws." + cnRegion + ".ecr.api",
			"ecr_dkr_endpoint":        "cn.com.amazonaws." + cnRegion + ".ecr.dkr",
			"logs_endpoint":           "com.amazonaws." + cnRegion + ".logs",
			"secretsmanager_endpoint": "com.amazonaws." + cnRegion + ".secretsmanager",
			"sts_endpoint":            "cn.com.amazonaws." + cnRegion + ".sts",
			"monitoring_endpoint":     "cn.com.amazonaws." + cnRegion + ".monitoring",
			"kms_endpoint":            "com.amazonaws." + cnRegion + ".kms",
		}, names("cn"))
		for path, name := range names("gov") {
			assert.True(t, strings.HasPrefix(name, "com.amazonaws."+govRegion+"."), "%s: %s", path, name)
		}
		for _, n := range []string{"cn", "gov"} {
			for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_vpc_endpoint", "aws_flow_log", "aws_iam_role"} {
				for _, r := range byVpc(s, typ, n) {
					assert.Equal(t, "aws."+n, r.Get("provider").String(), "%s %s", n, typ)
				}
			}
		}
		kp := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "cn/flow_log_key"), "policy")
		assert.Equal(t, "arn:aws-cn:iam::"+account+":root", kp.Get(`Statement.#(Sid=="EnableRootAccountAdministration").Principal.AWS`).String())
		trust := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role", "cn/flow_log_role"), "assume_role_policy")
		assert.Equal(t, "arn:aws-cn:ec2:"+cnRegion+":"+account+":vpc-flow-log/*", trust.Get("Statement.0.Condition.ArnLike.aws:SourceArn").String())
		assert.Equal(t, govKeyArn, s.Resource(t, "aws_cloudwatch_log_group", "gov/flow_log_group").Get("kms_key_id").String())
		assert.Equal(t, "arn:aws-us-gov:iam::aws:policy/PowerUserAccess", s.Resource(t, "aws_iam_role", "gov/flow_log_role").Get("permissions_boundary").String())
	})

	t.Run("a VPC given by IDs", func(t *testing.T) {
		x := u.existing
		assert.Empty(t, byVpc(s, "aws_vpc", "existing"), "no VPC is created")
		assert.Empty(t, byVpc(s, "aws_subnet", "existing"))
		fl := s.Resource(t, "aws_flow_log", "existing/flow_log")
		assert.Equal(t, importedAttrs.VpcId, fl.Get("vpc_id").String())
		assert.Equal(t, ref(t, s, "aws_s3_bucket", "flow_logs", "arn")+"/existing/", fl.Get("log_destination").String())
		assert.Equal(t, "cc-42", fl.Get("tags.CostCenter").String())
		gw := s.Resource(t, "aws_vpc_endpoint", "existing/s3_gateway_endpoint")
		assert.Equal(t, importedAttrs.VpcId, gw.Get("vpc_id").String())
		assert.Equal(t, importedAttrs.PrivateRouteTableIds, strList(gw.Get("route_table_ids")))
		for _, svc := range []string{"ecr_api", "ecr_dkr", "logs"} {
			e := s.Resource(t, "aws_vpc_endpoint", "existing/"+svc+"_endpoint")
			assert.Equal(t, importedAttrs.PrivateSubnetIds, strList(e.Get("subnet_ids")))
			assert.Equal(t, []string{ref(t, s, "aws_security_group", "existing/endpoint_security_group", "id")}, strList(e.Get("security_group_ids")))
		}
		assert.Len(t, byVpc(s, "aws_vpc_endpoint", "existing"), 4)
		ing := s.Resource(t, "aws_security_group", "existing/endpoint_security_group").Get("ingress").Array()
		require.Len(t, ing, 2)
		assert.Equal(t, []string{importedAttrs.CidrBlock}, strList(ing[0].Get("cidr_blocks")))
		assert.Equal(t, []string{"sg-0eeeeeeeeeeeeeee0"}, strList(ing[1].Get("security_groups")))
		rules := byVpc(s, "aws_network_acl_rule", "existing")
		require.Len(t, rules, 4, "static + variable, both directions")
		for _, r := range rules {
			assert.Equal(t, "acl-0ddddddddddddddd0", r.Get("network_acl_id").String())
			if r.Get("count").Exists() {
				assert.Equal(t, "${(count.index + 51)}", r.Get("rule_number").String())
			} else {
				assert.EqualValues(t, 50, r.Get("rule_number").Int())
			}
		}
		assert.Equal(t, "${length(var.existing_deny) <= 4}", s.Get("variable.existing_deny.validation.0.condition").String())
		assert.Empty(t, byVpc(s, "aws_iam_role", "existing"), "S3 delivery needs no role")

		// IVpc: both kinds give the same attributes shape.
		var vpcs []securevpc.IVpc = []securevpc.IVpc{x, u.vpcs["nonat"]}
		a := vpcs[0].VpcAttributes()
		assert.Equal(t, importedAttrs.PrivateSubnetIds, a.PrivateSubnetIds)
		assert.Equal(t, x.S3PrefixListId, a.S3PrefixListId, "filled from the endpoint it created")
		assert.Equal(t, x.EndpointSecurityGroupId, a.EndpointSecurityGroupId)
		a.PrivateSubnetIds[0] = "changed"
		assert.Equal(t, importedAttrs.PrivateSubnetIds, x.VpcAttributes().PrivateSubnetIds, "attributes are a copy")
		b := vpcs[1].VpcAttributes()
		n := u.vpcs["nonat"]
		assert.Equal(t, n.VpcId, b.VpcId)
		assert.Equal(t, n.PrivateSubnetIds, b.PrivateSubnetIds)
		assert.Equal(t, []string{n.PublicRouteTableId}, b.PublicRouteTableIds)
		assert.Equal(t, []string{n.IsolatedRouteTableId}, b.IsolatedRouteTableIds)
		assert.Equal(t, n.S3PrefixListId, b.S3PrefixListId)
	})

	t.Run("typed resources", func(t *testing.T) {
		x := u.vpcs["tiny"]
		// Every read of an attribute is a new token: compare what they
		// resolve to.
		same := func(want string, got *string) {
			t.Helper()
			opts := &cdktf.ResolveOptions{Scope: cdktf.TerraformStack_Of(x.Construct), Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat())}
			w, g := cdktf.Tokenization_Resolve(jsii.String(want), opts), cdktf.Tokenization_Resolve(got, opts)
			assert.Equal(t, w, g)
			assert.Contains(t, w, "${aws_")
		}
		for i, sn := range x.PrivateSubnets {
			same(x.PrivateSubnetIds[i], sn.Id())
		}
		same(x.PublicRouteTableId, x.PublicRouteTable.Id())
		same(x.IsolatedRouteTableId, x.IsolatedRouteTable.Id())
		assert.Len(t, x.NatGateways, 1)
		assert.Len(t, x.NatEips, 1)
		assert.Len(t, x.PrivateDefaultRoutes, 2)
		assert.NotNil(t, x.PublicDefaultRoute)
		same(x.InternetGatewayId, x.InternetGateway.Id())
		assert.Len(t, x.RouteTableAssociations[securevpc.TierIsolated], 2)
		assert.NotNil(t, x.DefaultSecurityGroup)
		assert.NotNil(t, x.DefaultRouteTable)
		assert.NotNil(t, x.DefaultNetworkAcl)
		same(x.FlowLogId, x.FlowLog.Id())
		assert.Len(t, x.InterfaceEndpoints, 4)
		same(x.InterfaceEndpointIds["logs"], x.InterfaceEndpoints["logs"].Id())
		n := u.vpcs["nonat"]
		assert.Len(t, n.NetworkAcls, 3)
		assert.Len(t, n.NetworkAclRules[securevpc.TierPublic], 6, "3 allow rules x 2 directions")
		assert.Len(t, n.DenyRules, 3*2*3, "(2 static + variable) x 2 directions x 3 tiers")
		same(n.FlowLogRoleArn, n.FlowLogRole.Arn())
		assert.NotNil(t, n.FlowLogRolePolicy)
		same(n.FlowLogGroupArn, n.FlowLogGroup.Arn())
	})
}

// TestUnusualShapesPlan runs terraform init, validate and plan over the
// unusual stack, offline, and checks planned values.
func TestUnusualShapesPlan(t *testing.T) {
	s := unusualSynth(t)
	plan := stacktest.PlanStack(t, s)
	created := plan.Addresses(tfjson.ActionCreate)
	reads := plan.Addresses(tfjson.ActionRead)
	require.Len(t, plan.ResourceChanges, len(created)+len(reads), "a fresh stack only creates")
	after := func(typ, path string) map[string]any {
		t.Helper()
		rc := plan.Change(s.Ref(t, typ, path))
		require.NotNil(t, rc, path)
		return rc.Change.After.(map[string]any)
	}
	assert.Equal(t, region+"c", after("aws_subnet", "azdata/private_subnet_2")["availability_zone"], "third AZ of the data source")
	assert.Equal(t, "10.9.0.112/28", after("aws_subnet", "tiny/isolated_subnet_1")["cidr_block"])
	assert.Equal(t, "cn.com.amazonaws."+cnRegion+".ecr.dkr", after("aws_vpc_endpoint", "cn/ecr_dkr_endpoint")["service_name"])
	assert.Equal(t, "com.amazonaws."+govRegion+".logs", after("aws_vpc_endpoint", "gov/logs_endpoint")["service_name"])
	assert.Equal(t, importedAttrs.VpcId, after("aws_vpc_endpoint", "existing/s3_gateway_endpoint")["vpc_id"])
	assert.Equal(t, boundary, after("aws_iam_role", "azdata/flow_log_role")["permissions_boundary"])
	acl := plan.Change(s.Ref(t, "aws_network_acl_rule", "existing/acl_0_ingress_deny_0"))
	require.NotNil(t, acl)
	assert.EqualValues(t, 50, acl.Change.After.(map[string]any)["rule_number"])
	opts := after("aws_flow_log", "tiny/flow_log")["destination_options"].([]any)
	require.Len(t, opts, 1)
	assert.Equal(t, "parquet", opts[0].(map[string]any)["file_format"])
	count := map[string]int{}
	for _, a := range created {
		count[strings.SplitN(a, ".", 2)[0]]++
	}
	assert.Equal(t, 9+12+6+6+4+4+4, count["aws_subnet"])
	assert.Equal(t, 0+6+1+1+2+2+2, count["aws_nat_gateway"])
	assert.Equal(t, 1+0+1+1+1+1+1+1, count["aws_flow_log"], "every VPC but six, plus the imported one")
}
