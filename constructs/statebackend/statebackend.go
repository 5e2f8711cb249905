// Package statebackend provides EncryptedStateBackend, the S3 bucket, KMS key
// and optional DynamoDB table that hold Terraform state, and Use, which points
// any cdktf stack at them.
//
// Deploy NewEncryptedStateBackend once per account and region from a stack
// that keeps local state (see stacks.NewBootstrapStack), then call Use in
// every other stack with the bootstrap stack's outputs. Every rule of both
// configs is in rules.go, with the Terraform and AWS documents it follows.
//
// # Encryption and locking guarantees
//
// The state bucket's policy denies any PutObject that is not SSE-KMS with
// exactly the state key. Use always writes encrypt = true and kms_key_id =
// the key ARN, so Terraform sends
//
//	x-amz-server-side-encryption: aws:kms
//	x-amz-server-side-encryption-aws-kms-key-id: <key ARN>
//
// on every write of both the state object and the "<key>.tflock" lock object
// (Terraform >= 1.10 with use_lockfile). Use rejects a KmsKeyId that is not a
// key ARN, because the policy compares the header to the key ARN and an alias
// or bare key ID would lock Terraform out.
//
// # Bring your own key and log bucket
//
// By default the backend creates its KMS key and its server access log
// bucket. KmsKey (a securekey.SecureKey of this app, e.g. a team key) or
// KmsKeyArn (a key managed elsewhere) encrypt the state with an existing
// key; AccessLogsBucket (a securebucket.SecureBucket of this app) or
// AccessLogsBucketName (a bucket managed elsewhere) receive the access logs.
// The backend needs no key-policy statement of its own: the key policy must
// let the account's IAM policies decide (the root statement securekey
// always has, and AWS's default key policy), so that grants and the
// deployer's IAM policy work. A log bucket of this app gets the delivery
// statement (AccessLogsDeliveryStatement) added to its one policy; a bucket
// managed elsewhere must have it already, and must use SSE-S3.
//
// # Who may use the state: grants
//
// GrantRead and GrantReadWrite give a role of this app (grant.Role) one
// inline policy, or a principal managed elsewhere (grant.Principal, e.g. a
// role of another account) statements in the state bucket's one policy and
// the state key's one policy, limited to the state objects of a key
// pattern. Add other statements with StateBucket.AddToResourcePolicy and
// Key.AddToResourcePolicy: never a second aws_s3_bucket_policy.
//
// # IAM permissions the backend needs
//
// A principal that runs Terraform against this backend needs, on top of the
// permissions for the resources it manages (GrantReadWrite gives exactly
// these):
//
//   - s3:ListBucket on the bucket (Terraform lists workspaces at init);
//   - s3:GetObject and s3:PutObject on "<key>" (the state object);
//   - s3:GetObject, s3:PutObject and s3:DeleteObject on "<key>.tflock"
//     (the S3 lock file: created with If-None-Match on lock, deleted on unlock);
//   - kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on the key;
//   - only with DynamodbTable: dynamodb:DescribeTable, GetItem, PutItem and
//     DeleteItem on the lock table.
//
// See https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
package statebackend

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dynamodbtable"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is unset.
const (
	// DefaultDeletionWindowInDays is the KMS key deletion window (days).
	DefaultDeletionWindowInDays = 30
	// DefaultNoncurrentVersionExpirationDays is how long old state
	// versions are kept (days).
	DefaultNoncurrentVersionExpirationDays = 90
	// DefaultLogExpirationDays is how long access logs are kept (days).
	DefaultLogExpirationDays = 365
	// DefaultAccessLogsPrefix is the key prefix of the access logs.
	DefaultAccessLogsPrefix = "s3-access/"
	// AbortIncompleteMultipartUploadDays is fixed for both buckets (days).
	AbortIncompleteMultipartUploadDays = 7
	// LogNoncurrentVersionExpirationDays keeps overwritten or deleted
	// access logs this long in the log bucket the backend creates (days).
	LogNoncurrentVersionExpirationDays = 30
	// MaxDays bounds every day count (100 years).
	MaxDays = 36500
	// MaxKeyLength is the longest state Key: S3 keys hold at most 1024
	// bytes, and the lock object is "<Key>.tflock".
	MaxKeyLength = MaxS3KeyBytes - len(".tflock")
)

// EncryptedStateBackendConfig configures NewEncryptedStateBackend.
type EncryptedStateBackendConfig struct {
	// Bucket is the state bucket's name, a literal following the S3 bucket
	// naming rules. Required. With "-logs" appended it names the log bucket
	// the backend creates (unless LogBucket is set), so it must then still
	// fit 63 characters.
	Bucket string
	// AccountId is the 12-digit AWS account that owns the bucket. Required
	// unless Provider has one literal allowed_account_ids entry: the key
	// policy names its root principal and the log bucket policy checks
	// aws:SourceAccount.
	AccountId string
	// Region is the AWS region of the bucket and key, e.g. "eu-west-1".
	// Required unless Provider has a literal region.
	Region string

	// KmsKey encrypts the state with a key of this app (e.g. a team key)
	// instead of one the backend creates. It must be in Region and
	// AccountId. Set at most one of KmsKey and KmsKeyArn.
	KmsKey *securekey.SecureKey
	// KmsKeyArn encrypts the state with a key managed elsewhere, a KMS key
	// ARN of Region and AccountId. Its key policy must let the account's
	// IAM policies use the key (AWS's default key policy does), or allow
	// kms:Encrypt, kms:Decrypt and kms:GenerateDataKey to every Terraform
	// principal; GrantRead/GrantReadWrite cannot add key-policy statements
	// to it.
	KmsKeyArn string
	// KmsKeyAlias is the alias of the key the backend creates. Default
	// "alias/<Bucket with '.' replaced by '-'>". validate.KMSAliasName;
	// only without KmsKey and KmsKeyArn.
	KmsKeyAlias string
	// DeletionWindowInDays is the deletion window of the key the backend
	// creates, 7-30 days (KMS limits; Terraform's own name). Default 30.
	// Only without KmsKey and KmsKeyArn.
	DeletionWindowInDays *int
	// NoncurrentVersionExpirationDays expires noncurrent (overwritten)
	// state versions after this many days, 0-36500; 0 keeps every version
	// forever. Default 90.
	NoncurrentVersionExpirationDays *int

	// LogBucket is the name of the server access log bucket the backend
	// creates. Default "<Bucket>-logs". Empty with AccessLogsBucket or
	// AccessLogsBucketName.
	LogBucket string
	// AccessLogsBucket sends the state bucket's server access logs to a
	// bucket of this app instead of one the backend creates; the delivery
	// statement (AccessLogsDeliveryStatement) is added to its policy. It
	// must use SSE-S3 (created with S3ManagedEncryption: S3 server access
	// log delivery does not support SSE-KMS default encryption) and be in
	// Region and AccountId.
	AccessLogsBucket *securebucket.SecureBucket
	// AccessLogsBucketName sends the access logs to a bucket managed
	// elsewhere (name or token). It must be in Region and AccountId, use
	// SSE-S3 and hold AccessLogsDeliveryStatement in its policy.
	AccessLogsBucketName string
	// AccessLogsPrefix is the key prefix of the access logs. Default
	// "s3-access/".
	AccessLogsPrefix string
	// LogExpirationDays expires access logs in the log bucket the backend
	// creates after this many days, 0-36500; 0 keeps them forever. Default
	// 365. Only without AccessLogsBucket and AccessLogsBucketName.
	LogExpirationDays *int

	// LockTable creates a DynamoDB lock table, for teams that still run
	// Terraform older than 1.10 (which has no S3 lock file). Default false:
	// S3 native locking (use_lockfile) needs no table.
	LockTable bool
	// DynamodbTable names the lock table. Default "<Bucket>-lock". Only used
	// with LockTable.
	DynamodbTable string
	// OutputPrefix is prepended to the names of the backend's Terraform
	// outputs (state_bucket_name, ...). Default "": the names the README and
	// stacks use. Output names are per stack, so a stack that holds two
	// backends (e.g. one per region, through provider aliases) sets it on
	// one of them, e.g. "dr_". The names must be Terraform identifiers.
	OutputPrefix string
	// Tags are set on every taggable resource (key, buckets, lock table),
	// merged by the provider with its default_tags.
	Tags map[string]string
	// Provider creates every resource with this AWS provider. Default: the
	// stack's default AWS provider. With a literal region and
	// allowed_account_ids, Region and AccountId default from it and must
	// match it.
	Provider cdktf.TerraformProvider
}

// EncryptedStateBackend is the deployed half of the state backend.
type EncryptedStateBackend struct {
	// Construct is the scope that holds every resource below. (It is a named
	// field, not embedded: jsii cannot pass a Go struct embedding a construct
	// as a scope.)
	Construct constructs.Construct
	// StateBucket holds the state objects: the bucket and every part of it
	// (public access block, ownership, encryption, versioning, lifecycle,
	// logging, the one policy).
	StateBucket *securebucket.SecureBucket
	// LogBucket receives the state bucket's server access logs: the bucket
	// the backend created, or AccessLogsBucket; nil with
	// AccessLogsBucketName.
	LogBucket *securebucket.SecureBucket
	// Key encrypts state objects (and the lock table): the key (and alias)
	// the backend created, or KmsKey; nil with KmsKeyArn.
	Key *securekey.SecureKey
	// LockTable is nil unless LockTable was set.
	LockTable dynamodbtable.DynamodbTable
	// Config is the config after defaults were applied.
	Config EncryptedStateBackendConfig

	keyArn string
}

// KmsKeyArn is the ARN of the state key (a token for a key of this app).
func (b *EncryptedStateBackend) KmsKeyArn() *string { return jsii.String(b.keyArn) }

// NewEncryptedStateBackend validates cfg and creates:
//
//   - the state bucket: versioning, SSE-KMS with the key and S3 Bucket Keys,
//     all four Block Public Access settings, BucketOwnerEnforced, a policy
//     that denies non-TLS, TLS < 1.2 and any PutObject that is not SSE-KMS
//     with the key, a lifecycle rule (noncurrent versions, incomplete
//     multipart uploads), access logging and prevent_destroy;
//   - unless AccessLogsBucket or AccessLogsBucketName is set, the log
//     bucket: SSE-S3 (S3 server access log delivery does not support
//     SSE-KMS), Block Public Access, BucketOwnerEnforced, a TLS-only policy
//     that lets only logging.s3.amazonaws.com write logs of the state bucket,
//     versioning and a lifecycle rule (noncurrent versions kept 30 days);
//   - unless KmsKey or KmsKeyArn is set, the KMS key: rotation on, the
//     configured deletion window, a key policy that gives the account root
//     admin rights, an alias and prevent_destroy;
//   - with LockTable, a PAY_PER_REQUEST DynamoDB table keyed by LockID with
//     point-in-time recovery, SSE with the same key and deletion protection;
//   - Terraform outputs state_bucket_name, state_bucket_arn,
//     state_kms_key_arn and, with LockTable, state_lock_table_name, each
//     prefixed with OutputPrefix. Output names are per stack, so a second
//     backend in a stack needs another OutputPrefix (else it is an error
//     naming both).
//
// It returns a *validate.Error listing every invalid field, and creates
// nothing, when cfg is invalid.
func NewEncryptedStateBackend(scope constructs.Construct, id string, cfg *EncryptedStateBackendConfig) (*EncryptedStateBackend, error) {
	v := validate.NewFor("statebackend.NewEncryptedStateBackend", id)
	if isNil(scope) {
		scope = nil // a typed nil is nil
	}
	baseline.CheckScope(v, scope, id)
	if cfg != nil && scope != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c := cfg.check(v)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	b := &EncryptedStateBackend{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c}
	tree.Child(scope, id, b.Construct)
	in := b.Construct
	p := c.Provider
	var err error

	switch {
	case c.KmsKey != nil:
		b.Key, b.keyArn = c.KmsKey, *c.KmsKey.Arn()
	case c.KmsKeyArn != "":
		b.keyArn = c.KmsKeyArn
	default:
		b.Key, err = securekey.NewSecureKey(in, "key", &securekey.SecureKeyConfig{
			AccountId:            c.AccountId,
			Region:               c.Region,
			Description:          "Encrypts Terraform state in s3://" + c.Bucket,
			Alias:                c.KmsKeyAlias,
			DeletionWindowInDays: validate.IntOr(c.DeletionWindowInDays, DefaultDeletionWindowInDays),
			PreventDestroy:       true,
			Tags:                 c.Tags,
			Provider:             p,
		})
		if err != nil {
			return nil, err // unreachable: validated above
		}
		b.keyArn = *b.Key.Arn()
	}

	var logTarget string
	switch {
	case c.AccessLogsBucket != nil:
		b.LogBucket = c.AccessLogsBucket
		logTarget = *b.LogBucket.Bucket.Id()
	case c.AccessLogsBucketName != "":
		logTarget = c.AccessLogsBucketName
	default:
		b.LogBucket, err = securebucket.NewSecureBucket(in, "log_bucket", &securebucket.SecureBucketConfig{
			S3ManagedEncryption:             true, // see logBucketSseS3Reason
			BucketName:                      c.LogBucket,
			AccountId:                       c.AccountId,
			Region:                          c.Region,
			ExpirationDays:                  validate.IntOr(c.LogExpirationDays, DefaultLogExpirationDays),
			NoncurrentVersionExpirationDays: LogNoncurrentVersionExpirationDays,
			Tags:                            c.Tags,
			Provider:                        p,
		})
		if err != nil {
			return nil, err // unreachable: validated above
		}
		logTarget = *b.LogBucket.Bucket.Id()
		// The deliberate exception, declared for the policy checker.
		if err := policy.Suppress(b.LogBucket.Bucket, "HC-S3-002", logBucketSseS3Reason); err != nil {
			return nil, err
		}
	}
	if b.LogBucket != nil {
		if err := b.LogBucket.AddToResourcePolicy(accessLogsStatement(c, *b.LogBucket.Arn())); err != nil {
			return nil, err // unreachable: checked above
		}
	}

	var byoKeyArn string // a key managed elsewhere
	if b.Key == nil {
		byoKeyArn = c.KmsKeyArn
	}
	b.StateBucket, err = securebucket.NewSecureBucket(in, "state_bucket", &securebucket.SecureBucketConfig{
		BucketName:                         c.Bucket,
		AccountId:                          c.AccountId,
		Region:                             c.Region,
		KmsKey:                             b.Key,
		KmsKeyArn:                          byoKeyArn,
		NoncurrentVersionExpirationDays:    validate.IntOr(c.NoncurrentVersionExpirationDays, DefaultNoncurrentVersionExpirationDays),
		AbortIncompleteMultipartUploadDays: AbortIncompleteMultipartUploadDays,
		AccessLogs:                         &securebucket.AccessLogs{TargetBucket: logTarget, TargetPrefix: c.AccessLogsPrefix},
		PreventDestroy:                     true,
		Tags:                               c.Tags,
		Provider:                           p,
	})
	if err != nil {
		return nil, err // unreachable: validated above
	}
	if err := b.StateBucket.AddToResourcePolicy(StateBucketStatements(*b.StateBucket.Arn(), b.keyArn)...); err != nil {
		return nil, err // unreachable: fresh policy
	}

	if c.LockTable {
		b.LockTable = dynamodbtable.NewDynamodbTable(in, jsii.String("lock_table"), &dynamodbtable.DynamodbTableConfig{
			Provider:                  p,
			Tags:                      common.Tags(c.Tags, nil),
			Name:                      jsii.String(c.DynamodbTable),
			BillingMode:               jsii.String("PAY_PER_REQUEST"),
			HashKey:                   jsii.String("LockID"),
			Attribute:                 &[]*dynamodbtable.DynamodbTableAttribute{{Name: jsii.String("LockID"), Type: jsii.String("S")}},
			PointInTimeRecovery:       &dynamodbtable.DynamodbTablePointInTimeRecovery{Enabled: jsii.Bool(true)},
			ServerSideEncryption:      &dynamodbtable.DynamodbTableServerSideEncryption{Enabled: jsii.Bool(true), KmsKeyArn: b.KmsKeyArn()},
			DeletionProtectionEnabled: jsii.Bool(true),
		})
	}

	pre := c.OutputPrefix
	output(in, pre+OutputStateBucketName, b.StateBucket.Bucket.Bucket(), "Name of the Terraform state bucket (statebackend.BackendConfig.Bucket).")
	output(in, pre+OutputStateBucketArn, b.StateBucket.Bucket.Arn(), "ARN of the Terraform state bucket.")
	output(in, pre+OutputStateKmsKeyArn, b.KmsKeyArn(), "ARN of the state KMS key (statebackend.BackendConfig.KmsKeyId).")
	if c.LockTable {
		output(in, pre+OutputStateLockTableName, b.LockTable.Name(), "Name of the legacy DynamoDB lock table (statebackend.BackendConfig.DynamodbTable).")
	}
	return b, nil
}

// sseKmsNotSupported quotes the S3 user guide on log destination buckets.
const sseKmsNotSupported = `"Default server-side encryption with AWS Key Management Service (AWS KMS) keys (SSE-KMS) is not supported." ` +
	`(Amazon S3 User Guide, "Enabling Amazon S3 server access logging", https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)`

// logBucketSseS3Reason is recorded with the log bucket's policy
// suppression. aws-cdk PR #25350 reports SSE-KMS target buckets working
// when the key policy admits logging.s3.amazonaws.com, but AWS documents it
// as unsupported, so the log bucket stays SSE-S3.
const logBucketSseS3Reason = "S3 server access logs may only be delivered to a target bucket whose default encryption is SSE-S3: " + sseKmsNotSupported +
	". Compensating: all public access blocked, BucketOwnerEnforced, TLS-only policy, writes only by logging.s3.amazonaws.com for the state bucket, versioning, lifecycle expiry."

// Output names (after OutputPrefix). They are fixed logical ids: two
// backends in one stack need different OutputPrefixes.
const (
	OutputStateBucketName    = "state_bucket_name"
	OutputStateBucketArn     = "state_bucket_arn"
	OutputStateKmsKeyArn     = "state_kms_key_arn"
	OutputStateLockTableName = "state_lock_table_name"
)

// claims are the names the backend creates that must be unique in the app.
func (c EncryptedStateBackendConfig) claims() []registry.Claim {
	out := []registry.Claim{{Kind: registry.S3Bucket, Name: c.Bucket, Field: "Bucket"}}
	if c.LogBucket != "" {
		out = append(out, registry.Claim{Kind: registry.S3Bucket, Name: c.LogBucket, Field: "LogBucket"})
	}
	if c.KmsKey == nil && c.KmsKeyArn == "" {
		out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: c.KmsKeyAlias, Field: "KmsKeyAlias"})
	}
	pre := c.OutputPrefix
	out = append(out, registry.Outputs("OutputPrefix", pre+OutputStateBucketName, pre+OutputStateBucketArn, pre+OutputStateKmsKeyArn)...)
	if c.LockTable {
		out = append(out, registry.Claim{Kind: registry.DynamoDBTable, Name: c.DynamodbTable, Field: "DynamodbTable"},
			registry.Claim{Kind: registry.Output, Name: pre + OutputStateLockTableName, Field: "OutputPrefix"})
	}
	return out
}

// AccessLogsDeliveryStatement is the bucket-policy statement that lets S3
// deliver the server access logs of the bucket sourceBucket of account
// sourceAccount (in partition) to logBucketArn under prefix, for a log
// bucket managed elsewhere (AccessLogsBucketName). Its Sid is
// "AllowS3ServerAccessLogs". See
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-bucket-policy
func AccessLogsDeliveryStatement(partition, sourceAccount, sourceBucket, logBucketArn, prefix string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:       "AllowS3ServerAccessLogs",
		Effect:    "Allow",
		Principal: iampolicy.Service("logging.s3.amazonaws.com"),
		Action:    []string{"s3:PutObject"},
		Resource:  []string{logBucketArn + "/" + prefix + "*"},
		Condition: map[string]map[string]any{
			"ArnLike":      {"aws:SourceArn": "arn:" + partition + ":s3:::" + sourceBucket},
			"StringEquals": {"aws:SourceAccount": sourceAccount},
		},
	}
}

// accessLogsStatement is the delivery statement of c's state bucket. In a
// log bucket of this app that others may share (AccessLogsBucket) its Sid
// carries 8 hex digits of the state bucket's name, so several backends can
// log to one bucket.
func accessLogsStatement(c EncryptedStateBackendConfig, logBucketArn string) iampolicy.Statement {
	st := AccessLogsDeliveryStatement(validate.PartitionOf(c.Region), c.AccountId, c.Bucket, logBucketArn, c.AccessLogsPrefix)
	if c.AccessLogsBucket != nil {
		sum := sha256.Sum256([]byte(c.Bucket))
		st.Sid += hex.EncodeToString(sum[:4])
	}
	return st
}

// StateBucketStatements returns the statements that make the state bucket
// accept only SSE-KMS writes with keyArn. They are exported so tests can
// evaluate a backend config against exactly what the bucket enforces.
//
//   - DenyUnencryptedObjectUploads: PutObject whose
//     x-amz-server-side-encryption is not "aws:kms" (or is missing).
//   - DenyWrongKmsKey: PutObject whose
//     x-amz-server-side-encryption-aws-kms-key-id is not keyArn (or is
//     missing; S3 compares the header to the key ARN literally).
func StateBucketStatements(bucketArn, keyArn string) []iampolicy.Statement {
	return []iampolicy.Statement{
		{
			Sid:       "DenyUnencryptedObjectUploads",
			Effect:    "Deny",
			Principal: iampolicy.AnyPrincipal,
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/*"},
			Condition: map[string]map[string]any{"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
		},
		{
			Sid:       "DenyWrongKmsKey",
			Effect:    "Deny",
			Principal: iampolicy.AnyPrincipal,
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/*"},
			Condition: map[string]map[string]any{"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn}},
		},
	}
}

func output(scope constructs.Construct, name string, value *string, description string) {
	o := cdktf.NewTerraformOutput(scope, jsii.String(name), &cdktf.TerraformOutputConfig{
		Value:       value,
		Description: jsii.String(description),
	})
	o.OverrideLogicalId(jsii.String(name))
}

// Validate checks the config as NewEncryptedStateBackend does, without
// creating anything and without the checks that need the construct tree
// (id, provider scope, names used by other constructs). It returns nil or
// a *validate.Error.
func (cfg *EncryptedStateBackendConfig) Validate(id string) error {
	v := validate.NewFor("statebackend.NewEncryptedStateBackend", id)
	baseline.CheckID(v, id)
	cfg.check(v)
	return v.Err()
}
