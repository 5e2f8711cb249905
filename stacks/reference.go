package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
)

// The reference platform, after the example in the security seed document.
// Replace these values with your own account's.
const (
	// ReferenceApp is the application name.
	ReferenceApp = "ecs-webapp"
	// ReferenceRegion is the region of every reference stack.
	ReferenceRegion = "us-east-1"
	// ReferenceAccountId is a placeholder account ID.
	ReferenceAccountId = "123456789012"
	// ReferenceStateBucket is the state bucket the bootstrap stack creates.
	ReferenceStateBucket = "ecs-webapp-terraform-state-example"
	// ReferenceStateKmsKeyArn stands for the bootstrap stack's
	// state_kms_key_arn output. After the first bootstrap apply, replace it
	// with `terraform output -raw state_kms_key_arn`.
	ReferenceStateKmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000"
	// ReferenceContainerPort is the port the container listens on.
	ReferenceContainerPort = 5000
	// ReferenceHealthCheckPath is the application's health endpoint.
	ReferenceHealthCheckPath = "/health"
)

// ReferenceEnvironments are the web-app environments, in synth order.
var ReferenceEnvironments = []string{"dev", "prod"}

// BootstrapStackName and WebAppStackName give the reference stacks' names.
const BootstrapStackName = "bootstrap"

// WebAppStackName is the name of the reference web-app stack of env.
func WebAppStackName(env string) string { return ReferenceApp + "-" + env }

// NewReferenceApp defines the reference platform in scope (usually a
// cdktf.App): the bootstrap stack and one web-app stack per environment.
// main.go synthesizes it; the tests snapshot and plan it.
func NewReferenceApp(scope constructs.Construct) error {
	_, err := NewBootstrapStack(scope, BootstrapStackName, &BootstrapStackConfig{
		Env:          Env{Project: ReferenceApp, Environment: "shared", AccountId: ReferenceAccountId, Region: ReferenceRegion},
		StateBackend: statebackend.EncryptedStateBackendConfig{Bucket: ReferenceStateBucket},
	})
	if err != nil {
		return err
	}
	for _, env := range ReferenceEnvironments {
		if _, err := NewWebAppStack(scope, WebAppStackName(env), ReferenceWebAppConfig(env)); err != nil {
			return err
		}
	}
	return nil
}

// ReferenceWebAppConfig is the reference config of one environment.
func ReferenceWebAppConfig(env string) *WebAppStackConfig {
	return &WebAppStackConfig{
		Env: Env{Project: ReferenceApp, Environment: env, AccountId: ReferenceAccountId, Region: ReferenceRegion},
		Backend: statebackend.BackendConfig{
			Bucket:            ReferenceStateBucket,
			KmsKeyId:          ReferenceStateKmsKeyArn,
			AllowedAccountIds: []string{ReferenceAccountId},
		},
	}
}
