package validate_test

import (
	"fmt"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Rules return "" for a valid value, else what is allowed.
func ExampleDNSName() {
	fmt.Printf("%q\n", validate.DNSName("api.shop.example.org"))
	fmt.Println(validate.DNSName("*.shop.example.org") != "", "wildcards are refused")
	// Output:
	// ""
	// true wildcards are refused
}

func ExampleHostedZoneID() {
	fmt.Printf("%q\n", validate.HostedZoneID("Z04EXAMPLE7QX1"))
	fmt.Println(validate.HostedZoneID("/hostedzone/Z04EXAMPLE7QX1"))
	// Output:
	// ""
	// must be a Route 53 hosted zone ID: Z followed by uppercase letters and digits, at most 32 characters (without "/hostedzone/"): use Z04EXAMPLE7QX1
}

// A permissions boundary is a managed policy of the role's account, or an
// AWS managed policy.
func ExamplePermissionsBoundaryRule() {
	env := validate.Env{AccountId: "111122223333", Region: "eu-west-1"}
	fmt.Printf("%q\n", validate.PermissionsBoundaryRule("arn:aws:iam::111122223333:policy/team-boundary", env))
	fmt.Printf("%q\n", validate.PermissionsBoundaryRule("arn:aws:iam::aws:policy/PowerUserAccess", env))
	fmt.Println(validate.PermissionsBoundaryRule("arn:aws:iam::444455556666:policy/team-boundary", env) != "", "another account's policy is refused")
	// Output:
	// ""
	// ""
	// true another account's policy is refused
}
