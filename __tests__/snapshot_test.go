package tests

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// TestSnapshots compares every reference stack with its golden file in
// testdata/ (a golden file without a stack fails too). After an intended
// change, refresh them with
//
//	go test ./__tests__ -run TestSnapshots -update
//
// and review the diff.
func TestSnapshots(t *testing.T) {
	app := referenceApp(t)
	require.ElementsMatch(t, wantStacks(t), app.StackNames())
	stacktest.SnapshotApp(t, app)
}

// TestSynthIsDeterministic synthesizes the reference app a second time and
// requires byte-identical output, so snapshots never flap.
func TestSynthIsDeterministic(t *testing.T) {
	first := referenceApp(t)
	second := stacktest.SynthApp(t, definePlatform)
	require.Equal(t, first.StackNames(), second.StackNames())
	for _, name := range first.StackNames() {
		assert.True(t, bytes.Equal(first.Stacks[name].Raw, second.Stacks[name].Raw), "stack %s differs between two synths", name)
	}
}

// TestEveryStackHasProviderAndVersions checks what every stack must carry:
// the AWS provider with its region, default_tags and allowed_account_ids
// (the state account for bootstrap, each environment's own for its stack),
// the provider version as a constraint and required_version.
func TestEveryStackHasProviderAndVersions(t *testing.T) {
	app := referenceApp(t)
	p := platform(t)
	type where struct{ account, region, environment string }
	want := map[string]where{stacks.BootstrapStackName: {p.State.AccountId, p.State.Region, stacks.BootstrapEnvironment}}
	for _, e := range p.Environments {
		want[p.StackName(e.Name)] = where{e.AccountId, e.Region, e.Name}
	}
	for _, name := range app.StackNames() {
		s := app.Stacks[name]
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			require.True(t, ok, "stack %s is not in the platform config", name)
			pr := s.Get("provider.aws.0")
			assert.Equal(t, w.region, pr.Get("region").String())
			assert.Equal(t, []any{w.account}, pr.Get("allowed_account_ids").Value())
			tags := pr.Get("default_tags.0.tags")
			assert.Equal(t, p.Project, tags.Get("Project").String())
			assert.Equal(t, w.environment, tags.Get("Environment").String())
			assert.Equal(t, "cdktf", tags.Get("ManagedBy").String())
			assert.Equal(t, "~> 5.99", s.Get("terraform.required_providers.aws.version").String())
			assert.Equal(t, ">= 1.10", s.Get("terraform.required_version").String())
		})
	}
}

// TestBackends checks that the bootstrap stack keeps local state and every
// web-app stack uses the encrypted, locked S3 backend of the state account
// with its own key, assuming the state access role when it deploys to
// another account.
func TestBackends(t *testing.T) {
	app := referenceApp(t)
	p := platform(t)
	boot := app.Stacks[stacks.BootstrapStackName]
	assert.Equal(t, "terraform.bootstrap.tfstate", boot.Get("terraform.backend.local.path").String())
	assert.False(t, boot.Get("terraform.backend.s3").Exists())
	for _, e := range p.Environments {
		name := p.StackName(e.Name)
		b := app.Stacks[name].Get("terraform.backend.s3")
		assert.Equal(t, p.State.Bucket, b.Get("bucket").String())
		assert.Equal(t, name+"/terraform.tfstate", b.Get("key").String())
		assert.Equal(t, p.State.Region, b.Get("region").String())
		assert.True(t, b.Get("encrypt").Bool())
		assert.Equal(t, p.State.KmsKeyArn, b.Get("kms_key_id").String())
		assert.True(t, b.Get("use_lockfile").Bool())
		assert.False(t, b.Get("dynamodb_table").Exists())
		assert.Equal(t, []any{p.State.AccountId}, b.Get("allowed_account_ids").Value(), "the backend's credentials are the state account's")
		if e.AccountId == p.State.AccountId {
			assert.False(t, b.Get("assume_role").Exists(), "%s: same account as the state, no role", name)
		} else {
			assert.Equal(t, e.StateRoleArn, b.Get("assume_role.role_arn").String(), "%s: another account assumes its state role", name)
		}
	}
}
