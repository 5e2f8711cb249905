package tests

// End-to-end test of the encrypted S3 state backend (issue 8): the real
// Terraform CLI against a real S3 API (gofakes3 v1.2.0 with its in-memory
// backend, in this process, on 127.0.0.1 only) behind fakes3.FakeS3, which
// records every object request and enforces the PutObject deny rules
// derived from the synthesized state bucket policy. About 25 s here:
//
//	go test ./__tests__ -run 'E2E|UseNeverLocksOut|UseLegacyDynamoDB|BackendConfigValidate' -v
//
// The stack's backend block is exactly what statebackend.Use emits; the
// temporary copy only adds endpoints.s3 (the fake) and endpoints.sts (the
// kit's fake STS, stacktest.FakeAWS), use_path_style, fake static credentials,
// skip_credentials_validation, skip_metadata_api_check and
// skip_region_validation. It deliberately does not set
// skip_requesting_account_id, so Use's allowed_account_ids is still checked
// (subtest AllowedAccountIds). The stack needs no provider (a variable,
// terraform_data and outputs), so init installs nothing.
//
// What it proves:
//
//   - ApplyChangeApply: every write of the state object and of its ".tflock"
//     lock object carries x-amz-server-side-encryption: aws:kms and
//     x-amz-server-side-encryption-aws-kms-key-id: <configured key ARN>,
//     so the bucket policy lets Terraform in; the lock PUT is conditional
//     (If-None-Match: *); the lock object is gone after every run; the state
//     holds the applied outputs; the previous state version stays readable.
//   - Contention: two concurrent applies on the same key, 10 times: exactly
//     one wins, the other stops with "Error acquiring the state lock"; the
//     serial grows by exactly one per successful apply. Unaided, the two
//     runs (about 0.3 s each) often do not overlap (without the hold, the
//     very first trial ran them one after the other), so the fake holds the
//     winner's unlock (the DELETE of the lock object) until the other run
//     has tried to take the lock, at most 30 s. Which run wins is decided by
//     the real conditional-PUT race; nothing else is steered.
//   - NoLostOrInterleavedWrites: every state write happened while a lock was
//     held; the state versions have consecutive serials, one lineage and
//     exactly the winners' outputs in order.
//   - Lockout: a backend with encrypt = false, SSE-S3 or another key gets
//     403 AccessDenied from the policy rules on its first write (the lock),
//     as it would on AWS, and changes nothing. TestUseNeverLocksOut shows
//     statebackend.Use cannot emit such a backend from valid input (except
//     a well-formed ARN of another key, which only the policy can catch).
//   - TestUseLegacyDynamoDBLocking checks the DynamoDB lock table case on
//     the JSON only: there is no DynamoDB emulator here.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/internal/fakes3"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	e2eBucket = "e2e-terraform-state"
	// e2eKeyArn is the configured state key: Use gets it as KmsKeyId and
	// the policy's key reference is replaced by it.
	e2eKeyArn = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/0b6f5c8e-3a43-4c1f-9d0e-5c2a7e9f1a11"
	// e2eOtherKeyArn is a well-formed key ARN of another key.
	e2eOtherKeyArn = "arn:aws:kms:" + testRegion + ":" + testAccount + ":key/77777777-7777-4777-8777-777777777777"
	// e2eStateKey is Use's default key for SynthStack's stack "test".
	e2eStateKey = "test/terraform.tfstate"
	e2eLockKey  = e2eStateKey + ".tflock"
	// e2eTrials is the number of contention trials.
	e2eTrials = 10
	// e2eLockHold bounds how long the fake S3 holds the winner's unlock
	// while it waits for the loser's lock attempt.
	e2eLockHold = 30 * time.Second
)

// e2ePolicyRules synthesizes a bootstrap-like stack with the real
// EncryptedStateBackend and derives the fake S3's deny rules from its state
// bucket policy, with the key reference replaced by e2eKeyArn. It also
// reports whether the state bucket is versioned.
func e2ePolicyRules(t *testing.T) (rules []fakes3.PutDenyRule, versioned bool) {
	t.Helper()
	boot := stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		addProvider(stack)
		_, err := statebackend.NewEncryptedStateBackend(stack, "state", &statebackend.EncryptedStateBackendConfig{
			Bucket: e2eBucket, AccountId: testAccount, Region: testRegion,
		})
		require.NoError(t, err)
	})
	// Logical IDs found by content, not construct path.
	bucketID := ""
	for id, b := range boot.Resources("aws_s3_bucket") {
		if b.Get("bucket").String() == e2eBucket {
			bucketID = id
		}
	}
	require.NotEmpty(t, bucketID, "state bucket %s not in the bootstrap stack", e2eBucket)
	keys := boot.Resources("aws_kms_key")
	require.Len(t, keys, 1)
	var keyID string
	for id := range keys {
		keyID = id
	}
	var policy gjson.Result
	for _, p := range boot.Resources("aws_s3_bucket_policy") {
		if p.Get("bucket").String() == "${aws_s3_bucket."+bucketID+".id}" {
			policy = stacktest.JSONDocument(t, p, "policy")
		}
	}
	require.True(t, policy.Exists(), "no aws_s3_bucket_policy on the state bucket")
	for _, v := range boot.Resources("aws_s3_bucket_versioning") {
		if v.Get("bucket").String() == "${aws_s3_bucket."+bucketID+".id}" {
			versioned = v.Get("versioning_configuration.status").String() == "Enabled"
		}
	}
	rules, skipped := fakes3.PutDenyRulesFromPolicy(t, policy, map[string]string{
		"${aws_s3_bucket." + bucketID + ".arn}": "arn:aws:s3:::" + e2eBucket,
		"${aws_kms_key." + keyID + ".arn}":      e2eKeyArn,
	})
	// The only statements left out are about TLS, which loopback HTTP
	// cannot express; every other PutObject deny is enforced.
	for _, sid := range skipped {
		assert.Contains(t, []string{"DenyInsecureTransport", "DenyOutdatedTLS"}, sid)
	}
	headers := map[string][]string{}
	for _, r := range rules {
		headers[r.Header] = append(headers[r.Header], r.Allowed...)
	}
	require.Equal(t, map[string][]string{
		"x-amz-server-side-encryption":                {"aws:kms"},
		"x-amz-server-side-encryption-aws-kms-key-id": {e2eKeyArn},
	}, headers, "the state bucket policy must deny PutObject without SSE-KMS with the state key")
	return rules, versioned
}

// e2eAppStack is the stack under test: the backend from statebackend.Use as
// users get it, and no provider at all (terraform_data, a variable and
// outputs), so init needs no plugin.
func e2eAppStack(t *testing.T) stacktest.Stack {
	t.Helper()
	return stacktest.SynthStack(t, "test", func(stack cdktf.TerraformStack) {
		_, err := statebackend.Use(stack, &statebackend.BackendConfig{
			Bucket:            e2eBucket,
			Region:            testRegion,
			KmsKeyId:          e2eKeyArn,
			AllowedAccountIds: []string{testAccount},
		})
		require.NoError(t, err)
		gen := cdktf.NewTerraformVariable(stack, jsii.String("generation"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
		marker := cdktf.NewDataResource(stack, jsii.String("marker"), &cdktf.DataConfig{
			Input: &map[string]interface{}{"generation": gen.StringValue()},
		})
		cdktf.NewTerraformOutput(stack, jsii.String("generation_output"), &cdktf.TerraformOutputConfig{Value: gen.StringValue()}).
			OverrideLogicalId(jsii.String("generation"))
		cdktf.NewTerraformOutput(stack, jsii.String("marker_output"), &cdktf.TerraformOutputConfig{Value: marker.Output().Lookup(jsii.String("generation"))}).
			OverrideLogicalId(jsii.String("marker"))
	})
}

// e2eState is the part of a state file the test checks.
type e2eState struct {
	Serial  int    `json:"serial"`
	Lineage string `json:"lineage"`
	Outputs map[string]struct {
		Value any `json:"value"`
	} `json:"outputs"`
}

func parseState(t *testing.T, raw []byte) e2eState {
	t.Helper()
	var s e2eState
	require.NoError(t, json.Unmarshal(raw, &s), "state is not JSON: %s", raw)
	return s
}

func (s e2eState) output(name string) string { return fmt.Sprint(s.Outputs[name].Value) }

// currentState reads the state object from the fake S3.
func currentState(t *testing.T, s3 *fakes3.FakeS3) e2eState {
	t.Helper()
	raw, ok := s3.Object(t, e2eStateKey)
	require.True(t, ok, "no state object %s", e2eStateKey)
	return parseState(t, raw)
}

// apply runs terraform apply -auto-approve -input=false (tfexec's defaults,
// with -lock=true and -lock-timeout=0s) with a deadline.
func apply(w *stacktest.Workdir, generation string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return w.TF.Apply(ctx, tfexec.Var("generation="+generation), tfexec.Lock(true), tfexec.LockTimeout("0s"))
}

func initDir(t *testing.T, w *stacktest.Workdir) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, w.TF.Init(ctx, tfexec.Upgrade(false)), "terraform init")
}

// cloneDir copies an initialized working directory (cdk.tf.json and the
// small .terraform directory: no providers), so concurrent runs share one
// init without sharing a directory.
func cloneDir(t *testing.T, tf *stacktest.Terraform, from *stacktest.Workdir, dir string) *stacktest.Workdir {
	t.Helper()
	require.NoError(t, os.CopyFS(dir, os.DirFS(from.Dir)))
	w, err := tf.NewWorkdir(dir, nil)
	require.NoError(t, err)
	return w
}

// requireEncryptedWrites asserts that every PutObject of the state and lock
// objects in reqs carried SSE-KMS with e2eKeyArn and succeeded (or, for a
// lock attempt, got 412), and that there was at least one of each.
func requireEncryptedWrites(t *testing.T, reqs []fakes3.S3Request) {
	t.Helper()
	var statePuts, lockPuts int
	for _, r := range reqs {
		if !r.IsPutObject() || (r.Key != e2eStateKey && r.Key != e2eLockKey) {
			continue
		}
		assert.Equal(t, "aws:kms", r.SSE, "PUT %s #%d: x-amz-server-side-encryption", r.Key, r.Seq)
		assert.Equal(t, e2eKeyArn, r.SSEKMSKeyID, "PUT %s #%d: x-amz-server-side-encryption-aws-kms-key-id", r.Key, r.Seq)
		assert.Empty(t, r.DeniedBy, "PUT %s #%d denied by the policy rules", r.Key, r.Seq)
		if r.Key == e2eLockKey {
			lockPuts++
			assert.Equal(t, "*", r.IfNoneMatch, "lock PUT #%d must be conditional", r.Seq)
			assert.Contains(t, []int{http.StatusOK, http.StatusPreconditionFailed}, r.Status, "lock PUT #%d", r.Seq)
		} else {
			statePuts++
			assert.Equal(t, http.StatusOK, r.Status, "state PUT #%d", r.Seq)
		}
	}
	assert.Positive(t, statePuts, "no state write")
	assert.Positive(t, lockPuts, "no lock write")
}

// requireWritesUnderLock asserts, over the whole request log, that every
// state write happened while a lock acquired by a successful lock PUT was
// held (not yet deleted), i.e. no state write outside a lock.
func requireWritesUnderLock(t *testing.T, reqs []fakes3.S3Request) {
	t.Helper()
	held := false
	for _, r := range reqs {
		switch {
		case r.Key == e2eLockKey && r.IsPutObject() && r.Status == http.StatusOK:
			require.False(t, held, "lock PUT #%d succeeded while the lock was held", r.Seq)
			held = true
		case r.Key == e2eLockKey && r.Method == http.MethodDelete && r.Status < 300:
			held = false
		case r.Key == e2eStateKey && r.IsPutObject() && r.Status == http.StatusOK:
			require.True(t, held, "state PUT #%d without a held lock", r.Seq)
		}
	}
	require.False(t, held, "lock still held at the end")
}

// TestStateBackendE2E runs the real Terraform CLI against the fake S3. See
// the top of this file.
func TestStateBackendE2E(t *testing.T) {
	tf := stacktest.NewTerraform(t) // skips, or fails under CI=true, without terraform
	rules, versioned := e2ePolicyRules(t)
	require.True(t, versioned, "the state bucket must be versioned")
	app := e2eAppStack(t)
	s3 := fakes3.StartFakeS3(t, e2eBucket, versioned, rules)

	root := t.TempDir()
	base := fakes3.BackendCopy(t, tf, app, filepath.Join(root, "base"), s3.S3BackendSettings(tf.AWS, testAccount))
	initDir(t, base)
	// The temporary copy keeps every argument Use emitted and only adds
	// the fake's settings.
	emitted := app.Get("terraform.backend.s3").Map()
	require.Equal(t, true, emitted["use_lockfile"].Value())
	var copied map[string]any
	raw, err := os.ReadFile(filepath.Join(base.Dir, "cdk.tf.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(gjson.GetBytes(raw, "terraform.backend.s3").Raw), &copied))
	for k, v := range emitted {
		assert.Equal(t, v.Value(), copied[k], "backend argument %s changed in the copy", k)
	}
	added := slices.Sorted(maps.Keys(s3.S3BackendSettings(tf.AWS, testAccount)))
	for k := range copied {
		if _, ok := emitted[k]; !ok {
			assert.Contains(t, added, k)
		}
	}

	// history is every successful apply's generation, in order.
	var history []string

	t.Run("ApplyChangeApply", func(t *testing.T) {
		var serials []int
		for _, gen := range []string{"one", "two"} {
			mark := len(s3.Requests())
			require.NoError(t, apply(base, gen))
			history = append(history, gen)
			requireEncryptedWrites(t, s3.Requests()[mark:])
			_, locked := s3.Object(t, e2eLockKey)
			assert.False(t, locked, "lock object left after apply %q", gen)
			st := currentState(t, s3)
			assert.Equal(t, gen, st.output("generation"))
			assert.Equal(t, gen, st.output("marker"), "terraform_data output")
			serials = append(serials, st.Serial)
		}
		assert.Equal(t, serials[0]+1, serials[1], "serial grows by one per apply")
		// The previous state version is still readable (versioned bucket).
		versions := stateVersions(s3.Requests())
		require.GreaterOrEqual(t, len(versions), 2)
		prev := parseState(t, s3.ObjectVersion(t, e2eStateKey, versions[len(versions)-2]))
		assert.Equal(t, "one", prev.output("generation"))
		assert.Equal(t, serials[0], prev.Serial)
	})

	t.Run("Contention", func(t *testing.T) {
		dirs := [2]*stacktest.Workdir{
			cloneDir(t, tf, base, filepath.Join(root, "a")),
			cloneDir(t, tf, base, filepath.Join(root, "b")),
		}
		for trial := range e2eTrials {
			before := currentState(t, s3)
			mark := len(s3.Requests())
			// The fake S3 holds the winner's unlock (DELETE of the lock
			// object) until the other apply has tried to take the lock, so
			// the two runs always overlap while the lock is held. Who wins
			// is decided by the real conditional PUT race.
			s3.SetGate(func(r fakes3.S3Request) {
				if r.Key != e2eLockKey || r.Method != http.MethodDelete {
					return
				}
				for deadline := time.Now().Add(e2eLockHold); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if len(lockAttempts(s3.Requests()[mark:])) >= 2 {
						return
					}
				}
			})
			gens := [2]string{fmt.Sprintf("trial%d-a", trial), fmt.Sprintf("trial%d-b", trial)}
			var errs [2]error
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range dirs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = apply(dirs[i], gens[i])
				}()
			}
			close(start)
			wg.Wait()
			s3.SetGate(nil)

			var winners []int
			for i, err := range errs {
				if err == nil {
					winners = append(winners, i)
				} else {
					assert.Contains(t, err.Error(), "Error acquiring the state lock", "trial %d: apply %s failed otherwise", trial, gens[i])
				}
			}
			require.Len(t, winners, 1, "trial %d: exactly one apply must win (errors: %v)", trial, errs)
			winner := gens[winners[0]]
			history = append(history, winner)

			reqs := s3.Requests()[mark:]
			requireEncryptedWrites(t, reqs)
			attempts := lockAttempts(reqs)
			require.Len(t, attempts, 2, "trial %d: lock attempts", trial)
			assert.ElementsMatch(t, []int{http.StatusOK, http.StatusPreconditionFailed}, []int{attempts[0].Status, attempts[1].Status}, "trial %d", trial)
			_, locked := s3.Object(t, e2eLockKey)
			assert.False(t, locked, "trial %d: lock object left", trial)
			after := currentState(t, s3)
			assert.Equal(t, before.Serial+1, after.Serial, "trial %d: serial", trial)
			assert.Equal(t, before.Lineage, after.Lineage, "trial %d: lineage", trial)
			assert.Equal(t, winner, after.output("generation"), "trial %d", trial)
			assert.Equal(t, winner, after.output("marker"), "trial %d", trial)
		}
	})

	t.Run("NoLostOrInterleavedWrites", func(t *testing.T) {
		reqs := s3.Requests()
		requireWritesUnderLock(t, reqs)
		// Every state version, in write order: consecutive serials, one
		// lineage, and exactly the successful applies' generations in order.
		var gens []string
		var first e2eState
		for i, v := range stateVersions(reqs) {
			st := parseState(t, s3.ObjectVersion(t, e2eStateKey, v))
			if i == 0 {
				first = st
			}
			assert.Equal(t, first.Serial+i, st.Serial, "state version %d", i)
			assert.Equal(t, first.Lineage, st.Lineage, "state version %d", i)
			gens = append(gens, st.output("generation"))
		}
		assert.Equal(t, history, gens)
	})

	t.Run("Lockout", func(t *testing.T) {
		before := currentState(t, s3)
		versions := len(stateVersions(s3.Requests()))
		// Backends the policy must refuse. Use cannot emit any of them from
		// valid input (TestUseNeverLocksOut); the wrong-but-well-formed key
		// is only caught here, by the bucket policy.
		for _, c := range []struct {
			name     string
			change   map[string]any
			deniedBy string
		}{
			{"encrypt=false", map[string]any{"encrypt": false, "kms_key_id": nil}, "DenyUnencryptedObjectUploads"},
			{"SSE-S3 (no kms_key_id)", map[string]any{"kms_key_id": nil}, "DenyUnencryptedObjectUploads"},
			{"another key", map[string]any{"kms_key_id": e2eOtherKeyArn}, "DenyWrongKmsKey"},
		} {
			t.Run(c.name, func(t *testing.T) {
				settings := s3.S3BackendSettings(tf.AWS, testAccount)
				maps.Copy(settings, c.change)
				w := fakes3.BackendCopy(t, tf, app, t.TempDir(), settings)
				initDir(t, w)
				mark := len(s3.Requests())
				err := apply(w, "lockout")
				require.Error(t, err, "the policy rules must refuse this backend")
				assert.Contains(t, err.Error(), "StatusCode: 403")
				assert.Contains(t, err.Error(), "AccessDenied")
				t.Logf("terraform: %v", err)
				var denied []string
				for _, r := range s3.Requests()[mark:] {
					if r.IsPutObject() {
						denied = append(denied, r.DeniedBy)
						assert.Equal(t, http.StatusForbidden, r.Status, "PUT %s #%d", r.Key, r.Seq)
					}
				}
				require.NotEmpty(t, denied, "no write attempt")
				assert.Equal(t, c.deniedBy, denied[0])
			})
		}
		// Nothing got through: same state, same versions, no lock left.
		assert.Equal(t, before, currentState(t, s3))
		assert.Len(t, stateVersions(s3.Requests()), versions)
		_, locked := s3.Object(t, e2eLockKey)
		assert.False(t, locked, "lock object left by a refused apply")
	})

	// The copy sets no skip_requesting_account_id: the backend asks the
	// kit's fake STS (endpoints.sts) for the caller's account and
	// checks Use's allowed_account_ids, as it would on AWS. Proof: with
	// another account allowed, Terraform refuses before touching S3.
	t.Run("AllowedAccountIds", func(t *testing.T) {
		settings := s3.S3BackendSettings(tf.AWS, testAccount)
		settings["allowed_account_ids"] = []string{"210987654321"}
		w := fakes3.BackendCopy(t, tf, app, t.TempDir(), settings)
		mark := len(s3.Requests())
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		err := w.TF.Init(ctx, tfexec.Upgrade(false))
		require.Error(t, err)
		t.Logf("terraform: %v", err)
		assert.Contains(t, err.Error(), "AWS account ID not allowed: "+testAccount)
		assert.Empty(t, s3.Requests()[mark:], "no object request after a refused account")
	})
}

// stateVersions returns the version IDs of the successful state writes in
// reqs, in write order.
func stateVersions(reqs []fakes3.S3Request) []string {
	var out []string
	for _, r := range reqs {
		if r.Key == e2eStateKey && r.IsPutObject() && r.Status == http.StatusOK {
			out = append(out, r.VersionID)
		}
	}
	return out
}

// lockAttempts returns the lock PUTs in reqs.
func lockAttempts(reqs []fakes3.S3Request) []fakes3.S3Request {
	var out []fakes3.S3Request
	for _, r := range reqs {
		if r.Key == e2eLockKey && r.IsPutObject() {
			out = append(out, r)
		}
	}
	return out
}

// e2eKeyArnRe is the key ARN format the state bucket policy can match: a
// full KMS key ARN (not an alias, not a bare key ID).
var e2eKeyArnRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

// safeBackend is the oracle for TestUseNeverLocksOut and
// FuzzBackendConfigValidate: a config Use may accept names a key ARN in the
// format above, in cfg.Region and, with AllowedAccountIds, in one of them.
func safeBackend(cfg statebackend.BackendConfig) bool {
	m := e2eKeyArnRe.FindStringSubmatch(cfg.KmsKeyId)
	return m != nil && m[2] == cfg.Region && (len(cfg.AllowedAccountIds) == 0 || slices.Contains(cfg.AllowedAccountIds, m[3]))
}

// useInputs crosses well-formed and malformed key IDs, regions and allowed
// account lists.
func useInputs() []statebackend.BackendConfig {
	const uuid = "0b6f5c8e-3a43-4c1f-9d0e-5c2a7e9f1a11"
	keys := []string{
		e2eKeyArn,
		"arn:aws:kms:us-east-1:" + testAccount + ":key/mrk-0123456789abcdef0123456789abcdef",
		"arn:aws-us-gov:kms:us-gov-west-1:" + testAccount + ":key/" + uuid,
		"arn:aws:kms:eu-west-1:" + testAccount + ":key/" + uuid,
		"arn:aws:kms:us-east-1:210987654321:key/" + uuid,
		"arn:aws:kms:us-east-1:" + testAccount + ":alias/state",
		"alias/state",
		"alias/aws/s3",
		uuid,
		"mrk-0123456789abcdef0123456789abcdef",
		"",
		"arn:aws:kms:us-east-1:" + testAccount + ":key/" + strings.ToUpper(uuid),
		" " + e2eKeyArn,
		e2eKeyArn + "\n",
		"arn:aws:kms:us-east-1:12345678901:key/" + uuid,
		"arn:aws:kms:us-east-1:" + testAccount + ":key/",
		"arn:aws:s3:::" + e2eBucket,
		"arn:aws:kms:us-east-1:" + testAccount + ":key/" + uuid + "/extra",
	}
	regions := []string{testRegion, "us-east-1", "us-gov-west-1", "eu-west-1", ""}
	allowed := [][]string{nil, {testAccount}, {"210987654321"}}
	var out []statebackend.BackendConfig
	for _, k := range keys {
		for _, r := range regions {
			for _, a := range allowed {
				out = append(out, statebackend.BackendConfig{Bucket: e2eBucket, Region: r, KmsKeyId: k, AllowedAccountIds: a})
			}
		}
	}
	// Legacy DynamoDB locking and the other options do not change encryption.
	return append(out,
		statebackend.BackendConfig{Bucket: e2eBucket, Region: testRegion, KmsKeyId: e2eKeyArn, DynamodbTable: "e2e-terraform-lock"},
		statebackend.BackendConfig{Bucket: e2eBucket, Region: testRegion, KmsKeyId: e2eKeyArn, Key: "a/b.tfstate", WorkspaceKeyPrefix: "ws",
			AssumeRole: &statebackend.AssumeRole{RoleArn: "arn:aws:iam::" + testAccount + ":role/terraform"}},
		statebackend.BackendConfig{Bucket: "Not_A_Bucket", Region: testRegion, KmsKeyId: e2eKeyArn},
	)
}

type useResult struct {
	cfg     statebackend.BackendConfig
	err     error
	backend gjson.Result // terraform.backend of the stack
}

// useAll calls statebackend.Use on one fresh stack per input and
// synthesizes them all in one app, once per test binary (one synth for
// TestUseNeverLocksOut and TestUseLegacyDynamoDBLocking).
var useAll = stacktest.Memo(func(t testing.TB) []useResult {
	inputs := useInputs()
	results := make([]useResult, len(inputs))
	app := stacktest.SynthApp(t, func(app constructs.Construct) error {
		for i, cfg := range inputs {
			stack := cdktf.NewTerraformStack(app, jsii.String(fmt.Sprintf("use-%03d", i)))
			_, err := statebackend.Use(stack, &cfg)
			results[i] = useResult{cfg: cfg, err: err}
		}
		return nil
	})
	for i := range results {
		results[i].backend = app.Stacks[fmt.Sprintf("use-%03d", i)].Get("terraform.backend")
	}
	return results
})

// TestUseNeverLocksOut: for every input, statebackend.Use either rejects
// it with a *validate.Error and adds no backend, or emits encrypt = true
// and kms_key_id = the input key ARN (a full key ARN in the backend's
// region), which is what the state bucket policy lets in. So Use cannot
// produce the encrypt = false, SSE-S3, alias or bare-key-ID backends that
// TestStateBackendE2E/Lockout shows get 403. (A well-formed ARN of another
// key is not detectable by Use; that case is caught by the bucket policy,
// as Lockout/another_key shows.)
func TestUseNeverLocksOut(t *testing.T) {
	accepted := 0
	for _, r := range useAll(t) {
		name := fmt.Sprintf("%+v", r.cfg)
		if r.err != nil {
			var verr *validate.Error
			assert.ErrorAs(t, r.err, &verr, name)
			// cdktf's default local backend, not an S3 one.
			assert.False(t, r.backend.Get("s3").Exists(), "%s: a rejected config must add no backend: %s", name, r.backend.Raw)
			continue
		}
		accepted++
		assert.True(t, safeBackend(r.cfg), "%s: Use accepted a key that is not a key ARN in the backend's region and allowed account", name)
		s3 := r.backend.Get("s3")
		assert.Equal(t, []string{"s3"}, slices.Collect(maps.Keys(r.backend.Map())), name)
		assert.Equal(t, true, s3.Get("encrypt").Value(), "%s: encrypt", name)
		assert.Equal(t, r.cfg.KmsKeyId, s3.Get("kms_key_id").String(), "%s: kms_key_id", name)
		assert.Regexp(t, e2eKeyArnRe, s3.Get("kms_key_id").String(), name)
		assert.Equal(t, true, s3.Get("use_lockfile").Value(), "%s: use_lockfile", name)
		assert.False(t, s3.Get("sse_customer_key").Exists(), name)
	}
	// Not vacuous: the well-formed inputs were accepted.
	t.Logf("Use accepted %d of %d inputs", accepted, len(useAll(t)))
	assert.GreaterOrEqual(t, accepted, 8)
}

// TestUseLegacyDynamoDBLocking: with DynamodbTable the backend keeps the S3
// lock file (use_lockfile) and adds dynamodb_table, so Terraform < 1.10
// (DynamoDB only) and >= 1.10 (both) exclude each other. This is checked on
// the JSON only: there is no DynamoDB emulator here, so TestStateBackendE2E
// cannot exercise the table.
func TestUseLegacyDynamoDBLocking(t *testing.T) {
	var found bool
	for _, r := range useAll(t) {
		if r.cfg.DynamodbTable == "" || r.err != nil {
			assert.False(t, r.backend.Get("s3.dynamodb_table").Exists())
			continue
		}
		found = true
		s3 := r.backend.Get("s3")
		assert.Equal(t, "e2e-terraform-lock", s3.Get("dynamodb_table").String())
		assert.Equal(t, true, s3.Get("use_lockfile").Value())
		assert.Equal(t, true, s3.Get("encrypt").Value())
		assert.Equal(t, e2eKeyArn, s3.Get("kms_key_id").String())
	}
	assert.True(t, found, "no DynamodbTable input")
}

// FuzzBackendConfigValidate checks, without jsii, that any config
// BackendConfig.Validate (Use's check) accepts is safeBackend. go test runs
// the seeds (and TestBackendConfigValidateMutations a fixed-seed random
// search); real fuzzing works too but first builds the provider bindings
// with coverage instrumentation, which takes many minutes:
//
//	go test ./__tests__ -run '^$' -fuzz FuzzBackendConfigValidate -fuzztime 60s
func FuzzBackendConfigValidate(f *testing.F) {
	for _, c := range useInputs() {
		f.Add(c.Region, c.KmsKeyId, strings.Join(c.AllowedAccountIds, ","))
	}
	f.Fuzz(func(t *testing.T, region, key, allowed string) {
		cfg := statebackend.BackendConfig{Bucket: e2eBucket, Region: region, KmsKeyId: key}
		if allowed != "" {
			cfg.AllowedAccountIds = strings.Split(allowed, ",")
		}
		err := cfg.Validate("test")
		if err == nil && !safeBackend(cfg) {
			t.Fatalf("Validate accepted %+v", cfg)
		}
		var verr *validate.Error
		if err != nil && !errors.As(err, &verr) {
			t.Fatalf("Validate returned %T, want *validate.Error", err)
		}
	})
}

// TestBackendConfigValidateMutations is a bounded, reproducible random
// search (fixed seed, 20000 cases, no jsii) over mutations of a valid key
// ARN and region: whatever Validate accepts must be safeBackend.
func TestBackendConfigValidateMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2026))
	const alphabet = "arnwsuf-kmeyiol:/0123456789abcdefABCDEF. *\n"
	mutate := func(s string) string {
		b := []byte(s)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b) + 1)
			c := alphabet[rng.IntN(len(alphabet))]
			switch rng.IntN(3) {
			case 0: // insert
				b = slices.Insert(b, i, c)
			case 1: // replace
				if i < len(b) {
					b[i] = c
				}
			default: // delete
				if i < len(b) {
					b = slices.Delete(b, i, i+1)
				}
			}
		}
		return string(b)
	}
	accepted := 0
	for i := range 20000 {
		cfg := statebackend.BackendConfig{Bucket: e2eBucket, Region: testRegion, KmsKeyId: mutate(e2eKeyArn)}
		if i%4 == 0 {
			cfg.Region = mutate(cfg.Region)
		}
		if i%3 == 0 {
			cfg.AllowedAccountIds = []string{testAccount}
		}
		if err := cfg.Validate("test"); err == nil {
			accepted++
			require.True(t, safeBackend(cfg), "Validate accepted %+v", cfg)
		}
	}
	t.Logf("Validate accepted %d of 20000 mutated configs", accepted)
	require.Positive(t, accepted)
}
