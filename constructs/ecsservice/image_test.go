package ecsservice_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

var hex64 = strings.Repeat("0f", 32)

// ParseImage reads references with the Docker grammar: registry, ECR
// account/region/partition (China, GovCloud, FIPS and dual-stack hosts),
// tag and digest.
func TestParseImage(t *testing.T) {
	for image, want := range map[string]ecsservice.ImageRef{
		"nginx:1.27":                                {Registry: "docker.io", Repository: "library/nginx", Tag: "1.27"},
		"nginx@sha256:" + hex64:                     {Registry: "docker.io", Repository: "library/nginx", Digest: "sha256:" + hex64},
		"nginx:1.27@sha256:" + hex64:                {Registry: "docker.io", Repository: "library/nginx", Tag: "1.27", Digest: "sha256:" + hex64},
		"nginx:latest@sha256:" + hex64:              {Registry: "docker.io", Repository: "library/nginx", Tag: "latest", Digest: "sha256:" + hex64},
		"ghcr.io/org/app:v2":                        {Registry: "ghcr.io", Repository: "org/app", Tag: "v2"},
		"quay.io/org/app:v2":                        {Registry: "quay.io", Repository: "org/app", Tag: "v2"},
		"public.ecr.aws/docker/library/python:3.12": {Registry: "public.ecr.aws", Repository: "docker/library/python", Tag: "3.12"},
		"registry.example.com:443/a/b:1":            {Registry: "registry.example.com:443", Repository: "a/b", Tag: "1"},
		acct + ".dkr.ecr.eu-west-1.amazonaws.com/portal:1.4.2": {Registry: acct + ".dkr.ecr.eu-west-1.amazonaws.com", Repository: "portal", Tag: "1.4.2",
			EcrAccount: acct, EcrRegion: "eu-west-1", EcrPartition: "aws"},
		acct + ".dkr.ecr.cn-north-1.amazonaws.com.cn/team/portal:1": {Registry: acct + ".dkr.ecr.cn-north-1.amazonaws.com.cn", Repository: "team/portal", Tag: "1",
			EcrAccount: acct, EcrRegion: "cn-north-1", EcrPartition: "aws-cn"},
		acct + ".dkr.ecr-fips.us-gov-west-1.amazonaws.com/portal:1": {Registry: acct + ".dkr.ecr-fips.us-gov-west-1.amazonaws.com", Repository: "portal", Tag: "1",
			EcrAccount: acct, EcrRegion: "us-gov-west-1", EcrPartition: "aws-us-gov"},
		acct + ".dkr-ecr.eu-west-1.on.aws/portal:1": {Registry: acct + ".dkr-ecr.eu-west-1.on.aws", Repository: "portal", Tag: "1",
			EcrAccount: acct, EcrRegion: "eu-west-1", EcrPartition: "aws"},
	} {
		got, err := ecsservice.ParseImage(image)
		require.NoError(t, err, image)
		assert.Equal(t, want, got, image)
	}
	ref, _ := ecsservice.ParseImage(acct + ".dkr.ecr.cn-north-1.amazonaws.com.cn/team/portal:1")
	assert.Equal(t, "arn:aws-cn:ecr:cn-north-1:"+acct+":repository/team/portal", ref.EcrRepositoryArn())
	ref, _ = ecsservice.ParseImage("nginx:1.27")
	assert.Empty(t, ref.EcrRepositoryArn())

	for image, rule := range map[string]string{
		"":                     "required",
		"nginx":                "pinned",
		"nginx:latest":         "latest",
		"nginx:LATEST":         "latest",
		"nginx@sha256:abc":     "digest",
		"nginx:1@sha256:abc":   "digest",
		"nginx@md5:" + hex64:   "digest",
		"Nginx:1.27":           "lowercase",
		"nginx:1.27 ":          "reference",
		"-nginx:1":             "reference",
		"registry.local:5000/": "reference",
		acct + ".dkr.ecr.eu-west-1.amazonaws.com.cn/portal:1": "end in",
		acct + ".dkr.ecr.cn-north-1.amazonaws.com/portal:1":   "end in",
		acct + ".dkr.ecr.mars-east-1.amazonaws.com/portal:1":  "does not know",
		acct + ".dkr-ecr.eu-west-1.amazonaws.com/portal:1":    "end in",
	} {
		_, err := ecsservice.ParseImage(image)
		if assert.Error(t, err, image) {
			assert.Contains(t, err.Error(), rule, image)
		}
	}
}

// What the image needs is derived from its reference, and a config that
// gives the tasks no path to it is refused (never a service that cannot
// start).
func TestImageNeeds_Rules(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	ecr := func(account, region string) string {
		return account + ".dkr.ecr." + region + ".amazonaws.com/portal:1.4.2"
	}
	for name, tc := range map[string]struct {
		mut   func(c *C)
		field string
		rule  string
	}{
		"Docker Hub without internet": {func(c *C) { c.Image = "nginx:1.27" }, "Image", "docker.io over the internet"},
		"ghcr.io without internet":    {func(c *C) { c.Image = "ghcr.io/org/app:v2" }, "Image", "pull-through cache"},
		"quay.io without internet":    {func(c *C) { c.Image = "quay.io/org/app:v2" }, "Image", "AllowTaskEgressToInternet"},
		"public ECR without internet": {func(c *C) { c.Image = "public.ecr.aws/nginx/nginx:1.27" }, "Image", "public.ecr.aws"},
		"ECR without the S3 prefix":   {func(c *C) { c.TaskEgressPrefixListIds = nil }, "TaskEgressPrefixListIds", "image layers from S3"},
		"ECR of another region":       {func(c *C) { c.Image = ecr(acct, "us-west-2") }, "Image", "replicate the repository"},
		"ECR of another partition":    {func(c *C) { c.Image = strings.Replace(ecr(acct, "cn-north-1"), "amazonaws.com", "amazonaws.com.cn", 1) }, "Image", `partition "aws-cn"`},
		"ECR without endpoint egress": {func(c *C) { c.VpcCidr = "" }, "TaskEgressCidrBlocks", "ecr.api"},
		"created repository, no S3":   {func(c *C) { c.Image, c.CreateEcrRepository, c.ImageTag, c.TaskEgressPrefixListIds = "", true, "1", nil }, "TaskEgressPrefixListIds", "CreateEcrRepository"},
		"repository ARN of a public image": {func(c *C) {
			c.Image, c.AllowTaskEgressToInternet, c.EcrRepositoryArn = "nginx:1.27", true, "arn:aws:ecr:"+rgn+":"+acct+":repository/nginx"
		}, "EcrRepositoryArn", "not from private ECR"},
		"repository ARN of another partition": {func(c *C) {
			c.Image, c.EcrRepositoryArn = strToken()+":1", "arn:aws-cn:ecr:cn-north-1:"+acct+":repository/portal"
		}, "EcrRepositoryArn", "partition"},
		"repository ARN not matching the image": {func(c *C) { c.EcrRepositoryArn = "arn:aws:ecr:" + rgn + ":" + acct + ":repository/other" }, "EcrRepositoryArn", "repository of Image"},
	} {
		t.Run(name, func(t *testing.T) {
			c := cfgIn()
			tc.mut(c)
			err := c.Validate("web")
			ps := problemsOf(t, err)
			require.Len(t, ps, 1, "%v", err)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.Contains(t, ps[0].Rule, tc.rule)
		})
	}
	for name, mut := range map[string]func(c *C){
		"Docker Hub with internet":        func(c *C) { c.Image, c.AllowTaskEgressToInternet = "nginx:1.27", true },
		"ECR of another region, internet": func(c *C) { c.Image, c.AllowTaskEgressToInternet = ecr(acct, "us-west-2"), true },
		"ECR with internet, no S3 prefix": func(c *C) { c.TaskEgressPrefixListIds, c.AllowTaskEgressToInternet = nil, true },
		"ECR of another account":          func(c *C) { c.Image = ecr(otherAcct, rgn) },
		"ECR FIPS":                        func(c *C) { c.Image = acct + ".dkr.ecr-fips." + rgn + ".amazonaws.com/portal:1" },
		"matching repository ARN":         func(c *C) { c.EcrRepositoryArn = "arn:aws:ecr:" + rgn + ":" + acct + ":repository/portal" },
		"pull-through cache":              func(c *C) { c.Image = acct + ".dkr.ecr." + rgn + ".amazonaws.com/docker-hub/library/nginx:1.27" },
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			c := cfgIn()
			mut(c)
			assert.NoError(t, c.Validate("web"))
		})
	}
}

// The example: a private ECR image by URI, without
// EcrRepositoryArn, of another account. The execution role may pull from
// exactly that repository.
func TestImageNeeds_ExecutionPolicy(t *testing.T) {
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		c := cfgIn()
		c.Image = otherAcct + ".dkr.ecr." + rgn + ".amazonaws.com/portal:1.4.2"
		_, err := ecsservice.NewHardenedEcsService(stack, "portal", c)
		require.NoError(t, err)
		c = cfgIn()
		c.Image, c.AllowTaskEgressToInternet = "nginx:1.27@sha256:"+hex64, true
		_, err = ecsservice.NewHardenedEcsService(stack, "hub", c)
		require.NoError(t, err)
	})
	doc := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", "portal/execution_policy"), "policy")
	assert.Equal(t, []string{"arn:aws:ecr:" + rgn + ":" + otherAcct + ":repository/portal"}, strs(doc.Get(`Statement.#(Sid=="EcrPull").Resource`)))
	assert.Equal(t, []string{"*"}, strs(doc.Get(`Statement.#(Sid=="EcrAuthorization").Resource`)))
	hub := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", "hub/execution_policy"), "policy")
	assert.False(t, hub.Get(`Statement.#(Sid=="EcrPull")`).Exists(), "an image of another registry needs no ECR permission")
	c := stacktest.JSONDocument(t, s.Resource(t, "aws_ecs_task_definition", "hub/task_definition"), "container_definitions").Get("0")
	assert.Equal(t, "nginx:1.27@sha256:"+hex64, c.Get("image").String(), "the digest stays a digest")
}
