package tests

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/internal/harness"
)

// TestTrivyScan scans every stack of the reference app with trivy (the
// stacks converted to HCL by harness.ToHCLFiles, because trivy misreads
// nested blocks in *.tf.json) and fails on any HIGH or CRITICAL finding
// that .trivyignore.yaml does not accept (trivy drops those). Run it alone with
//
//	go test ./__tests__ -run TestTrivyScan -v
func TestTrivyScan(t *testing.T) {
	app := referenceApp(t)
	var all []harness.Stack
	for _, name := range app.StackNames() {
		all = append(all, app.Stacks[name])
	}
	findings := harness.Scan(t, all...)
	t.Logf("trivy scanned stacks %v: %d findings", app.StackNames(), len(findings))
	for _, f := range findings {
		if f.AtLeast("HIGH") {
			t.Errorf("%s\n    fix: %s\n    see: %s\n    (accept it only if it is true but intended, in %s with a statement)", f, f.Resolution, f.URL, harness.IgnoreFileName)
		} else {
			t.Logf("below HIGH: %s", f)
		}
	}
}

// TestTrivyScanFindsProblems proves the scanner can fail, and that nested
// blocks reach it: in one small stack, a bucket encrypted with a customer
// managed key (rule.apply_server_side_encryption_by_default, two nested
// blocks deep) and versioned (versioning_configuration block) must not be
// reported, while a bucket with SSE-S3 and no versioning, and SSH open to
// the internet, must be.
func TestTrivyScanFindsProblems(t *testing.T) {
	stack := harness.SynthStack(t, func(stack cdktf.TerraformStack) {
		harness.AddProvider(stack)
		key := kmskey.NewKmsKey(stack, jsii.String("key"), &kmskey.KmsKeyConfig{EnableKeyRotation: jsii.Bool(true)})

		good := s3bucket.NewS3Bucket(stack, jsii.String("good"), &s3bucket.S3BucketConfig{Bucket: jsii.String("scan-test-good")})
		s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String("good_encryption"),
			&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
				Bucket: good.Id(),
				Rule: &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
					ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
						SseAlgorithm: jsii.String("aws:kms"), KmsMasterKeyId: key.Arn(),
					},
				}},
			})
		s3bucketversioning.NewS3BucketVersioningA(stack, jsii.String("good_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
			Bucket:                  good.Id(),
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
		})

		bad := s3bucket.NewS3Bucket(stack, jsii.String("bad"), &s3bucket.S3BucketConfig{Bucket: jsii.String("scan-test-bad")})
		s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String("bad_encryption"),
			&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
				Bucket: bad.Id(),
				Rule: &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
					ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
						SseAlgorithm: jsii.String("AES256"),
					},
				}},
			})

		sg := securitygroup.NewSecurityGroup(stack, jsii.String("ssh"), &securitygroup.SecurityGroupConfig{
			Name: jsii.String("scan-test-ssh"), Description: jsii.String("scan test"),
		})
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("ssh_from_anywhere"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: sg.Id(), Description: jsii.String("ssh from anywhere"),
			IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(22), ToPort: jsii.Number(22), CidrIpv4: jsii.String("0.0.0.0/0"),
		})
	})
	findings := harness.Scan(t, stack)
	for _, f := range findings {
		t.Log(f)
	}
	has := func(id string, resources ...string) bool {
		for _, f := range findings {
			if f.ID == id {
				for _, r := range resources {
					if f.Resource == r {
						return true
					}
				}
			}
		}
		return false
	}
	goodBucket := stack.Ref(t, "aws_s3_bucket", "good")
	goodEnc := stack.Ref(t, "aws_s3_bucket_server_side_encryption_configuration", "good_encryption")
	goodVer := stack.Ref(t, "aws_s3_bucket_versioning", "good_versioning")
	badBucket := stack.Ref(t, "aws_s3_bucket", "bad")
	badEnc := stack.Ref(t, "aws_s3_bucket_server_side_encryption_configuration", "bad_encryption")
	ingress := stack.Ref(t, "aws_vpc_security_group_ingress_rule", "ssh_from_anywhere")

	assert.True(t, has("AWS-0132", badBucket, badEnc), "SSE-S3 bucket must be reported as not using a customer managed key (AWS-0132)")
	assert.False(t, has("AWS-0132", goodBucket, goodEnc), "SSE-KMS bucket must not be reported: the nested rule.apply_server_side_encryption_by_default block did not reach trivy")
	assert.True(t, has("AWS-0090", badBucket), "unversioned bucket must be reported (AWS-0090)")
	assert.False(t, has("AWS-0090", goodBucket, goodVer), "versioned bucket must not be reported: the versioning_configuration block did not reach trivy")
	assert.True(t, has("AWS-0107", ingress), "SSH from 0.0.0.0/0 must be reported (AWS-0107)")

	var high []string
	for _, f := range findings {
		if f.AtLeast("HIGH") {
			high = append(high, f.ID)
		}
	}
	require.NotEmpty(t, high, "an insecure stack must produce HIGH/CRITICAL findings")
	assert.Contains(t, strings.Join(high, " "), "AWS-0107")
}
