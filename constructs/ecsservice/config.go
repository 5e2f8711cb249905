package ecsservice

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is zero.
const (
	// DefaultContainerInsights is the cluster's containerInsights setting.
	DefaultContainerInsights = "enabled"
	// DefaultPlatformVersion is the Fargate platform version.
	DefaultPlatformVersion = "LATEST"
	// DefaultDesiredCount is the number of tasks (two, for two AZs).
	DefaultDesiredCount = 2
	// DefaultDeploymentMinimumHealthyPercent keeps full capacity during a
	// deployment (percent of DesiredCount).
	DefaultDeploymentMinimumHealthyPercent = 100
	// DefaultDeploymentMaximumPercent lets a deployment start a full second
	// set of tasks (percent of DesiredCount).
	DefaultDeploymentMaximumPercent = 200
	// DefaultHealthCheckGracePeriodSeconds is how long (seconds) the service
	// ignores ALB health checks of a new task; it matches the container
	// health check's start period.
	DefaultHealthCheckGracePeriodSeconds = 60
	// DefaultCpu is the task CPU size (CPU units; 1024 = 1 vCPU).
	DefaultCpu = 256
	// DefaultMemory is the task memory size (MiB).
	DefaultMemory = 512
	// DefaultCpuArchitecture is the task's runtime_platform.cpu_architecture.
	DefaultCpuArchitecture = "X86_64"
	// MaxImageLength is the longest image reference ECS accepts.
	// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image
	MaxImageLength = 255
	// DefaultContainerName is the container's name in the task definition.
	DefaultContainerName = "app"
	// DefaultUser is the UID:GID the container runs as (the first user that
	// Alpine's adduser creates, as in the seed's Dockerfile).
	DefaultUser = "1000:1000"
	// DefaultLogRetentionInDays is the container log group's retention (days).
	DefaultLogRetentionInDays = 365
	// DefaultEcrMaxImageCount is how many images the ECR lifecycle policy keeps.
	DefaultEcrMaxImageCount = 30
	// EcrUntaggedExpirationDays expires untagged ECR images (days).
	EcrUntaggedExpirationDays = 7
	// DefaultDesyncMitigationMode is the ALB's desync_mitigation_mode.
	DefaultDesyncMitigationMode = "defensive"
	// DefaultIdleTimeout is the ALB's idle_timeout (seconds).
	DefaultIdleTimeout = 60
	// DefaultAccessLogsExpirationDays expires ALB access logs (days).
	DefaultAccessLogsExpirationDays = 365
	// AccessLogsNoncurrentVersionExpirationDays expires overwritten or
	// deleted access log versions (days); the bucket is versioned.
	AccessLogsNoncurrentVersionExpirationDays = 30
	// MaxExpirationDays bounds AccessLogsExpirationDays (100 years): S3
	// lifecycle days are 32-bit integers.
	MaxExpirationDays = 36500
	// AccessLogsPrefix is the key prefix of ALB access logs in the bucket.
	AccessLogsPrefix = "alb"
	// DefaultSslPolicy is the HTTPS listener's security policy (TLS 1.3 and
	// 1.2 with forward-secret AEAD ciphers).
	DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// DefaultHealthCheckPath is the target group and container health path.
	DefaultHealthCheckPath = "/health"
	// DefaultHealthCheckMatcher is the HTTP codes a healthy target returns.
	DefaultHealthCheckMatcher = "200"
	// DefaultHealthCheckIntervalSeconds is the target group check interval.
	DefaultHealthCheckIntervalSeconds = 30
	// DefaultHealthCheckTimeoutSeconds is the target group check timeout.
	DefaultHealthCheckTimeoutSeconds = 5
	// DefaultHealthyThreshold is the target group's healthy_threshold.
	DefaultHealthyThreshold = 3
	// DefaultUnhealthyThreshold is the target group's unhealthy_threshold.
	DefaultUnhealthyThreshold = 3
	// DefaultDeregistrationDelaySeconds is the target group's
	// deregistration_delay (seconds): in-flight requests get this long.
	DefaultDeregistrationDelaySeconds = 30
	// DefaultCpuTargetValue is the CPU target-tracking target (percent).
	DefaultCpuTargetValue = 70
	// DefaultMemoryTargetValue is the memory target-tracking target (percent).
	DefaultMemoryTargetValue = 80
	// DefaultScaleInCooldownSeconds and DefaultScaleOutCooldownSeconds are
	// the target-tracking cooldowns (seconds).
	DefaultScaleInCooldownSeconds  = 300
	DefaultScaleOutCooldownSeconds = 60
	// Container health check defaults, from the seed document (seconds,
	// except retries).
	DefaultContainerHealthCheckInterval    = 30
	DefaultContainerHealthCheckTimeout     = 5
	DefaultContainerHealthCheckRetries     = 3
	DefaultContainerHealthCheckStartPeriod = 60
)

// ContainerHealthCheck is the container definition's healthCheck.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
type ContainerHealthCheck struct {
	// Command is the check command, e.g. ["CMD-SHELL", "curl -f ..."]. It
	// must start with "CMD" or "CMD-SHELL". Default
	// ["CMD-SHELL", "curl -f http://localhost:<ContainerPort><HealthCheckPath> || exit 1"]
	// (the URL single-quoted when the path has characters other than
	// letters, digits and / . _ ~ -), which needs curl in the image
	// (distroless images must set their own). Text is literal: "${VAR}"
	// reaches the shell as written (escaped for Terraform).
	Command []string
	// Interval between checks, 5-300 seconds. Default 30.
	Interval int
	// Timeout of one check, 2-60 seconds and less than Interval. Default 5.
	Timeout int
	// Retries before the container is unhealthy, 1-10. Default 3.
	Retries int
	// StartPeriod during which failures do not count, 0-300 seconds.
	// Default 60.
	StartPeriod int
}

// HardenedEcsServiceConfig configures NewHardenedEcsService. Zero values mean
// the documented default.
type HardenedEcsServiceConfig struct {
	// AccountId is the 12-digit account the service deploys to. Required
	// (role trust conditions, key policy, ALB log bucket policy) unless
	// Provider has one literal allowed_account_ids entry.
	AccountId string
	// Region is the AWS region, e.g. "us-east-1". Required.
	Region string
	// Name is the base name of every resource (cluster, service, task
	// family, roles, log group, security groups, ALB and target group).
	// Default: validate.NameFromID(id), the construct id in lowercase with
	// other characters turned into '-'. Lowercase letters, digits and '-',
	// not starting with "sg-" (security group names cannot); it must be
	// unique per account and region because IAM role names are (two
	// constructs of one app that would create the same names are an error).
	Name string
	// Tags are set on every taggable resource the service creates, merged
	// by the provider with its default_tags; the service propagates its
	// tags to its tasks (propagate_tags SERVICE). Validated with
	// validate.Collector.Tags.
	Tags map[string]string
	// Provider creates every resource with this AWS provider, e.g. an
	// alias for a second region. Default: the stack's default AWS provider.
	// With a literal region and allowed_account_ids, Region and AccountId
	// default from it and must match it.
	Provider cdktf.TerraformProvider
	// KmsKey encrypts the log groups, the created ECR repository and ECS
	// Exec sessions with this key instead of a new one (bring your own key).
	// The construct adds the statement CloudWatch Logs needs to the key's
	// policy. It must be in AccountId and Region. Set at most one of KmsKey
	// and KmsKeyArn.
	KmsKey *securekey.SecureKey
	// KmsKeyArn encrypts them with a key managed elsewhere: its key policy
	// must contain HardenedEcsService.KeyPolicyStatements (CloudWatch Logs
	// of Region for this account's log groups).
	KmsKeyArn string

	// VpcId is the VPC's ID (may be a token, e.g. SecureVpc's). Required.
	VpcId string
	// VpcCidr is the VPC's IPv4 CIDR (may be a token). Required unless both
	// TaskEgressCidrBlocks (or AllowTaskEgressToInternet) and, for an
	// internal ALB, IngressCidrBlocks are set: it is the default of both.
	VpcCidr string
	// PublicSubnetIds are the ALB's subnets, in at least two AZs (elements
	// may be tokens). Required.
	PublicSubnetIds []string
	// PrivateSubnetIds are the tasks' subnets (elements may be tokens).
	// Required. Tasks never get a public IP.
	PrivateSubnetIds []string

	// ClusterArn runs the service in an existing cluster (of AccountId and
	// Region) instead of creating one. Default: create a cluster named Name.
	ClusterArn string
	// ContainerInsights is the created cluster's containerInsights setting:
	// "enabled" or "enhanced". Default "enabled".
	// See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html
	ContainerInsights string

	// PlatformVersion is the Fargate platform version: LATEST, 1.4.0 or
	// 1.3.0. Default LATEST. 1.3.0 is rejected with Cpu 8192 or 16384,
	// CpuArchitecture ARM64 or EnableExecuteCommand, which need 1.4.0.
	PlatformVersion string
	// DesiredCount is the number of tasks. Default 2. Autoscaling owns the
	// count afterwards (desired_count changes are ignored) unless
	// DesiredCountVariable is set.
	DesiredCount int
	// DesiredCountVariable, when set, names a Terraform variable (an
	// identifier Terraform does not reserve, see validate.VariableName;
	// type number, default DesiredCount, >= 0) that sets desired_count and caps
	// the autoscaling minimum, so responders can scale the service to zero
	// with `terraform apply -var <name>=0` (seed, "Emergency Procedures").
	// Every apply then resets the count to the variable. Default: none.
	DesiredCountVariable string
	// DeploymentMinimumHealthyPercent, 0-100. Default 100.
	DeploymentMinimumHealthyPercent int
	// DeploymentMaximumPercent, 100-400 and above the minimum. Default 200.
	DeploymentMaximumPercent int
	// HealthCheckGracePeriodSeconds, 0-7200. Default 60.
	HealthCheckGracePeriodSeconds int
	// EnableExecuteCommand turns ECS Exec on. Off by default: it gives
	// shell access to running tasks. When on, the created cluster logs
	// every session to an encrypted log group "/ecs/<Name>/exec", encrypts
	// sessions with the service's key, and the task role gets the SSM
	// messages permissions. It cannot be used with ClusterArn (the
	// construct could not guarantee session logging).
	EnableExecuteCommand bool

	// Cpu is the task CPU size in CPU units. Default 256.
	Cpu int
	// Memory is the task memory size in MiB; it must be a size Fargate
	// allows with Cpu (see FargateMemory). Default 512.
	Memory int
	// CpuArchitecture is X86_64 or ARM64. Default X86_64.
	CpuArchitecture string

	// ContainerName is the container's name. Default "app".
	ContainerName string
	// Image is the container image, pinned by tag or digest
	// ("repo:1.4.2", "repo@sha256:<hex>"); ":latest" and untagged images are
	// rejected. A token may stand in front of the tag. At most 255
	// characters (MaxImageLength). Required unless CreateEcrRepository is
	// set (then use ImageTag).
	Image string
	// ImageTag is the tag ("1.4.2") or digest ("sha256:<hex>") of the image
	// in the repository CreateEcrRepository creates.
	ImageTag string
	// ContainerPort is the port the container listens on, 1-65535. Required.
	ContainerPort int
	// User is the container's numeric "UID" or "UID:GID"; UID 0 (root) is
	// rejected. Default "1000:1000".
	User string
	// RunAsRoot leaves the user to the image (often root). Only for images
	// that cannot run as another user; User must then be empty.
	RunAsRoot bool
	// WritableRootFilesystem turns the read-only root filesystem off. Only
	// for applications that write outside /tmp (which is always a writable
	// task volume).
	WritableRootFilesystem bool
	// Environment holds plain environment variables. Values are literal:
	// "${USER}" reaches the container as written (escaped for Terraform).
	// Names that look like secrets (SecretLikeName) are rejected unless
	// listed in AllowPlainEnvironment: put secrets in Secrets.
	Environment map[string]string
	// AllowPlainEnvironment lists Environment names that look like secrets
	// but are not (e.g. "TOKEN_ENDPOINT").
	AllowPlainEnvironment []string
	// Secrets maps environment variable names to Secrets Manager secret
	// ARNs (optionally with ":<json-key>:<version-stage>:<version-id>") or
	// SSM parameter ARNs (valueFrom). The execution role may read exactly
	// these.
	// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
	Secrets map[string]string
	// SecretsKmsKeyArns are the customer-managed keys that encrypt Secrets;
	// the execution role gets kms:Decrypt on them via Secrets Manager and
	// SSM only. Not needed for the AWS managed keys.
	SecretsKmsKeyArns []string
	// HealthCheck is the container health check; zero fields take the
	// seed's defaults (30 s, 5 s, 3 retries, 60 s start period).
	HealthCheck ContainerHealthCheck

	// LogGroupName is the container log group: '/' and at most 499 more
	// letters, digits and . _ / # - (CloudWatch Logs' charset; "/exec" is
	// appended for ECS Exec). Default "/ecs/<Name>".
	LogGroupName string
	// LogRetentionInDays is a CloudWatch Logs retention value. Default 365.
	LogRetentionInDays int

	// CreateEcrRepository creates a private ECR repository named
	// EcrRepositoryName (IMMUTABLE tags, scan on push, KMS with the
	// service's key, lifecycle policy) and runs <repository_url>:<ImageTag>.
	CreateEcrRepository bool
	// EcrRepositoryName is the created repository's name. Default Name.
	EcrRepositoryName string
	// EcrMaxImageCount is how many images the lifecycle policy keeps
	// (untagged ones expire after 7 days). Default 30.
	EcrMaxImageCount int
	// EcrRepositoryArn is an existing private repository Image comes from;
	// the execution role may pull from it only. Leave empty for public
	// images (public.ecr.aws needs no IAM permission).
	EcrRepositoryArn string

	// Internal makes the ALB internal instead of internet-facing.
	Internal bool
	// IngressCidrBlocks may reach the ALB on 443 (and 80, which only
	// redirects). Default ["0.0.0.0/0"] for an internet-facing ALB (that
	// is its purpose) and [VpcCidr] for an internal one.
	IngressCidrBlocks []string
	// LoadBalancerName is the ALB name, at most 32 characters. Default
	// "<Name>-alb".
	LoadBalancerName string
	// TargetGroupName is the target group name, at most 32 characters.
	// Default "<Name>-tg". Changing it replaces the target group.
	TargetGroupName string
	// DisableDeletionProtection turns the ALB's deletion protection off, for
	// short-lived environments that must be destroyable in one step.
	DisableDeletionProtection bool
	// DesyncMitigationMode is "defensive" or "strictest". Default
	// "defensive" ("monitor" is rejected).
	DesyncMitigationMode string
	// IdleTimeout is the ALB idle timeout, 1-4000 seconds. Default 60.
	IdleTimeout int
	// AccessLogsBucketName is the ALB access log bucket. Default
	// "<Name>-alb-logs-<AccountId>-<Region>".
	AccessLogsBucketName string
	// AccessLogsExpirationDays expires access logs, 1-36500 days
	// (MaxExpirationDays). Default 365.
	AccessLogsExpirationDays int

	// CertificateArn is an existing ACM certificate in Region for the
	// HTTPS listener.
	CertificateArn string
	// CertificateDomainName requests a new ACM certificate for this name,
	// validated by DNS in Route53ZoneId.
	CertificateDomainName string
	// CertificateSubjectAlternativeNames are extra names of the new
	// certificate (same zone).
	CertificateSubjectAlternativeNames []string
	// Route53ZoneId is the hosted zone of CertificateDomainName, where the
	// validation records are written.
	Route53ZoneId string
	// SslPolicy is the HTTPS listener's security policy, one of
	// ModernSslPolicies. Default ELBSecurityPolicy-TLS13-1-2-2021-06.
	SslPolicy string
	// AllowPlainHttp serves the service over plain HTTP on port 80 when no
	// certificate is given. Dev only: for a throwaway environment without
	// a domain or certificate yet. Traffic and any session cookies are
	// readable on the network, and scanners report the listener (trivy
	// AWS-0054, CRITICAL). It is an error together with a certificate.
	AllowPlainHttp bool

	// HealthCheckPath is the path the ALB (and the default container health
	// check) requests: '/' then letters, digits and / . _ ~ % = ? & + , : @ -
	// (no spaces, quotes or shell characters: the default container check
	// runs it in a shell), at most 1024 characters (ALB's limit). Default
	// "/health".
	HealthCheckPath string
	// HealthCheckMatcher is the HTTP codes of a healthy target, e.g.
	// "200" or "200-299". Default "200".
	HealthCheckMatcher string
	// HealthCheckIntervalSeconds, 5-300. Default 30.
	HealthCheckIntervalSeconds int
	// HealthCheckTimeoutSeconds, 2-120 and less than the interval. Default 5.
	HealthCheckTimeoutSeconds int
	// HealthyThreshold, 2-10. Default 3.
	HealthyThreshold int
	// UnhealthyThreshold, 2-10. Default 3.
	UnhealthyThreshold int
	// DeregistrationDelaySeconds, 0-3600. Default 30.
	DeregistrationDelaySeconds int

	// TaskEgressCidrBlocks may be reached by tasks on TCP 443. Default
	// [VpcCidr]: the VPC's interface endpoints (ECR, Logs, Secrets Manager).
	// Each must lie inside VpcCidr (when literal) or PrivateRanges; anything
	// else needs AllowTaskEgressToInternet. No repeated entries (also for
	// IngressCidrBlocks and TaskEgressPrefixListIds).
	TaskEgressCidrBlocks []string
	// TaskEgressPrefixListIds may be reached by tasks on TCP 443, e.g. the
	// S3 gateway endpoint's prefix list (aws_vpc_endpoint.prefix_list_id):
	// private ECR serves image layers from S3, so pulls through the VPC
	// endpoints need it.
	TaskEgressPrefixListIds []string
	// AllowTaskEgressToInternet lets tasks reach any address on TCP 443
	// (replacing TaskEgressCidrBlocks): for VPCs without endpoints (AWS APIs
	// through NAT), images from public registries such as public.ecr.aws
	// (which has no VPC endpoint), or third-party HTTPS APIs. Scanners
	// report it (trivy AWS-0104, CRITICAL).
	AllowTaskEgressToInternet bool

	// MinCapacity is the autoscaling minimum (tasks), at least 1 and at
	// most DesiredCount. Default DesiredCount.
	MinCapacity int
	// MaxCapacity is the autoscaling maximum (tasks), at least DesiredCount.
	// Default 2 x MinCapacity.
	MaxCapacity int
	// CpuTargetValue is the average CPU utilization to track, 10-90
	// percent. Default 70.
	CpuTargetValue int
	// MemoryTargetValue is the average memory utilization to track, 10-90
	// percent. Default 80.
	MemoryTargetValue int
	// RequestsPerTarget adds ALBRequestCountPerTarget tracking with this
	// target (requests per target per minute). Default 0: off.
	RequestsPerTarget int
	// ScaleInCooldownSeconds, 0-3600. Default 300.
	ScaleInCooldownSeconds int
	// ScaleOutCooldownSeconds, 0-3600. Default 60.
	ScaleOutCooldownSeconds int
}

// Validate checks the config as NewHardenedEcsService(scope, id, cfg) does,
// without creating anything and without the scope and id checks
// (id taken in the scope) that need the construct tree. id supplies the
// default Name. It returns nil or a *validate.Error listing every problem.
func (cfg *HardenedEcsServiceConfig) Validate(id string) error {
	v := validate.New("ecsservice.NewHardenedEcsService")
	cfg.withDefaults(v, id)
	return v.Err()
}

// withDefaults returns the config with defaults applied and records every
// problem of it in v.
func (cfg *HardenedEcsServiceConfig) withDefaults(v *validate.Collector, id string) HardenedEcsServiceConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return HardenedEcsServiceConfig{}
	}
	c := *cfg
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	defs := func(p *string, d string) {
		if *p == "" {
			*p = d
		}
	}
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	defs(&c.Name, validate.NameFromID(id))
	defs(&c.ContainerInsights, DefaultContainerInsights)
	defs(&c.PlatformVersion, DefaultPlatformVersion)
	def(&c.DesiredCount, DefaultDesiredCount)
	def(&c.DeploymentMinimumHealthyPercent, DefaultDeploymentMinimumHealthyPercent)
	def(&c.DeploymentMaximumPercent, DefaultDeploymentMaximumPercent)
	def(&c.HealthCheckGracePeriodSeconds, DefaultHealthCheckGracePeriodSeconds)
	def(&c.Cpu, DefaultCpu)
	def(&c.Memory, DefaultMemory)
	defs(&c.CpuArchitecture, DefaultCpuArchitecture)
	defs(&c.ContainerName, DefaultContainerName)
	if !c.RunAsRoot {
		defs(&c.User, DefaultUser)
	}
	defs(&c.LogGroupName, "/ecs/"+c.Name)
	def(&c.LogRetentionInDays, DefaultLogRetentionInDays)
	if c.CreateEcrRepository {
		defs(&c.EcrRepositoryName, c.Name)
		def(&c.EcrMaxImageCount, DefaultEcrMaxImageCount)
	}
	if len(c.IngressCidrBlocks) == 0 {
		if c.Internal {
			if c.VpcCidr != "" {
				c.IngressCidrBlocks = []string{c.VpcCidr}
			}
		} else {
			c.IngressCidrBlocks = []string{"0.0.0.0/0"}
		}
	}
	// Names derived from an invalid Name are not reported again.
	derived := map[string]bool{"LoadBalancerName": c.LoadBalancerName == "", "TargetGroupName": c.TargetGroupName == "", "AccessLogsBucketName": c.AccessLogsBucketName == ""}
	defs(&c.LoadBalancerName, c.Name+"-alb")
	defs(&c.TargetGroupName, c.Name+"-tg")
	defs(&c.DesyncMitigationMode, DefaultDesyncMitigationMode)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	defs(&c.AccessLogsBucketName, fmt.Sprintf("%s-alb-logs-%s-%s", c.Name, c.AccountId, c.Region))
	def(&c.AccessLogsExpirationDays, DefaultAccessLogsExpirationDays)
	defs(&c.SslPolicy, DefaultSslPolicy)
	defs(&c.HealthCheckPath, DefaultHealthCheckPath)
	defs(&c.HealthCheckMatcher, DefaultHealthCheckMatcher)
	def(&c.HealthCheckIntervalSeconds, DefaultHealthCheckIntervalSeconds)
	def(&c.HealthCheckTimeoutSeconds, DefaultHealthCheckTimeoutSeconds)
	def(&c.HealthyThreshold, DefaultHealthyThreshold)
	def(&c.UnhealthyThreshold, DefaultUnhealthyThreshold)
	def(&c.DeregistrationDelaySeconds, DefaultDeregistrationDelaySeconds)
	if len(c.TaskEgressCidrBlocks) == 0 && !c.AllowTaskEgressToInternet && c.VpcCidr != "" {
		c.TaskEgressCidrBlocks = []string{c.VpcCidr}
	}
	if c.AllowTaskEgressToInternet {
		c.TaskEgressCidrBlocks = []string{"0.0.0.0/0"}
	}
	def(&c.MinCapacity, c.DesiredCount)
	def(&c.MaxCapacity, 2*c.MinCapacity)
	def(&c.CpuTargetValue, DefaultCpuTargetValue)
	def(&c.MemoryTargetValue, DefaultMemoryTargetValue)
	def(&c.ScaleInCooldownSeconds, DefaultScaleInCooldownSeconds)
	def(&c.ScaleOutCooldownSeconds, DefaultScaleOutCooldownSeconds)
	hc := &c.HealthCheck
	if len(hc.Command) == 0 {
		hc.Command = []string{"CMD-SHELL", fmt.Sprintf("curl -f %s || exit 1", healthCheckURL(c.ContainerPort, c.HealthCheckPath))}
	}
	def(&hc.Interval, DefaultContainerHealthCheckInterval)
	def(&hc.Timeout, DefaultContainerHealthCheckTimeout)
	def(&hc.Retries, DefaultContainerHealthCheckRetries)
	def(&hc.StartPeriod, DefaultContainerHealthCheckStartPeriod)

	checkConfig(&c, v, derived)
	return c
}

func between(x, lo, hi int) bool { return x >= lo && x <= hi }

func checkConfig(c *HardenedEcsServiceConfig, v *validate.Collector, derived map[string]bool) {
	// Environment and names.
	v.ConfigTokens(c)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)
	switch {
	case c.KmsKey != nil && c.KmsKeyArn != "":
		v.Add("KmsKeyArn", c.KmsKeyArn, "must be empty when KmsKey is set (one key)")
	case c.KmsKey != nil:
		c.KmsKey.CheckUse(v, "KmsKey", env, keyStatements(*c, env)...)
	case c.KmsKeyArn != "":
		v.ARN("KmsKeyArn", c.KmsKeyArn, validate.KmsKeyArn, env)
	}
	nameOK := v.Check(nameRe.MatchString(c.Name), "Name", c.Name, "must be lowercase letters, digits and '-', starting and ending with a letter or digit")
	if nameOK {
		v.Check(!strings.HasPrefix(c.Name, "sg-"), "Name", c.Name, "must not start with 'sg-': the security groups are named <Name>-alb and <Name>-task, and AWS rejects security group names starting with 'sg-'")
		v.Check(len(c.Name+"-execution") <= 64, "Name", c.Name, "must be at most 54 characters: the IAM role name <Name>-execution is limited to 64")
	}
	for _, n := range []struct{ field, value string }{{"LoadBalancerName", c.LoadBalancerName}, {"TargetGroupName", c.TargetGroupName}} {
		if !nameOK && derived[n.field] {
			continue
		}
		if len(n.value) > 32 {
			v.Add(n.field, n.value, fmt.Sprintf("is %d characters; ALB and target group names are limited to 32 (the default is generated from Name: shorten Name or set %s)", len(n.value), n.field))
		} else {
			v.Check(elbNameRe.MatchString(n.value) && !strings.HasPrefix(n.value, "internal-"), n.field, n.value,
				"must be letters, digits and '-', not start or end with '-', and not start with 'internal-'")
		}
	}

	// Network.
	v.Check(c.VpcId != "" && (isToken(c.VpcId) || vpcIDRe.MatchString(c.VpcId)), "VpcId", c.VpcId, "is required: a VPC ID (vpc-...) or a token")
	if c.VpcCidr != "" && !isToken(c.VpcCidr) {
		if p, rule := validate.CIDR(c.VpcCidr); rule != "" {
			v.Add("VpcCidr", c.VpcCidr, rule)
		} else {
			v.Check(p.Addr().Is4(), "VpcCidr", c.VpcCidr, "must be the VPC's IPv4 CIDR")
		}
	}
	checkSubnets(v, "PublicSubnetIds", c.PublicSubnetIds, 2, "at least two subnets in different AZs (an ALB needs two)")
	checkSubnets(v, "PrivateSubnetIds", c.PrivateSubnetIds, 1, "at least one subnet")
	if c.Internal && len(c.IngressCidrBlocks) == 0 {
		v.Add("IngressCidrBlocks", c.IngressCidrBlocks, "is required for an internal ALB unless VpcCidr is set (its default)")
	}
	checkCIDRs(v, "IngressCidrBlocks", c.IngressCidrBlocks, c.VpcCidr)
	checkUnique(v, "IngressCidrBlocks", c.IngressCidrBlocks)
	if len(c.TaskEgressCidrBlocks) == 0 && len(c.TaskEgressPrefixListIds) == 0 {
		v.Add("TaskEgressCidrBlocks", c.TaskEgressCidrBlocks, "is required unless VpcCidr (its default), TaskEgressPrefixListIds or AllowTaskEgressToInternet is set: tasks need HTTPS to ECR, CloudWatch Logs and Secrets Manager")
	}
	if !c.AllowTaskEgressToInternet {
		checkCIDRs(v, "TaskEgressCidrBlocks", c.TaskEgressCidrBlocks, c.VpcCidr)
		checkUnique(v, "TaskEgressCidrBlocks", c.TaskEgressCidrBlocks)
		checkPrivateEgress(v, c.TaskEgressCidrBlocks, c.VpcCidr)
	}
	for i, pl := range c.TaskEgressPrefixListIds {
		v.Check(isToken(pl) || prefixListRe.MatchString(pl), fmt.Sprintf("TaskEgressPrefixListIds[%d]", i), pl, "must be a prefix list ID (pl-...) or a token")
	}
	checkUnique(v, "TaskEgressPrefixListIds", c.TaskEgressPrefixListIds)

	// Cluster and service.
	if c.ClusterArn != "" {
		if m := clusterArnRe.FindStringSubmatch(c.ClusterArn); m != nil {
			v.Check((m[2] == c.Region || !validate.Region(c.Region)) && (m[3] == c.AccountId || !validate.AccountID(c.AccountId)), "ClusterArn", c.ClusterArn,
				fmt.Sprintf("must be a cluster in Region %q and AccountId %q: a service runs in a cluster of its own account and region", c.Region, c.AccountId))
		} else {
			v.Check(isToken(c.ClusterArn), "ClusterArn", c.ClusterArn, "must be an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>) or a token")
		}
		v.Check(!c.EnableExecuteCommand, "EnableExecuteCommand", c.EnableExecuteCommand, "needs a cluster created by this construct (ClusterArn empty): only then are exec sessions guaranteed to be logged to an encrypted log group")
	}
	v.Check(slices.Contains([]string{"enabled", "enhanced"}, c.ContainerInsights), "ContainerInsights", c.ContainerInsights, `must be "enabled" or "enhanced"`)
	if !platformRe.MatchString(c.PlatformVersion) {
		v.Add("PlatformVersion", c.PlatformVersion, "must be LATEST, 1.4.0 or 1.3.0")
	} else if c.PlatformVersion == "1.3.0" {
		var needs []string
		if c.Cpu >= 8192 {
			needs = append(needs, fmt.Sprintf("Cpu %d (8 and 16 vCPU)", c.Cpu))
		}
		if c.CpuArchitecture == "ARM64" {
			needs = append(needs, "CpuArchitecture ARM64")
		}
		if c.EnableExecuteCommand {
			needs = append(needs, "EnableExecuteCommand")
		}
		v.Check(len(needs) == 0, "PlatformVersion", c.PlatformVersion, "must be LATEST or 1.4.0 with "+strings.Join(needs, ", ")+": Fargate supports them from platform version 1.4.0")
	}
	v.Check(c.DesiredCount >= 1, "DesiredCount", c.DesiredCount, "must be at least 1 (0 means the default, 2; scale to zero with DesiredCountVariable)")
	if c.DesiredCountVariable != "" {
		if rule := validate.VariableName(c.DesiredCountVariable); rule != "" {
			v.Add("DesiredCountVariable", c.DesiredCountVariable, rule)
		}
	}
	v.Check(between(c.DeploymentMinimumHealthyPercent, 0, 100), "DeploymentMinimumHealthyPercent", c.DeploymentMinimumHealthyPercent, "must be 0-100 percent")
	v.Check(between(c.DeploymentMaximumPercent, 100, 400) && c.DeploymentMaximumPercent > c.DeploymentMinimumHealthyPercent,
		"DeploymentMaximumPercent", c.DeploymentMaximumPercent, "must be 100-400 percent and above DeploymentMinimumHealthyPercent, or a deployment cannot start a new task")
	v.Check(between(c.HealthCheckGracePeriodSeconds, 0, 7200), "HealthCheckGracePeriodSeconds", c.HealthCheckGracePeriodSeconds, "must be 0-7200 seconds")

	// Task definition.
	if mems, ok := FargateMemory[c.Cpu]; !ok {
		v.Add("Cpu", c.Cpu, fargateRule(c.Cpu))
	} else if !slices.Contains(mems, c.Memory) {
		v.Add("Memory", c.Memory, fargateRule(c.Cpu))
	}
	v.Check(c.CpuArchitecture == "X86_64" || c.CpuArchitecture == "ARM64", "CpuArchitecture", c.CpuArchitecture, "must be X86_64 or ARM64")

	// Container.
	v.Check(containerNameRe.MatchString(c.ContainerName), "ContainerName", c.ContainerName, "must be 1-255 letters, digits, '_' and '-', starting with a letter or digit")
	if c.CreateEcrRepository {
		v.Check(c.Image == "", "Image", c.Image, "must be empty with CreateEcrRepository: set ImageTag, the image is <repository_url>:<ImageTag>")
		if rule := imageTagRule(c.ImageTag); rule != "" {
			v.Add("ImageTag", c.ImageTag, rule)
		}
		v.Check(c.EcrRepositoryArn == "", "EcrRepositoryArn", c.EcrRepositoryArn, "must be empty with CreateEcrRepository")
		v.Check(len(c.EcrRepositoryName) >= 2 && len(c.EcrRepositoryName) <= 256 && ecrNameRe.MatchString(c.EcrRepositoryName), "EcrRepositoryName", c.EcrRepositoryName,
			"must be 2-256 lowercase letters, digits and '.', '_', '-', '/' separators")
		if imageTagRule(c.ImageTag) == "" && validate.AccountID(c.AccountId) && validate.Region(c.Region) {
			// <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>:<tag>
			n := len(c.AccountId + ".dkr.ecr." + c.Region + ".amazonaws.com/" + c.EcrRepositoryName + ":" + c.ImageTag)
			if strings.HasPrefix(c.Region, "cn-") {
				n += len(".cn")
			}
			v.Check(n <= MaxImageLength, "EcrRepositoryName", c.EcrRepositoryName, fmt.Sprintf("is too long: the image <repository_url>:<ImageTag> would be %d characters; ECS allows %d", n, MaxImageLength))
		}
		v.Check(between(c.EcrMaxImageCount, 1, 10000), "EcrMaxImageCount", c.EcrMaxImageCount, "must be 1-10000 images")
	} else {
		if rule := imageRule(c.Image); rule != "" {
			v.Add("Image", c.Image, rule)
		} else {
			v.Check(isToken(c.Image) || len(c.Image) <= MaxImageLength, "Image", c.Image, fmt.Sprintf("is %d characters; ECS allows %d", len(c.Image), MaxImageLength))
		}
		v.Check(c.ImageTag == "", "ImageTag", c.ImageTag, "is only used with CreateEcrRepository; pin Image itself")
		if c.EcrRepositoryArn != "" {
			v.Check(isToken(c.EcrRepositoryArn) || ecrArnRe.MatchString(c.EcrRepositoryArn), "EcrRepositoryArn", c.EcrRepositoryArn, "must be an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>) or a token")
		}
	}
	v.Check(between(c.ContainerPort, 1, 65535), "ContainerPort", c.ContainerPort, "is required: a TCP port 1-65535")
	if c.RunAsRoot {
		v.Check(c.User == "", "User", c.User, "must be empty with RunAsRoot")
	} else if m := userRe.FindStringSubmatch(c.User); m == nil {
		v.Add("User", c.User, `must be a numeric "UID" or "UID:GID" (names cannot be checked for root)`)
	} else {
		v.Check(strings.TrimLeft(m[1], "0") != "", "User", c.User, "must not be UID 0 (root); set RunAsRoot to opt out explicitly")
	}
	allowed := map[string]bool{}
	for _, n := range c.AllowPlainEnvironment {
		allowed[n] = true
	}
	for _, name := range sortedKeys(c.Environment) {
		f := "Environment[" + name + "]"
		v.Check(envNameRe.MatchString(name), f, name, "must be a variable name: letters, digits and '_', not starting with a digit")
		v.Check(allowed[name] || !SecretLikeName.MatchString(name), f, name,
			"looks like a secret: pass it in Secrets (Secrets Manager or SSM ARN), or list the name in AllowPlainEnvironment if it is not one")
		_, dup := c.Secrets[name]
		v.Check(!dup, f, name, "is also in Secrets")
	}
	for _, name := range sortedKeys(c.Secrets) {
		f := "Secrets[" + name + "]"
		arn := c.Secrets[name]
		v.Check(envNameRe.MatchString(name), f, name, "must be a variable name: letters, digits and '_', not starting with a digit")
		v.Check(isToken(arn) || smArnRe.MatchString(arn) || ssmArnRe.MatchString(arn), f, arn,
			"must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<stage>:<version>]) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)")
	}
	for i, k := range c.SecretsKmsKeyArns {
		v.ARN(fmt.Sprintf("SecretsKmsKeyArns[%d]", i), k, validate.KmsKeyArn, validate.Env{})
	}
	hc := c.HealthCheck
	v.Check(len(hc.Command) >= 2 && (hc.Command[0] == "CMD" || hc.Command[0] == "CMD-SHELL"), "HealthCheck.Command", hc.Command, `must start with "CMD" or "CMD-SHELL" followed by the command`)
	v.Check(between(hc.Interval, 5, 300), "HealthCheck.Interval", hc.Interval, "must be 5-300 seconds")
	v.Check(between(hc.Timeout, 2, 60) && (hc.Timeout < hc.Interval || !between(hc.Interval, 5, 300)), "HealthCheck.Timeout", hc.Timeout, "must be 2-60 seconds and less than HealthCheck.Interval")
	v.Check(between(hc.Retries, 1, 10), "HealthCheck.Retries", hc.Retries, "must be 1-10")
	v.Check(between(hc.StartPeriod, 0, 300), "HealthCheck.StartPeriod", hc.StartPeriod, "must be 0-300 seconds")

	// Logs.
	v.LogRetention("LogRetentionInDays", c.LogRetentionInDays)
	v.Check(logGroupNameRe.MatchString(c.LogGroupName), "LogGroupName", c.LogGroupName,
		"must start with '/' and be at most 500 of the characters CloudWatch Logs allows: letters, digits and . _ / # - (the ECS Exec log group appends \"/exec\"; the limit is 512)")

	// ALB.
	v.Check(c.DesyncMitigationMode == "defensive" || c.DesyncMitigationMode == "strictest", "DesyncMitigationMode", c.DesyncMitigationMode, `must be "defensive" or "strictest"`)
	v.Check(between(c.IdleTimeout, 1, 4000), "IdleTimeout", c.IdleTimeout, "must be 1-4000 seconds")
	if rule := validate.BucketName(c.AccessLogsBucketName); rule != "" && (nameOK || !derived["AccessLogsBucketName"]) {
		v.Add("AccessLogsBucketName", c.AccessLogsBucketName, rule+" (the default is <Name>-alb-logs-<AccountId>-<Region>)")
	}
	v.Check(between(c.AccessLogsExpirationDays, 1, MaxExpirationDays), "AccessLogsExpirationDays", c.AccessLogsExpirationDays, fmt.Sprintf("must be 1-%d days", MaxExpirationDays))
	if !slices.Contains(ModernSslPolicies, c.SslPolicy) {
		v.Suggest("SslPolicy", c.SslPolicy, fmt.Sprintf("must be one of the modern TLS 1.2+ policies %v", ModernSslPolicies), validate.Nearest(c.SslPolicy, ModernSslPolicies))
	}

	// Certificate.
	hasArn, hasDomain := c.CertificateArn != "", c.CertificateDomainName != ""
	switch {
	case hasArn && hasDomain:
		v.Add("CertificateArn", c.CertificateArn, "set either CertificateArn or CertificateDomainName, not both")
	case !hasArn && !hasDomain && !c.AllowPlainHttp:
		v.Add("CertificateArn", c.CertificateArn, "is required: the HTTPS listener needs CertificateArn or CertificateDomainName + Route53ZoneId (AllowPlainHttp is a dev-only escape)")
	case (hasArn || hasDomain) && c.AllowPlainHttp:
		v.Add("AllowPlainHttp", c.AllowPlainHttp, "must be false when a certificate is given: HTTP then only redirects to HTTPS")
	}
	if hasArn && !isToken(c.CertificateArn) {
		if m := certArnRe.FindStringSubmatch(c.CertificateArn); m == nil {
			v.Add("CertificateArn", c.CertificateArn, "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)")
		} else {
			v.Check(m[2] == c.Region || !validate.Region(c.Region), "CertificateArn", c.CertificateArn, fmt.Sprintf("must be in Region %q: an ALB can only use certificates of its own region", c.Region))
		}
	}
	if hasDomain {
		v.Check(domainRe.MatchString(c.CertificateDomainName) && len(c.CertificateDomainName) <= 253, "CertificateDomainName", c.CertificateDomainName, "must be a lowercase DNS name such as app.example.com")
		v.Check(zoneIDRe.MatchString(c.Route53ZoneId) || isToken(c.Route53ZoneId), "Route53ZoneId", c.Route53ZoneId, "is required with CertificateDomainName: a Route 53 hosted zone ID (Z...)")
		for i, san := range c.CertificateSubjectAlternativeNames {
			v.Check(domainRe.MatchString(san), fmt.Sprintf("CertificateSubjectAlternativeNames[%d]", i), san, "must be a lowercase DNS name")
		}
	} else {
		v.Check(c.Route53ZoneId == "", "Route53ZoneId", c.Route53ZoneId, "is only used with CertificateDomainName")
		v.Check(len(c.CertificateSubjectAlternativeNames) == 0, "CertificateSubjectAlternativeNames", c.CertificateSubjectAlternativeNames, "is only used with CertificateDomainName")
	}

	// Target group.
	v.Check(healthPathRe.MatchString(c.HealthCheckPath) && len(c.HealthCheckPath) <= 1024, "HealthCheckPath", c.HealthCheckPath,
		"must start with '/' and be at most 1024 characters of letters, digits and / . _ ~ % = ? & + , : @ - (no spaces, quotes, '$', ';', '|' or other shell characters: the default container health check runs it in a shell)")
	v.Check(matcherRe.MatchString(c.HealthCheckMatcher), "HealthCheckMatcher", c.HealthCheckMatcher, `must be HTTP codes 100-599 such as "200", "200,302" or "200-299"`)
	v.Check(between(c.HealthCheckIntervalSeconds, 5, 300), "HealthCheckIntervalSeconds", c.HealthCheckIntervalSeconds, "must be 5-300 seconds")
	v.Check(between(c.HealthCheckTimeoutSeconds, 2, 120) && (c.HealthCheckTimeoutSeconds < c.HealthCheckIntervalSeconds || !between(c.HealthCheckIntervalSeconds, 5, 300)), "HealthCheckTimeoutSeconds", c.HealthCheckTimeoutSeconds,
		"must be 2-120 seconds and less than HealthCheckIntervalSeconds")
	v.Check(between(c.HealthyThreshold, 2, 10), "HealthyThreshold", c.HealthyThreshold, "must be 2-10")
	v.Check(between(c.UnhealthyThreshold, 2, 10), "UnhealthyThreshold", c.UnhealthyThreshold, "must be 2-10")
	v.Check(between(c.DeregistrationDelaySeconds, 0, 3600), "DeregistrationDelaySeconds", c.DeregistrationDelaySeconds, "must be 0-3600 seconds")

	// Autoscaling.
	v.Check(c.MinCapacity >= 1 && (c.MinCapacity <= c.DesiredCount || c.DesiredCount < 1), "MinCapacity", c.MinCapacity, "must be at least 1 and at most DesiredCount")
	v.Check(c.MaxCapacity >= c.DesiredCount && c.MaxCapacity <= 1000, "MaxCapacity", c.MaxCapacity, "must be at least DesiredCount and at most 1000")
	v.Check(between(c.CpuTargetValue, 10, 90), "CpuTargetValue", c.CpuTargetValue, "must be 10-90 percent")
	v.Check(between(c.MemoryTargetValue, 10, 90), "MemoryTargetValue", c.MemoryTargetValue, "must be 10-90 percent")
	v.Check(c.RequestsPerTarget >= 0, "RequestsPerTarget", c.RequestsPerTarget, "must be 0 (off) or a positive number of requests per target per minute")
	v.Check(between(c.ScaleInCooldownSeconds, 0, 3600), "ScaleInCooldownSeconds", c.ScaleInCooldownSeconds, "must be 0-3600 seconds")
	v.Check(between(c.ScaleOutCooldownSeconds, 0, 3600), "ScaleOutCooldownSeconds", c.ScaleOutCooldownSeconds, "must be 0-3600 seconds")
}

func checkSubnets(v *validate.Collector, field string, ids []string, min int, what string) {
	tokens := false
	for i, id := range ids {
		if isToken(id) {
			tokens = true
			continue
		}
		v.Check(subnetIDRe.MatchString(id), fmt.Sprintf("%s[%d]", field, i), id, "must be a subnet ID (subnet-...) or a token")
	}
	// A list token (e.g. a whole subnet-ID list attribute) is one element,
	// so the count is only checked when every element is literal.
	v.Check(tokens && len(ids) > 0 || len(ids) >= min, field, ids, "is required: "+what)
	v.Check(len(uniqSorted(ids)) == len(ids), field, ids, "must not repeat a subnet")
}

// checkCIDRs checks literal CIDRs other than vpcCidr (checked on its own).
func checkCIDRs(v *validate.Collector, field string, cidrs []string, vpcCidr string) {
	for i, cidr := range cidrs {
		if isToken(cidr) || (cidr == vpcCidr && vpcCidr != "") {
			continue
		}
		if p, rule := validate.CIDR(cidr); rule != "" {
			v.Add(fmt.Sprintf("%s[%d]", field, i), cidr, rule)
		} else {
			v.Check(p.Addr().Is4(), fmt.Sprintf("%s[%d]", field, i), cidr, "must be an IPv4 CIDR")
		}
	}
}

// checkUnique reports a list that repeats an entry: every entry becomes one
// security group rule, and AWS rejects a duplicate rule at apply time.
func checkUnique(v *validate.Collector, field string, list []string) {
	v.Check(len(uniqSorted(list)) == len(list), field, list, "must not repeat an entry: each one becomes a security group rule, and AWS rejects duplicate rules")
}

// PrivateRanges are the IPv4 ranges TaskEgressCidrBlocks may reach without
// AllowTaskEgressToInternet (besides VpcCidr): RFC 1918 and the RFC 6598
// shared address space.
var PrivateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// within reports whether prefix p lies entirely inside r.
func within(p, r netip.Prefix) bool { return r.Bits() <= p.Bits() && r.Contains(p.Addr()) }

// checkPrivateEgress reports literal egress CIDRs outside PrivateRanges and
// the (literal) VPC CIDR: reaching them is internet egress, which needs
// AllowTaskEgressToInternet. Invalid CIDRs are reported by checkCIDRs.
func checkPrivateEgress(v *validate.Collector, cidrs []string, vpcCidr string) {
	vpc, vpcRule := validate.CIDR(vpcCidr)
	vpcOK := vpcCidr != "" && !isToken(vpcCidr) && vpcRule == "" && vpc.Addr().Is4()
	for i, cidr := range cidrs {
		if isToken(cidr) || (cidr == vpcCidr && vpcCidr != "") {
			continue
		}
		p, rule := validate.CIDR(cidr)
		if rule != "" || !p.Addr().Is4() {
			continue
		}
		ok := vpcOK && within(p, vpc)
		for _, r := range PrivateRanges {
			ok = ok || within(p, r)
		}
		v.Check(ok, fmt.Sprintf("TaskEgressCidrBlocks[%d]", i), cidr,
			fmt.Sprintf("must lie inside VpcCidr or a private range %v: anything else is internet egress; set AllowTaskEgressToInternet to say so explicitly", PrivateRanges))
	}
}

// healthCheckURL is the URL the default container health check requests.
// A path with characters other than letters, digits and / . _ ~ - is
// single-quoted for the shell (HealthCheckPath cannot contain a quote), so
// "&" or "?" stay part of the URL.
func healthCheckURL(port int, path string) string {
	url := fmt.Sprintf("http://localhost:%d%s", port, path)
	if plainPathRe.MatchString(path) {
		return url
	}
	return "'" + url + "'"
}

// keyStatements are the key-policy statements the service's key needs:
// CloudWatch Logs of the region may use it for log groups of the account.
func keyStatements(c HardenedEcsServiceConfig, env validate.Env) []iampolicy.Statement {
	sid := "AllowCloudWatchLogs"
	if c.KmsKey != nil || c.KmsKeyArn != "" {
		// A shared key holds one statement per service.
		sid += "Ecs" + alnumRe.ReplaceAllString(c.Name, "")
	}
	return []iampolicy.Statement{securekey.LogsStatement(sid, env.Region, "ArnLike",
		fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", env.Partition(), env.Region, env.AccountId))}
}

// keyAlias is the alias of the key the service creates.
func keyAlias(c HardenedEcsServiceConfig) string { return "alias/" + c.Name + "-ecs" }

// outputNames are the Terraform output names of the service with id.
func outputNames(id string) []string {
	prefix := outputPrefix(id)
	var out []string
	for _, o := range []string{OutputAlbDnsName, OutputAlbZoneId, OutputAlbArn, OutputAlbArnSuffix, OutputTargetGroupArnSuffix,
		OutputServiceName, OutputServiceArn, OutputClusterName, OutputClusterArn, OutputLogGroupName,
		OutputAlbSecurityGroupId, OutputTaskSecurityGroupId, OutputExecutionRoleArn, OutputTaskRoleArn} {
		out = append(out, prefix+"_"+o)
	}
	return out
}

// claims are the names the service creates that must be unique in the app.
func claims(c HardenedEcsServiceConfig, id string) []registry.Claim {
	cluster := c.ClusterArn
	if cluster == "" {
		cluster = c.Name
	}
	out := []registry.Claim{
		{Kind: registry.IAMRole, Name: c.Name + "-execution", Field: "Name"},
		{Kind: registry.IAMRole, Name: c.Name + "-task", Field: "Name"},
		{Kind: registry.LogGroup, Name: c.LogGroupName, Field: "LogGroupName"},
		{Kind: registry.TaskFamily, Name: c.Name, Field: "Name"},
		{Kind: registry.ECSService, Name: c.Name, Field: "Name", Qualifier: cluster},
		{Kind: registry.SecurityGroup, Name: c.Name + "-alb", Field: "Name", Qualifier: c.VpcId},
		{Kind: registry.SecurityGroup, Name: c.Name + "-task", Field: "Name", Qualifier: c.VpcId},
		{Kind: registry.LoadBalancer, Name: c.LoadBalancerName, Field: "LoadBalancerName"},
		{Kind: registry.TargetGroup, Name: c.TargetGroupName, Field: "TargetGroupName"},
		{Kind: registry.S3Bucket, Name: c.AccessLogsBucketName, Field: "AccessLogsBucketName"},
		{Kind: registry.ScalingPolicy, Name: c.Name + "-cpu-scaling", Field: "Name"},
		{Kind: registry.ScalingPolicy, Name: c.Name + "-memory-scaling", Field: "Name"},
	}
	if c.KmsKey == nil && c.KmsKeyArn == "" {
		out = append(out, registry.Claim{Kind: registry.KMSAlias, Name: keyAlias(c), Field: "Name"})
	}
	if c.EnableExecuteCommand {
		out = append(out, registry.Claim{Kind: registry.LogGroup, Name: c.LogGroupName + "/exec", Field: "LogGroupName"})
	}
	if c.ClusterArn == "" {
		out = append(out, registry.Claim{Kind: registry.ECSCluster, Name: c.Name, Field: "Name"})
	}
	if c.CreateEcrRepository {
		out = append(out, registry.Claim{Kind: registry.ECRRepository, Name: c.EcrRepositoryName, Field: "EcrRepositoryName"})
	}
	if c.RequestsPerTarget > 0 {
		out = append(out, registry.Claim{Kind: registry.ScalingPolicy, Name: c.Name + "-requests-scaling", Field: "Name"})
	}
	if c.DesiredCountVariable != "" {
		out = append(out, registry.Claim{Kind: registry.Variable, Name: c.DesiredCountVariable, Field: "DesiredCountVariable"})
	}
	return append(out, registry.Outputs("id", outputNames(id)...)...)
}
