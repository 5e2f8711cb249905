package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ARN is a parsed Amazon Resource Name,
// arn:<partition>:<service>:<region>:<account>:<resource>.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String renders the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// ResourceType is the part of Resource before the first '/' or ':' ("key"
// of "key/1234..."), or "" when Resource has neither.
func (a ARN) ResourceType() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[:i]
	}
	return ""
}

// ResourceID is the part of Resource after the resource type and its
// separator (all of Resource when there is no type).
func (a ARN) ResourceID() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[i+1:]
	}
	return a.Resource
}

var partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)

// ParseARN splits s into its six parts. ok is false when s is not
// shaped like an ARN (prefix "arn:", a partition such as aws or aws-cn, a
// service and a resource).
func ParseARN(s string) (a ARN, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !partitionRe.MatchString(parts[1]) || parts[2] == "" || parts[5] == "" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

// ArnKind describes the ARNs one field accepts: a service, optionally a
// resource type and a pattern of the whole resource part.
type ArnKind struct {
	// What names the kind in messages, e.g. "KMS key".
	What string
	// Service is the ARN's service, e.g. "kms".
	Service string
	// Resource, when set, must match the whole resource part.
	Resource *regexp.Regexp
	// Example is a sample ARN shown in messages, with <placeholders>.
	Example string
	// Check, when set, is a further rule of the parsed ARN ("" when valid).
	Check func(ARN) string
	// NoRegion is set for services whose ARNs have an empty region (IAM,
	// S3 buckets); NoAccount for an empty account (S3 buckets).
	NoRegion, NoAccount bool
}

// ARN kinds used by the constructs. Each follows the service's documented
// ARN format (Service Authorization Reference, "Resource types").
// See https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
var (
	// KmsKeyArn is a KMS key; the key ID is a UUID as Terraform checks it
	// (version 1-5, variant 8/9/a/b; the S3 backend refuses others with
	// "Invalid KMS Key ARN") or a multi-Region key "mrk-<32 hex>".
	KmsKeyArn = ArnKind{What: "KMS key", Service: "kms",
		Resource: regexp.MustCompile(`^key/(` + kmsKeyIDPattern + `)$`),
		Example:  "arn:aws:kms:<region>:<account>:key/<key-id>"}
	// S3BucketArn is an S3 bucket, optionally with a key prefix
	// ("arn:aws:s3:::bucket/folder/"), as log destinations take it.
	S3BucketArn = ArnKind{What: "S3 bucket", Service: "s3",
		Resource: regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9!_.'()/*-]*)?$`),
		Example:  "arn:aws:s3:::<bucket>[/<prefix>]", NoRegion: true, NoAccount: true,
		Check: func(a ARN) string {
			bucket, _, _ := strings.Cut(a.Resource, "/")
			if rule := BucketName(bucket); rule != "" {
				return "names bucket " + strconv.Quote(bucket) + ", which " + rule
			}
			return ""
		}}
	// AcmCertificateArn is an ACM certificate.
	AcmCertificateArn = ArnKind{What: "ACM certificate", Service: "acm",
		Resource: regexp.MustCompile(`^certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
		Example:  "arn:aws:acm:<region>:<account>:certificate/<uuid>"}
	// EcsClusterArn is an ECS cluster.
	EcsClusterArn = ArnKind{What: "ECS cluster", Service: "ecs",
		Resource: regexp.MustCompile(`^cluster/[A-Za-z0-9_-]{1,255}$`),
		Example:  "arn:aws:ecs:<region>:<account>:cluster/<name>"}
	// EcrRepositoryArn is a private ECR repository.
	EcrRepositoryArn = ArnKind{What: "ECR repository", Service: "ecr",
		Resource: regexp.MustCompile(`^repository/` + ecrNamePattern + `$`),
		Example:  "arn:aws:ecr:<region>:<account>:repository/<name>"}
	// SecretsManagerSecretArn is a Secrets Manager secret, optionally with
	// the ECS valueFrom suffix ":<json-key>:<version-stage>:<version-id>".
	SecretsManagerSecretArn = ArnKind{What: "Secrets Manager secret", Service: "secretsmanager",
		Resource: regexp.MustCompile(`^secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?$`),
		Example:  "arn:aws:secretsmanager:<region>:<account>:secret:<name>"}
	// SsmParameterArn is an SSM parameter.
	SsmParameterArn = ArnKind{What: "SSM parameter", Service: "ssm",
		Resource: regexp.MustCompile(`^parameter/[A-Za-z0-9/_.-]+$`),
		Example:  "arn:aws:ssm:<region>:<account>:parameter/<name>"}
	// IamRoleArn is an IAM role (with path).
	IamRoleArn = ArnKind{What: "IAM role", Service: "iam",
		Resource: regexp.MustCompile(`^role/([\x21-\x7e]*/)?[\w+=,.@-]{1,64}$`),
		Example:  "arn:aws:iam::<account>:role/<name>", NoRegion: true}
	// IamPolicyArn is a managed IAM policy (e.g. a permissions boundary).
	IamPolicyArn = ArnKind{What: "IAM managed policy", Service: "iam",
		Resource: regexp.MustCompile(`^policy/([\x21-\x7e]*/)?[\w+=,.@-]{1,128}$`),
		Example:  "arn:aws:iam::<account>:policy/<name>", NoRegion: true}
	// ApplicationLoadBalancerArn is an Application Load Balancer.
	ApplicationLoadBalancerArn = ArnKind{What: "Application Load Balancer", Service: "elasticloadbalancing",
		Resource: regexp.MustCompile(`^loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`),
		Example:  "arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>"}
	// WafIPSetArn is a WAFv2 IP set (regional or CloudFront scope).
	WafIPSetArn = ArnKind{What: "WAFv2 IP set", Service: "wafv2",
		Resource: regexp.MustCompile(`^(regional|global)/ipset/[\w-]{1,128}/[0-9a-f-]{36}$`),
		Example:  "arn:aws:wafv2:<region>:<account>:regional/ipset/<name>/<id>"}
	// SnsTopicArn is an SNS topic.
	SnsTopicArn = ArnKind{What: "SNS topic", Service: "sns",
		Resource: regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`),
		Example:  "arn:aws:sns:<region>:<account>:<topic>"}
	// LogGroupArn is a CloudWatch Logs log group (optionally ending ":*").
	LogGroupArn = ArnKind{What: "CloudWatch log group", Service: "logs",
		Resource: regexp.MustCompile(`^log-group:[A-Za-z0-9._/#-]{1,512}(:\*)?$`),
		Example:  "arn:aws:logs:<region>:<account>:log-group:<name>"}
)

// kmsKeyIDPattern is Terraform's S3 backend rule for KMS key IDs.
const kmsKeyIDPattern = `[a-f0-9]{8}-[a-f0-9]{4}-[1-5][a-f0-9]{3}-[ab89][a-f0-9]{3}-[a-f0-9]{12}|mrk-[a-f0-9]{32}`

// Env is where a construct deploys, for ARN checks: each ARN must be in
// the construct's partition, region and account. An empty Region or
// AccountId is not checked, which is how a construct whose own Region or
// AccountId is invalid avoids blaming every ARN for it (Collector.Env
// builds an Env that way).
type Env struct {
	// AccountId is the expected account; "" means unknown.
	AccountId string
	// Region is the expected region; "" means unknown.
	Region string
	// AccountField and RegionField name where the values came from
	// ("AccountId", "Provider.allowed_account_ids"), for messages.
	AccountField, RegionField string
	// partitionOnly limits ARN checks to the partition (PartitionOnly).
	partitionOnly bool
}

// PartitionOnly returns e for ARNs that may be in any region and account of
// e's partition (secrets ECS reads across regions and accounts, KMS keys and
// ECR repositories shared by another account): ArnRule then compares only
// the partition.
func (e Env) PartitionOnly() Env {
	e.partitionOnly = true
	return e
}

// Partition is the partition of Env's region, or "" when it is unknown.
func (e Env) Partition() string {
	if e.Region == "" {
		return ""
	}
	return PartitionOf(e.Region)
}

// Env validates a construct's account and region fields and returns the
// Env of the valid ones, so later ARN checks only compare with values that
// are themselves right (no cascades). Both are read at synth time, so a
// token in either is a LiteralRule problem (NeedLiteral).
func (c *Collector) Env(accountField, account, regionField, region string) Env {
	e := Env{AccountField: accountField, RegionField: regionField}
	if c.NeedLiteral(accountField, account) && c.AccountID(accountField, account) {
		e.AccountId = account
	}
	if c.NeedLiteral(regionField, region) && c.Region(regionField, region) {
		e.Region = region
	}
	return e
}

// ArnRule returns why value is not an ARN of kind in env ("" when it is).
// The region and account are only compared when env knows them; a region
// check also fixes the partition.
func ArnRule(value string, kind ArnKind, env Env) string {
	shape := fmt.Sprintf("must be the ARN of a %s, %s", kind.What, kind.Example)
	a, ok := ParseARN(value)
	if !ok {
		return shape
	}
	if a.Service != kind.Service {
		return fmt.Sprintf("%s (this is an ARN of service %q)", shape, a.Service)
	}
	if kind.Resource != nil && !kind.Resource.MatchString(a.Resource) {
		return shape
	}
	if kind.NoRegion && a.Region != "" || !kind.NoRegion && !Region(a.Region) {
		return shape
	}
	if kind.NoAccount && a.Account != "" || !kind.NoAccount && !AccountID(a.Account) {
		return shape
	}
	if kind.Check != nil {
		if rule := kind.Check(a); rule != "" {
			return rule
		}
	}
	if p := env.Partition(); p != "" && a.Partition != p {
		return fmt.Sprintf("must be in partition %q, the partition of %s %q (this ARN is in %q)", p, env.RegionField, env.Region, a.Partition)
	}
	if env.partitionOnly {
		return ""
	}
	if !kind.NoRegion && env.Region != "" && a.Region != env.Region {
		return fmt.Sprintf("must be in region %q (%s): this %s is in %q", env.Region, env.RegionField, kind.What, a.Region)
	}
	if !kind.NoAccount && env.AccountId != "" && a.Account != env.AccountId {
		return fmt.Sprintf("must be in account %s (%s): this %s is in account %s", env.AccountId, env.AccountField, kind.What, a.Account)
	}
	return ""
}

// ARN checks that value is an ARN of kind in env (see ArnRule) and returns
// it parsed. A value that holds a token is Terraform's to check: ok is true
// (unless the token does not belong to the app) and a is zero.
func (c *Collector) ARN(field, value string, kind ArnKind, env Env) (a ARN, ok bool) {
	if HasToken(value) {
		n := c.Len()
		c.Literal(field, value)
		return ARN{}, c.Len() == n
	}
	if !c.Rule(field, value, ArnRule(value, kind, env)) {
		return ARN{}, false
	}
	a, _ = ParseARN(value)
	return a, true
}

var kmsKeyIDRe = regexp.MustCompile(`^(` + kmsKeyIDPattern + `)$`)

// KmsKeyIDRule returns why id is not a KMS key ID as Terraform accepts it
// (see KmsKeyArn), or "".
func KmsKeyIDRule(id string) string {
	if kmsKeyIDRe.MatchString(id) {
		return ""
	}
	return "must be a KMS key ID: a UUID (version 1-5) or a multi-Region key ID mrk-<32 hex digits>"
}
