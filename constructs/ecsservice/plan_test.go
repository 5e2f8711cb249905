package ecsservice_test

import (
	"sort"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/internal/harness"
)

// unusualStack holds valid but unusual configurations as several services
// of one stack, so that one terraform run validates and plans them all.
func unusualStack(t *testing.T) harness.Stack {
	t.Helper()
	return harness.SynthStack(t, func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)

		// Certificate with SANs: apex, its wildcard (one validation record
		// for both) and a subdomain; the private ECR image by URI,
		// without EcrRepositoryArn.
		sans := cfgIn()
		sans.CertificateArn = ""
		sans.CertificateDomainName = "example.com"
		sans.CertificateSubjectAlternativeNames = []string{"*.example.com", "app.example.com"}
		sans.Route53ZoneId = "Z0123456789ABCDEFGHIJ"
		_, err := ecsservice.NewHardenedEcsService(stack, "sans", sans)
		require.NoError(t, err)

		// A wildcard certificate whose apex is a SAN, plus names of
		// another subdomain.
		wild := cfgIn()
		wild.CertificateArn = ""
		wild.CertificateDomainName = "*.shop.example.org"
		wild.CertificateSubjectAlternativeNames = []string{"shop.example.org", "*.eu.shop.example.org", "api.eu.shop.example.org"}
		wild.Route53ZoneId = "Z0123456789ABCDEFGHIK"
		_, err = ecsservice.NewHardenedEcsService(stack, "wild", wild)
		require.NoError(t, err)
	})
}

// TestPlan_UnusualConfigs validates and plans the unusual configurations
// offline with the real provider, and checks the plan's values.
func TestPlan_UnusualConfigs(t *testing.T) {
	s := unusualStack(t)
	plan := harness.NewTerraform(t).PlanStack(t, s)
	created := harness.Addresses(plan, tfjson.Actions{tfjson.ActionCreate})

	// One validation record per distinct name, keyed by it.
	for svc, want := range map[string][]string{
		"sans": {"app.example.com", "example.com"},
		"wild": {"api.eu.shop.example.org", "eu.shop.example.org", "shop.example.org"},
	} {
		addr := s.Ref(t, "aws_route53_record", svc+"/certificate_validation_record")
		var got []string
		for _, a := range created {
			if len(a) > len(addr) && a[:len(addr)] == addr && a[len(addr)] == '[' {
				got = append(got, a[len(addr)+2:len(a)-2])
			}
		}
		sort.Strings(got)
		assert.Equal(t, want, got, svc)
		cert := harness.Change(plan, s.Ref(t, "aws_acm_certificate", svc+"/certificate"))
		require.NotNil(t, cert, svc)
	}
	cert := harness.Change(plan, s.Ref(t, "aws_acm_certificate", "sans/certificate")).Change.After.(map[string]any)
	assert.Equal(t, "example.com", cert["domain_name"])
	// The provider plans the domain name among the SANs too.
	assert.Subset(t, cert["subject_alternative_names"], []any{"*.example.com", "app.example.com"})
}
