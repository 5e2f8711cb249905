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
	require.ElementsMatch(t, wantStacks(), app.StackNames())
	stacktest.SnapshotApp(t, app)
}

// TestSynthIsDeterministic synthesizes the reference app a second time and
// requires byte-identical output, so snapshots never flap.
func TestSynthIsDeterministic(t *testing.T) {
	first := referenceApp(t)
	second := stacktest.SynthApp(t, stacks.NewReferenceApp)
	require.Equal(t, first.StackNames(), second.StackNames())
	for _, name := range first.StackNames() {
		assert.True(t, bytes.Equal(first.Stacks[name].Raw, second.Stacks[name].Raw), "stack %s differs between two synths", name)
	}
}

// TestEveryStackHasProviderAndVersions checks what every stack must carry:
// the AWS provider with its region, default_tags and allowed_account_ids,
// the provider version as a constraint and required_version.
func TestEveryStackHasProviderAndVersions(t *testing.T) {
	app := referenceApp(t)
	for _, name := range app.StackNames() {
		s := app.Stacks[name]
		t.Run(name, func(t *testing.T) {
			p := s.Get("provider.aws.0")
			assert.Equal(t, stacks.ReferenceRegion, p.Get("region").String())
			assert.Equal(t, []any{stacks.ReferenceAccountId}, p.Get("allowed_account_ids").Value())
			tags := p.Get("default_tags.0.tags")
			assert.Equal(t, stacks.ReferenceApp, tags.Get("Project").String())
			assert.NotEmpty(t, tags.Get("Environment").String())
			assert.Equal(t, "cdktf", tags.Get("ManagedBy").String())
			assert.Equal(t, "~> 5.99", s.Get("terraform.required_providers.aws.version").String())
			assert.Equal(t, ">= 1.10", s.Get("terraform.required_version").String())
		})
	}
	assert.Equal(t, "shared", app.Stacks["bootstrap"].Get("provider.aws.0.default_tags.0.tags.Environment").String())
	for _, env := range stacks.ReferenceEnvironments {
		assert.Equal(t, env, app.Stacks[stacks.WebAppStackName(env)].Get("provider.aws.0.default_tags.0.tags.Environment").String())
	}
}

// TestBackends checks that the bootstrap stack keeps local state and every
// web-app stack uses the encrypted, locked S3 backend with its own key.
func TestBackends(t *testing.T) {
	app := referenceApp(t)
	assert.Equal(t, "terraform.bootstrap.tfstate", app.Stacks["bootstrap"].Get("terraform.backend.local.path").String())
	assert.False(t, app.Stacks["bootstrap"].Get("terraform.backend.s3").Exists())
	for _, env := range stacks.ReferenceEnvironments {
		name := stacks.WebAppStackName(env)
		b := app.Stacks[name].Get("terraform.backend.s3")
		assert.Equal(t, stacks.ReferenceStateBucket, b.Get("bucket").String())
		assert.Equal(t, name+"/terraform.tfstate", b.Get("key").String())
		assert.Equal(t, stacks.ReferenceRegion, b.Get("region").String())
		assert.True(t, b.Get("encrypt").Bool())
		assert.Equal(t, stacks.ReferenceStateKmsKeyArn, b.Get("kms_key_id").String())
		assert.True(t, b.Get("use_lockfile").Bool())
		assert.False(t, b.Get("dynamodb_table").Exists())
	}
}
