package policy_test

import (
	"fmt"
	"os"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/policy"
)

// Check any synthesized stack, from a Go or a TypeScript app: here a
// hand-written rule that opens SSH to the internet.
func ExampleCheck() {
	stack := []byte(`{
	  "resource": {
	    "aws_security_group_rule": {
	      "bastion_ssh_1A2B3C4D": {
	        "//": {"metadata": {"path": "shop-prod/bastion/ssh"}},
	        "type": "ingress", "security_group_id": "${aws_security_group.bastion.id}",
	        "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]
	      }
	    }
	  }
	}`)
	rep, err := policy.Check(policy.StackFile{Name: "shop-prod", Path: "cdktf.out/stacks/shop-prod/cdk.tf.json", JSON: stack})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Failing(policy.High) {
		fmt.Println(f.Rule.Severity, f.Rule.ID, f.Path, f.Address, "line", f.Line)
	}
	fmt.Println(rep.Err(policy.High))
	// Output:
	// CRITICAL HC-SG-001 shop-prod/bastion/ssh aws_security_group_rule.bastion_ssh_1A2B3C4D line 4
	// policy check failed: 1 unsuppressed finding at or above HIGH
}

// Every rule names the checklist line it enforces and its equivalents in
// other scanners.
func ExampleLookupRule() {
	r, _ := policy.LookupRule("HC-SG-001")
	fmt.Println(r.Severity, r.Title)
	fmt.Println(r.Checklist)
	fmt.Println(r.Trivy, r.Checkov, r.CdkNag)
	// Output:
	// CRITICAL SSH or RDP open to the internet
	// Network Security: Security groups use least privilege
	// [AWS-0107] [CKV_AWS_24 CKV_AWS_25] [AwsSolutions-EC23]
}

// Declare a deliberate exception on a resource, or on a construct to cover
// everything under it, then synthesize and check in place of app.Synth().
func ExampleSuppress() {
	dir, err := os.MkdirTemp("", "policy-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	stack := cdktf.NewTerraformStack(app, jsii.String("site"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")})

	feed := snstopic.NewSnsTopic(stack, jsii.String("release_feed"), &snstopic.SnsTopicConfig{Name: jsii.String("releases")})
	if err := policy.Suppress(feed, "HC-SNS-001", "Public release announcements: nothing confidential goes through it."); err != nil {
		fmt.Println(err)
		return
	}
	// A construct-level suppression covers the resources created under it,
	// also those created after the call.
	demo := constructs.NewConstruct(stack, jsii.String("demo"))
	if err := policy.Suppress(demo, "HC-SNS-001", "Demo topics hold synthetic data only."); err != nil {
		fmt.Println(err)
		return
	}
	snstopic.NewSnsTopic(demo, jsii.String("events"), &snstopic.SnsTopicConfig{Name: jsii.String("demo-events")})

	fmt.Println(policy.SynthAndCheck(app, &policy.Options{Output: os.Stdout}))
	// Output:
	// policy: 1 stack, 0 findings at or above HIGH, 0 below, 2 suppressed, 0 wrong suppressions
	// <nil>
}
