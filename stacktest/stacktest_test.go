package stacktest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The kit's own tests deploy nowhere; these are the account and region of
// their stacks (not the reference app's). TestFakeAWSAnswersEachProvider
// covers a second account, partition and region.
const (
	testAccount = "111122223333"
	testRegion  = "eu-west-1"
	// awsVersion is the hashicorp/aws constraint of the kit's test stacks
	// (the bindings pin an exact version an offline mirror may not have).
	awsVersion = "~> 5.99"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// Examples cannot skip: leave out the ones that need a missing tool
	// (CI=true keeps them, so that they fail there).
	var skip []string
	if _, err := TerraformPath(); err != nil && !CI() {
		skip = append(skip, "ExamplePlanStacksE", "ExampleScanE")
		skips = append(skips, skipRecord{"ExamplePlanStacksE, ExampleScanE", "terraform", err.Error()})
	} else if _, err := TrivyPath(); err != nil && !CI() {
		skip = append(skip, "ExampleScanE")
		skips = append(skips, skipRecord{"ExampleScanE", "trivy", err.Error()})
	}
	if len(skip) > 0 {
		cur := flag.Lookup("test.skip").Value.String()
		if cur != "" {
			skip = append(skip, cur)
		}
		flag.Set("test.skip", "^("+strings.Join(skip, "|")+")$")
	}
	os.Exit(Main(m))
}

// addProvider adds the default aws provider for region that allows only
// account.
func addProvider(stack cdktf.TerraformStack, account, region string) provider.AwsProvider {
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(region),
		AllowedAccountIds: jsii.Strings(account),
	})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(awsVersion))
	return p
}

// kitStacks are the stacks this package plans, in one synth:
//
//   - "identity-one" and "identity-two", whose providers allow different
//     accounts, in different partitions and regions (identity-two has only
//     an aliased provider), each reporting what the fake AWS answered as
//     outputs;
//   - "hcl-plan", the stack of TestToHCLPlansLikeJSON;
//   - then the stacks of SharedTestApps (the examples').
var kitStacks = Memo(func(t testing.TB) []Stack {
	app := SynthApp(t, func(app constructs.Construct) error {
		one := cdktf.NewTerraformStack(app, jsii.String("identity-one"))
		addProvider(one, testAccount, testRegion)
		id := dataawscalleridentity.NewDataAwsCallerIdentity(one, jsii.String("id"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
		azs := dataawsavailabilityzones.NewDataAwsAvailabilityZones(one, jsii.String("azs"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{})
		cdktf.NewTerraformOutput(one, jsii.String("account"), &cdktf.TerraformOutputConfig{Value: id.AccountId()})
		cdktf.NewTerraformOutput(one, jsii.String("arn"), &cdktf.TerraformOutputConfig{Value: id.Arn()})
		cdktf.NewTerraformOutput(one, jsii.String("az"), &cdktf.TerraformOutputConfig{Value: cdktf.Fn_Element(azs.Names(), jsii.Number(0))})
		s3bucket.NewS3Bucket(one, jsii.String("bucket"), &s3bucket.S3BucketConfig{Bucket: jsii.String("stacktest-identity-one")})

		two := cdktf.NewTerraformStack(app, jsii.String("identity-two"))
		gov := provider.NewAwsProvider(two, jsii.String("gov"), &provider.AwsProviderConfig{
			Alias: jsii.String("gov"), Region: jsii.String("us-gov-west-1"), AllowedAccountIds: jsii.Strings("444455556666"),
		})
		two.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(awsVersion))
		govID := dataawscalleridentity.NewDataAwsCallerIdentity(two, jsii.String("id"), &dataawscalleridentity.DataAwsCallerIdentityConfig{Provider: gov})
		govAzs := dataawsavailabilityzones.NewDataAwsAvailabilityZones(two, jsii.String("azs"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{Provider: gov})
		cdktf.NewTerraformOutput(two, jsii.String("account"), &cdktf.TerraformOutputConfig{Value: govID.AccountId()})
		cdktf.NewTerraformOutput(two, jsii.String("arn"), &cdktf.TerraformOutputConfig{Value: govID.Arn()})
		cdktf.NewTerraformOutput(two, jsii.String("az"), &cdktf.TerraformOutputConfig{Value: cdktf.Fn_Element(govAzs.Names(), jsii.Number(0))})
		cdktf.NewTerraformOutput(two, jsii.String("secret"), &cdktf.TerraformOutputConfig{Value: jsii.String("not shown"), Sensitive: jsii.Bool(true)})
		q := sqsqueue.NewSqsQueue(two, jsii.String("queue"), &sqsqueue.SqsQueueConfig{Provider: gov, Name: jsii.String("stacktest-identity-two"), SqsManagedSseEnabled: jsii.Bool(true)})
		cdktf.NewTerraformOutput(two, jsii.String("queue_name"), &cdktf.TerraformOutputConfig{Value: q.Name()})

		defineHCLPlanStack(cdktf.NewTerraformStack(app, jsii.String("hcl-plan")))
		return nil
	})
	out := []Stack{app.Stack(t, "identity-one"), app.Stack(t, "identity-two"), app.Stack(t, "hcl-plan")}
	for _, define := range SharedTestApps {
		out = append(out, SynthApp(t, define).All()...)
	}
	return out
})

// kitPlans is the one shared Terraform run of kitStacks.
var kitPlans = Memo(func(t testing.TB) []*Plan {
	return PlanStacks(t, kitStacks(t)...)
})

// TestFakeAWSAnswersEachProvider plans stacks in one Terraform run and checks
// that every provider block got the account it allows and zones of its own
// region, in its own partition, and that the shared run's plans read like
// plans of each stack alone (TestToHCLPlansLikeJSON compares one with a
// plan made alone).
func TestFakeAWSAnswersEachProvider(t *testing.T) {
	stacks := kitStacks(t)
	plans := kitPlans(t)
	require.GreaterOrEqual(t, len(plans), 3)
	one, two := plans[0], plans[1]
	require.Equal(t, "identity-one", one.Stack)
	require.Equal(t, "identity-two", two.Stack)
	after := func(p *Plan, name string) any {
		t.Helper()
		oc := p.OutputChanges[name]
		require.NotNil(t, oc, "output %s of %s (outputs: %v)", name, p.Stack, p.OutputChanges)
		return oc.After
	}
	assert.Equal(t, testAccount, after(one, "account"))
	assert.Equal(t, "arn:aws:iam::"+testAccount+":user/stacktest", after(one, "arn"))
	assert.Equal(t, testRegion+"a", after(one, "az"))
	assert.Equal(t, "444455556666", after(two, "account"))
	assert.Equal(t, "arn:aws-us-gov:iam::444455556666:user/stacktest", after(two, "arn"))
	assert.Equal(t, "us-gov-west-1a", after(two, "az"))
	assert.True(t, two.OutputChanges["secret"].AfterSensitive == true, "sensitive output stays sensitive")

	// Addresses, values and configuration as in a plan of the stack alone.
	assert.Equal(t, []string{stacks[0].Ref(t, "aws_s3_bucket", "bucket")}, one.Addresses(tfjson.ActionCreate))
	queue := stacks[1].Ref(t, "aws_sqs_queue", "queue")
	assert.Equal(t, []string{queue}, two.Addresses(tfjson.ActionCreate))
	one.RequireNoDestroy(t)
	two.RequireOnly(t, tfjson.ActionCreate)
	assert.Equal(t, "stacktest-identity-two", two.After(t, queue)["name"])
	assert.Equal(t, true, two.AfterUnknown(queue)["arn"])
	assert.Equal(t, "stacktest-identity-two", two.PlannedValues.Outputs["queue_name"].Value)
	require.NotNil(t, two.Config.RootModule)
	assert.Len(t, two.Config.RootModule.Resources, 3, "configuration of the stack: the queue and the data sources")
	for _, r := range two.Config.RootModule.Resources {
		assert.Equal(t, "aws.gov", r.ProviderConfigKey, r.Address)
	}
	assert.Contains(t, two.Config.ProviderConfigs, "aws.gov")
	require.NotNil(t, two.PlannedValues.RootModule)
	require.Len(t, two.PlannedValues.RootModule.Resources, 1)
	assert.Equal(t, queue, two.PlannedValues.RootModule.Resources[0].Address)

	// Planning again is free: same plans from the cache.
	again := PlanStacks(t, stacks[1])
	cached, created := planCache.claim([]string{planKey(stacks[1])})
	require.Empty(t, created, "the plan is in the cache")
	plan, err := cached[0].wait()
	require.NoError(t, err)
	assert.Same(t, plan.Plan, again[0].Plan)
}

// TestFakeAWSForbiddenAccounts: a provider block that only forbids
// accounts gets credentials of an account it does not forbid, and the fake
// STS answers with that account.
func TestFakeAWSForbiddenAccounts(t *testing.T) {
	assert.Equal(t, "210987654321", AccountFor([]string{"${var.account}", "210987654321"}, nil))
	assert.Equal(t, FakeAccountID, AccountFor(nil, []string{"210987654321"}))
	tf := NewTerraform(t)
	for _, forbidden := range [][]any{{FakeAccountID}, {FakeAccountID, "999999999998"}} {
		p := map[string]any{"region": "ap-southeast-2", "forbidden_account_ids": forbidden, "profile": "prod",
			"endpoints": []any{map[string]any{"sts": "https://sts.example.com", "s3": "https://s3.example.com"}}}
		tf.offlineProvider(p)
		assert.NotContains(t, p, "profile", "no user profile")
		assert.Equal(t, []any{map[string]any{"s3": "https://s3.example.com"}}, p["endpoints"], "the faked services' endpoints come from the environment")
		req, err := http.NewRequest(http.MethodPost, tf.AWS.URL, strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+p["access_key"].(string)+"/20260101/ap-southeast-2/sts/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		account := regexp.MustCompile(`<Account>(\d{12})</Account>`).FindStringSubmatch(string(body))
		require.Len(t, account, 2, "%s", body)
		for _, f := range forbidden {
			assert.NotEqual(t, f, account[1])
		}
	}
}

// TestPlanRefusesAnotherAccount: allowed_account_ids is really checked, so a
// stack whose provider allows an account its credentials do not have fails.
func TestPlanRefusesAnotherAccount(t *testing.T) {
	s := SynthStack(t, "refused", func(stack cdktf.TerraformStack) {
		addProvider(stack, testAccount, testRegion)
		s3bucket.NewS3Bucket(stack, jsii.String("bucket"), &s3bucket.S3BucketConfig{Bucket: jsii.String("stacktest-refused")})
	})
	tf := NewTerraform(t)
	t.Parallel() // synthesized above; only Terraform from here on
	doc, err := tf.offlineDoc(s)
	require.NoError(t, err)
	// Credentials of another account than the one the provider allows.
	key, secret := tf.AWS.Credentials("210987654321")
	p := doc["provider"].(map[string]any)["aws"].([]any)[0].(map[string]any)
	p["access_key"], p["secret_key"] = key, secret
	dir, err := tf.TempDir("refused-")
	require.NoError(t, err)
	setLocalBackend(doc, filepath.Join(dir, "terraform.tfstate"))
	w, err := tf.NewWorkdir(dir, map[string][]byte{"cdk.tf.json": mustJSON(doc)}, s)
	require.NoError(t, err)
	_, err = w.planAndShow(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AWS account ID not allowed: 210987654321")
}

// TestInitLinksProviders: with the kit's lock file, terraform init links
// the provider instead of installing it again: straight from the mirror
// when the mirror holds it unpacked (this machine's case when
// DefaultPluginMirror exists), else from the shared plugin cache.
func TestInitLinksProviders(t *testing.T) {
	tf := NewTerraform(t)
	s := kitStacks(t)[1]
	t.Parallel() // synthesized above; only Terraform from here on
	dir, err := tf.TempDir("init-")
	require.NoError(t, err)
	w, err := tf.NewWorkdir(dir, map[string][]byte{"cdk.tf.json": s.Raw}, s)
	require.NoError(t, err)
	linked, err := w.InitE(context.Background())
	require.NoError(t, err)
	assert.True(t, linked, "init must link the provider, not install it")
	matches, err := filepath.Glob(filepath.Join(dir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", "*", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, matches)
	root := tf.PluginCacheDir
	if tf.Mirror != "" {
		_, err := os.Stat(filepath.Join(tf.Mirror, strings.TrimPrefix(matches[0], filepath.Join(dir, ".terraform", "providers"))))
		if err == nil {
			root = tf.Mirror
		}
	}
	for _, m := range matches {
		fi, err := os.Lstat(m)
		require.NoError(t, err)
		assert.True(t, fi.Mode()&os.ModeSymlink != 0, "%s must be a link, not a copy", m)
		target, err := os.Readlink(m)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(target, root), "%s -> %s, want a link into %s", m, target, root)
	}
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	require.NoError(t, err)
	assert.NotContains(t, string(lock), "hashes", "the checksums leave the workdir's lock file after init")
	assert.Contains(t, string(lock), `version     = "`, "the locked version stays")
}

// TestGoldenIsPathIndependent: cdktf's default local backend path is
// absolute (the working directory); the golden form makes it relative.
func TestGoldenIsPathIndependent(t *testing.T) {
	s := SynthStack(t, "golden", func(stack cdktf.TerraformStack) {
		addProvider(stack, testAccount, testRegion)
	})
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.Equal(t, filepath.Join(wd, "terraform.golden.tfstate"), s.Get("terraform.backend.local.path").String(), "cdktf's default")
	g := Golden(s)
	assert.NotContains(t, string(g), wd)
	assert.Contains(t, string(g), `"path": "terraform.golden.tfstate"`)

	dir := t.TempDir()
	require.NoError(t, CheckSnapshotE(dir, s, true))
	require.NoError(t, CheckSnapshotE(dir, s, false))
	changed := s
	changed.Name = "golden"
	changed.Raw = []byte(strings.Replace(string(s.Raw), testRegion, "eu-north-1", 1))
	err = CheckSnapshotE(dir, changed, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `-        "region": "`+testRegion+`"`)
	assert.Contains(t, err.Error(), `+        "region": "eu-north-1"`)

	// A golden file without a stack is stale.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "gone.tf.json"), []byte("{}"), 0o644))
	stale, err := staleSnapshots(dir, &App{Stacks: map[string]Stack{"golden": s}})
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "gone.tf.json")}, stale)
}

func TestQueries(t *testing.T) {
	s := kitStacks(t)[1]
	assert.Equal(t, "aws_sqs_queue.queue", s.Ref(t, "aws_sqs_queue", "queue"))
	_, err := s.FindRef("aws_sqs_queue", "nope")
	assert.ErrorContains(t, err, `want exactly one aws_sqs_queue at construct path "nope", found 0 among ["queue"]`)
	assert.Equal(t, "data.aws_caller_identity.id", s.DataRef(t, "aws_caller_identity", "id"))
	assert.Equal(t, "id", s.Path(s.DataSource(t, "aws_caller_identity", "id")))
	assert.True(t, s.Output(t, "secret").Get("sensitive").Bool())
	_, err = s.FindVariable("nope")
	assert.ErrorContains(t, err, `no variable "nope"`)
	_, err = ParseJSONDocument(s.Resource(t, "aws_sqs_queue", "queue"), "name")
	assert.Error(t, err, "a name is not a JSON document")
}

func TestMemoFailsEveryCaller(t *testing.T) {
	calls := 0
	m := Memo(func(t testing.TB) int { calls++; return 42 })
	assert.Equal(t, 42, m(t))
	assert.Equal(t, 42, m(t))
	assert.Equal(t, 1, calls)
}

// TestValidateStacks validates two stacks in one Terraform run: an error in
// one is reported with that stack's directory, the other's name is absent.
func TestValidateStacks(t *testing.T) {
	NewTerraform(t)
	good := kitStacks(t)[0]
	bad := SynthStack(t, "broken", func(stack cdktf.TerraformStack) {
		addProvider(stack, testAccount, testRegion)
		b := s3bucket.NewS3Bucket(stack, jsii.String("bucket"), &s3bucket.S3BucketConfig{Bucket: jsii.String("stacktest-broken")})
		b.AddOverride(jsii.String("no_such_argument"), jsii.Bool(true))
	})
	t.Parallel() // synthesized above; only Terraform from here on
	err := ValidateStacksE(good, bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no_such_argument")
	assert.Contains(t, err.Error(), "broken/cdk.tf.json")
	assert.NotContains(t, err.Error(), good.Name)
}

// TestUnpackedInMirror: InitE links from the mirror only when the mirror
// holds every locked provider unpacked, at the locked version, for this
// platform.
func TestUnpackedInMirror(t *testing.T) {
	mirror := t.TempDir()
	platform := runtime.GOOS + "_" + runtime.GOARCH
	require.NoError(t, os.MkdirAll(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws", "5.100.0", platform), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "random"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "random", "terraform-provider-random_3.6.0_"+platform+".zip"), nil, 0o644))
	lock := func(blocks ...string) []byte {
		var b strings.Builder
		for _, blk := range blocks {
			src, version, _ := strings.Cut(blk, "@")
			fmt.Fprintf(&b, "provider %q {\n  version     = %q\n  constraints = \"~> 5.0\"\n  hashes = [\n    \"h1:abc=\",\n  ]\n}\n\n", src, version)
		}
		return []byte(b.String())
	}
	tf := &Terraform{Mirror: mirror, mirrorCLIConfig: filepath.Join(mirror, "x.rc")}
	assert.True(t, tf.unpackedInMirror(lock("registry.terraform.io/hashicorp/aws@5.100.0")))
	for name, l := range map[string][]byte{
		"another version":               lock("registry.terraform.io/hashicorp/aws@5.99.0"),
		"packed only":                   lock("registry.terraform.io/hashicorp/random@3.6.0"),
		"one of two missing":            lock("registry.terraform.io/hashicorp/aws@5.100.0", "registry.terraform.io/hashicorp/random@3.6.0"),
		"not installed from the mirror": lock("registry.terraform.io/integrations/github@6.0.0"),
		"no providers":                  nil,
	} {
		assert.False(t, tf.unpackedInMirror(l), name)
	}
	assert.False(t, (&Terraform{}).unpackedInMirror(lock("registry.terraform.io/hashicorp/aws@5.100.0")), "no mirror")

	out, err := lockWithoutChecksums(lock("registry.terraform.io/hashicorp/aws@5.100.0"), "lock")
	require.NoError(t, err)
	assert.NotContains(t, string(out), "hashes")
	assert.Contains(t, string(out), `version     = "5.100.0"`)
}

// TestTestingApp: the app's output directory is inside the test's own
// temporary directory (not a cdktf.outdir.* directory in the system one), it
// keeps cdktf's test settings, and it synthesizes there.
func TestTestingApp(t *testing.T) {
	app := TestingApp(t)
	outdir := *app.Outdir()
	root := filepath.Dir(t.TempDir()) // the test's temporary root, removed when it ends
	rel, err := filepath.Rel(root, outdir)
	require.NoError(t, err)
	require.False(t, strings.HasPrefix(rel, ".."), "outdir %s is under %s", outdir, root)
	assert.NotContains(t, filepath.Base(outdir), "cdktf.outdir")
	assert.Equal(t, "stubbed", app.Node().TryGetContext(jsii.String("cdktfVersion")), "Testing_App's stub version")

	stack := cdktf.NewTerraformStack(app, jsii.String("testing-app"))
	addProvider(stack, testAccount, testRegion)
	sqsqueue.NewSqsQueue(stack, jsii.String("queue"), &sqsqueue.SqsQueueConfig{Name: jsii.String("testing-app")})
	app.Synth()
	raw, err := os.ReadFile(filepath.Join(outdir, "stacks", "testing-app", "cdk.tf.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"testing-app"`)
}
