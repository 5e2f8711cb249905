package stacktest

import (
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
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
)

// scanStacks are two stacks with known problems: "scan-one" has a good
// bucket (SSE-KMS, versioned), a bad one (SSE-S3, not versioned) and SSH
// open to the internet; "scan-two" has only a bad bucket at the same
// construct path "bad".
var scanStacks = Memo(func(t testing.TB) []Stack {
	return SynthApp(t, func(app constructs.Construct) error {
		stack := cdktf.NewTerraformStack(app, jsii.String("scan-one"))
		addProvider(stack, testAccount, testRegion)

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

		two := cdktf.NewTerraformStack(app, jsii.String("scan-two"))
		addProvider(two, testAccount, testRegion)
		s3bucket.NewS3Bucket(two, jsii.String("bad"), &s3bucket.S3BucketConfig{Bucket: jsii.String("scan-test-two-bad")})
		return nil
	}).All()
})

// scanned is the one trivy run of this package's scan tests: both stacks,
// with an acceptance of AWS-0090 (no versioning) at construct path "bad"
// (in both stacks) and one that matches nothing.
type scanResult struct {
	findings []Finding
	unused   []Accept
	runs     int // trivy runs for them
}

var scanResults = Memo(func(t testing.TB) scanResult {
	if _, err := TrivyPath(); err != nil {
		SkipOrFail(t, "trivy", err.Error())
	}
	NewTerraform(t) // for the provider schema
	// One trivy run, in the background, for these stacks and the examples'
	// (ExampleScanE then finds its stack cached); ScanE waits for it.
	all := append(append([]Stack{}, scanStacks(t)...), kitStacks(t)[3:]...)
	runs := func() int { statsMu.Lock(); defer statsMu.Unlock(); return stats.scanRuns }
	before := runs()
	ScanInBackground(all...)
	findings, unused, err := ScanE(scanStacks(t), versioningAccepted, staleAccept)
	if err != nil {
		t.Fatal(err)
	}
	return scanResult{findings, unused, runs() - before}
})

// TestScanInBackground: a Scan of stacks that ScanInBackground started
// waits for that run and runs trivy no more.
func TestScanInBackground(t *testing.T) {
	r := scanResults(t)
	assert.Equal(t, 1, r.runs, "trivy runs for ScanInBackground and the ScanE after it")
	assert.NotEmpty(t, r.findings)
}

func scanned(t testing.TB) ([]Finding, []Accept) {
	r := scanResults(t)
	return r.findings, r.unused
}

var (
	versioningAccepted = Accept{ID: "AWS-0090", Path: "bad", Reason: "test: the bad buckets are unversioned on purpose"}
	staleAccept        = Accept{ID: "AWS-0090", Path: "good", Reason: "test: the good bucket is versioned, so this matches nothing"}
)

// TestScanFindsProblems proves the scanner can fail, and that nested blocks
// reach it: a bucket encrypted with a customer managed key
// (rule.apply_server_side_encryption_by_default, two nested blocks deep)
// and versioned (versioning_configuration block) must not be reported,
// while a bucket with SSE-S3, and SSH open to the internet, must be.
func TestScanFindsProblems(t *testing.T) {
	stack := scanStacks(t)[0]
	findings, _ := scanned(t)

	has := func(id string, resources ...string) bool {
		for _, f := range findings {
			if f.ID == id && f.Stack == stack.Name {
				for _, r := range resources {
					if f.Address == r {
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
	assert.False(t, has("AWS-0090", goodBucket, goodVer), "versioned bucket must not be reported: the versioning_configuration block did not reach trivy")
	assert.True(t, has("AWS-0107", ingress), "SSH from 0.0.0.0/0 must be reported (AWS-0107)")

	var high []string
	for _, f := range findings {
		if f.Severity.AtLeast(High) {
			high = append(high, f.ID)
		}
	}
	require.NotEmpty(t, high, "an insecure stack must produce HIGH/CRITICAL findings")
	assert.Contains(t, strings.Join(high, " "), "AWS-0107")
}

// TestScanAccept: an acceptance matches its check at its construct path in
// every stack (never by stack name), hides nothing else, and one that
// matches nothing is reported; an acceptance without a reason is an error.
func TestScanAccept(t *testing.T) {
	stacks := scanStacks(t)
	findings, unused := scanned(t)
	for _, f := range findings {
		assert.False(t, f.ID == "AWS-0090" && f.Path == "bad", "accepted: %s", f)
	}
	all, stale, err := ScanE(stacks) // same trivy run, from the cache
	require.NoError(t, err)
	assert.Empty(t, stale)
	var accepted []string
	for _, f := range all {
		if versioningAccepted.matches(f) {
			accepted = append(accepted, f.Stack+"/"+f.Path)
			assert.Equal(t, stacks[0].Ref(t, "aws_s3_bucket", "bad"), f.Address)
		}
	}
	assert.ElementsMatch(t, []string{"scan-one/bad", "scan-two/bad"}, accepted, "the acceptance applies per construct, in every stack")
	assert.Len(t, findings, len(all)-len(accepted), "nothing else is hidden")
	assert.Equal(t, []Accept{staleAccept}, unused)

	_, _, err = ScanE(stacks, Accept{ID: "AWS-0086", Path: "bad"})
	assert.ErrorContains(t, err, "Reason required")
	_, _, err = ScanE(stacks, Accept{ID: "AWS-0086", Reason: "whole stack"})
	assert.ErrorContains(t, err, "Path (the construct the finding is about) required")
}
