package statebackend_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/grant"
)

// Deploy the state resources once per account and region, from a stack that
// keeps local state.
func ExampleNewEncryptedStateBackend() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("bootstrap"))
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Bucket:    "acme-terraform-state",
		AccountId: "111122223333",
		Region:    "eu-west-1",
	})
	if err != nil {
		panic(err)
	}
	c := backend.Config
	fmt.Println(c.LogBucket, c.KmsKeyAlias, *c.NoncurrentVersionExpirationDays, *c.DeletionWindowInDays)
	// Output: acme-terraform-state-logs alias/acme-terraform-state 90 30
}

// Encrypt the state with the team's own key and keep every state version
// (0 days: no noncurrent-version expiration).
func ExampleNewEncryptedStateBackend_ownKey() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("bootstrap"))
	teamKey, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{
		AccountId: "111122223333", Region: "eu-west-1", Alias: "alias/platform-team",
	})
	if err != nil {
		panic(err)
	}
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Bucket: "acme-terraform-state", AccountId: "111122223333", Region: "eu-west-1",
		KmsKey:                          teamKey,
		NoncurrentVersionExpirationDays: new(0),
	})
	if err != nil {
		panic(err)
	}
	out := gjson.Parse(*cdktf.Testing_Synth(stack, jsii.Bool(false)))
	fmt.Println(backend.Key == teamKey, len(out.Get("resource.aws_kms_key").Map()),
		out.Get("resource.aws_s3_bucket_lifecycle_configuration.state_state_bucket_lifecycle_*.rule.0.noncurrent_version_expiration").Exists())
	// Output: true 1 false
}

// Let a deployment role of this app use one stack's state, and a role of
// another account read every state object below "shop/".
func ExampleEncryptedStateBackend_GrantReadWrite() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("bootstrap"))
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Bucket: "acme-terraform-state", AccountId: "111122223333", Region: "eu-west-1",
	})
	if err != nil {
		panic(err)
	}
	deployer := iamrole.NewIamRole(stack, jsii.String("deployer"), &iamrole.IamRoleConfig{
		Name:             jsii.String("shop-prod-deployer"),
		AssumeRolePolicy: jsii.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	})
	rw, err := backend.GrantReadWrite(grant.Role(deployer), "shop-prod/terraform.tfstate")
	if err != nil {
		panic(err)
	}
	ro, err := backend.GrantRead(grant.Principal("arn:aws:iam::444455556666:role/shop-plan"), "shop/*")
	if err != nil {
		panic(err)
	}
	fmt.Println(rw.ResourceSide(), len(rw.Statements), ro.ResourceSide(), len(ro.Statements))
	for _, st := range rw.Statements {
		fmt.Println(st.Action)
	}
	// Output:
	// false 4 true 3
	// [s3:ListBucket]
	// [s3:GetObject s3:PutObject]
	// [s3:GetObject s3:PutObject s3:DeleteObject]
	// [kms:Encrypt kms:Decrypt kms:GenerateDataKey]
}

// Point any other stack at the bucket, with the key ARN from the bootstrap
// stack's state_kms_key_arn output.
func ExampleUse() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	_, err := statebackend.Use(stack, &statebackend.BackendConfig{
		Bucket:   "acme-terraform-state",
		Region:   "eu-west-1",
		KmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-44cd-86ef-1234567890ab",
	})
	if err != nil {
		panic(err)
	}
	backend := gjson.Get(*cdktf.Testing_Synth(stack, jsii.Bool(false)), "terraform.backend.s3")
	fmt.Println(backend.Get("key"), backend.Get("encrypt"), backend.Get("use_lockfile"))
	// Output: web-prod/terraform.tfstate true true
}

// Invalid input returns one error listing every problem, and creates nothing.
func ExampleUse_invalid() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	_, err := statebackend.Use(stack, &statebackend.BackendConfig{
		Bucket:   "acme-terraform-state",
		Region:   "eu-west-1",
		KmsKeyId: "alias/acme-terraform-state",
		Key:      "/state.tfstate",
	})
	fmt.Println(err)
	// Output:
	// statebackend.Use: invalid config (2 problems):
	//   - KmsKeyId = "alias/acme-terraform-state": must be the key's ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias: the state bucket policy compares the SSE-KMS key ARN, so writes through an alias are denied
	//   - Key = "/state.tfstate": must not start or end with "/" (Terraform's S3 backend refuses it)
}
