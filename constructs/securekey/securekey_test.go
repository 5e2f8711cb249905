package securekey_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

func cfg() *securekey.SecureKeyConfig {
	return &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/team-data", Tags: map[string]string{"Team": "data"}}
}

var logs = securekey.LogsStatement("AllowLogs", region, "ArnLike", "arn:aws:logs:"+region+":"+account+":log-group:*")

// One key policy holds every statement: the root statement, the config's,
// those added later, and the resource-side grants. Identity-side grants go
// to an inline policy on the role.
func TestKeyPolicyAndGrants(t *testing.T) {
	var key *securekey.SecureKey
	stack := synthStack(t, "key-test", func(stack cdktf.TerraformStack) {
		c := cfg()
		c.Statements = []iampolicy.Statement{logs}
		var err error
		key, err = securekey.NewSecureKey(stack, "key", c)
		require.NoError(t, err)
		require.NoError(t, key.AddToResourcePolicy(iampolicy.Statement{Sid: "AllowAudit", Effect: "Allow",
			Principal: iampolicy.AWS("arn:aws:iam::" + account + ":role/audit"), Action: []string{"kms:DescribeKey"}, Resource: []string{"*"}}))
		require.NoError(t, key.AddToResourcePolicy(logs), "an identical statement is added once")
		role := iamrole.NewIamRole(stack, jsii.String("app_role"), &iamrole.IamRoleConfig{
			AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: iampolicy.Service("ecs-tasks.amazonaws.com"), Action: []string{"sts:AssumeRole"}}).JSON()),
		})
		g, err := key.GrantEncryptDecrypt(grant.Role(role))
		require.NoError(t, err)
		assert.False(t, g.ResourceSide())
		again, err := key.GrantEncryptDecrypt(grant.Role(role))
		require.NoError(t, err)
		assert.Equal(t, g.RolePolicy, again.RolePolicy, "granting twice returns the first grant")
		g, err = key.GrantDecrypt(grant.Principal("arn:aws:iam::777788889999:root"))
		require.NoError(t, err)
		assert.True(t, g.ResourceSide())
		again, err = key.GrantDecrypt(grant.Principal("arn:aws:iam::777788889999:root"))
		require.NoError(t, err)
		assert.Equal(t, g.Statement, again.Statement, "granting twice adds one statement")
		second, err := key.GrantDecrypt(grant.Principal("arn:aws:iam::444455556666:root"))
		require.NoError(t, err, "a second principal gets its own statement")
		assert.NotEqual(t, g.Statement.Sid, second.Statement.Sid)

		// The name of a role grant on this key, reused for other actions.
		_, err = key.Grant(grant.Role(role), "kms-encrypt-decrypt", "kms:Sign")
		stacktest.RequireProblem(t, err, "Name", "with other actions")
	})
	keys := stack.Resources("aws_kms_key")
	require.Len(t, keys, 1)
	k := stack.Resource(t, "aws_kms_key", "key")
	assert.True(t, k.Get("enable_key_rotation").Bool())
	assert.Equal(t, int64(securekey.DefaultDeletionWindowInDays), k.Get("deletion_window_in_days").Int())
	assert.Equal(t, "data", k.Get("tags.Team").String())
	policy := stacktest.JSONDocument(t, k, "policy")
	var sids []string
	for _, s := range policy.Get("Statement").Array() {
		sids = append(sids, s.Get("Sid").String())
	}
	require.Len(t, sids, 5)
	assert.Equal(t, []string{securekey.RootStatementSid, "AllowLogs", "AllowAudit"}, sids[:3])
	assert.Equal(t, "arn:aws:iam::"+account+":root", policy.Get("Statement.0.Principal.AWS").String())
	for i, account := range []string{"777788889999", "444455556666"} {
		st := policy.Get(fmt.Sprintf("Statement.%d", 3+i))
		assert.Equal(t, "arn:aws:iam::"+account+":root", st.Get("Principal.AWS").String())
		assert.Equal(t, `["kms:Decrypt"]`, st.Get("Action").Raw)
	}
	assert.Equal(t, "alias/team-data", stack.Resource(t, "aws_kms_alias", "key_alias").Get("name").String())

	policies := stack.Resources("aws_iam_role_policy")
	require.Len(t, policies, 1, "one inline policy per grant")
	for _, p := range policies {
		doc := stacktest.JSONDocument(t, p, "policy")
		assert.Equal(t, gjson.Parse(`["kms:Decrypt","kms:Encrypt","kms:ReEncrypt*","kms:GenerateDataKey*"]`).Raw, doc.Get("Statement.0.Action").Raw)
		assert.Equal(t, "${"+stack.Ref(t, "aws_kms_key", "key")+".arn}", doc.Get("Statement.0.Resource.0").String())
		assert.Regexp(t, `^kms-encrypt-decrypt-[0-9a-f]{8}$`, p.Get("name").String())
		assert.Equal(t, "${"+stack.Ref(t, "aws_iam_role", "app_role")+".id}", p.Get("role").String())
	}
}

func TestKeyPolicyRules(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	key, err := securekey.NewSecureKey(stack, "key", cfg())
	require.NoError(t, err)
	for name, st := range map[string]iampolicy.Statement{
		"wildcard principal":  {Effect: "Allow", Principal: iampolicy.AnyPrincipal, Action: []string{"kms:Decrypt"}, Resource: []string{"*"}},
		"bad effect":          {Effect: "allow", Action: []string{"kms:Decrypt"}},
		"no action":           {Effect: "Allow", Principal: iampolicy.Service("logs.amazonaws.com")},
		"sid charset":         {Sid: "Allow-Logs", Effect: "Allow", Principal: iampolicy.Service("logs.amazonaws.com"), Action: []string{"kms:Decrypt"}},
		"sid of another stmt": {Sid: securekey.RootStatementSid, Effect: "Allow", Principal: iampolicy.Service("logs.amazonaws.com"), Action: []string{"kms:Decrypt"}},
	} {
		err := key.AddToResourcePolicy(st)
		require.Error(t, err, name)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
	}
	assert.Len(t, key.PolicyDocument().Statement, 1, "rejected statements change nothing")
	// A wildcard Deny is fine (TLS-only policies use one).
	require.NoError(t, key.AddToResourcePolicy(iampolicy.Statement{Sid: "DenyOther", Effect: "Deny", Principal: iampolicy.AnyPrincipal, Action: []string{"kms:*"}, Resource: []string{"*"},
		Condition: map[string]map[string]any{"StringNotEquals": {"aws:PrincipalAccount": account}}}))

	for name, c := range map[string]*securekey.SecureKeyConfig{
		"alias aws/":      {AccountId: account, Region: region, Alias: "alias/aws/x"},
		"alias no prefix": {AccountId: account, Region: region, Alias: "team"},
		"window":          {AccountId: account, Region: region, DeletionWindowInDays: 6},
		"region":          {AccountId: account, Region: "eu-nort-1"},
		"account":         {AccountId: "1", Region: region},
		"tag":             {AccountId: account, Region: region, Tags: map[string]string{"aws:x": "y"}},
		"nil":             nil,
	} {
		assert.Error(t, c.Validate("k"), name)
	}
	assert.NoError(t, (&securekey.SecureKeyConfig{AccountId: account, Region: region, DeletionWindowInDays: 7}).Validate("k"))
	_, err = securekey.NewSecureKey(stack, "key", cfg())
	assert.ErrorContains(t, err, "already used by another construct", "a taken id is an error, not a panic")
	_, err = securekey.NewSecureKey(stack, "key2", cfg())
	assert.ErrorContains(t, err, `KMS alias "alias/team-data"`, "the alias is taken by key")
}

// CheckUse: a key of another region cannot encrypt this construct's data.
func TestCheckUse(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	key, err := securekey.NewSecureKey(cdktf.NewTerraformStack(app, jsii.String("s")), "key", &securekey.SecureKeyConfig{AccountId: account, Region: region})
	require.NoError(t, err)
	v := validate.New("x")
	key.CheckUse(v, "KmsKey", validate.Env{AccountId: account, Region: region, RegionField: "Region"}, logs)
	assert.NoError(t, v.Err())
	key.CheckUse(v, "KmsKey", validate.Env{AccountId: account, Region: otherRegion, RegionField: "Region"}, logs)
	assert.ErrorContains(t, v.Err(), `must be a key in region "`+otherRegion+`" (Region)`)
}

// Grantees given as references: two variables are two principals (two
// statements), one role's ARN read twice is one, and a number token in a
// condition gives the same Sid however many tokens were made before.
// Identity side, the same actions in another order are the same grant.
func TestGrantsToReferences(t *testing.T) {
	sidsOf := func(before int) []string {
		var sids []string
		stack := synthStack(t, "refs", func(stack cdktf.TerraformStack) {
			for i := 0; i < before; i++ {
				cdktf.NewTerraformVariable(stack, jsii.String(fmt.Sprintf("unrelated%d", i)), &cdktf.TerraformVariableConfig{}).NumberValue()
			}
			key, err := securekey.NewSecureKey(stack, "key", cfg())
			require.NoError(t, err)
			ci := cdktf.NewTerraformVariable(stack, jsii.String("ci_role_arn"), &cdktf.TerraformVariableConfig{})
			ro := cdktf.NewTerraformVariable(stack, jsii.String("readonly_role_arn"), &cdktf.TerraformVariableConfig{})
			age := cdktf.NewTerraformVariable(stack, jsii.String("max_mfa_age"), &cdktf.TerraformVariableConfig{})
			role := iamrole.NewIamRole(stack, jsii.String("elsewhere"), &iamrole.IamRoleConfig{
				AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: iampolicy.Service("ecs-tasks.amazonaws.com"), Action: []string{"sts:AssumeRole"}}).JSON()),
			})
			for _, g := range []grant.Grantee{
				grant.Principal(*ci.StringValue()), grant.Principal(*ro.StringValue()),
				grant.Principal(*role.Arn()), grant.Principal(*role.Arn()),
				grant.Service("sns.amazonaws.com", map[string]map[string]any{"NumericLessThan": {"aws:MultiFactorAuthAge": *age.NumberValue()}}),
			} {
				_, err := key.GrantDecrypt(g)
				require.NoError(t, err)
			}
			_, err = key.Grant(grant.Role(role), "custom", "kms:Decrypt", "kms:Encrypt")
			require.NoError(t, err)
			_, err = key.Grant(grant.Role(role), "custom", "kms:Encrypt", "kms:Decrypt", "kms:Encrypt")
			require.NoError(t, err, "the same actions in another order")
		})
		// The number token makes the policy JSON only after Terraform's
		// interpolation, so the Sids are read from its text.
		policy := stack.Resource(t, "aws_kms_key", "key").Get("policy").String()
		for _, m := range regexp.MustCompile(`"Sid":"([A-Za-z0-9]+)"`).FindAllStringSubmatch(policy, -1) {
			sids = append(sids, m[1])
		}
		return sids
	}
	first := sidsOf(0)
	require.Len(t, first, 1+4, "root, two variables, the role once, the service")
	assert.Equal(t, first, sidsOf(3), "Sids do not depend on earlier tokens")
}
