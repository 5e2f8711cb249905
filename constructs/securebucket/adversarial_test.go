package securebucket_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestAdversarial: odd but valid buckets synthesize; bad input is a
// *validate.Error on the right field, never a panic.
func TestAdversarial(t *testing.T) {
	const acct = "111122223333"
	type C = securebucket.SecureBucketConfig
	valid := map[string]struct {
		region string
		cfg    C
	}{
		"3 chars":        {"eu-west-1", C{BucketName: "abc", AccountId: acct, Region: "eu-west-1"}},
		"63 chars, dots": {"ap-southeast-2", C{BucketName: "a." + strings.Repeat("b", 59) + ".c", AccountId: acct, Region: "ap-southeast-2", ExpirationDays: 36500, NoncurrentVersionExpirationDays: 1, AbortIncompleteMultipartUploadDays: 36500}},
		"cn kms arn":     {"cn-north-1", C{BucketName: "cn-" + acct, AccountId: acct, Region: "cn-north-1", KmsKeyArn: "arn:aws-cn:kms:cn-north-1:" + acct + ":key/mrk-0123456789abcdef0123456789abcdef"}},
		"gov logs":       {"us-gov-west-1", C{BucketName: "gov-" + acct, AccountId: acct, Region: "us-gov-west-1", AccessLogs: &securebucket.AccessLogs{TargetBucket: "gov-logs-" + acct}}},
		"no versioning":  {"eu-west-1", C{BucketName: "scratch-" + acct, AccountId: acct, Region: "eu-west-1", DisableVersioning: true, ExpirationDays: 1}},
	}
	for name, tc := range valid {
		t.Run("valid "+name, func(t *testing.T) {
			err := attempt(tc.region, func(s cdktf.TerraformStack) error {
				_, err := securebucket.NewSecureBucket(s, "bucket", &tc.cfg)
				return err
			})
			assert.NoError(t, err)
		})
	}
	base := func(f func(c *C)) *C {
		c := &C{BucketName: "adv-" + acct, AccountId: acct, Region: "eu-west-1"}
		f(c)
		return c
	}
	invalid := map[string]struct {
		field string
		cfg   *C
	}{
		"nil":                 {"config", nil},
		"2 chars":             {"BucketName", base(func(c *C) { c.BucketName = "ab" })},
		"64 chars":            {"BucketName", base(func(c *C) { c.BucketName = strings.Repeat("b", 64) })},
		"ip address":          {"BucketName", base(func(c *C) { c.BucketName = "192.168.10.1" })},
		"xn-- prefix":         {"BucketName", base(func(c *C) { c.BucketName = "xn--bucket" })},
		"-s3alias suffix":     {"BucketName", base(func(c *C) { c.BucketName = "bucket-s3alias" })},
		"--ol-s3 suffix":      {"BucketName", base(func(c *C) { c.BucketName = "bucket--ol-s3" })},
		"sthree- prefix":      {"BucketName", base(func(c *C) { c.BucketName = "sthree-bucket" })},
		"adjacent dots":       {"BucketName", base(func(c *C) { c.BucketName = "a..b" })},
		"expiration 36501":    {"ExpirationDays", base(func(c *C) { c.ExpirationDays = 36501 })},
		"expiration negative": {"ExpirationDays", base(func(c *C) { c.ExpirationDays = -1 })},
		"noncurrent negative": {"NoncurrentVersionExpirationDays", base(func(c *C) { c.NoncurrentVersionExpirationDays = -5 })},
		"abort negative":      {"AbortIncompleteMultipartUploadDays", base(func(c *C) { c.AbortIncompleteMultipartUploadDays = -1 })},
		"key other partition": {"KmsKeyArn", base(func(c *C) {
			c.KmsKeyArn = "arn:aws-cn:kms:eu-west-1:" + acct + ":key/mrk-0123456789abcdef0123456789abcdef"
		})},
		"logs empty target": {"AccessLogs.TargetBucket", base(func(c *C) { c.AccessLogs = &securebucket.AccessLogs{} })},
		"logs bad target":   {"AccessLogs.TargetBucket", base(func(c *C) { c.AccessLogs = &securebucket.AccessLogs{TargetBucket: "Logs_Bucket"} })},
		"logs to itself":    {"AccessLogs.TargetBucket", base(func(c *C) { c.AccessLogs = &securebucket.AccessLogs{TargetBucket: c.BucketName} })},
		"aws: tag":          {"Tags[aws:x]", base(func(c *C) { c.Tags = map[string]string{"aws:x": "y"} })},
		"region":            {"Region", base(func(c *C) { c.Region = "eu-west-9" })},
	}
	for name, tc := range invalid {
		t.Run("invalid "+name, func(t *testing.T) {
			err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
				_, err := securebucket.NewSecureBucket(s, "bucket", tc.cfg)
				return err
			})
			stacktest.RequireProblem(t, err, tc.field, "")
		})
	}
}

// attempt synthesizes a stack with an AWS provider of region and define's
// constructs (stacktest.SynthStackE): define's error comes back as it is and
// a panic, of define or of the synth, as a *stacktest.PanicError.
func attempt(region string, define func(stack cdktf.TerraformStack) error) error {
	_, err := stacktest.SynthStackE("adversarial", func(s cdktf.TerraformStack) error {
		provider.NewAwsProvider(s, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		return define(s)
	})
	return err
}
