// Command roundtrip measures what one jsii round trip costs from Go, by kind,
// in one kernel with fast synth on (see SPEED.md at the repository root):
//
//	get      read a resource's token attribute (bucket.Arn())
//	create   a small resource (an S3 bucket with a name and one tag)
//	invoke   a method call on a construct (OverrideLogicalId)
//	sinvoke  a static call (cdktf.Fn_LengthOf)
//	construct  a plain constructs.Construct scope
//
// Each kind runs -n times after a warm-up; it prints one line per kind:
//
//	roundtrip get 0.123 ms/op
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/stacks"
)

func main() {
	n := flag.Int("n", 1000, "operations per kind")
	flag.Parse()
	dir, err := os.MkdirTemp("", "roundtrip-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	app := stacks.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), SkipValidation: jsii.Bool(true)})
	st := cdktf.NewTerraformStack(app, jsii.String("s"))
	bucket := s3bucket.NewS3Bucket(st, jsii.String("warm"), &s3bucket.S3BucketConfig{Bucket: jsii.String("warm")})
	list := jsii.Strings("a", "b")
	i := 0
	kinds := []struct {
		name string
		op   func()
	}{
		{"get", func() { _ = bucket.Arn() }},
		{"create", func() {
			i++
			s3bucket.NewS3Bucket(st, jsii.String("b"+strconv.Itoa(i)), &s3bucket.S3BucketConfig{
				Bucket: jsii.String("b" + strconv.Itoa(i)), Tags: &map[string]*string{"Name": jsii.String("x")}})
		}},
		{"invoke", func() { bucket.OverrideLogicalId(jsii.String("warm")) }},
		{"sinvoke", func() { _ = cdktf.Fn_LengthOf(list) }},
		{"construct", func() { i++; constructs.NewConstruct(st, jsii.String("c"+strconv.Itoa(i))) }},
	}
	for _, k := range kinds {
		for j := 0; j < 20; j++ {
			k.op()
		}
		start := time.Now()
		for j := 0; j < *n; j++ {
			k.op()
		}
		fmt.Printf("roundtrip %s %.3f ms/op\n", k.name, float64(time.Since(start).Microseconds())/1000/float64(*n))
	}
}
