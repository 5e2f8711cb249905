package securevpc_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// s3FlowLogs is the S3 flow-log destination of the "none" VPC.
const s3FlowLogs = "arn:aws:s3:::example-flow-logs/vpc/"

// The shared stack holds three VPCs that together cover every option:
//
//   - main: only the required fields (defaults everywhere), three AZs;
//   - single: single NAT, AZs from the data source, isolated tier, network
//     ACLs with a static and a variable deny list, extra endpoints;
//   - none: no NAT, S3 flow logs, a /20 VPC with custom prefix lengths and
//     pinned isolated CIDRs.
func configs() map[string]*securevpc.SecureVpcConfig {
	return map[string]*securevpc.SecureVpcConfig{
		"main": {AccountId: account, Region: region, AvailabilityZones: []string{region + "a", region + "b", region + "c"}},
		"single": {
			AccountId: account, Region: region, AvailabilityZoneCount: new(2), CidrBlock: "10.1.0.0/16",
			NatGateways:     securevpc.NatGatewaySingle,
			IsolatedSubnets: true,
			NetworkAcls: securevpc.NetworkAclsConfig{
				Enabled:                true,
				DenyCidrBlocks:         []string{"203.0.113.7/32", "198.51.100.0/24"},
				DenyCidrBlocksVariable: "blocked_cidr_blocks",
			},
			Endpoints: securevpc.EndpointsConfig{AdditionalInterfaceEndpoints: []string{"sts", "kms", "ssm"}},
		},
		"none": {
			AccountId: account, Region: region, AvailabilityZones: []string{region + "b", region + "d"}, CidrBlock: "10.2.0.0/20",
			PublicSubnetPrefixLength: new(26), PrivateSubnetPrefixLength: new(22),
			IsolatedSubnets: true, IsolatedSubnetCidrs: []string{"10.2.0.128/26", "10.2.12.0/24"},
			NatGateways: securevpc.NatGatewayNone,
			FlowLogs:    securevpc.FlowLogsConfig{LogDestinationType: "s3", LogDestination: s3FlowLogs},
		},
	}
}

var vpcNames = []string{"main", "single", "none"}

// defineShared adds the three VPCs to stack, plus outputs of the exposed
// values of "main" and "single".
func defineShared(t testing.TB, stack cdktf.TerraformStack) map[string]*securevpc.SecureVpc {
	out := map[string]*securevpc.SecureVpc{}
	cfgs := configs()
	for _, n := range vpcNames {
		x, err := securevpc.NewSecureVpc(stack, n, cfgs[n])
		require.NoError(t, err)
		out[n] = x
	}
	for _, n := range []string{"main", "single"} {
		x := out[n]
		values := map[string]any{
			"vpc_id": x.VpcId, "public_subnet_ids": x.PublicSubnetIds, "private_subnet_ids": x.PrivateSubnetIds,
			"isolated_subnet_ids": x.IsolatedSubnetIds, "public_route_table_id": x.PublicRouteTableId,
			"private_route_table_ids": x.PrivateRouteTableIds, "isolated_route_table_id": x.IsolatedRouteTableId,
			"flow_log_group_name": x.FlowLogGroupName, "flow_log_group_arn": x.FlowLogGroupArn,
			"endpoint_security_group_id": x.EndpointSecurityGroupId, "nat_gateway_ids": x.NatGatewayIds,
			"s3_prefix_list_id": x.S3PrefixListId,
		}
		names := make([]string, 0, len(values))
		for name := range values {
			names = append(names, name)
		}
		sort.Strings(names) // deterministic construct order
		for _, name := range names {
			o := cdktf.NewTerraformOutput(stack, jsii.String(n+"_"+name), &cdktf.TerraformOutputConfig{Value: values[name]})
			o.OverrideLogicalId(jsii.String(n + "_" + name))
		}
	}
	return out
}

var sharedVpcs map[string]*securevpc.SecureVpc

// sharedStack synthesizes the shared stack once per test binary. Its plan
// starts in the background at once, in one Terraform run with the unusual
// stack's (TestTerraformPlan and TestUnusualShapesPlan take them).
var sharedStack = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	s := synth(t, func(stack cdktf.TerraformStack) { sharedVpcs = defineShared(t, stack) })
	stacktest.PlanInBackground(s, unusualSynth(t))
	return s
})

// ref is "${<type>.<id>.<attr>}" of the resource at path.
func ref(t *testing.T, s stacktest.Stack, typ, path, attr string) string {
	t.Helper()
	return "${" + s.Ref(t, typ, path) + "." + attr + "}"
}

func strList(r gjson.Result) []string {
	var out []string
	for _, x := range r.Array() {
		out = append(out, x.String())
	}
	return out
}

// byVpc returns the resources of typ under the VPC construct n.
func byVpc(s stacktest.Stack, typ, n string) []gjson.Result {
	var out []gjson.Result
	for _, r := range s.Resources(typ) {
		if strings.HasPrefix(r.Get(`//.metadata.path`).String(), s.Name+"/"+n+"/") {
			out = append(out, r)
		}
	}
	return out
}

func TestVpcAndSubnets(t *testing.T) {
	s := sharedStack(t)
	v := s.Resource(t, "aws_vpc", "main/vpc")
	assert.Equal(t, "10.0.0.0/16", v.Get("cidr_block").String(), "default CIDR")
	assert.True(t, v.Get("enable_dns_support").Bool())
	assert.True(t, v.Get("enable_dns_hostnames").Bool())

	t.Run("no public IP on any subnet", func(t *testing.T) {
		subnets := s.Resources("aws_subnet")
		require.Len(t, subnets, 3*2+2*3+2*3)
		for id, sn := range subnets {
			assert.Equal(t, "false", sn.Get("map_public_ip_on_launch").Raw, id)
		}
	})

	// Tier CIDRs and AZs per VPC, in AZ order.
	type tier struct {
		azs, cidrs []string
	}
	var azsID string
	for id := range s.DataSources("aws_availability_zones") {
		azsID = id
	}
	singleAZ := func(i string) string {
		return "${element(data.aws_availability_zones." + azsID + ".names, " + i + ")}"
	}
	want := map[string]map[string]tier{
		"main": {
			"public":  {[]string{region + "a", region + "b", region + "c"}, []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}},
			"private": {[]string{region + "a", region + "b", region + "c"}, []string{"10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"}},
		},
		"single": {
			"public":   {[]string{singleAZ("0"), singleAZ("1")}, []string{"10.1.0.0/24", "10.1.1.0/24"}},
			"private":  {[]string{singleAZ("0"), singleAZ("1")}, []string{"10.1.16.0/20", "10.1.32.0/20"}},
			"isolated": {[]string{singleAZ("0"), singleAZ("1")}, []string{"10.1.2.0/24", "10.1.3.0/24"}},
		},
		"none": {
			"public":   {[]string{region + "b", region + "d"}, []string{"10.2.0.0/26", "10.2.0.64/26"}},
			"private":  {[]string{region + "b", region + "d"}, []string{"10.2.4.0/22", "10.2.8.0/22"}},
			"isolated": {[]string{region + "b", region + "d"}, []string{"10.2.0.128/26", "10.2.12.0/24"}},
		},
	}
	for n, tiers := range want {
		for tierName, w := range tiers {
			var azs, cidrs []string
			for i := range w.azs {
				sn := s.Resource(t, "aws_subnet", n+"/"+tierName+"_subnet_"+string(rune('0'+i)))
				azs = append(azs, sn.Get("availability_zone").String())
				cidrs = append(cidrs, sn.Get("cidr_block").String())
				assert.Equal(t, ref(t, s, "aws_vpc", n+"/vpc", "id"), sn.Get("vpc_id").String())
				assert.Equal(t, tierName, sn.Get("tags.Tier").String())
			}
			assert.Equal(t, w.azs, azs, "%s %s AZs", n, tierName)
			assert.Equal(t, w.cidrs, cidrs, "%s %s CIDRs", n, tierName)
			assert.Len(t, byVpcTier(s, n, tierName), len(w.azs), "%s %s subnet count", n, tierName)
		}
	}
	assert.Empty(t, byVpcTier(s, "main", "isolated"), "the isolated tier is off by default")
	assert.Equal(t, []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}, sharedVpcs["main"].PublicSubnetCidrs)
	assert.Nil(t, sharedVpcs["main"].IsolatedSubnetCidrs)
}

func byVpcTier(s stacktest.Stack, n, tier string) []gjson.Result {
	var out []gjson.Result
	for _, r := range byVpc(s, "aws_subnet", n) {
		if r.Get("tags.Tier").String() == tier {
			out = append(out, r)
		}
	}
	return out
}

func TestAvailabilityZonesFromDataSource(t *testing.T) {
	s := sharedStack(t)
	azs := s.DataSources("aws_availability_zones")
	require.Len(t, azs, 1, "only the single VPC reads AZs")
	for _, d := range azs {
		assert.Equal(t, stackName+"/single/azs", d.Get(`//.metadata.path`).String())
		assert.Equal(t, "available", d.Get("state").String())
		assert.JSONEq(t, `[{"name":"opt-in-status","values":["opt-in-not-required"]}]`, d.Get("filter").Raw)
		assert.Equal(t, "${length(self.names) >= 2}", d.Get("lifecycle.postcondition.0.condition").String())
	}
}

func TestRoutingAndNat(t *testing.T) {
	s := sharedStack(t)
	routes := func(rtRef string) []gjson.Result {
		var out []gjson.Result
		for _, r := range s.Resources("aws_route") {
			if r.Get("route_table_id").String() == rtRef {
				out = append(out, r)
			}
		}
		return out
	}
	assoc := func(subnetRef string) string {
		var out []string
		for _, a := range s.Resources("aws_route_table_association") {
			if a.Get("subnet_id").String() == subnetRef {
				out = append(out, a.Get("route_table_id").String())
			}
		}
		require.Len(t, out, 1, "subnet %s must have exactly one route table association", subnetRef)
		return out[0]
	}
	azCount := map[string]int{"main": 3, "single": 2, "none": 2}
	natCount := map[string]int{"main": 3, "single": 1, "none": 0}
	for _, n := range vpcNames {
		t.Run(n, func(t *testing.T) {
			// Public: one route table, default route to the internet gateway.
			pubRT := ref(t, s, "aws_route_table", n+"/public_route_table", "id")
			r := routes(pubRT)
			require.Len(t, r, 1)
			assert.Equal(t, "0.0.0.0/0", r[0].Get("destination_cidr_block").String())
			assert.Equal(t, ref(t, s, "aws_internet_gateway", n+"/internet_gateway", "id"), r[0].Get("gateway_id").String())

			assert.Len(t, byVpc(s, "aws_nat_gateway", n), natCount[n], "NAT gateways")
			assert.Len(t, byVpc(s, "aws_eip", n), natCount[n], "one EIP per NAT gateway")
			for i := 0; i < natCount[n]; i++ {
				nat := s.Resource(t, "aws_nat_gateway", n+"/nat_gateway_"+itoa(i))
				assert.Equal(t, ref(t, s, "aws_subnet", n+"/public_subnet_"+itoa(i), "id"), nat.Get("subnet_id").String(), "NAT %d sits in public subnet %d", i, i)
				assert.Equal(t, ref(t, s, "aws_eip", n+"/nat_eip_"+itoa(i), "allocation_id"), nat.Get("allocation_id").String())
				assert.Equal(t, "vpc", s.Resource(t, "aws_eip", n+"/nat_eip_"+itoa(i)).Get("domain").String())
			}

			for i := 0; i < azCount[n]; i++ {
				assert.Equal(t, pubRT, assoc(ref(t, s, "aws_subnet", n+"/public_subnet_"+itoa(i), "id")))
				// Private: one route table per AZ.
				privRT := ref(t, s, "aws_route_table", n+"/private_route_table_"+itoa(i), "id")
				assert.Equal(t, privRT, assoc(ref(t, s, "aws_subnet", n+"/private_subnet_"+itoa(i), "id")))
				pr := routes(privRT)
				switch n {
				case "none":
					assert.Empty(t, pr, "no NAT: private route tables have no default route")
				default:
					nat := i
					if n == "single" {
						nat = 0
					}
					require.Len(t, pr, 1)
					assert.Equal(t, "0.0.0.0/0", pr[0].Get("destination_cidr_block").String())
					assert.Equal(t, ref(t, s, "aws_nat_gateway", n+"/nat_gateway_"+itoa(nat), "id"), pr[0].Get("nat_gateway_id").String())
				}
			}
			if n != "main" {
				isoRT := ref(t, s, "aws_route_table", n+"/isolated_route_table", "id")
				assert.Empty(t, routes(isoRT), "the isolated tier has no route out of the VPC")
				assert.False(t, s.Resource(t, "aws_route_table", n+"/isolated_route_table").Get("route").Exists())
				for i := 0; i < azCount[n]; i++ {
					assert.Equal(t, isoRT, assoc(ref(t, s, "aws_subnet", n+"/isolated_subnet_"+itoa(i), "id")))
				}
			}
			// Every route in the VPC is one of the above.
			want := 1 + azCount[n]
			if n == "none" {
				want = 1
			}
			assert.Len(t, byVpc(s, "aws_route", n), want)
			// The main route table is managed with local routes only.
			assertEmptyList(t, s.Resource(t, "aws_default_route_table", n+"/default_route_table").Get("route"))
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestFlowLogsCloudWatch(t *testing.T) {
	s := sharedStack(t)
	fl := s.Resource(t, "aws_flow_log", "main/flow_log")
	assert.Equal(t, "ALL", fl.Get("traffic_type").String())
	assert.Equal(t, "cloud-watch-logs", fl.Get("log_destination_type").String())
	assert.Equal(t, ref(t, s, "aws_cloudwatch_log_group", "main/flow_log_group", "arn"), fl.Get("log_destination").String())
	assert.Equal(t, ref(t, s, "aws_iam_role", "main/flow_log_role", "arn"), fl.Get("iam_role_arn").String())
	assert.Equal(t, ref(t, s, "aws_vpc", "main/vpc", "id"), fl.Get("vpc_id").String())
	assert.EqualValues(t, 600, fl.Get("max_aggregation_interval").Int())

	lg := s.Resource(t, "aws_cloudwatch_log_group", "main/flow_log_group")
	assert.Equal(t, "/aws/vpc/flow-logs/main", lg.Get("name").String())
	assert.EqualValues(t, 365, lg.Get("retention_in_days").Int())
	assert.Equal(t, ref(t, s, "aws_kms_key", "main/flow_log_key", "arn"), lg.Get("kms_key_id").String(), "log group encrypted with the CMK")

	key := s.Resource(t, "aws_kms_key", "main/flow_log_key")
	assert.True(t, key.Get("enable_key_rotation").Bool())
	kp := stacktest.JSONDocument(t, key, "policy")
	logs := kp.Get(`Statement.#(Sid=="AllowCloudWatchLogs")`)
	require.True(t, logs.Exists(), "key policy lets CloudWatch Logs use the key")
	assert.Equal(t, "logs."+region+".amazonaws.com", logs.Get("Principal.Service").String())
	assert.Equal(t, "arn:aws:logs:"+region+":"+account+":log-group:/aws/vpc/flow-logs/main",
		logs.Get(`Condition.ArnEquals.kms:EncryptionContext:aws:logs:arn`).String(), "only for the flow-log group of this account and region")
	assert.Equal(t, "arn:aws:iam::"+account+":root", kp.Get(`Statement.#(Sid=="EnableRootAccountAdministration").Principal.AWS`).String())
	assert.Equal(t, "alias/main-vpc-flow-logs", s.Resource(t, "aws_kms_alias", "main/flow_log_key_alias").Get("name").String())

	role := s.Resource(t, "aws_iam_role", "main/flow_log_role")
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{
		"Sid":"AllowVpcFlowLogs","Effect":"Allow",
		"Principal":{"Service":"vpc-flow-logs.amazonaws.com"},
		"Action":["sts:AssumeRole"],
		"Condition":{
			"StringEquals":{"aws:SourceAccount":"`+account+`"},
			"ArnLike":{"aws:SourceArn":"arn:aws:ec2:`+region+`:`+account+`:vpc-flow-log/*"}}}]}`,
		stacktest.JSONDocument(t, role, "assume_role_policy").Raw)
	assert.Empty(t, role.Get("managed_policy_arns").Array())
	pols := s.Resources("aws_iam_role_policy")
	require.Len(t, pols, 2, "one inline policy per CloudWatch flow log (main, single)")
	pol := s.Resource(t, "aws_iam_role_policy", "main/flow_log_role_policy")
	assert.Equal(t, ref(t, s, "aws_iam_role", "main/flow_log_role", "id"), pol.Get("role").String())
	group := ref(t, s, "aws_cloudwatch_log_group", "main/flow_log_group", "arn")
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{
		"Sid":"WriteFlowLogGroup","Effect":"Allow",
		"Action":["logs:CreateLogStream","logs:DescribeLogStreams","logs:PutLogEvents"],
		"Resource":["`+group+`","`+group+`:log-stream:*"]}]}`, stacktest.JSONDocument(t, pol, "policy").Raw)
}

func TestFlowLogsS3(t *testing.T) {
	s := sharedStack(t)
	fl := s.Resource(t, "aws_flow_log", "none/flow_log")
	assert.Equal(t, "ALL", fl.Get("traffic_type").String())
	assert.Equal(t, "s3", fl.Get("log_destination_type").String())
	assert.Equal(t, s3FlowLogs, fl.Get("log_destination").String())
	assert.False(t, fl.Get("iam_role_arn").Exists(), "S3 delivery uses no role")
	assert.Empty(t, byVpc(s, "aws_cloudwatch_log_group", "none"))
	assert.Empty(t, byVpc(s, "aws_iam_role", "none"))
	assert.Empty(t, byVpc(s, "aws_kms_key", "none"))
	assert.Len(t, s.Resources("aws_flow_log"), 3, "every VPC has a flow log")
}

func TestLockedDefaults(t *testing.T) {
	s := sharedStack(t)
	for _, n := range vpcNames {
		sg := s.Resource(t, "aws_default_security_group", n+"/default_security_group")
		assert.Equal(t, ref(t, s, "aws_vpc", n+"/vpc", "id"), sg.Get("vpc_id").String())
		assertEmptyList(t, sg.Get("ingress"), "%s: default SG has no ingress rule", n)
		assertEmptyList(t, sg.Get("egress"), "%s: default SG has no egress rule", n)

		acl := s.Resource(t, "aws_default_network_acl", n+"/default_network_acl")
		assert.Equal(t, ref(t, s, "aws_vpc", n+"/vpc", "default_network_acl_id"), acl.Get("default_network_acl_id").String())
		assert.Equal(t, []string{"subnet_ids"}, strList(acl.Get("lifecycle.ignore_changes")))
	}
	// Without custom ACLs the subnets use the default ACL: allow all, as AWS does.
	acl := s.Resource(t, "aws_default_network_acl", "main/default_network_acl")
	allowAll := `[{"action":"allow","cidr_block":"0.0.0.0/0","from_port":0,"protocol":"-1","rule_no":100,"to_port":0}]`
	assert.JSONEq(t, allowAll, acl.Get("ingress").Raw)
	assert.JSONEq(t, allowAll, acl.Get("egress").Raw)
	// With custom ACLs the default ACL denies everything.
	acl = s.Resource(t, "aws_default_network_acl", "single/default_network_acl")
	assertEmptyList(t, acl.Get("ingress"))
	assertEmptyList(t, acl.Get("egress"))
}

func TestNetworkAcls(t *testing.T) {
	s := sharedStack(t)
	assert.Empty(t, byVpc(s, "aws_network_acl", "main"), "custom ACLs are off by default")
	assert.Empty(t, byVpc(s, "aws_network_acl_rule", "main"))
	require.True(t, s.Get("variable.blocked_cidr_blocks").Exists(), "the deny-list variable keeps the name it was given")

	variable := s.Get("variable.blocked_cidr_blocks")
	assert.Equal(t, "list(string)", variable.Get("type").String())
	assertEmptyList(t, variable.Get("default"))
	assert.Equal(t, "${length(var.blocked_cidr_blocks) <= 15}", variable.Get("validation.0.condition").String(), "17 deny rules minus 2 static entries")
	assert.Contains(t, variable.Get("validation.1.condition").String(), "cidrnetmask(c)")

	for _, tier := range []string{"public", "private", "isolated"} {
		t.Run(tier, func(t *testing.T) {
			acl := s.Resource(t, "aws_network_acl", "single/"+tier+"_network_acl")
			aclRef := ref(t, s, "aws_network_acl", "single/"+tier+"_network_acl", "id")
			var subnets []string
			for i := 0; i < 2; i++ {
				subnets = append(subnets, ref(t, s, "aws_subnet", "single/"+tier+"_subnet_"+itoa(i), "id"))
			}
			assert.Equal(t, subnets, strList(acl.Get("subnet_ids")))
			peer := "0.0.0.0/0"
			if tier == "isolated" {
				peer = "10.1.0.0/16"
			}
			type rule struct {
				Num           string
				Action, Proto string
				Cidr          string
				From, To      string
				IcmpT, IcmpC  string
				Count         string
			}
			for _, egress := range []bool{false, true} {
				var got []rule
				for _, r := range s.Resources("aws_network_acl_rule") {
					if r.Get("network_acl_id").String() == aclRef && r.Get("egress").Bool() == egress {
						got = append(got, rule{r.Get("rule_number").String(), r.Get("rule_action").String(), r.Get("protocol").String(),
							r.Get("cidr_block").String(), r.Get("from_port").String(), r.Get("to_port").String(),
							r.Get("icmp_type").String(), r.Get("icmp_code").String(), r.Get("count").String()})
					}
				}
				sort.Slice(got, func(i, j int) bool { return got[i].Num < got[j].Num })
				assert.Equal(t, []rule{
					{"${(count.index + 3)}", "deny", "-1", "${element(var.blocked_cidr_blocks, count.index)}", "0", "0", "", "", "${length(var.blocked_cidr_blocks)}"},
					{"1", "deny", "-1", "203.0.113.7/32", "0", "0", "", "", ""},
					{"100", "allow", "tcp", peer, "0", "65535", "", "", ""},
					{"110", "allow", "udp", peer, "0", "65535", "", "", ""},
					{"120", "allow", "icmp", peer, "", "", "-1", "-1", ""},
					{"2", "deny", "-1", "198.51.100.0/24", "0", "0", "", "", ""},
				}, got, "egress=%v", egress)
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	s := sharedStack(t)
	for _, n := range vpcNames {
		t.Run(n, func(t *testing.T) {
			privRTs := []string{}
			privSubnets := []string{}
			for i := 0; i < len(byVpcTier(s, n, "private")); i++ {
				privRTs = append(privRTs, ref(t, s, "aws_route_table", n+"/private_route_table_"+itoa(i), "id"))
				privSubnets = append(privSubnets, ref(t, s, "aws_subnet", n+"/private_subnet_"+itoa(i), "id"))
			}
			gw := s.Resource(t, "aws_vpc_endpoint", n+"/s3_gateway_endpoint")
			assert.Equal(t, "com.amazonaws."+region+".s3", gw.Get("service_name").String())
			assert.Equal(t, "Gateway", gw.Get("vpc_endpoint_type").String())
			assert.Equal(t, privRTs, strList(gw.Get("route_table_ids")), "S3 gateway endpoint on the private route tables only")

			sgRef := ref(t, s, "aws_security_group", n+"/endpoint_security_group", "id")
			cidr := s.Resource(t, "aws_vpc", n+"/vpc").Get("cidr_block").String()
			sg := s.Resource(t, "aws_security_group", n+"/endpoint_security_group")
			assert.Equal(t, ref(t, s, "aws_vpc", n+"/vpc", "id"), sg.Get("vpc_id").String())
			ing := sg.Get("ingress").Array()
			require.Len(t, ing, 1)
			assert.Equal(t, "tcp", ing[0].Get("protocol").String())
			assert.EqualValues(t, 443, ing[0].Get("from_port").Int())
			assert.EqualValues(t, 443, ing[0].Get("to_port").Int())
			assert.Equal(t, []string{cidr}, strList(ing[0].Get("cidr_blocks")), "HTTPS from the VPC CIDR only")
			assert.Empty(t, strList(ing[0].Get("security_groups")))
			assertEmptyList(t, sg.Get("egress"), "endpoints need no egress rule")

			services := []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"}
			if n == "single" {
				services = append(services, "sts", "kms", "ssm")
			}
			var got []string
			for _, e := range byVpc(s, "aws_vpc_endpoint", n) {
				if e.Get("vpc_endpoint_type").String() != "Interface" {
					continue
				}
				got = append(got, strings.TrimPrefix(e.Get("service_name").String(), "com.amazonaws."+region+"."))
				assert.True(t, e.Get("private_dns_enabled").Bool())
				assert.Equal(t, privSubnets, strList(e.Get("subnet_ids")))
				assert.Equal(t, []string{sgRef}, strList(e.Get("security_group_ids")))
			}
			sort.Strings(got)
			sort.Strings(services)
			assert.Equal(t, services, got)
		})
	}
}

func TestExposedValues(t *testing.T) {
	s := sharedStack(t)
	out := func(name string) gjson.Result { return s.Get("output." + name + ".value") }
	assert.Equal(t, ref(t, s, "aws_vpc", "main/vpc", "id"), out("main_vpc_id").String())
	assert.Equal(t, "10.0.0.0/16", sharedVpcs["main"].CidrBlock)
	for _, tc := range []struct {
		n, tier string
		count   int
	}{{"main", "public", 3}, {"main", "private", 3}, {"single", "public", 2}, {"single", "private", 2}, {"single", "isolated", 2}} {
		var want []string
		for i := 0; i < tc.count; i++ {
			want = append(want, ref(t, s, "aws_subnet", tc.n+"/"+tc.tier+"_subnet_"+itoa(i), "id"))
		}
		assert.Equal(t, want, strList(out(tc.n+"_"+tc.tier+"_subnet_ids")), "%s %s subnet IDs in AZ order", tc.n, tc.tier)
	}
	assert.Equal(t, ref(t, s, "aws_route_table", "main/public_route_table", "id"), out("main_public_route_table_id").String())
	assert.Equal(t, []string{
		ref(t, s, "aws_route_table", "main/private_route_table_0", "id"),
		ref(t, s, "aws_route_table", "main/private_route_table_1", "id"),
		ref(t, s, "aws_route_table", "main/private_route_table_2", "id"),
	}, strList(out("main_private_route_table_ids")))
	assert.Equal(t, ref(t, s, "aws_route_table", "single/isolated_route_table", "id"), out("single_isolated_route_table_id").String())
	assert.Equal(t, "", out("main_isolated_route_table_id").String())
	assert.Equal(t, ref(t, s, "aws_cloudwatch_log_group", "main/flow_log_group", "name"), out("main_flow_log_group_name").String())
	assert.Equal(t, ref(t, s, "aws_cloudwatch_log_group", "main/flow_log_group", "arn"), out("main_flow_log_group_arn").String())
	assert.Equal(t, ref(t, s, "aws_security_group", "main/endpoint_security_group", "id"), out("main_endpoint_security_group_id").String())
	assert.Equal(t, ref(t, s, "aws_vpc_endpoint", "main/s3_gateway_endpoint", "prefix_list_id"), out("main_s3_prefix_list_id").String())
	assert.Len(t, strList(out("main_nat_gateway_ids")), 3)
	assert.Len(t, strList(out("single_nat_gateway_ids")), 1)
	assert.Equal(t, securevpc.NatGatewayPerAz, sharedVpcs["main"].Config.NatGateways)
	assert.Equal(t, 365, *sharedVpcs["main"].Config.FlowLogs.RetentionInDays)
}

func TestDeterministic(t *testing.T) {
	first := sharedStack(t)
	second := synth(t, func(stack cdktf.TerraformStack) { defineShared(t, stack) })
	assert.Equal(t, string(first.Raw), string(second.Raw), "synthesizing twice must give identical JSON")
}

// TestTerraformPlan runs terraform init and plan (which validates first)
// over the shared stack (per-AZ NAT, single NAT and no NAT; AZs listed and
// from the data source) with the real provider, offline.
func TestTerraformPlan(t *testing.T) {
	s := sharedStack(t)
	plan := stacktest.PlanStack(t, s)
	created := plan.Addresses(tfjson.ActionCreate)
	reads := plan.Addresses(tfjson.ActionRead)
	require.Len(t, plan.ResourceChanges, len(created)+len(reads), "a fresh stack only creates")
	count := map[string]int{}
	for _, a := range created {
		count[strings.SplitN(a, ".", 2)[0]]++
	}
	assert.Equal(t, 3*2+2*3+2*3, count["aws_subnet"])
	assert.Equal(t, 3+1+0, count["aws_nat_gateway"], "per AZ + single + none")
	assert.Equal(t, 3, count["aws_flow_log"])
	// The variable defaults to [], so no variable-driven deny rule; static
	// ones: 2 CIDRs x 2 directions x 3 tiers; allow rules 3 x 2 x 3.
	assert.Equal(t, 12+18, count["aws_network_acl_rule"])
	// Planned values: the AZ list of the data-source VPC and public IPs.
	for _, rc := range plan.ResourceChanges {
		if rc.Type != "aws_subnet" {
			continue
		}
		after := rc.Change.After.(map[string]any)
		assert.Equal(t, false, after["map_public_ip_on_launch"], rc.Address)
		assert.Regexp(t, `^`+region+`[a-d]$`, after["availability_zone"], rc.Address)
	}
	single0 := plan.Change(s.Ref(t, "aws_subnet", "single/public_subnet_1"))
	require.NotNil(t, single0)
	assert.Equal(t, region+"b", single0.Change.After.(map[string]any)["availability_zone"], "second AZ of the data source")
}

// TestTrivy scans the shared stack with trivy config (through stacktest,
// which converts it to HCL so nested blocks reach trivy): no finding of
// MEDIUM or worse, except AWS-0105 on the internet-facing TCP allow rules
// of the opt-in network ACLs (public and private tier of "single"; the
// isolated tier only allows the VPC CIDR).
func TestTrivy(t *testing.T) {
	s := sharedStack(t)
	const why = "the opt-in network ACLs allow TCP from anywhere after the deny list: they are an incident-response " +
		"deny list in front of the security groups; the public tier's NAT gateways receive return traffic on ephemeral " +
		"ports 1024-65535, which include 3389, so the range cannot exclude RDP. SSH and RDP stay closed by every security group"
	findings := stacktest.Scan(t, []stacktest.Stack{s},
		stacktest.Accept{ID: "AWS-0105", Path: "single/public_ingress_allow_tcp", Reason: why},
		stacktest.Accept{ID: "AWS-0105", Path: "single/private_ingress_allow_tcp", Reason: why},
	)
	stacktest.RequireNoFindings(t, findings, stacktest.Medium)
}

// validConfig is the smallest valid config; each validation subtest breaks
// one rule of it.
func validConfig() securevpc.SecureVpcConfig {
	return securevpc.SecureVpcConfig{AccountId: account, Region: region, AvailabilityZones: []string{region + "a", region + "b"}}
}

func TestValidation(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("validation"))
	tests := []struct {
		name  string
		cfg   func(c *securevpc.SecureVpcConfig)
		field string
	}{
		{"account ID", func(c *securevpc.SecureVpcConfig) { c.AccountId = "1234" }, "AccountId"},
		{"region", func(c *securevpc.SecureVpcConfig) { c.Region = "us-east" }, "Region"},
		{"name", func(c *securevpc.SecureVpcConfig) { c.Name = "my vpc" }, "Name"},
		{"name too long", func(c *securevpc.SecureVpcConfig) { c.Name = strings.Repeat("a", 28) }, "Name"},
		{"invalid CIDR", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/33" }, "CidrBlock"},
		{"CIDR host bits", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.1.0/16" }, "CidrBlock"},
		{"CIDR too large", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/8" }, "CidrBlock"},
		{"IPv6 CIDR", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "2001:db8::/56" }, "CidrBlock"},
		{"no AZs", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = nil }, "AvailabilityZones"},
		{"one AZ", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a"} }, "AvailabilityZones"},
		{"seven AZs", func(c *securevpc.SecureVpcConfig) {
			c.AvailabilityZones = []string{region + "a", region + "b", region + "c", region + "d", region + "e", region + "f", region + "g"}
			c.PrivateSubnetPrefixLength = new(24)
		}, "AvailabilityZones"},
		{"duplicate AZ", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a", region + "a"} }, "AvailabilityZones[1]"},
		{"AZ of another region", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a", otherRegion + "b"} }, "AvailabilityZones[1]"},
		{"AZ list and count", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZoneCount = new(2) }, "AvailabilityZoneCount"},
		{"AZ count one", func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = nil; c.AvailabilityZoneCount = new(1) }, "AvailabilityZoneCount"},
		{"prefix out of range", func(c *securevpc.SecureVpcConfig) { c.PublicSubnetPrefixLength = new(29) }, "PublicSubnetPrefixLength"},
		{"prefix larger than VPC", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/20"; c.PrivateSubnetPrefixLength = new(18) }, "PrivateSubnetPrefixLength"},
		{"subnets do not fit", func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/20" }, "PrivateSubnetPrefixLength"},
		{"isolated subnets do not fit", func(c *securevpc.SecureVpcConfig) {
			c.CidrBlock = "10.0.0.0/22"
			c.PublicSubnetPrefixLength, c.PrivateSubnetPrefixLength = new(24), new(24)
			c.IsolatedSubnets = true
		}, "IsolatedSubnetPrefixLength"},
		{"isolated prefix without tier", func(c *securevpc.SecureVpcConfig) { c.IsolatedSubnetPrefixLength = new(24) }, "IsolatedSubnetPrefixLength"},
		{"isolated CIDRs without tier", func(c *securevpc.SecureVpcConfig) { c.IsolatedSubnetCidrs = []string{"10.0.200.0/24", "10.0.201.0/24"} }, "IsolatedSubnetCidrs"},
		{"pinned CIDR count", func(c *securevpc.SecureVpcConfig) { c.PublicSubnetCidrs = []string{"10.0.0.0/24"} }, "PublicSubnetCidrs"},
		{"pinned CIDR invalid", func(c *securevpc.SecureVpcConfig) { c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.1/24"} }, "PublicSubnetCidrs[1]"},
		{"pinned CIDR outside VPC", func(c *securevpc.SecureVpcConfig) { c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.1.0.0/24"} }, "PublicSubnetCidrs[1]"},
		{"pinned CIDRs overlap", func(c *securevpc.SecureVpcConfig) {
			c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}
			c.PrivateSubnetCidrs = []string{"10.0.16.0/20", "10.0.1.0/26"}
		}, "PrivateSubnetCidrs[1]"},
		{"pinned CIDRs and prefix", func(c *securevpc.SecureVpcConfig) {
			c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}
			c.PublicSubnetPrefixLength = new(24)
		}, "PublicSubnetPrefixLength"},
		{"NAT mode", func(c *securevpc.SecureVpcConfig) { c.NatGateways = "TWO" }, "NatGateways"},
		{"no NAT and no endpoints", func(c *securevpc.SecureVpcConfig) {
			c.NatGateways = securevpc.NatGatewayNone
			c.Endpoints.Disabled = true
		}, "Endpoints.Disabled"},
		{"retention", func(c *securevpc.SecureVpcConfig) { c.FlowLogs.RetentionInDays = new(100) }, "FlowLogs.RetentionInDays"},
		{"traffic type", func(c *securevpc.SecureVpcConfig) { c.FlowLogs.TrafficType = "all" }, "FlowLogs.TrafficType"},
		{"aggregation interval", func(c *securevpc.SecureVpcConfig) { c.FlowLogs.MaxAggregationIntervalSeconds = new(300) }, "FlowLogs.MaxAggregationIntervalSeconds"},
		{"destination type", func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestinationType = "kinesis-data-firehose" }, "FlowLogs.LogDestinationType"},
		{"S3 without bucket", func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestinationType = "s3" }, "FlowLogs.LogDestination"},
		{"S3 bad ARN", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType = "s3"
			c.FlowLogs.LogDestination = "my-bucket"
		}, "FlowLogs.LogDestination"},
		{"S3 with retention", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs = securevpc.FlowLogsConfig{LogDestinationType: "s3", LogDestination: s3FlowLogs, RetentionInDays: new(365)}
		}, "FlowLogs.RetentionInDays"},
		{"CloudWatch with destination", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs = securevpc.FlowLogsConfig{LogDestinationType: "cloud-watch-logs", LogDestination: s3FlowLogs}
		}, "FlowLogs.LogDestination"},
		{"disabled flow logs with settings", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs = securevpc.FlowLogsConfig{Disabled: true, RetentionInDays: new(30)}
		}, "FlowLogs"},
		{"deny list without ACLs", func(c *securevpc.SecureVpcConfig) { c.NetworkAcls.DenyCidrBlocks = []string{"203.0.113.7/32"} }, "NetworkAcls.DenyCidrBlocks"},
		{"deny variable without ACLs", func(c *securevpc.SecureVpcConfig) { c.NetworkAcls.DenyCidrBlocksVariable = "blocked" }, "NetworkAcls.DenyCidrBlocksVariable"},
		{"bad deny CIDR", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"203.0.113.7"}}
		}, "NetworkAcls.DenyCidrBlocks[0]"},
		{"IPv6 deny CIDR", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"2001:db8::/64"}}
		}, "NetworkAcls.DenyCidrBlocks[0]"},
		{"deny CIDR overlaps VPC", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"0.0.0.0/0"}}
		}, "NetworkAcls.DenyCidrBlocks[0]"},
		{"duplicate deny CIDR", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"203.0.113.7/32", "203.0.113.7/32"}}
		}, "NetworkAcls.DenyCidrBlocks[1]"},
		{"too many deny CIDRs", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls.Enabled = true
			for i := 0; i < 18; i++ {
				c.NetworkAcls.DenyCidrBlocks = append(c.NetworkAcls.DenyCidrBlocks, fmt.Sprintf("203.0.113.%d/32", i))
			}
		}, "NetworkAcls.DenyCidrBlocks"},
		{"deny variable without room", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: "blocked"}
			for i := 0; i < 17; i++ {
				c.NetworkAcls.DenyCidrBlocks = append(c.NetworkAcls.DenyCidrBlocks, fmt.Sprintf("203.0.113.%d/32", i))
			}
		}, "NetworkAcls.DenyCidrBlocksVariable"},
		{"deny variable name", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: "1blocked"}
		}, "NetworkAcls.DenyCidrBlocksVariable"},
		{"deny variable name reserved by Terraform", func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: "version"}
		}, "NetworkAcls.DenyCidrBlocksVariable"},
		{"name starts with sg-", func(c *securevpc.SecureVpcConfig) { c.Name = "sg-x" }, "Name"},
		{"name starts with SG-", func(c *securevpc.SecureVpcConfig) { c.Name = "SG-x" }, "Name"},
		{"S3 destination text around a token", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType = "s3"
			c.FlowLogs.LogDestination = "not an arn ${TfToken["
		}, "FlowLogs.LogDestination"},
		{"S3 destination text after a real token", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType = "s3"
			c.FlowLogs.LogDestination = "${TfToken[TOKEN.1]}/${var.x}"
		}, "FlowLogs.LogDestination"},
		{"S3 destination folder with interpolation", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType = "s3"
			c.FlowLogs.LogDestination = "arn:aws:s3:::example-flow-logs/${var.x}/"
		}, "FlowLogs.LogDestination"},
		{"S3 destination bucket formatted as an IP", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType = "s3"
			c.FlowLogs.LogDestination = "arn:aws:s3:::192.168.5.4"
		}, "FlowLogs.LogDestination"},
		{"unknown endpoint", func(c *securevpc.SecureVpcConfig) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"s3"} }, "Endpoints.AdditionalInterfaceEndpoints[0]"},
		{"duplicate endpoint", func(c *securevpc.SecureVpcConfig) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"sts", "sts"} }, "Endpoints.AdditionalInterfaceEndpoints[1]"},
		{"endpoints disabled with extras", func(c *securevpc.SecureVpcConfig) {
			c.Endpoints = securevpc.EndpointsConfig{Disabled: true, AdditionalInterfaceEndpoints: []string{"sts"}}
		}, "Endpoints.AdditionalInterfaceEndpoints"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.cfg(&c)
			scope := cdktf.NewTerraformStack(app, jsii.String(fmt.Sprintf("s%d", i)))
			x, err := securevpc.NewSecureVpc(scope, "vpc", &c)
			require.Error(t, err)
			assert.Nil(t, x)
			var ve *validate.Error
			require.ErrorAs(t, err, &ve)
			var fields []string
			for _, p := range ve.Problems {
				fields = append(fields, p.Field)
			}
			assert.Equal(t, []string{tc.field}, fields, "exactly the broken rule is reported: %v", err)
			stacktest.RequireNoChildren(t, scope)
			assert.Equal(t, err.Error(), c.Validate("vpc").Error(), "Validate agrees with the constructor")
		})
	}

	t.Run("valid base config", func(t *testing.T) {
		c := validConfig()
		assert.NoError(t, c.Validate("vpc"))
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
		bucketArn := cdktf.NewTerraformVariable(cdktf.NewTerraformStack(app, jsii.String("s")), jsii.String("arn"), &cdktf.TerraformVariableConfig{}).StringValue()
		c.FlowLogs = securevpc.FlowLogsConfig{LogDestinationType: "s3", LogDestination: *bucketArn}
		assert.NoError(t, c.Validate("vpc"), "a cdktf token is accepted as the S3 destination")
		// A token that is not of this app would crash app.Synth().
		c.FlowLogs.LogDestination = "${TfToken[TOKEN.99999]}"
		assert.ErrorContains(t, c.Validate("vpc"), "does not belong to this app")
		// Literal text that looks like a token is a literal.
		c.FlowLogs.LogDestination = "TfToken[x"
		assert.ErrorContains(t, c.Validate("vpc"), "must be an S3 bucket ARN")
		c.FlowLogs.LogDestination = "arn:aws-cn:s3:::flow-logs"
		assert.ErrorContains(t, c.Validate("vpc"), `must be in partition "aws"`)
	})

	// The construct id: checked by NewSecureVpc (baseline.CheckScope) and,
	// when Name is empty, as the default Name; Validate(id) agrees except
	// for the scope (it cannot know the scope's children).
	for _, tc := range []struct {
		name, id, cfgName string
	}{
		{"empty id", "", ""},
		{"id with a space", "my vpc", ""},
		{"id with a space and a Name", "my vpc", "ok"},
		{"id too long for the default Name", strings.Repeat("a", 28), ""},
		{"id starting with sg- as the default Name", "sg-x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			c.Name = tc.cfgName
			scope := cdktf.NewTerraformStack(app, jsii.String("id-"+strings.NewReplacer(" ", "_").Replace(tc.name)))
			x, err := securevpc.NewSecureVpc(scope, tc.id, &c)
			assert.Nil(t, x)
			var ve *validate.Error
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, 1, "one mistake, one problem: %v", err)
			assert.Equal(t, "id", ve.Problems[0].Field)
			stacktest.RequireNoChildren(t, scope)
			assert.Equal(t, err.Error(), c.Validate(tc.id).Error(), "Validate agrees with the constructor")
		})
	}
	t.Run("id already used", func(t *testing.T) {
		scope := cdktf.NewTerraformStack(app, jsii.String("id-duplicate"))
		c := validConfig()
		_, err := securevpc.NewSecureVpc(scope, "vpc", &c)
		require.NoError(t, err)
		_, err = securevpc.NewSecureVpc(scope, "vpc", &c)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Problems, 1, "%v", err)
		assert.Equal(t, "id", ve.Problems[0].Field)
		assert.Contains(t, ve.Problems[0].Rule, "already used")
	})
	t.Run("nil scope", func(t *testing.T) {
		c := validConfig()
		_, err := securevpc.NewSecureVpc(nil, "vpc", &c)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		require.Len(t, ve.Problems, 1, "%v", err)
		assert.Equal(t, "scope", ve.Problems[0].Field)
	})
	t.Run("nil config", func(t *testing.T) {
		_, err := securevpc.NewSecureVpc(stack, "vpc", nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "config")
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("every problem in one error", func(t *testing.T) {
		c := securevpc.SecureVpcConfig{
			Region: region, CidrBlock: "10.0.0.0/33", AvailabilityZones: []string{region + "a"},
			FlowLogs:    securevpc.FlowLogsConfig{RetentionInDays: new(42)},
			NetworkAcls: securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"nope"}},
		}
		_, err := securevpc.NewSecureVpc(stack, "vpc", &c)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		var fields []string
		for _, p := range ve.Problems {
			fields = append(fields, p.Field)
		}
		assert.Equal(t, []string{"AccountId", "CidrBlock", "AvailabilityZones", "FlowLogs.RetentionInDays", "NetworkAcls.DenyCidrBlocks[0]"}, fields)
		stacktest.RequireNoChildren(t, stack)
	})
}

// assertEmptyList asserts that r is a JSON array with no element (present,
// so Terraform manages it as empty).
func assertEmptyList(t *testing.T, r gjson.Result, msgAndArgs ...any) {
	t.Helper()
	if assert.True(t, r.IsArray(), msgAndArgs...) {
		assert.Empty(t, r.Array(), msgAndArgs...)
	}
}

// TestOtherPartition builds a VPC in another partition, account and region
// (AWS GovCloud): every ARN the construct writes is in that partition.
func TestOtherPartition(t *testing.T) {
	gov := stacks.Env{Project: "securevpc-test", Environment: "gov", AccountId: "444455556666", Region: "us-gov-west-1"}
	s := synthIn(t, gov, func(stack cdktf.TerraformStack) {
		_, err := securevpc.NewSecureVpc(stack, "gov", &securevpc.SecureVpcConfig{
			AccountId: gov.AccountId, Region: gov.Region, AvailabilityZones: []string{gov.Region + "a", gov.Region + "b"},
		})
		require.NoError(t, err)
	})
	kp := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "gov/flow_log_key"), "policy")
	assert.Equal(t, "arn:aws-us-gov:iam::"+gov.AccountId+":root", kp.Get(`Statement.#(Sid=="EnableRootAccountAdministration").Principal.AWS`).String())
	assert.Equal(t, "arn:aws-us-gov:logs:"+gov.Region+":"+gov.AccountId+":log-group:/aws/vpc/flow-logs/gov",
		kp.Get(`Statement.#(Sid=="AllowCloudWatchLogs").Condition.ArnEquals.kms:EncryptionContext:aws:logs:arn`).String())
	trust := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role", "gov/flow_log_role"), "assume_role_policy")
	assert.Equal(t, "arn:aws-us-gov:ec2:"+gov.Region+":"+gov.AccountId+":vpc-flow-log/*", trust.Get("Statement.0.Condition.ArnLike.aws:SourceArn").String())
	assert.Equal(t, "com.amazonaws."+gov.Region+".s3", s.Resource(t, "aws_vpc_endpoint", "gov/s3_gateway_endpoint").Get("service_name").String())
	assert.Equal(t, []any{gov.AccountId}, s.Get("provider.aws.0.allowed_account_ids").Value())
}
