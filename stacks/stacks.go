// Package stacks assembles the constructs into deployable cdktf stacks: a
// bootstrap stack for the state backend and one web-app stack per
// environment.
//
// A PlatformConfig describes a whole platform: the shared settings, the
// state backend and every environment. LoadPlatformConfig reads it from a
// YAML file (platform.yaml at the repository root; README, "Configuring
// your environments") and reports every problem with its file, line and
// key; NewPlatformApp validates it completely and then builds the stacks.
// main.go does exactly this.
package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/fastsynth"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
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

// NewApp is cdktf.NewApp with fast synth on (fastsynth.Enable: the AWS
// provider's modules load lazily, same output; HARDENED_CDKTF_FASTSYNTH=off
// switches it off). Call it before creating any other construct.
func NewApp(cfg *cdktf.AppConfig) cdktf.App {
	fastsynth.Enable()
	return cdktf.NewApp(cfg)
}

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
	// Tags are added to the provider's default_tags next to Project,
	// Environment and ManagedBy, so that every taggable resource of the
	// stack carries them (cost allocation, owner, data classification):
	// the AWS provider merges default_tags into each resource's tags, a
	// construct's own Tags win on the same key, and ECS services propagate
	// theirs to their tasks. The keys Project, Environment and ManagedBy
	// are the stack's and refused here. Validated with
	// validate.Collector.Tags; with the stack's three, at most
	// validate.MaxTags - MaxConstructTags tags, so that a construct's own
	// tags (Name, Tier, ...) still fit. Default: none.
	Tags map[string]string
}

// DefaultTagKeys are the default_tags every stack of this package sets
// itself (from Env and ManagedBy).
var DefaultTagKeys = []string{"Project", "Environment", "ManagedBy"}

// MaxConstructTags is how many tags Env.Tags leaves to the constructs'
// own (Name, Tier and a construct config's Tags) within AWS's 50 per
// resource.
const MaxConstructTags = 10

func (e Env) check(v *validate.Collector) {
	v.Check(e.Project != "", "Env.Project", e.Project, "is required")
	v.Check(e.Environment != "", "Env.Environment", e.Environment, "is required")
	v.AccountID("Env.AccountId", e.AccountId)
	v.Region("Env.Region", e.Region)
	if v.Tags("Env.Tags", e.Tags) {
		for _, k := range DefaultTagKeys {
			_, set := e.Tags[k]
			v.Check(!set, "Env.Tags["+k+"]", e.Tags[k], "is a default tag the stack sets itself (from Env and ManagedBy)")
		}
		limit := validate.MaxTags - len(DefaultTagKeys) - MaxConstructTags
		v.Check(len(e.Tags) <= limit, "Env.Tags", len(e.Tags), fmt.Sprintf("must hold at most %d tags: AWS allows %d per resource, the stack sets %d and the constructs need up to %d of their own", limit, validate.MaxTags, len(DefaultTagKeys), MaxConstructTags))
	}
}

// defaultTags are the provider's default_tags of env.
func (e Env) defaultTags() *map[string]*string {
	tags := map[string]*string{
		"Project":     jsii.String(e.Project),
		"Environment": jsii.String(e.Environment),
		"ManagedBy":   jsii.String(ManagedBy),
	}
	for k, val := range e.Tags {
		if _, own := tags[k]; !own {
			tags[k] = jsii.String(val)
		}
	}
	return &tags
}

// NewStack creates an empty stack with what every stack of this module
// needs: the AWS provider for env (region, default_tags Project, Environment
// and ManagedBy plus env.Tags, allowed_account_ids), the provider version constraint
// AwsProviderVersion (the bindings would pin an exact version) and
// RequiredTerraformVersion. Use it for your own stacks; add a backend with
// statebackend.Use. env is not validated here.
func NewStack(scope constructs.Construct, id string, env Env) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(env.Region),
		AllowedAccountIds: jsii.Strings(env.AccountId),
		DefaultTags:       &[]*provider.AwsProviderDefaultTags{{Tags: env.defaultTags()}},
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
	// StateAccessRoles are IAM roles, in the state account, that Terraform
	// running with another account's credentials assumes to read and write
	// one state object (statebackend.BackendConfig.AssumeRole). Default
	// none: stacks in the state account need no role.
	StateAccessRoles []StateAccessRole
	// PermissionsBoundaryArn is set as the permissions boundary of every
	// state access role: a managed policy of Env.AccountId (the state
	// account) or an AWS managed policy (validate.PermissionsBoundaryRule).
	// Default: none.
	PermissionsBoundaryArn string

	// stateAccessEnvs names the environment of each role, when the
	// platform config made them (for error messages).
	stateAccessEnvs []string
}

// StateAccessRole is an IAM role of the bootstrap stack that lets principals
// of one other account use one state object and its lock file, and nothing
// else in the state bucket. Its trust policy trusts the account (its root
// principal), so that account's administrators decide who may assume it
// (grant sts:AssumeRole on the role ARN to the deploying principals).
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html
type StateAccessRole struct {
	// Name is the role name: 1-64 letters, digits and +=,.@_-. Required.
	Name string
	// TrustedAccountId is the 12-digit account whose principals may assume
	// the role. Required; it must differ from the state account.
	TrustedAccountId string
	// StateKey is the state object's key, e.g. "shop-prod/terraform.tfstate"
	// (statebackend.BackendConfig.Key), or a key pattern as
	// statebackend.EncryptedStateBackend.GrantReadWrite takes it ("shop/*";
	// statebackend.StateKeysRule). The role may list the bucket, read and
	// write the key (and the keys the pattern matches), and read, write and
	// delete their ".tflock" lock objects. Required.
	StateKey string
}

// StateAccessRoleArn is the ARN of the role named name in the state
// account, as NewBootstrapStack creates it (for
// statebackend.AssumeRole.RoleArn of a stack in another account).
func StateAccessRoleArn(region, stateAccountId, name string) string {
	return "arn:" + iampolicy.Partition(region) + ":iam::" + stateAccountId + ":role/" + name
}

// BootstrapStack is the stack that holds the state backend resources.
type BootstrapStack struct {
	Stack        cdktf.TerraformStack
	StateBackend *statebackend.EncryptedStateBackend
	// StateAccessRoles holds the roles of BootstrapStackConfig.StateAccessRoles, in order.
	StateAccessRoles []iamrole.IamRole
}

// NewBootstrapStack creates the stack that deploys EncryptedStateBackend with
// a local backend: the state bucket cannot hold its own state before it
// exists. After the first apply, migrate its state into the bucket (README,
// "Bootstrapping").
//
// The state access roles' names are claimed in the app-wide registry of
// names (IAM role names, per account, ignoring case), like the constructs'
// own names.
//
// It returns a *validate.Error, and creates no stack, when cfg is invalid;
// when a name clashes with one another construct or stack of the app uses,
// the stack is removed from scope again and the error names both.
func NewBootstrapStack(scope constructs.Construct, id string, cfg *BootstrapStackConfig) (*BootstrapStack, error) {
	v := validate.New("stacks.NewBootstrapStack")
	baseline.CheckScope(v, scope, id)
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	sb := cfg.check(v)
	if err := v.Err(); err != nil {
		return nil, err
	}

	stack := NewStack(scope, id, cfg.Env)
	b, err := cfg.build(stack, id, sb)
	if err != nil {
		removeStack(scope, id, stack)
		return nil, err
	}
	return b, nil
}

// build creates the bootstrap stack's resources from the checked config.
func (cfg *BootstrapStackConfig) build(stack cdktf.TerraformStack, id string, sb statebackend.EncryptedStateBackendConfig) (*BootstrapStack, error) {
	// The state access roles' names, in the app-wide registry: a role of
	// another construct or stack of the state account with the same name
	// (IAM names ignore case) is an error naming both.
	v := validate.New("stacks.NewBootstrapStack")
	res := registry.CheckEach(v, stack, cfg.registryEnv(), cfg.roleOwners())
	if err := v.Err(); err != nil {
		return nil, err
	}
	res.Commit()
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform." + id + ".tfstate")})
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &sb)
	if err != nil {
		return nil, constructError("StateBackend", cfg.StateBackend, err)
	}
	b := &BootstrapStack{Stack: stack, StateBackend: backend}
	for _, r := range cfg.StateAccessRoles {
		role, err := newStateAccessRole(stack, stateAccessRoleID(r.Name), r, cfg.Env, cfg.PermissionsBoundaryArn, backend)
		if err != nil {
			return nil, err // unreachable: StateKey validated above
		}
		b.StateAccessRoles = append(b.StateAccessRoles, role)
	}
	return b, nil
}

func (cfg *BootstrapStackConfig) registryEnv() registry.Env {
	return registry.Env{Partition: validate.PartitionOf(cfg.Env.Region), Account: cfg.Env.AccountId, Region: cfg.Env.Region}
}

// roleOwners are the registry claims of the state access roles: each
// role's name, and its construct id (derived from the name, so two names
// may give one id).
func (cfg *BootstrapStackConfig) roleOwners() []registry.Owner {
	var out []registry.Owner
	for i, r := range cfg.StateAccessRoles {
		f := fmt.Sprintf("StateAccessRoles[%d].Name", i)
		cid := stateAccessRoleID(r.Name)
		out = append(out, registry.Owner{ID: cid, Claims: []registry.Claim{
			{Kind: registry.IAMRole, Name: r.Name, Field: f},
			{Kind: registry.LogicalID, Name: cid, Field: f},
		}})
	}
	return out
}

// Validate checks cfg as NewBootstrapStack(scope, id, cfg) does, without a
// scope and without creating anything. It returns nil or a *validate.Error.
func (cfg *BootstrapStackConfig) Validate(id string) error {
	v := validate.New("stacks.NewBootstrapStack")
	baseline.CheckID(v, id)
	cfg.check(v)
	return v.Err()
}

// check records every problem of cfg and returns the state backend config
// with AccountId and Region filled in.
func (cfg *BootstrapStackConfig) check(v *validate.Collector) statebackend.EncryptedStateBackendConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return statebackend.EncryptedStateBackendConfig{}
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
	v.Merge("StateBackend", sb, sb.Validate("state"))
	for i, r := range cfg.StateAccessRoles {
		f := fmt.Sprintf("StateAccessRoles[%d]", i)
		v.Rule(f+".Name", r.Name, validate.IAMRoleName(r.Name))
		if v.AccountID(f+".TrustedAccountId", r.TrustedAccountId) {
			v.Check(r.TrustedAccountId != cfg.Env.AccountId, f+".TrustedAccountId", r.TrustedAccountId, "must differ from the state account: its principals reach the bucket with their own IAM policies")
		}
		// The role's grant (statebackend.GrantReadWrite) takes the key.
		v.Rule(f+".StateKey", r.StateKey, statebackend.StateKeysRule(r.StateKey))
	}
	// Two roles of this config with one name: the registry's rule, before
	// any construct exists.
	registry.CheckEach(v, nil, cfg.registryEnv(), cfg.roleOwners())
	if b := cfg.PermissionsBoundaryArn; b != "" && v.Literal("PermissionsBoundaryArn", b) {
		env := validate.Env{AccountField: "Env.AccountId", RegionField: "Env.Region"}
		if !v.Failed("Env.AccountId") && !v.Failed("Env.Region") {
			env.AccountId, env.Region = cfg.Env.AccountId, cfg.Env.Region
		}
		v.Rule("PermissionsBoundaryArn", b, validate.PermissionsBoundaryRule(b, env))
	}
	return sb
}

// stateAccessRoleID is the construct id of the role named name: derived
// from the name, not the position, so that adding or reordering roles
// replaces none.
func stateAccessRoleID(name string) string {
	return "state_access_role_" + strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// newStateAccessRole creates one StateAccessRole: trust of the other
// account's root, and the backend's read-write grant on the state key (one
// inline policy limited to the state object, its lock file and the state
// key's KMS operations).
func newStateAccessRole(stack cdktf.TerraformStack, id string, r StateAccessRole, env Env, boundary string, backend *statebackend.EncryptedStateBackend) (iamrole.IamRole, error) {
	partition := iampolicy.Partition(env.Region)
	trust := iampolicy.New(iampolicy.Statement{
		Sid:       "TrustEnvironmentAccount",
		Effect:    "Allow",
		Principal: iampolicy.AWS(iampolicy.AccountRoot(partition, r.TrustedAccountId)),
		Action:    []string{"sts:AssumeRole"},
	})
	role := iamrole.NewIamRole(stack, jsii.String(id), &iamrole.IamRoleConfig{
		Name:             jsii.String(r.Name),
		Description:      jsii.String("Terraform state access to " + r.StateKey + " for account " + r.TrustedAccountId),
		AssumeRolePolicy: jsii.String(trust.JSON()),
	})
	if boundary != "" {
		role.SetPermissionsBoundary(jsii.String(boundary))
	}
	if _, err := backend.GrantReadWrite(grant.Role(role), r.StateKey); err != nil {
		return nil, err
	}
	return role, nil
}
