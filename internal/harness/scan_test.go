package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunTrivyIgnoreFileScopesToOneFile checks the two things the scan test
// relies on: findings are attributed to a stack and a per-resource file, and
// an ignore-file entry with paths accepts a finding for that file only.
func TestRunTrivyIgnoreFileScopesToOneFile(t *testing.T) {
	bin, err := TrivyPath()
	if err != nil {
		SkipOrFail(t, err.Error())
	}
	root := t.TempDir()
	for file, src := range map[string]string{
		"one/a.bucket.tf": `resource "aws_s3_bucket" "a" { bucket = "scan-test-a" }`,
		"one/b.bucket.tf": `resource "aws_s3_bucket" "b" { bucket = "scan-test-b" }`,
		"two/a.bucket.tf": `resource "aws_s3_bucket" "a" { bucket = "scan-test-c" }`,
	} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(file)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, file), []byte(src), 0o644))
	}
	ignore := filepath.Join(t.TempDir(), IgnoreFileName)
	require.NoError(t, os.WriteFile(ignore, []byte(`misconfigurations:
  - id: AWS-0086
    paths: ["one/a.bucket.tf"]
    statement: test
`), 0o644))

	findings, err := RunTrivy(bin, root, ignore)
	require.NoError(t, err)
	got := map[string]bool{}
	for _, f := range findings {
		got[f.Stack+"/"+f.File+" "+f.ID+" "+f.Resource+" "+f.Severity] = true
	}
	assert.False(t, got["one/a.bucket.tf AWS-0086 aws_s3_bucket.a HIGH"], "ignored by the ignore file: %v", got)
	assert.True(t, got["one/b.bucket.tf AWS-0086 aws_s3_bucket.b HIGH"], "other file of the same stack: %v", got)
	assert.True(t, got["two/a.bucket.tf AWS-0086 aws_s3_bucket.a HIGH"], "same file name in another stack: %v", got)
	assert.True(t, got["one/a.bucket.tf AWS-0087 aws_s3_bucket.a HIGH"], "other checks of the ignored file: %v", got)
}
