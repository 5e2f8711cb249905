// Command tsgen generates the TypeScript side of bench/bench.sh from our own
// synthesized output, so that it always rebuilds exactly the Go app's
// resources, and checks that the TypeScript output matches.
//
//	tsgen gen -in cdktf.out -node-modules bench/ts/node_modules -out bench/ts/gen/app.ts
//	tsgen compare -go cdktf.out -ts ts.out
//
// gen reads every stack of a cdktf.out directory (manifest.json order) and
// writes one cdktf program that creates the same stacks with the prebuilt
// @cdktf/provider-aws classes: the same resource types, each with the same
// attributes passed as its config properties (names read from the provider
// classes' own synthesizeAttributes code), at the same construct paths and
// logical IDs; references between resources stay raw "${...}" strings.
// compare requires both outputs to have the same stacks with the same
// content, ignoring metadata (every "//" key), and exits 1 otherwise.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = runGen(os.Args[2:])
	case "compare":
		err = runCompare(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tsgen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tsgen gen -in CDKTF_OUT -node-modules DIR -out FILE.ts\n       tsgen compare -go CDKTF_OUT -ts CDKTF_OUT")
	os.Exit(2)
}

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	in := fs.String("in", "cdktf.out", "synthesized Go output (a cdktf.out directory)")
	nm := fs.String("node-modules", "bench/ts/node_modules", "node_modules with @cdktf/provider-aws")
	out := fs.String("out", "bench/ts/gen/app.ts", "TypeScript file to write")
	fs.Parse(args)
	stacks, err := readOut(*in)
	if err != nil {
		return err
	}
	p, err := newProvider(*nm)
	if err != nil {
		return err
	}
	g := newGenerator(p)
	for i, s := range stacks {
		if err := g.stack(i, s); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(*out, []byte(g.program(filepath.Base(*in), len(stacks))), 0o644); err != nil {
		return err
	}
	res := 0
	for _, s := range stacks {
		res += count(s.doc)
	}
	fmt.Printf("tsgen: %d stacks, %d resources, %d provider classes -> %s; %d attributes passed as overrides\n",
		len(stacks), res, len(g.order), *out, len(g.fallbacks))
	for _, f := range g.fallbacks {
		fmt.Println("  override:", f)
	}
	return nil
}

func runCompare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ExitOnError)
	goOut := fs.String("go", "", "Go output (cdktf.out)")
	tsOut := fs.String("ts", "", "TypeScript output (cdktf.out)")
	fs.Parse(args)
	a, err := readOut(*goOut)
	if err != nil {
		return err
	}
	b, err := readOut(*tsOut)
	if err != nil {
		return err
	}
	byName := map[string]*value{}
	for _, s := range b {
		byName[s.name] = s.doc
	}
	var problems []string
	res := 0
	for _, s := range a {
		doc := byName[s.name]
		if doc == nil {
			problems = append(problems, "stack "+s.name+": missing in TypeScript output")
			continue
		}
		delete(byName, s.name)
		res += count(s.doc)
		for _, d := range diff(s.doc, doc, 20) {
			problems = append(problems, "stack "+s.name+d)
		}
	}
	for name := range byName {
		problems = append(problems, "stack "+name+": only in TypeScript output")
	}
	if len(problems) > 0 {
		return fmt.Errorf("TypeScript output differs from Go output (modulo metadata):\n  %s", strings.Join(problems, "\n  "))
	}
	fmt.Printf("tsgen: TypeScript output equals Go output modulo metadata: %d stacks, %d resources\n", len(a), res)
	return nil
}
