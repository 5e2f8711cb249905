// Package securekey provides SecureKey, a customer-managed KMS key with the
// secure choices on: symmetric, automatic rotation on, a deletion window, a
// key policy whose first statement gives the account root full control (so
// the key can never become unmanageable, and IAM policies of the account
// decide who else may use it) and that never allows a wildcard principal,
// and an optional alias.
//
// The key has ONE key policy, kept as a Go-side iampolicy.Document:
// AddToResourcePolicy adds statements to it and re-sets the policy
// attribute, so there is never a second policy that would silently win.
// Grants (GrantEncryptDecrypt, GrantDecrypt, GrantEncrypt, Grant) give a
// role of this app an inline policy, or any other principal a key-policy
// statement (see package grant).
//
// # Bring your own key
//
// Constructs that encrypt something take either a *SecureKey (then they add
// the statements their service needs, e.g. CloudWatch Logs for a log group,
// to this key's policy themselves: CheckUse during validation, then
// AddToResourcePolicy) or the ARN of a key managed elsewhere (then they
// document, and return, the statements that key's policy must contain).
//
// See https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
package securekey

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	// DefaultDeletionWindowInDays is the key's deletion window (days).
	DefaultDeletionWindowInDays = 30
	// MaxKeyPolicyBytes is KMS's key policy size limit.
	// See https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html
	MaxKeyPolicyBytes = 32768
	// RootStatementSid is the Sid of the first key-policy statement, which
	// gives the account root kms:* on the key.
	RootStatementSid = "EnableRootAccountAdministration"
)

// SecureKeyConfig configures NewSecureKey.
type SecureKeyConfig struct {
	// AccountId is the 12-digit account of the key; its root is the key's
	// administrator. Required unless Provider has one literal
	// allowed_account_ids entry (then it defaults to it and must match it).
	AccountId string
	// Region is the key's region. Required unless Provider has a literal
	// region (then it defaults to it and must match it).
	Region string
	// Description is the key's description, at most 8192 characters.
	// Default "Customer-managed key <construct path>".
	Description string
	// Alias, when set, creates an alias: "alias/" then letters, digits and
	// / _ -, not "alias/aws/..." (validate.KMSAliasName); unique per account
	// and region. Default: no alias.
	Alias string
	// DeletionWindowInDays is the key's deletion window, 7-30 days.
	// Default 30.
	DeletionWindowInDays int
	// Statements are added to the key policy after the root statement. No
	// Allow statement may have the wildcard principal; Sids must be unique
	// and alphanumeric.
	Statements []iampolicy.Statement
	// PreventDestroy sets lifecycle.prevent_destroy on the key.
	PreventDestroy bool
	// Tags are set on the key (merged by the provider with its
	// default_tags). Validated with validate.Collector.Tags.
	Tags map[string]string
	// Provider creates the key and alias with this AWS provider (e.g. an
	// alias for another region). Default: the stack's default provider.
	Provider cdktf.TerraformProvider
}

// SecureKey is a customer-managed KMS key and its optional alias. Its
// resources are created directly in the scope given to NewSecureKey: the
// key with the construct id id, the alias with id + "_alias".
type SecureKey struct {
	// Key is the aws_kms_key.
	Key kmskey.KmsKey
	// Alias is the aws_kms_alias; nil without Config.Alias.
	Alias kmsalias.KmsAlias
	// Config is the config after defaults were applied.
	Config SecureKeyConfig

	policy iampolicy.Document
	arn    *string // Key.Arn(), read once
}

// Validate checks the config as NewSecureKey(scope, id, cfg) does, without
// creating anything and without the checks that need the construct tree. It
// returns nil or a *validate.Error.
func (cfg *SecureKeyConfig) Validate(id string) error {
	v := validate.NewFor("securekey.NewSecureKey", id)
	cfg.withDefaults(v, id)
	return v.Err()
}

func (cfg *SecureKeyConfig) withDefaults(v *validate.Collector, path string) SecureKeyConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return SecureKeyConfig{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	if c.Description == "" {
		c.Description = "Customer-managed key " + path
	}
	if c.DeletionWindowInDays == 0 {
		c.DeletionWindowInDays = DefaultDeletionWindowInDays
	}
	v.Env("AccountId", c.AccountId, "Region", c.Region)
	v.Check(len(c.Description) <= 8192, "Description", len(c.Description), "must be at most 8192 characters")
	if c.Alias != "" && v.Literal("Alias", c.Alias) {
		v.Rule("Alias", c.Alias, validate.KMSAliasName(c.Alias))
	}
	v.Range("DeletionWindowInDays", c.DeletionWindowInDays, 7, 30, "days")
	policydoc.Check(v, "Statements", rootPolicy(c), MaxKeyPolicyBytes, c.Statements...)
	common.CheckTags(v, "Tags", c.Tags)
	return c
}

func rootPolicy(c SecureKeyConfig) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       RootStatementSid,
		Effect:    "Allow",
		Principal: iampolicy.AWS(iampolicy.AccountRoot(validate.PartitionOf(c.Region), c.AccountId)),
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	})
}

// NewSecureKey validates cfg and creates the key (construct id id) and,
// with Alias, its alias (id + "_alias") in scope. It returns a
// *validate.Error listing every problem, and creates nothing, when cfg is
// invalid, scope is nil, id is not a valid construct id or is taken, or
// the alias is already used by another construct of the app in the same
// account and region.
func NewSecureKey(scope constructs.Construct, id string, cfg *SecureKeyConfig) (*SecureKey, error) {
	v := validate.NewFor("securekey.NewSecureKey", id)
	baseline.CheckScope(v, scope, id)
	path := id
	if scope != nil {
		if cfg != nil && cfg.Alias != "" {
			v.Check(tree.Node(scope).TryFindChild(jsii.String(id+"_alias")) == nil, "id", id, "needs the construct id "+id+"_alias for the alias, which is already used in this scope")
		}
		if p := tree.Path(scope); p != "" {
			path = p + "/" + id
		}
		if cfg != nil {
			common.CheckProviderScope(v, scope, cfg.Provider)
		}
	}
	c := cfg.withDefaults(v, path)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region},
		[]registry.Claim{{Kind: registry.KMSAlias, Name: c.Alias, Field: "Alias"}})
	if err := v.Err(); err != nil {
		return nil, err
	}
	k := &SecureKey{Config: c, policy: rootPolicy(c)}
	policydoc.Add(&k.policy, c.Statements...)
	kc := &kmskey.KmsKeyConfig{
		Description:          jsii.String(c.Description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(float64(c.DeletionWindowInDays)),
		Policy:               jsii.String(k.policy.JSON()),
		Tags:                 common.Tags(c.Tags, nil),
		Provider:             c.Provider,
	}
	if c.PreventDestroy {
		kc.Lifecycle = &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}
	}
	k.Key = kmskey.NewKmsKey(scope, jsii.String(id), kc)
	tree.Child(scope, id, k.Key)
	if c.Alias != "" {
		k.Alias = kmsalias.NewKmsAlias(scope, jsii.String(id+"_alias"), &kmsalias.KmsAliasConfig{
			Name:        jsii.String(c.Alias),
			TargetKeyId: k.Key.KeyId(),
			Provider:    c.Provider,
		})
	}
	res.Commit()
	return k, nil
}

// Arn is the key's ARN (a token).
func (k *SecureKey) Arn() *string {
	if k.arn == nil {
		k.arn = k.Key.Arn()
	}
	return jsii.String(*k.arn)
}

// PolicyDocument returns the key policy as it stands (a copy).
func (k *SecureKey) PolicyDocument() iampolicy.Document {
	d := k.policy
	d.Statement = append([]iampolicy.Statement(nil), k.policy.Statement...)
	return d
}

// CheckUse records in v (fields prefixed with field) why another construct
// deploying to env cannot use this key with the given key-policy
// statements: a key of another account or region, or statements the policy
// cannot take (see AddToResourcePolicy). Constructs call it while they
// validate, then AddToResourcePolicy once the config is valid.
func (k *SecureKey) CheckUse(v *validate.Collector, field string, env validate.Env, statements ...iampolicy.Statement) {
	if k == nil || k.Key == nil {
		v.Add(field, nil, "must be a key created with securekey.NewSecureKey")
		return
	}
	if env.Region != "" && k.Config.Region != env.Region {
		v.Add(field, k.Config.Region, fmt.Sprintf("must be a key in region %q (%s): KMS keys are regional; this key is in %q", env.Region, env.RegionField, k.Config.Region))
	}
	if env.AccountId != "" && k.Config.AccountId != env.AccountId {
		v.Add(field, k.Config.AccountId, fmt.Sprintf("must be a key of account %s (%s); this key is in account %s", env.AccountId, env.AccountField, k.Config.AccountId))
	}
	policydoc.Check(v, field+".KeyPolicy", k.policy, MaxKeyPolicyBytes, statements...)
}

// AddToResourcePolicy adds statements to the key's one key policy and
// re-sets the policy attribute. A statement identical to one already in
// the policy (same Sid and content) is added once. It returns a
// *validate.Error, and changes nothing, when a statement is invalid, allows
// the wildcard principal, reuses a Sid of a different statement, or the
// policy would exceed MaxKeyPolicyBytes.
func (k *SecureKey) AddToResourcePolicy(statements ...iampolicy.Statement) error {
	v := validate.New("securekey.AddToResourcePolicy")
	policydoc.Check(v, "statements", k.policy, MaxKeyPolicyBytes, statements...)
	if err := v.Err(); err != nil {
		return err
	}
	if policydoc.Add(&k.policy, statements...) {
		k.Key.SetPolicy(jsii.String(k.policy.JSON()))
	}
	return nil
}

// Grant grants actions on this key to g (see package grant): an inline
// policy on a role of this app, else a key-policy statement.
func (k *SecureKey) Grant(g grant.Grantee, name string, actions ...string) (*grant.Grant, error) {
	return grant.Apply(g, grant.Request{
		Name:                    name,
		ResourcePath:            tree.Path(k.Key),
		Scope:                   k.Key,
		Actions:                 actions,
		Resources:               []string{*k.Arn()},
		ResourcePolicyResources: []string{"*"},
		AddToResourcePolicy:     func(s iampolicy.Statement) error { return k.AddToResourcePolicy(s) },
	})
}

// Actions of the grant helpers, as AWS CDK's Key grants them.
var (
	DecryptActions        = []string{"kms:Decrypt"}
	EncryptActions        = []string{"kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}
	EncryptDecryptActions = []string{"kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}
)

// GrantDecrypt lets g decrypt with the key.
func (k *SecureKey) GrantDecrypt(g grant.Grantee) (*grant.Grant, error) {
	return k.Grant(g, "kms-decrypt", DecryptActions...)
}

// GrantEncrypt lets g encrypt with the key (and generate data keys).
func (k *SecureKey) GrantEncrypt(g grant.Grantee) (*grant.Grant, error) {
	return k.Grant(g, "kms-encrypt", EncryptActions...)
}

// GrantEncryptDecrypt lets g encrypt and decrypt with the key.
func (k *SecureKey) GrantEncryptDecrypt(g grant.Grantee) (*grant.Grant, error) {
	return k.Grant(g, "kms-encrypt-decrypt", EncryptDecryptActions...)
}

// LogsStatement lets CloudWatch Logs of region use a key for the log
// groups whose ARNs match logGroupArn (a pattern such as
// "arn:aws:logs:<region>:<account>:log-group:*" with ArnLike, or one group's
// ARN with ArnEquals): the statement a key policy needs before a log group
// can be encrypted with the key. sid names the statement.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func LogsStatement(sid, region, operator, logGroupArn string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:    sid,
		Effect: "Allow",
		// CloudWatch Logs' principal is regional and carries the
		// partition's domain: logs.cn-north-1.amazonaws.com.cn in China.
		Principal: iampolicy.Service("logs." + region + "." + validate.DNSSuffix(validate.PartitionOf(region))),
		Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		Resource:  []string{"*"},
		Condition: map[string]map[string]any{operator: {"kms:EncryptionContext:aws:logs:arn": logGroupArn}},
	}
}
