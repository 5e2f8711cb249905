package fastsynth_test

import (
	"fmt"

	"github.com/hardened-iac/cdktf-aws/fastsynth"
)

// Call Enable first thing in main (or in TestMain), before any construct
// exists. Set HARDENED_CDKTF_FASTSYNTH=off to switch it off.
func ExampleEnable() {
	if err := fastsynth.Enable(); err != nil {
		// Not fatal: synth works, only slowly. Enable already printed it.
		_ = err
	}
	// app := cdktf.NewApp(nil) ...; app.Synth()
}

// The user's NODE_OPTIONS are kept; jsii's default heap limit is added when
// they set none.
func ExampleMergeNodeOptions() {
	const script = "/home/me/.cache/hardened-cdktf/fastsynth/preload-0123456789abcdef.js"
	fmt.Println(fastsynth.MergeNodeOptions("", script))
	fmt.Println(fastsynth.MergeNodeOptions("--max-old-space-size=8192 --enable-source-maps", script))
	fmt.Println(fastsynth.Disabled("off"))
	// Output:
	// --max-old-space-size=4069 --require /home/me/.cache/hardened-cdktf/fastsynth/preload-0123456789abcdef.js
	// --max-old-space-size=8192 --enable-source-maps --require /home/me/.cache/hardened-cdktf/fastsynth/preload-0123456789abcdef.js
	// true
}
