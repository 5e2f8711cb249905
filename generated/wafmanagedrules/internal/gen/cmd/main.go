// Command cmd regenerates groups_gen.go from catalog.json. Run it through
// `go generate ./...` from the module root.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hardened-iac/cdktf-aws/generated/wafmanagedrules/internal/gen"
)

func main() {
	in := flag.String("catalog", "catalog.json", "catalog to read")
	out := flag.String("out", "groups_gen.go", "Go file to write")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err == nil {
		var src []byte
		if src, err = gen.Render(data); err == nil {
			err = os.WriteFile(*out, src, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wafmanagedrules generator:", err)
		os.Exit(1)
	}
}
