package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

type backendMutation func(*statebackend.EncryptedStateBackendConfig)

// TestInvalidEncryptedStateBackendConfig covers every rule of
// NewEncryptedStateBackend with a failing input (one error naming the
// field, nothing created) and a passing one next to it.
func TestInvalidEncryptedStateBackendConfig(t *testing.T) {
	// A team key and SSE-S3 / SSE-KMS buckets of this app, created once
	// in their own app, for the bring-your-own cases.
	byo := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("byo"))
	teamKey, err := securekey.NewSecureKey(byo, "k", &securekey.SecureKeyConfig{AccountId: testAccount, Region: testRegion})
	require.NoError(t, err)
	otherRegionKey, err := securekey.NewSecureKey(byo, "k2", &securekey.SecureKeyConfig{AccountId: testAccount, Region: "eu-west-1"})
	require.NoError(t, err)
	logs, err := securebucket.NewSecureBucket(byo, "logs", &securebucket.SecureBucketConfig{BucketName: "acme-rules-logs", AccountId: testAccount, Region: testRegion, S3ManagedEncryption: true})
	require.NoError(t, err)
	kmsLogs, err := securebucket.NewSecureBucket(byo, "kms_logs", &securebucket.SecureBucketConfig{BucketName: "acme-rules-kms-logs", AccountId: testAccount, Region: testRegion, KmsKey: teamKey})
	require.NoError(t, err)
	otherAccountLogs, err := securebucket.NewSecureBucket(byo, "other_logs", &securebucket.SecureBucketConfig{BucketName: "acme-rules-other-logs", AccountId: "444455556666", Region: testRegion, S3ManagedEncryption: true})
	require.NoError(t, err)

	cases := map[string]struct {
		bad, good backendMutation
		field     string
	}{
		"bucket with uppercase":        {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "Acme-State" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "acme-state" }, "Bucket"},
		"bucket too short":             {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "ab" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "abc" }, "Bucket"},
		"bucket with adjacent periods": {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "acme..state" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "acme.state" }, "Bucket"},
		"bucket formatted as IP":       {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "192.168.1.10" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "192.168.1.10a" }, "Bucket"},
		"bucket with reserved prefix":  {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "xn--state" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "xn-state" }, "Bucket"},
		"bucket with reserved suffix":  {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "state-s3alias" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "state-s3-alias" }, "Bucket"},
		"bucket a template":            {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "${var.bucket}" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = "var-bucket" }, "Bucket"},
		"derived log bucket too long":  {func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = strings.Repeat("a", 62) }, func(c *statebackend.EncryptedStateBackendConfig) { c.Bucket = strings.Repeat("a", 58) }, "Bucket"},
		"log bucket same as bucket":    {func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = c.Bucket }, func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = c.Bucket + "-access" }, "LogBucket"},
		"explicit bad log bucket":      {func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = "ALSO_BAD" }, func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = "also-good" }, "LogBucket"},
		"empty account":                {func(c *statebackend.EncryptedStateBackendConfig) { c.AccountId = "" }, func(*statebackend.EncryptedStateBackendConfig) {}, "AccountId"},
		"short account":                {func(c *statebackend.EncryptedStateBackendConfig) { c.AccountId = "12345" }, func(*statebackend.EncryptedStateBackendConfig) {}, "AccountId"},
		"empty region":                 {func(c *statebackend.EncryptedStateBackendConfig) { c.Region = "" }, func(*statebackend.EncryptedStateBackendConfig) {}, "Region"},
		"bad region":                   {func(c *statebackend.EncryptedStateBackendConfig) { c.Region = "us_east_1" }, func(c *statebackend.EncryptedStateBackendConfig) { c.Region = "us-east-1" }, "Region"},
		"alias without prefix":         {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "state" }, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "alias/state" }, "KmsKeyAlias"},
		"alias in AWS namespace":       {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "alias/aws/state" }, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyAlias = "alias/awsx/state" }, "KmsKeyAlias"},
		"deletion window below 7":      {func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = new(6) }, func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = new(7) }, "DeletionWindowInDays"},
		"deletion window above 30":     {func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = new(31) }, func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = new(30) }, "DeletionWindowInDays"},
		"deletion window 0":            {func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = new(0) }, func(c *statebackend.EncryptedStateBackendConfig) { c.DeletionWindowInDays = nil }, "DeletionWindowInDays"},
		"negative noncurrent days":     {func(c *statebackend.EncryptedStateBackendConfig) { c.NoncurrentVersionExpirationDays = new(-1) }, func(c *statebackend.EncryptedStateBackendConfig) { c.NoncurrentVersionExpirationDays = new(0) }, "NoncurrentVersionExpirationDays"},
		"noncurrent days too large": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.NoncurrentVersionExpirationDays = new(math.MaxInt)
		}, func(c *statebackend.EncryptedStateBackendConfig) {
			c.NoncurrentVersionExpirationDays = new(statebackend.MaxDays)
		}, "NoncurrentVersionExpirationDays"},
		"negative log expiration":         {func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = new(-5) }, func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = new(0) }, "LogExpirationDays"},
		"log expiration too large":        {func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = new(statebackend.MaxDays + 1) }, func(c *statebackend.EncryptedStateBackendConfig) { c.LogExpirationDays = new(1) }, "LogExpirationDays"},
		"bad lock table name":             {func(c *statebackend.EncryptedStateBackendConfig) { c.LockTable = true; c.DynamodbTable = "a b" }, func(c *statebackend.EncryptedStateBackendConfig) { c.LockTable = true; c.DynamodbTable = "a_b" }, "DynamodbTable"},
		"lock table name without table":   {func(c *statebackend.EncryptedStateBackendConfig) { c.DynamodbTable = "locks" }, func(c *statebackend.EncryptedStateBackendConfig) { c.DynamodbTable = "locks"; c.LockTable = true }, "DynamodbTable"},
		"output prefix not an identifier": {func(c *statebackend.EncryptedStateBackendConfig) { c.OutputPrefix = "1-" }, func(c *statebackend.EncryptedStateBackendConfig) { c.OutputPrefix = "a1-" }, "OutputPrefix"},
		"access log prefix too long":      {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsPrefix = strings.Repeat("p", 1000) }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsPrefix = strings.Repeat("p", 900) }, "AccessLogsPrefix"},
		"access log prefix control char":  {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsPrefix = "logs\t/" }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsPrefix = "logs /" }, "AccessLogsPrefix"},
		"tags with aws: key":              {func(c *statebackend.EncryptedStateBackendConfig) { c.Tags = map[string]string{"aws:team": "x"} }, func(c *statebackend.EncryptedStateBackendConfig) { c.Tags = map[string]string{"team": "x"} }, "Tags[aws:team]"},
		// Bring your own key.
		"key and key ARN":       {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey, c.KmsKeyArn = teamKey, testKeyArn }, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey = teamKey }, "KmsKeyArn"},
		"key of another region": {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey = otherRegionKey }, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey = teamKey }, "KmsKey"},
		"key ARN refused by Terraform": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.KmsKeyArn = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyArn = testKeyArn }, "KmsKeyArn"},
		"key ARN of another account": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.KmsKeyArn = strings.Replace(testKeyArn, testAccount, "444455556666", 1)
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyArn = testKeyArn }, "KmsKeyArn"},
		"key ARN an alias": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.KmsKeyArn = "arn:aws:kms:" + testRegion + ":" + testAccount + ":alias/state"
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyArn = testKeyArn }, "KmsKeyArn"},
		"alias with own key": {func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey, c.KmsKeyAlias = teamKey, "alias/x" }, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKey = teamKey }, "KmsKeyAlias"},
		"deletion window with own key": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.KmsKeyArn, c.DeletionWindowInDays = testKeyArn, new(7)
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.KmsKeyArn = testKeyArn }, "DeletionWindowInDays"},
		// Bring your own log bucket.
		"SSE-KMS log bucket":            {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucket = kmsLogs }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucket = logs }, "AccessLogsBucket"},
		"log bucket of another account": {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucket = otherAccountLogs }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucket = logs }, "AccessLogsBucket"},
		"two log buckets": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.AccessLogsBucket, c.AccessLogsBucketName = logs, "acme-x-logs"
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucketName = "acme-x-logs" }, "AccessLogsBucket"},
		"log bucket name and LogBucket": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.LogBucket, c.AccessLogsBucketName = "a-logs", "acme-x-logs"
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.LogBucket = "a-logs" }, "AccessLogsBucket"},
		"bad log bucket name":             {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucketName = "Logs" }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucketName = "logs" }, "AccessLogsBucketName"},
		"log bucket name is state bucket": {func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucketName = c.Bucket }, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucketName = c.Bucket + "-x" }, "AccessLogsBucketName"},
		"log expiration with own bucket": {func(c *statebackend.EncryptedStateBackendConfig) {
			c.AccessLogsBucket, c.LogExpirationDays = logs, new(30)
		}, func(c *statebackend.EncryptedStateBackendConfig) { c.AccessLogsBucket = logs }, "LogExpirationDays"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := defaultBackendConfig()
			tc.bad(&cfg)
			requireRejected(t, tc.field, func(stack cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(stack, "state", &cfg)
				return err
			})
			assert.Error(t, cfg.Validate("state"), "Validate agrees with the constructor")
			good := defaultBackendConfig()
			tc.good(&good)
			require.NoError(t, good.Validate("state"), "the passing input next to it")
		})
	}
	t.Run("nil config", func(t *testing.T) {
		requireRejected(t, "config", func(stack cdktf.TerraformStack) error {
			_, err := statebackend.NewEncryptedStateBackend(stack, "state", nil)
			return err
		})
	})
	t.Run("nil scope", func(t *testing.T) {
		cfg := defaultBackendConfig()
		_, err := statebackend.NewEncryptedStateBackend(nil, "state", &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"scope"}, fields(ve))
		var typedNil cdktf.TerraformStack = (*struct{ cdktf.TerraformStack })(nil)
		_, err = statebackend.NewEncryptedStateBackend(typedNil, "state", &cfg)
		require.ErrorAs(t, err, &ve, "a typed nil scope too")
	})
	for name, id := range map[string]string{"empty id": "", "id not a Terraform name": "1state", "id with space": "my state"} {
		t.Run(name, func(t *testing.T) {
			cfg := defaultBackendConfig()
			requireRejected(t, "id", func(stack cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(stack, id, &cfg)
				return err
			})
			assert.Error(t, cfg.Validate(id))
		})
	}
	t.Run("duplicate id", func(t *testing.T) {
		app := stacktest.TestingApp(t)
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
		cfg := statebackend.EncryptedStateBackendConfig{Bucket: "Bad_Name", AccountId: "1", Region: "", DeletionWindowInDays: new(99)}
		err := cfg.Validate("state")
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, []string{"AccountId", "Region", "Bucket", "DeletionWindowInDays"}, fields(ve))
		assert.Contains(t, err.Error(), `DeletionWindowInDays = 99:`)
		assert.Contains(t, err.Error(), `did you mean "30"?`)
	})
}

// TestStateBackendNoCascades: one mistake, one problem. A bad Bucket does
// not also blame the log bucket, alias and lock table derived from it; a
// bad Region or AccountId does not blame the key ARN; a bad account in
// AllowedAccountIds does not make the key "not allowed".
func TestStateBackendNoCascades(t *testing.T) {
	cfg := defaultBackendConfig()
	cfg.Bucket, cfg.LockTable = "Bad_Bucket", true
	assert.Equal(t, []string{"Bucket"}, problemFields(t, cfg.Validate("state")))
	cfg = defaultBackendConfig()
	cfg.Region, cfg.KmsKeyArn = "eu-centrl-1", testKeyArn
	err := cfg.Validate("state")
	assert.Equal(t, []string{"Region"}, problemFields(t, err))
	assert.Contains(t, err.Error(), `did you mean "eu-central-1"?`)
	cfg = defaultBackendConfig()
	cfg.AccountId, cfg.KmsKeyArn = "1", testKeyArn
	assert.Equal(t, []string{"AccountId"}, problemFields(t, cfg.Validate("state")))

	use := statebackend.BackendConfig{Bucket: testBucket, Region: "eu-centrl-1", KmsKeyId: testKeyArn,
		AssumeRole: &statebackend.AssumeRole{RoleArn: "arn:aws:iam::" + testAccount + ":role/t"}}
	assert.Equal(t, []string{"Region"}, problemFields(t, use.Validate("s")))
	use.Region, use.AllowedAccountIds = testRegion, []string{"12"}
	assert.Equal(t, []string{"AllowedAccountIds[0]"}, problemFields(t, use.Validate("s")))
	use.AllowedAccountIds, use.Key = []string{testAccount}, "${var.key}"
	assert.Equal(t, []string{"Key"}, problemFields(t, use.Validate("s")), "a reference is one problem, not also a bad key")
}

func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	return fields(ve)
}

// backendCase is one rule of Use: a failing value of one field, a passing
// value next to it, and, when Terraform itself refuses the failing value,
// the diagnostic summary terraform init gives (checked with the real
// binary by TestBackendRulesMatchTerraform). tf is "" where our rule is
// stricter than Terraform's and the case's comment says why.
type backendCase struct {
	name      string
	field     string
	bad, good func(*statebackend.BackendConfig)
	tf        string
}

func validUse() statebackend.BackendConfig {
	return statebackend.BackendConfig{Bucket: testBucket, Region: testRegion, KmsKeyId: testKeyArn, Key: "app/terraform.tfstate"}
}

// withRole changes the AssumeRole block (created when there is none), so
// that the passing values of several cases compose.
func withRole(f func(*statebackend.AssumeRole)) func(*statebackend.BackendConfig) {
	return func(c *statebackend.BackendConfig) {
		if c.AssumeRole == nil {
			c.AssumeRole = &statebackend.AssumeRole{RoleArn: "arn:aws:iam::" + testAccount + ":role/terraform"}
		}
		f(c.AssumeRole)
	}
}

// withEndpoints changes the Endpoints block (created when there is none).
func withEndpoints(f func(*statebackend.Endpoints)) func(*statebackend.BackendConfig) {
	return func(c *statebackend.BackendConfig) {
		if c.Endpoints == nil {
			c.Endpoints = &statebackend.Endpoints{}
		}
		f(c.Endpoints)
	}
}

func backendCases() []backendCase {
	role := "arn:aws:iam::" + testAccount + ":role/terraform"
	refused := "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	return []backendCase{
		// Terraform only requires a non-empty bucket; S3 refuses the rest.
		{"bad bucket", "Bucket", func(c *statebackend.BackendConfig) { c.Bucket = "UPPER" }, func(c *statebackend.BackendConfig) { c.Bucket = "upper" }, ""},
		{"blank bucket", "Bucket", func(c *statebackend.BackendConfig) { c.Bucket = " " }, func(c *statebackend.BackendConfig) { c.Bucket = "b-b" }, "Invalid Value"},
		{"empty region", "Region", func(c *statebackend.BackendConfig) { c.Region = "" }, func(*statebackend.BackendConfig) {}, ""},
		{"unknown region", "Region", func(c *statebackend.BackendConfig) { c.Region = "eu-central-9" }, func(*statebackend.BackendConfig) {}, "Invalid region value"},
		{"empty kms key", "KmsKeyId", func(c *statebackend.BackendConfig) { c.KmsKeyId = "" }, func(*statebackend.BackendConfig) {}, ""},
		// The documented example key ID: its third group has no version digit.
		{"key ID Terraform refuses", "KmsKeyId", func(c *statebackend.BackendConfig) { c.KmsKeyId = refused }, func(*statebackend.BackendConfig) {}, "Invalid KMS Key ARN"},
		{"key ID in uppercase", "KmsKeyId", func(c *statebackend.BackendConfig) {
			c.KmsKeyId = testKeyArn[:len(testKeyArn)-36] + strings.ToUpper(testKeyArn[len(testKeyArn)-36:])
		}, func(*statebackend.BackendConfig) {}, "Invalid KMS Key ARN"},
		{"key ID too short", "KmsKeyId", func(c *statebackend.BackendConfig) { c.KmsKeyId = testKeyArn[:len(testKeyArn)-1] }, func(*statebackend.BackendConfig) {}, "Invalid KMS Key ARN"},
		{"multi-Region key ID too short", "KmsKeyId", func(c *statebackend.BackendConfig) {
			c.KmsKeyId = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/mrk-" + strings.Repeat("a", 31)
		}, func(c *statebackend.BackendConfig) {
			c.KmsKeyId = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/mrk-" + strings.Repeat("a", 32)
		}, "Invalid KMS Key ARN"},
		// Aliases pass Terraform but not the state bucket policy.
		{"kms alias", "KmsKeyId", func(c *statebackend.BackendConfig) { c.KmsKeyId = "alias/acme-tf-state" }, func(*statebackend.BackendConfig) {}, ""},
		{"kms alias arn", "KmsKeyId", func(c *statebackend.BackendConfig) {
			c.KmsKeyId = "arn:aws:kms:" + testRegion + ":" + testAccount + ":alias/state"
		}, func(*statebackend.BackendConfig) {}, ""},
		{"bare kms key id", "KmsKeyId", func(c *statebackend.BackendConfig) { c.KmsKeyId = "1234abcd-12ab-44cd-86ef-1234567890ab" }, func(*statebackend.BackendConfig) {}, ""},
		// S3 SSE-KMS needs the key in the bucket's region.
		{"kms key in other region", "KmsKeyId", func(c *statebackend.BackendConfig) { c.Region = "eu-west-1" }, func(c *statebackend.BackendConfig) {
			c.Region, c.KmsKeyId = "eu-west-1", strings.Replace(testKeyArn, testRegion, "eu-west-1", 1)
		}, ""},
		{"kms key of an account not allowed", "KmsKeyId", func(c *statebackend.BackendConfig) { c.AllowedAccountIds = []string{"210987654321"} }, func(c *statebackend.BackendConfig) {
			c.AllowedAccountIds = []string{"210987654321", testAccount}
		}, ""},
		{"bad allowed account id", "AllowedAccountIds[1]", func(c *statebackend.BackendConfig) { c.AllowedAccountIds = []string{testAccount, "abc"} }, func(c *statebackend.BackendConfig) { c.AllowedAccountIds = []string{testAccount} }, ""},
		{"key starting with slash", "Key", func(c *statebackend.BackendConfig) { c.Key = "/app/terraform.tfstate" }, func(c *statebackend.BackendConfig) { c.Key = "app/terraform.tfstate" }, "Invalid Value"},
		{"key ending with slash", "Key", func(c *statebackend.BackendConfig) { c.Key = "app/" }, func(c *statebackend.BackendConfig) { c.Key = "app" }, "Invalid Value"},
		{"key with double slash", "Key", func(c *statebackend.BackendConfig) { c.Key = "app//terraform.tfstate" }, func(c *statebackend.BackendConfig) { c.Key = "app/x/terraform.tfstate" }, "Invalid Value"},
		{"blank key", "Key", func(c *statebackend.BackendConfig) { c.Key = "  " }, func(c *statebackend.BackendConfig) { c.Key = " a " }, "Invalid Value"},
		// S3 keys hold 1024 bytes, and the lock object appends ".tflock".
		{"key too long", "Key", func(c *statebackend.BackendConfig) { c.Key = strings.Repeat("k", statebackend.MaxKeyLength+1) }, func(c *statebackend.BackendConfig) { c.Key = strings.Repeat("k", statebackend.MaxKeyLength) }, ""},
		// XML 1.0 (S3 listings) cannot carry control characters.
		{"key with control character", "Key", func(c *statebackend.BackendConfig) { c.Key = "app\x01/t" }, func(c *statebackend.BackendConfig) { c.Key = "app é/t" }, ""},
		// Terraform reads backend values in JSON literally: the state would
		// live at a key named "${var.key}", which is never what was meant.
		{"key a reference", "Key", func(c *statebackend.BackendConfig) { c.Key = "${var.key}" }, func(c *statebackend.BackendConfig) { c.Key = "var.key" }, ""},
		{"workspace prefix leading slash", "WorkspaceKeyPrefix", func(c *statebackend.BackendConfig) { c.WorkspaceKeyPrefix = "/env" }, func(c *statebackend.BackendConfig) { c.WorkspaceKeyPrefix = "env" }, "Invalid Value"},
		{"workspace prefix trailing slash", "WorkspaceKeyPrefix", func(c *statebackend.BackendConfig) { c.WorkspaceKeyPrefix = "env/" }, func(c *statebackend.BackendConfig) { c.WorkspaceKeyPrefix = "team/env" }, "Invalid Value"},
		{"bad lock table", "DynamodbTable", func(c *statebackend.BackendConfig) { c.DynamodbTable = "x" }, func(c *statebackend.BackendConfig) { c.DynamodbTable = "xyz" }, ""},
		{"assume role without role", "AssumeRole.RoleArn", withRole(func(a *statebackend.AssumeRole) { a.RoleArn = "" }), withRole(func(*statebackend.AssumeRole) {}), ""},
		{"assume role arn not an arn", "AssumeRole.RoleArn", withRole(func(a *statebackend.AssumeRole) { a.RoleArn = "terraform" }), withRole(func(a *statebackend.AssumeRole) { a.RoleArn = role }), "Invalid ARN"},
		{"assume role arn of a user", "AssumeRole.RoleArn", withRole(func(a *statebackend.AssumeRole) { a.RoleArn = "arn:aws:iam::" + testAccount + ":user/t" }), withRole(func(a *statebackend.AssumeRole) { a.RoleArn = role }), "Invalid IAM Role ARN"},
		{"assume role of an account not allowed", "AssumeRole.RoleArn", func(c *statebackend.BackendConfig) {
			withRole(func(a *statebackend.AssumeRole) { a.RoleArn = "arn:aws:iam::210987654321:role/t" })(c)
			c.AllowedAccountIds = []string{testAccount}
		}, func(c *statebackend.BackendConfig) {
			withRole(func(*statebackend.AssumeRole) {})(c)
			c.AllowedAccountIds = []string{testAccount}
		}, ""},
		{"duration too short", "AssumeRole.DurationSeconds", withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = new(899) }), withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = new(900) }), "Invalid Duration"},
		{"duration too long", "AssumeRole.DurationSeconds", withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = new(43201) }), withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = new(43200) }), "Invalid Duration"},
		{"duration zero", "AssumeRole.DurationSeconds", withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = new(0) }), withRole(func(a *statebackend.AssumeRole) { a.DurationSeconds = nil }), "Invalid Duration"},
		{"session name charset", "AssumeRole.SessionName", withRole(func(a *statebackend.AssumeRole) { a.SessionName = "a b" }), withRole(func(a *statebackend.AssumeRole) { a.SessionName = "a+b=,.@_-" }), "Invalid Value"},
		{"session name too short", "AssumeRole.SessionName", withRole(func(a *statebackend.AssumeRole) { a.SessionName = "a" }), withRole(func(a *statebackend.AssumeRole) { a.SessionName = "ab" }), "Invalid Value Length"},
		{"session name too long", "AssumeRole.SessionName", withRole(func(a *statebackend.AssumeRole) { a.SessionName = strings.Repeat("s", 65) }), withRole(func(a *statebackend.AssumeRole) { a.SessionName = strings.Repeat("s", 64) }), "Invalid Value Length"},
		{"external id too short", "AssumeRole.ExternalId", withRole(func(a *statebackend.AssumeRole) { a.ExternalId = "e" }), withRole(func(a *statebackend.AssumeRole) { a.ExternalId = "e:" }), "Invalid Value Length"},
		{"external id too long", "AssumeRole.ExternalId", withRole(func(a *statebackend.AssumeRole) { a.ExternalId = strings.Repeat("e", 1225) }), withRole(func(a *statebackend.AssumeRole) { a.ExternalId = strings.Repeat("e", 1224) }), "Invalid Value Length"},
		{"external id charset", "AssumeRole.ExternalId", withRole(func(a *statebackend.AssumeRole) { a.ExternalId = "ext id" }), withRole(func(a *statebackend.AssumeRole) { a.ExternalId = "ext/id:1=2,3.4@5_6-7+8" }), "Invalid Value"},
		{"source identity charset", "AssumeRole.SourceIdentity", withRole(func(a *statebackend.AssumeRole) { a.SourceIdentity = "alice!" }), withRole(func(a *statebackend.AssumeRole) { a.SourceIdentity = "alice" }), "Invalid Value"},
		// STS reserves the "aws:" prefix of source identities.
		{"source identity aws:", "AssumeRole.SourceIdentity", withRole(func(a *statebackend.AssumeRole) { a.SourceIdentity = "aws:x" }), withRole(func(a *statebackend.AssumeRole) { a.SourceIdentity = "awsx" }), ""},
		// Session tags follow STS's tag rules (Terraform checks none).
		{"session tag key", "AssumeRole.Tags[a*b]", withRole(func(a *statebackend.AssumeRole) { a.Tags = map[string]string{"a*b": "v"} }), withRole(func(a *statebackend.AssumeRole) { a.Tags = map[string]string{"a b": "v"} }), ""},
		{"session tag value too long", "AssumeRole.Tags[k]", withRole(func(a *statebackend.AssumeRole) { a.Tags = map[string]string{"k": strings.Repeat("v", 257)} }), withRole(func(a *statebackend.AssumeRole) { a.Tags = map[string]string{"k": strings.Repeat("v", 256)} }), ""},
		{"transitive key not a tag", "AssumeRole.TransitiveTagKeys[0]", withRole(func(a *statebackend.AssumeRole) { a.TransitiveTagKeys = []string{"team"} }), withRole(func(a *statebackend.AssumeRole) {
			a.Tags, a.TransitiveTagKeys = map[string]string{"team": "x"}, []string{"team"}
		}), ""},
		// The state bucket policy denies requests without TLS.
		{"plain http endpoint", "Endpoints.S3", withEndpoints(func(e *statebackend.Endpoints) { e.S3 = "http://s3.example.com" }), withEndpoints(func(e *statebackend.Endpoints) { e.S3 = "https://s3.example.com" }), ""},
		{"endpoint not a URL", "Endpoints.Sts", withEndpoints(func(e *statebackend.Endpoints) { e.Sts = "sts.example.com" }), withEndpoints(func(e *statebackend.Endpoints) { e.Sts = "https://sts.example.com" }), ""},
		{"unparsable endpoint", "Endpoints.Iam", withEndpoints(func(e *statebackend.Endpoints) { e.Iam = "https://iam example.com" }), withEndpoints(func(e *statebackend.Endpoints) { e.Iam = "https://iam.example.com:8443/" }), "Invalid Value"},
		{"endpoint with credentials", "Endpoints.Sso", withEndpoints(func(e *statebackend.Endpoints) { e.Sso = "https://u:p@sso.example.com" }), withEndpoints(func(e *statebackend.Endpoints) { e.Sso = "https://sso.example.com" }), ""},
		{"dynamodb endpoint without table", "Endpoints.Dynamodb", withEndpoints(func(e *statebackend.Endpoints) { e.Dynamodb = "https://ddb.example.com" }), func(c *statebackend.BackendConfig) {
			withEndpoints(func(e *statebackend.Endpoints) { e.Dynamodb = "https://ddb.example.com" })(c)
			c.DynamodbTable = "locks"
		}, ""},
		{"endpoint a reference", "Endpoints.S3", withEndpoints(func(e *statebackend.Endpoints) { e.S3 = "https://${var.host}" }), withEndpoints(func(e *statebackend.Endpoints) { e.S3 = "https://var.host" }), "Invalid Value"},
	}
}

// TestInvalidBackendConfig covers every rule of Use: the failing input is
// refused (one *validate.Error naming the field, no backend), the passing
// input next to it is accepted.
func TestInvalidBackendConfig(t *testing.T) {
	for _, tc := range backendCases() {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validUse()
			tc.bad(&cfg)
			requireRejected(t, tc.field, func(stack cdktf.TerraformStack) error {
				_, err := statebackend.Use(stack, &cfg)
				return err
			})
			good := validUse()
			tc.good(&good)
			require.NoError(t, good.Validate("test"))
		})
	}
	t.Run("every backend value must be literal", func(t *testing.T) {
		app := stacktest.TestingApp(t)
		stack := cdktf.NewTerraformStack(app, jsii.String("test"))
		tok := *cdktf.NewTerraformVariable(stack, jsii.String("x"), &cdktf.TerraformVariableConfig{}).StringValue()
		cfg := statebackend.BackendConfig{Bucket: tok, Region: tok, KmsKeyId: tok, Key: tok, WorkspaceKeyPrefix: tok, DynamodbTable: tok,
			AllowedAccountIds: []string{tok},
			AssumeRole:        &statebackend.AssumeRole{RoleArn: tok, ExternalId: tok, SessionName: tok, SourceIdentity: tok, Tags: map[string]string{"k": tok}, TransitiveTagKeys: []string{tok}},
			Endpoints:         &statebackend.Endpoints{S3: tok, Sts: tok, Iam: tok, Sso: tok, Dynamodb: tok}}
		_, err := statebackend.Use(stack, &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Problems, 18, "every field, once: %v", err)
		for _, p := range ve.Problems {
			assert.Equal(t, validate.LiteralRule, p.Rule, p.Field)
		}
	})
	t.Run("nil config", func(t *testing.T) {
		requireRejected(t, "config", func(stack cdktf.TerraformStack) error {
			_, err := statebackend.Use(stack, nil)
			return err
		})
	})
	t.Run("nil stack", func(t *testing.T) {
		cfg := validUse()
		_, err := statebackend.Use(nil, &cfg)
		var ve *validate.Error
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, fields(ve), "stack")
	})
}

// TestBackendRulesMatchTerraform runs the real `terraform init` (offline:
// the backend's checks run before any AWS call) over the backend blocks Use
// writes, so that our rules and Terraform's cannot drift: for every rule
// Terraform has too (tf set), the failing value gets Terraform's
// diagnostic on its attribute and the passing value passes Terraform's
// checks; so do the regions terraform 1.11 does not know yet (Use writes
// skip_region_validation) and one region of every partition. A passing
// init fails at the first AWS call, answered 403 by a loopback server.
//
// The passing values of several cases (one per argument) share one init;
// each failing value has its own (terraform 1.11 does not report every
// problem of a backend block when there are several). One synth for every
// block; about 40 inits of 0.1-0.3 s, two at a time.
func TestBackendRulesMatchTerraform(t *testing.T) {
	tf := stacktest.NewTerraform(t)
	deny := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `<ErrorResponse><Error><Code>AccessDenied</Code><Message>denied by the test</Message></Error></ErrorResponse>`, http.StatusForbidden)
	}))
	defer deny.Close()
	// The Terraform argument of each field.
	attribute := map[string]string{
		"Bucket": "bucket", "Region": "region", "KmsKeyId": "kms_key_id", "Key": "key", "WorkspaceKeyPrefix": "workspace_key_prefix",
		"AssumeRole.RoleArn": "role_arn", "AssumeRole.DurationSeconds": "duration", "AssumeRole.SessionName": "session_name",
		"AssumeRole.ExternalId": "external_id", "AssumeRole.SourceIdentity": "source_identity",
		"Endpoints.S3": "s3", "Endpoints.Sts": "sts", "Endpoints.Iam": "iam",
	}

	// Rounds: one case per argument; the region check runs only once the
	// other arguments are valid, so its case has a round of its own.
	byField := map[string][]backendCase{}
	var rounds [][]backendCase
	for _, tc := range backendCases() {
		switch {
		case tc.tf == "":
		case tc.field == "Region":
			rounds = append(rounds, []backendCase{tc})
		default:
			require.Contains(t, attribute, tc.field, tc.name)
			byField[tc.field] = append(byField[tc.field], tc)
		}
	}
	for r := 0; ; r++ {
		var round []backendCase
		for _, f := range slices.Sorted(maps.Keys(byField)) {
			if r < len(byField[f]) {
				round = append(round, byField[f][r])
			}
		}
		if round == nil {
			break
		}
		rounds = append(rounds, round)
	}
	goods := map[string]statebackend.BackendConfig{}
	for i, round := range rounds {
		cfg := validUse()
		for _, tc := range round {
			tc.good(&cfg)
		}
		require.NoError(t, cfg.Validate("test"), "round %d", i)
		goods[fmt.Sprintf("round-%02d", i)] = cfg
	}
	regions := []string{"ap-east-2", "eusc-de-east-1"}
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov"} {
		regions = append(regions, validate.Partitions[p][len(validate.Partitions[p])-1])
	}
	for i, r := range regions {
		cfg := validUse()
		cfg.Region, cfg.KmsKeyId = r, "arn:"+validate.PartitionOf(r)+":kms:"+r+":"+testAccount+":key/1234abcd-12ab-44cd-86ef-1234567890ab"
		goods[fmt.Sprintf("region-%02d", i)] = cfg
	}
	app := stacktest.SynthApp(t, func(app constructs.Construct) error {
		for _, name := range slices.Sorted(maps.Keys(goods)) {
			cfg := goods[name]
			if _, err := statebackend.Use(cdktf.NewTerraformStack(app, jsii.String(name)), &cfg); err != nil {
				return err
			}
		}
		return nil
	})
	block := func(name string) map[string]any {
		return app.Stacks[name].Get("terraform.backend.s3").Value().(map[string]any)
	}

	type run struct {
		name    string
		backend map[string]any
		good    bool
		want    backendCase // the failing value's case
		errs    []initError
	}
	var runs []*run
	for i, round := range rounds {
		name := fmt.Sprintf("round-%02d", i)
		good := goods[name]
		runs = append(runs, &run{name: name + " (passing)", backend: block(name), good: true})
		for _, tc := range round {
			b := good
			if good.AssumeRole != nil {
				ar := *good.AssumeRole
				b.AssumeRole = &ar
			}
			if good.Endpoints != nil {
				e := *good.Endpoints
				b.Endpoints = &e
			}
			tc.bad(&b)
			require.Error(t, b.Validate("test"), tc.name)
			runs = append(runs, &run{name: tc.name, backend: patchBackend(t, block(name), good, b), want: tc})
		}
	}
	for i, r := range regions {
		runs = append(runs, &run{name: "region " + r, backend: block(fmt.Sprintf("region-%02d", i)), good: true})
	}

	work := make(chan *run)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				r.errs = terraformInitErrors(tf, deny.URL, r.backend, r.good)
			}
		}()
	}
	for _, r := range runs {
		work <- r
	}
	close(work)
	wg.Wait()

	for _, r := range runs {
		require.NotEmpty(t, r.errs, "%s: init cannot succeed against the deny server", r.name)
		if r.good {
			for _, e := range r.errs {
				assert.Contains(t, e.text, "403", "%s: only the loopback AWS call may fail, not a check of Terraform", r.name)
			}
			continue
		}
		require.Len(t, r.errs, 1, "%s: one diagnostic", r.name)
		assert.Equal(t, attribute[r.want.field], r.errs[0].attribute, "%s: the diagnostic is on the argument", r.name)
		assert.True(t, strings.HasPrefix(r.errs[0].text, r.want.tf+": "), "%s: terraform refuses it with %q, got %v", r.name, r.want.tf, r.errs)
	}
}

// initError is one error diagnostic of terraform init: its text
// ("summary: detail") and the backend argument on its line.
type initError struct{ attribute, text string }

// terraformInitErrors runs terraform init over a config holding only the
// S3 backend block and returns its error diagnostics ("summary: detail").
// Every endpoint is the loopback server at deny, so nothing reaches AWS
// (an endpoint value of a failing run stays: Terraform refuses it before
// any call).
func terraformInitErrors(tf *stacktest.Terraform, deny string, backend map[string]any, good bool) []initError {
	raw, _ := json.Marshal(backend)
	var b map[string]any
	_ = json.Unmarshal(raw, &b)
	endpoints, _ := b["endpoints"].(map[string]any)
	if endpoints == nil || good {
		endpoints = map[string]any{}
	}
	for _, k := range []string{"s3", "sts", "iam", "sso", "dynamodb"} {
		if _, ok := endpoints[k]; !ok {
			endpoints[k] = deny
		}
	}
	b["endpoints"], b["max_retries"] = endpoints, 0
	dir, err := os.MkdirTemp("", "backend-rules-")
	if err != nil {
		return []initError{{text: err.Error()}}
	}
	defer os.RemoveAll(dir)
	raw, _ = json.MarshalIndent(map[string]any{"terraform": map[string]any{"backend": map[string]any{"s3": b}}}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "main.tf.json"), raw, 0o644); err != nil {
		return []initError{{text: err.Error()}}
	}
	lines := strings.Split(string(raw), "\n")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf.ExecPath, "init", "-input=false", "-no-color", "-json")
	cmd.Dir = dir
	for k, v := range tf.Env() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY=fake")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run()
	var errs []initError
	for _, line := range strings.Split(out.String(), "\n") {
		var m struct {
			Level      string `json:"@level"`
			Diagnostic struct {
				Summary, Detail string
				Range           struct{ Start struct{ Line int } }
			}
		}
		if json.Unmarshal([]byte(line), &m) != nil || m.Level != "error" {
			continue
		}
		e := initError{text: m.Diagnostic.Summary + ": " + m.Diagnostic.Detail}
		if n := m.Diagnostic.Range.Start.Line; n > 0 && n <= len(lines) {
			if k := jsonKeyRe.FindStringSubmatch(lines[n-1]); k != nil {
				e.attribute = k[1]
			}
		}
		errs = append(errs, e)
	}
	if len(errs) == 0 && !strings.Contains(out.String(), `"@level"`) {
		errs = append(errs, initError{text: "unexpected output: " + out.String()})
	}
	return errs
}

var jsonKeyRe = regexp.MustCompile(`^\s*"([^"]+)":`)

// patchBackend returns block (Use's backend for good) with the argument
// that differs between the configs good and bad set to bad's value, as
// Terraform would read it.
func patchBackend(t *testing.T, block map[string]any, good, bad statebackend.BackendConfig) map[string]any {
	t.Helper()
	out := jsonCopy(t, block)
	set := func(path string, v any) {
		parts := strings.Split(path, ".")
		m := out
		for _, p := range parts[:len(parts)-1] {
			if m[p] == nil {
				m[p] = map[string]any{}
			}
			m = m[p].(map[string]any)
		}
		m[parts[len(parts)-1]] = v
	}
	str := map[string][2]string{
		"bucket": {good.Bucket, bad.Bucket}, "region": {good.Region, bad.Region}, "kms_key_id": {good.KmsKeyId, bad.KmsKeyId},
		"key": {good.Key, bad.Key}, "workspace_key_prefix": {good.WorkspaceKeyPrefix, bad.WorkspaceKeyPrefix},
	}
	if bad.AssumeRole != nil && good.AssumeRole != nil {
		g, b := *good.AssumeRole, *bad.AssumeRole
		str["assume_role.role_arn"] = [2]string{g.RoleArn, b.RoleArn}
		str["assume_role.session_name"] = [2]string{g.SessionName, b.SessionName}
		str["assume_role.external_id"] = [2]string{g.ExternalId, b.ExternalId}
		str["assume_role.source_identity"] = [2]string{g.SourceIdentity, b.SourceIdentity}
		if b.DurationSeconds != nil && (g.DurationSeconds == nil || *g.DurationSeconds != *b.DurationSeconds) {
			set("assume_role.duration", fmt.Sprintf("%ds", *b.DurationSeconds))
		}
	}
	if bad.Endpoints != nil {
		g := statebackend.Endpoints{}
		if good.Endpoints != nil {
			g = *good.Endpoints
		}
		str["endpoints.s3"] = [2]string{g.S3, bad.Endpoints.S3}
		str["endpoints.sts"] = [2]string{g.Sts, bad.Endpoints.Sts}
		str["endpoints.iam"] = [2]string{g.Iam, bad.Endpoints.Iam}
	}
	changed := 0
	for path, v := range str {
		if v[0] != v[1] {
			set(path, v[1])
			changed++
		}
	}
	require.LessOrEqual(t, changed, 1, "one argument differs: %+v", bad)
	return out
}

func jsonCopy(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}
