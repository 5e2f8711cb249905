package stacks_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// edit is a change to composedPlatform: old (which must occur) becomes new.
type edit struct{ old, new string }

func applyEdits(t *testing.T, edits []edit) string {
	t.Helper()
	text := composedPlatform
	for _, e := range edits {
		require.Contains(t, text, e.old)
		text = strings.Replace(text, e.old, e.new, 1)
	}
	return text
}

// withoutServices is composedPlatform with no services: service has its
// own ALB.
func withoutServices(t *testing.T) edit {
	i := strings.Index(composedPlatform, "    services:\n")
	j := strings.Index(composedPlatform, "    monitoring:\n")
	require.True(t, i > 0 && j > i)
	return edit{composedPlatform[i:j], ""}
}

// existingBlock replaces vpc.existing of composedPlatform with text.
func existingBlock(t *testing.T, text string) edit {
	i := strings.Index(composedPlatform, "      existing:\n")
	j := strings.Index(composedPlatform, "    service:\n")
	require.True(t, i > 0 && j > i)
	return edit{composedPlatform[i:j], text}
}

// TestComposedPlatformRules: each rule of the composition keys, failing
// (one problem, at the key's path and line) and passing.
func TestComposedPlatformRules(t *testing.T) {
	require.Empty(t, problemList(parse(t, composedPlatform)))
	other := `account: "444455556666"` // another account than the state's
	cases := []struct {
		name       string
		fail, pass []edit
		path, rule string
		// line is text that the problem's line holds.
		line string
	}{
		{name: "shared tag key reserved by AWS",
			fail: []edit{{"  CostCenter: cc-4711", `  "aws:cost": x`}},
			pass: []edit{{"  CostCenter: cc-4711", `  "cost/center:eu": x`}},
			path: "tags[aws:cost]", rule: `must not begin with "aws:"`, line: "aws:cost"},
		{name: "shared tag is a default tag",
			fail: []edit{{"  CostCenter: cc-4711", "  Project: x"}},
			pass: []edit{{"  CostCenter: cc-4711", "  ProjectCode: x"}},
			path: "tags.Project", rule: "is a default tag", line: "Project:"},
		{name: "environment tag is a default tag",
			fail: []edit{{"      DataClass: internal", "      Environment: x"}},
			pass: []edit{{"      DataClass: internal", "      EnvironmentClass: x"}},
			path: "environments.live.tags.Environment", rule: "is a default tag", line: "Environment:"},
		{name: "environment tag value too long",
			fail: []edit{{"      DataClass: internal", "      DataClass: " + strings.Repeat("x", 257)}},
			pass: []edit{{"      DataClass: internal", "      DataClass: " + strings.Repeat("x", 256)}},
			path: "environments.live.tags.DataClass", rule: "at most 256 characters", line: "DataClass:"},
		{name: "boundary is no managed policy",
			fail: []edit{{":policy/team-boundary", ":role/team-boundary"}},
			pass: []edit{{"arn:aws:iam::111122223333:policy/team-boundary", "arn:aws:iam::aws:policy/PowerUserAccess"}},
			path: "permissions_boundary_arn", rule: "managed policy", line: "permissions_boundary_arn:"},
		{name: "shared boundary in another account than an environment's",
			fail: []edit{{"  live:\n    account: \"111122223333\"", "  live:\n    " + other + "\n    hosted_zone_id: Z09EXAMPLELIVE1"}, {"eu-west-2:111122223333:key", "eu-west-2:444455556666:key"}},
			pass: []edit{{"  live:\n    account: \"111122223333\"", "  live:\n    " + other + "\n    hosted_zone_id: Z09EXAMPLELIVE1\n    permissions_boundary_arn: arn:aws:iam::444455556666:policy/team-boundary"}, {"eu-west-2:111122223333:key", "eu-west-2:444455556666:key"}},
			path: "permissions_boundary_arn", rule: "is the boundary of environments.live too", line: "permissions_boundary_arn:"},
		{name: "environment boundary in another account",
			fail: []edit{{"    kms_key_arn:", "    permissions_boundary_arn: arn:aws:iam::444455556666:policy/b\n    kms_key_arn:"}},
			pass: []edit{{"    kms_key_arn:", "    permissions_boundary_arn: arn:aws:iam::111122223333:policy/other-boundary\n    kms_key_arn:"}},
			path: "environments.live.permissions_boundary_arn", rule: "444455556666", line: "permissions_boundary_arn:"},
		{name: "team key in another region",
			fail: []edit{{"kms_key_arn: arn:aws:kms:eu-west-2:", "kms_key_arn: arn:aws:kms:eu-west-1:"}},
			pass: []edit{{"key/1234abcd-12ab-44cd-96ef-1234567890ab", "key/mrk-1234abcd12ab44cd96ef1234567890ab"}},
			path: "environments.live.kms_key_arn", rule: `must be in region "eu-west-2"`, line: "kms_key_arn:"},
		{name: "team key is an alias",
			fail: []edit{{"key/1234abcd-12ab-44cd-96ef-1234567890ab", "alias/team"}},
			path: "environments.live.kms_key_arn", rule: "KMS key", line: "kms_key_arn:"},

		{name: "service.hosts without services",
			fail: []edit{withoutServices(t), {"      container_port: 8080\n", "      container_port: 8080\n      hosts: [live.shop.example.org]\n"}},
			pass: []edit{withoutServices(t)},
			path: "environments.live.service.hosts", rule: "is only used with services", line: "hosts:"},
		{name: "service.path_patterns without services",
			fail: []edit{withoutServices(t), {"      container_port: 8080\n", "      container_port: 8080\n      path_patterns: [/app/*]\n"}},
			path: "environments.live.service.path_patterns", rule: "is only used with services", line: "path_patterns:"},
		{name: "service.priority without services",
			fail: []edit{withoutServices(t), {"      container_port: 8080\n", "      container_port: 8080\n      priority: 7\n"}},
			pass: []edit{{"      container_port: 8080\n", "      container_port: 8080\n      priority: 7\n"}},
			path: "environments.live.service.priority", rule: "is only used with services", line: "priority:"},
		{name: "services is a list",
			fail: []edit{{withoutServices(t).old, "    services: [api, admin]\n"}},
			path: "environments.live.services", rule: "must be a mapping", line: "services:"},
		{name: "service name",
			fail: []edit{{"      admin:\n", "      Admin_2:\n"}},
			pass: []edit{{"      admin:\n", "      admin-2:\n"}},
			path: "environments.live.services.Admin_2", rule: "service name must be lowercase", line: "Admin_2:"},
		{name: "service defined twice",
			fail: []edit{{"      admin:\n", "      api:\n"}},
			path: "environments.live.services.api", rule: "service names must be unique", line: "api:"},
		{name: "entry without image_tag",
			fail: []edit{{"        image_tag: \"1.2.0\"\n", ""}},
			path: "environments.live.services.admin.image_tag", rule: "is required", line: "admin:"},
		{name: "entry without container_port",
			fail: []edit{{"        container_port: 8081\n", ""}},
			path: "environments.live.services.admin.container_port", rule: "is required", line: "admin:"},
		{name: "ALB setting in an entry",
			fail: []edit{{"        container_port: 8081\n", "        container_port: 8081\n        deletion_protection: true\n"}},
			pass: []edit{{"      deletion_protection: false\n", "      deletion_protection: true\n"}},
			path: "environments.live.services.admin.deletion_protection", rule: "is a setting of the shared ALB", line: "deletion_protection:"},
		{name: "ingress CIDRs in an entry",
			fail: []edit{{"        container_port: 8081\n", "        container_port: 8081\n        ingress_cidrs: [198.51.100.0/24]\n"}},
			pass: []edit{{"      deletion_protection: false\n", "      deletion_protection: false\n      ingress_cidrs: [198.51.100.0/24]\n"}},
			path: "environments.live.services.admin.ingress_cidrs", rule: "is a setting of the shared ALB", line: "ingress_cidrs:"},
		{name: "rule quota in an entry",
			fail: []edit{{"        container_port: 8081\n", "        container_port: 8081\n        security_group_rule_quota: 100\n"}},
			pass: []edit{{"      deletion_protection: false\n", "      deletion_protection: false\n      security_group_rule_quota: 100\n"}},
			path: "environments.live.services.admin.security_group_rule_quota", rule: "is the account's quota", line: "security_group_rule_quota:"},
		{name: "host outside the domain",
			fail: []edit{{"hosts: [api.shop.example.org]", "hosts: [api.shop.example.net]"}},
			pass: []edit{{"hosts: [api.shop.example.org]", `hosts: ["*.api.shop.example.org", api.shop.example.org]`}},
			path: "environments.live.services.api.hosts[0]", rule: "must be domain shop.example.org or a name under it", line: "hosts:"},
		{name: "host no host pattern",
			fail: []edit{{"hosts: [api.shop.example.org]", `hosts: ["api!.shop.example.org"]`}},
			path: "environments.live.services.api.hosts[0]", rule: "must be a host name pattern", line: "hosts:"},
		{name: "too many hosts",
			fail: []edit{{"hosts: [api.shop.example.org]", "hosts: [a.shop.example.org, b.shop.example.org, c.shop.example.org, d.shop.example.org]"}},
			pass: []edit{{"hosts: [api.shop.example.org]", "hosts: [a.shop.example.org, b.shop.example.org, c.shop.example.org]"}},
			path: "environments.live.services.api.hosts", rule: "at most 3", line: "hosts:"},
		{name: "path pattern",
			fail: []edit{{`path_patterns: ["/v1/*"]`, `path_patterns: ["v1/*"]`}},
			pass: []edit{{`path_patterns: ["/v1/*"]`, `path_patterns: ["*.json"]`}},
			path: "environments.live.services.api.path_patterns[0]", rule: "must start with '/'", line: "path_patterns:"},
		{name: "priority out of range",
			fail: []edit{{"priority: 5", "priority: 0"}},
			pass: []edit{{"priority: 5", "priority: 50000"}},
			path: "environments.live.services.api.priority", rule: "1-50000", line: "priority:"},
		{name: "priority of two services",
			fail: []edit{{"priority: 5", "priority: 20"}}, // admin's default
			pass: []edit{{"priority: 5", "priority: 30"}},
			path: "environments.live.services.admin.priority", rule: `is also the listener rule priority of service "api"`, line: "admin:"},
		{name: "priority of an entry and service",
			fail: []edit{{"priority: 5", "priority: 1000"}},
			pass: []edit{{"priority: 5", "priority: 1000"}, {"      deletion_protection: false\n", "      deletion_protection: false\n      priority: 1\n"}},
			path: "environments.live.services.api.priority", rule: `is also the listener rule priority of service "service"`, line: "priority:"},

		{name: "existing with availability zones",
			fail: []edit{{"      cidr: 10.40.0.0/16\n", "      cidr: 10.40.0.0/16\n      availability_zone_count: 2\n"}},
			path: "environments.live.vpc.availability_zone_count", rule: "must be unset with existing", line: "availability_zone_count:"},
		{name: "existing with NAT gateways",
			fail: []edit{{"      cidr: 10.40.0.0/16\n", "      cidr: 10.40.0.0/16\n      nat_gateways: SINGLE\n"}},
			path: "environments.live.vpc.nat_gateways", rule: "must be unset with existing", line: "nat_gateways:"},
		{name: "existing without vpc_id",
			fail: []edit{{"        vpc_id: vpc-0a1b2c3d4e5f60718\n", ""}},
			path: "environments.live.vpc.existing.vpc_id", rule: "is required", line: "existing:"},
		{name: "existing vpc_id shape",
			fail: []edit{{"vpc_id: vpc-0a1b2c3d4e5f60718", "vpc_id: vpc-0A1B"}},
			pass: []edit{{"vpc_id: vpc-0a1b2c3d4e5f60718", "vpc_id: vpc-0a1b2c3d"}},
			path: "environments.live.vpc.existing.vpc_id", rule: "must be a VPC ID", line: "vpc_id:"},
		{name: "existing with one public subnet",
			fail: []edit{{"public_subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2]", "public_subnet_ids: [subnet-0aaaaaaaaaaaaaaa1]"}},
			path: "environments.live.vpc.existing.public_subnet_ids", rule: "at least two subnets", line: "public_subnet_ids:"},
		{name: "existing without private subnets",
			fail: []edit{{"        private_subnet_ids: [subnet-0bbbbbbbbbbbbbbb1, subnet-0bbbbbbbbbbbbbbb2]\n", ""}},
			path: "environments.live.vpc.existing.private_subnet_ids", rule: "is required", line: "existing:"},
		{name: "existing subnet ID shape",
			fail: []edit{{"subnet-0bbbbbbbbbbbbbbb2]", "sub-0bbbbbbbbbbbbbbb2]"}},
			path: "environments.live.vpc.existing.private_subnet_ids[1]", rule: "subnet", line: "private_subnet_ids:"},
		{name: "existing without route tables",
			fail: []edit{{"        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]\n", ""}},
			pass: []edit{{"        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]\n", "        s3_prefix_list_id: pl-0123abcd\n"}},
			path: "environments.live.vpc.existing.private_route_table_ids", rule: "is required with endpoints", line: "existing:"},
		{name: "existing without route tables or endpoints",
			fail: []edit{{"        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]\n", "        endpoints: false\n"}},
			pass: []edit{{"        private_route_table_ids: [rtb-0ccccccccccccccc1, rtb-0ccccccccccccccc2]\n", "        endpoints: false\n        flow_logs: false\n        s3_prefix_list_id: pl-0123abcd\n"}},
			path: "environments.live.vpc.existing.s3_prefix_list_id", rule: "is required with endpoints: false", line: "existing:"},
		{name: "existing endpoints not a boolean",
			fail: []edit{{"        network_acl_ids:", "        endpoints: yes\n        network_acl_ids:"}},
			pass: []edit{{"        network_acl_ids:", "        endpoints: true\n        network_acl_ids:"}},
			path: "environments.live.vpc.existing.endpoints", rule: "must be true or false", line: "endpoints:"},
		{name: "existing misspelt key",
			fail: []edit{{"        network_acl_ids:", "        network_acls_ids:"}},
			path: "environments.live.vpc.existing.network_acls_ids", rule: `did you mean "network_acl_ids"?`, line: "network_acls_ids:"},
		{name: "existing network ACL ID shape",
			fail: []edit{{"[acl-0ddddddddddddddd1]", "[nacl-0ddddddddddddddd1]"}},
			path: "environments.live.vpc.existing.network_acl_ids[0]", rule: "acl", line: "network_acl_ids:"},
		{name: "existing not a mapping",
			fail: []edit{existingBlock(t, "      existing: [vpc-0a1b2c3d4e5f60718]\n")},
			path: "environments.live.vpc.existing", rule: "must be a mapping", line: "existing:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := applyEdits(t, c.fail)
			probs := parse(t, text)
			p := requireProblem(t, probs, c.path, c.rule)
			assert.Len(t, probs, 1, "one mistake, one problem:\n%s", problemList(probs))
			lines := strings.Split(text, "\n")
			require.Greater(t, p.Line, 0, "positioned")
			assert.Contains(t, lines[p.Line-1], c.line, "line %d", p.Line)
			if c.pass != nil {
				assert.Empty(t, problemList(parse(t, applyEdits(t, c.pass))), "passing variant")
			}
		})
	}
}

// TestSharedExistingVpc: two environments in one existing VPC share its
// range; only one adds its endpoints, and each network ACL gets the deny
// rules of one environment.
func TestSharedExistingVpc(t *testing.T) {
	i := strings.Index(composedPlatform, "  live:\n")
	require.Positive(t, i)
	live := composedPlatform[i:]
	second := func(edits ...edit) string {
		s := strings.Replace(live, "  live:\n", "  stage:\n", 1)
		s = strings.Replace(s, "      guardduty_detector: true", "      guardduty_detector: false", 1)
		for _, e := range edits {
			require.Contains(t, s, e.old)
			s = strings.Replace(s, e.old, e.new, 1)
		}
		return composedPlatform + s
	}
	noEndpoints := edit{"        network_acl_ids: [acl-0ddddddddddddddd1]\n", "        endpoints: false\n        s3_prefix_list_id: pl-0123abcd\n"}

	assert.Empty(t, problemList(parse(t, second(noEndpoints))), "one VPC, two environments")
	cfg, err := stacks.ParsePlatformConfig("shared.yaml", []byte(second(noEndpoints)))
	require.NoError(t, err)
	platform, err := stacks.NewPlatformApp(stacktest.TestingApp(t), cfg)
	require.NoError(t, err, "both stacks build in one app")
	require.Len(t, platform.WebApps, 2)
	assert.Equal(t, platform.WebApps[0].ImportedNetwork.VpcAttributes().VpcId, platform.WebApps[1].ImportedNetwork.VpcAttributes().VpcId)
	// Same VPC ID in another region: another VPC, and its range overlaps.
	probs := parse(t, second(noEndpoints, edit{"    region: eu-west-2\n", "    region: eu-west-1\n"}, edit{"kms:eu-west-2", "kms:eu-west-1"}))
	requireProblem(t, probs, "environments.stage.vpc.cidr", "overlaps environments.live.vpc.cidr")

	text := second(noEndpoints, edit{"      cidr: 10.40.0.0/16", "      cidr: 10.40.0.0/17"})
	probs = parse(t, text)
	p := requireProblem(t, probs, "environments.stage.vpc.cidr", "must be 10.40.0.0/16, the cidr of the same VPC vpc-0a1b2c3d4e5f60718 in environments.live")
	assert.Len(t, probs, 1, problemList(probs))
	assert.Contains(t, strings.Split(text, "\n")[p.Line-1], "10.40.0.0/17")

	probs = parse(t, second(edit{"        network_acl_ids: [acl-0ddddddddddddddd1]\n", ""}))
	requireProblem(t, probs, "environments.stage.vpc.existing.endpoints", "environments.live adds the endpoints of VPC vpc-0a1b2c3d4e5f60718 already")
	assert.Len(t, probs, 1, problemList(probs))

	probs = parse(t, second(edit{"        network_acl_ids: [acl-0ddddddddddddddd1]\n", "        network_acl_ids: [acl-0eeeeeeeeeeeeeee1, acl-0ddddddddddddddd1]\n        endpoints: false\n        s3_prefix_list_id: pl-0123abcd\n"}))
	requireProblem(t, probs, "environments.stage.vpc.existing.network_acl_ids[1]", "environments.live adds its deny rules to this network ACL already")
	assert.Len(t, probs, 1, problemList(probs))
}

// The account's security group rule quota is one key for every service of
// the shared ALB: a value out of range is one problem there, and a
// service's own rules over it are reported there too.
func TestComposedRuleQuota(t *testing.T) {
	at := "      deletion_protection: false\n"
	probs := parse(t, applyEdits(t, []edit{{at, at + "      security_group_rule_quota: 0\n"}}))
	require.Len(t, probs, 1, "%s", problemList(probs))
	requireProblem(t, probs, "environments.live.service.security_group_rule_quota", "must be 1-1000")

	// Quota 2: the three services' outbound rules on the ALB's group.
	probs = parse(t, applyEdits(t, []edit{{at, at + "      security_group_rule_quota: 2\n"}}))
	require.Len(t, probs, 1, "%s", problemList(probs))
	requireProblem(t, probs, "environments.live.services", "needs 3 outbound rules")

	// Quota 1: the ALB's two inbound rules, and each service's outbound
	// rules (from the VPC: not a key of the file) on the quota's key.
	probs = parse(t, applyEdits(t, []edit{{at, at + "      security_group_rule_quota: 1\n"}}))
	requireProblem(t, probs, "environments.live.service.ingress_cidrs", "inbound rules")
	p := requireProblem(t, probs, "environments.live.service.security_group_rule_quota", "outbound rules")
	assert.Contains(t, p.Rule, "set security_group_rule_quota", "the file's key, not the Go field")
	for _, p := range probs {
		assert.Contains(t, []string{"environments.live.service.ingress_cidrs", "environments.live.service.security_group_rule_quota", "environments.live.services"}, p.Path, "%s", p)
	}
}
