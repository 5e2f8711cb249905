package ecsservice

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// FargateMemory lists, for every Fargate task CPU size (CPU units), the task
// memory sizes (MiB) Fargate accepts with it. The 8 and 16 vCPU sizes need
// Linux platform version 1.4.0 or later (LATEST is).
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
var FargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   memRange(1024, 4096, 1024),
	1024:  memRange(2048, 8192, 1024),
	2048:  memRange(4096, 16384, 1024),
	4096:  memRange(8192, 30720, 1024),
	8192:  memRange(16384, 61440, 4096),
	16384: memRange(32768, 122880, 8192),
}

func memRange(from, to, step int) []int {
	var out []int
	for m := from; m <= to; m += step {
		out = append(out, m)
	}
	return out
}

// fargateCPUs returns the keys of FargateMemory in ascending order.
func fargateCPUs() []int {
	out := make([]int, 0, len(FargateMemory))
	for c := range FargateMemory {
		out = append(out, c)
	}
	sort.Ints(out)
	return out
}

// fargateRule describes what memory a CPU size allows (or which CPU sizes
// exist), for error messages.
func fargateRule(cpu int) string {
	mems, ok := FargateMemory[cpu]
	if !ok {
		return fmt.Sprintf("must be a Fargate task CPU size (CPU units): one of %v", fargateCPUs())
	}
	if len(mems) <= 3 {
		return fmt.Sprintf("is not a memory size (MiB) Fargate allows with Cpu = %d; allowed: %v", cpu, mems)
	}
	return fmt.Sprintf("is not a memory size (MiB) Fargate allows with Cpu = %d; allowed: %d-%d in steps of %d",
		cpu, mems[0], mems[len(mems)-1], mems[1]-mems[0])
}

// ModernSslPolicies are the ALB security policies SslPolicy may name: TLS 1.2
// or later with forward-secret AEAD ciphers only (no "Ext" policies, which
// add CBC and non-FS ciphers, and no TLS 1.0/1.1 policies).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
var ModernSslPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
}

// ElbLogDeliveryAccounts maps the regions that opened before August 2022 to
// the Elastic Load Balancing account that writes ALB access logs there. In
// every other region the log-delivery service principal
// logdelivery.elasticloadbalancing.amazonaws.com writes them.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
var ElbLogDeliveryAccounts = map[string]string{
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887",
	"ap-northeast-3": "383597477331",
	"ap-south-1":     "718504428378",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ap-southeast-3": "589379963580",
	"ca-central-1":   "985666609251",
	"cn-north-1":     "638102146993",
	"cn-northwest-1": "037604701340",
	"eu-central-1":   "054676820928",
	"eu-north-1":     "897822967062",
	"eu-south-1":     "635631232127",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-west-3":      "009996457667",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-gov-east-1":  "190560391635",
	"us-gov-west-1":  "048591011584",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
}

// ElbLogDeliveryServicePrincipal writes ALB access logs in regions that are
// not in ElbLogDeliveryAccounts.
const ElbLogDeliveryServicePrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"

// SecretLikeName matches environment variable names that look like they hold
// a secret. Such a variable must come from Secrets (or be named in
// AllowPlainEnvironment).
var SecretLikeName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SIGNING_?KEY|CREDENTIAL)`)

var (
	nameRe          = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	elbNameRe       = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
	containerNameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$`)
	platformRe      = regexp.MustCompile(`^(LATEST|1\.4\.0|1\.3\.0)$`)
	vpcIDRe         = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetIDRe      = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
	prefixListRe    = regexp.MustCompile(`^pl-[0-9a-f]{8}([0-9a-f]{9})?$`)
	clusterArnRe    = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:ecs:([a-z0-9-]+):(\d{12}):cluster/([A-Za-z0-9_-]{1,255})$`)
	ecrArnRe        = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:ecr:[a-z0-9-]+:\d{12}:repository/[a-z0-9][a-z0-9._/-]{1,255}$`)
	ecrNameRe       = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)
	certArnRe       = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:acm:([a-z0-9-]+):\d{12}:certificate/[0-9a-f-]{36}$`)
	zoneIDRe        = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	domainRe        = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`)
	smArnRe         = regexp.MustCompile(`^(arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(:[^:]*:[^:]*:[^:]*)?$`)
	ssmArnRe        = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+$`)
	envNameRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	userRe          = regexp.MustCompile(`^(\d+)(:(\d+))?$`)
	matcherRe       = regexp.MustCompile(`^[1-5]\d\d(-[1-5]\d\d)?(,[1-5]\d\d(-[1-5]\d\d)?)*$`)
	tagRe           = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestRe        = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	alnumRe         = regexp.MustCompile(`[^A-Za-z0-9]`)
	// imageTailRe matches the end of a pinned image reference: ":<tag>" or
	// "@sha256:<digest>" after the last '/'.
	imageTailRe = regexp.MustCompile(`(:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@sha256:[0-9a-f]{64})$`)
	// healthPathRe is the HealthCheckPath charset: URL path and query
	// characters without shell metacharacters or quotes; plainPathRe paths
	// need no shell quoting.
	healthPathRe = regexp.MustCompile(`^/[A-Za-z0-9/._~%=?&+,:@-]*$`)
	plainPathRe  = regexp.MustCompile(`^/[A-Za-z0-9/._~-]*$`)
	// logGroupNameRe is CloudWatch Logs' log group charset, with a leading
	// '/' and room for the "/exec" suffix within the 512 limit.
	logGroupNameRe = regexp.MustCompile(`^/[A-Za-z0-9._/#-]{0,499}$`)
)

// isToken reports whether s holds an unresolved cdktf token (a reference to
// another resource's attribute), which can only be checked by Terraform:
// validate.HasToken, the one token test of the module.
func isToken(s string) bool { return validate.HasToken(s) }

// imageRule reports why image is not a pinned image reference, or "".
// A reference is pinned when it ends in a tag other than "latest" or in a
// sha256 digest. Tokens are allowed in front of the tag (for example a
// repository URL): only the literal end of the string is checked.
func imageRule(image string) string {
	if image == "" {
		return "is required (or use CreateEcrRepository with ImageTag)"
	}
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

// imageTagRule reports why tag is not a pinned tag or digest for
// CreateEcrRepository, or "".
func imageTagRule(tag string) string {
	switch {
	case tag == "":
		return "is required with CreateEcrRepository: a tag such as 1.4.2 or a digest sha256:<64 hex>"
	case strings.EqualFold(tag, "latest"):
		return "must be pinned to a version: the 'latest' tag moves and is rejected"
	case digestRe.MatchString(tag), tagRe.MatchString(tag) && !strings.HasPrefix(tag, "sha256:"):
		return ""
	}
	return "must be an image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>"
}

// outputPrefix turns a construct ID into a Terraform identifier prefix.
// It is validate.NameFromID with '_' for '-'.
func outputPrefix(id string) string { return strings.ReplaceAll(validate.NameFromID(id), "-", "_") }

// secretResources returns the IAM resource ARNs for a Secrets Manager
// valueFrom, which may carry a ":<json-key>:<version-stage>:<version-id>"
// suffix (cut off). A full secret ARN ends in AWS's random "-XXXXXX"; a
// partial one does not, and needs "-??????" to match, as AWS documents. A
// name can itself end in "-" and six characters (e.g. "db-secret"), so both
// forms are granted: exactly that secret either way.
func secretResources(valueFrom string) []string {
	m := smArnRe.FindStringSubmatch(valueFrom)
	if m == nil {
		return []string{valueFrom}
	}
	return []string{m[1], m[1] + "-??????"}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func uniqSorted(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}
