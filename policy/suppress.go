package policy

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Suppress declares that the finding of rule ruleID on scope is deliberate,
// and why. scope is either
//   - a resource (any provider resource, e.g. an lb.Lb): the suppression
//     covers that resource only and is written into its own "//" metadata;
//   - any other construct (a construct of ours, a stack): the suppression
//     covers every resource whose construct path lies under it, including
//     resources added after the call, and is written into the stack's "//"
//     metadata under the construct's path.
//
// Either way it lands in the synthesized cdk.tf.json, so every later check
// of that JSON (SynthAndCheck, the policycheck command, CheckPath) sees it
// and reports the finding as suppressed with the reason. Terraform ignores
// "//" keys.
//
// It returns an error, and records nothing, when scope is nil or not inside
// a TerraformStack, ruleID is not a rule of the pack (see Rules), or reason
// is shorter than MinReasonLength characters. A suppression that later
// matches no finding is reported by the checker as a Problem.
func Suppress(scope constructs.IConstruct, ruleID, reason string) (err error) {
	if scope == nil {
		return fmt.Errorf("policy.Suppress: scope is nil")
	}
	if _, ok := byID[ruleID]; !ok {
		return fmt.Errorf("policy.Suppress: unknown rule ID %q (rules: %s)", ruleID, strings.Join(ruleIDs(), ", "))
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < MinReasonLength {
		return fmt.Errorf("policy.Suppress(%s): reason %q is shorter than %d characters: say why the finding is intended and what compensates for it", ruleID, reason, MinReasonLength)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("policy.Suppress(%s): %v", ruleID, r)
		}
	}()
	if *cdktf.TerraformResource_IsTerraformResource(scope) {
		if res, ok := scope.(cdktf.TerraformResource); ok {
			res.AddOverride(jsii.String("//."+metadataKey+"."+ruleID), jsii.String(reason))
			return nil
		}
	}
	stack := cdktf.TerraformStack_Of(scope)
	path := *scope.Node().Path()
	stack.AddOverride(jsii.String("//."+metadataKey+"."+escapePath(path)+"."+ruleID), jsii.String(reason))
	return nil
}

// Options configures SynthAndCheck.
type Options struct {
	// Severity is the threshold: an unsuppressed finding at or above it
	// fails the run. Zero means DefaultSeverity (High).
	Severity Severity
	// Output receives one line per failing finding and per wrong
	// suppression, then a summary line. Nil means os.Stderr when the check
	// fails and os.Stdout when it passes (the cdktf CLI shows everything a
	// program writes to stderr as an error).
	Output io.Writer
}

// SynthAndCheck synthesizes app (app.Synth()) and checks every stack it
// wrote to its output directory, as `go run .` and `npx cdktf synth` do for
// the reference app. It prints each unsuppressed finding at or above the
// threshold and each wrong suppression on one line (severity, rule ID,
// title, construct path, resource address, what is wrong, fix), then a
// summary line, and returns an error when there is any: exit non-zero on
// it, so a failing synth stops the pipeline. The synthesized files stay
// in place either way.
//
// Use it in place of app.Synth():
//
//	if err := policy.SynthAndCheck(app, nil); err != nil {
//		fmt.Fprintln(os.Stderr, err)
//		os.Exit(1)
//	}
//
// A panic from synth (cdktf reports validation errors that way) is
// returned as an error.
func SynthAndCheck(app cdktf.App, opts *Options) (err error) {
	if app == nil {
		return fmt.Errorf("policy.SynthAndCheck: app is nil")
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	var outdir string
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("synth failed: %v", r)
			}
		}()
		app.Synth()
		outdir = *app.Outdir()
	}()
	if err != nil {
		return err
	}
	if rel, rerr := filepath.Rel(mustGetwd(), outdir); rerr == nil && !strings.HasPrefix(rel, "..") {
		outdir = rel
	}
	rep, err := CheckPath(outdir)
	if err != nil {
		return fmt.Errorf("policy check of %s: %w", outdir, err)
	}
	checkErr := rep.Err(o.Severity)
	if o.Output == nil {
		o.Output = os.Stdout
		if checkErr != nil {
			o.Output = os.Stderr
		}
	}
	if err := rep.WriteFailing(o.Output, o.Severity); err != nil {
		return err
	}
	return checkErr
}

func mustGetwd() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	return wd
}
