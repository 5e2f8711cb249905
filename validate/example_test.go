package validate_test

import (
	"fmt"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// A construct checks its whole config with one Collector and returns one
// error listing every problem, each with the nearest valid value where
// there is one.
func ExampleCollector() {
	v := validate.New("example.NewThing")
	env := v.Env("AccountId", "111122223333", "Region", "eu-wset-1")
	v.LogRetention("RetentionInDays", 730)
	v.OneOf("SslPolicy", "ELBSEcurityPolicy-TLS13-1-2-2021-06", []string{"ELBSecurityPolicy-TLS13-1-2-2021-06"})
	// The region is wrong, so the key ARN is only checked for shape.
	v.ARN("KmsKeyArn", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-86ef-1234567890ab", validate.KmsKeyArn, env)
	fmt.Println(v.Err())
	// Output:
	// example.NewThing: invalid config (3 problems):
	//   - Region = "eu-wset-1": is not a region the AWS provider 5.100 knows (it rejects unknown regions unless skip_region_validation); see validate.Partitions; did you mean "eu-west-1"?
	//   - RetentionInDays = 730: must be one of the CloudWatch Logs retention values [1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653]; did you mean "731"?
	//   - SslPolicy = "ELBSEcurityPolicy-TLS13-1-2-2021-06": must be one of "ELBSecurityPolicy-TLS13-1-2-2021-06"; did you mean "ELBSecurityPolicy-TLS13-1-2-2021-06"?
}

// Fragments lets a rule check the literal parts of a value that mixes text
// and tokens, such as an image reference built from a repository URL.
func ExampleFragments() {
	for _, f := range validate.Fragments("${TfToken[TOKEN.7]}:1.4.2") {
		fmt.Printf("token=%v %q\n", f.Token, f.Text)
	}
	fmt.Println(validate.HasToken("${var.project}"), validate.HasToken("TfToken[x"))
	// Output:
	// token=true "${TfToken[TOKEN.7]}"
	// token=false ":1.4.2"
	// false false
}

// ArnRule names the expected value and where it came from.
func ExampleArnRule() {
	env := validate.Env{AccountId: "111122223333", Region: "eu-west-1", AccountField: "AccountId", RegionField: "Region"}
	fmt.Println(validate.ArnRule("arn:aws:acm:us-east-1:111122223333:certificate/0b6c8a4e-1f2d-4c3b-9a8e-7d6f5e4c3b2a", validate.AcmCertificateArn, env))
	fmt.Println(validate.ArnRule("arn:aws:s3:::flow-logs/vpc/", validate.S3BucketArn, env) == "")
	// Output:
	// must be in region "eu-west-1" (Region): this ACM certificate is in "us-east-1"
	// true
}

// Every construct's Name defaults from its id by this one rule.
func ExampleNameFromID() {
	fmt.Println(validate.NameFromID("Web_App"), validate.NameFromID("api-v2"))
	// Output: web-app api-v2
}

// Tags are checked against the limits every AWS service shares.
func ExampleCollector_Tags() {
	v := validate.New("example.NewThing")
	v.Tags("Tags", map[string]string{"CostCenter": "1234", "aws:team": "x", "Note": "two\nlines"})
	fmt.Println(v.Err())
	// Output:
	// example.NewThing: invalid config (2 problems):
	//   - Tags[Note] = "two\nlines": must hold only letters, spaces, numbers and _ . : / = + - @ (no control characters)
	//   - Tags[aws:team] = "aws:team": must not begin with "aws:", which AWS reserves
}

// Optional numbers keep 0 distinct from "unset".
func ExampleCollector_OptionalRange() {
	var unset *int
	zero := 0
	v := validate.New("example.NewThing")
	v.OptionalRange("HealthCheckGracePeriodSeconds", unset, 0, 7200, "seconds")
	v.OptionalRange("DeregistrationDelaySeconds", &zero, 0, 3600, "seconds")
	fmt.Println(v.Err(), validate.IntOr(unset, 60), validate.IntOr(&zero, 30))
	// Output: <nil> 60 0
}
