package tests

import (
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// unusualBackendsKeyArn is the key "c" is given by ARN.
func unusualBackendsKeyArn() string {
	return "arn:" + validate.PartitionOf(testRegion) + ":kms:" + testRegion + ":" + testAccount + ":key/mrk-0123456789abcdef0123456789abcdef"
}

// unusualBackends synthesizes TestUnusualStateBackendsPlan's stack once per
// test binary; referenceApp plans it in the background with the reference
// app, in one Terraform run.
var unusualBackends = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	account, region := testAccount, testRegion
	drRegion := "eu-west-1"
	if region == drRegion {
		drRegion = "eu-central-1"
	}
	keyArn := unusualBackendsKeyArn()
	const other = "arn:aws:iam::444455556666:role/ci"
	return stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		dr := provider.NewAwsProvider(stack, jsii.String("aws_dr"), &provider.AwsProviderConfig{
			Alias: jsii.String("dr"), Region: jsii.String(drRegion), AllowedAccountIds: jsii.Strings(account),
		})
		a, err := statebackend.NewEncryptedStateBackend(stack, "a", &statebackend.EncryptedStateBackendConfig{
			Bucket: "unusual.state.a", AccountId: account, Region: region, OutputPrefix: "a_",
			LockTable: true, DeletionWindowInDays: new(7), NoncurrentVersionExpirationDays: new(0), LogExpirationDays: new(0),
			Tags: map[string]string{"CostCenter": "platform-42"},
		})
		require.NoError(t, err)
		role := iamrole.NewIamRole(stack, jsii.String("deployer"), &iamrole.IamRoleConfig{
			Name: jsii.String("unusual-deployer"), AssumeRolePolicy: jsii.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		})
		_, err = a.GrantReadWrite(grant.Role(role), "shop-prod/terraform.tfstate")
		require.NoError(t, err)
		_, err = a.GrantRead(grant.Role(role), "shop/*")
		require.NoError(t, err)
		_, err = a.GrantReadWrite(grant.Principal(other), "env:/*")
		require.NoError(t, err)

		key, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/unusual-team"})
		require.NoError(t, err)
		logs, err := securebucket.NewSecureBucket(stack, "team_logs", &securebucket.SecureBucketConfig{BucketName: "unusual-team-logs", AccountId: account, Region: region, S3ManagedEncryption: true})
		require.NoError(t, err)
		_, err = statebackend.NewEncryptedStateBackend(stack, "b", &statebackend.EncryptedStateBackendConfig{
			Bucket: "unusual-state-b", AccountId: account, Region: region, OutputPrefix: "b_",
			KmsKey: key, AccessLogsBucket: logs, AccessLogsPrefix: "state/b/",
		})
		require.NoError(t, err)
		_, err = statebackend.NewEncryptedStateBackend(stack, "c", &statebackend.EncryptedStateBackendConfig{
			Bucket: "unusual-state-c", AccountId: account, Region: region, OutputPrefix: "c_",
			KmsKeyArn: keyArn, AccessLogsBucketName: "unusual-central-logs",
		})
		require.NoError(t, err)
		d, err := statebackend.NewEncryptedStateBackend(stack, "dr", &statebackend.EncryptedStateBackendConfig{
			Bucket: "unusual-state-dr", OutputPrefix: "dr_", Provider: dr,
		})
		require.NoError(t, err)
		assert.Equal(t, drRegion, d.Config.Region, "Region from the provider")
		assert.Equal(t, account, d.Config.AccountId, "AccountId from the provider")
	})
})

// TestUnusualStateBackendsPlan: valid but unusual configurations, as
// several backends in ONE stack (one terraform run), synthesize and pass
// offline terraform validate and plan, with values read from the plan:
//
//   - "a": a bucket name with dots, the legacy lock table, a 7-day key
//     deletion window, every state version and access log kept (0 days),
//     tags, and grants (a role of the app read-write on one state key and
//     read-only on a prefix; a role of another account read-write on the
//     workspaces);
//   - "b": the team's SecureKey and SSE-S3 SecureBucket (two backends could
//     share it), its own access-log prefix;
//   - "c": a key and a log bucket managed elsewhere, by ARN and name;
//   - "dr": in another region through a provider alias (Region and
//     AccountId from the provider).
func TestUnusualStateBackendsPlan(t *testing.T) {
	referenceApp(t) // plans s in the background, with the reference app
	keyArn := unusualBackendsKeyArn()
	s := unusualBackends(t)
	requireOnePolicyPerBucket(t, s)
	plan := stacktest.PlanStack(t, s)
	after := func(typ, path string) map[string]any {
		t.Helper()
		rc := plan.Change(s.Ref(t, typ, path))
		require.NotNil(t, rc, "%s %s in the plan", typ, path)
		require.Equal(t, tfjson.Actions{tfjson.ActionCreate}, rc.Change.Actions)
		return rc.Change.After.(map[string]any)
	}
	rule := func(path string) map[string]any {
		t.Helper()
		return after("aws_s3_bucket_lifecycle_configuration", path)["rule"].([]any)[0].(map[string]any)
	}

	// a
	assert.Equal(t, "unusual.state.a", after("aws_s3_bucket", "a/state_bucket")["bucket"])
	assert.Empty(t, rule("a/state_bucket_lifecycle")["noncurrent_version_expiration"], "0 days: every state version kept")
	assert.Empty(t, rule("a/log_bucket_lifecycle")["expiration"], "0 days: every access log kept")
	assert.EqualValues(t, 7, after("aws_kms_key", "a/key")["deletion_window_in_days"])
	assert.Equal(t, "alias/unusual-state-a", after("aws_kms_alias", "a/key_alias")["name"])
	assert.Equal(t, "unusual.state.a-lock", after("aws_dynamodb_table", "a/lock_table")["name"])
	assert.Equal(t, map[string]any{"CostCenter": "platform-42"}, after("aws_s3_bucket", "a/state_bucket")["tags"])
	var grants []string
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "aws_iam_role_policy" {
			grants = append(grants, rc.Change.After.(map[string]any)["name"].(string))
		}
	}
	require.Len(t, grants, 2)
	slices.Sort(grants)
	assert.Regexp(t, `^tfstate-read-[0-9a-f]{8}$`, grants[0])
	assert.Regexp(t, `^tfstate-readwrite-[0-9a-f]{8}$`, grants[1])

	// b: the team key and log bucket; no key or log bucket of its own
	// (a, c and dr create two keys and three buckets each at most).
	assert.Equal(t, "state/b/", after("aws_s3_bucket_logging", "b/state_bucket_logging")["target_prefix"])
	assert.Equal(t, "alias/unusual-team", after("aws_kms_alias", "team_key_alias")["name"])
	count := map[string]int{}
	for _, rc := range plan.ResourceChanges {
		count[rc.Type]++
	}
	assert.Equal(t, 3, count["aws_kms_key"], "a, dr and the team key")
	assert.Equal(t, 7, count["aws_s3_bucket"], "a and dr: state and log; b and c: state; the team's log bucket")

	// c: the key and log bucket managed elsewhere, literally.
	sse := after("aws_s3_bucket_server_side_encryption_configuration", "c/state_bucket_encryption")["rule"].([]any)[0].(map[string]any)
	byDefault := sse["apply_server_side_encryption_by_default"].([]any)[0].(map[string]any)
	assert.Equal(t, keyArn, byDefault["kms_master_key_id"])
	assert.Equal(t, "aws:kms", byDefault["sse_algorithm"])
	assert.Equal(t, "unusual-central-logs", after("aws_s3_bucket_logging", "c/state_bucket_logging")["target_bucket"])

	// dr: every resource of the backend through the alias.
	for _, r := range plan.Config.RootModule.Resources {
		if r.Mode == tfjson.ManagedResourceMode && slices.Contains([]string{
			s.Ref(t, "aws_s3_bucket", "dr/state_bucket"), s.Ref(t, "aws_s3_bucket", "dr/log_bucket"), s.Ref(t, "aws_kms_key", "dr/key"),
		}, r.Address) {
			assert.Equal(t, "aws.dr", r.ProviderConfigKey, r.Address)
		}
	}
	assert.Equal(t, "unusual-state-dr", after("aws_s3_bucket", "dr/state_bucket")["bucket"])
	assert.Equal(t, "unusual-state-dr-logs", after("aws_s3_bucket", "dr/log_bucket")["bucket"])
	for _, o := range []string{"a_state_bucket_name", "b_state_kms_key_arn", "c_state_kms_key_arn", "dr_state_bucket_arn", "a_state_lock_table_name"} {
		assert.Contains(t, plan.OutputChanges, o)
	}
	assert.Equal(t, keyArn, plan.OutputChanges["c_state_kms_key_arn"].After)
}
