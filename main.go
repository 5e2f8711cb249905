// Command hardened-cdktf synthesizes the platform that platform.yaml
// describes into cdktf.out: the bootstrap stack and one web-app stack per
// environment (HARDENED_CDKTF_CONFIG names another config file). It then
// checks them with package policy and exits 1 on an unsuppressed HIGH or
// CRITICAL finding.
//
//	go run .            # or: npx cdktf synth
//
// A config with any problem stops before any stack is built (and nothing is
// written): the error lists every problem with file, line and key.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"

	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacks"
)

func main() { os.Exit(run()) }

// run builds, synthesizes and checks the platform and returns the exit code.
// On the way out it stops the jsii kernel (jsii.Close), which also removes
// the runtime that jsii-runtime-go extracted to the temporary directory.
func run() int {
	defer jsii.Close()
	cfg, err := stacks.LoadPlatformConfig(stacks.ConfigFile())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if cfg.StateKmsKeyIsPlaceholder() {
		fmt.Fprintf(os.Stderr, "note: %s: state.kms_key_arn is not set; the web-app stacks use a placeholder key until you set it to the bootstrap output state_kms_key_arn\n", stacks.ConfigFile())
	}
	// stacks.NewApp turns fast synth on first: only the AWS provider modules
	// the stacks use are loaded (HARDENED_CDKTF_FASTSYNTH=off disables it).
	app := stacks.NewApp(nil)
	if _, err := stacks.NewPlatformApp(app, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Synth, then check every stack against the policy rule pack: a finding
	// at or above HIGH that no suppression covers fails the run.
	if err := policy.SynthAndCheck(app, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
