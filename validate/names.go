package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Name rules of each AWS kind. Each function returns why name breaks the
// rule AWS (or Terraform) enforces, or "" when it is valid; use them with
// Collector.Rule. A name holding a cdktf token is Terraform's to check:
// test with Collector.Literal first.

var (
	iamNameRe        = regexp.MustCompile(`^[\w+=,.@-]+$`)
	iamPathRe        = regexp.MustCompile(`^/([\x21-\x7e]*/)?$`)
	elbNameRe        = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	logGroupRe       = regexp.MustCompile(`^[A-Za-z0-9._/#-]+$`)
	kmsAliasRe       = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]+$`)
	sgNameRe         = regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`)
	ecrNameRe        = regexp.MustCompile(`^` + ecrNamePattern + `$`)
	ecsNameRe        = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	snsTopicRe       = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	trailNameRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	trailAdjacentRe  = regexp.MustCompile(`[._-]{2}`)
	wafNameRe        = regexp.MustCompile(`^[\w-]{1,128}$`)
	wafMetricRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	namespaceRe      = regexp.MustCompile(`^[A-Za-z0-9.\-_/#: ]{1,255}$`)
	eventRuleRe      = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)
	dynamoTableRe    = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	printableASCIIRe = regexp.MustCompile(`^[\x20-\x7e]+$`)
)

const ecrNamePattern = `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`

func length(s string) int { return utf8.RuneCountInString(s) }

// IAMRoleName: 1-64 letters, digits and +=,.@_-.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
func IAMRoleName(name string) string {
	if length(name) < 1 || length(name) > 64 || !iamNameRe.MatchString(name) {
		return "must be an IAM role name: 1-64 letters, digits and +=,.@_-"
	}
	return ""
}

// IAMRoleNamePrefix: a name_prefix of at most 38 characters (Terraform
// appends a 26-character unique suffix to reach the 64 limit).
// See https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role#name_prefix
func IAMRoleNamePrefix(prefix string) string {
	if length(prefix) < 1 || length(prefix) > 38 || !iamNameRe.MatchString(prefix) {
		return "must be an IAM role name prefix: 1-38 letters, digits and +=,.@_- (Terraform appends 26 characters; role names are limited to 64)"
	}
	return ""
}

// IAMPolicyName: 1-128 letters, digits and +=,.@_- (inline and managed
// policies).
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
func IAMPolicyName(name string) string {
	if length(name) < 1 || length(name) > 128 || !iamNameRe.MatchString(name) {
		return "must be an IAM policy name: 1-128 letters, digits and +=,.@_-"
	}
	return ""
}

// IAMPath: "/" or "/<printable ASCII>/", at most 512 characters.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names
func IAMPath(path string) string {
	if len(path) > 512 || !iamPathRe.MatchString(path) {
		return "must be an IAM path: \"/\" or \"/<segments>/\", beginning and ending with '/', at most 512 printable ASCII characters"
	}
	return ""
}

// LoadBalancerName: 1-32 letters, digits and '-', not beginning or ending
// with '-', not beginning with "internal-".
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
func LoadBalancerName(name string) string {
	if len(name) > 32 {
		return fmt.Sprintf("is %d characters; load balancer names are limited to 32", len(name))
	}
	if !elbNameRe.MatchString(name) || strings.HasPrefix(strings.ToLower(name), "internal-") {
		return "must be a load balancer name: letters, digits and '-', not beginning or ending with '-' and not beginning with \"internal-\""
	}
	return ""
}

// TargetGroupName: 1-32 letters, digits and '-', not beginning or ending
// with '-'.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
func TargetGroupName(name string) string {
	if len(name) > 32 {
		return fmt.Sprintf("is %d characters; target group names are limited to 32", len(name))
	}
	if !elbNameRe.MatchString(name) {
		return "must be a target group name: letters, digits and '-', not beginning or ending with '-'"
	}
	return ""
}

// LogGroupName: 1-512 letters, digits and . _ / # -, not beginning with
// "aws/" (reserved for AWS).
// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
func LogGroupName(name string) string {
	if len(name) < 1 || len(name) > 512 || !logGroupRe.MatchString(name) {
		return "must be a CloudWatch Logs log group name: 1-512 letters, digits and . _ / # -"
	}
	if strings.HasPrefix(name, "aws/") {
		return "must not begin with \"aws/\", which CloudWatch Logs reserves"
	}
	return ""
}

// KMSAliasName: "alias/" then letters, digits and / _ -, at most 256
// characters, not beginning with "alias/aws/" (reserved for AWS managed
// keys).
// See https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
func KMSAliasName(name string) string {
	if len(name) > 256 || !kmsAliasRe.MatchString(name) {
		return "must be a KMS alias: \"alias/\" then letters, digits, '/', '_' and '-', at most 256 characters"
	}
	if strings.HasPrefix(name, "alias/aws/") {
		return "must not begin with \"alias/aws/\", which KMS reserves for AWS managed keys"
	}
	return ""
}

// SecurityGroupName: 1-255 characters of a-z, A-Z, 0-9, spaces and
// ._-:/()#,@[]+=&;{}!$*, not beginning with "sg-".
// See https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
func SecurityGroupName(name string) string {
	if len(name) < 1 || len(name) > 255 || !sgNameRe.MatchString(name) {
		return "must be a security group name: 1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
	}
	if strings.HasPrefix(strings.ToLower(name), "sg-") {
		return "must not begin with \"sg-\", which EC2 reserves for security group IDs"
	}
	return ""
}

// SecurityGroupDescription: 0-255 characters of the security group name
// charset (EC2 rejects others, such as accented letters).
func SecurityGroupDescription(d string) string {
	if len(d) > 255 || !sgNameRe.MatchString(d) {
		return "must be a security group description: at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
	}
	return ""
}

// ECRRepositoryName: 2-256 lowercase letters and digits, separated by
// single '.', '_' or '-', in '/'-separated namespaces.
// See https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
func ECRRepositoryName(name string) string {
	if len(name) < 2 || len(name) > 256 || !ecrNameRe.MatchString(name) {
		return "must be an ECR repository name: 2-256 lowercase letters and digits with '.', '_', '-' separators and '/' namespaces"
	}
	return ""
}

// ECSName: the name of an ECS cluster, service or task definition family,
// 1-255 letters, digits, '_' and '-'.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
func ECSName(name string) string {
	if len(name) < 1 || len(name) > 255 || !ecsNameRe.MatchString(name) {
		return "must be an ECS name: 1-255 letters, digits, '_' and '-'"
	}
	return ""
}

// SNSTopicName: 1-256 letters, digits, '_' and '-' (".fifo" appended for a
// FIFO topic).
// See https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
func SNSTopicName(name string, fifo bool) string {
	base := name
	if fifo {
		if !strings.HasSuffix(name, ".fifo") {
			return "must end in \".fifo\" (a FIFO topic)"
		}
		base = strings.TrimSuffix(name, ".fifo")
	}
	if len(name) > 256 || !snsTopicRe.MatchString(base) {
		return "must be an SNS topic name: 1-256 letters, digits, '_' and '-'"
	}
	return ""
}

// TrailName: 3-128 letters, digits, '.', '_' and '-', beginning and ending
// with a letter or digit, no two of '.', '_', '-' in a row, not in IP
// address format.
// See https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
func TrailName(name string) string {
	if !trailNameRe.MatchString(name) || trailAdjacentRe.MatchString(name) {
		return "must be a CloudTrail trail name: 3-128 letters, digits, '.', '_' and '-', beginning and ending with a letter or digit, with no two of '.', '_', '-' in a row"
	}
	if ipLikeRe.MatchString(name) {
		return "must not be in IP address format (CloudTrail forbids it)"
	}
	return ""
}

// WAFName: the name of a WAFv2 web ACL, IP set, regex pattern set or rule,
// 1-128 letters, digits, '_' and '-'.
// See https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
func WAFName(name string) string {
	if !wafNameRe.MatchString(name) {
		return "must be a WAF name: 1-128 letters, digits, '_' and '-'"
	}
	return ""
}

// WAFMetricName: the metric_name of a WAF visibility_config (the WebACL
// and Rule dimension values of the AWS/WAFV2 metrics), 1-128 letters,
// digits, '_' and '-', and not "All" or "Default_Action" in any case
// (reserved by WAF). The WAF API reference's pattern would also allow
// # : . and /, but its own text and the hashicorp/aws provider (which
// validates metric_name at plan time) allow only letters, digits, '_' and
// '-', so ':' (a "metric namespace") is refused here. See
// https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
func WAFMetricName(name string) string {
	if !wafMetricRe.MatchString(name) {
		return "must be a WAF metric name: 1-128 letters, digits, '_' and '-' (no ':', '.', '/' or whitespace)"
	}
	if strings.EqualFold(name, "All") || strings.EqualFold(name, "Default_Action") {
		return "must not be \"All\" or \"Default_Action\" (any case), which WAF reserves"
	}
	return ""
}

// MetricNamespace: a CloudWatch namespace, 1-255 letters, digits, spaces
// and . - _ / # :, not beginning with "AWS/" (reserved for AWS).
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace
func MetricNamespace(ns string) string {
	if !namespaceRe.MatchString(ns) || strings.TrimSpace(ns) == "" {
		return "must be a CloudWatch namespace: 1-255 letters, digits, spaces and . - _ / # :"
	}
	if strings.HasPrefix(ns, "AWS/") {
		return "must not begin with \"AWS/\", which CloudWatch reserves"
	}
	return ""
}

// MetricFilterNamespace: the namespace of a CloudWatch Logs metric filter's
// metric transformation, which also forbids ':', '*' and '$'.
// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
func MetricFilterNamespace(ns string) string {
	if rule := MetricNamespace(ns); rule != "" {
		return rule
	}
	if strings.ContainsAny(ns, ":*$") {
		return "must not contain ':', '*' or '$' (CloudWatch Logs metric filter namespaces forbid them)"
	}
	return ""
}

// MetricName: a CloudWatch metric name, 1-255 printable ASCII characters,
// not beginning with ':'; for a metric filter also no ':', '*' or '$'.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
func MetricName(name string, metricFilter bool) string {
	if len(name) > 255 || !printableASCIIRe.MatchString(name) || strings.HasPrefix(name, ":") || strings.TrimSpace(name) == "" {
		return "must be a CloudWatch metric name: 1-255 printable ASCII characters, not beginning with ':'"
	}
	if metricFilter && strings.ContainsAny(name, ":*$") {
		return "must not contain ':', '*' or '$' (CloudWatch Logs metric filters forbid them)"
	}
	return ""
}

// DimensionName: a CloudWatch dimension name, 1-255 printable ASCII
// characters with at least one that is not a space, not beginning with ':'.
// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
func DimensionName(name string) string {
	if len(name) > 255 || !printableASCIIRe.MatchString(name) || strings.HasPrefix(name, ":") || strings.TrimSpace(name) == "" {
		return "must be a CloudWatch dimension name: 1-255 printable ASCII characters, not beginning with ':'"
	}
	return ""
}

// DimensionValue: a CloudWatch dimension value, 1-1024 characters with at
// least one that is not whitespace.
func DimensionValue(value string) string {
	if length(value) < 1 || length(value) > 1024 || strings.TrimSpace(value) == "" {
		return "must be a CloudWatch dimension value: 1-1024 characters, not only whitespace"
	}
	return ""
}

// EventRuleName: an EventBridge rule name, 1-64 letters, digits and . - _.
// See https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
func EventRuleName(name string) string {
	if !eventRuleRe.MatchString(name) {
		return "must be an EventBridge rule name: 1-64 letters, digits and . - _"
	}
	return ""
}

// DynamoDBTableName: 3-255 letters, digits and _ . -.
// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
func DynamoDBTableName(name string) string {
	if !dynamoTableRe.MatchString(name) {
		return "must be a DynamoDB table name: 3-255 letters, digits, '_', '.' and '-'"
	}
	return ""
}

// TerraformIdentifier reports why name cannot name a Terraform output,
// resource or local value, or "": Terraform's own identifier rule (a letter
// or '_', then letters, digits, '_' and '-'; Unicode letters count), as
// hclsyntax.ValidIdentifier decides it. Checked with terraform 1.11
// validate: "_x", "a-b" and "é" are valid output names, "1a", "-a" and
// "a.b" are not.
// See https://developer.hashicorp.com/terraform/language/syntax/configuration#identifiers
func TerraformIdentifier(name string) string {
	if !hclsyntax.ValidIdentifier(name) {
		return "must be a Terraform identifier: a letter or '_' followed by letters, digits, '_' and '-'"
	}
	return ""
}

// ReservedVariableNames cannot name a Terraform input variable. "provider"
// and "_" are not in Terraform's documented list but terraform 1.11
// validate rejects them too.
// See https://developer.hashicorp.com/terraform/language/values/variables#declaring-an-input-variable
var ReservedVariableNames = []string{"source", "version", "providers", "provider", "count", "for_each", "lifecycle", "depends_on", "locals", "_"}

// VariableName reports why name cannot name a Terraform input variable, or
// "" when it can: a Terraform identifier that Terraform does not reserve.
func VariableName(name string) string {
	if rule := TerraformIdentifier(name); rule != "" {
		return rule
	}
	if slices.Contains(ReservedVariableNames, name) {
		return fmt.Sprintf("is reserved by Terraform (reserved: %v)", ReservedVariableNames)
	}
	return ""
}

// NameFromID is the one rule by which a construct's Name defaults from its
// construct id: the id in lowercase, every run of characters other than
// letters and digits turned into one '-', with no '-' at either end
// ("Web_App" and "web-app" both give "web-app"). It can be "" (for an id
// such as "_"), which the construct then reports as a problem of the id.
func NameFromID(id string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
