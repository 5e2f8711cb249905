// Package securebucket provides SecureBucket, a hardened S3 bucket: all
// four Block Public Access settings, BucketOwnerEnforced object ownership
// (ACLs off), default encryption (SSE-KMS with an S3 Bucket Key, or SSE-S3
// where AWS delivery services need it), a bucket policy that denies
// requests without TLS or with TLS older than 1.2, versioning, a lifecycle
// rule (incomplete multipart uploads always expire) and optional server
// access logs. Every resource is exposed typed, for escape hatches.
//
// The bucket has ONE bucket policy, kept as a Go-side iampolicy.Document:
// AddToResourcePolicy adds statements and re-sets the policy attribute, so
// no second aws_s3_bucket_policy silently replaces the first. GrantRead,
// GrantWrite and GrantReadWrite give a role of this app an inline policy
// (and, with a SecureKey, kms:Decrypt / kms:GenerateDataKey on it), or any
// other principal a bucket-policy statement (see package grant).
//
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
package securebucket

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlogging"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
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
	// DefaultAbortIncompleteMultipartUploadDays expires incomplete
	// multipart uploads (days).
	DefaultAbortIncompleteMultipartUploadDays = 7
	// MaxBucketPolicyBytes is S3's bucket policy size limit.
	// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
	MaxBucketPolicyBytes = 20480
	// MaxDays bounds the lifecycle day counts (100 years).
	MaxDays = 36500
)

// SecureBucketConfig configures NewSecureBucket.
type SecureBucketConfig struct {
	// BucketName is the bucket's name, following the S3 naming rules
	// (validate.BucketName). Required: bucket names are global, so it does
	// not default from the construct id.
	BucketName string
	// AccountId and Region are the bucket's account and region (the
	// partition of its ARNs comes from Region). Required unless Provider
	// has a literal region and one literal allowed_account_ids entry.
	AccountId, Region string
	// KmsKey selects SSE-KMS with this key and S3 Bucket Keys. Set at most
	// one of KmsKey, KmsKeyArn and S3ManagedEncryption; with none of them
	// the construct creates a customer managed key for the bucket (a
	// securekey.SecureKey with the construct id id + "_key", no alias),
	// which Config.KmsKey then holds.
	KmsKey *securekey.SecureKey
	// KmsKeyArn selects SSE-KMS with a key managed elsewhere (a KMS key
	// ARN of the bucket's region and account).
	KmsKeyArn string
	// S3ManagedEncryption selects SSE-S3 (AES256) instead of a customer
	// managed key. Only for buckets AWS services deliver logs to that
	// accept nothing else: S3 server access logs and ALB access logs. The
	// policy rule HC-S3-002 reports such a bucket; suppress it there with
	// that reason. Default false.
	S3ManagedEncryption bool
	// DisableVersioning turns object versioning off. Only for buckets whose
	// objects can be recreated: without versions an overwrite or delete
	// cannot be undone. Default false (versioning on).
	DisableVersioning bool
	// ExpirationDays expires current objects after this many days
	// (1-36500); 0 keeps them.
	ExpirationDays int
	// NoncurrentVersionExpirationDays expires noncurrent versions after
	// this many days (1-36500); 0 keeps them.
	NoncurrentVersionExpirationDays int
	// AbortIncompleteMultipartUploadDays (1-36500) is always set. Default 7.
	AbortIncompleteMultipartUploadDays int
	// AccessLogs, when set, sends server access logs to another bucket.
	AccessLogs *AccessLogs
	// ForceDestroy lets Terraform delete a non-empty bucket. Only for
	// short-lived environments whose data may be lost.
	ForceDestroy bool
	// PreventDestroy sets lifecycle.prevent_destroy on the bucket.
	PreventDestroy bool
	// Tags are set on the bucket (merged with the provider's default_tags).
	Tags map[string]string
	// Provider creates every resource with this AWS provider. Default: the
	// stack's default provider.
	Provider cdktf.TerraformProvider
}

// AccessLogs is where a bucket's server access logs go.
type AccessLogs struct {
	// TargetBucket is the log bucket's name (or a token). Required.
	TargetBucket string
	// TargetPrefix is the key prefix of the logs, e.g. "s3-access/".
	TargetPrefix string
}

// SecureBucket is the bucket and the resources that harden it. Its
// resources are created directly in the scope given to NewSecureBucket:
// the bucket with the construct id id, the others with id + "_public_access_block",
// "_ownership", "_encryption", "_versioning", "_lifecycle", "_logging" and
// "_policy".
type SecureBucket struct {
	Bucket            s3bucket.S3Bucket
	PublicAccessBlock s3bucketpublicaccessblock.S3BucketPublicAccessBlock
	OwnershipControls s3bucketownershipcontrols.S3BucketOwnershipControls
	Encryption        s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationA
	// Versioning is nil with DisableVersioning.
	Versioning s3bucketversioning.S3BucketVersioningA
	Lifecycle  s3bucketlifecycleconfiguration.S3BucketLifecycleConfiguration
	// Logging is nil without AccessLogs.
	Logging s3bucketlogging.S3BucketLoggingA
	// Policy is the one bucket policy; see AddToResourcePolicy.
	Policy s3bucketpolicy.S3BucketPolicy
	// Config is the config after defaults were applied.
	Config SecureBucketConfig

	policy iampolicy.Document
	arn    string
}

// Validate checks the config as NewSecureBucket(scope, id, cfg) does,
// without creating anything and without the checks that need the construct
// tree. It returns nil or a *validate.Error.
func (cfg *SecureBucketConfig) Validate(id string) error {
	v := validate.NewFor("securebucket.NewSecureBucket", id)
	cfg.withDefaults(v)
	return v.Err()
}

func (cfg *SecureBucketConfig) withDefaults(v *validate.Collector) SecureBucketConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return SecureBucketConfig{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	if c.AbortIncompleteMultipartUploadDays == 0 {
		c.AbortIncompleteMultipartUploadDays = DefaultAbortIncompleteMultipartUploadDays
	}
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	if v.Literal("BucketName", c.BucketName) {
		v.Rule("BucketName", c.BucketName, validate.BucketName(c.BucketName))
	}
	switch {
	case c.S3ManagedEncryption && (c.KmsKey != nil || c.KmsKeyArn != ""):
		v.Add("S3ManagedEncryption", true, "must be false when KmsKey or KmsKeyArn is set (one kind of encryption)")
	case c.KmsKey != nil && c.KmsKeyArn != "":
		v.Add("KmsKeyArn", c.KmsKeyArn, "must be empty when KmsKey is set (one key)")
	case c.KmsKey != nil:
		c.KmsKey.CheckUse(v, "KmsKey", env)
	case c.KmsKeyArn != "":
		v.ARN("KmsKeyArn", c.KmsKeyArn, validate.KmsKeyArn, env)
	}
	for _, d := range []struct {
		field string
		days  int
	}{{"ExpirationDays", c.ExpirationDays}, {"NoncurrentVersionExpirationDays", c.NoncurrentVersionExpirationDays}} {
		if d.days != 0 {
			v.Range(d.field, d.days, 1, MaxDays, "days (0 keeps objects)")
		}
	}
	v.Range("AbortIncompleteMultipartUploadDays", c.AbortIncompleteMultipartUploadDays, 1, MaxDays, "days")
	if c.DisableVersioning {
		v.Check(c.NoncurrentVersionExpirationDays == 0, "NoncurrentVersionExpirationDays", c.NoncurrentVersionExpirationDays, "is only used with versioning (DisableVersioning is set)")
	}
	if c.AccessLogs != nil {
		if v.Literal("AccessLogs.TargetBucket", c.AccessLogs.TargetBucket) {
			if v.Rule("AccessLogs.TargetBucket", c.AccessLogs.TargetBucket, validate.BucketName(c.AccessLogs.TargetBucket)) {
				v.Check(c.AccessLogs.TargetBucket != c.BucketName, "AccessLogs.TargetBucket", c.AccessLogs.TargetBucket, "must differ from BucketName: a bucket's access logs must not be written into itself")
			}
		}
		v.Check(len(c.AccessLogs.TargetPrefix) <= 1024, "AccessLogs.TargetPrefix", c.AccessLogs.TargetPrefix, "must be at most 1024 bytes")
	}
	common.CheckTags(v, "Tags", c.Tags)
	return c
}

// keyConfig is the config of the key a bucket without KmsKey, KmsKeyArn
// and S3ManagedEncryption gets.
func (c SecureBucketConfig) keyConfig() *securekey.SecureKeyConfig {
	return &securekey.SecureKeyConfig{
		AccountId: c.AccountId, Region: c.Region, Provider: c.Provider, Tags: c.Tags,
		Description: "Encrypts the objects of S3 bucket " + c.BucketName,
	}
}

// NewSecureBucket validates cfg and creates the bucket and its hardening
// resources in scope (see SecureBucket for their construct ids). The policy
// starts with the TLS-only deny statements (iampolicy.DenyInsecureTransport
// and DenyOutdatedTLS); add more with AddToResourcePolicy. It returns a
// *validate.Error, and creates nothing, when cfg is invalid, scope is nil,
// id is invalid or taken, or another construct of the app uses the bucket
// name.
func NewSecureBucket(scope constructs.Construct, id string, cfg *SecureBucketConfig) (*SecureBucket, error) {
	v := validate.NewFor("securebucket.NewSecureBucket", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c := cfg.withDefaults(v)
	ownKey := c.KmsKey == nil && c.KmsKeyArn == "" && !c.S3ManagedEncryption
	if ownKey {
		baseline.CheckScope(v, scope, id+"_key")
	}
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region)},
		[]registry.Claim{{Kind: registry.S3Bucket, Name: c.BucketName, Field: "BucketName"}})
	if err := v.Err(); err != nil {
		return nil, err
	}
	if ownKey {
		key, err := securekey.NewSecureKey(scope, id+"_key", c.keyConfig())
		if err != nil {
			return nil, err // unreachable: the bucket's config was validated
		}
		c.KmsKey = key
	}
	b := newBucket(scope, id, c)
	res.Commit()
	return b, nil
}

func newBucket(scope constructs.Construct, id string, c SecureBucketConfig) *SecureBucket {
	p := c.Provider
	bc := &s3bucket.S3BucketConfig{
		Bucket:       jsii.String(c.BucketName),
		ForceDestroy: jsii.Bool(c.ForceDestroy),
		Tags:         common.Tags(c.Tags, nil),
		Provider:     p,
	}
	if c.PreventDestroy {
		bc.Lifecycle = &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}
	}
	b := &SecureBucket{Config: c, Bucket: s3bucket.NewS3Bucket(scope, jsii.String(id), bc)}
	tree.Child(scope, id, b.Bucket)
	bucketID := b.Bucket.Id()
	b.arn = *b.Bucket.Arn()

	b.PublicAccessBlock = s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(scope, jsii.String(id+"_public_access_block"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucketID,
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
		Provider:              p,
	})
	b.OwnershipControls = s3bucketownershipcontrols.NewS3BucketOwnershipControls(scope, jsii.String(id+"_ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket:   bucketID,
		Rule:     &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
		Provider: p,
	})

	sse := &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{
		ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
			SseAlgorithm: jsii.String("AES256"),
		},
	}
	if keyArn := b.KmsKeyArn(); keyArn != nil {
		sse.ApplyServerSideEncryptionByDefault.SseAlgorithm = jsii.String("aws:kms")
		sse.ApplyServerSideEncryptionByDefault.KmsMasterKeyId = keyArn
		sse.BucketKeyEnabled = jsii.Bool(true)
	}
	b.Encryption = s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(scope, jsii.String(id+"_encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket:   bucketID,
		Rule:     &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{sse},
		Provider: p,
	})

	if !c.DisableVersioning {
		b.Versioning = s3bucketversioning.NewS3BucketVersioningA(scope, jsii.String(id+"_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
			Bucket:                  bucketID,
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
			Provider:                p,
		})
	}

	rule := &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
		Id:     jsii.String("retention"),
		Status: jsii.String("Enabled"),
		Filter: &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{Prefix: jsii.String("")}},
		AbortIncompleteMultipartUpload: &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
			DaysAfterInitiation: jsii.Number(float64(c.AbortIncompleteMultipartUploadDays)),
		}},
	}
	if c.ExpirationDays > 0 {
		rule.Expiration = &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{Days: jsii.Number(float64(c.ExpirationDays))}}
	}
	if c.NoncurrentVersionExpirationDays > 0 {
		rule.NoncurrentVersionExpiration = &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
			NoncurrentDays: jsii.Number(float64(c.NoncurrentVersionExpirationDays)),
		}}
	}
	b.Lifecycle = s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String(id+"_lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket:   bucketID,
		Rule:     &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{rule},
		Provider: p,
	})

	if c.AccessLogs != nil {
		b.Logging = s3bucketlogging.NewS3BucketLoggingA(scope, jsii.String(id+"_logging"), &s3bucketlogging.S3BucketLoggingAConfig{
			Bucket:       bucketID,
			TargetBucket: jsii.String(baseline.EscapeTemplate(c.AccessLogs.TargetBucket)),
			TargetPrefix: jsii.String(c.AccessLogs.TargetPrefix),
			Provider:     p,
		})
	}

	b.policy = iampolicy.New(iampolicy.DenyInsecureTransport(b.arn), iampolicy.DenyOutdatedTLS(b.arn))
	b.Policy = s3bucketpolicy.NewS3BucketPolicy(scope, jsii.String(id+"_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucketID,
		Policy: jsii.String(b.policy.JSON()),
		// Block Public Access must be in place before a policy is attached.
		DependsOn: &[]cdktf.ITerraformDependable{b.PublicAccessBlock},
		Provider:  p,
	})
	return b
}

// Arn is the bucket's ARN (a token).
func (b *SecureBucket) Arn() *string {
	if b.arn == "" {
		b.arn = *b.Bucket.Arn()
	}
	return jsii.String(b.arn)
}

// KmsKeyArn is the ARN of the bucket's KMS key, or nil for SSE-S3.
func (b *SecureBucket) KmsKeyArn() *string {
	switch {
	case b.Config.KmsKey != nil:
		return b.Config.KmsKey.Arn()
	case b.Config.KmsKeyArn != "":
		return jsii.String(b.Config.KmsKeyArn)
	}
	return nil
}

// PolicyDocument returns the bucket policy as it stands (a copy).
func (b *SecureBucket) PolicyDocument() iampolicy.Document {
	d := b.policy
	d.Statement = append([]iampolicy.Statement(nil), b.policy.Statement...)
	return d
}

// CheckAddToResourcePolicy records in v (fields prefixed with field) why
// the statements cannot be added to the bucket policy, for constructs that
// validate before they call AddToResourcePolicy.
func (b *SecureBucket) CheckAddToResourcePolicy(v *validate.Collector, field string, statements ...iampolicy.Statement) {
	policydoc.Check(v, field, b.policy, MaxBucketPolicyBytes, statements...)
}

// AddToResourcePolicy adds statements to the bucket's one policy and
// re-sets its policy attribute. An identical statement is added once. It
// returns a *validate.Error, and changes nothing, when a statement is
// invalid, allows the wildcard principal, reuses a Sid of a different
// statement, or the policy would exceed MaxBucketPolicyBytes.
func (b *SecureBucket) AddToResourcePolicy(statements ...iampolicy.Statement) error {
	v := validate.New("securebucket.AddToResourcePolicy")
	b.CheckAddToResourcePolicy(v, "statements", statements...)
	if err := v.Err(); err != nil {
		return err
	}
	if policydoc.Add(&b.policy, statements...) {
		b.Policy.SetPolicy(jsii.String(b.policy.JSON()))
	}
	return nil
}

// Actions of the grant helpers, as AWS CDK's Bucket grants them.
var (
	ReadActions  = []string{"s3:GetObject*", "s3:GetBucket*", "s3:List*"}
	WriteActions = []string{"s3:DeleteObject*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:Abort*"}
)

// Grant grants actions on the bucket and its objects to g (see package
// grant), and, when the bucket is encrypted with a SecureKey, keyActions on
// that key (a KmsKeyArn key gets an identity-side statement only: its
// policy is managed elsewhere).
func (b *SecureBucket) Grant(g grant.Grantee, name string, actions, keyActions []string) ([]*grant.Grant, error) {
	out := []*grant.Grant{}
	gr, err := grant.Apply(g, grant.Request{
		Name:                    name,
		ResourcePath:            tree.Path(b.Bucket),
		Scope:                   b.Bucket,
		Actions:                 actions,
		Resources:               []string{b.arn, b.arn + "/*"},
		ResourcePolicyResources: []string{b.arn, b.arn + "/*"},
		AddToResourcePolicy:     func(s iampolicy.Statement) error { return b.AddToResourcePolicy(s) },
	})
	if err != nil {
		return nil, err
	}
	out = append(out, gr)
	if len(keyActions) == 0 {
		return out, nil
	}
	switch {
	case b.Config.KmsKey != nil:
		kg, err := b.Config.KmsKey.Grant(g, name+"-key", keyActions...)
		if err != nil {
			return nil, err
		}
		out = append(out, kg)
	case b.Config.KmsKeyArn != "" && g != nil && g.Role() != nil:
		kg, err := grant.Apply(g, grant.Request{
			Name: name + "-key", ResourcePath: tree.Path(b.Bucket) + "/key", Actions: keyActions,
			Resources:           []string{b.Config.KmsKeyArn},
			AddToResourcePolicy: func(iampolicy.Statement) error { return fmt.Errorf("unreachable") },
		})
		if err != nil {
			return nil, err
		}
		out = append(out, kg)
	}
	return out, nil
}

// GrantRead lets g read objects and list the bucket (and decrypt with its
// key).
func (b *SecureBucket) GrantRead(g grant.Grantee) ([]*grant.Grant, error) {
	return b.Grant(g, "s3-read", ReadActions, securekey.DecryptActions)
}

// GrantWrite lets g write and delete objects (and encrypt with its key).
func (b *SecureBucket) GrantWrite(g grant.Grantee) ([]*grant.Grant, error) {
	return b.Grant(g, "s3-write", WriteActions, securekey.EncryptDecryptActions)
}

// GrantReadWrite lets g read, list, write and delete (and use its key).
func (b *SecureBucket) GrantReadWrite(g grant.Grantee) ([]*grant.Grant, error) {
	return b.Grant(g, "s3-read-write", append(append([]string(nil), ReadActions...), WriteActions...), securekey.EncryptDecryptActions)
}
