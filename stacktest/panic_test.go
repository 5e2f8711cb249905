package stacktest

import (
	"errors"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPanicError: a panic of define, or one jsii raises for a cdktf
// validation error, comes back as a *PanicError with the panic's value; an
// error define returns comes back as it is.
func TestPanicError(t *testing.T) {
	_, err := SynthStackE("panics", func(stack cdktf.TerraformStack) error { panic("boom") })
	var pe *PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "boom", pe.Value)
	assert.Equal(t, "synth panicked: boom", err.Error())

	_, err = SynthStackE("duplicate-ids", func(stack cdktf.TerraformStack) error {
		cdktf.NewTerraformOutput(stack, jsii.String("out"), &cdktf.TerraformOutputConfig{Value: "a"})
		cdktf.NewTerraformOutput(stack, jsii.String("out"), &cdktf.TerraformOutputConfig{Value: "b"})
		return nil
	})
	require.ErrorAs(t, err, &pe, "jsii reports the duplicate construct id as a panic")
	assert.Contains(t, err.Error(), "out")

	mine := errors.New("bad config")
	_, err = SynthStackE("returns", func(stack cdktf.TerraformStack) error { return mine })
	assert.Same(t, mine, err)
	assert.NotErrorAs(t, err, new(*PanicError))

	_, err = SynthStackE("fine", func(stack cdktf.TerraformStack) error {
		cdktf.NewTerraformOutput(stack, jsii.String("out"), &cdktf.TerraformOutputConfig{Value: "a"})
		return nil
	})
	assert.NoError(t, err)
}
