// Command policycheck checks synthesized cdktf stacks against the rule pack
// of package policy (the seed checklist's controls) and reports the
// findings as text, JSON or SARIF 2.1.0.
//
// Usage:
//
//	go run github.com/hardened-iac/cdktf-aws/cmd/policycheck [-format text|json|sarif] [-severity LEVEL] [-output FILE] [DIR]
//
// DIR is a cdktf output directory (cdktf.out, the default), a stack folder
// (cdktf.out/stacks/NAME) or a single stack file. It works on the output of
// any cdktf app, Go or TypeScript: run `cdktf synth` first.
//
// -format text (default) lists the failing findings, then those below the
// threshold, the suppressed findings with their reasons, and wrong
// suppressions. -format json lists every finding. -format sarif writes a
// SARIF 2.1.0 log for code-scanning services (suppressed findings carry
// SARIF suppressions with their reasons).
//
// -severity LEVEL (LOW, MEDIUM, HIGH or CRITICAL; default HIGH) is the
// threshold. The exit status is 1 when an unsuppressed finding at or above
// it remains or a suppression is wrong (unknown rule, short reason, matches
// nothing), 2 when the input cannot be read or the flags are wrong, and 0
// otherwise.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hardened-iac/cdktf-aws/policy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("policycheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or sarif")
	severity := fs.String("severity", policy.DefaultSeverity.String(), "threshold: LOW, MEDIUM, HIGH or CRITICAL; unsuppressed findings at or above it fail")
	output := fs.String("output", "", "write the report to this file instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: policycheck [-format text|json|sarif] [-severity LEVEL] [-output FILE] [DIR]")
		fmt.Fprintln(stderr, "DIR is a cdktf.out (default), a stack folder or a stack file.")
		fs.PrintDefaults()
	}
	// Flags may come before or after DIR.
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(dirs) > 1 {
		fmt.Fprintf(stderr, "policycheck: one DIR, got %d: %v\n", len(dirs), dirs)
		return 2
	}
	dir := "cdktf.out"
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	min, err := policy.ParseSeverity(*severity)
	if err != nil {
		fmt.Fprintln(stderr, "policycheck: -severity:", err)
		return 2
	}
	rep, err := policy.CheckPath(dir)
	if err != nil {
		fmt.Fprintln(stderr, "policycheck:", err)
		return 2
	}
	out := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintln(stderr, "policycheck:", err)
			return 2
		}
		defer f.Close()
		out = f
	}
	switch *format {
	case "text":
		err = rep.WriteText(out, min)
	case "json":
		err = rep.WriteJSON(out)
	case "sarif":
		err = rep.WriteSARIF(out)
	default:
		fmt.Fprintf(stderr, "policycheck: -format %q: want text, json or sarif\n", *format)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "policycheck:", err)
		return 2
	}
	if *format != "text" || *output != "" {
		fmt.Fprintln(stderr, rep.Summary(min))
	}
	if err := rep.Err(min); err != nil {
		fmt.Fprintln(stderr, "policycheck:", err)
		return 1
	}
	return 0
}
