package stacktest_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// env is where the examples' stacks would deploy.
var env = stacks.Env{Project: "shop", Environment: "dev", AccountId: "111122223333", Region: "eu-west-1"}

// The package's tests plan and scan exampleApp's stack in their shared runs,
// so the examples below find the plan and the findings cached.
func init() { stacktest.SharedTestApps = append(stacktest.SharedTestApps, exampleApp) }

// exampleApp is an app with one stack, "shop-dev", built with
// stacks.NewStack for env: a versioned bucket encrypted with SSE-S3.
func exampleApp(app constructs.Construct) error {
	stack := stacks.NewStack(app, "shop-dev", env)
	bucket := s3bucket.NewS3Bucket(stack, jsii.String("assets"), &s3bucket.S3BucketConfig{Bucket: jsii.String("shop-dev-assets")})
	s3bucketversioning.NewS3BucketVersioningA(stack, jsii.String("assets_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket:                  bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
	})
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String("assets_encryption"),
		&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
			Bucket: bucket.Id(),
			Rule: &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
				ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
					SseAlgorithm: jsii.String("AES256"),
				},
			}},
		})
	return nil
}

// Synthesize an app and query its stack by resource type and construct path.
// In a test, stacktest.SynthApp(t, ...) fails the test instead of returning
// the error, and stacktest.Memo shares one synth between tests.
func ExampleSynthAppE() {
	app, err := stacktest.SynthAppE(exampleApp)
	if err != nil {
		panic(err)
	}
	s := app.Stacks["shop-dev"]
	bucket, err := s.FindResource("aws_s3_bucket", "assets")
	if err != nil {
		panic(err)
	}
	ref, _ := s.FindRef("aws_s3_bucket_versioning", "assets_versioning")
	fmt.Println(app.StackNames())
	fmt.Println(bucket.Get("bucket"), s.Path(bucket))
	fmt.Println(strings.HasPrefix(ref, "aws_s3_bucket_versioning.assets_versioning"))
	fmt.Println(s.Get("provider.aws.0.allowed_account_ids.0"), s.Get("provider.aws.0.region"))
	// Output:
	// [shop-dev]
	// shop-dev-assets assets
	// true
	// 111122223333 eu-west-1
}

// Compare a stack with its golden file. In a test, stacktest.Snapshot(t, s)
// does this with testdata/<stack>.tf.json, and -update writes the file.
func ExampleCheckSnapshotE() {
	app, err := stacktest.SynthAppE(exampleApp)
	if err != nil {
		panic(err)
	}
	s := app.Stacks["shop-dev"]
	dir, _ := os.MkdirTemp("", "golden-")
	defer os.RemoveAll(dir)
	fmt.Println(stacktest.CheckSnapshotE(dir, s, true)) // -update
	fmt.Println(stacktest.CheckSnapshotE(dir, s, false))
	// A change shows as a unified diff.
	changed := s
	changed.Raw = []byte(strings.Replace(string(s.Raw), "shop-dev-assets", "shop-dev-media", 1))
	err = stacktest.CheckSnapshotE(dir, changed, false)
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, "-  ") || strings.HasPrefix(line, "+  ") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// <nil>
	// <nil>
	// -        "bucket": "shop-dev-assets"
	// +        "bucket": "shop-dev-media"
}

// Plan a stack offline with the real provider: the kit replaces the backend,
// hands the provider fake credentials of the account it allows, and answers
// its AWS calls locally. In a test, stacktest.PlanStack(t, s) skips (or, with
// CI=true, fails) when terraform is missing.
func ExamplePlanStacksE() {
	app, err := stacktest.SynthAppE(exampleApp)
	if err != nil {
		panic(err)
	}
	s := app.Stacks["shop-dev"]
	plans, err := stacktest.PlanStacksE(s)
	if err != nil {
		panic(err)
	}
	plan := plans[0]
	bucket, _ := s.FindRef("aws_s3_bucket", "assets")
	after, _ := plan.FindAfter(bucket)
	fmt.Println(len(plan.Addresses(tfjson.ActionCreate)), "to create,", len(plan.Destroyed()), "to destroy")
	fmt.Println(after["bucket"], after["tags_all"])
	// Output:
	// 3 to create, 0 to destroy
	// shop-dev-assets map[Environment:dev ManagedBy:cdktf Project:shop]
}

// Scan a stack with trivy, accepting one finding for one construct, with the
// reason. In a test, stacktest.Scan(t, ...) also fails for an acceptance that
// matches nothing, and stacktest.RequireNoFindings fails on what is left.
func ExampleScanE() {
	app, err := stacktest.SynthAppE(exampleApp)
	if err != nil {
		panic(err)
	}
	findings, unused, err := stacktest.ScanE(app.All(), stacktest.Accept{
		ID: "AWS-0132", Path: "assets_encryption",
		Reason: "public web assets: SSE-S3 is enough, and CloudFront reads them without KMS permissions",
	})
	if err != nil {
		panic(err)
	}
	seen := map[string]bool{}
	for _, f := range findings {
		if f.ID == "AWS-0132" || f.ID == "AWS-0090" {
			seen[f.ID] = true // accepted, and versioned: neither is reported
		}
	}
	fmt.Println(len(findings) > 0, seen, len(unused))
	// Output:
	// true map[] 0
}

// A subset of a stack keeps the named resources and what they refer to,
// here a variable; the topic nothing refers to is left out. Plan the subset
// (PlanStacksE, or OfflineWorkdirE for plans with -var) to plan that part
// again without the cost of the rest.
func ExampleStack_SubsetE() {
	raw := `{
	  "variable": {"queues": {"type": "list(string)"}},
	  "resource": {
	    "aws_sqs_queue": {"q": {"count": "${length(var.queues)}", "name": "${var.queues[count.index]}"}},
	    "aws_sns_topic": {"t": {"name": "alerts"}}
	  }
	}`
	s := stacktest.Stack{Name: "demo", Raw: []byte(raw), JSON: gjson.Parse(raw)}
	sub, err := s.SubsetE("aws_sqs_queue.q")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("queue:", sub.Get("resource.aws_sqs_queue.q").Exists())
	fmt.Println("variable:", sub.Get("variable.queues").Exists())
	fmt.Println("topic:", sub.Get("resource.aws_sns_topic").Exists())
	// Output:
	// queue: true
	// variable: true
	// topic: false
}
