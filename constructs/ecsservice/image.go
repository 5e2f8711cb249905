package ecsservice

import (
	_ "crypto/sha256" // digest algorithms of image references
	_ "crypto/sha512"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/distribution/reference"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// ImageRef is what an image reference says about where the task pulls the
// image from, parsed with the Docker reference grammar
// (github.com/distribution/reference).
type ImageRef struct {
	// Registry is the registry host, with its port if any ("docker.io" for
	// Docker Hub names such as "nginx:1.27").
	Registry string
	// Repository is the repository path in the registry ("library/nginx",
	// "team/portal").
	Repository string
	// Tag is the tag, "" when there is none.
	Tag string
	// Digest is the digest ("sha256:<hex>"), "" when there is none.
	Digest string
	// EcrAccount, EcrRegion and EcrPartition are set for a private ECR
	// registry (<account>.dkr.ecr[-fips].<region>.<dns suffix>, or the
	// dual-stack <account>.dkr-ecr[-fips].<region>.on.aws); empty for any
	// other registry.
	EcrAccount, EcrRegion, EcrPartition string
}

// Ecr reports whether the image is in a private ECR registry.
func (r ImageRef) Ecr() bool { return r.EcrAccount != "" }

// EcrRepositoryArn is the ARN of the image's private ECR repository, or ""
// for another registry.
func (r ImageRef) EcrRepositoryArn() string {
	if !r.Ecr() {
		return ""
	}
	return fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", r.EcrPartition, r.EcrRegion, r.EcrAccount, r.Repository)
}

// ecrHostRe matches private ECR registry hosts.
// See https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
// and https://docs.aws.amazon.com/general/latest/gr/ecr.html
var ecrHostRe = regexp.MustCompile(`^(\d{12})\.(dkr\.ecr|dkr\.ecr-fips|dkr-ecr|dkr-ecr-fips)\.([a-z0-9-]+)\.([a-z0-9.-]+)$`)

// dualStackSuffixes are the DNS suffixes of ECR's dual-stack endpoints per
// partition.
var dualStackSuffixes = map[string]string{"aws": "on.aws", "aws-us-gov": "on.aws", "aws-cn": "on.amazonwebservices.com.cn"}

// ParseImage parses an image reference ("nginx:1.27", "ghcr.io/org/app@sha256:<hex>",
// "<account>.dkr.ecr.<region>.amazonaws.com/portal:1.4.2") and reports why
// it is not one ECS can run pinned: invalid reference syntax (an invalid
// digest included), no tag or digest, the moving "latest" tag without a
// digest, or an ECR-looking host whose region or DNS suffix do not belong
// together. "name:tag@sha256:<hex>" is valid (the digest pins it).
func ParseImage(image string) (ImageRef, error) {
	if image == "" {
		return ImageRef{}, errors.New("is required (or use CreateEcrRepository with ImageTag)")
	}
	ref, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		switch {
		case errors.Is(err, reference.ErrNameContainsUppercase):
			return ImageRef{}, errors.New("must be a lowercase repository name (Docker reference grammar: " + err.Error() + ")")
		case strings.Contains(image, "@"):
			return ImageRef{}, fmt.Errorf("must be <name>[:<tag>]@<algorithm>:<hex digest>, e.g. @sha256: and 64 hex digits (%v)", err)
		}
		return ImageRef{}, fmt.Errorf("is not an image reference (Docker reference grammar: %v)", err)
	}
	r := ImageRef{Registry: reference.Domain(ref), Repository: reference.Path(ref)}
	if t, ok := ref.(reference.Tagged); ok {
		r.Tag = t.Tag()
	}
	if d, ok := ref.(reference.Digested); ok {
		r.Digest = d.Digest().String()
	}
	switch {
	case r.Tag == "" && r.Digest == "":
		return r, errors.New("must be pinned: end in ':<tag>' or '@sha256:<digest>'; an untagged image means ':latest'")
	case strings.EqualFold(r.Tag, "latest") && r.Digest == "":
		return r, errors.New("must be pinned to a version: the ':latest' tag moves and is rejected (or pin it with @sha256:<digest>)")
	}
	if m := ecrHostRe.FindStringSubmatch(r.Registry); m != nil {
		account, kind, region, suffix := m[1], m[2], m[3], m[4]
		if !validate.Region(region) {
			return r, fmt.Errorf("names ECR registry %s of region %q, which the AWS provider does not know", r.Registry, region)
		}
		partition := validate.PartitionOf(region)
		want := validate.DNSSuffix(partition)
		if strings.HasPrefix(kind, "dkr-ecr") {
			want = dualStackSuffixes[partition]
		}
		if suffix != want {
			return r, fmt.Errorf("names ECR registry %s, but ECR registries of %s end in %q", r.Registry, region, want)
		}
		r.EcrAccount, r.EcrRegion, r.EcrPartition = account, region, partition
	}
	return r, nil
}

// imageTailRule reports why an image whose front is a token (e.g. a
// repository URL) is not pinned, from its literal end, or "".
func imageTailRule(image string) string {
	if strings.ContainsAny(image, " \t\n") {
		return "must not contain whitespace"
	}
	m := imageTailRe.FindStringSubmatch(image)
	if m == nil {
		return "must be pinned: end in ':<tag>' or '@sha256:<digest>'; an untagged image means ':latest'"
	}
	if strings.EqualFold(m[2], "latest") {
		return "must be pinned to a version: the ':latest' tag moves and is rejected"
	}
	return ""
}

// imageNeeds is what pulling the image needs, derived from the config.
type imageNeeds struct {
	// repoArn is the ECR repository the execution role may pull from ("" for
	// none: another registry, or a token image without EcrRepositoryArn).
	repoArn string
	// ecr is set when the image is pulled from private ECR (registry and
	// layers in S3).
	ecr bool
	// sameRegion is set when that ECR registry is in the service's region
	// (reachable through the VPC's endpoints).
	sameRegion bool
	// internet names the registry reached over the internet ("" for none).
	internet string
	// known is false when the registry is a token: nothing can be derived.
	known bool
}

// checkImage checks Image (or ImageTag with CreateEcrRepository), derives
// what pulling it needs, and checks that the config gives the tasks a path
// to it: IAM permissions on exactly its repository, and network egress to
// the registry and, for ECR, to the image layers in S3.
// See https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
func checkImage(v *validate.Collector, c *HardenedEcsServiceConfig, env validate.Env) imageNeeds {
	var n imageNeeds
	switch {
	case c.CreateEcrRepository:
		v.Check(c.Image == "", "Image", c.Image, "must be empty with CreateEcrRepository: set ImageTag, the image is <repository_url>:<ImageTag>")
		v.Check(c.EcrRepositoryArn == "", "EcrRepositoryArn", c.EcrRepositoryArn, "must be empty with CreateEcrRepository")
		n = imageNeeds{ecr: true, sameRegion: true, known: true}
	case c.Image != "" && validate.HasToken(c.Image):
		if v.Failed("Image") { // a token of another app (ConfigTokens)
			return n
		}
		if rule := imageTailRule(c.Image); rule != "" { // the literal tag after the token
			v.Add("Image", c.Image, rule)
			return n
		}
		if c.EcrRepositoryArn == "" {
			v.Check(c.AllowTaskEgressToInternet, "Image", c.Image, "holds a token, so its registry is only known at apply time: set EcrRepositoryArn for a private ECR image (the execution role may pull from it only), "+
				"or AllowTaskEgressToInternet for an image of another registry")
			return n
		}
		{
			if a, ok := v.ARN("EcrRepositoryArn", c.EcrRepositoryArn, validate.EcrRepositoryArn, env.PartitionOnly()); ok && a.Region != "" {
				n = imageNeeds{repoArn: c.EcrRepositoryArn, ecr: true, sameRegion: a.Region == env.Region, known: true}
			} else if ok {
				n = imageNeeds{repoArn: c.EcrRepositoryArn, ecr: true, known: false}
			}
		}
	default:
		ref, err := ParseImage(c.Image)
		if err != nil {
			v.Add("Image", c.Image, err.Error())
			return n
		}
		if !v.Check(len(c.Image) <= MaxImageLength, "Image", c.Image, fmt.Sprintf("is %d characters; ECS allows %d", len(c.Image), MaxImageLength)) {
			return n
		}
		n.known = true
		if ref.Ecr() {
			n.ecr, n.repoArn = true, ref.EcrRepositoryArn()
			n.sameRegion = env.Region == "" || ref.EcrRegion == env.Region
			if p := env.Partition(); p != "" && ref.EcrPartition != p {
				v.Add("Image", c.Image, fmt.Sprintf("is in ECR of partition %q; the service's Region %s is in %q, whose roles cannot pull from it", ref.EcrPartition, env.Region, p))
				return imageNeeds{}
			}
			if c.EcrRepositoryArn != "" {
				if _, ok := v.ARN("EcrRepositoryArn", c.EcrRepositoryArn, validate.EcrRepositoryArn, env.PartitionOnly()); ok && !validate.HasToken(c.EcrRepositoryArn) {
					v.Check(c.EcrRepositoryArn == n.repoArn, "EcrRepositoryArn", c.EcrRepositoryArn,
						fmt.Sprintf("must be the repository of Image, %s (or be left empty: it is derived from Image)", n.repoArn))
				}
			}
		} else {
			n.internet = ref.Registry
			v.Check(c.EcrRepositoryArn == "", "EcrRepositoryArn", c.EcrRepositoryArn, fmt.Sprintf("must be empty: Image comes from %s, not from private ECR", ref.Registry))
			if _, port, ok := strings.Cut(ref.Registry, ":"); ok && port != "443" {
				v.Add("Image", c.Image, fmt.Sprintf("is served by registry %s on port %s, but tasks may only reach TCP 443: serve the image on 443 or from private ECR", ref.Registry, port))
				return imageNeeds{}
			}
		}
	}
	if !n.known || c.AllowTaskEgressToInternet {
		return n
	}
	// Without internet egress: every registry must be reachable through
	// the VPC.
	switch {
	case n.internet != "":
		v.Add("Image", c.Image, fmt.Sprintf("is pulled from %s over the internet, but the tasks may not reach it: set AllowTaskEgressToInternet (with a NAT gateway), "+
			"or serve the image from private ECR, e.g. through an ECR pull-through cache rule (<account>.dkr.ecr.<region>.<dns suffix>/<prefix>/<repository>)", n.internet))
	case n.ecr && !n.sameRegion:
		v.Add("Image", c.Image, fmt.Sprintf("is in ECR of another region: VPC endpoints serve their own region only, so it is pulled over the internet; set AllowTaskEgressToInternet, or replicate the repository to %s (ECR replication)", env.Region))
	case n.ecr:
		field := "Image"
		if c.CreateEcrRepository {
			field = "CreateEcrRepository"
		}
		v.Check(len(c.TaskEgressPrefixListIds) > 0, "TaskEgressPrefixListIds", c.TaskEgressPrefixListIds,
			fmt.Sprintf("must hold the S3 gateway endpoint's prefix list for %s: private ECR serves image layers from S3, so tasks without it cannot pull the image (or set AllowTaskEgressToInternet)", field))
		v.Check(len(c.TaskEgressCidrBlocks) > 0, "TaskEgressCidrBlocks", c.TaskEgressCidrBlocks,
			fmt.Sprintf("must reach the ECR API and registry endpoints (ecr.api, ecr.dkr) for %s, e.g. VpcCidr (its default) where the VPC's interface endpoints are (or set AllowTaskEgressToInternet)", field))
	}
	return n
}

// pullRepositoryArn is the ECR repository the execution role may pull from
// (c validated, CreateEcrRepository aside): EcrRepositoryArn, else the
// repository of a literal ECR Image, else "".
func pullRepositoryArn(c HardenedEcsServiceConfig) string {
	if c.EcrRepositoryArn != "" {
		return c.EcrRepositoryArn
	}
	if validate.HasToken(c.Image) {
		return ""
	}
	ref, _ := ParseImage(c.Image)
	return ref.EcrRepositoryArn()
}
