package validate_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// tokenKinds returns a string, list and map token of one app.
func tokenKinds(t *testing.T) (str, list, mapKey string) {
	t.Helper()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	str = *cdktf.NewTerraformVariable(stack, jsii.String("s"), &cdktf.TerraformVariableConfig{}).StringValue()
	list = *(*cdktf.NewTerraformVariable(stack, jsii.String("l"), &cdktf.TerraformVariableConfig{}).ListValue())[0]
	for k := range *cdktf.Token_AsStringMap(cdktf.NewTerraformVariable(stack, jsii.String("m"), &cdktf.TerraformVariableConfig{}).Value(), nil) {
		mapKey = k
	}
	require.True(t, validate.IsListToken([]string{list}), "list token %q", list)
	require.True(t, validate.IsToken(mapKey) && mapKey[0] == '&', "map token %q", mapKey)
	return str, list, mapKey
}

type tokenConfig struct {
	Name      string
	SubnetIds []string
	Cidrs     []string
	Tags      map[string]string
	Inner     struct{ Ids []string }
	Key       *constructLike
}

// constructLike stands for a construct of this module given in a config
// (it carries its own validated Config).
type constructLike struct {
	Config struct{ Name string }
}

func fields(err error) map[string]string {
	out := map[string]string{}
	if ve, ok := err.(*validate.Error); ok {
		for _, p := range ve.Problems {
			out[p.Field] = p.Rule
		}
	}
	return out
}

// TestConfigTokensKinds: a list or map token where one string is expected,
// a list token mixed with elements, and a list token in a list the
// construct needs element by element are refused; a list token alone in a
// list field named as passed on whole, and string tokens anywhere, pass.
func TestConfigTokensKinds(t *testing.T) {
	str, list, mapKey := tokenKinds(t)

	t.Run("pass", func(t *testing.T) {
		v := validate.New("x")
		c := tokenConfig{Name: "a-" + str, SubnetIds: []string{list}, Cidrs: []string{str, "10.0.0.0/8"},
			Tags: map[string]string{"team": str}}
		c.Inner.Ids = []string{list}
		c.Key = &constructLike{}
		c.Key.Config.Name = list // a construct is checked by its own constructor
		v.ConfigTokens(c, "SubnetIds", "Inner.Ids")
		assert.NoError(t, v.Err())
	})

	t.Run("fail", func(t *testing.T) {
		v := validate.New("x")
		c := tokenConfig{
			Name:      "a-" + list,
			SubnetIds: []string{list, "subnet-0aaaaaaaaaaaaaaa1"},
			Cidrs:     []string{list},
			Tags:      map[string]string{"team": list, mapKey: "x"},
		}
		c.Inner.Ids = []string{list}
		v.ConfigTokens(c, "SubnetIds")
		got := fields(v.Err())
		assert.Equal(t, validate.ListTokenInStringRule, got["Name"])
		assert.Equal(t, validate.ListTokenWithElementsRule, got["SubnetIds[0]"])
		assert.Equal(t, validate.ListTokenRule, got["Cidrs[0]"])
		assert.Equal(t, validate.ListTokenRule, got["Inner.Ids[0]"])
		assert.Equal(t, validate.ListTokenInStringRule, got["Tags[team]"])
		assert.Equal(t, validate.MapTokenRule, got["Tags"])
		assert.Len(t, got, 6, "%v", got)
	})

	t.Run("map token in a string", func(t *testing.T) {
		v := validate.New("x")
		v.ConfigTokens(tokenConfig{Name: "x" + mapKey})
		assert.Equal(t, validate.MapTokenInStringRule, fields(v.Err())["Name"])
	})

	t.Run("foreign list token", func(t *testing.T) {
		v := validate.New("x")
		v.ConfigTokens(tokenConfig{SubnetIds: []string{"#{TfToken[TOKEN.99999]}"}}, "SubnetIds")
		assert.Contains(t, fields(v.Err())["SubnetIds[0]"], "does not belong to this app")
	})
}

// TestVPCCIDR: a VPC's IPv4 block is /16 to /28 (one rule for SecureVpc,
// ImportedVpc, the ALB and the service), suggesting the nearest size.
func TestVPCCIDR(t *testing.T) {
	for _, ok := range []string{"10.0.0.0/16", "172.31.0.0/16", "192.168.0.0/28", "100.64.0.0/20"} {
		v := validate.New("x")
		p, valid := v.VPCCIDR("VpcCidr", ok)
		assert.True(t, valid, ok)
		assert.Equal(t, ok, p.String())
		assert.NoError(t, v.Err())
	}
	for in, want := range map[string]string{"10.0.0.0/8": "10.0.0.0/16", "10.0.0.0/29": "10.0.0.0/28", "2001:db8::/56": "", "10.0.0.1/16": "", "x": ""} {
		v := validate.New("x")
		_, valid := v.VPCCIDR("VpcCidr", in)
		assert.False(t, valid, in)
		ps := v.Err().(*validate.Error).Problems
		require.Len(t, ps, 1, in)
		assert.Equal(t, want, ps[0].Suggestion, in)
	}
}
