// Package statebackend provides EncryptedStateBackend, the S3 bucket, KMS key
// and optional DynamoDB table that hold Terraform state, and Use, which points
// any cdktf stack at them.
//
// Deploy NewEncryptedStateBackend once per account and region from a stack
// that keeps local state (see stacks.NewBootstrapStack), then call Use in
// every other stack with the bootstrap stack's outputs.
//
// # Encryption and locking guarantees
//
// The state bucket's policy denies any PutObject that is not SSE-KMS with
// exactly the backend key. Use always writes encrypt = true and kms_key_id =
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
// # IAM permissions the backend needs
//
// A principal that runs Terraform against this backend needs, on top of the
// permissions for the resources it manages:
//
//   - s3:ListBucket on the bucket (with s3:prefix covering the state keys);
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
	"fmt"
	"regexp"
	"slices"
	"strings"

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
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is zero.
const (
	// DefaultDeletionWindowInDays is the KMS key deletion window (days).
	DefaultDeletionWindowInDays = 30
	// DefaultNoncurrentDays is how long old state versions are kept (days).
	DefaultNoncurrentDays = 90
	// DefaultLogExpirationDays is how long access logs are kept (days).
	DefaultLogExpirationDays = 365
	// AbortIncompleteMultipartUploadDays is fixed for both buckets (days).
	AbortIncompleteMultipartUploadDays = 7
	// MaxDays bounds every day count (100 years).
	MaxDays = 36500
	// MaxKeyLength is the longest state Key: S3 keys hold at most 1024
	// bytes, and the lock object is "<Key>.tflock".
	MaxKeyLength = 1024 - len(".tflock")
)

// EncryptedStateBackendConfig configures NewEncryptedStateBackend.
type EncryptedStateBackendConfig struct {
	// Bucket is the state bucket's name. Required; it must follow the S3
	// bucket naming rules and, with "-logs" appended, still fit 63 characters
	// unless LogBucket is set.
	Bucket string
	// AccountId is the 12-digit AWS account that owns the bucket. Required:
	// the key policy names its root principal and the log bucket policy
	// checks aws:SourceAccount.
	AccountId string
	// Region is the AWS region of the bucket and key, e.g. "us-east-1".
	// Required.
	Region string
	// KmsKeyAlias is the alias of the state key. Default
	// "alias/<Bucket with '.' replaced by '-'>". It must start with "alias/"
	// and not with "alias/aws/".
	KmsKeyAlias string
	// DeletionWindowInDays is the KMS key's deletion window, 7-30 days.
	// Default 30.
	DeletionWindowInDays int
	// NoncurrentDays expires noncurrent state versions after this many days
	// (at least 1). Default 90.
	NoncurrentDays int
	// LogBucket is the name of the server access log bucket. Default
	// "<Bucket>-logs".
	LogBucket string
	// LogExpirationDays expires access logs after this many days (at least 1).
	// Default 365.
	LogExpirationDays int
	// LockTable creates a DynamoDB lock table, for teams that still run
	// Terraform older than 1.10 (which has no S3 lock file). Default false:
	// S3 native locking (use_lockfile) needs no table.
	LockTable bool
	// DynamodbTable names the lock table. Default "<Bucket>-lock". Only used
	// with LockTable.
	DynamodbTable string
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
	// StateBucket holds the state objects.
	StateBucket *securebucket.SecureBucket
	// LogBucket receives the state bucket's server access logs.
	LogBucket *securebucket.SecureBucket
	// Key encrypts state objects (and the lock table).
	Key *securekey.SecureKey
	// LockTable is nil unless LockTable was set.
	LockTable dynamodbtable.DynamodbTable
	// Config is the config after defaults were applied.
	Config EncryptedStateBackendConfig
}

// NewEncryptedStateBackend validates cfg and creates:
//
//   - the state bucket: versioning, SSE-KMS with the key and S3 Bucket Keys,
//     all four Block Public Access settings, BucketOwnerEnforced, a policy
//     that denies non-TLS, TLS < 1.2 and any PutObject that is not SSE-KMS
//     with the key, a lifecycle rule (noncurrent versions, incomplete
//     multipart uploads), access logging and prevent_destroy;
//   - the log bucket: SSE-S3 (S3 access-log delivery cannot write to SSE-KMS
//     buckets), Block Public Access, BucketOwnerEnforced, a TLS-only policy
//     that lets only logging.s3.amazonaws.com write logs of the state bucket,
//     versioning and a lifecycle rule (noncurrent versions kept 30 days);
//   - the KMS key: rotation on, the configured deletion window, a key policy
//     that gives the account root admin rights, an alias and prevent_destroy;
//   - with LockTable, a PAY_PER_REQUEST DynamoDB table keyed by LockID with
//     point-in-time recovery, SSE with the same key and deletion protection;
//   - Terraform outputs state_bucket_name, state_bucket_arn,
//     state_kms_key_arn and, with LockTable, state_lock_table_name.
//
// It returns a *validate.Error listing every invalid field, and creates
// nothing, when cfg is invalid.
func NewEncryptedStateBackend(scope constructs.Construct, id string, cfg *EncryptedStateBackendConfig) (*EncryptedStateBackend, error) {
	v := validate.New("statebackend.NewEncryptedStateBackend")
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c, err := cfg.withDefaults(id)
	v.Merge("", cfg, err)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, c.claims())
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	env := baseline.Env{AccountID: c.AccountId, Region: c.Region}
	b := &EncryptedStateBackend{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c}
	in := b.Construct
	p := c.Provider

	key, err := securekey.NewSecureKey(in, "key", &securekey.SecureKeyConfig{
		AccountId:            c.AccountId,
		Region:               c.Region,
		Description:          "Encrypts Terraform state in s3://" + c.Bucket,
		Alias:                c.KmsKeyAlias,
		DeletionWindowInDays: c.DeletionWindowInDays,
		PreventDestroy:       true,
		Tags:                 c.Tags,
		Provider:             p,
	})
	must(err)
	b.Key = key
	keyArn := b.Key.Arn()

	b.LogBucket, err = securebucket.NewSecureBucket(in, "log_bucket", &securebucket.SecureBucketConfig{
		BucketName:                      c.LogBucket,
		AccountId:                       c.AccountId,
		Region:                          c.Region,
		ExpirationDays:                  c.LogExpirationDays,
		NoncurrentVersionExpirationDays: logNoncurrentDays,
		Tags:                            c.Tags,
		Provider:                        p,
	})
	must(err)
	logArn := *b.LogBucket.Arn()
	must(b.LogBucket.AddToResourcePolicy(iampolicy.Statement{
		Sid:       "AllowS3ServerAccessLogs",
		Effect:    "Allow",
		Principal: iampolicy.Service("logging.s3.amazonaws.com"),
		Action:    []string{"s3:PutObject"},
		Resource:  []string{logArn + "/" + accessLogPrefix + "*"},
		Condition: map[string]map[string]any{
			"ArnLike":      {"aws:SourceArn": "arn:" + env.Partition() + ":s3:::" + c.Bucket},
			"StringEquals": {"aws:SourceAccount": c.AccountId},
		},
	}))

	b.StateBucket, err = securebucket.NewSecureBucket(in, "state_bucket", &securebucket.SecureBucketConfig{
		BucketName:                         c.Bucket,
		AccountId:                          c.AccountId,
		Region:                             c.Region,
		KmsKey:                             b.Key,
		NoncurrentVersionExpirationDays:    c.NoncurrentDays,
		AbortIncompleteMultipartUploadDays: AbortIncompleteMultipartUploadDays,
		AccessLogs:                         &securebucket.AccessLogs{TargetBucket: *b.LogBucket.Bucket.Id(), TargetPrefix: accessLogPrefix},
		PreventDestroy:                     true,
		Tags:                               c.Tags,
		Provider:                           p,
	})
	must(err)
	must(b.StateBucket.AddToResourcePolicy(StateBucketStatements(*b.StateBucket.Arn(), *keyArn)...))

	if c.LockTable {
		b.LockTable = dynamodbtable.NewDynamodbTable(in, jsii.String("lock_table"), &dynamodbtable.DynamodbTableConfig{
			Provider:                  p,
			Tags:                      common.Tags(c.Tags, nil),
			Name:                      jsii.String(c.DynamodbTable),
			BillingMode:               jsii.String("PAY_PER_REQUEST"),
			HashKey:                   jsii.String("LockID"),
			Attribute:                 &[]*dynamodbtable.DynamodbTableAttribute{{Name: jsii.String("LockID"), Type: jsii.String("S")}},
			PointInTimeRecovery:       &dynamodbtable.DynamodbTablePointInTimeRecovery{Enabled: jsii.Bool(true)},
			ServerSideEncryption:      &dynamodbtable.DynamodbTableServerSideEncryption{Enabled: jsii.Bool(true), KmsKeyArn: keyArn},
			DeletionProtectionEnabled: jsii.Bool(true),
		})
	}

	output(in, OutputStateBucketName, b.StateBucket.Bucket.Bucket(), "Name of the Terraform state bucket (statebackend.BackendConfig.Bucket).")
	output(in, OutputStateBucketArn, b.StateBucket.Bucket.Arn(), "ARN of the Terraform state bucket.")
	output(in, OutputStateKmsKeyArn, keyArn, "ARN of the state KMS key (statebackend.BackendConfig.KmsKeyId).")
	if c.LockTable {
		output(in, OutputStateLockTableName, b.LockTable.Name(), "Name of the legacy DynamoDB lock table (statebackend.BackendConfig.DynamodbTable).")
	}
	// The deliberate exception, declared for the policy checker.
	if err := policy.Suppress(b.LogBucket.Bucket, "HC-S3-002", logBucketSseS3Reason); err != nil {
		return nil, err
	}
	return b, nil
}

// logBucketSseS3Reason is recorded with the log bucket's policy suppression.
const logBucketSseS3Reason = "S3 server access log delivery writes to SSE-S3 target buckets " +
	"(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). " +
	"Compensating: all public access blocked, BucketOwnerEnforced, TLS-only policy, writes only by logging.s3.amazonaws.com for the state bucket, versioning, lifecycle expiry."

// Output names. They are fixed logical ids, so one stack holds at most one
// EncryptedStateBackend (a second one is an error).
const (
	OutputStateBucketName    = "state_bucket_name"
	OutputStateBucketArn     = "state_bucket_arn"
	OutputStateKmsKeyArn     = "state_kms_key_arn"
	OutputStateLockTableName = "state_lock_table_name"
)

func must(err error) {
	if err != nil {
		panic(err) // unreachable: the config was validated
	}
}

// claims are the names the backend creates that must be unique in the app.
func (c EncryptedStateBackendConfig) claims() []registry.Claim {
	out := []registry.Claim{
		{Kind: registry.S3Bucket, Name: c.Bucket, Field: "Bucket"},
		{Kind: registry.S3Bucket, Name: c.LogBucket, Field: "LogBucket"},
		{Kind: registry.KMSAlias, Name: c.KmsKeyAlias, Field: "KmsKeyAlias"},
	}
	out = append(out, registry.Outputs("id", OutputStateBucketName, OutputStateBucketArn, OutputStateKmsKeyArn)...)
	if c.LockTable {
		out = append(out, registry.Claim{Kind: registry.DynamoDBTable, Name: c.DynamodbTable, Field: "DynamodbTable"},
			registry.Claim{Kind: registry.Output, Name: OutputStateLockTableName, Field: "id"})
	}
	return out
}

const (
	accessLogPrefix = "s3-access/"
	// logNoncurrentDays keeps overwritten or deleted access logs this long.
	logNoncurrentDays = 30
)

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

var (
	aliasRe       = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]{1,250}$`)
	tableNameRe   = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)
	roleArnRe     = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
	sessionNameRe = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	externalIDRe  = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
)

// Validate checks the config as NewEncryptedStateBackend does, without
// creating anything. It returns nil or a *validate.Error.
func (cfg *EncryptedStateBackendConfig) Validate(id string) error {
	_, err := cfg.withDefaults(id)
	return err
}

func (cfg *EncryptedStateBackendConfig) withDefaults(id string) (EncryptedStateBackendConfig, error) {
	v := validate.New("statebackend.NewEncryptedStateBackend")
	if cfg == nil {
		v.Add("config", nil, "is required")
		return EncryptedStateBackendConfig{}, v.Err()
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	v.ConfigTokens(c)
	common.CheckTags(v, "Tags", c.Tags)
	if c.KmsKeyAlias == "" {
		c.KmsKeyAlias = "alias/" + strings.ReplaceAll(c.Bucket, ".", "-")
	}
	if c.DeletionWindowInDays == 0 {
		c.DeletionWindowInDays = DefaultDeletionWindowInDays
	}
	if c.NoncurrentDays == 0 {
		c.NoncurrentDays = DefaultNoncurrentDays
	}
	if c.LogBucket == "" {
		c.LogBucket = c.Bucket + "-logs"
	}
	if c.LogExpirationDays == 0 {
		c.LogExpirationDays = DefaultLogExpirationDays
	}
	if c.LockTable && c.DynamodbTable == "" {
		c.DynamodbTable = c.Bucket + "-lock"
	}

	bucketOK := validate.BucketName(c.Bucket) == ""
	if !bucketOK {
		v.Add("Bucket", c.Bucket, validate.BucketName(c.Bucket))
	}
	// A derived LogBucket is only reported when Bucket itself is fine.
	if rule := validate.BucketName(c.LogBucket); rule != "" && (bucketOK || cfg.LogBucket != "") {
		v.Add("LogBucket", c.LogBucket, rule)
	}
	v.Check(c.LogBucket != c.Bucket, "LogBucket", c.LogBucket, "must differ from Bucket: access logs of a bucket must not be written into itself")
	v.Env("AccountId", c.AccountId, "Region", c.Region)
	v.Check(aliasRe.MatchString(c.KmsKeyAlias) && !strings.HasPrefix(c.KmsKeyAlias, "alias/aws/"), "KmsKeyAlias", c.KmsKeyAlias,
		"must be 'alias/' followed by 1-250 letters, digits, '/', '_' or '-', and must not start with the AWS-reserved 'alias/aws/'")
	v.Check(c.DeletionWindowInDays >= 7 && c.DeletionWindowInDays <= 30, "DeletionWindowInDays", c.DeletionWindowInDays, "must be between 7 and 30 days (KMS limits)")
	v.Check(c.NoncurrentDays >= 1 && c.NoncurrentDays <= MaxDays, "NoncurrentDays", c.NoncurrentDays, fmt.Sprintf("must be 1-%d days (0 means the default, 90)", MaxDays))
	v.Check(c.LogExpirationDays >= 1 && c.LogExpirationDays <= MaxDays, "LogExpirationDays", c.LogExpirationDays, fmt.Sprintf("must be 1-%d days (0 means the default, 365)", MaxDays))
	if c.LockTable {
		v.Check(tableNameRe.MatchString(c.DynamodbTable), "DynamodbTable", c.DynamodbTable, "must be 3-255 characters of letters, digits, '_', '-' and '.'")
	} else {
		v.Check(c.DynamodbTable == "", "DynamodbTable", c.DynamodbTable, "is only used with LockTable: true")
	}
	return c, v.Err()
}

// BackendConfig configures Use. Its fields are the Terraform S3 backend's
// arguments of the same names.
// See https://developer.hashicorp.com/terraform/language/backend/s3
type BackendConfig struct {
	// Bucket is the state bucket (output state_bucket_name). Required.
	Bucket string
	// Region is the bucket's region. Required.
	Region string
	// KmsKeyId is the full ARN of the state key (output state_kms_key_arn),
	// "arn:<partition>:kms:<region>:<account>:key/<id>". Required. Aliases
	// and bare key IDs are rejected because the bucket policy compares the
	// SSE-KMS header with the key ARN, so they would lock Terraform out. The
	// key must live in Region.
	KmsKeyId string
	// Key is the state object's key. Default "<stack name>/terraform.tfstate".
	// It must not start or end with '/' or contain "//".
	Key string
	// WorkspaceKeyPrefix is the prefix for non-default workspaces. Default
	// (Terraform's) "env:". It must not start or end with '/'.
	WorkspaceKeyPrefix string
	// DynamodbTable adds legacy DynamoDB locking next to the S3 lock file,
	// for Terraform < 1.10 users. Empty by default.
	DynamodbTable string
	// AssumeRole makes Terraform assume this role for state access.
	AssumeRole *AssumeRole
	// AllowedAccountIds refuses to use credentials of any other account.
	// When set, it must contain the account of KmsKeyId.
	AllowedAccountIds []string
}

// Validate checks the config as Use(stack, cfg) does for a stack named
// stackID, without creating anything: an empty Key defaults to
// "<stackID>/terraform.tfstate". Every value must be a literal (Terraform
// evaluates no reference in a backend block). It returns nil or a
// *validate.Error.
func (c BackendConfig) Validate(stackID string) error {
	v := validate.New("statebackend.Use")
	if c.Key == "" && stackID != "" {
		c.Key = stackID + "/terraform.tfstate"
	}
	for _, f := range []struct{ field, value string }{
		{"Bucket", c.Bucket}, {"Region", c.Region}, {"KmsKeyId", c.KmsKeyId}, {"Key", c.Key},
		{"WorkspaceKeyPrefix", c.WorkspaceKeyPrefix}, {"DynamodbTable", c.DynamodbTable},
	} {
		v.RequireLiteral(f.field, f.value)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if rule := validate.BucketName(c.Bucket); rule != "" {
		v.Add("Bucket", c.Bucket, rule)
	}
	env := validate.Env{RegionField: "Region"}
	if v.Region("Region", c.Region) {
		env.Region = c.Region
	}
	if validate.ArnRule(c.KmsKeyId, validate.KmsKeyArn, validate.Env{}) != "" {
		v.Add("KmsKeyId", c.KmsKeyId, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>, the key ID a UUID as Terraform checks it); aliases and bare key IDs do not match the state bucket policy")
	} else if a, ok := v.ARN("KmsKeyId", c.KmsKeyId, validate.KmsKeyArn, env); ok {
		v.Check(len(c.AllowedAccountIds) == 0 || slices.Contains(c.AllowedAccountIds, a.Account), "KmsKeyId", c.KmsKeyId,
			fmt.Sprintf("belongs to account %s, which is not in AllowedAccountIds", a.Account))
	}
	v.Check(!strings.HasPrefix(c.Key, "/") && !strings.HasSuffix(c.Key, "/") && !strings.Contains(c.Key, "//") && len(c.Key) <= MaxKeyLength,
		"Key", c.Key, fmt.Sprintf("must not start or end with '/', must not contain '//', and must be at most %d bytes (the lock object appends .tflock)", MaxKeyLength))
	v.Check(!strings.HasPrefix(c.WorkspaceKeyPrefix, "/") && !strings.HasSuffix(c.WorkspaceKeyPrefix, "/"),
		"WorkspaceKeyPrefix", c.WorkspaceKeyPrefix, "must not start or end with '/'")
	v.Check(c.DynamodbTable == "" || tableNameRe.MatchString(c.DynamodbTable), "DynamodbTable", c.DynamodbTable, "must be 3-255 characters of letters, digits, '_', '-' and '.'")
	if c.AssumeRole != nil {
		v.Check(roleArnRe.MatchString(c.AssumeRole.RoleArn), "AssumeRole.RoleArn", c.AssumeRole.RoleArn, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
		v.Check(c.AssumeRole.SessionName == "" || sessionNameRe.MatchString(c.AssumeRole.SessionName), "AssumeRole.SessionName", c.AssumeRole.SessionName, "must be 2-64 characters of letters, digits and +=,.@_-")
		v.Check(c.AssumeRole.ExternalId == "" || (len(c.AssumeRole.ExternalId) >= 2 && len(c.AssumeRole.ExternalId) <= 1224 && externalIDRe.MatchString(c.AssumeRole.ExternalId)), "AssumeRole.ExternalId", c.AssumeRole.ExternalId, "must be 2-1224 characters of letters, digits and _+=,.@:/-")
	}
	for i, a := range c.AllowedAccountIds {
		v.Check(validate.AccountID(a), fmt.Sprintf("AllowedAccountIds[%d]", i), a, "must be a 12-digit AWS account ID")
	}
	return v.Err()
}

// AssumeRole is the S3 backend's assume_role block.
type AssumeRole struct {
	// RoleArn is the IAM role ARN. Required.
	RoleArn string
	// ExternalId is passed to sts:AssumeRole when set.
	ExternalId string
	// SessionName is the role session name (2-64 characters) when set.
	SessionName string
}

// Use validates cfg and adds an S3 backend to stack with encrypt = true,
// kms_key_id, use_lockfile = true (set through an override because cdktf
// 0.20 has no field for it) and, only when asked for, dynamodb_table.
//
// It returns a *validate.Error listing every invalid field, and adds no
// backend, when cfg is invalid.
func Use(stack cdktf.TerraformStack, cfg *BackendConfig) (cdktf.S3Backend, error) {
	v := validate.New("statebackend.Use")
	if stack == nil {
		v.Add("stack", nil, "is required")
	} else {
		v.Check(stack.Node().TryFindChild(jsii.String("backend")) == nil, "stack", *stack.Node().Id(), "already has a backend")
	}
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	c := *cfg
	if c.Key == "" && stack != nil {
		c.Key = *stack.Node().Id() + "/terraform.tfstate"
	}
	v.Merge("", c, c.Validate(""))
	if err := v.Err(); err != nil {
		return nil, err
	}

	bc := &cdktf.S3BackendConfig{
		Bucket:   jsii.String(c.Bucket),
		Key:      jsii.String(c.Key),
		Region:   jsii.String(c.Region),
		Encrypt:  jsii.Bool(true),
		KmsKeyId: jsii.String(c.KmsKeyId),
	}
	if c.WorkspaceKeyPrefix != "" {
		bc.WorkspaceKeyPrefix = jsii.String(c.WorkspaceKeyPrefix)
	}
	if c.DynamodbTable != "" {
		bc.DynamodbTable = jsii.String(c.DynamodbTable)
	}
	if c.AssumeRole != nil {
		ar := &cdktf.S3BackendAssumeRoleConfig{RoleArn: jsii.String(c.AssumeRole.RoleArn)}
		if c.AssumeRole.ExternalId != "" {
			ar.ExternalId = jsii.String(c.AssumeRole.ExternalId)
		}
		if c.AssumeRole.SessionName != "" {
			ar.SessionName = jsii.String(c.AssumeRole.SessionName)
		}
		bc.AssumeRole = ar
	}
	if len(c.AllowedAccountIds) > 0 {
		bc.AllowedAccountIds = jsii.Strings(c.AllowedAccountIds...)
	}
	backend := cdktf.NewS3Backend(stack, bc)
	backend.AddOverride(jsii.String("use_lockfile"), true)
	return backend, nil
}
