// Package stacks assembles the constructs into deployable cdktf stacks: a
// bootstrap stack for the state backend and one web-app stack per
// environment. NewReferenceApp defines the reference platform that main.go
// synthesizes.
package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/internal/validate"
)

const (
	// RequiredTerraformVersion is written to terraform.required_version.
	// Terraform 1.10 is the first with S3 native state locking.
	RequiredTerraformVersion = ">= 1.10"
	// AwsProviderVersion is the hashicorp/aws version constraint written to
	// terraform.required_providers.aws.version (the bindings would pin an
	// exact version).
	AwsProviderVersion = "~> 5.99"
	// ManagedBy is the value of the ManagedBy default tag.
	ManagedBy = "cdktf"
)

// Env is what every stack needs to know about where it deploys.
type Env struct {
	// Project is the value of the Project default tag, e.g. "ecs-webapp".
	Project string
	// Environment is the value of the Environment default tag, e.g. "prod".
	Environment string
	// AccountId is the 12-digit account the stack deploys to. The provider's
	// allowed_account_ids holds only this account, so credentials for any
	// other account make Terraform stop before it changes anything.
	AccountId string
	// Region is the AWS region, e.g. "us-east-1".
	Region string
}

func (e Env) check(v *validate.Collector) {
	v.Check(e.Project != "", "Env.Project", e.Project, "is required")
	v.Check(e.Environment != "", "Env.Environment", e.Environment, "is required")
	v.Check(validate.AccountID(e.AccountId), "Env.AccountId", e.AccountId, "must be a 12-digit AWS account ID")
	v.Check(validate.Region(e.Region), "Env.Region", e.Region, "must be an AWS region code such as us-east-1")
}

// newStack creates a stack with the AWS provider (region, default_tags,
// allowed_account_ids) and the Terraform and provider version constraints.
func newStack(scope constructs.Construct, id string, env Env) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(env.Region),
		AllowedAccountIds: jsii.Strings(env.AccountId),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{
			Tags: &map[string]*string{
				"Project":     jsii.String(env.Project),
				"Environment": jsii.String(env.Environment),
				"ManagedBy":   jsii.String(ManagedBy),
			},
		}},
	})
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(RequiredTerraformVersion))
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(AwsProviderVersion))
	return stack
}

// BootstrapStackConfig configures NewBootstrapStack.
type BootstrapStackConfig struct {
	Env Env
	// StateBackend configures the state resources. Its AccountId and Region
	// default to Env's and must match them when set.
	StateBackend statebackend.EncryptedStateBackendConfig
}

// BootstrapStack is the stack that holds the state backend resources.
type BootstrapStack struct {
	Stack cdktf.TerraformStack
	StateBackend *statebackend.EncryptedStateBackend
}

// NewBootstrapStack creates the stack that deploys EncryptedStateBackend with
// a local backend: the state bucket cannot hold its own state before it
// exists. After the first apply, migrate its state into the bucket (README,
// "Bootstrapping").
//
// It returns a *validate.Error, and creates no stack, when cfg is invalid.
func NewBootstrapStack(scope constructs.Construct, id string, cfg *BootstrapStackConfig) (*BootstrapStack, error) {
	v := validate.New("stacks.NewBootstrapStack")
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	cfg.Env.check(v)
	sb := cfg.StateBackend
	if sb.AccountId == "" {
		sb.AccountId = cfg.Env.AccountId
	}
	if sb.Region == "" {
		sb.Region = cfg.Env.Region
	}
	v.Check(sb.AccountId == cfg.Env.AccountId, "StateBackend.AccountId", sb.AccountId, "must equal Env.AccountId")
	v.Check(sb.Region == cfg.Env.Region, "StateBackend.Region", sb.Region, "must equal Env.Region")
	// Validate the construct's config before the stack exists.
	v.Merge("StateBackend", sb, sb.Validate())
	if err := v.Err(); err != nil {
		return nil, err
	}

	stack := newStack(scope, id, cfg.Env)
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform." + id + ".tfstate")})
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &sb)
	if err != nil {
		return nil, err // unreachable: validated above
	}
	return &BootstrapStack{Stack: stack, StateBackend: backend}, nil
}

// WebAppStackConfig configures NewWebAppStack.
type WebAppStackConfig struct {
	Env Env
	// Backend points the stack's state at the bootstrap stack's bucket.
	// Backend.Region defaults to Env.Region.
	Backend statebackend.BackendConfig
}

// WebAppStack is one environment of the web platform.
type WebAppStack struct {
	Stack cdktf.TerraformStack
	Backend cdktf.S3Backend
}

// NewWebAppStack creates one environment's stack, with its state in the
// encrypted S3 backend.
//
// It returns a *validate.Error, and creates no stack, when cfg is invalid.
func NewWebAppStack(scope constructs.Construct, id string, cfg *WebAppStackConfig) (*WebAppStack, error) {
	v := validate.New("stacks.NewWebAppStack")
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	cfg.Env.check(v)
	bc := cfg.Backend
	if bc.Region == "" {
		bc.Region = cfg.Env.Region
	}
	if bc.Key == "" {
		bc.Key = id + "/terraform.tfstate"
	}
	v.Merge("Backend", bc, bc.Validate())
	if err := v.Err(); err != nil {
		return nil, err
	}

	stack := newStack(scope, id, cfg.Env)
	backend, err := statebackend.Use(stack, &bc)
	if err != nil {
		return nil, err // unreachable: validated above
	}
	return &WebAppStack{Stack: stack, Backend: backend}, nil
}
