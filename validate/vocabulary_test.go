package validate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// rule runs a rule function over inputs that must pass and inputs that
// must fail.
func rule(t *testing.T, name string, fn func(string) string, pass, fail []string) {
	t.Helper()
	for _, s := range pass {
		assert.Empty(t, fn(s), "%s(%q) should pass", name, s)
	}
	for _, s := range fail {
		assert.NotEmpty(t, fn(s), "%s(%q) should fail", name, s)
	}
}

func TestTokenDetection(t *testing.T) {
	for s, want := range map[string]bool{
		"${TfToken[TOKEN.1]}": true, "#{TfToken[TOKEN.12]}": true, "&{TfToken[Token.a:b_c-d.3]}": true,
		"arn:${TfToken[TOKEN.1]}:x": true,
		"TfToken[x":                 false, "${": false, "${var.project}": false, "${TfToken[]}": false, "${TfToken[a b]}": false, "": false,
	} {
		assert.Equal(t, want, validate.HasToken(s), s)
	}
	assert.True(t, validate.IsToken("${TfToken[TOKEN.1]}"))
	assert.False(t, validate.IsToken("x${TfToken[TOKEN.1]}"))
	assert.False(t, validate.IsToken("${TfToken[TOKEN.1]}${TfToken[TOKEN.2]}"))
	assert.True(t, validate.IsListToken([]string{"#{TfToken[TOKEN.4]}"}))
	assert.False(t, validate.IsListToken([]string{"${TfToken[TOKEN.4]}"}))
	assert.False(t, validate.IsListToken([]string{"#{TfToken[TOKEN.4]}", "subnet-1"}))
	assert.False(t, validate.IsNumberToken(42))
	assert.False(t, validate.IsNumberToken(math.NaN()))
}

func TestFragments(t *testing.T) {
	f := validate.Fragments("${TfToken[TOKEN.3]}:1.4.2")
	require.Len(t, f, 2)
	assert.Equal(t, validate.Fragment{Text: "${TfToken[TOKEN.3]}", Token: true}, f[0])
	assert.Equal(t, validate.Fragment{Text: ":1.4.2"}, f[1])
	assert.Equal(t, []validate.Fragment{{Text: "plain ${x}"}}, validate.Fragments("plain ${x}"))
	assert.Nil(t, validate.Fragments(""))
	assert.Len(t, validate.Fragments("a${TfToken[T.1]}b#{TfToken[T.2]}"), 4)
}

// TestTokensOfTheApp uses real tokens of a running app: they resolve, a
// made-up one does not, and Collector.Literal turns the latter into a
// problem instead of a crash at app.Synth().
func TestTokensOfTheApp(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	variable := cdktf.NewTerraformVariable(stack, jsii.String("v"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
	real := *variable.StringValue()
	list := *(*variable.ListValue())[0]
	num := *variable.NumberValue()
	require.True(t, validate.IsToken(real))
	assert.True(t, validate.IsNumberToken(num))
	assert.Empty(t, validate.UnresolvableToken(real))
	assert.Empty(t, validate.UnresolvableToken("prefix-"+real+"-suffix"))
	assert.Empty(t, validate.UnresolvableToken(list))
	assert.Equal(t, "${TfToken[TOKEN.99999]}", validate.UnresolvableToken(real+"/${TfToken[TOKEN.99999]}"))
	assert.Equal(t, "#{TfToken[TOKEN.99998]}", validate.UnresolvableToken("#{TfToken[TOKEN.99998]}"))

	v := validate.New("x")
	assert.True(t, v.Literal("A", "plain"))
	assert.False(t, v.Literal("B", real))
	assert.NoError(t, v.Err())
	assert.False(t, v.Literal("C", "${TfToken[TOKEN.99999]}"))
	assert.False(t, v.RequireLiteral("D", real))
	assert.False(t, v.RequireLiteral("E", "${var.x}"))
	assert.True(t, v.RequireLiteral("F", "plain"))
	assert.False(t, v.Tokens("G", []string{"a", real}))
	problems := v.Err().(*validate.Error).Problems
	require.Len(t, problems, 3)
	assert.Equal(t, "C", problems[0].Field)
	assert.Contains(t, problems[0].Rule, "does not belong to this app")
	assert.Equal(t, validate.LiteralRule, problems[1].Rule)
	assert.Equal(t, "E", problems[2].Field)

	// NeedLiteral: a token is one problem, and what derives from it none.
	v = validate.New("x")
	assert.True(t, v.NeedLiteral("Name", "web"))
	assert.False(t, v.NeedLiteral("Name", real))
	v.Add("RoleName", real+"-execution", "must be at most 64 characters")
	v.Suggest("Names", []string{"a", real + "-tg"}, "too long", "")
	v.Add("Other", "plain", "a problem of its own")
	other := *cdktf.NewTerraformVariable(stack, jsii.String("w"), &cdktf.TerraformVariableConfig{}).StringValue()
	v.Add("Unrelated", other, "a problem with another token")
	assert.False(t, v.NeedLiteral("LogGroupName", "/ecs/"+real), "a default derived from Name")
	problems = v.Err().(*validate.Error).Problems
	require.Len(t, problems, 3, "%v", problems)
	assert.Equal(t, validate.Problem{Field: "Name", Value: real, Rule: validate.LiteralRule}, problems[0])
	assert.Equal(t, "Other", problems[1].Field)
	assert.Equal(t, "Unrelated", problems[2].Field)
	// Enums and rule functions check literal text: a token is LiteralRule.
	v = validate.New("x")
	assert.False(t, v.OneOf("Mode", real, []string{"a", "b"}))
	assert.False(t, v.OneOf("Mode2", "c", []string{"a", "b"}))
	assert.False(t, v.Rule("Table", "pre-"+other, validate.DynamoDBTableName("pre-"+other)))
	assert.False(t, v.Rule("Table2", "a b", validate.DynamoDBTableName("a b")))
	assert.True(t, v.Rule("Table3", other, ""), "a passing rule passes")
	problems = v.Err().(*validate.Error).Problems
	require.Len(t, problems, 4)
	assert.Equal(t, validate.LiteralRule, problems[0].Rule)
	assert.Empty(t, problems[0].Suggestion)
	assert.Contains(t, problems[1].Rule, "must be one of")
	assert.Equal(t, validate.LiteralRule, problems[2].Rule)
	assert.NotEqual(t, validate.LiteralRule, problems[3].Rule)

	// A field ConfigTokens already reported gets no second problem.
	v = validate.New("x")
	v.Add("Name", "${TfToken[TOKEN.99999]}", "does not belong to this app")
	assert.False(t, v.NeedLiteral("Name", "${TfToken[TOKEN.99999]}"))
	assert.Len(t, v.Err().(*validate.Error).Problems, 1)
}

func TestRegionsAndPartitions(t *testing.T) {
	for r, p := range map[string]string{
		"us-east-1": "aws", "eu-west-1": "aws", "cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eu-isoe-west-1": "aws-iso-e",
		"us-isof-south-1": "aws-iso-f", "eusc-de-east-1": "aws-eusc",
		// Not (yet) known to the provider: from the prefix.
		"cn-south-9": "aws-cn", "us-isob-west-1": "aws-iso-b", "xx-new-1": "aws",
	} {
		assert.Equal(t, p, validate.PartitionOf(r), r)
	}
	assert.Equal(t, "amazonaws.com.cn", validate.DNSSuffix("aws-cn"))
	assert.Equal(t, "amazonaws.com", validate.DNSSuffix("aws"))
	assert.True(t, validate.Region("ap-southeast-7"))
	assert.False(t, validate.Region("ap-southeast-6"))
	assert.False(t, validate.Region("us-east1"))
	r, s := validate.RegionRule("us-east1")
	assert.NotEmpty(t, r)
	assert.Equal(t, "us-east-1", s)
	r, s = validate.RegionRule("EU-WEST-1")
	assert.NotEmpty(t, r)
	assert.Equal(t, "eu-west-1", s)
	r, s = validate.RegionRule("mars")
	assert.NotEmpty(t, r)
	assert.Empty(t, s)
	v := validate.New("x")
	assert.False(t, v.Region("Region", "eu-wset-1"))
	assert.Contains(t, v.Err().Error(), `did you mean "eu-west-1"?`)

	rule2 := func(az string) string { return validate.AvailabilityZoneRule(az, "eu-west-1") }
	rule(t, "AvailabilityZoneRule", rule2, []string{"eu-west-1a", "eu-west-1c"}, []string{"eu-west-1", "us-east-1a", "eu-west-1ab", "eu-west-11a"})
	assert.Empty(t, validate.AvailabilityZoneRule("us-east-1-bos-1a", "us-east-1"))
	rule(t, "AvailabilityZoneIDRule", validate.AvailabilityZoneIDRule, []string{"use1-az1", "euw1-az3"}, []string{"us-east-1a", "use1az1", ""})
}

func TestARN(t *testing.T) {
	a, ok := validate.ParseARN("arn:aws:kms:eu-west-1:111122223333:key/abc")
	require.True(t, ok)
	assert.Equal(t, validate.ARN{Partition: "aws", Service: "kms", Region: "eu-west-1", Account: "111122223333", Resource: "key/abc"}, a)
	assert.Equal(t, "key", a.ResourceType())
	assert.Equal(t, "abc", a.ResourceID())
	assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/abc", a.String())
	for _, bad := range []string{"", "arn:aws:kms", "aws:kms:r:a:key/x", "arn:gcp:kms:r:a:key/x", "arn:aws::r:a:x", "arn:aws:kms:r:a:"} {
		_, ok := validate.ParseARN(bad)
		assert.False(t, ok, bad)
	}

	env := validate.Env{AccountId: "111122223333", Region: "eu-west-1", AccountField: "AccountId", RegionField: "Region"}
	good := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-86ef-1234567890ab"
	assert.Empty(t, validate.ArnRule(good, validate.KmsKeyArn, env))
	assert.Empty(t, validate.ArnRule("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", validate.KmsKeyArn, env))
	for bad, want := range map[string]string{
		// Terraform's S3 backend refuses this key ID (variant digit 5).
		"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab": "must be the ARN of a KMS key",
		"arn:aws:kms:eu-west-1:111122223333:alias/x":                                  "must be the ARN of a KMS key",
		"arn:aws:s3:::bucket": `service "s3"`,
		"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-86ef-1234567890ab":    `must be in region "eu-west-1" (Region)`,
		"arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-86ef-1234567890ab":    "must be in account 111122223333 (AccountId)",
		"arn:aws-cn:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-86ef-1234567890ab": `must be in partition "aws"`,
	} {
		assert.Contains(t, validate.ArnRule(bad, validate.KmsKeyArn, env), want, bad)
	}
	// Unknown region and account: only the shape is checked.
	assert.Empty(t, validate.ArnRule("arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-86ef-1234567890ab", validate.KmsKeyArn, validate.Env{}))
	assert.Empty(t, validate.ArnRule("arn:aws:s3:::my-logs/vpc/", validate.S3BucketArn, env))
	assert.Contains(t, validate.ArnRule("arn:aws-cn:s3:::my-logs", validate.S3BucketArn, env), "partition")
	assert.NotEmpty(t, validate.ArnRule("arn:aws:s3:eu-west-1::my-logs", validate.S3BucketArn, env))
	assert.Empty(t, validate.ArnRule("arn:aws:iam::111122223333:role/path/app", validate.IamRoleArn, env))
	assert.Empty(t, validate.ArnRule("arn:aws:acm:eu-west-1:111122223333:certificate/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a", validate.AcmCertificateArn, env))
	assert.Empty(t, validate.ArnRule("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0123456789abcdef", validate.ApplicationLoadBalancerArn, env))

	rule(t, "KmsKeyIDRule", validate.KmsKeyIDRule, []string{"1234abcd-12ab-34cd-86ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab"},
		[]string{"1234abcd-12ab-34cd-56ef-1234567890ab", "alias/x", ""})
}

// TestEnvNoCascade: an invalid Region is reported once, on Region, and
// ARNs are then only checked for shape.
func TestEnvNoCascade(t *testing.T) {
	v := validate.New("x")
	env := v.Env("AccountId", "111122223333", "Region", "eu-wset-1")
	assert.Equal(t, "", env.Region)
	assert.Equal(t, "111122223333", env.AccountId)
	_, ok := v.ARN("KeyArn", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-86ef-1234567890ab", validate.KmsKeyArn, env)
	assert.True(t, ok)
	_, ok = v.ARN("OtherKey", "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-86ef-1234567890ab", validate.KmsKeyArn, env)
	assert.False(t, ok)
	problems := v.Err().(*validate.Error).Problems
	require.Len(t, problems, 2)
	assert.Equal(t, "Region", problems[0].Field)
	assert.Equal(t, "eu-west-1", problems[0].Suggestion)
	assert.Equal(t, "OtherKey", problems[1].Field)
}

func TestNames(t *testing.T) {
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	rule(t, "IAMRoleName", validate.IAMRoleName, []string{"web-execution", "a+=,.@_-", long(64)}, []string{"", long(65), "a b", "a/b"})
	rule(t, "IAMRoleNamePrefix", validate.IAMRoleNamePrefix, []string{"vpc-flow-logs-", long(38)}, []string{"", long(39), "a:b"})
	rule(t, "IAMPolicyName", validate.IAMPolicyName, []string{"execution", long(128)}, []string{"", long(129), "a b"})
	rule(t, "IAMPath", validate.IAMPath, []string{"/", "/team/", "/a/b/"}, []string{"", "team", "/team", "team/", "/a b/"})
	rule(t, "LoadBalancerName", validate.LoadBalancerName, []string{"web-alb", long(32), "A1"}, []string{"", long(33), "-web", "web-", "internal-web", "web_alb"})
	rule(t, "TargetGroupName", validate.TargetGroupName, []string{"web-tg", "internal-tg"}, []string{"", long(33), "-tg", "tg-", "t.g"})
	rule(t, "LogGroupName", validate.LogGroupName, []string{"/ecs/web", "aws-waf-logs-x", "a#b_c.d"}, []string{"", "aws/x", "/ecs/web app", long(513)})
	rule(t, "KMSAliasName", validate.KMSAliasName, []string{"alias/web", "alias/a/b_c-d"}, []string{"", "web", "alias/", "alias/aws/x", "alias/a.b", "alias/" + long(251)})
	rule(t, "SecurityGroupName", validate.SecurityGroupName, []string{"web-alb", "a b (c)"}, []string{"", "sg-web", "SG-web", "é", long(256)})
	rule(t, "SecurityGroupDescription", validate.SecurityGroupDescription, []string{"", "HTTPS from the VPC"}, []string{"naïve", long(256)})
	rule(t, "ECRRepositoryName", validate.ECRRepositoryName, []string{"team/app", "a.b_c-d", "ab"}, []string{"a", "App", "a//b", "a..b", "/a", "a/"})
	rule(t, "ECSName", validate.ECSName, []string{"web", "Web_App-1"}, []string{"", "web.app", long(256)})
	rule(t, "TrailName", validate.TrailName, []string{"abc", "a.b_c-d"}, []string{"ab", "-abc", "abc-", "a--b", "a._b", "192.168.5.4", long(129)})
	rule(t, "WAFName", validate.WAFName, []string{"web-acl", "a_b"}, []string{"", "a b", "a.b", long(129)})
	rule(t, "WAFMetricName", validate.WAFMetricName, []string{"web-RateLimit", "a_b-C9", long(128)}, []string{"", "All", "all", "DEFAULT_ACTION", "Default_Action", "a b", "a:b", "a#b", "a.b", "a/b", long(129)})
	rule(t, "MetricNamespace", validate.MetricNamespace, []string{"CISBenchmark/web", "a.b-c_d/e#f: g"}, []string{"", " ", "AWS/ECS", "a*b", long(256)})
	rule(t, "MetricFilterNamespace", validate.MetricFilterNamespace, []string{"CISBenchmark/web"}, []string{"CIS:web", "AWS/x", ""})
	rule(t, "EventRuleName", validate.EventRuleName, []string{"web-guardduty-findings"}, []string{"", "a b", long(65)})
	rule(t, "DynamoDBTableName", validate.DynamoDBTableName, []string{"abc", "a.b_c-d"}, []string{"ab", "a b"})
	rule(t, "DimensionName", validate.DimensionName, []string{"LoadBalancer", "a b"}, []string{"", " ", ":x", "é"})
	rule(t, "DimensionValue", validate.DimensionValue, []string{"app/web/0123", "é"}, []string{"", "  ", long(1025)})
	rule(t, "TerraformIdentifier", validate.TerraformIdentifier, []string{"_x", "a-b", "a_b", "é", "web_alb_dns_name"}, []string{"", "1a", "-a", "a.b", "a b"})
	rule(t, "VariableName", validate.VariableName, []string{"ops", "_x", "desired_count"}, []string{"", "1a", "count", "provider", "_", "for_each", "a.b"})
	rule(t, "BucketName", validate.BucketName, []string{"abc", "a.b-c"}, []string{"ab", "ABC", "a..b", "xn--a"})
	rule(t, "TagKey", validate.TagKey, []string{"CostCenter", "team:owner", "Ünïcode ключ", long(128)}, []string{"", long(129), "aws:x", "AWS:x", "a\nb", "a\tb", "a*b", "a,b"})
	rule(t, "TagValue", validate.TagValue, []string{"", "1234", "a b/c=d+e-f@g", long(256)}, []string{long(257), "a\nb", "a\x00b", "a;b"})
	assert.Empty(t, validate.SNSTopicName("alarms", false))
	assert.Empty(t, validate.SNSTopicName("alarms.fifo", true))
	assert.NotEmpty(t, validate.SNSTopicName("alarms", true))
	assert.NotEmpty(t, validate.SNSTopicName("a.b", false))
	assert.Empty(t, validate.MetricName("UnauthorizedAPICalls", true))
	assert.NotEmpty(t, validate.MetricName("a:b", true))
	assert.Empty(t, validate.MetricName("a:b", false))
	assert.NotEmpty(t, validate.MetricName(":ab", false))
}

func TestNameFromID(t *testing.T) {
	for id, want := range map[string]string{
		"web": "web", "web-app": "web-app", "web_app": "web-app", "Web_App": "web-app", "__a__b__": "a-b", "_": "", "a1.b2": "a1-b2",
	} {
		assert.Equal(t, want, validate.NameFromID(id), id)
	}
}

func TestTags(t *testing.T) {
	v := validate.New("x")
	assert.True(t, v.Tags("Tags", map[string]string{"CostCenter": "1234", "Team": ""}))
	assert.NoError(t, v.Err())
	many := map[string]string{}
	for i := 0; i < 51; i++ {
		many[string(rune('A'+i%26))+string(rune('a'+i/26))] = "x"
	}
	assert.False(t, v.Tags("Tags", many))
	assert.False(t, v.Tags("Tags", map[string]string{"aws:owner": "x", "ok": "line\nbreak"}))
	problems := v.Err().(*validate.Error).Problems
	require.Len(t, problems, 3)
	assert.Equal(t, "Tags", problems[0].Field)
	assert.Equal(t, "Tags[aws:owner]", problems[1].Field)
	assert.Equal(t, "Tags[ok]", problems[2].Field)
}

func TestEnumsAndNumbers(t *testing.T) {
	policies := []string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"}
	v := validate.New("x")
	assert.True(t, v.OneOf("SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06", policies))
	assert.False(t, v.OneOf("SslPolicy", "ELBSEcurityPolicy-TLS13-1-2-2021-06", policies))
	assert.False(t, v.OneOf("Mode", "defensiv", []string{"defensive", "strictest"}))
	assert.False(t, v.OneOf("Mode", "zzzzzzzz", []string{"defensive", "strictest"}))
	assert.True(t, v.LogRetention("Days", 731))
	assert.False(t, v.LogRetention("Days", 730))
	assert.True(t, v.OneOfInt("Window", 300, []int{60, 120, 300, 600}, "seconds"))
	assert.False(t, v.OneOfInt("Window", 200, []int{60, 120, 300, 600}, "seconds"))
	assert.True(t, v.Range("Percent", 0, 0, 100, "percent"))
	assert.False(t, v.Range("Percent", 101, 0, 100, "percent"))
	assert.True(t, v.OptionalRange("Grace", nil, 0, 7200, "seconds"))
	assert.True(t, v.OptionalRange("Grace", new(0), 0, 7200, "seconds"))
	assert.False(t, v.OptionalRange("Grace", new(-1), 0, 7200, "seconds"))
	want := []struct{ field, suggestion string }{
		{"SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06"}, {"Mode", "defensive"}, {"Mode", ""},
		{"Days", "731"}, {"Window", "120"}, {"Percent", "100"}, {"Grace", "0"},
	}
	problems := v.Err().(*validate.Error).Problems
	require.Len(t, problems, len(want))
	for i, w := range want {
		assert.Equal(t, w.field, problems[i].Field)
		assert.Equal(t, w.suggestion, problems[i].Suggestion, w.field)
	}
	assert.Contains(t, v.Err().Error(), `Days = 730: must be one of the CloudWatch Logs retention values`)
	assert.Contains(t, v.Err().Error(), `did you mean "731"?`)
	assert.Equal(t, 5, validate.IntOr(nil, 5))
	assert.Equal(t, 0, validate.IntOr(new(0), 5))
	n, ok := validate.NearestInt(2, []int{1, 3})
	assert.True(t, ok)
	assert.Equal(t, 1, n)
	_, ok = validate.NearestInt(2, nil)
	assert.False(t, ok)
}

func TestCollectorHelpers(t *testing.T) {
	v := validate.New("x")
	assert.True(t, v.Rule("A", "a", ""))
	assert.False(t, v.Rule("B.C", "b", "must be d"))
	v.AddProblem(validate.Problem{Field: "E[0]", Value: 1, Rule: "r"})
	assert.True(t, v.Failed("B"))
	assert.True(t, v.Failed("B.C"))
	assert.True(t, v.Failed("E"))
	assert.False(t, v.Failed("A"))
	assert.False(t, v.Failed("B.CD"))
	assert.Equal(t, 2, v.Len())
	assert.True(t, v.AccountID("Account", "111122223333"))
	assert.False(t, v.AccountID("Account", "1111"))
}

func TestConfigTokens(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	real := *cdktf.NewTerraformVariable(cdktf.NewTerraformStack(app, jsii.String("s")), jsii.String("v"), &cdktf.TerraformVariableConfig{}).StringValue()
	type inner struct{ Command []string }
	type config struct {
		Name    string
		Secrets map[string]string
		Inner   *inner
		Port    *int
		List    []string
	}
	v := validate.New("x")
	v.ConfigTokens(&config{
		Name:    real,
		Secrets: map[string]string{"A": "${TfToken[TOKEN.99999]}", "B": real},
		Inner:   &inner{Command: []string{"ok", "x${TfToken[TOKEN.99998]}"}},
		List:    []string{"TfToken[x", real},
	})
	problems := v.Err().(*validate.Error).Problems
	require.Len(t, problems, 2)
	assert.Equal(t, "Secrets[A]", problems[0].Field)
	assert.Equal(t, "Inner.Command[1]", problems[1].Field)
	v = validate.New("x")
	v.ConfigTokens(&config{Name: real, List: []string{"${"}})
	v.ConfigTokens(nil)
	assert.NoError(t, v.Err())
}

// An *Error names the constructor and, with NewFor, the construct id.
func TestErrorNamesTheConstruct(t *testing.T) {
	v := validate.NewFor("securevpc.NewSecureVpc", "network")
	v.Add("CidrBlock", "10.0.0.0/8", "must be /16-/28")
	var ve *validate.Error
	require.ErrorAs(t, v.Err(), &ve)
	assert.Equal(t, "network", ve.ID)
	assert.True(t, strings.HasPrefix(ve.Error(), `securevpc.NewSecureVpc("network"): invalid config (1 problem):`), ve.Error())
	v = validate.New("ecsservice.AllowFrom")
	v.Add("securityGroupId", "x", "must be an ID")
	assert.True(t, strings.HasPrefix(v.Err().Error(), "ecsservice.AllowFrom: invalid config (1 problem):"), v.Err().Error())
}
