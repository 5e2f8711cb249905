package securekey_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// TestAdversarial: odd but valid keys in other partitions synthesize; bad
// input is a *validate.Error on the right field, never a panic.
func TestAdversarial(t *testing.T) {
	const acct = "111122223333"
	type C = securekey.SecureKeyConfig
	valid := map[string]struct {
		region string
		cfg    C
	}{
		"ap-southeast-2 max alias": {"ap-southeast-2", C{AccountId: acct, Region: "ap-southeast-2", Alias: "alias/" + strings.Repeat("k", 250), DeletionWindowInDays: 7}},
		"cn-north-1":               {"cn-north-1", C{AccountId: acct, Region: "cn-north-1", DeletionWindowInDays: 30, Description: strings.Repeat("d", 8192)}},
		"us-gov-west-1":            {"us-gov-west-1", C{AccountId: acct, Region: "us-gov-west-1", Alias: "alias/a", Tags: map[string]string{"k": ""}}},
	}
	for name, tc := range valid {
		t.Run("valid "+name, func(t *testing.T) {
			err := attempt(tc.region, func(s cdktf.TerraformStack) error {
				_, err := securekey.NewSecureKey(s, "key", &tc.cfg)
				return err
			})
			assert.NoError(t, err)
		})
	}
	invalid := map[string]struct {
		field string
		cfg   *C
	}{
		"nil":             {"config", nil},
		"alias too long":  {"Alias", &C{AccountId: acct, Region: "eu-west-1", Alias: "alias/" + strings.Repeat("k", 251)}},
		"alias aws":       {"Alias", &C{AccountId: acct, Region: "eu-west-1", Alias: "alias/aws/x"}},
		"window 6":        {"DeletionWindowInDays", &C{AccountId: acct, Region: "eu-west-1", DeletionWindowInDays: 6}},
		"window 31":       {"DeletionWindowInDays", &C{AccountId: acct, Region: "eu-west-1", DeletionWindowInDays: 31}},
		"window negative": {"DeletionWindowInDays", &C{AccountId: acct, Region: "eu-west-1", DeletionWindowInDays: -1}},
		"description":     {"Description", &C{AccountId: acct, Region: "eu-west-1", Description: strings.Repeat("d", 8193)}},
		"account":         {"AccountId", &C{AccountId: "11112222333", Region: "eu-west-1"}},
		"duplicate sid": {"Statements[1].Sid", &C{AccountId: acct, Region: "eu-west-1", Statements: []iampolicy.Statement{
			{Sid: "A", Effect: "Allow", Principal: iampolicy.AWS("arn:aws:iam::" + acct + ":root"), Action: []string{"kms:Decrypt"}, Resource: []string{"*"}},
			{Sid: "A", Effect: "Allow", Principal: iampolicy.AWS("arn:aws:iam::" + acct + ":root"), Action: []string{"kms:Encrypt"}, Resource: []string{"*"}},
		}}},
	}
	for name, tc := range invalid {
		t.Run("invalid "+name, func(t *testing.T) {
			err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
				_, err := securekey.NewSecureKey(s, "key", tc.cfg)
				return err
			})
			stacktest.RequireProblem(t, err, tc.field, "")
		})
	}
}

// attempt synthesizes a stack with an AWS provider of region and define's
// constructs (stacktest.SynthStackE): define's error comes back as it is and
// a panic, of define or of the synth, as a *stacktest.PanicError.
func attempt(region string, define func(stack cdktf.TerraformStack) error) error {
	_, err := stacktest.SynthStackE("adversarial", func(s cdktf.TerraformStack) error {
		provider.NewAwsProvider(s, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		return define(s)
	})
	return err
}

// TestAdversarial_TokenStatementFields: a statement's Sid keys the policy
// and its Effect is its meaning, so a token in either is one
// validate.LiteralRule problem; actions, resources and principals may be
// tokens.
func TestAdversarial_TokenStatementFields(t *testing.T) {
	tok := func() string { return *cdktf.Fn_Upper(jsii.String("x")) }
	st := func() iampolicy.Statement {
		return iampolicy.Statement{Sid: "AllowAudit", Effect: "Allow", Principal: iampolicy.AWS("arn:aws:iam::" + account + ":role/audit"),
			Action: []string{"kms:DescribeKey"}, Resource: []string{"*"}}
	}
	for field, set := range map[string]func(s *iampolicy.Statement, tok string){
		"Statements[0].Sid":    func(s *iampolicy.Statement, tok string) { s.Sid = tok },
		"Statements[0].Effect": func(s *iampolicy.Statement, tok string) { s.Effect = tok },
	} {
		c := cfg()
		s := st()
		set(&s, tok())
		c.Statements = []iampolicy.Statement{s}
		stacktest.RequireOnlyProblem(t, c.Validate("key"), field, validate.LiteralRule)
	}
	c := cfg()
	s := st()
	s.Action, s.Resource, s.Principal = []string{tok()}, []string{tok()}, iampolicy.AWS(tok())
	c.Statements = []iampolicy.Statement{s}
	assert.NoError(t, c.Validate("key"))
}
