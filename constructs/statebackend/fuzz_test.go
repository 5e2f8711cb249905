package statebackend_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// FuzzValidate feeds both configs' validation (what Use and
// NewEncryptedStateBackend check before creating anything) arbitrary
// strings and numbers: it must never panic, must return nil or a
// *validate.Error, and what it accepts must hold the rules Terraform
// enforces. go test runs the seeds; fuzz it with
//
//	go test ./constructs/statebackend -run '^$' -fuzz FuzzValidate -fuzztime 60s
func FuzzValidate(f *testing.F) {
	key := "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-44cd-86ef-1234567890ab"
	f.Add("acme-state", "eu-west-1", key, "app/terraform.tfstate", "env", "", "arn:aws:iam::111122223333:role/t", "ci", "ext", 3600, "111122223333", "https://s3.eu-west-1.amazonaws.com", 90)
	f.Add("Acme", "eu-west-9", "alias/x", "/a//b/", "/", "a b", "terraform", "a b", "e", 0, "12", "http://x", -1)
	f.Add("", "", "", "", "", "", "", "", "", -1<<62, "", "", 1<<62)
	f.Add("${var.b}", "%{x}", key+"\n", "k\x00", "é", "t", "arn:aws:iam::111122223333:user/u", "aws:x", strings.Repeat("e", 1225), 43201, "111122223333,444455556666", "https://u:p@h", 0)
	f.Fuzz(func(t *testing.T, bucket, region, kms, stateKey, prefix, table, role, session, external string, duration int, allowed, endpoint string, days int) {
		c := statebackend.BackendConfig{Bucket: bucket, Region: region, KmsKeyId: kms, Key: stateKey, WorkspaceKeyPrefix: prefix, DynamodbTable: table,
			Endpoints: &statebackend.Endpoints{S3: endpoint}}
		if allowed != "" {
			c.AllowedAccountIds = strings.Split(allowed, ",")
		}
		if role != "" {
			c.AssumeRole = &statebackend.AssumeRole{RoleArn: role, SessionName: session, SourceIdentity: session, ExternalId: external,
				DurationSeconds: &duration, Tags: map[string]string{session: external}, TransitiveTagKeys: []string{session}}
		}
		err := c.Validate("fuzz")
		var ve *validate.Error
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Validate returned %T, want *validate.Error", err)
		}
		if err == nil {
			k := c.Key
			if k == "" {
				k = "fuzz/terraform.tfstate"
			}
			a, ok := validate.ParseARN(c.KmsKeyId)
			switch {
			case !ok || a.Region != c.Region || validate.ArnRule(c.KmsKeyId, validate.KmsKeyArn, validate.Env{}) != "":
				t.Fatalf("accepted key %q in region %q", c.KmsKeyId, c.Region)
			case strings.HasPrefix(k, "/") || strings.HasSuffix(k, "/") || strings.Contains(k, "//") || strings.TrimSpace(k) == "":
				t.Fatalf("accepted key %q", k)
			case strings.Contains(c.Bucket+c.Region+c.KmsKeyId+k+c.WorkspaceKeyPrefix+c.DynamodbTable+endpoint+role+session+external, "${"):
				t.Fatalf("accepted a template")
			case !strings.HasPrefix(endpoint, "https://") && endpoint != "":
				t.Fatalf("accepted endpoint %q", endpoint)
			case role != "" && (duration < 900 || duration > 43200):
				t.Fatalf("accepted duration %d", duration)
			}
		}

		b := statebackend.EncryptedStateBackendConfig{Bucket: bucket, AccountId: allowed, Region: region, KmsKeyAlias: table, LogBucket: prefix,
			DeletionWindowInDays: &duration, NoncurrentVersionExpirationDays: &days, LogExpirationDays: &days, DynamodbTable: session,
			LockTable: days%2 == 0, OutputPrefix: external, AccessLogsPrefix: stateKey, Tags: map[string]string{session: external}}
		if kms != "" && days%3 == 0 {
			b.KmsKeyArn, b.KmsKeyAlias, b.DeletionWindowInDays = kms, "", nil
		}
		err = b.Validate("fuzz")
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Validate returned %T, want *validate.Error", err)
		}
		if err == nil && (validate.BucketName(b.Bucket) != "" || !validate.Region(b.Region) || !validate.AccountID(b.AccountId)) {
			t.Fatalf("accepted %+v", b)
		}
	})
}
