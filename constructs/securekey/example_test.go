package securekey_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
)

// A team key: statements go into its one key policy, a role of the app gets
// an inline policy, another account a key-policy statement.
func ExampleNewSecureKey() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("prod"))
	key, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{
		AccountId: "111122223333", Region: "eu-west-1", Alias: "alias/team",
		Tags: map[string]string{"CostCenter": "1234"},
	})
	if err != nil {
		panic(err)
	}
	// CloudWatch Logs may use the key for the account's log groups.
	if err := key.AddToResourcePolicy(securekey.LogsStatement("AllowLogs", "eu-west-1", "ArnLike", "arn:aws:logs:eu-west-1:111122223333:log-group:*")); err != nil {
		panic(err)
	}
	role := iamrole.NewIamRole(stack, jsii.String("app"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: iampolicy.Service("ecs-tasks.amazonaws.com"), Action: []string{"sts:AssumeRole"}}).JSON()),
	})
	g, _ := key.GrantDecrypt(grant.Role(role))
	fmt.Println("role grant in the key policy:", g.ResourceSide())
	g, _ = key.GrantEncryptDecrypt(grant.Principal("arn:aws:iam::444455556666:root"))
	fmt.Println("account grant in the key policy:", g.ResourceSide())
	for _, s := range key.PolicyDocument().Statement {
		fmt.Println(s.Sid != "", s.Action[0])
	}
	// Output:
	// role grant in the key policy: false
	// account grant in the key policy: true
	// true kms:*
	// true kms:Encrypt*
	// true kms:Decrypt
}
