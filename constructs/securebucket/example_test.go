package securebucket_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/grant"
)

// A hardened bucket encrypted with a team key, readable by another account
// through its one bucket policy (and the key policy).
func ExampleNewSecureBucket() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("prod"))
	key, err := securekey.NewSecureKey(stack, "key", &securekey.SecureKeyConfig{AccountId: "111122223333", Region: "eu-west-1"})
	if err != nil {
		panic(err)
	}
	bucket, err := securebucket.NewSecureBucket(stack, "reports", &securebucket.SecureBucketConfig{
		BucketName: "acme-reports-111122223333", AccountId: "111122223333", Region: "eu-west-1",
		KmsKey: key, ExpirationDays: 365,
	})
	if err != nil {
		panic(err)
	}
	grants, err := bucket.GrantRead(grant.Principal("arn:aws:iam::444455556666:root"))
	if err != nil {
		panic(err)
	}
	fmt.Println("grants:", len(grants))
	for _, s := range bucket.PolicyDocument().Statement {
		fmt.Println("bucket policy:", s.Sid[:min(len(s.Sid), 11)], s.Effect)
	}
	fmt.Println("key policy statements:", len(key.PolicyDocument().Statement))

	// A second bucket with the same name anywhere in the app is an error.
	_, err = securebucket.NewSecureBucket(stack, "copy", &securebucket.SecureBucketConfig{
		BucketName: "acme-reports-111122223333", AccountId: "111122223333", Region: "eu-west-1",
	})
	fmt.Println(err != nil)
	// Output:
	// grants: 2
	// bucket policy: DenyInsecur Deny
	// bucket policy: DenyOutdate Deny
	// bucket policy: Grants3read Allow
	// key policy statements: 2
	// true
}
