// Package fakes3 is the S3 API of the state backend's end-to-end test
// (__tests__/statebackend_e2e_test.go): gofakes3 behind a middleware that
// records requests and enforces a bucket policy's PutObject denies.
package fakes3

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// FakeS3 is a real S3 API (gofakes3 with its in-memory backend) served on
// 127.0.0.1 from inside the test process, behind a thin middleware that
//
//   - records every object request (S3Request: method, key, the SSE and
//     If-None-Match headers, the response status and version ID), and
//   - enforces PutDenyRules, the "Deny s3:PutObject unless header X equals
//     Y" statements of a bucket policy (see PutDenyRulesFromPolicy): a
//     PutObject that violates one gets 403 AccessDenied before gofakes3 sees
//     it, as S3 authorizes a request before it evaluates its preconditions.
//
// gofakes3 does not check signatures and ignores the SSE headers (nothing is
// encrypted); it does implement versioning and If-None-Match: * (412
// PreconditionFailed when the key exists), atomically under one lock, which
// is what Terraform's S3 lock file relies on.
type FakeS3 struct {
	// URL is the endpoint, "http://127.0.0.1:<port>", for the S3 backend's
	// endpoints.s3 (with use_path_style = true).
	URL string
	// Bucket is the one bucket the server was started with.
	Bucket string
	// Backend is the in-memory store, for reading objects and versions
	// without going through HTTP.
	Backend *s3mem.Backend

	rules   []PutDenyRule
	inner   http.Handler
	account string // of the credentials S3BackendSettings hands out
	server  *http.Server

	mu       sync.Mutex
	requests []S3Request
	gate     func(S3Request)
}

// S3Request is one object request the FakeS3 served.
type S3Request struct {
	// Seq numbers requests in the order they completed, from 1.
	Seq int
	// Method is the HTTP method (PUT, GET, HEAD, DELETE, POST).
	Method string
	// Key is the object key (path-style URL, bucket stripped).
	Key string
	// Query is the raw query string, e.g. "versionId=..." or "uploads".
	Query string
	// SSE is the x-amz-server-side-encryption header ("" when absent).
	SSE string
	// SSEKMSKeyID is the x-amz-server-side-encryption-aws-kms-key-id header.
	SSEKMSKeyID string
	// IfNoneMatch is the If-None-Match header ("*" for Terraform's lock).
	IfNoneMatch string
	// Status is the HTTP status the client got.
	Status int
	// VersionID is the x-amz-version-id response header (versioned buckets).
	VersionID string
	// DeniedBy is the Sid of the PutDenyRule that refused the request, or "".
	DeniedBy string
}

// IsPutObject reports whether the request is authorized as s3:PutObject and
// carries the object's SSE headers: a PutObject, a CopyObject or a
// CreateMultipartUpload. (UploadPart is s3:PutObject too but carries no SSE
// headers; Terraform's small state objects never use multipart uploads.)
func (r S3Request) IsPutObject() bool {
	q := parseQuery(r.Query)
	switch r.Method {
	case http.MethodPut:
		return !q["uploadId"] && !q["partNumber"]
	case http.MethodPost:
		return q["uploads"]
	}
	return false
}

func parseQuery(raw string) map[string]bool {
	out := map[string]bool{}
	for _, kv := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k != "" {
			out[k] = true
		}
	}
	return out
}

// PutDenyRule is one bucket-policy statement of the form
//
//	{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "<bucket ARN>/<pattern>",
//	 "Condition": {"StringNotEquals": {"s3:<Header>": <Allowed>}}}
//
// A PutObject on a key matching Resource whose Header is missing or equal to
// none of Allowed is denied (IAM's negated string operators match when the
// key is absent from the request).
type PutDenyRule struct {
	// Sid is the statement's Sid.
	Sid string
	// Header is the request header the condition key names, e.g.
	// "x-amz-server-side-encryption" for "s3:x-amz-server-side-encryption".
	Header string
	// Allowed are the condition's values, with references substituted.
	Allowed []string
	// Resources are the statement's object ARN patterns ('*' and '?'
	// wildcards), with references substituted.
	Resources []string
}

// Denies reports whether the rule denies a PutObject of key in bucket with
// the given request headers.
func (r PutDenyRule) Denies(bucket, key string, header http.Header) bool {
	arn := "arn:aws:s3:::" + bucket + "/" + key
	if !slices.ContainsFunc(r.Resources, func(p string) bool { return arnGlob(p).MatchString(arn) }) {
		return false
	}
	got, present := header[http.CanonicalHeaderKey(r.Header)]
	return !present || len(got) != 1 || !slices.Contains(r.Allowed, got[0])
}

func arnGlob(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, c := range pattern {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// transportOnlyKeys are condition keys about the connection, not the
// request: the fake on plain loopback HTTP stands for S3's TLS endpoint, so
// statements on them (DenyInsecureTransport, DenyOutdatedTLS) do not apply.
var transportOnlyKeys = []string{"aws:SecureTransport", "s3:TlsVersion"}

// PutDenyRulesFromPolicy derives the PutDenyRules from a bucket policy
// document (e.g. JSONField(t, policyResource, "policy")). subst replaces
// Terraform references inside the policy's strings with concrete values,
// e.g. {"${aws_s3_bucket.x.arn}": "arn:aws:s3:::bucket",
// "${aws_kms_key.k.arn}": testKeyArn}.
//
// It looks at every Deny statement whose Action covers s3:PutObject.
// Statements whose conditions are only about the transport
// (aws:SecureTransport, s3:TlsVersion) are skipped and returned by Sid.
// Statements with Action exactly s3:PutObject and one StringNotEquals
// condition on an s3:x-amz-* header become rules. Any other such statement
// (more actions, more conditions, other operators) fails the test: a change
// to the policy must change this fake, not be silently ignored. Allow
// statements are ignored (the fake's only caller owns the bucket).
func PutDenyRulesFromPolicy(t testing.TB, policy gjson.Result, subst map[string]string) (rules []PutDenyRule, skipped []string) {
	t.Helper()
	resolve := func(s string) string {
		for k, v := range subst {
			s = strings.ReplaceAll(s, k, v)
		}
		if strings.Contains(s, "${") {
			t.Fatalf("policy value %q holds a reference that subst does not resolve", s)
		}
		return s
	}
	strs := func(r gjson.Result) []string {
		var out []string
		if r.IsArray() {
			for _, x := range r.Array() {
				out = append(out, x.String())
			}
		} else if r.Exists() {
			out = append(out, r.String())
		}
		return out
	}
	for i, st := range policy.Get("Statement").Array() {
		sid := st.Get("Sid").String()
		if sid == "" {
			sid = fmt.Sprintf("Statement[%d]", i)
		}
		if st.Get("Effect").String() != "Deny" {
			continue
		}
		if st.Get("NotAction").Exists() || st.Get("NotResource").Exists() || st.Get("NotPrincipal").Exists() {
			t.Fatalf("%s: NotAction/NotResource/NotPrincipal are not supported by FakeS3", sid)
		}
		if !slices.ContainsFunc(strs(st.Get("Action")), func(a string) bool { return arnGlob(a).MatchString("s3:PutObject") }) {
			continue
		}
		if p := st.Get("Principal"); !(p.String() == "*" || p.Get("AWS").String() == "*") {
			t.Fatalf("%s: only Principal \"*\" is supported by FakeS3, got %s", sid, p.Raw)
		}
		var resources []string
		for _, r := range strs(st.Get("Resource")) {
			resources = append(resources, resolve(r))
		}
		var keys []string
		var rule *PutDenyRule
		st.Get("Condition").ForEach(func(op, byKey gjson.Result) bool {
			byKey.ForEach(func(k, v gjson.Result) bool {
				keys = append(keys, k.String())
				if op.String() == "StringNotEquals" && strings.HasPrefix(k.String(), "s3:x-amz-") && rule == nil {
					var allowed []string
					for _, a := range strs(v) {
						allowed = append(allowed, resolve(a))
					}
					rule = &PutDenyRule{Sid: sid, Header: strings.TrimPrefix(k.String(), "s3:"), Allowed: allowed, Resources: resources}
				}
				return true
			})
			return true
		})
		switch {
		case len(keys) > 0 && !slices.ContainsFunc(keys, func(k string) bool { return !slices.Contains(transportOnlyKeys, k) }):
			skipped = append(skipped, sid)
		case rule != nil && len(keys) == 1 && slices.Equal(strs(st.Get("Action")), []string{"s3:PutObject"}):
			rules = append(rules, *rule)
		default:
			t.Fatalf("%s: FakeS3 cannot evaluate a PutObject deny with conditions %s", sid, st.Get("Condition").Raw)
		}
	}
	return rules, skipped
}

// StartFakeS3 starts a FakeS3 on 127.0.0.1 holding one empty bucket, with
// versioning on when versioning is true, enforcing rules. It stops when the
// test ends.
func StartFakeS3(t testing.TB, bucket string, versioning bool, rules []PutDenyRule) *FakeS3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	if versioning {
		if err := backend.SetVersioningConfiguration(bucket, gofakes3.VersioningConfiguration{Status: gofakes3.VersioningEnabled}); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &FakeS3{
		URL:     "http://" + ln.Addr().String(),
		Bucket:  bucket,
		Backend: backend,
		rules:   rules,
		inner:   gofakes3.New(backend).Server(),
	}
	f.server = &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 10 * time.Second}
	go f.server.Serve(ln)
	t.Cleanup(func() { f.server.Close() })
	return f
}

// SetGate installs fn, called with each object request (Seq, Status and
// VersionID not yet set) before it is served; it may block to hold the
// request. nil removes it.
func (f *FakeS3) SetGate(fn func(S3Request)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gate = fn
}

// Requests returns a copy of every object request served so far.
func (f *FakeS3) Requests() []S3Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (f *FakeS3) serve(w http.ResponseWriter, r *http.Request) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if key == "" {
		f.inner.ServeHTTP(w, r) // bucket-level request (ListObjects etc.)
		return
	}
	req := S3Request{
		Method:      r.Method,
		Key:         key,
		Query:       r.URL.RawQuery,
		SSE:         r.Header.Get("X-Amz-Server-Side-Encryption"),
		SSEKMSKeyID: r.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"),
		IfNoneMatch: r.Header.Get("If-None-Match"),
	}
	f.mu.Lock()
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		gate(req)
	}
	rec := &statusRecorder{ResponseWriter: w}
	if req.IsPutObject() {
		for _, rule := range f.rules {
			if rule.Denies(bucket, key, r.Header) {
				req.DeniedBy = rule.Sid
				break
			}
		}
	}
	if req.DeniedBy != "" {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		rec.Header().Set("Content-Type", "application/xml")
		rec.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(rec, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::%s:user/fakes3 is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::%s/%s" with an explicit deny in a resource-based policy (%s)</Message><RequestId>FAKES3DENY</RequestId></Error>`,
			f.account, bucket, key, req.DeniedBy)
	} else {
		f.inner.ServeHTTP(rec, r)
	}
	req.Status = rec.status
	if req.Status == 0 {
		req.Status = http.StatusOK // net/http's implicit 200 on an empty body
	}
	req.VersionID = rec.Header().Get("X-Amz-Version-Id")
	f.mu.Lock()
	req.Seq = len(f.requests) + 1
	f.requests = append(f.requests, req)
	f.mu.Unlock()
}

// Object returns the current content of key, and false when the key does
// not exist (or its latest version is a delete marker).
func (f *FakeS3) Object(t testing.TB, key string) ([]byte, bool) {
	t.Helper()
	obj, err := f.Backend.GetObject(f.Bucket, key, nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("fake S3: get %s: %v", key, err)
	}
	defer obj.Contents.Close()
	body, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return body, true
}

// ObjectVersion returns one stored version of key.
func (f *FakeS3) ObjectVersion(t testing.TB, key, versionID string) []byte {
	t.Helper()
	obj, err := f.Backend.GetObjectVersion(f.Bucket, key, gofakes3.VersionID(versionID), nil)
	if err != nil {
		t.Fatalf("fake S3: get %s version %s: %v", key, versionID, err)
	}
	defer obj.Contents.Close()
	body, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// S3BackendSettings returns the S3 backend arguments that point a backend at
// this server and keep it offline: endpoints.s3 (and endpoints.sts = the
// kit's FakeAWS, so allowed_account_ids is checked against a
// GetCallerIdentity that answers account), use_path_style, fake static
// credentials of account and the skip_* flags that would otherwise call AWS.
func (f *FakeS3) S3BackendSettings(aws *stacktest.FakeAWS, account string) map[string]any {
	key, secret := aws.Credentials(account)
	f.mu.Lock()
	f.account = account
	f.mu.Unlock()
	return map[string]any{
		"endpoints":                   map[string]any{"s3": f.URL, "sts": aws.URL},
		"use_path_style":              true,
		"access_key":                  key,
		"secret_key":                  secret,
		"skip_credentials_validation": true,
		"skip_metadata_api_check":     true,
		"skip_region_validation":      true,
	}
}

// BackendCopy writes a copy of stack, whose terraform.backend.s3 is merged
// with settings (S3BackendSettings plus anything a test changes on
// purpose; a nil value removes the argument), into dir/cdk.tf.json (dir is
// created if needed), and returns a Workdir with the kit's environment.
// Everything else in the stack is kept.
func BackendCopy(t testing.TB, tf *stacktest.Terraform, stack stacktest.Stack, dir string, settings map[string]any) *stacktest.Workdir {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(stack.Raw, &doc); err != nil {
		t.Fatalf("stack %s: %v", stack.Name, err)
	}
	tfBlock, _ := doc["terraform"].(map[string]any)
	backends, _ := tfBlock["backend"].(map[string]any)
	backend, _ := backends["s3"].(map[string]any)
	if backend == nil {
		t.Fatalf("stack %s has no terraform.backend.s3", stack.Name)
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if settings[k] == nil {
			delete(backend, k)
		} else {
			backend[k] = settings[k]
		}
	}
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	w, err := tf.NewWorkdir(dir, map[string][]byte{"cdk.tf.json": raw}, stack)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
