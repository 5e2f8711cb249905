package statebackend

// The rules of this package, in one place. Each rule is the one Terraform's
// S3 backend (terraform 1.11, internal/backend/remote-state/s3: PrepareConfig,
// validate.go and the assume_role schema) or AWS enforces, written with the
// validate vocabulary; where ours is stricter the comment says why.
//
//   - Terraform's S3 backend arguments:
//     https://developer.hashicorp.com/terraform/language/backend/s3
//   - S3 bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
//   - S3 object keys: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
//   - STS AssumeRole (duration, external ID, session name, source
//     identity, session tags):
//     https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
//   - KMS: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
//   - S3 server access logs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Limits of the backend's arguments.
const (
	// MinAssumeRoleDurationSeconds and MaxAssumeRoleDurationSeconds bound
	// AssumeRole.DurationSeconds: Terraform's backend accepts a duration
	// of 15 minutes to 12 hours.
	MinAssumeRoleDurationSeconds = 15 * 60
	MaxAssumeRoleDurationSeconds = 12 * 60 * 60
	// MaxExternalIdLength is the longest AssumeRole.ExternalId (at least 2).
	MaxExternalIdLength = 1224
	// MaxSessionNameLength is the longest AssumeRole.SessionName and
	// SourceIdentity (at least 2).
	MaxSessionNameLength = 64
	// MaxS3KeyBytes is the longest S3 object key.
	MaxS3KeyBytes = 1024
)

var (
	// Terraform's assume_role rules (validate.go: assumeRoleNameValidator
	// and the external_id pattern); \w is ASCII letters, digits and '_'.
	sessionNameRe = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDRe  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// terraformUnknownRegions are regions the AWS provider knows (validate.Partitions)
// but terraform 1.11's S3 backend refuses with "Invalid region value" (its
// aws-sdk-go-base region table is older; checked with terraform 1.11.4
// init). Use writes skip_region_validation = true for them: the region is
// validated here instead.
var terraformUnknownRegions = map[string]bool{"ap-east-2": true, "eusc-de-east-1": true}

// check records every problem of cfg for a construct with id and returns
// the config with its defaults.
func (cfg *EncryptedStateBackendConfig) check(v *validate.Collector) EncryptedStateBackendConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return EncryptedStateBackendConfig{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	v.ConfigTokens(c)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)

	// Bucket: its name is what every BackendConfig.Bucket names, and the
	// default log bucket, alias and lock table names derive from it.
	bucketOK := v.RequireLiteral("Bucket", c.Bucket) && v.Rule("Bucket", c.Bucket, validate.BucketName(c.Bucket))

	// The state key: created (default), a SecureKey of this app or a key
	// managed elsewhere.
	switch {
	case c.KmsKey != nil && c.KmsKeyArn != "":
		v.Add("KmsKeyArn", c.KmsKeyArn, "must be empty when KmsKey is set: the state has one key")
	case c.KmsKey != nil:
		c.KmsKey.CheckUse(v, "KmsKey", env)
	case c.KmsKeyArn != "":
		v.ARN("KmsKeyArn", c.KmsKeyArn, validate.KmsKeyArn, env)
	}
	if c.KmsKey != nil || c.KmsKeyArn != "" {
		onlyCreated := "is only used when the backend creates its key (KmsKey and KmsKeyArn empty)"
		v.Check(c.KmsKeyAlias == "", "KmsKeyAlias", c.KmsKeyAlias, onlyCreated)
		v.Check(c.DeletionWindowInDays == nil, "DeletionWindowInDays", ptrValue(c.DeletionWindowInDays), onlyCreated)
	} else {
		aliasField := "KmsKeyAlias"
		if c.KmsKeyAlias == "" {
			c.KmsKeyAlias, aliasField = "alias/"+strings.ReplaceAll(c.Bucket, ".", "-"), "Bucket"
		}
		// A derived alias is only reported when Bucket itself is fine.
		if aliasField == "KmsKeyAlias" || bucketOK {
			v.Rule(aliasField, c.KmsKeyAlias, validate.KMSAliasName(c.KmsKeyAlias))
		}
		v.OptionalRange("DeletionWindowInDays", c.DeletionWindowInDays, 7, 30, "days")
	}

	v.OptionalRange("NoncurrentVersionExpirationDays", c.NoncurrentVersionExpirationDays, 0, MaxDays, "days")

	// The access-log bucket: created (default), a SecureBucket of this app
	// or a bucket managed elsewhere.
	if c.AccessLogsPrefix == "" {
		c.AccessLogsPrefix = DefaultAccessLogsPrefix
	}
	brought := 0
	for _, set := range []bool{c.LogBucket != "", c.AccessLogsBucket != nil, c.AccessLogsBucketName != ""} {
		if set {
			brought++
		}
	}
	switch {
	case brought > 1:
		v.Add("AccessLogsBucket", c.AccessLogsBucketName, "set at most one of LogBucket (the name of the log bucket the backend creates), AccessLogsBucket and AccessLogsBucketName")
	case c.AccessLogsBucket != nil:
		checkAccessLogsBucket(v, c, env)
	case c.AccessLogsBucketName != "":
		if v.Literal("AccessLogsBucketName", c.AccessLogsBucketName) && v.Rule("AccessLogsBucketName", c.AccessLogsBucketName, validate.BucketName(c.AccessLogsBucketName)) {
			v.Check(c.AccessLogsBucketName != c.Bucket, "AccessLogsBucketName", c.AccessLogsBucketName, "must differ from Bucket: a bucket's access logs must not be written into itself")
		}
	default:
		field := "LogBucket"
		if c.LogBucket == "" {
			c.LogBucket, field = c.Bucket+"-logs", "Bucket"
		}
		// A derived LogBucket is only reported when Bucket itself is fine.
		if field == "LogBucket" || bucketOK {
			if v.Rule(field, c.LogBucket, validate.BucketName(c.LogBucket)) {
				v.Check(c.LogBucket != c.Bucket, field, c.LogBucket, "must differ from Bucket: a bucket's access logs must not be written into itself")
			}
		}
	}
	if c.LogBucket == "" {
		v.Check(c.LogExpirationDays == nil, "LogExpirationDays", ptrValue(c.LogExpirationDays), "is only used when the backend creates its log bucket (AccessLogsBucket and AccessLogsBucketName empty)")
	} else {
		v.OptionalRange("LogExpirationDays", c.LogExpirationDays, 0, MaxDays, "days")
	}
	if v.Literal("AccessLogsPrefix", c.AccessLogsPrefix) {
		v.Rule("AccessLogsPrefix", c.AccessLogsPrefix, s3KeyRule(c.AccessLogsPrefix, MaxS3KeyBytes-100))
	}

	if c.LockTable {
		field := "DynamodbTable"
		if c.DynamodbTable == "" {
			c.DynamodbTable, field = c.Bucket+"-lock", "Bucket"
		}
		if field == "DynamodbTable" || bucketOK {
			v.Rule(field, c.DynamodbTable, validate.DynamoDBTableName(c.DynamodbTable))
		}
	} else {
		v.Check(c.DynamodbTable == "", "DynamodbTable", c.DynamodbTable, "is only used with LockTable: true")
	}

	if c.OutputPrefix != "" {
		v.Rule("OutputPrefix", c.OutputPrefix, validate.TerraformIdentifier(c.OutputPrefix+OutputStateBucketName))
	}

	// Defaults of the optional numbers, for Config.
	if c.KmsKey == nil && c.KmsKeyArn == "" && c.DeletionWindowInDays == nil {
		c.DeletionWindowInDays = new(DefaultDeletionWindowInDays)
	}
	if c.NoncurrentVersionExpirationDays == nil {
		c.NoncurrentVersionExpirationDays = new(DefaultNoncurrentVersionExpirationDays)
	}
	if c.LogBucket != "" && c.LogExpirationDays == nil {
		c.LogExpirationDays = new(DefaultLogExpirationDays)
	}
	return c
}

// checkAccessLogsBucket: S3 delivers server access logs only to a bucket
// of the source bucket's account and region whose default encryption is
// SSE-S3 (see logBucketSseS3Reason).
func checkAccessLogsBucket(v *validate.Collector, c EncryptedStateBackendConfig, env validate.Env) {
	b := c.AccessLogsBucket
	if b.Bucket == nil {
		v.Add("AccessLogsBucket", nil, "must be a bucket created with securebucket.NewSecureBucket")
		return
	}
	if !b.Config.S3ManagedEncryption {
		v.Add("AccessLogsBucket", b.Config.BucketName, "must use SSE-S3 default encryption (securebucket S3ManagedEncryption): "+sseKmsNotSupported)
	}
	if env.Region != "" && b.Config.Region != env.Region {
		v.Add("AccessLogsBucket", b.Config.Region, fmt.Sprintf("must be a bucket in region %q (%s): access logs go to a bucket of the source bucket's region", env.Region, env.RegionField))
	}
	if env.AccountId != "" && b.Config.AccountId != env.AccountId {
		v.Add("AccessLogsBucket", b.Config.AccountId, fmt.Sprintf("must be a bucket of account %s (%s): access logs go to a bucket of the source bucket's account", env.AccountId, env.AccountField))
	}
	v.Check(b.Config.BucketName != c.Bucket, "AccessLogsBucket", b.Config.BucketName, "must differ from Bucket: a bucket's access logs must not be written into itself")
	if !v.Failed("AccessLogsBucket") && !v.Failed("Bucket") && !v.Failed("AccountId") && !v.Failed("Region") {
		b.CheckAddToResourcePolicy(v, "AccessLogsBucket.Policy", accessLogsStatement(c, *b.Arn()))
	}
}

// check records every problem of a backend config; stackID defaults Key.
func (c BackendConfig) check(v *validate.Collector) {
	// Terraform evaluates nothing in a backend block: every value that
	// lands there must be literal text.
	literal := func(field, value string) bool {
		return value == "" || v.RequireLiteral(field, value)
	}
	for _, f := range []struct{ field, value string }{
		{"Bucket", c.Bucket}, {"Region", c.Region}, {"KmsKeyId", c.KmsKeyId}, {"Key", c.Key},
		{"WorkspaceKeyPrefix", c.WorkspaceKeyPrefix}, {"DynamodbTable", c.DynamodbTable},
	} {
		literal(f.field, f.value)
	}
	for i, a := range c.AllowedAccountIds {
		literal(fmt.Sprintf("AllowedAccountIds[%d]", i), a)
	}
	if ar := c.AssumeRole; ar != nil {
		for _, f := range []struct{ field, value string }{
			{"AssumeRole.RoleArn", ar.RoleArn}, {"AssumeRole.ExternalId", ar.ExternalId},
			{"AssumeRole.SessionName", ar.SessionName}, {"AssumeRole.SourceIdentity", ar.SourceIdentity},
		} {
			literal(f.field, f.value)
		}
		for _, k := range common.SortedKeys(ar.Tags) {
			if literal(fmt.Sprintf("AssumeRole.Tags[%s]", k), k) {
				literal(fmt.Sprintf("AssumeRole.Tags[%s]", k), ar.Tags[k])
			}
		}
		for i, k := range ar.TransitiveTagKeys {
			literal(fmt.Sprintf("AssumeRole.TransitiveTagKeys[%d]", i), k)
		}
	}
	if e := c.Endpoints; e != nil {
		for _, f := range e.fields() {
			literal("Endpoints."+f.name, f.value)
		}
	}
	if v.Len() > 0 {
		return // the rules below are about literal values
	}

	v.Rule("Bucket", c.Bucket, validate.BucketName(c.Bucket))
	env := validate.Env{RegionField: "Region"}
	if v.Region("Region", c.Region) {
		env.Region = c.Region
	}
	allowedOK := true
	for i, a := range c.AllowedAccountIds {
		allowedOK = v.AccountID(fmt.Sprintf("AllowedAccountIds[%d]", i), a) && allowedOK
	}
	inAllowed := func(field, value, account string) {
		v.Check(len(c.AllowedAccountIds) == 0 || !allowedOK || slices.Contains(c.AllowedAccountIds, account), field, value,
			fmt.Sprintf("belongs to account %s, which is not in AllowedAccountIds", account))
	}

	// KmsKeyId: a key ARN. Terraform also takes aliases and bare key IDs,
	// but the state bucket policy compares the SSE-KMS header with the key
	// ARN, so they would lock Terraform out.
	switch a, ok := validate.ParseARN(c.KmsKeyId); {
	case c.KmsKeyId == "":
		v.Add("KmsKeyId", c.KmsKeyId, "is required: the state key's ARN (output state_kms_key_arn)")
	case ok && a.Service == "kms" && a.ResourceType() == "alias", strings.HasPrefix(c.KmsKeyId, "alias/"):
		v.Add("KmsKeyId", c.KmsKeyId, "must be the key's ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias: the state bucket policy compares the SSE-KMS key ARN, so writes through an alias are denied")
	case !ok:
		v.Add("KmsKeyId", c.KmsKeyId, "must be the state key's ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>); a bare key ID does not match the state bucket policy, which compares the SSE-KMS key ARN")
	default:
		if a, ok := v.ARN("KmsKeyId", c.KmsKeyId, validate.KmsKeyArn, env); ok {
			inAllowed("KmsKeyId", c.KmsKeyId, a.Account)
		}
	}

	// Key: Terraform refuses an empty (or all-whitespace) key, a leading
	// or trailing '/' and "//"; S3 keys hold at most 1024 bytes, and the
	// lock object appends ".tflock".
	if strings.TrimSpace(c.Key) == "" {
		v.Add("Key", c.Key, "is required: the state object's key, e.g. \"shop-prod/terraform.tfstate\" (Terraform refuses an empty or all-whitespace key)")
	} else {
		v.Rule("Key", c.Key, statePathRule(c.Key, MaxKeyLength, true))
	}
	if c.WorkspaceKeyPrefix != "" {
		// Non-default workspaces live at "<prefix>/<workspace>/<Key>".
		v.Rule("WorkspaceKeyPrefix", c.WorkspaceKeyPrefix, statePathRule(c.WorkspaceKeyPrefix, MaxKeyLength-len(c.Key)-len("//x"), false))
	}
	if c.DynamodbTable != "" {
		v.Rule("DynamodbTable", c.DynamodbTable, validate.DynamoDBTableName(c.DynamodbTable))
	}

	if ar := c.AssumeRole; ar != nil {
		if ar.RoleArn == "" {
			v.Add("AssumeRole.RoleArn", ar.RoleArn, "is required: the ARN of the role Terraform assumes for state access")
		} else if a, ok := v.ARN("AssumeRole.RoleArn", ar.RoleArn, validate.IamRoleArn, env); ok {
			// allowed_account_ids is checked against the assumed role's
			// account (the credentials Terraform ends up with).
			inAllowed("AssumeRole.RoleArn", ar.RoleArn, a.Account)
		}
		v.OptionalRange("AssumeRole.DurationSeconds", ar.DurationSeconds, MinAssumeRoleDurationSeconds, MaxAssumeRoleDurationSeconds, "seconds")
		if ar.ExternalId != "" {
			v.Rule("AssumeRole.ExternalId", ar.ExternalId, stsStringRule(ar.ExternalId, MaxExternalIdLength, externalIDRe, "letters, digits and _+=,.@:/-"))
		}
		if ar.SessionName != "" {
			v.Rule("AssumeRole.SessionName", ar.SessionName, stsStringRule(ar.SessionName, MaxSessionNameLength, sessionNameRe, "letters, digits and _+=,.@-"))
		}
		if ar.SourceIdentity != "" {
			if v.Rule("AssumeRole.SourceIdentity", ar.SourceIdentity, stsStringRule(ar.SourceIdentity, MaxSessionNameLength, sessionNameRe, "letters, digits and _+=,.@-")) {
				v.Check(!strings.HasPrefix(strings.ToLower(ar.SourceIdentity), "aws:"), "AssumeRole.SourceIdentity", ar.SourceIdentity, "must not begin with \"aws:\" (reserved by AWS)")
			}
		}
		// Session tags follow the tag rules (at most 50, keys 1-128 and
		// values 0-256 characters, no "aws:" keys).
		v.Tags("AssumeRole.Tags", ar.Tags)
		seen := map[string]bool{}
		for i, k := range ar.TransitiveTagKeys {
			f := fmt.Sprintf("AssumeRole.TransitiveTagKeys[%d]", i)
			if _, ok := ar.Tags[k]; !ok {
				v.Add(f, k, "must be a key of AssumeRole.Tags: only session tags can be transitive")
			} else {
				v.Check(!seen[k], f, k, "is listed twice")
			}
			seen[k] = true
		}
	}
	if e := c.Endpoints; e != nil {
		for _, f := range e.fields() {
			if f.value == "" {
				continue
			}
			field := "Endpoints." + f.name
			if v.Rule(field, f.value, endpointRule(f.value)) && f.name == "Dynamodb" {
				v.Check(c.DynamodbTable != "", field, f.value, "is only used with DynamodbTable")
			}
		}
	}
}

// statePathRule is Terraform's rule for key and workspace_key_prefix (no
// leading or trailing '/'; for the key also no "//"), within max bytes,
// valid UTF-8 without control characters (S3 lists keys in XML 1.0, which
// cannot carry most of them; see "Characters to avoid" in the S3 object
// key guide).
func statePathRule(s string, max int, noDoubleSlash bool) string {
	if strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") {
		return `must not start or end with "/" (Terraform's S3 backend refuses it)`
	}
	if noDoubleSlash && strings.Contains(s, "//") {
		return `must not contain "//" (Terraform's S3 backend refuses it)`
	}
	return s3KeyRule(s, max)
}

// s3KeyRule: at most max bytes of valid UTF-8 without control characters.
func s3KeyRule(s string, max int) string {
	switch {
	case len(s) > max:
		return fmt.Sprintf("must be at most %d bytes (S3 keys hold %d bytes; the lock object appends %q, workspaces prepend \"<prefix>/<workspace>/\"), got %d", max, MaxS3KeyBytes, ".tflock", len(s))
	case !utf8.ValidString(s):
		return "must be valid UTF-8"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "must not contain control characters"
	}
	return ""
}

// stsStringRule: 2-max characters of the given charset (Terraform's
// assume_role validators; STS's own limits).
func stsStringRule(s string, max int, re *regexp.Regexp, charset string) string {
	if len(s) < 2 || len(s) > max || !re.MatchString(s) {
		return fmt.Sprintf("must be 2-%d characters of %s", max, charset)
	}
	return ""
}

// endpointRule: an https URL with a host. Terraform only warns about an
// incomplete URL; ours is stricter because the state bucket policy denies
// every request without TLS, so a plain-HTTP endpoint would lock
// Terraform out, and credentials in the URL would land in the state
// configuration.
func endpointRule(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return "must be an https URL with a host, such as https://bucket.vpce-0123456789abcdef0-abcdefgh.s3.us-east-1.vpce.amazonaws.com"
	case u.Scheme != "https":
		return "must use https: the state bucket policy denies requests without TLS"
	case u.User != nil:
		return "must not contain credentials"
	}
	return ""
}

// StateKeysRule returns why pattern cannot select state objects for
// GrantRead and GrantReadWrite, or "": a state key
// ("shop-prod/terraform.tfstate"), a key prefix ending in '*' ("shop/*",
// "env:/*") or "*" (the whole bucket), at most MaxKeyLength bytes, not
// starting or ending with '/', without "//", '?' or any other '*' (IAM would
// read them as wildcards), and literal (it becomes part of a policy ARN).
func StateKeysRule(pattern string) string {
	body := strings.TrimSuffix(pattern, "*")
	switch {
	case pattern == "":
		return `is required: a state key ("shop-prod/terraform.tfstate"), a prefix ending in '*' ("shop/*") or "*"`
	case validate.HasToken(pattern) || strings.Contains(pattern, "${") || strings.Contains(pattern, "%{"):
		return validate.LiteralRule
	case strings.ContainsAny(body, "*?"):
		return "may hold '*' only at its end, and no '?': they are IAM wildcards"
	case strings.HasPrefix(pattern, "/") || strings.Contains(pattern, "//"):
		return `must not start with "/" or contain "//" (Terraform's S3 backend refuses such keys)`
	case strings.HasSuffix(pattern, "/"):
		return `must not end with "/": no state key does; for every key below it, end it with "/*"`
	}
	return s3KeyRule(pattern, MaxKeyLength)
}

// ptrValue is the value of an optional number for messages.
func ptrValue(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
