// Command hardened-cdktf synthesizes the reference platform into cdktf.out:
// the bootstrap stack and one web-app stack per environment.
//
//	go run .            # or: npx cdktf synth
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

func main() {
	fastsynth.Enable() // before any construct: load only the AWS provider modules used (HARDENED_CDKTF_FASTSYNTH=off disables)
	app := cdktf.NewApp(nil)
	if err := stacks.NewReferenceApp(app); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app.Synth()
}
