// Command hardened-cdktf synthesizes the reference platform into cdktf.out:
// the bootstrap stack and one web-app stack per environment. It then checks
// them with package policy and exits 1 on an unsuppressed HIGH or CRITICAL
// finding.
//
//	go run .            # or: npx cdktf synth
package main

import (
	"fmt"
	"os"

	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

func main() {
	// stacks.NewApp turns fast synth on first: only the AWS provider modules
	// the stacks use are loaded (HARDENED_CDKTF_FASTSYNTH=off disables it).
	app := stacks.NewApp(nil)
	if err := stacks.NewReferenceApp(app); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Synth, then check every stack against the policy rule pack: a finding
	// at or above HIGH that no suppression covers fails the run.
	if err := policy.SynthAndCheck(app, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
