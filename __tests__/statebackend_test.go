package tests

import (
	"maps"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The synth-only tests use an account and region of their own: nothing
// here may depend on the reference app's values.
const (
	testBucket  = "acme-tf-state"
	testAccount = "111122223333"
	testRegion  = "eu-central-1"
	testKeyArn  = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/1234abcd-12ab-44cd-86ef-1234567890ab"
)

// synthStack synthesizes a stack with an AWS provider of testRegion and
// testAccount.
func synthStack(t *testing.T, define func(stack cdktf.TerraformStack)) stacktest.Stack {
	t.Helper()
	return stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(testRegion), AllowedAccountIds: jsii.Strings(testAccount)})
		define(stack)
	})
}

func backendStack(t *testing.T, cfg statebackend.EncryptedStateBackendConfig) stacktest.Stack {
	t.Helper()
	return synthStack(t, func(stack cdktf.TerraformStack) {
		_, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
		require.NoError(t, err)
	})
}

func defaultBackendConfig() statebackend.EncryptedStateBackendConfig {
	return statebackend.EncryptedStateBackendConfig{Bucket: testBucket, AccountId: testAccount, Region: testRegion}
}

// statements indexes a policy's statements by Sid.
func statements(t *testing.T, policy gjson.Result) map[string]gjson.Result {
	t.Helper()
	out := map[string]gjson.Result{}
	for _, s := range policy.Get("Statement").Array() {
		sid := s.Get("Sid").String()
		require.NotEmpty(t, sid, "every statement has a Sid")
		out[sid] = s
	}
	return out
}

func TestEncryptedStateBackendDefaults(t *testing.T) {
	s := backendStack(t, defaultBackendConfig())
	keyRef := s.Ref(t, "aws_kms_key", "state/key")
	stateRef := s.Ref(t, "aws_s3_bucket", "state/state_bucket")
	logRef := s.Ref(t, "aws_s3_bucket", "state/log_bucket")
	keyArn := "${" + keyRef + ".arn}"
	stateArn := "${" + stateRef + ".arn}"
	logArn := "${" + logRef + ".arn}"

	t.Run("state bucket", func(t *testing.T) {
		b := s.Resource(t, "aws_s3_bucket", "state/state_bucket")
		assert.Equal(t, testBucket, b.Get("bucket").String())
		assert.True(t, b.Get("lifecycle.prevent_destroy").Bool(), "prevent_destroy on the state bucket")
		assert.False(t, b.Get("force_destroy").Bool())
		assert.Equal(t, "Enabled", s.Resource(t, "aws_s3_bucket_versioning", "state/state_bucket_versioning").Get("versioning_configuration.status").String())
	})

	t.Run("state bucket SSE-KMS with bucket key", func(t *testing.T) {
		r := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "state/state_bucket_encryption").Get("rule.0")
		assert.Equal(t, "aws:kms", r.Get("apply_server_side_encryption_by_default.sse_algorithm").String())
		assert.Equal(t, keyArn, r.Get("apply_server_side_encryption_by_default.kms_master_key_id").String())
		assert.True(t, r.Get("bucket_key_enabled").Bool())
	})

	t.Run("public access blocked and ACLs off on both buckets", func(t *testing.T) {
		for _, b := range []string{"state_bucket", "log_bucket"} {
			pab := s.Resource(t, "aws_s3_bucket_public_access_block", "state/"+b+"_public_access_block")
			for _, f := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
				assert.True(t, pab.Get(f).Bool(), "%s %s", b, f)
			}
			assert.Equal(t, "BucketOwnerEnforced", s.Resource(t, "aws_s3_bucket_ownership_controls", "state/"+b+"_ownership").Get("rule.object_ownership").String(), b)
		}
	})

	t.Run("state bucket policy", func(t *testing.T) {
		p := s.Resource(t, "aws_s3_bucket_policy", "state/state_bucket_policy")
		assert.Equal(t, "${"+stateRef+".id}", p.Get("bucket").String())
		st := statements(t, stacktest.JSONDocument(t, p, "policy"))
		require.Len(t, st, 4)
		for sid, cond := range map[string]string{
			"DenyInsecureTransport": `{"Bool":{"aws:SecureTransport":"false"}}`,
			"DenyOutdatedTLS":       `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`,
		} {
			assert.Equal(t, "Deny", st[sid].Get("Effect").String(), sid)
			assert.Equal(t, []any{"s3:*"}, st[sid].Get("Action").Value(), sid)
			assert.Equal(t, []any{stateArn, stateArn + "/*"}, st[sid].Get("Resource").Value(), sid)
			assert.JSONEq(t, cond, st[sid].Get("Condition").Raw, sid)
		}
		for sid, cond := range map[string]string{
			"DenyUnencryptedObjectUploads": `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}`,
			"DenyWrongKmsKey":              `{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"` + keyArn + `"}}`,
		} {
			assert.Equal(t, "Deny", st[sid].Get("Effect").String(), sid)
			assert.Equal(t, []any{"s3:PutObject"}, st[sid].Get("Action").Value(), sid)
			assert.Equal(t, []any{stateArn + "/*"}, st[sid].Get("Resource").Value(), sid)
			assert.JSONEq(t, cond, st[sid].Get("Condition").Raw, sid)
		}
	})

	t.Run("state bucket lifecycle", func(t *testing.T) {
		r := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/state_bucket_lifecycle").Get("rule.0")
		assert.Equal(t, "Enabled", r.Get("status").String())
		assert.EqualValues(t, statebackend.DefaultNoncurrentVersionExpirationDays, r.Get("noncurrent_version_expiration.0.noncurrent_days").Int())
		assert.EqualValues(t, 7, r.Get("abort_incomplete_multipart_upload.0.days_after_initiation").Int())
		assert.False(t, r.Get("expiration").Exists(), "current state versions never expire")
	})

	t.Run("access logging to the log bucket", func(t *testing.T) {
		l := s.Resource(t, "aws_s3_bucket_logging", "state/state_bucket_logging")
		assert.Equal(t, "${"+stateRef+".id}", l.Get("bucket").String())
		assert.Equal(t, "${"+logRef+".id}", l.Get("target_bucket").String())
		assert.Equal(t, "s3-access/", l.Get("target_prefix").String())
	})

	t.Run("log bucket", func(t *testing.T) {
		assert.Equal(t, testBucket+"-logs", s.Resource(t, "aws_s3_bucket", "state/log_bucket").Get("bucket").String())
		sse := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "state/log_bucket_encryption").Get("rule.0")
		assert.Equal(t, "AES256", sse.Get("apply_server_side_encryption_by_default.sse_algorithm").String(), "access-log delivery needs SSE-S3")
		assert.False(t, sse.Get("apply_server_side_encryption_by_default.kms_master_key_id").Exists())
		lc := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/log_bucket_lifecycle").Get("rule.0")
		assert.EqualValues(t, statebackend.DefaultLogExpirationDays, lc.Get("expiration.0.days").Int())
		assert.EqualValues(t, 7, lc.Get("abort_incomplete_multipart_upload.0.days_after_initiation").Int())
		st := statements(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "state/log_bucket_policy"), "policy"))
		require.Len(t, st, 3)
		assert.JSONEq(t, `{"Bool":{"aws:SecureTransport":"false"}}`, st["DenyInsecureTransport"].Get("Condition").Raw)
		assert.JSONEq(t, `{"NumericLessThan":{"s3:TlsVersion":"1.2"}}`, st["DenyOutdatedTLS"].Get("Condition").Raw)
		w := st["AllowS3ServerAccessLogs"]
		assert.Equal(t, "Allow", w.Get("Effect").String())
		assert.JSONEq(t, `{"Service":"logging.s3.amazonaws.com"}`, w.Get("Principal").Raw)
		assert.Equal(t, []any{"s3:PutObject"}, w.Get("Action").Value())
		assert.Equal(t, []any{logArn + "/s3-access/*"}, w.Get("Resource").Value())
		assert.JSONEq(t, `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::`+testBucket+`"},"StringEquals":{"aws:SourceAccount":"`+testAccount+`"}}`, w.Get("Condition").Raw)
		assert.Equal(t, "Enabled", s.Resource(t, "aws_s3_bucket_versioning", "state/log_bucket_versioning").Get("versioning_configuration.status").String())
		assert.EqualValues(t, statebackend.LogNoncurrentVersionExpirationDays, lc.Get("noncurrent_version_expiration.0.noncurrent_days").Int())
	})

	t.Run("kms key", func(t *testing.T) {
		k := s.Resource(t, "aws_kms_key", "state/key")
		assert.True(t, k.Get("enable_key_rotation").Bool())
		assert.EqualValues(t, 30, k.Get("deletion_window_in_days").Int())
		assert.True(t, k.Get("lifecycle.prevent_destroy").Bool(), "prevent_destroy on the key")
		policy := stacktest.JSONDocument(t, k, "policy")
		st := policy.Get("Statement").Array()
		require.Len(t, st, 1)
		assert.Equal(t, "Allow", st[0].Get("Effect").String())
		assert.JSONEq(t, `{"AWS":"arn:aws:iam::`+testAccount+`:root"}`, st[0].Get("Principal").Raw)
		assert.Equal(t, []any{"kms:*"}, st[0].Get("Action").Value())
		a := s.Resource(t, "aws_kms_alias", "state/key_alias")
		assert.Equal(t, "alias/"+testBucket, a.Get("name").String())
		assert.Equal(t, "${"+keyRef+".key_id}", a.Get("target_key_id").String())
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, "${"+stateRef+".bucket}", s.Get("output.state_bucket_name.value").String())
		assert.Equal(t, stateArn, s.Get("output.state_bucket_arn.value").String())
		assert.Equal(t, keyArn, s.Get("output.state_kms_key_arn.value").String())
		assert.False(t, s.Get("output.state_lock_table_name").Exists())
		assert.Empty(t, s.Resources("aws_dynamodb_table"), "no lock table unless asked for")
	})

	t.Run("one policy per bucket", func(t *testing.T) { requireOnePolicyPerBucket(t, s) })
}

// requireOnePolicyPerBucket: every aws_s3_bucket of the stack has exactly
// one aws_s3_bucket_policy (a second one would silently replace the first).
func requireOnePolicyPerBucket(t *testing.T, s stacktest.Stack) {
	t.Helper()
	count := map[string]int{}
	for _, p := range s.Resources("aws_s3_bucket_policy") {
		count[p.Get("bucket").String()]++
	}
	for id := range s.Resources("aws_s3_bucket") {
		assert.Equal(t, 1, count["${aws_s3_bucket."+id+".id}"], "policies of bucket %s", id)
	}
	assert.Len(t, count, len(s.Resources("aws_s3_bucket")), "no policy of a bucket outside the stack")
}

func TestEncryptedStateBackendOptions(t *testing.T) {
	cfg := defaultBackendConfig()
	cfg.LockTable = true
	cfg.DeletionWindowInDays = new(7)
	cfg.NoncurrentVersionExpirationDays = new(30)
	cfg.LogBucket = "acme-access-logs"
	cfg.LogExpirationDays = new(90)
	cfg.KmsKeyAlias = "alias/tf/state"
	cfg.AccessLogsPrefix = "state-logs/"
	s := backendStack(t, cfg)
	keyArn := "${" + s.Ref(t, "aws_kms_key", "state/key") + ".arn}"

	assert.EqualValues(t, *cfg.DeletionWindowInDays, s.Resource(t, "aws_kms_key", "state/key").Get("deletion_window_in_days").Int())
	assert.Equal(t, cfg.KmsKeyAlias, s.Resource(t, "aws_kms_alias", "state/key_alias").Get("name").String())
	assert.EqualValues(t, *cfg.NoncurrentVersionExpirationDays, s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/state_bucket_lifecycle").Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int())
	assert.Equal(t, cfg.LogBucket, s.Resource(t, "aws_s3_bucket", "state/log_bucket").Get("bucket").String())
	assert.EqualValues(t, *cfg.LogExpirationDays, s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/log_bucket_lifecycle").Get("rule.0.expiration.0.days").Int())
	assert.Equal(t, cfg.AccessLogsPrefix, s.Resource(t, "aws_s3_bucket_logging", "state/state_bucket_logging").Get("target_prefix").String())
	log := statements(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "state/log_bucket_policy"), "policy"))
	assert.Equal(t, []any{"${" + s.Ref(t, "aws_s3_bucket", "state/log_bucket") + ".arn}/" + cfg.AccessLogsPrefix + "*"}, log["AllowS3ServerAccessLogs"].Get("Resource").Value())

	tbl := s.Resource(t, "aws_dynamodb_table", "state/lock_table")
	assert.Equal(t, testBucket+"-lock", tbl.Get("name").String())
	assert.Equal(t, "PAY_PER_REQUEST", tbl.Get("billing_mode").String())
	assert.Equal(t, "LockID", tbl.Get("hash_key").String())
	assert.JSONEq(t, `[{"name":"LockID","type":"S"}]`, tbl.Get("attribute").Raw)
	assert.True(t, tbl.Get("point_in_time_recovery.enabled").Bool())
	assert.True(t, tbl.Get("server_side_encryption.enabled").Bool())
	assert.Equal(t, keyArn, tbl.Get("server_side_encryption.kms_key_arn").String())
	assert.True(t, tbl.Get("deletion_protection_enabled").Bool())
	assert.Equal(t, "${"+s.Ref(t, "aws_dynamodb_table", "state/lock_table")+".name}", s.Get("output.state_lock_table_name.value").String())
}

// TestEncryptedStateBackendZeroDays: 0 is a value of both optional day
// counts whose range includes it, distinct from unset: 0 keeps every state
// version (no noncurrent_version_expiration) and every access log (no
// expiration), where unset means 90 and 365 days.
func TestEncryptedStateBackendZeroDays(t *testing.T) {
	cfg := defaultBackendConfig()
	cfg.NoncurrentVersionExpirationDays = new(0)
	cfg.LogExpirationDays = new(0)
	s := backendStack(t, cfg)
	state := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/state_bucket_lifecycle").Get("rule.0")
	assert.False(t, state.Get("noncurrent_version_expiration").Exists(), "0: state versions kept: %s", state.Raw)
	assert.EqualValues(t, statebackend.AbortIncompleteMultipartUploadDays, state.Get("abort_incomplete_multipart_upload.0.days_after_initiation").Int(), "the rule still exists")
	logs := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/log_bucket_lifecycle").Get("rule.0")
	assert.False(t, logs.Get("expiration").Exists(), "0: access logs kept: %s", logs.Raw)
	assert.EqualValues(t, statebackend.LogNoncurrentVersionExpirationDays, logs.Get("noncurrent_version_expiration.0.noncurrent_days").Int())
}

// TestEncryptedStateBackendBringYourOwn: a team key and log bucket of this
// app, or a key and log bucket managed elsewhere, replace what the backend
// would create; the bucket policy compares the SSE-KMS header with that
// key, and a log bucket of this app gets the delivery statement in its one
// policy.
func TestEncryptedStateBackendBringYourOwn(t *testing.T) {
	t.Run("SecureKey and SecureBucket of this app", func(t *testing.T) {
		s := synthStack(t, func(stack cdktf.TerraformStack) {
			key, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{AccountId: testAccount, Region: testRegion, Alias: "alias/team"})
			require.NoError(t, err)
			logs, err := securebucket.NewSecureBucket(stack, "team_logs", &securebucket.SecureBucketConfig{BucketName: "acme-team-logs", AccountId: testAccount, Region: testRegion, S3ManagedEncryption: true})
			require.NoError(t, err)
			for i, bucket := range []string{testBucket, testBucket + "-two"} {
				cfg := defaultBackendConfig()
				cfg.Bucket, cfg.KmsKey, cfg.AccessLogsBucket = bucket, key, logs
				cfg.OutputPrefix = []string{"", "two_"}[i]
				cfg.AccessLogsPrefix = bucket + "/"
				b, err := statebackend.NewEncryptedStateBackend(stack, []string{"state", "two"}[i], &cfg)
				require.NoError(t, err)
				assert.Same(t, key, b.Key)
				assert.Same(t, logs, b.LogBucket)
			}
		})
		keyArn := "${" + s.Ref(t, "aws_kms_key", "team_key") + ".arn}"
		assert.Len(t, s.Resources("aws_kms_key"), 1, "no key of the backend's own")
		assert.Len(t, s.Resources("aws_kms_alias"), 1)
		assert.Len(t, s.Resources("aws_s3_bucket"), 3, "two state buckets and the team's log bucket")
		sse := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "state/state_bucket_encryption")
		assert.Equal(t, keyArn, sse.Get("rule.0.apply_server_side_encryption_by_default.kms_master_key_id").String())
		st := statements(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "state/state_bucket_policy"), "policy"))
		assert.Equal(t, keyArn, st["DenyWrongKmsKey"].Get("Condition.StringNotEquals.s3:x-amz-server-side-encryption-aws-kms-key-id").String())
		assert.Equal(t, keyArn, s.Get("output.state_kms_key_arn.value").String())
		assert.Equal(t, keyArn, s.Get("output.two_state_kms_key_arn.value").String())
		logRef := s.Ref(t, "aws_s3_bucket", "team_logs")
		assert.Equal(t, "${"+logRef+".id}", s.Resource(t, "aws_s3_bucket_logging", "state/state_bucket_logging").Get("target_bucket").String())
		// Both backends' delivery statements, one per source bucket.
		var sources []string
		for sid, d := range statements(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "team_logs_policy"), "policy")) {
			if strings.HasPrefix(sid, "AllowS3ServerAccessLogs") {
				sources = append(sources, d.Get("Condition.ArnLike.aws:SourceArn").String())
				assert.Contains(t, d.Get("Resource.0").String(), "${"+logRef+".arn}/")
			}
		}
		assert.ElementsMatch(t, []string{"arn:aws:s3:::" + testBucket, "arn:aws:s3:::" + testBucket + "-two"}, sources)
		requireOnePolicyPerBucket(t, s)
	})
	t.Run("key and log bucket managed elsewhere", func(t *testing.T) {
		cfg := defaultBackendConfig()
		cfg.KmsKeyArn, cfg.AccessLogsBucketName = testKeyArn, "acme-central-logs"
		s := backendStack(t, cfg)
		assert.Empty(t, s.Resources("aws_kms_key"))
		assert.Len(t, s.Resources("aws_s3_bucket"), 1, "the state bucket only")
		sse := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "state/state_bucket_encryption")
		assert.Equal(t, testKeyArn, sse.Get("rule.0.apply_server_side_encryption_by_default.kms_master_key_id").String())
		st := statements(t, stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "state/state_bucket_policy"), "policy"))
		assert.Equal(t, testKeyArn, st["DenyWrongKmsKey"].Get("Condition.StringNotEquals.s3:x-amz-server-side-encryption-aws-kms-key-id").String())
		assert.Equal(t, testKeyArn, s.Get("output.state_kms_key_arn.value").String())
		assert.Equal(t, cfg.AccessLogsBucketName, s.Resource(t, "aws_s3_bucket_logging", "state/state_bucket_logging").Get("target_bucket").String())
		// What the bucket managed elsewhere must allow.
		d := statebackend.AccessLogsDeliveryStatement("aws", testAccount, testBucket, "arn:aws:s3:::"+cfg.AccessLogsBucketName, statebackend.DefaultAccessLogsPrefix)
		assert.Equal(t, []string{"arn:aws:s3:::acme-central-logs/s3-access/*"}, d.Resource)
		assert.Equal(t, "arn:aws:s3:::"+testBucket, d.Condition["ArnLike"]["aws:SourceArn"])
	})
}

// TestStateBackendGrants: read and read-write grants, CDK-style. A role of
// this app gets one inline policy per grant (state objects of the key
// pattern, lock files only for read-write, the key, the lock table); a
// principal elsewhere gets statements in the one bucket policy and the one
// key policy. Never a second policy.
func TestStateBackendGrants(t *testing.T) {
	const other = "arn:aws:iam::444455556666:role/ci-plan"
	var grants map[string]*grant.Grant
	s := synthStack(t, func(stack cdktf.TerraformStack) {
		cfg := defaultBackendConfig()
		cfg.LockTable = true
		b, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
		require.NoError(t, err)
		role := iamrole.NewIamRole(stack, jsii.String("deployer"), &iamrole.IamRoleConfig{
			Name: jsii.String("deployer"), AssumeRolePolicy: jsii.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		})
		grants = map[string]*grant.Grant{}
		for name, f := range map[string]func() (*grant.Grant, error){
			"rw":      func() (*grant.Grant, error) { return b.GrantReadWrite(grant.Role(role), "shop-prod/terraform.tfstate") },
			"rw-same": func() (*grant.Grant, error) { return b.GrantReadWrite(grant.Role(role), "shop-prod/terraform.tfstate") },
			"read":    func() (*grant.Grant, error) { return b.GrantRead(grant.Role(role), "shop/*") },
			"other":   func() (*grant.Grant, error) { return b.GrantReadWrite(grant.Principal(other), "env:/*") },
		} {
			g, err := f()
			require.NoError(t, err, name)
			grants[name] = g
		}
		for name, f := range map[string]func() error{
			"nil grantee":    func() error { _, err := b.GrantRead(nil, "*"); return err },
			"empty keys":     func() error { _, err := b.GrantRead(grant.Role(role), ""); return err },
			"inner wildcard": func() error { _, err := b.GrantReadWrite(grant.Role(role), "shop/*/terraform.tfstate"); return err },
			"trailing slash": func() error { _, err := b.GrantReadWrite(grant.Role(role), "shop/"); return err },
			"leading slash":  func() error { _, err := b.GrantReadWrite(grant.Role(role), "/shop/*"); return err },
			"question mark":  func() error { _, err := b.GrantReadWrite(grant.Role(role), "shop?/*"); return err },
			"token":          func() error { _, err := b.GrantReadWrite(grant.Role(role), *role.Name()+"/*"); return err },
			"too long": func() error {
				_, err := b.GrantRead(grant.Role(role), strings.Repeat("k", statebackend.MaxKeyLength+1))
				return err
			},
			"control char":    func() error { _, err := b.GrantRead(grant.Role(role), "shop\n/*"); return err },
			"template":        func() error { _, err := b.GrantRead(grant.Role(role), "${var.x}/*"); return err },
			"nil role inside": func() error { _, err := b.GrantRead(grant.Role(nil), "*"); return err },
		} {
			var ve *validate.Error
			assert.ErrorAs(t, f(), &ve, name)
		}
	})
	assert.Same(t, grants["rw"].RolePolicy, grants["rw-same"].RolePolicy, "granting twice returns the first grant")
	bucketArn := "${" + s.Ref(t, "aws_s3_bucket", "state/state_bucket") + ".arn}"
	keyArn := "${" + s.Ref(t, "aws_kms_key", "state/key") + ".arn}"
	tableArn := "${" + s.Ref(t, "aws_dynamodb_table", "state/lock_table") + ".arn}"

	policies := s.Resources("aws_iam_role_policy")
	require.Len(t, policies, 2, "one inline policy per grant (read-write twice is one)")
	byName := map[string][]gjson.Result{}
	for _, p := range policies {
		name := p.Get("name").String()
		byName[strings.SplitN(name, "-", 3)[1]] = stacktest.JSONDocument(t, p, "policy").Get("Statement").Array()
		assert.Equal(t, "${"+s.Ref(t, "aws_iam_role", "deployer")+".id}", p.Get("role").String())
	}
	type st struct {
		actions, resources []any
	}
	flat := func(sts []gjson.Result) []st {
		var out []st
		for _, x := range sts {
			assert.Equal(t, "Allow", x.Get("Effect").String())
			out = append(out, st{x.Get("Action").Value().([]any), x.Get("Resource").Value().([]any)})
		}
		return out
	}
	assert.Equal(t, []st{
		{[]any{"s3:ListBucket"}, []any{bucketArn}},
		{[]any{"s3:GetObject", "s3:PutObject"}, []any{bucketArn + "/shop-prod/terraform.tfstate"}},
		{[]any{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, []any{bucketArn + "/shop-prod/terraform.tfstate.tflock"}},
		{[]any{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}, []any{keyArn}},
		{[]any{"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}, []any{tableArn}},
	}, flat(byName["readwrite"]), "read-write: no DeleteObject on state, only on its lock file")
	assert.Equal(t, []st{
		{[]any{"s3:ListBucket"}, []any{bucketArn}},
		{[]any{"s3:GetObject"}, []any{bucketArn + "/shop/*"}},
		{[]any{"kms:Decrypt"}, []any{keyArn}},
		{[]any{"dynamodb:GetItem"}, []any{tableArn}},
	}, flat(byName["read"]), "read: nothing written")

	// The principal elsewhere: statements in the one bucket policy and the
	// one key policy, none for the lock table.
	bucketPolicy := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "state/state_bucket_policy"), "policy")
	var toOther []st
	for _, x := range bucketPolicy.Get("Statement").Array() {
		if x.Get("Principal.AWS").String() == other {
			toOther = append(toOther, flat([]gjson.Result{x})...)
		}
	}
	assert.Equal(t, []st{
		{[]any{"s3:ListBucket"}, []any{bucketArn}},
		{[]any{"s3:GetObject", "s3:PutObject"}, []any{bucketArn + "/env:/*"}},
		{[]any{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, []any{bucketArn + "/env:/*.tflock"}},
	}, toOther)
	keyPolicy := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "state/key"), "policy")
	var keyStatements []st
	for _, x := range keyPolicy.Get("Statement").Array() {
		if x.Get("Principal.AWS").String() == other {
			keyStatements = append(keyStatements, flat([]gjson.Result{x})...)
		}
	}
	assert.Equal(t, []st{{[]any{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}, []any{"*"}}}, keyStatements)
	assert.Len(t, grants["other"].Statements, 4)
	requireOnePolicyPerBucket(t, s)
}

func useBackend(t *testing.T, cfg statebackend.BackendConfig) gjson.Result {
	t.Helper()
	s := synthStack(t, func(stack cdktf.TerraformStack) {
		_, err := statebackend.Use(stack, &cfg)
		require.NoError(t, err)
	})
	return s.Get("terraform.backend.s3")
}

func TestUse(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		b := useBackend(t, statebackend.BackendConfig{Bucket: testBucket, Region: testRegion, KmsKeyId: testKeyArn})
		assert.JSONEq(t, `{
			"bucket": "`+testBucket+`",
			"key": "test/terraform.tfstate",
			"region": "`+testRegion+`",
			"encrypt": true,
			"kms_key_id": "`+testKeyArn+`",
			"use_lockfile": true
		}`, b.Raw)
	})
	t.Run("every option", func(t *testing.T) {
		role := "arn:aws:iam::" + testAccount + ":role/terraform"
		b := useBackend(t, statebackend.BackendConfig{
			Bucket: testBucket, Region: testRegion, KmsKeyId: testKeyArn,
			Key:                "team/app.tfstate",
			WorkspaceKeyPrefix: "workspaces",
			DynamodbTable:      "acme-tf-lock",
			AssumeRole: &statebackend.AssumeRole{RoleArn: role, ExternalId: "ext", SessionName: "ci", SourceIdentity: "alice",
				DurationSeconds: new(statebackend.MinAssumeRoleDurationSeconds), Tags: map[string]string{"team": "platform", "cost": "42"}, TransitiveTagKeys: []string{"team"}},
			AllowedAccountIds: []string{testAccount},
			Endpoints:         &statebackend.Endpoints{S3: "https://bucket.vpce-0123456789abcdef0-abcdefgh.s3." + testRegion + ".vpce.amazonaws.com", Sts: "https://sts." + testRegion + ".amazonaws.com", Dynamodb: "https://dynamodb." + testRegion + ".amazonaws.com"},
		})
		assert.Equal(t, "team/app.tfstate", b.Get("key").String())
		assert.Equal(t, "workspaces", b.Get("workspace_key_prefix").String())
		// Legacy locking keeps the S3 lock file too, so mixed Terraform
		// versions lock each other out correctly.
		assert.Equal(t, "acme-tf-lock", b.Get("dynamodb_table").String())
		assert.True(t, b.Get("use_lockfile").Bool())
		assert.JSONEq(t, `{"role_arn":"`+role+`","external_id":"ext","session_name":"ci","source_identity":"alice","duration":"900s",
			"tags":{"cost":"42","team":"platform"},"transitive_tag_keys":["team"]}`, b.Get("assume_role").Raw)
		assert.Equal(t, []any{testAccount}, b.Get("allowed_account_ids").Value())
		assert.JSONEq(t, `{"s3":"https://bucket.vpce-0123456789abcdef0-abcdefgh.s3.`+testRegion+`.vpce.amazonaws.com","sts":"https://sts.`+testRegion+`.amazonaws.com","dynamodb":"https://dynamodb.`+testRegion+`.amazonaws.com"}`, b.Get("endpoints").Raw)
		assert.True(t, b.Get("encrypt").Bool())
		assert.False(t, b.Get("skip_region_validation").Exists())
	})
	t.Run("region terraform 1.11 does not know yet", func(t *testing.T) {
		key := strings.Replace(testKeyArn, testRegion, "ap-east-2", 1)
		b := useBackend(t, statebackend.BackendConfig{Bucket: testBucket, Region: "ap-east-2", KmsKeyId: key})
		assert.True(t, b.Get("skip_region_validation").Bool())
	})
}

// TestBackendSatisfiesStatePolicy evaluates the state bucket's synthesized
// PutObject deny statements against the SSE headers Terraform sends for the
// backend Use writes (Terraform sends x-amz-server-side-encryption: aws:kms
// and the kms_key_id header on state and .tflock writes only when encrypt is
// true). The policy must never deny Terraform's own writes, and must deny a
// backend without encrypt or with another key.
func TestBackendSatisfiesStatePolicy(t *testing.T) {
	policyStack := backendStack(t, defaultBackendConfig())
	keyRef := "${" + policyStack.Ref(t, "aws_kms_key", "state/key") + ".arn}"
	policy := stacktest.JSONDocument(t, policyStack.Resource(t, "aws_s3_bucket_policy", "state/state_bucket_policy"), "policy")
	// The deployed key's ARN is what the user copies into BackendConfig.KmsKeyId.
	policy = gjson.Parse(strings.ReplaceAll(policy.Raw, keyRef, testKeyArn))

	backend := useBackend(t, statebackend.BackendConfig{Bucket: testBucket, Region: testRegion, KmsKeyId: testKeyArn}).Value().(map[string]any)
	for _, object := range []string{"test/terraform.tfstate", "test/terraform.tfstate.tflock"} {
		assert.Empty(t, deniedPut(policy, sentHeaders(backend)), "PutObject %s must be allowed", object)
	}

	noEncrypt := maps.Clone(backend)
	noEncrypt["encrypt"] = false
	assert.ElementsMatch(t, []string{"DenyUnencryptedObjectUploads", "DenyWrongKmsKey"}, deniedPut(policy, sentHeaders(noEncrypt)))

	otherKey := maps.Clone(backend)
	otherKey["kms_key_id"] = strings.Replace(testKeyArn, "1234abcd", "99999999", 1)
	assert.Equal(t, []string{"DenyWrongKmsKey"}, deniedPut(policy, sentHeaders(otherKey)))
}

// sentHeaders returns the SSE headers the Terraform S3 backend sends on
// PutObject for a backend config.
func sentHeaders(backend map[string]any) map[string]string {
	h := map[string]string{}
	if backend["encrypt"] == true {
		if k, _ := backend["kms_key_id"].(string); k != "" {
			h["s3:x-amz-server-side-encryption"] = "aws:kms"
			h["s3:x-amz-server-side-encryption-aws-kms-key-id"] = k
		} else {
			h["s3:x-amz-server-side-encryption"] = "AES256"
		}
	}
	return h
}

// deniedPut returns the Sids of Deny statements on s3:PutObject whose
// StringNotEquals conditions match the request (a missing key matches a
// negated operator, as in IAM).
func deniedPut(policy gjson.Result, headers map[string]string) []string {
	var denied []string
	for _, st := range policy.Get("Statement").Array() {
		if st.Get("Effect").String() != "Deny" || !strings.Contains(st.Get("Action").Raw, `"s3:PutObject"`) {
			continue
		}
		st.Get("Condition.StringNotEquals").ForEach(func(k, v gjson.Result) bool {
			if got, ok := headers[k.String()]; !ok || got != v.String() {
				denied = append(denied, st.Get("Sid").String())
			}
			return true
		})
	}
	return denied
}

// TestTwoBackends: two EncryptedStateBackends in one stack clash on their
// outputs (an error naming both, unless one has another OutputPrefix), and
// a second Use on a stack is an error, not a second backend.
func TestTwoBackends(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	first := defaultBackendConfig()
	_, err := statebackend.NewEncryptedStateBackend(stack, "state", &first)
	require.NoError(t, err)
	second := defaultBackendConfig()
	second.Bucket = testBucket + "-dr"
	_, err = statebackend.NewEncryptedStateBackend(stack, "dr", &second)
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"OutputPrefix", "OutputPrefix", "OutputPrefix"}, fields(ve))
	assert.Contains(t, err.Error(), "test/state", "names the other backend")
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("dr")), "nothing created")
	second.OutputPrefix = "dr_"
	_, err = statebackend.NewEncryptedStateBackend(stack, "dr", &second)
	require.NoError(t, err)

	use := statebackend.BackendConfig{Bucket: testBucket, Region: testRegion, KmsKeyId: testKeyArn}
	_, err = statebackend.Use(stack, &use)
	require.NoError(t, err)
	_, err = statebackend.Use(stack, &use)
	require.ErrorAs(t, err, &ve, "a second backend is an error, not a panic")
	assert.Equal(t, []string{"stack"}, fields(ve))
	local := cdktf.NewTerraformStack(app, jsii.String("local"))
	cdktf.NewLocalBackend(local, &cdktf.LocalBackendConfig{Path: jsii.String("x.tfstate")})
	_, err = statebackend.Use(local, &use)
	require.ErrorAs(t, err, &ve, "any other backend too")
	assert.Equal(t, []string{"stack"}, fields(ve))
}

// requireRejected calls build on an empty stack and requires one
// *validate.Error whose problems include field, and a stack with no
// backend and no constructs.
func requireRejected(t *testing.T, field string, build func(stack cdktf.TerraformStack) error) *validate.Error {
	t.Helper()
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	err := build(stack)
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, fields(ve), field, "error: %v", err)
	stacktest.RequireNoChildren(t, stack)
	return ve
}

func fields(e *validate.Error) []string {
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.Field)
	}
	return out
}

func stateBackendConfig(region string) statebackend.EncryptedStateBackendConfig {
	c := defaultBackendConfig()
	c.Region = region
	return c
}
