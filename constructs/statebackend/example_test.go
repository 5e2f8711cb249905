package statebackend_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
)

// Deploy the state resources once per account and region, from a stack that
// keeps local state.
func ExampleNewEncryptedStateBackend() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("bootstrap"))
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Bucket:    "acme-terraform-state",
		AccountId: "123456789012",
		Region:    "eu-west-1",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(backend.Config.LogBucket, backend.Config.KmsKeyAlias, backend.Config.NoncurrentDays)
	// Output: acme-terraform-state-logs alias/acme-terraform-state 90
}

// Point any other stack at the bucket, with the key ARN from the bootstrap
// stack's state_kms_key_arn output.
func ExampleUse() {
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("web-prod"))
	_, err := statebackend.Use(stack, &statebackend.BackendConfig{
		Bucket:   "acme-terraform-state",
		Region:   "eu-west-1",
		KmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-86ef-1234567890ab",
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
		KmsKeyId: "alias/acme-terraform-state",
		Key:      "/state.tfstate",
	})
	fmt.Println(err)
	// Output:
	// statebackend.Use: invalid config (3 problems):
	//   - Region = "": is required: an AWS region code such as us-east-1
	//   - KmsKeyId = "alias/acme-terraform-state": must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>, the key ID a UUID as Terraform checks it); aliases and bare key IDs do not match the state bucket policy
	//   - Key = "/state.tfstate": must not start or end with '/', must not contain '//', and must be at most 1017 bytes (the lock object appends .tflock)
}
