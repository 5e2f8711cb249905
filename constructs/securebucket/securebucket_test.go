package securebucket_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// name is the test bucket's name.
const name = "bucket-test-data-" + account

// One bucket policy holds the TLS-only statements, the statements added
// later and the resource-side grants; a role's grant is an inline policy
// that also covers the bucket's SecureKey.
func TestBucketPolicyAndGrants(t *testing.T) {
	stack := synthStack(t, "bucket-test", func(stack cdktf.TerraformStack) {
		key, err := securekey.NewSecureKey(stack, "key", &securekey.SecureKeyConfig{AccountId: account, Region: region})
		require.NoError(t, err)
		b, err := securebucket.NewSecureBucket(stack, "data", &securebucket.SecureBucketConfig{
			BucketName: name, AccountId: account, Region: region, KmsKey: key,
			ExpirationDays: 90, NoncurrentVersionExpirationDays: 30,
			AccessLogs: &securebucket.AccessLogs{TargetBucket: "bucket-test-logs", TargetPrefix: "data/"},
			Tags:       map[string]string{"Data": "internal"},
		})
		require.NoError(t, err)
		require.NoError(t, b.AddToResourcePolicy(iampolicy.Statement{Sid: "AllowInventory", Effect: "Allow",
			Principal: iampolicy.Service("s3.amazonaws.com"), Action: []string{"s3:PutObject"}, Resource: []string{*b.Arn() + "/inventory/*"},
			Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}}}))
		role := iamrole.NewIamRole(stack, jsii.String("reader"), &iamrole.IamRoleConfig{
			AssumeRolePolicy: jsii.String(iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: iampolicy.Service("ecs-tasks.amazonaws.com"), Action: []string{"sts:AssumeRole"}}).JSON()),
		})
		gs, err := b.GrantRead(grant.Role(role))
		require.NoError(t, err)
		require.Len(t, gs, 2, "bucket and key")
		gs, err = b.GrantWrite(grant.Principal("arn:aws:iam::777788889999:role/ingest"))
		require.NoError(t, err)
		assert.True(t, gs[0].ResourceSide())
		assert.Len(t, b.PolicyDocument().Statement, 4)
		_, err = b.GrantRead(nil)
		assert.Error(t, err, "a nil grantee is an error")
	})
	require.Len(t, stack.Resources("aws_s3_bucket_policy"), 1, "one bucket policy")
	bucket := stack.Resource(t, "aws_s3_bucket", "data")
	assert.Equal(t, name, bucket.Get("bucket").String())
	assert.Equal(t, "internal", bucket.Get("tags.Data").String())
	ref := "${" + stack.Ref(t, "aws_s3_bucket", "data")
	policy := stacktest.JSONDocument(t, stack.Resource(t, "aws_s3_bucket_policy", "data_policy"), "policy")
	var sids []string
	for _, s := range policy.Get("Statement").Array() {
		sids = append(sids, s.Get("Sid").String())
	}
	require.Len(t, sids, 4)
	assert.Equal(t, []string{"DenyInsecureTransport", "DenyOutdatedTLS", "AllowInventory"}, sids[:3])
	assert.Equal(t, "arn:aws:iam::777788889999:role/ingest", policy.Get("Statement.3.Principal.AWS").String())
	assert.Equal(t, ref+".arn}/*", policy.Get("Statement.3.Resource.1").String())

	enc := stack.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "data_encryption")
	assert.Equal(t, "aws:kms", enc.Get("rule.0.apply_server_side_encryption_by_default.sse_algorithm").String())
	assert.True(t, enc.Get("rule.0.bucket_key_enabled").Bool())
	pab := stack.Resource(t, "aws_s3_bucket_public_access_block", "data_public_access_block")
	for _, f := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		assert.True(t, pab.Get(f).Bool(), f)
	}
	assert.Equal(t, "BucketOwnerEnforced", stack.Resource(t, "aws_s3_bucket_ownership_controls", "data_ownership").Get("rule.object_ownership").String())
	assert.Equal(t, "Enabled", stack.Resource(t, "aws_s3_bucket_versioning", "data_versioning").Get("versioning_configuration.status").String())
	lc := stack.Resource(t, "aws_s3_bucket_lifecycle_configuration", "data_lifecycle")
	assert.Equal(t, int64(90), lc.Get("rule.0.expiration.0.days").Int())
	assert.Equal(t, int64(securebucket.DefaultAbortIncompleteMultipartUploadDays), lc.Get("rule.0.abort_incomplete_multipart_upload.0.days_after_initiation").Int())
	assert.Equal(t, "bucket-test-logs", stack.Resource(t, "aws_s3_bucket_logging", "data_logging").Get("target_bucket").String())

	// The role's read grant: the bucket and its objects, and the key.
	inline := stack.Resources("aws_iam_role_policy")
	require.Len(t, inline, 2)
	var actions []string
	for _, p := range inline {
		doc := stacktest.JSONDocument(t, p, "policy")
		for _, a := range doc.Get("Statement.0.Action").Array() {
			actions = append(actions, a.String())
		}
	}
	assert.Subset(t, actions, []string{"s3:GetObject*", "s3:List*", "kms:Decrypt"})
	assert.NotContains(t, actions, "s3:PutObject")
}

func TestBucketRules(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	ok := func() *securebucket.SecureBucketConfig {
		return &securebucket.SecureBucketConfig{BucketName: name, AccountId: account, Region: region}
	}
	assert.NoError(t, ok().Validate("b"))
	for field, mutate := range map[string]func(*securebucket.SecureBucketConfig){
		"BucketName": func(c *securebucket.SecureBucketConfig) { c.BucketName = "Bad_Name" },
		"KmsKeyArn":  func(c *securebucket.SecureBucketConfig) { c.KmsKeyArn = "alias/x" },
		"KmsKeyArn region": func(c *securebucket.SecureBucketConfig) {
			c.KmsKeyArn = "arn:aws:kms:" + otherRegion + ":" + account + ":key/1234abcd-12ab-34cd-86ef-1234567890ab"
		},
		"ExpirationDays":          func(c *securebucket.SecureBucketConfig) { c.ExpirationDays = -1 },
		"AccessLogs.TargetBucket": func(c *securebucket.SecureBucketConfig) { c.AccessLogs = &securebucket.AccessLogs{TargetBucket: name} },
		"noncurrent without versions": func(c *securebucket.SecureBucketConfig) {
			c.DisableVersioning, c.NoncurrentVersionExpirationDays = true, 5
		},
		"Tags": func(c *securebucket.SecureBucketConfig) { c.Tags = map[string]string{"k": "line\nbreak"} },
	} {
		c := ok()
		mutate(c)
		assert.Error(t, c.Validate("b"), field)
	}
	b, err := securebucket.NewSecureBucket(stack, "b", ok())
	require.NoError(t, err)
	assert.Error(t, b.AddToResourcePolicy(iampolicy.Statement{Effect: "Allow", Principal: "*", Action: []string{"s3:GetObject"}, Resource: []string{"*"}}),
		"no public read through the back door")
	_, err = securebucket.NewSecureBucket(stack, "b2", ok())
	assert.ErrorContains(t, err, `S3 bucket name "`+name+`"`, "one bucket name per partition")
}
