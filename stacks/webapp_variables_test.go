package stacks_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// TestStackVariablesDistinct: two constructs of a web-app stack that would
// declare one Terraform variable are an error of Validate (no app needed),
// for the services on a shared ALB and an imported VPC's ACLs too.
func TestStackVariablesDistinct(t *testing.T) {
	cfg := composedConfig(t)
	name := cfg.Environments[0].Name
	id := cfg.StackName(name)
	valid := func() *stacks.WebAppStackConfig {
		w, ok := cfg.WebAppStackConfig(name)
		require.True(t, ok)
		return w
	}
	require.NoError(t, valid().Validate(id), "the platform's own variables differ")

	fieldsOf := func(err error) []string {
		var ve *validate.Error
		require.True(t, errors.As(err, &ve), "a *validate.Error: %v", err)
		var out []string
		for _, p := range ve.Problems {
			out = append(out, p.Field)
		}
		return out
	}
	w := valid()
	w.AdditionalServices[1].Config.DesiredCountVariable = w.AdditionalServices[0].Config.DesiredCountVariable
	assert.Equal(t, []string{"AdditionalServices[1].Config.DesiredCountVariable"}, fieldsOf(w.Validate(id)))

	w = valid()
	w.Waf.BlockedAddressesVariable = w.ImportedVpc.NetworkAcls.DenyCidrBlocksVariable
	assert.Equal(t, []string{"Waf.BlockedAddressesVariable"}, fieldsOf(w.Validate(id)))

	w = valid()
	w.Service.DesiredCountVariable = w.Waf.BlockedAddressesVariable + "_service"
	assert.NoError(t, w.Validate(id), "distinct names pass")
}
