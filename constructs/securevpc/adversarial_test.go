package securevpc_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// rulesOf maps each problem's field to its rule.
func rulesOf(t *testing.T, err error) map[string]string {
	out := map[string]string{}
	for _, p := range problems(t, err) {
		out[p.Field] = p.Rule
	}
	return out
}

// TestAdversarial_ListTokens: an imported VPC's ID lists are passed on
// whole, so list tokens (a data source's ids) work alone there; lists used
// element by element (deny CIDRs, ACL ids, subnet CIDRs) refuse a list
// token at synth, and a SecureVpc's AZs keep their own rule.
func TestAdversarial_ListTokens(t *testing.T) {
	_, list := appTokens(t)
	imported := func() *securevpc.ImportedVpcConfig {
		return &securevpc.ImportedVpcConfig{AccountId: account, Region: region, Attributes: securevpc.VpcAttributes{
			VpcId: "vpc-0a1b2c3d4e5f60718", CidrBlock: "172.31.0.0/16",
			AvailabilityZones: list, PublicSubnetIds: list, PrivateSubnetIds: list, IsolatedSubnetIds: list,
			PublicRouteTableIds: list, PrivateRouteTableIds: list, IsolatedRouteTableIds: list,
		}}
	}
	c := imported()
	c.Endpoints = &securevpc.ImportedEndpointsConfig{}
	assert.NoError(t, c.Validate("existing"))

	c = imported()
	c.Attributes.PrivateSubnetIds = append(list, "subnet-0bbbbbbbbbbbbbbb0")
	assert.Equal(t, validate.ListTokenWithElementsRule, rulesOf(t, c.Validate("existing"))["Attributes.PrivateSubnetIds[0]"])
	c = imported()
	c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: list, DenyCidrBlocks: list}
	got := rulesOf(t, c.Validate("existing"))
	assert.Equal(t, validate.ListTokenRule, got["NetworkAcls.NetworkAclIds[0]"])
	assert.Equal(t, validate.ListTokenRule, got["NetworkAcls.DenyCidrBlocks[0]"])

	v := validConfig()
	v.PrivateSubnetCidrs = list
	var rules []string
	for _, p := range problems(t, v.Validate("net")) {
		if p.Field == "PrivateSubnetCidrs[0]" {
			rules = append(rules, p.Rule)
		}
	}
	assert.Equal(t, []string{validate.ListTokenRule}, rules, "one problem, no cascade")
	v = validConfig()
	v.AvailabilityZones = list
	assert.Contains(t, rulesOf(t, v.Validate("net"))["AvailabilityZones"], "must list the AZs")
}

// TestAdversarial_Configs: unusual valid VPCs (other partitions, /28
// subnets, 6 AZs) validate; bad input is a problem on the field.
func TestAdversarial_Configs(t *testing.T) {
	const acct = "111122223333"
	type C = securevpc.SecureVpcConfig
	in := func(region string, f func(c *C)) *C {
		c := &C{AccountId: acct, Region: region, AvailabilityZoneCount: new(2)}
		f(c)
		return c
	}
	for name, c := range map[string]*C{
		"cn azs":            in("cn-north-1", func(c *C) { c.AvailabilityZoneCount, c.AvailabilityZones = nil, []string{"cn-north-1a", "cn-north-1b"} }),
		"gov endpoints":     in("us-gov-west-1", func(c *C) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"sts"} }),
		"apse2 /28 subnets": in("ap-southeast-2", func(c *C) { c.PublicSubnetPrefixLength, c.PrivateSubnetPrefixLength = new(28), new(28) }),
		"6 AZs":             in("eu-west-1", func(c *C) { c.AvailabilityZoneCount = new(6) }),
		"1-char name":       in("eu-west-1", func(c *C) { c.Name = "a" }),
		"flow agg 60":       in("eu-west-1", func(c *C) { c.FlowLogs.MaxAggregationIntervalSeconds = new(60) }),
	} {
		t.Run("valid "+name, func(t *testing.T) { assert.NoError(t, c.Validate("net")) })
	}
	for name, tc := range map[string]struct {
		field string
		cfg   *C
	}{
		"az count 7":       {"AvailabilityZoneCount", in("eu-west-1", func(c *C) { c.AvailabilityZoneCount = new(7) })},
		"az ids":           {"AvailabilityZones[0]", in("eu-west-1", func(c *C) { c.AvailabilityZoneCount, c.AvailabilityZones = nil, []string{"euw1-az1", "euw1-az2"} })},
		"vpc /29":          {"CidrBlock", in("eu-west-1", func(c *C) { c.CidrBlock = "10.0.0.0/29" })},
		"vpc /8":           {"CidrBlock", in("eu-west-1", func(c *C) { c.CidrBlock = "10.0.0.0/8" })},
		"subnet /16 twice": {"PrivateSubnetPrefixLength", in("eu-west-1", func(c *C) { c.PrivateSubnetPrefixLength = new(16) })},
		"deny /0":          {"NetworkAcls.DenyCidrBlocks[0]", in("eu-west-1", func(c *C) { c.NetworkAcls.Enabled, c.NetworkAcls.DenyCidrBlocks = true, []string{"0.0.0.0/0"} })},
		"deny over quota":  {"NetworkAcls.DenyCidrBlocks", in("eu-west-1", func(c *C) { c.NetworkAcls.Enabled, c.NetworkAcls.DenyCidrBlocks = true, denyList(18) })},
		"quota 41":         {"NetworkAcls.RuleQuota", in("eu-west-1", func(c *C) { c.NetworkAcls.Enabled, c.NetworkAcls.RuleQuota = true, new(41) })},
		"endpoint twice":   {"Endpoints.AdditionalInterfaceEndpoints[1]", in("eu-west-1", func(c *C) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"sts", "sts"} })},
		"name 28":          {"Name", in("eu-west-1", func(c *C) { c.Name = strings.Repeat("n", 28) })},
		"Name tag":         {"Tags[Name]", in("eu-west-1", func(c *C) { c.Tags = map[string]string{"Name": "x"} })},
	} {
		t.Run("invalid "+name, func(t *testing.T) {
			assert.Contains(t, rulesOf(t, tc.cfg.Validate("net")), tc.field)
		})
	}
}

// TestAdversarial_SharedKeyAndBucketNames: VPCs whose names differ only in
// '-' and '_' share one flow-log key and one flow-log bucket; each adds
// its own statements (a Sid per name) instead of colliding.
func TestAdversarial_SharedKeyAndBucketNames(t *testing.T) {
	names := []string{"shop-prod", "shop_prod", "shopprod"}
	s := synth(t, func(stack cdktf.TerraformStack) {
		key, err := securekey.NewSecureKey(stack, "shared_key", &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/shared-flow-logs"})
		require.NoError(t, err)
		bucket, err := securebucket.NewSecureBucket(stack, "shared_bucket", &securebucket.SecureBucketConfig{
			BucketName: "shared-flow-logs-" + account, AccountId: account, Region: region, KmsKey: key})
		require.NoError(t, err)
		for i, n := range names {
			c := validConfig()
			c.Name, c.CidrBlock = n, fmt.Sprintf("10.%d.0.0/16", 40+i)
			c.FlowLogs.KmsKey = key
			_, err := securevpc.NewSecureVpc(stack, "cw_"+strconv.Itoa(i), &c)
			require.NoError(t, err, n)
			c = validConfig()
			c.Name, c.CidrBlock = n+"-s3", fmt.Sprintf("10.%d.0.0/16", 50+i)
			c.FlowLogs.Bucket, c.FlowLogs.BucketPrefix = bucket, n+"/"
			_, err = securevpc.NewSecureVpc(stack, "s3_"+strconv.Itoa(i), &c)
			require.NoError(t, err, n)
		}
	})
	keySids := sidsOf(t, stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "shared_key"), "policy"))
	bucketSids := sidsOf(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "shared_bucket_policy"), "policy"))
	for _, n := range names {
		group := "/aws/vpc/flow-logs/" + n
		assert.Equal(t, 1, keySids.count(func(st gjson.Result) bool {
			return strings.HasSuffix(st.Get("Condition.ArnEquals.kms:EncryptionContext:aws:logs:arn").String(), ":log-group:"+group)
		}), "one key statement for %s's log group", n)
		assert.Equal(t, 1, bucketSids.count(func(st gjson.Result) bool {
			return strings.HasSuffix(st.Get("Resource.0").String(), "/"+n+"/AWSLogs/"+account+"/*")
		}), "one bucket statement for %s's prefix", n)
	}
	assert.Len(t, keySids.distinct, len(keySids.all), "Sids are unique: %v", keySids.all)
	assert.Len(t, bucketSids.distinct, len(bucketSids.all), "Sids are unique: %v", bucketSids.all)
}

type sidList struct {
	all      []gjson.Result
	distinct map[string]bool
}

func (l sidList) count(match func(gjson.Result) bool) int {
	n := 0
	for _, st := range l.all {
		if match(st) {
			n++
		}
	}
	return n
}

func sidsOf(t *testing.T, doc gjson.Result) sidList {
	t.Helper()
	l := sidList{distinct: map[string]bool{}}
	for _, st := range doc.Get("Statement").Array() {
		l.all = append(l.all, st)
		l.distinct[st.Get("Sid").String()] = true
	}
	return l
}

// TestAdversarial_TokensInSynthTimeFields: what decides the resources the
// VPC builds (NAT mode, flow-log destination, endpoint services, the deny
// variable's name) is one validate.LiteralRule problem as a token; IDs,
// ARNs and the deny list may be tokens.
func TestAdversarial_TokensInSynthTimeFields(t *testing.T) {
	tok, list := appTokens(t)
	type C = securevpc.SecureVpcConfig
	for field, set := range map[string]func(c *C){
		"NatGateways":                               func(c *C) { c.NatGateways = securevpc.NatGatewayMode(tok) },
		"FlowLogs.LogDestinationType":               func(c *C) { c.FlowLogs.LogDestinationType = tok },
		"Endpoints.AdditionalInterfaceEndpoints[0]": func(c *C) { c.Endpoints.AdditionalInterfaceEndpoints = []string{tok} },
		"NetworkAcls.DenyCidrBlocksVariable": func(c *C) {
			c.NetworkAcls.Enabled, c.NetworkAcls.DenyCidrBlocksVariable = true, tok
		},
		"AccountId": func(c *C) { c.AccountId = tok },
	} {
		c := validConfig()
		set(&c)
		stacktest.RequireOnlyProblem(t, c.Validate("net"), field, validate.LiteralRule)
	}
	c := validConfig()
	c.PermissionsBoundary, c.FlowLogs.KmsKeyArn = tok, tok
	c.NetworkAcls.Enabled, c.NetworkAcls.DenyCidrBlocks = true, []string{tok}
	assert.NoError(t, c.Validate("net"))

	imported := &securevpc.ImportedVpcConfig{AccountId: account, Region: region, Attributes: securevpc.VpcAttributes{
		VpcId: tok, CidrBlock: "172.31.0.0/16", AvailabilityZones: list, PrivateSubnetIds: list, PrivateRouteTableIds: list,
	}, Endpoints: &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"ecr.api", tok}}}
	stacktest.RequireOnlyProblem(t, imported.Validate("existing"), "Endpoints.InterfaceEndpoints[1]", validate.LiteralRule)
}
