package registry_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
)

// TestNoClashOnAFailedField: a name whose field already has a problem is
// not also reported as a clash (one mistake, one problem), and a clash on
// a valid field is still found.
func TestNoClashOnAFailedField(t *testing.T) {
	stack := newStack(t, nil, "s")
	bucket := "tfstate-" + account
	_, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
		Bucket: bucket, LogBucket: bucket, AccountId: account, Region: region,
	})
	ps := problems(t, err)
	require.Len(t, ps, 1, "%v", err)
	assert.Equal(t, "LogBucket", ps[0].Field)
	assert.NotContains(t, ps[0].Rule, "already used")

	_, err = statebackend.NewEncryptedStateBackend(stack, "first", &statebackend.EncryptedStateBackendConfig{Bucket: bucket, AccountId: account, Region: region})
	require.NoError(t, err)
	_, err = statebackend.NewEncryptedStateBackend(stack, "second", &statebackend.EncryptedStateBackendConfig{Bucket: bucket, AccountId: account, Region: region, OutputPrefix: "second_"})
	requireClash(t, err, "Bucket", "S3 bucket", "s/first")
}
