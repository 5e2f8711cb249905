package tfref

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func addresses(refs []Ref) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Address())
	}
	return out
}

func TestOf(t *testing.T) {
	for src, want := range map[string]Ref{
		"${aws_sqs_queue.q.arn}":                   {Kind: "resource", Type: "aws_sqs_queue", Name: "q", Attr: "arn"},
		"${aws_sqs_queue.q[0].arn}":                {Kind: "resource", Type: "aws_sqs_queue", Name: "q", Attr: "arn"},
		"${aws_sqs_queue.q}":                       {Kind: "resource", Type: "aws_sqs_queue", Name: "q"},
		"${data.aws_region.here.name}":             {Kind: "data", Type: "aws_region", Name: "here", Attr: "name"},
		"${ephemeral.aws_secret.pw.secret_string}": {Kind: "ephemeral", Type: "aws_secret", Name: "pw", Attr: "secret_string"},
		"${var.names[0]}":                          {Kind: "var", Name: "names"},
		"${local.prefix}":                          {Kind: "local", Name: "prefix"},
		"${module.net.vpc_id}":                     {Kind: "module", Name: "net", Attr: "vpc_id"},
		"${count.index}":                           {Kind: "other", Name: "count"},
		"${terraform.workspace}":                   {Kind: "other", Name: "terraform"},
	} {
		refs, err := InTemplates(src)
		require.NoError(t, err, src)
		require.Len(t, refs, 1, src)
		assert.Equal(t, want, refs[0], src)
	}
	assert.Equal(t, "data.aws_region.here", Ref{Kind: "data", Type: "aws_region", Name: "here"}.Address())
	assert.Equal(t, "aws_sqs_queue.q", Ref{Kind: "resource", Type: "aws_sqs_queue", Name: "q"}.Address())
	assert.Equal(t, "var.x", Ref{Kind: "var", Name: "x"}.Address())
}

func TestInTemplates(t *testing.T) {
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{
	  "name": "%{ for x in var.list }${x}%{ endfor }-${local.sep}",
	  "literal": "$${var.not_a_ref} %%{ if aws_x.y }",
	  "plain": "no template",
	  "tags": {"${var.key}": "v", "k": ["${aws_sqs_queue.q.arn}", 3, true, null]}
	}`), &doc))
	refs, err := InTemplates(doc)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"var.list", "local.sep", "var.key", "aws_sqs_queue.q"}, addresses(refs),
		"template-loop variables and escaped templates are no references; map keys are")

	refs, err = InTemplates([]any{"${var.ok}", "${var.broken"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"${var.broken"`)
	assert.Equal(t, []string{"var.ok"}, addresses(refs), "the strings that parse still count")
}

func TestInExpressions(t *testing.T) {
	refs, err := InExpressions([]any{"aws_sqs_queue.a", "aws_sqs_queue.b[count.index]", "data.aws_region.here", "module.net"})
	require.NoError(t, err)
	assert.Equal(t, []string{"aws_sqs_queue.a", "aws_sqs_queue.b", "other.count", "data.aws_region.here", "module.net"}, addresses(refs))

	_, err = InExpressions("aws_sqs_queue.a[")
	assert.Error(t, err)
	refs, err = InExpressions(map[string]any{"not": "an expression list"})
	assert.NoError(t, err)
	assert.Empty(t, refs)
}

func TestNames(t *testing.T) {
	for src, want := range map[string]struct {
		names   []string
		indexed bool
	}{
		"aws_sqs_queue.q.arn":    {[]string{"aws_sqs_queue", "q", "arn"}, false},
		"aws_sqs_queue.q[0].arn": {[]string{"aws_sqs_queue", "q", "arn"}, true},
		"var.x":                  {[]string{"var", "x"}, false},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "", hcl.InitialPos)
		require.False(t, diags.HasErrors(), src)
		trs := expr.Variables()
		require.Len(t, trs, 1, src)
		names, indexed := Names(trs[0])
		assert.Equal(t, want.names, names, src)
		assert.Equal(t, want.indexed, indexed, src)
	}
}
