package grant_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// A resource-side grant with parts adds one statement per part, each to
// the policy its part names (the Request's by default), in order, with
// distinct Sids.
func TestApplyPartsResourceSide(t *testing.T) {
	var bucket, key []iampolicy.Statement
	toBucket := func(s iampolicy.Statement) error { bucket = append(bucket, s); return nil }
	toKey := func(s iampolicy.Statement) error { key = append(key, s); return nil }
	g, err := grant.Apply(grant.Principal("arn:aws:iam::444455556666:role/ci"), grant.Request{
		Name: "state-rw", ResourcePath: "app/stack/state",
		Actions: []string{"s3:ListBucket"}, ResourcePolicyResources: []string{"arn:aws:s3:::b"},
		AddToResourcePolicy: toBucket,
		Also: []grant.Part{
			{Actions: []string{"s3:GetObject"}, ResourcePolicyResources: []string{"arn:aws:s3:::b/k"}},
			{Actions: []string{"kms:Decrypt"}, ResourcePolicyResources: []string{"*"}, AddToResourcePolicy: toKey},
		},
	})
	require.NoError(t, err)
	require.True(t, g.ResourceSide())
	require.Len(t, g.Statements, 3)
	assert.Equal(t, g.Statements[0], g.Statement)
	require.Len(t, bucket, 2)
	require.Len(t, key, 1)
	assert.Equal(t, []string{"s3:ListBucket"}, bucket[0].Action)
	assert.Equal(t, []string{"arn:aws:s3:::b/k"}, bucket[1].Resource)
	assert.Equal(t, []string{"*"}, key[0].Resource)
	assert.Equal(t, iampolicy.AWS("arn:aws:iam::444455556666:role/ci"), key[0].Principal)
	sids := map[string]bool{}
	for _, s := range g.Statements {
		assert.Regexp(t, `^[A-Za-z0-9]+$`, s.Sid)
		sids[s.Sid] = true
	}
	assert.Len(t, sids, 3, "distinct Sids")
	assert.Equal(t, g.Statements[0].Sid+"Part3", g.Statements[2].Sid)
}

// Resource side, each grantee and each grant name gets its own statement;
// the same grant again gets the same one.
func TestResourceSideSids(t *testing.T) {
	sid := func(g grant.Grantee, name string) string {
		t.Helper()
		out, err := grant.Apply(g, grant.Request{Name: name, ResourcePath: "app/stack/key", Actions: []string{"kms:Decrypt"},
			ResourcePolicyResources: []string{"*"}, AddToResourcePolicy: func(iampolicy.Statement) error { return nil }})
		require.NoError(t, err)
		assert.Regexp(t, `^Grant[A-Za-z0-9]+[0-9a-f]{8}$`, out.Statement.Sid)
		return out.Statement.Sid
	}
	a, b := grant.Principal("arn:aws:iam::444455556666:root"), grant.Principal("arn:aws:iam::777788889999:root")
	logs := grant.Service("logs.amazonaws.com", map[string]map[string]any{"StringEquals": {"aws:SourceAccount": "444455556666"}})
	logs2 := grant.Service("logs.amazonaws.com", map[string]map[string]any{"StringEquals": {"aws:SourceAccount": "777788889999"}})
	seen := map[string]string{}
	for what, s := range map[string]string{
		"principal a": sid(a, "kms-decrypt"), "principal b": sid(b, "kms-decrypt"),
		"service, account a": sid(logs, "kms-decrypt"), "service, account b": sid(logs2, "kms-decrypt"),
		"name without '-'": sid(a, "kmsdecrypt"),
	} {
		assert.NotContains(t, seen, s, "%s has the Sid of %s", what, seen[s])
		seen[s] = what
	}
	assert.Equal(t, sid(a, "kms-decrypt"), sid(a, "kms-decrypt"), "the same grant, the same statement")
}

func TestApplyErrors(t *testing.T) {
	add := func(iampolicy.Statement) error { return nil }
	p := grant.Principal("arn:aws:iam::444455556666:root")
	for name, req := range map[string]grant.Request{
		"no actions":         {Name: "x", AddToResourcePolicy: add},
		"part without":       {Name: "x", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: add, Also: []grant.Part{{}}},
		"bad name":           {Name: "a b", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: add},
		"no resource policy": {Name: "x", Actions: []string{"s3:GetObject"}},
	} {
		_, err := grant.Apply(p, req)
		assert.Error(t, err, name)
	}
	_, err := grant.Apply(nil, grant.Request{Name: "x", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: add})
	assert.Error(t, err, "nil grantee")
	_, err = grant.Apply(grant.Role(nil), grant.Request{Name: "x", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: add})
	assert.Error(t, err, "grant.Role(nil) is an error, not a panic")
	req := grant.Request{Name: "x", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: add}
	for _, bad := range []grant.Grantee{grant.Principal(""), grant.Principal("ci-role"), grant.Principal("arn:aws:s3:::bucket"),
		grant.Service("", nil), grant.Service("logs", nil), grant.Service("logs.example.com", nil)} {
		_, err := grant.Apply(bad, req)
		stacktest.RequireOnlyProblem(t, err, "grantee", "must be")
	}
	for _, good := range []grant.Grantee{grant.Principal("444455556666"), grant.Principal("arn:aws:iam::444455556666:role/ci"),
		grant.Principal("arn:aws-cn:iam::444455556666:root"), grant.Principal("arn:aws:sts::444455556666:assumed-role/ci/session"),
		grant.Service("logs.eu-west-1.amazonaws.com", nil), grant.Service("logs.cn-north-1.amazonaws.com.cn", nil)} {
		_, err := grant.Apply(good, req)
		assert.NoError(t, err, "%v", good.Principal())
	}
	failing := errors.New("policy full")
	_, err = grant.Apply(p, grant.Request{Name: "x", Actions: []string{"s3:GetObject"}, AddToResourcePolicy: func(iampolicy.Statement) error { return failing }})
	assert.ErrorIs(t, err, failing)
}
