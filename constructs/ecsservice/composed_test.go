package ecsservice_test

import (
	"bytes"
	"os"
	"sort"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// composedStackName is the stack of the composed estate (NewShop).
const composedStackName = "shop-composed"

// composedEstate is an existing estate in this package's account and
// region: a VPC given by IDs, a permissions boundary and cost tags.
func composedEstate() Estate {
	return Estate{
		Env: stacks.Env{Project: "shop", Environment: "test", AccountId: account, Region: region},
		Vpc: securevpc.VpcAttributes{
			VpcId: "vpc-0c0ffee0c0ffee000", CidrBlock: "10.70.0.0/16",
			AvailabilityZones:    []string{region + "a", region + "c"},
			PublicSubnetIds:      []string{"subnet-0c0ffee0c0ffee001", "subnet-0c0ffee0c0ffee002"},
			PrivateSubnetIds:     []string{"subnet-0c0ffee0c0ffee011", "subnet-0c0ffee0c0ffee012"},
			PrivateRouteTableIds: []string{"rtb-0c0ffee0c0ffee021", "rtb-0c0ffee0c0ffee022"},
		},
		PermissionsBoundaryArn: "arn:aws:iam::" + account + ":policy/team-boundary",
		Tags:                   map[string]string{"CostCenter": "cc-0042", "DataClass": "internal"},
	}
}

type composed struct {
	stack stacktest.Stack
	shop  *Shop
}

// composedShop synthesizes NewShop's stack once per test binary.
var composedShop = stacktest.Memo(func(t testing.TB) composed {
	var shop *Shop
	app := stacktest.SynthApp(t, func(app constructs.Construct) error {
		var err error
		shop, err = NewShop(app, composedStackName, composedEstate())
		return err
	})
	return composed{app.Stack(t, composedStackName), shop}
})

// TestComposed: the composed estate (two services on one shared ALB routed
// by host, one cluster, a VPC given by IDs, the team's key, a permissions
// boundary on every role, cost tags on every taggable resource, custom WAF
// rules, a web ACL in a second region through a provider alias) plans
// offline with the real provider, scans without an unaccepted HIGH or
// CRITICAL finding and passes the policy rule pack.
func TestComposed(t *testing.T) {
	c := composedShop(t)
	s, e := c.stack, composedEstate()
	ref := func(typ, path, attr string) string { return "${" + s.Ref(t, typ, path) + "." + attr + "}" }

	// The estate is used, not rebuilt: no VPC, subnet or route table; one
	// ALB, one cluster.
	for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_route_table", "aws_nat_gateway"} {
		assert.Empty(t, s.Resources(typ), typ)
	}
	assert.Len(t, s.Resources("aws_lb"), 1)
	assert.Len(t, s.Resources("aws_ecs_cluster"), 1)
	cluster := ref("aws_ecs_cluster", "cluster", "arn")
	for svc, hosts := range map[string][]string{"api": {"api.shop.example"}, "web": {"shop.example", "www.shop.example"}} {
		assert.Equal(t, cluster, s.Resource(t, "aws_ecs_service", svc+"/service").Get("cluster").String(), svc)
		rule := s.Resource(t, "aws_lb_listener_rule", svc+"/listener_rule")
		assert.Equal(t, ref("aws_lb_listener", "edge/https_listener", "arn"), rule.Get("listener_arn").String())
		assert.Equal(t, hosts, strs(rule.Get("condition.0.host_header.values")), svc)
		assert.Equal(t, e.Vpc.PrivateSubnetIds, strs(s.Resource(t, "aws_ecs_service", svc+"/service").Get("network_configuration.subnets")))
		// The team key encrypts the service's logs.
		assert.Equal(t, ref("aws_kms_key", "team_key", "arn"), s.Resource(t, "aws_cloudwatch_log_group", svc+"/log_group").Get("kms_key_id").String(), svc)
	}
	assert.Empty(t, resourcesUnder(s, "aws_kms_key", "api/", "web/"), "the services create no key of their own")

	// Every role carries the boundary.
	require.NotEmpty(t, s.Resources("aws_iam_role"))
	for id, r := range s.Resources("aws_iam_role") {
		assert.Equal(t, e.PermissionsBoundaryArn, r.Get("permissions_boundary").String(), id)
	}

	// Custom rules in both web ACLs; the edge one in the second region.
	assert.ElementsMatch(t, []string{"BlockAdminFromAbroad", "ApiKeyRate"}, ruleNames(c.shop.Waf.Config.CustomRules))
	waf := s.Resource(t, "aws_wafv2_web_acl", "waf/web_acl")
	for _, name := range []string{"BlockAdminFromAbroad", "ApiKeyRate"} {
		assert.True(t, waf.Get(`rule.#(name=="`+name+`")`).Exists(), name)
	}
	assert.Equal(t, ref("aws_lb", "edge/alb", "arn"), s.Resource(t, "aws_wafv2_web_acl_association", "waf/association").Get("resource_arn").String())
	cdn := s.Resource(t, "aws_wafv2_web_acl", "cdn_waf/web_acl")
	assert.Equal(t, "CLOUDFRONT", cdn.Get("scope").String())
	assert.Equal(t, "aws.edge", cdn.Get("provider").String())
	assert.Equal(t, wafacl.CloudfrontRegion, s.Get("provider.aws.#(alias==\"edge\").region").String())

	// Offline plan, in the package's one Terraform run (packagePlans).
	plan := packagePlans(t)[3]
	plan.RequireOnly(t, tfjson.ActionCreate, tfjson.ActionRead)
	var want []string
	for typ, rs := range s.JSON.Get("resource").Map() {
		for id := range rs.Map() {
			want = append(want, typ+"."+id)
		}
	}
	sort.Strings(want)
	assert.Equal(t, want, plan.Addresses(tfjson.ActionCreate), "the plan creates exactly the synthesized resources")

	// Cost tags on every taggable resource (every planned resource with
	// tags_all), next to the provider's default tags.
	taggable := 0
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		if _, ok := after["tags_all"]; !ok {
			if _, unknown := plan.AfterUnknown(rc.Address)["tags_all"]; !unknown {
				continue
			}
		}
		taggable++
		tags, _ := after["tags"].(map[string]any)
		for k, v := range e.Tags {
			assert.Equal(t, v, tags[k], "%s: tag %s", rc.Address, k)
		}
		if all, ok := after["tags_all"].(map[string]any); ok {
			assert.Equal(t, e.Env.Project, all["Project"], "%s: default tags", rc.Address)
		}
	}
	assert.Greater(t, taggable, 20, "taggable resources in the plan")

	// trivy: only the shared ALB's intended exposure and its SSE-S3 log
	// bucket are accepted.
	findings := stacktest.Scan(t, []stacktest.Stack{s},
		stacktest.Accept{ID: "AWS-0053", Path: "edge/alb", Reason: "the shared ALB is the shop's internet-facing front door by design"},
		stacktest.Accept{ID: "AWS-0132", Path: "edge/access_logs_encryption", Reason: "ALB access logs can only be delivered to SSE-S3 buckets"})
	stacktest.RequireNoFindings(t, findings, stacktest.High)

	// The policy rule pack: nothing at or above HIGH fails.
	rep, err := policy.Check(policy.StackFile{Name: s.Name, JSON: s.Raw})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	for _, f := range rep.Failing(policy.High) {
		t.Errorf("policy: %s", f)
	}
}

func resourcesUnder(s stacktest.Stack, typ string, prefixes ...string) []string {
	var out []string
	for id, r := range s.Resources(typ) {
		p := s.Path(r)
		for _, pre := range prefixes {
			if len(p) >= len(pre) && p[:len(pre)] == pre {
				out = append(out, id)
			}
		}
	}
	return out
}

func ruleNames(rules []wafacl.Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Name)
	}
	return out
}

// The README's "Composing with an existing estate" shows NewShop exactly as
// composed_example_test.go has it (and so as TestComposed tests it).
func TestComposedReadme(t *testing.T) {
	src, err := os.ReadFile("composed_example_test.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	from := bytes.Index(src, []byte("// Estate is what"))
	to := bytes.Index(src, []byte("// Two services on one shared ALB"))
	require.True(t, from >= 0 && to > from, "markers in composed_example_test.go")
	code := bytes.TrimSpace(src[from:to])
	assert.True(t, bytes.Contains(readme, code), "README.md must hold composed_example_test.go's Estate, Shop and NewShop verbatim")
}
