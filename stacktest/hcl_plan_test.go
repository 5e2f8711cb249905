package stacktest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiampolicydocument"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// defineHCLPlanStack fills the stack of TestToHCLPlansLikeJSON: nested
// blocks, templates with literal "${" and "%{", JSON policy strings,
// lifecycle, depends_on, a data source.
func defineHCLPlanStack(stack cdktf.TerraformStack) {
	addProvider(stack, testAccount, testRegion)
	key := kmskey.NewKmsKey(stack, jsii.String("key"), &kmskey.KmsKeyConfig{
		EnableKeyRotation: jsii.Bool(true),
		Description:       jsii.String(`key "quoted" \ backslash, $${literal} and %%{literal}\nnew line`),
		Policy:            jsii.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"kms:*","Resource":"*"}]}`),
		Tags:              &map[string]*string{"Name": jsii.String("key"), "kubernetes.io/role": jsii.String("x")},
		Lifecycle:         &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true), IgnoreChanges: jsii.Strings("tags")},
	})
	bucket := s3bucket.NewS3Bucket(stack, jsii.String("bucket"), &s3bucket.S3BucketConfig{Bucket: jsii.String("hcl-plan-test")})
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String("encryption"),
		&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
			Bucket: bucket.Id(),
			Rule: &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
				BucketKeyEnabled: jsii.Bool(true),
				ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
					SseAlgorithm: jsii.String("aws:kms"), KmsMasterKeyId: key.Arn(),
				},
			}},
		})
	s3bucketversioning.NewS3BucketVersioningA(stack, jsii.String("versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket:                  bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
	})
	doc := dataawsiampolicydocument.NewDataAwsIamPolicyDocument(stack, jsii.String("doc"), &dataawsiampolicydocument.DataAwsIamPolicyDocumentConfig{
		Statement: &[]*dataawsiampolicydocument.DataAwsIamPolicyDocumentStatement{{
			Effect: jsii.String("Deny"), Actions: jsii.Strings("s3:*"),
			Resources:  jsii.Strings("arn:aws:s3:::hcl-plan-test", "arn:aws:s3:::hcl-plan-test/home/$${aws:username}/*"),
			Principals: &[]*dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementPrincipals{{Type: jsii.String("AWS"), Identifiers: jsii.Strings("*")}},
			Condition: &[]*dataawsiampolicydocument.DataAwsIamPolicyDocumentStatementCondition{{
				Test: jsii.String("Bool"), Variable: jsii.String("aws:SecureTransport"), Values: jsii.Strings("false"),
			}},
		}},
	})
	policy := s3bucketpolicy.NewS3BucketPolicy(stack, jsii.String("policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucket.Id(), Policy: doc.Json(),
	})
	securitygroup.NewSecurityGroup(stack, jsii.String("sg"), &securitygroup.SecurityGroupConfig{
		Name: jsii.String("hcl-plan-test"), Description: jsii.String("test"),
		Ingress: &[]*securitygroup.SecurityGroupIngress{{
			FromPort: jsii.Number(443), ToPort: jsii.Number(443), Protocol: jsii.String("tcp"), CidrBlocks: jsii.Strings("10.0.0.0/8"),
			Description: jsii.String("https"),
		}},
		Tags:      &map[string]*string{"Name": jsii.String("sg")},
		DependsOn: &[]cdktf.ITerraformDependable{policy},
	})
}

// TestToHCLPlansLikeJSON converts a synthesized stack with the real
// hashicorp/aws schema and checks that Terraform plans the HCL exactly as it
// plans the JSON: same resources, same planned values (unknowns included),
// same configuration expressions and references. The JSON plan is the one
// kitPlans already made, in a run shared with other stacks and split back;
// the HCL is planned alone, as a root module. So this also proves that a
// shared run's plan of a stack is the plan of that stack alone.
func TestToHCLPlansLikeJSON(t *testing.T) {
	stack := kitStacks(t)[2]
	PlanInBackground(kitStacks(t)...) // kitPlans, while the HCL plans here

	// The same patched copy (fake credentials and endpoints), as HCL.
	tf := NewTerraform(t)
	doc, err := tf.offlineDoc(stack)
	require.NoError(t, err)
	delete(doc["terraform"].(map[string]any), "backend")
	files, err := ToHCLFiles(mustJSON(doc), ProviderSchemas(t, stack))
	require.NoError(t, err)
	dir, err := tf.TempDir("hcl-plan-")
	require.NoError(t, err)
	files["backend.tf.json"] = mustJSON(map[string]any{"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": filepath.Join(dir, "terraform.tfstate")}}}})
	w, err := tf.NewWorkdir(dir, files, stack)
	require.NoError(t, err)
	full, err := w.planAndShow(context.Background()) // plan fails on anything validate would reject
	require.NoError(t, err)
	gotPlan := &Plan{Stack: "hcl", Plan: full}
	wantPlan := kitPlans(t)[2]

	require.Equal(t, addresses(wantPlan), addresses(gotPlan))
	require.NotEmpty(t, addresses(wantPlan))
	for _, want := range wantPlan.ResourceChanges {
		got := gotPlan.Change(want.Address)
		assert.Equal(t, want.Change.Actions, got.Change.Actions, want.Address)
		assert.Equal(t, jsonOf(t, want.Change.After), jsonOf(t, got.Change.After), want.Address)
		assert.Equal(t, jsonOf(t, want.Change.AfterUnknown), jsonOf(t, got.Change.AfterUnknown), want.Address)
	}
	wantCfg := configResources(wantPlan)
	gotCfg := configResources(gotPlan)
	require.Equal(t, len(wantCfg), len(gotCfg))
	for addr, want := range wantCfg {
		got, ok := gotCfg[addr]
		require.True(t, ok, addr)
		assert.Equal(t, withoutConstants(t, want), withoutConstants(t, got), "configuration of %s", addr)
	}
}

func addresses(p *Plan) []string {
	var out []string
	for _, rc := range p.ResourceChanges {
		out = append(out, rc.Address)
	}
	return out
}

// configResources returns the root module's resources of the plan's
// configuration by address, without source positions.
func configResources(p *Plan) map[string]*tfjson.ConfigResource {
	out := map[string]*tfjson.ConfigResource{}
	for _, r := range p.Config.RootModule.Resources {
		out[r.Address] = r
	}
	return out
}

// withoutConstants renders a configuration resource without its
// constant_value fields: for JSON syntax Terraform records string constants
// unevaluated ("$${x}" where the HCL side records "${x}"), while the planned
// values compared above are evaluated. References and structure remain.
func withoutConstants(t *testing.T, r *tfjson.ConfigResource) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(jsonOf(t, r)), &v))
	var strip func(any)
	strip = func(x any) {
		switch y := x.(type) {
		case map[string]any:
			delete(y, "constant_value")
			for _, e := range y {
				strip(e)
			}
		case []any:
			for _, e := range y {
				strip(e)
			}
		}
	}
	strip(v)
	return jsonOf(t, v)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(raw)
}
