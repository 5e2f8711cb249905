package baseline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/internal/baseline"
)

func TestEscapeTemplate(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                      "plain",
		"hi ${USER}":                 "hi $${USER}",
		"${jndi:ldap://x}":           "$${jndi:ldap://x}",
		"%{if}":                      "%%{if}",
		"$ and % alone":              "$ and % alone",
		"${TfToken[TOKEN.12]}/x":     "${TfToken[TOKEN.12]}/x",
		"a ${TfToken[TOKEN.1]} ${b}": "a ${TfToken[TOKEN.1]} $${b}",
	} {
		assert.Equal(t, want, baseline.EscapeTemplate(in), in)
	}
}
