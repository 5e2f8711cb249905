package statebackend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const advAccount = "111122223333"

// TestAdversarial_Backend: odd but valid backends (other partitions, names
// at their limits, zeros) synthesize, two in one stack too; bad input is a
// *validate.Error on the right field, once.
func TestAdversarial_Backend(t *testing.T) {
	type C = statebackend.EncryptedStateBackendConfig
	in := func(region string, f func(c *C)) *C {
		c := &C{Bucket: "tfstate-" + advAccount, AccountId: advAccount, Region: region}
		f(c)
		return c
	}
	// The longest Bucket that leaves room for the default "-logs" bucket.
	longest := strings.Repeat("b", 63-len("-logs"))
	valid := map[string]*C{
		"cn-north-1":      in("cn-north-1", func(c *C) {}),
		"us-gov-west-1":   in("us-gov-west-1", func(c *C) { c.LockTable = true }),
		"ap-southeast-2":  in("ap-southeast-2", func(c *C) { c.Bucket = "tf.state." + advAccount; c.LockTable = true }),
		"longest bucket":  in("eu-west-1", func(c *C) { c.Bucket = longest; c.LockTable = true }),
		"zeros":           in("eu-west-1", func(c *C) { c.NoncurrentVersionExpirationDays, c.LogExpirationDays = new(0), new(0) }),
		"table 3 and 255": in("eu-west-1", func(c *C) { c.LockTable, c.DynamodbTable = true, "abc" }),
		"output prefix _": in("eu-west-1", func(c *C) { c.OutputPrefix = "_" }),
	}
	for name, c := range valid {
		t.Run("valid "+name, func(t *testing.T) {
			err := attempt(c.Region, func(s cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(s, "state", c)
				return err
			})
			assert.NoError(t, err)
		})
	}
	t.Run("two in one stack", func(t *testing.T) {
		err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
			if _, err := statebackend.NewEncryptedStateBackend(s, "a", in("eu-west-1", func(c *C) { c.Bucket = "a-" + advAccount })); err != nil {
				return err
			}
			_, err := statebackend.NewEncryptedStateBackend(s, "b", in("eu-west-1", func(c *C) { c.Bucket, c.OutputPrefix = "b-"+advAccount, "b_" }))
			return err
		})
		assert.NoError(t, err)
	})
	invalid := map[string]struct {
		field string
		cfg   *C
	}{
		"nil":                 {"config", nil},
		"bucket one too long": {"Bucket", in("eu-west-1", func(c *C) { c.Bucket = longest + "b" })},
		"bucket token":        {"Bucket", in("eu-west-1", func(c *C) { c.Bucket = *cdktf.Fn_Lower(jsii.String("X")) })},
		"bucket xn--":         {"Bucket", in("eu-west-1", func(c *C) { c.Bucket = "xn--tfstate" })},
		"window 0":            {"DeletionWindowInDays", in("eu-west-1", func(c *C) { c.DeletionWindowInDays = new(0) })},
		"table 2":             {"DynamodbTable", in("eu-west-1", func(c *C) { c.LockTable, c.DynamodbTable = true, "ab" })},
		"table without lock":  {"DynamodbTable", in("eu-west-1", func(c *C) { c.DynamodbTable = "abc" })},
		"output prefix digit": {"OutputPrefix", in("eu-west-1", func(c *C) { c.OutputPrefix = "1x" })},
		"key other partition": {"KmsKeyArn", in("eu-west-1", func(c *C) {
			c.KmsKeyArn = "arn:aws-cn:kms:eu-west-1:" + advAccount + ":key/mrk-0123456789abcdef0123456789abcdef"
		})},
		"logs into themselves": {"AccessLogsBucketName", in("eu-west-1", func(c *C) { c.AccessLogsBucketName = c.Bucket })},
	}
	for name, tc := range invalid {
		t.Run("invalid "+name, func(t *testing.T) {
			err := attempt("eu-west-1", func(s cdktf.TerraformStack) error {
				_, err := statebackend.NewEncryptedStateBackend(s, "state", tc.cfg)
				return err
			})
			stacktest.RequireProblem(t, err, tc.field, "")
			assert.Len(t, err.(*validate.Error).Problems, 1, "one mistake, one problem: %v", err)
		})
	}
}

// TestAdversarial_Use: Use refuses what Terraform's S3 backend or the state
// bucket policy would refuse, and accepts other partitions.
func TestAdversarial_Use(t *testing.T) {
	type B = statebackend.BackendConfig
	const region = "eu-west-1"
	keyIn := func(partition, region string) string {
		return "arn:" + partition + ":kms:" + region + ":" + advAccount + ":key/0b7a1d8e-3c2f-4e5a-9b6c-7d8e9f0a1b2c"
	}
	ok := B{Bucket: "tfstate-" + advAccount, Region: region, KmsKeyId: keyIn("aws", region), Key: "app/terraform.tfstate"}
	role := func(f func(r *statebackend.AssumeRole)) *statebackend.AssumeRole {
		r := &statebackend.AssumeRole{RoleArn: "arn:aws:iam::" + advAccount + ":role/deployer"}
		f(r)
		return r
	}
	for name, set := range map[string]func(b *B){
		"default key": func(b *B) { b.Key = "" },
		"cn":          func(b *B) { b.Region, b.KmsKeyId = "cn-north-1", keyIn("aws-cn", "cn-north-1") },
		"gov":         func(b *B) { b.Region, b.KmsKeyId = "us-gov-west-1", keyIn("aws-us-gov", "us-gov-west-1") },
		"role limits": func(b *B) {
			b.AssumeRole = role(func(r *statebackend.AssumeRole) {
				r.DurationSeconds, r.SessionName = new(43200), strings.Repeat("s", 64)
			})
		},
		"https endpoint": func(b *B) { b.Endpoints = &statebackend.Endpoints{S3: "https://s3." + region + ".amazonaws.com"} },
	} {
		t.Run("valid "+name, func(t *testing.T) {
			b := ok
			set(&b)
			assert.NoError(t, b.Validate("app"))
		})
	}
	for name, tc := range map[string]struct {
		field string
		set   func(b *B)
	}{
		"alias":               {"KmsKeyId", func(b *B) { b.KmsKeyId = "alias/tfstate" }},
		"key other partition": {"KmsKeyId", func(b *B) { b.Region = "cn-north-1" }},
		"key leading /":       {"Key", func(b *B) { b.Key = "/app.tfstate" }},
		"key //":              {"Key", func(b *B) { b.Key = "a//b" }},
		"workspace prefix /":  {"WorkspaceKeyPrefix", func(b *B) { b.WorkspaceKeyPrefix = "env/" }},
		"duration 899":        {"AssumeRole.DurationSeconds", func(b *B) { b.AssumeRole = role(func(r *statebackend.AssumeRole) { r.DurationSeconds = new(899) }) }},
		"session 65": {"AssumeRole.SessionName", func(b *B) {
			b.AssumeRole = role(func(r *statebackend.AssumeRole) { r.SessionName = strings.Repeat("s", 65) })
		}},
		"transitive untagged": {"AssumeRole.TransitiveTagKeys[0]", func(b *B) {
			b.AssumeRole = role(func(r *statebackend.AssumeRole) { r.TransitiveTagKeys = []string{"team"} })
		}},
		"51 session tags": {"AssumeRole.Tags", func(b *B) {
			b.AssumeRole = role(func(r *statebackend.AssumeRole) {
				r.Tags = map[string]string{}
				for i := 0; i < 51; i++ {
					r.Tags[fmt.Sprint("k", i)] = "v"
				}
			})
		}},
		"empty account": {"AllowedAccountIds[0]", func(b *B) { b.AllowedAccountIds = []string{""} }},
		"http endpoint": {"Endpoints.S3", func(b *B) { b.Endpoints = &statebackend.Endpoints{S3: "http://s3.local"} }},
	} {
		t.Run("invalid "+name, func(t *testing.T) {
			b := ok
			tc.set(&b)
			stacktest.RequireProblem(t, b.Validate("app"), tc.field, "")
		})
	}
}

// attempt synthesizes a stack with an AWS provider of region and define's
// constructs (stacktest.SynthStackE): define's error comes back as it is and
// a panic, of define or of the synth, as a *stacktest.PanicError.
func attempt(region string, define func(stack cdktf.TerraformStack) error) error {
	_, err := stacktest.SynthStackE("adversarial", func(s cdktf.TerraformStack) error {
		provider.NewAwsProvider(s, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		return define(s)
	})
	return err
}

// TestAdversarial_TokenNames: the backend's names are claimed in the app
// and name its outputs, so a token in one is one validate.LiteralRule
// problem; the key and log destination ARNs and names may be tokens.
func TestAdversarial_TokenNames(t *testing.T) {
	stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("tokens"))
	tok := func() string {
		return *cdktf.NewTerraformVariable(stack, jsii.String(fmt.Sprintf("v%d", len(*stack.Node().Children()))), &cdktf.TerraformVariableConfig{}).StringValue()
	}
	type C = statebackend.EncryptedStateBackendConfig
	base := func() *C { return &C{Bucket: "tfstate-" + advAccount, AccountId: advAccount, Region: "eu-west-1"} }
	for field, set := range map[string]func(c *C){
		"Bucket":        func(c *C) { c.Bucket = tok() },
		"OutputPrefix":  func(c *C) { c.OutputPrefix = tok() },
		"KmsKeyAlias":   func(c *C) { c.KmsKeyAlias = tok() },
		"LogBucket":     func(c *C) { c.LogBucket = tok() },
		"DynamodbTable": func(c *C) { c.LockTable, c.DynamodbTable = true, tok() },
		"Region":        func(c *C) { c.Region = tok() },
	} {
		c := base()
		set(c)
		stacktest.RequireOnlyProblem(t, c.Validate("state"), field, validate.LiteralRule)
	}
	c := base()
	c.KmsKeyArn = tok()
	assert.NoError(t, c.Validate("state"))
}
