// Command synthapp is the Go side of bench/bench.sh: it synthesizes into
// ./cdktf.out what `go run .` does (the platform of ./platform.yaml or
// $HARDENED_CDKTF_CONFIG, stacks.NewPlatformApp, fast synth on), or, with
// -webapp-copies N, N web-app stacks with the first environment's settings
// (stack names <project>-env01 ...), for the per-resource cost.
//
// With -phases it prints to stderr how long each phase took, in ms:
//
//	phases kernel=… define=… synth=…
//
// kernel: stacks.NewApp (the jsii kernel's start and the cdktf load);
// define: creating the stacks' constructs; synth: app.Synth().
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/jsii-runtime-go"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

func main() {
	copies := flag.Int("webapp-copies", 0, "synthesize this many web-app environment stacks instead of the reference app")
	phases := flag.Bool("phases", false, "print phase times (ms) to stderr")
	flag.Parse()

	p, err := stacks.LoadPlatformConfig(stacks.ConfigFile())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t0 := time.Now()
	app := stacks.NewApp(nil)
	t1 := time.Now()
	if *copies > 0 {
		for i := 1; i <= *copies && err == nil; i++ {
			env := fmt.Sprintf("env%02d", i)
			cfg, _ := p.WebAppStackConfig(p.Environments[0].Name)
			cfg.Env.Environment = env
			cfg.Backend.Key = p.StackName(env) + "/terraform.tfstate"
			_, err = stacks.NewWebAppStack(app, p.StackName(env), cfg)
		}
	} else {
		_, err = stacks.NewPlatformApp(app, p)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t2 := time.Now()
	app.Synth()
	t3 := time.Now()
	if *phases {
		ms := func(d time.Duration) int64 { return d.Milliseconds() }
		fmt.Fprintf(os.Stderr, "phases kernel=%d define=%d synth=%d\n", ms(t1.Sub(t0)), ms(t2.Sub(t1)), ms(t3.Sub(t2)))
	}
	jsii.Close() // as main.go: the kernel exits and its extracted runtime is removed
}
