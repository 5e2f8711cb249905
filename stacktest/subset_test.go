package stacktest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// subsetSource is a stack whose blocks refer to one another in every way
// SubsetE follows: templates in arguments, count, depends_on, a local that
// refers to a data source, a variable whose validation refers to another
// variable, a provider alias; plus blocks nothing kept refers to.
const subsetSource = `{
  "//": {"metadata": {"stackName": "subset"}},
  "terraform": {"required_providers": {"aws": {"source": "aws", "version": "~> 5.99"}}},
  "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "east", "region": "us-east-1"}]},
  "variable": {
    "names": {"type": "list(string)", "validation": [{"condition": "${length(var.names) <= var.limit}", "error_message": "too many"}]},
    "limit": {"type": "number", "default": 3},
    "unused": {"type": "string"}
  },
  "locals": {"prefix": "${data.aws_caller_identity.me.account_id}-q", "other": "x"},
  "data": {"aws_caller_identity": {"me": {}}, "aws_region": {"here": {}}},
  "resource": {
    "aws_sqs_queue": {
      "q": {"count": "${length(var.names)}", "name": "${local.prefix}-${var.names[count.index]}", "depends_on": ["aws_kms_key.k"], "provider": "aws.east"},
      "other": {"name": "other", "kms_master_key_id": "${aws_kms_key.k.arn}"}
    },
    "aws_kms_key": {"k": {"description": "literal $${not.a_ref} and %%{ if x }"}},
    "aws_sns_topic": {"t": {"name": "${local.other}-${data.aws_region.here.name}"}}
  },
  "output": {"q": {"value": "${aws_sqs_queue.q[0].arn}"}}
}`

func subsetStack() Stack {
	return Stack{Name: "subset", Raw: []byte(subsetSource), JSON: gjson.Parse(subsetSource)}
}

func TestSubsetFollowsReferences(t *testing.T) {
	s := subsetStack().WithVars(map[string]any{"names": []string{"a"}, "unused": "u"})
	sub := s.Subset(t, "aws_sqs_queue.q")

	keys := func(path string) []string {
		var out []string
		sub.Get(path).ForEach(func(k, _ gjson.Result) bool { out = append(out, k.String()); return true })
		return out
	}
	assert.ElementsMatch(t, []string{"aws_sqs_queue", "aws_kms_key"}, keys("resource"))
	assert.ElementsMatch(t, []string{"q"}, keys("resource.aws_sqs_queue"), "aws_sqs_queue.other refers to the key, not the other way round")
	assert.ElementsMatch(t, []string{"aws_caller_identity"}, keys("data"), "through local.prefix")
	assert.ElementsMatch(t, []string{"names", "limit"}, keys("variable"), "limit through names' validation")
	assert.ElementsMatch(t, []string{"prefix"}, keys("locals"))
	assert.False(t, sub.Get("output").Exists())
	assert.Equal(t, 2, len(sub.Get("provider.aws").Array()), "every provider configuration")
	assert.JSONEq(t, s.Get("terraform").Raw, sub.Get("terraform").Raw)
	assert.JSONEq(t, s.Get("resource.aws_sqs_queue.q").Raw, sub.Get("resource.aws_sqs_queue.q").Raw, "kept blocks are unchanged")
	assert.Equal(t, map[string]any{"names": []string{"a"}}, sub.vars, "WithVars values of the kept variables only")
	assert.Equal(t, s.Name, sub.Name)

	// A data source as the address; a literal "$${...}" is not a reference.
	assert.ElementsMatch(t, []string{"aws_kms_key"}, func() []string {
		var out []string
		s.Subset(t, "aws_kms_key.k").Get("resource").ForEach(func(k, _ gjson.Result) bool { out = append(out, k.String()); return true })
		return out
	}())
	assert.False(t, s.Subset(t, "data.aws_region.here").Get("resource").Exists())
}

func TestSubsetRefuses(t *testing.T) {
	s := subsetStack()
	for name, c := range map[string]struct {
		stack     Stack
		addresses []string
		want      string
	}{
		"no address":          {s, nil, "at least one address"},
		"unknown resource":    {s, []string{"aws_sqs_queue.nope"}, "no resource aws_sqs_queue.nope"},
		"unknown data source": {s, []string{"data.aws_region.nope"}, "no data source data.aws_region.nope"},
		"module reference": {func() Stack {
			raw := `{"resource": {"aws_sqs_queue": {"q": {"name": "${module.names.first}"}}}, "module": {"names": {"source": "./names"}}}`
			return Stack{Name: "m", Raw: []byte(raw), JSON: gjson.Parse(raw)}
		}(), []string{"aws_sqs_queue.q"}, "refers to module.names"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.stack.SubsetE(c.addresses...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestStripLockChecksums(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".terraform.lock.hcl")
	require.NoError(t, os.WriteFile(path, []byte(`# This file is maintained automatically by "terraform init".

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "~> 5.99"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}
`), 0o644))
	require.NoError(t, stripLockChecksums(path))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(got), "hashes")
	assert.NotContains(t, string(got), "h1:")
	assert.Contains(t, string(got), `version     = "5.100.0"`)
	assert.Contains(t, string(got), `constraints = "~> 5.99"`)

	assert.NoError(t, stripLockChecksums(filepath.Join(t.TempDir(), "missing.hcl")), "no lock file, nothing to do")
	require.NoError(t, os.WriteFile(path, []byte("provider {"), 0o644))
	assert.Error(t, stripLockChecksums(path), "a lock file that does not parse")
}

// TestSubsetKeepsWhatTerraformNeeds: references Terraform follows in places
// a plain walk of "${...}" strings would miss, or would misread.
func TestSubsetKeepsWhatTerraformNeeds(t *testing.T) {
	const head = `"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.99"}}}`
	for name, c := range map[string]struct {
		body    string
		address string
		want    []string // kind.name of every kept variable, local, data source, ephemeral and resource
	}{
		"ephemeral resource": {`"variable": {"sid": {"type": "string"}},
		  "ephemeral": {"aws_secretsmanager_secret_version": {"pw": {"secret_id": "${var.sid}"}}},
		  "resource": {"aws_secretsmanager_secret_version": {"v": {"secret_id": "s", "secret_string_wo": "${ephemeral.aws_secretsmanager_secret_version.pw.secret_string}", "secret_string_wo_version": 1}}}`,
			"aws_secretsmanager_secret_version.v",
			[]string{"var.sid", "ephemeral.aws_secretsmanager_secret_version.pw", "resource.aws_secretsmanager_secret_version.v"}},
		"ephemeral address": {`"variable": {"sid": {"type": "string"}},
		  "ephemeral": {"aws_secretsmanager_secret_version": {"pw": {"secret_id": "${var.sid}"}}}`,
			"ephemeral.aws_secretsmanager_secret_version.pw",
			[]string{"var.sid", "ephemeral.aws_secretsmanager_secret_version.pw"}},
		"reference in a map key": {`"variable": {"env": {"type": "string"}}, "locals": {"k": "team", "unused": "u"},
		  "resource": {"aws_sqs_queue": {"q": {"name": "q", "tags": {"${var.env}": "1", "${local.k}": "2"}}}}`,
			"aws_sqs_queue.q", []string{"var.env", "local.k", "resource.aws_sqs_queue.q"}},
		`"//" inside an argument is a key, not metadata`: {`"variable": {"x": {"type": "string"}},
		  "resource": {"aws_sqs_queue": {"q": {"//": {"metadata": {"path": "s/q"}}, "name": "q", "tags": {"//": "${var.x}"}}}}`,
			"aws_sqs_queue.q", []string{"var.x", "resource.aws_sqs_queue.q"}},
		"depends_on as a map key inside an argument": {`"variable": {"x": {"type": "string"}},
		  "resource": {"aws_sqs_queue": {"q": {"name": "q", "tags": {"depends_on": "${var.x}", "replace_triggered_by": "two words"}}}}`,
			"aws_sqs_queue.q", []string{"var.x", "resource.aws_sqs_queue.q"}},
		"replace_triggered_by with an instance key": {`"resource": {"aws_sqs_queue": {
		    "a": {"count": 2, "name": "a${count.index}"},
		    "b": {"count": 2, "name": "b${count.index}", "lifecycle": {"replace_triggered_by": ["aws_sqs_queue.a[count.index]"], "ignore_changes": ["tags"]}}}}`,
			"aws_sqs_queue.b", []string{"resource.aws_sqs_queue.a", "resource.aws_sqs_queue.b"}},
		"a variable's description and default are literal": {`"variable": {"policy": {"type": "string",
		    "description": "use %{name} or ${aws:username}", "default": "{\"Resource\": \"arn:aws:s3:::b/${aws_sqs_queue.other.arn}/*\"}"}},
		  "resource": {"aws_sqs_queue": {"q": {"name": "q", "policy": "${var.policy}"}, "other": {"name": "o"}}}`,
			"aws_sqs_queue.q", []string{"var.policy", "resource.aws_sqs_queue.q"}},
		"locals in the array form": {`"variable": {"x": {"type": "string"}}, "locals": [{"a": "${var.x}"}, {"b": "c"}],
		  "resource": {"aws_sqs_queue": {"q": {"name": "${local.a}"}}}`,
			"aws_sqs_queue.q", []string{"var.x", "local.a", "resource.aws_sqs_queue.q"}},
		"a provider's references": {`"variable": {"region": {"type": "string"}}, "locals": {"role": "${data.aws_caller_identity.me.arn}"},
		  "data": {"aws_caller_identity": {"me": {}}},
		  "provider": {"aws": [{"region": "${var.region}", "alias": "x", "assume_role": [{"role_arn": "${local.role}"}]}]},
		  "resource": {"aws_sqs_queue": {"q": {"name": "q"}}}`,
			"aws_sqs_queue.q", []string{"var.region", "local.role", "data.aws_caller_identity.me", "resource.aws_sqs_queue.q"}},
	} {
		t.Run(name, func(t *testing.T) {
			raw := "{" + head + ", " + c.body + "}"
			require.True(t, gjson.Valid(raw), raw)
			s := Stack{Name: "kinds", Raw: []byte(raw), JSON: gjson.Parse(raw)}
			sub, err := s.SubsetE(c.address)
			require.NoError(t, err)
			var got []string
			for kind, prefix := range map[string]string{"variable": "var.", "locals": "local."} {
				sub.Get(kind).ForEach(func(k, _ gjson.Result) bool { got = append(got, prefix+k.String()); return true })
			}
			for _, kind := range []string{"resource", "data", "ephemeral"} {
				sub.Get(kind).ForEach(func(typ, named gjson.Result) bool {
					named.ForEach(func(n, _ gjson.Result) bool { got = append(got, kind+"."+typ.String()+"."+n.String()); return true })
					return true
				})
			}
			assert.ElementsMatch(t, c.want, got)
		})
	}
}
