// Package baseline holds the secure building blocks that several constructs
// share: customer-managed KMS keys, hardened S3 buckets and encrypted
// CloudWatch log groups. Each helper sets the secure options itself, so a
// construct cannot forget one.
package baseline

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlogging"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
)

// Env is the account and region a construct deploys to. Taking them from
// config instead of data sources keeps plans offline-capable.
type Env struct {
	AccountID string
	Region    string
}

// Partition is the ARN partition of the region.
func (e Env) Partition() string { return iampolicy.Partition(e.Region) }

// Root is the account's root principal ARN.
func (e Env) Root() string { return iampolicy.AccountRoot(e.Partition(), e.AccountID) }

// KeyConfig configures a customer-managed KMS key.
type KeyConfig struct {
	Env                  Env
	Description          string
	Alias                string // "alias/..."; empty for none
	DeletionWindowInDays int    // 7-30
	// Statements are added after the statement that gives the account root
	// full control of the key (so the key can never become unmanageable).
	Statements     []iampolicy.Statement
	PreventDestroy bool
}

// Key is a KMS key and its optional alias.
type Key struct {
	Key   kmskey.KmsKey
	Alias kmsalias.KmsAlias
}

// NewKey creates a symmetric KMS key with rotation on and a key policy that
// grants the account root admin rights and no wildcard principal.
func NewKey(scope constructs.Construct, id string, cfg KeyConfig) *Key {
	doc := iampolicy.New(append([]iampolicy.Statement{{
		Sid:       "EnableRootAccountAdministration",
		Effect:    "Allow",
		Principal: iampolicy.AWS(cfg.Env.Root()),
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}}, cfg.Statements...)...)
	kc := &kmskey.KmsKeyConfig{
		Description:          jsii.String(cfg.Description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(float64(cfg.DeletionWindowInDays)),
		Policy:               jsii.String(doc.JSON()),
	}
	if cfg.PreventDestroy {
		kc.Lifecycle = &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}
	}
	k := &Key{Key: kmskey.NewKmsKey(scope, jsii.String(id), kc)}
	if cfg.Alias != "" {
		k.Alias = kmsalias.NewKmsAlias(scope, jsii.String(id+"_alias"), &kmsalias.KmsAliasConfig{
			Name:        jsii.String(cfg.Alias),
			TargetKeyId: k.Key.KeyId(),
		})
	}
	return k
}

// LogsKeyStatement lets CloudWatch Logs in env use a key for log groups of
// this account and region only (kms:EncryptionContext:aws:logs:arn).
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func LogsKeyStatement(env Env) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:       "AllowCloudWatchLogs",
		Effect:    "Allow",
		Principal: iampolicy.Service("logs." + env.Region + ".amazonaws.com"),
		Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		Resource:  []string{"*"},
		Condition: map[string]map[string]any{"ArnLike": {
			"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", env.Partition(), env.Region, env.AccountID),
		}},
	}
}

// LogGroupConfig configures an encrypted CloudWatch log group.
type LogGroupConfig struct {
	Name            string
	RetentionInDays int
	KmsKeyArn       *string
}

// NewLogGroup creates a log group encrypted with KmsKeyArn and with a finite
// retention.
func NewLogGroup(scope constructs.Construct, id string, cfg LogGroupConfig) cloudwatchloggroup.CloudwatchLogGroup {
	return cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(id), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(cfg.Name),
		RetentionInDays: jsii.Number(float64(cfg.RetentionInDays)),
		KmsKeyId:        cfg.KmsKeyArn,
	})
}

// BucketConfig configures a hardened S3 bucket.
type BucketConfig struct {
	Name string
	// KmsKeyArn selects SSE-KMS with S3 Bucket Keys; nil selects SSE-S3
	// (AES256), which S3 server access logs and ALB access logs require.
	KmsKeyArn *string
	// Versioning turns object versioning on.
	Versioning bool
	// ExpirationDays expires current objects after this many days; 0 keeps them.
	ExpirationDays int
	// NoncurrentVersionExpirationDays expires old versions; 0 keeps them.
	NoncurrentVersionExpirationDays int
	// AbortIncompleteMultipartUploadDays is always set; 0 means 7.
	AbortIncompleteMultipartUploadDays int
	// Statements, when set, returns statements added after the TLS-only
	// deny statements; it receives the bucket's ARN (a cdktf token).
	Statements func(bucketArn string) []iampolicy.Statement
	// AccessLogs, when set, sends server access logs to that bucket.
	AccessLogs *AccessLogTarget
	// ForceDestroy lets Terraform delete a non-empty bucket.
	ForceDestroy   bool
	PreventDestroy bool
}

// AccessLogTarget is where a bucket's server access logs go.
type AccessLogTarget struct {
	Bucket *string
	Prefix string
}

// Bucket is a hardened bucket and the resources that harden it.
type Bucket struct {
	Bucket            s3bucket.S3Bucket
	PublicAccessBlock s3bucketpublicaccessblock.S3BucketPublicAccessBlock
	Policy            s3bucketpolicy.S3BucketPolicy
	// PolicyDocument is the bucket policy as built, before token resolution.
	PolicyDocument iampolicy.Document
}

// NewBucket creates a bucket with all four Block Public Access settings,
// BucketOwnerEnforced ownership (ACLs off), default encryption, a policy that
// denies non-TLS and pre-TLS-1.2 requests, and a lifecycle configuration.
func NewBucket(scope constructs.Construct, id string, cfg BucketConfig) *Bucket {
	bc := &s3bucket.S3BucketConfig{
		Bucket:       jsii.String(cfg.Name),
		ForceDestroy: jsii.Bool(cfg.ForceDestroy),
	}
	if cfg.PreventDestroy {
		bc.Lifecycle = &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}
	}
	b := &Bucket{Bucket: s3bucket.NewS3Bucket(scope, jsii.String(id), bc)}
	bucketID := b.Bucket.Id()
	arn := *b.Bucket.Arn()

	b.PublicAccessBlock = s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(scope, jsii.String(id+"_public_access_block"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucketID,
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(scope, jsii.String(id+"_ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucketID,
		Rule:   &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
	})

	sse := &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{
		ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
			SseAlgorithm: jsii.String("AES256"),
		},
	}
	if cfg.KmsKeyArn != nil {
		sse.ApplyServerSideEncryptionByDefault.SseAlgorithm = jsii.String("aws:kms")
		sse.ApplyServerSideEncryptionByDefault.KmsMasterKeyId = cfg.KmsKeyArn
		sse.BucketKeyEnabled = jsii.Bool(true)
	}
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(scope, jsii.String(id+"_encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: bucketID,
		Rule:   &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{sse},
	})

	if cfg.Versioning {
		s3bucketversioning.NewS3BucketVersioningA(scope, jsii.String(id+"_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
			Bucket:                  bucketID,
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
		})
	}

	abort := cfg.AbortIncompleteMultipartUploadDays
	if abort == 0 {
		abort = 7
	}
	rule := &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
		Id:     jsii.String("retention"),
		Status: jsii.String("Enabled"),
		Filter: &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{Prefix: jsii.String("")}},
		AbortIncompleteMultipartUpload: &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
			DaysAfterInitiation: jsii.Number(float64(abort)),
		}},
	}
	if cfg.ExpirationDays > 0 {
		rule.Expiration = &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{Days: jsii.Number(float64(cfg.ExpirationDays))}}
	}
	if cfg.NoncurrentVersionExpirationDays > 0 {
		rule.NoncurrentVersionExpiration = &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
			NoncurrentDays: jsii.Number(float64(cfg.NoncurrentVersionExpirationDays)),
		}}
	}
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String(id+"_lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: bucketID,
		Rule:   &[]*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{rule},
	})

	if cfg.AccessLogs != nil {
		s3bucketlogging.NewS3BucketLoggingA(scope, jsii.String(id+"_logging"), &s3bucketlogging.S3BucketLoggingAConfig{
			Bucket:       bucketID,
			TargetBucket: cfg.AccessLogs.Bucket,
			TargetPrefix: jsii.String(cfg.AccessLogs.Prefix),
		})
	}

	statements := []iampolicy.Statement{iampolicy.DenyInsecureTransport(arn), iampolicy.DenyOutdatedTLS(arn)}
	if cfg.Statements != nil {
		statements = append(statements, cfg.Statements(arn)...)
	}
	b.PolicyDocument = iampolicy.New(statements...)
	b.Policy = s3bucketpolicy.NewS3BucketPolicy(scope, jsii.String(id+"_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucketID,
		Policy: jsii.String(b.PolicyDocument.JSON()),
		// Block Public Access must be in place before a policy is attached.
		DependsOn: &[]cdktf.ITerraformDependable{b.PublicAccessBlock},
	})
	return b
}
