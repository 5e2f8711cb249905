package tests

import (
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	testBucket = "acme-tf-state"
	testKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

func backendStack(t *testing.T, cfg statebackend.EncryptedStateBackendConfig) stacktest.Stack {
	t.Helper()
	return stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		_, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
		require.NoError(t, err)
	})
}

func defaultBackendConfig() statebackend.EncryptedStateBackendConfig {
	return statebackend.EncryptedStateBackendConfig{Bucket: testBucket, AccountId: "123456789012", Region: "us-east-1"}
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
		assert.EqualValues(t, 90, r.Get("noncurrent_version_expiration.0.noncurrent_days").Int())
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
		assert.EqualValues(t, 365, lc.Get("expiration.0.days").Int())
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
		assert.JSONEq(t, `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::`+testBucket+`"},"StringEquals":{"aws:SourceAccount":"123456789012"}}`, w.Get("Condition").Raw)
		assert.Equal(t, "Enabled", s.Resource(t, "aws_s3_bucket_versioning", "state/log_bucket_versioning").Get("versioning_configuration.status").String())
		assert.EqualValues(t, 30, lc.Get("noncurrent_version_expiration.0.noncurrent_days").Int())
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
		assert.JSONEq(t, `{"AWS":"arn:aws:iam::123456789012:root"}`, st[0].Get("Principal").Raw)
		assert.Equal(t, []any{"kms:*"}, st[0].Get("Action").Value())
		for _, p := range policy.Get("Statement.#.Principal|@flatten").Array() {
			p.ForEach(func(_, v gjson.Result) bool {
				assert.NotEqual(t, "*", v.String(), "no wildcard principal")
				return true
			})
		}
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
}

func TestEncryptedStateBackendOptions(t *testing.T) {
	cfg := defaultBackendConfig()
	cfg.LockTable = true
	cfg.DeletionWindowInDays = 7
	cfg.NoncurrentDays = 30
	cfg.LogBucket = "acme-access-logs"
	cfg.LogExpirationDays = 90
	cfg.KmsKeyAlias = "alias/tf/state"
	s := backendStack(t, cfg)
	keyArn := "${" + s.Ref(t, "aws_kms_key", "state/key") + ".arn}"

	assert.EqualValues(t, 7, s.Resource(t, "aws_kms_key", "state/key").Get("deletion_window_in_days").Int())
	assert.Equal(t, "alias/tf/state", s.Resource(t, "aws_kms_alias", "state/key_alias").Get("name").String())
	assert.EqualValues(t, 30, s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/state_bucket_lifecycle").Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int())
	assert.Equal(t, "acme-access-logs", s.Resource(t, "aws_s3_bucket", "state/log_bucket").Get("bucket").String())
	assert.EqualValues(t, 90, s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "state/log_bucket_lifecycle").Get("rule.0.expiration.0.days").Int())

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

func useBackend(t *testing.T, cfg statebackend.BackendConfig) gjson.Result {
	t.Helper()
	s := stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		_, err := statebackend.Use(stack, &cfg)
		require.NoError(t, err)
	})
	return s.Get("terraform.backend.s3")
}

func TestUse(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		b := useBackend(t, statebackend.BackendConfig{Bucket: testBucket, Region: "us-east-1", KmsKeyId: testKeyArn})
		assert.JSONEq(t, `{
			"bucket": "`+testBucket+`",
			"key": "test/terraform.tfstate",
			"region": "us-east-1",
			"encrypt": true,
			"kms_key_id": "`+testKeyArn+`",
			"use_lockfile": true
		}`, b.Raw)
	})
	t.Run("every option", func(t *testing.T) {
		b := useBackend(t, statebackend.BackendConfig{
			Bucket: testBucket, Region: "us-east-1", KmsKeyId: testKeyArn,
			Key:                "team/app.tfstate",
			WorkspaceKeyPrefix: "workspaces",
			DynamodbTable:      "acme-tf-lock",
			AssumeRole:         &statebackend.AssumeRole{RoleArn: "arn:aws:iam::123456789012:role/terraform", ExternalId: "ext", SessionName: "ci"},
			AllowedAccountIds:  []string{"123456789012"},
		})
		assert.Equal(t, "team/app.tfstate", b.Get("key").String())
		assert.Equal(t, "workspaces", b.Get("workspace_key_prefix").String())
		// Legacy locking keeps the S3 lock file too, so mixed Terraform
		// versions lock each other out correctly.
		assert.Equal(t, "acme-tf-lock", b.Get("dynamodb_table").String())
		assert.True(t, b.Get("use_lockfile").Bool())
		assert.JSONEq(t, `{"role_arn":"arn:aws:iam::123456789012:role/terraform","external_id":"ext","session_name":"ci"}`, b.Get("assume_role").Raw)
		assert.Equal(t, []any{"123456789012"}, b.Get("allowed_account_ids").Value())
		assert.True(t, b.Get("encrypt").Bool())
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

	backend := useBackend(t, statebackend.BackendConfig{Bucket: testBucket, Region: "us-east-1", KmsKeyId: testKeyArn}).Value().(map[string]any)
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

// TestInvalidEncryptedStateBackendConfig covers every validation rule of
// NewEncryptedStateBackend: one error naming the field, and nothing created.
func TestInvalidEncryptedStateBackendConfig(t *testing.T) {
	cases := map[string]struct {
		mutate func(*statebackend.EncryptedStateBackendConfig)
		field  string
	}{
		"bucket with uppercase":         {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "Acme-State" }, "Bucket"},
		"bucket too short":              {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "ab" }, "Bucket"},
		"bucket with adjacent periods":  {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "acme..state" }, "Bucket"},
		"bucket formatted as IP":        {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "192.168.1.10" }, "Bucket"},
		"bucket with reserved prefix":   {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "xn--state" }, "Bucket"},
		"bucket with reserved suffix":   {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "state-s3alias" }, "Bucket"},
		"log bucket name too long":      {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = strings.Repeat("a", 62) }, "LogBucket"},
		"log bucket same as bucket":     {func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = c.Bucket }, "LogBucket"},
		"empty account":                 {func(c *statebackend.EncryptedStateBackendConfig) { c.AccountId = "" }, "AccountId"},
		"short account":                 {func(c *statebackend.EncryptedStateBackendConfig) { c.AccountId = "12345" }, "AccountId"},
		"empty region":                  {func(c *statebackend.EncryptedStateBackendConfig) { c.Region = "" }, "Region"},
		"bad region":                    {func(c *statebackend.EncryptedStateBackendConfig) { c.Region = "us_east_1" }, "Region"},
		"alias without prefix":          {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "state" }, "KmsKeyAlias"},
		"alias in AWS namespace":        {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "alias/aws/state" }, "KmsKeyAlias"},
		"deletion window below 7":       {func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = 6 }, "DeletionWindowInDays"},
		"deletion window above 30":      {func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = 31 }, "DeletionWindowInDays"},
		"negative noncurrent days":      {func(c *statebackend.EncryptedStateBackendConfig) { c.NoncurrentDays = -1 }, "NoncurrentDays"},
		"negative log expiration":       {func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = -5 }, "LogExpirationDays"},
		"noncurrent days too large":     {func(c *statebackend.EncryptedStateBackendConfig) { c.NoncurrentDays = math.MaxInt }, "NoncurrentDays"},
		"log expiration too large":      {func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = statebackend.MaxDays + 1 }, "LogExpirationDays"},
		"explicit bad log bucket":       {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "BAD"; c.LogBucket = "ALSO_BAD" }, "LogBucket"},
		"bad lock table name":           {func(c *statebackend.EncryptedStateBackendConfig) { c.LockTable = true; c.DynamodbTable = "a b" }, "DynamodbTable"},
		"lock table name without table": {func(c *statebackend.EncryptedStateBackendConfig) { c.DynamodbTable = "locks" }, "DynamodbTable"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := defaultBackendConfig()
			tc.mutate(&cfg)
			requireRejected(t, tc.field, func(stack cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
				return err
			})
			assert.Error(t, cfg.Validate(), "Validate agrees with the constructor")
		})
	}
	t.Run("nil config", func(t *testing.T) {
		requireRejected(t, "config", func(stack cdktf.TerraformStack) error {
			_, err := statebackend.NewEncryptedStateBackend(stack, "state", nil)
			return err
		})
	})
	for name, id := range map[string]string{"empty id": "", "id not a Terraform name": "1state", "id with space": "my state"} {
		t.Run(name, func(t *testing.T) {
			cfg := defaultBackendConfig()
			requireRejected(t, "id", func(stack cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(stack, id, &cfg)
				return err
			})
		})
	}
	t.Run("duplicate id", func(t *testing.T) {
		app := cdktf.Testing_App(nil)
		stack := cdktf.NewTerraformStack(app, jsii.String("test"))
		cfg := defaultBackendConfig()
		_, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
		require.NoError(t, err)
		_, err = statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve, "a duplicate id is an error, not a panic")
		assert.Equal(t, []string{"id"}, fields(ve))
	})
	t.Run("every problem in one error", func(t *testing.T) {
		cfg := statebackend.EncryptedStateBackendConfig{Bucket: "Bad_Name", AccountId: "1", Region: "", DeletionWindowInDays: 99}
		err := cfg.Validate()
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"Bucket", "AccountId", "Region", "DeletionWindowInDays"}, fields(ve))
		assert.Contains(t, err.Error(), `DeletionWindowInDays = 99: must be between 7 and 30 days`)
	})
}

// TestInvalidBackendConfig covers every validation rule of Use.
func TestInvalidBackendConfig(t *testing.T) {
	valid := func() statebackend.BackendConfig {
		return statebackend.BackendConfig{Bucket: testBucket, Region: "us-east-1", KmsKeyId: testKeyArn}
	}
	cases := map[string]struct {
		mutate func(*statebackend.BackendConfig)
		field  string
	}{
		"bad bucket":               {func(c *statebackend.BackendConfig) { c.Bucket = "UPPER" }, "Bucket"},
		"empty region":             {func(c *statebackend.BackendConfig) { c.Region = "" }, "Region"},
		"empty kms key":            {func(c *statebackend.BackendConfig) { c.KmsKeyId = "" }, "KmsKeyId"},
		"kms alias instead of arn": {func(c *statebackend.BackendConfig) { c.KmsKeyId = "alias/acme-tf-state" }, "KmsKeyId"},
		"bare kms key id":          {func(c *statebackend.BackendConfig) { c.KmsKeyId = "1234abcd-12ab-34cd-56ef-1234567890ab" }, "KmsKeyId"},
		"kms alias arn":            {func(c *statebackend.BackendConfig) { c.KmsKeyId = "arn:aws:kms:us-east-1:123456789012:alias/state" }, "KmsKeyId"},
		"kms key in other region":  {func(c *statebackend.BackendConfig) { c.Region = "eu-west-1" }, "KmsKeyId"},
		"kms key of other account": {func(c *statebackend.BackendConfig) { c.AllowedAccountIds = []string{"210987654321"} }, "KmsKeyId"},
		"key starting with slash":  {func(c *statebackend.BackendConfig) { c.Key = "/app/terraform.tfstate" }, "Key"},
		"key ending with slash":    {func(c *statebackend.BackendConfig) { c.Key = "app/" }, "Key"},
		"key with double slash":    {func(c *statebackend.BackendConfig) { c.Key = "app//terraform.tfstate" }, "Key"},
		"key too long":             {func(c *statebackend.BackendConfig) { c.Key = strings.Repeat("k", 1025) }, "Key"},
		"workspace prefix slash":   {func(c *statebackend.BackendConfig) { c.WorkspaceKeyPrefix = "/env" }, "WorkspaceKeyPrefix"},
		"bad lock table":           {func(c *statebackend.BackendConfig) { c.DynamodbTable = "x" }, "DynamodbTable"},
		"bad assume role arn":      {func(c *statebackend.BackendConfig) { c.AssumeRole = &statebackend.AssumeRole{RoleArn: "terraform"} }, "AssumeRole.RoleArn"},
		"bad assume role session": {func(c *statebackend.BackendConfig) {
			c.AssumeRole = &statebackend.AssumeRole{RoleArn: "arn:aws:iam::123456789012:role/t", SessionName: "a b"}
		}, "AssumeRole.SessionName"},
		"assume role external id": {func(c *statebackend.BackendConfig) {
			c.AssumeRole = &statebackend.AssumeRole{RoleArn: "arn:aws:iam::123456789012:role/t", ExternalId: strings.Repeat("e", 1225)}
		}, "AssumeRole.ExternalId"},
		"bad allowed account id": {func(c *statebackend.BackendConfig) { c.AllowedAccountIds = []string{"123456789012", "abc"} }, "AllowedAccountIds[1]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := valid()
			tc.mutate(&cfg)
			requireRejected(t, tc.field, func(stack cdktf.TerraformStack) error {
				_, err := statebackend.Use(stack, &cfg)
				return err
			})
		})
	}
	t.Run("nil config", func(t *testing.T) {
		requireRejected(t, "config", func(stack cdktf.TerraformStack) error {
			_, err := statebackend.Use(stack, nil)
			return err
		})
	})
	t.Run("nil stack", func(t *testing.T) {
		cfg := valid()
		_, err := statebackend.Use(nil, &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, fields(ve), "stack")
	})
	t.Run("second backend", func(t *testing.T) {
		app := cdktf.Testing_App(nil)
		stack := cdktf.NewTerraformStack(app, jsii.String("test"))
		cfg := valid()
		_, err := statebackend.Use(stack, &cfg)
		require.NoError(t, err)
		_, err = statebackend.Use(stack, &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve, "a second backend is an error, not a panic")
		assert.Equal(t, []string{"stack"}, fields(ve))
	})
}

// requireRejected calls build on an empty stack and requires one
// *validate.Error whose problems include field, and a stack with no
// backend and no constructs.
func requireRejected(t *testing.T, field string, build func(stack cdktf.TerraformStack) error) {
	t.Helper()
	app := cdktf.Testing_App(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	err := build(stack)
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, fields(ve), field, "error: %v", err)
	stacktest.RequireNoChildren(t, stack)
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
