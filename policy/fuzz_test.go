package policy

import "testing"

// FuzzCheck feeds arbitrary JSON to Check: it may return an error, never
// panic. `go test` runs the seeds (every rule fixture); run
// `go test ./policy -run '^$' -fuzz FuzzCheck -fuzztime 30s` to explore.
func FuzzCheck(f *testing.F) {
	for _, c := range ruleCases() {
		f.Add(stackJSON(f, c.parts...))
	}
	f.Add([]byte(`{"resource": {"aws_s3_bucket": {"b": []}}}`))
	f.Add([]byte(`{"resource": {"aws_security_group": {"g": {"ingress": "${var.x}"}}}, "variable": {"x": {"default": [1, {"a": null}]}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		rep, err := Check(StackFile{Name: "fuzz", JSON: raw})
		if err == nil && rep == nil {
			t.Fatal("nil report without error")
		}
	})
}
