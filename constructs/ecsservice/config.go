package ecsservice

import (
	"fmt"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/albcore"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/policydoc"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults applied when the matching config field is unset (nil or "").
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
	// DefaultCpu is the task CPU size (CPU units; 1024 = 1 vCPU).
	DefaultCpu = 256
	// DefaultMemoryMiB is the task memory size (MiB) of the default Cpu.
	DefaultMemoryMiB = 512
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
	// DefaultIdleTimeoutSeconds is the ALB's idle_timeout (seconds).
	DefaultIdleTimeoutSeconds = 60
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
	// Container health check defaults, from the seed document.
	DefaultContainerHealthCheckIntervalSeconds    = 30
	DefaultContainerHealthCheckTimeoutSeconds     = 5
	DefaultContainerHealthCheckRetries            = 3
	DefaultContainerHealthCheckStartPeriodSeconds = 60
	// DefaultSteadyStateTimeoutMinutes is how long terraform apply waits for
	// a deployment to reach a steady state (minutes) before it fails.
	DefaultSteadyStateTimeoutMinutes = 30
)

// ContainerHealthCheck is the container definition's healthCheck. Unset
// numbers take the seed's defaults.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
type ContainerHealthCheck struct {
	// Command is the check command, e.g. ["CMD-SHELL", "curl -f ..."]. It
	// must start with "CMD" or "CMD-SHELL", followed by at least one
	// element, none of them blank (an empty shell script exits 0, so the
	// check could never fail). Default
	// ["CMD-SHELL", "curl -f http://localhost:<ContainerPort><HealthCheckPath> || exit 1"]
	// (the URL single-quoted when the path has characters other than
	// letters, digits and / . _ ~ -), which needs curl in the image
	// (distroless images must set their own). Text is literal: "${VAR}"
	// reaches the shell as written (escaped for Terraform).
	Command []string
	// IntervalSeconds between checks, 5-300. Default 30.
	IntervalSeconds *int
	// TimeoutSeconds of one check, 2-60 and less than IntervalSeconds.
	// Default 5.
	TimeoutSeconds *int
	// Retries before the container is unhealthy, 1-10. Default 3.
	Retries *int
	// StartPeriodSeconds during which failures do not count, 0-300.
	// Default 60. HealthCheckGracePeriodSeconds must be at least this long.
	StartPeriodSeconds *int
}

// HardenedEcsServiceConfig configures NewHardenedEcsService. Unset fields
// (nil, "", false) mean the documented default; optional numbers are
// pointers so that 0 can be set where AWS allows it (new(0) in Go 1.26).
//
// IDs, ARNs, CIDRs and environment values may be tokens (a resource's
// attribute, a variable): Terraform gets them as they are. The construct
// reads the names it derives and claims, the enums that decide what it
// builds and the values a security rule checks at synth time, so a token in
// one of these is a validate.LiteralRule problem: AccountId, Region, Name,
// ContainerInsights, PlatformVersion, CpuArchitecture, ContainerName,
// ImageTag, User, LogGroupName, EcrRepositoryName, TargetGroupName,
// HealthCheckPath, DesiredCountVariable, LoadBalancerName,
// AccessLogsBucketName, DesyncMitigationMode, SslPolicy,
// CertificateDomainName and CertificateSubjectAlternativeNames. Image
// may hold a token before a literal tag or digest.
type HardenedEcsServiceConfig struct {
	// AccountId is the 12-digit account the service deploys to. Required
	// (role trust conditions, key policy, ALB log bucket policy) unless
	// Provider has one literal allowed_account_ids entry.
	AccountId string
	// Region is the AWS region, e.g. "eu-west-1". Required unless Provider
	// has a literal region.
	Region string
	// Name is the base name of every resource (cluster, service, task
	// family, roles, log group, security groups, ALB and target group).
	// Default: validate.NameFromID(id), the construct id in lowercase with
	// other characters turned into '-'. Lowercase letters, digits and '-',
	// at most 54 characters (the role <Name>-execution is limited to 64),
	// not starting with "sg-" (security group names cannot); it must be
	// unique per account and region because IAM role names are (two
	// constructs of one app that would create the same names are an error).
	Name string
	// Tags are set on every taggable resource the service creates, merged
	// by the provider with its default_tags; the service propagates its
	// tags to its tasks (propagate_tags SERVICE). Validated with
	// validate.Collector.Tags (at most 50; keys 1-128 and values 0-256
	// characters of letters, digits, spaces and _ . : / = + - @).
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

	// ExecutionRole is a role of this app (e.g. one shared by several
	// services) that the ECS agent uses instead of a role the construct
	// would create: the construct attaches its execution policy to it
	// (inline policy "<Name>-execution": ECR pull on the image's repository,
	// the log group, the secrets). Its trust policy must let
	// ecs-tasks.amazonaws.com assume it. Set at most one of ExecutionRole
	// and ExecutionRoleArn.
	ExecutionRole iamrole.IamRole
	// ExecutionRoleArn is an execution role managed elsewhere, in
	// AccountId: the construct attaches nothing to it. It must trust
	// ecs-tasks.amazonaws.com and allow what
	// HardenedEcsService.ExecutionPolicyDocument lists (ECR pull, the log
	// group's streams, the secrets and their keys); the image's repository
	// policy must allow it when the repository is in another account.
	ExecutionRoleArn string
	// TaskRole is a role of this app the application runs as instead of an
	// empty role the construct would create; AddTaskRolePolicy, grants
	// (TaskRoleGrantee) and the ECS Exec policy attach to it. It must trust
	// ecs-tasks.amazonaws.com. Set at most one of TaskRole and TaskRoleArn.
	TaskRole iamrole.IamRole
	// TaskRoleArn is a task role managed elsewhere, in AccountId: the
	// construct attaches nothing to it (AddTaskRolePolicy returns an error;
	// grants go to the resource policies); with EnableExecuteCommand it
	// needs HardenedEcsService.ExecPolicyDocument.
	TaskRoleArn string
	// PermissionsBoundaryArn is set as the permissions boundary of every
	// role the construct creates: a managed policy of AccountId, or an AWS
	// managed policy (arn:<partition>:iam::aws:policy/...).
	PermissionsBoundaryArn string

	// VpcId is the VPC's ID (may be a token, e.g. SecureVpc's). Required.
	VpcId string
	// VpcCidr is the VPC's IPv4 CIDR (may be a token). Required unless both
	// TaskEgressCidrBlocks (or AllowTaskEgressToInternet) and, for an
	// internal ALB, IngressCidrBlocks are set: it is the default of both.
	VpcCidr string
	// PublicSubnetIds are the ALB's subnets, in at least two AZs (elements
	// may be tokens). Required unless the service attaches to a shared ALB.
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
	// DesiredCount is the number of tasks, 1-5000 (ECS's tasks-per-service
	// quota). Default 2. 0 is refused: target tracking cannot scale out
	// from zero tasks (no tasks, no metric); scale to zero with
	// DesiredCountVariable instead. Autoscaling owns the count afterwards
	// (desired_count changes are ignored) unless DesiredCountVariable is set.
	DesiredCount *int
	// DesiredCountVariable, when set, names a Terraform variable (an
	// identifier Terraform does not reserve, see validate.VariableName;
	// type number, default DesiredCount, >= 0) that sets desired_count and caps
	// the autoscaling minimum, so responders can scale the service to zero
	// with `terraform apply -var <name>=0` (seed, "Emergency Procedures").
	// Every apply then resets the count to the variable. Default: none.
	DesiredCountVariable string
	// DeploymentMinimumHealthyPercent is the share of DesiredCount that
	// stays running during a deployment, 0-100 percent. Default 100.
	DeploymentMinimumHealthyPercent *int
	// DeploymentMaximumPercent caps running tasks during a deployment,
	// 100-400 percent and above DeploymentMinimumHealthyPercent. Default 200.
	DeploymentMaximumPercent *int
	// HealthCheckGracePeriodSeconds is how long ECS ignores failed ALB and
	// container health checks of a new task, 0-2147483647 seconds (ECS's
	// range). It must be at least HealthCheck.StartPeriodSeconds, the time
	// the application declares it needs to start: during it the ALB's
	// checks fail, and after UnhealthyThreshold failures ECS would replace
	// the task, so a deployment would never finish. (It need not cover the
	// ALB's time to mark a healthy target healthy: a new target is "initial",
	// not unhealthy, until its checks decide.) 0 works for an application
	// with a StartPeriodSeconds of 0. Default: HealthCheck.StartPeriodSeconds
	// (60).
	HealthCheckGracePeriodSeconds *int
	// EnableExecuteCommand turns ECS Exec on. Off by default: it gives
	// shell access to running tasks. When on, the created cluster logs
	// every session to an encrypted log group "/ecs/<Name>/exec", encrypts
	// sessions with the service's key, and the task role gets the SSM
	// messages permissions. It cannot be used with ClusterArn (the
	// construct could not guarantee session logging).
	EnableExecuteCommand bool
	// DisableWaitForSteadyState lets terraform apply return as soon as ECS
	// accepted a deployment, without waiting for the new tasks to become
	// healthy. Off by default: with the circuit breaker's automatic
	// rollback, an apply that does not wait reports success while ECS rolls
	// a failed deployment back. By default the service waits
	// (wait_for_steady_state, SteadyStateTimeoutMinutes) and a
	// postcondition fails the apply when the service ends up on another
	// task definition than the one just applied (a rollback). Set it only
	// where something else watches deployments (e.g. a pipeline that polls
	// the service's rolloutState) and the apply must stay short.
	DisableWaitForSteadyState bool
	// SteadyStateTimeoutMinutes bounds the wait for a steady state on
	// create and update, 5-1440 minutes (the provider's create/update
	// timeouts). Default 30. Unused with DisableWaitForSteadyState.
	SteadyStateTimeoutMinutes *int

	// Cpu is the task CPU size in CPU units (1024 per vCPU), one of the
	// Fargate sizes (keys of FargateMemory). Default 256.
	Cpu *int
	// MemoryMiB is the task memory size in MiB; it must be a size Fargate
	// allows with Cpu (see FargateMemory). Default: the smallest of those,
	// DefaultMemoryFor(Cpu) (512 for the default Cpu 256).
	MemoryMiB *int
	// CpuArchitecture is X86_64 or ARM64. Default X86_64.
	CpuArchitecture string

	// ContainerName is the container's name. Default "app".
	ContainerName string
	// Image is the container image, pinned by tag or digest
	// ("repo:1.4.2", "repo@sha256:<64 hex>", "repo:1.4.2@sha256:<64 hex>"),
	// parsed with the Docker reference grammar; ":latest" and untagged
	// images are rejected. A token may stand in front of the tag. At most
	// 255 characters (MaxImageLength). Required unless CreateEcrRepository
	// is set (then use ImageTag). What the image needs is derived from its
	// registry (see ImageSource): a private ECR image grants pull on exactly
	// its repository; an image of another registry needs
	// AllowTaskEgressToInternet.
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
	// Names that look like secrets (SecretLikeName: DB_PASS, API_TOKEN, ...)
	// and values that hold credentials (a URL with a password such as
	// postgres://user:pass@host/db, an AWS access key ID, a private key, a
	// well-known API token) are rejected unless the name is listed in
	// AllowPlainEnvironment: put secrets in Secrets.
	Environment map[string]string
	// AllowPlainEnvironment lists Environment names that look like secrets
	// but are not (e.g. "TOKEN_ENDPOINT"), or whose credential-like value is
	// deliberately plain (a throwaway development password).
	AllowPlainEnvironment []string
	// Secrets maps environment variable names to Secrets Manager secret
	// ARNs (optionally with ":<json-key>:<version-stage>:<version-id>") or
	// SSM parameter ARNs (valueFrom), of the service's partition (any
	// account or region ECS can read them from). The execution role may
	// read exactly these.
	// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
	Secrets map[string]string
	// SecretsKmsKeyArns are the customer-managed keys that encrypt Secrets;
	// the execution role gets kms:Decrypt on them via Secrets Manager and
	// SSM only. Not needed for the AWS managed keys.
	SecretsKmsKeyArns []string
	// HealthCheck is the container health check; unset fields take the
	// seed's defaults (30 s, 5 s, 3 retries, 60 s start period).
	HealthCheck ContainerHealthCheck

	// LogGroupName is the container log group, a CloudWatch Logs name
	// (validate.LogGroupName; "/exec" is appended for ECS Exec). Default
	// "/ecs/<Name>".
	LogGroupName string
	// LogRetentionInDays is a CloudWatch Logs retention value
	// (validate.LogRetentionDays). Default 365.
	LogRetentionInDays *int

	// CreateEcrRepository creates a private ECR repository named
	// EcrRepositoryName (IMMUTABLE tags, scan on push, KMS with the
	// service's key, lifecycle policy) and runs <repository_url>:<ImageTag>.
	CreateEcrRepository bool
	// EcrRepositoryName is the created repository's name. Default Name.
	EcrRepositoryName string
	// EcrMaxImageCount is how many images the lifecycle policy keeps,
	// 1-10000 (untagged ones expire after 7 days). Default 30.
	EcrMaxImageCount *int
	// EcrRepositoryArn is the private repository Image comes from, for an
	// Image whose registry is a token. A literal ECR Image needs no ARN (it
	// is derived from the image); when both are given they must name the
	// same repository.
	EcrRepositoryArn string

	// Attach attaches the service to a shared ALB (a
	// loadbalancer.HardenedAlb, or one managed elsewhere given by its
	// listener ARN and security group) with a listener rule of its own,
	// instead of creating an ALB. Default nil: the service creates its own
	// ALB, configured by the fields below (which must then be unset).
	Attach *Attachment

	// Internal makes the ALB internal instead of internet-facing.
	Internal bool
	// IngressCidrBlocks may reach the ALB on 443 (and 80, which only
	// redirects). Default ["0.0.0.0/0"] for an internet-facing ALB (that
	// is its purpose) and [VpcCidr] for an internal one. Unset (nil) means
	// the default; an empty, non-nil list is an error, not "everyone".
	IngressCidrBlocks []string
	// SecurityGroupRuleQuota is the account's "Inbound or outbound rules
	// per security group" quota (validate.DefaultSecurityGroupRuleQuota,
	// 60, unless raised in Service Quotas; at most 1,000), against which
	// the ALB's inbound rules (one per IngressCidrBlocks entry and port) are
	// checked at synth, and so are the tasks' outbound rules (TaskEgressCidrBlocks and TaskEgressPrefixListIds). Set it after raising the quota. Default 60.
	SecurityGroupRuleQuota *int
	// LoadBalancerName is the ALB name (validate.LoadBalancerName: at most
	// 32 characters). Default "<Name>-alb".
	LoadBalancerName string
	// TargetGroupName is the target group name (validate.TargetGroupName:
	// at most 32 characters). Default "<Name>-tg". Changing it replaces the
	// target group.
	TargetGroupName string
	// DisableDeletionProtection turns the ALB's deletion protection off, for
	// short-lived environments that must be destroyable in one step.
	DisableDeletionProtection bool
	// DesyncMitigationMode is "defensive" or "strictest". Default
	// "defensive" ("monitor" is rejected).
	DesyncMitigationMode string
	// IdleTimeoutSeconds is the ALB idle timeout, 1-4000 seconds. Default 60.
	IdleTimeoutSeconds *int
	// AccessLogsBucketName is the ALB access log bucket. Default
	// "<Name>-alb-logs-<AccountId>-<Region>".
	AccessLogsBucketName string
	// AccessLogsExpirationDays expires access logs, 1-36500 days
	// (MaxExpirationDays). Default 365.
	AccessLogsExpirationDays *int

	// CertificateArn is an existing ACM certificate of AccountId and Region
	// for the HTTPS listener (an ALB can only use certificates of its own
	// account and region).
	CertificateArn string
	// CertificateDomainName requests a new ACM certificate for this
	// lowercase DNS name ("app.example.com" or "*.example.com"), validated
	// by DNS in Route53ZoneId.
	CertificateDomainName string
	// CertificateSubjectAlternativeNames are extra names of the new
	// certificate, in the same hosted zone. Names repeated (or equal to
	// CertificateDomainName) are an error. One validation record is written
	// per distinct name without its "*." (ACM validates "example.com" and
	// "*.example.com" with the same record).
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
	// HealthCheckMatcher is the HTTP codes of a healthy target: codes
	// 200-499 (the ALB's range), one ("200"), a list ("200,302") or ranges
	// ("200-299"); see validate.HealthCheckMatcher. Default "200".
	HealthCheckMatcher string
	// HealthCheckIntervalSeconds is the ALB health check interval, 5-300
	// seconds. Default 30.
	HealthCheckIntervalSeconds *int
	// HealthCheckTimeoutSeconds is the ALB health check timeout, 2-120
	// seconds and less than HealthCheckIntervalSeconds. Default 5.
	HealthCheckTimeoutSeconds *int
	// HealthyThreshold is the number of consecutive successful checks
	// before a target is healthy, 2-10. Default 3.
	HealthyThreshold *int
	// UnhealthyThreshold is the number of consecutive failed checks before
	// a target is unhealthy, 2-10. Default 3.
	UnhealthyThreshold *int
	// DeregistrationDelaySeconds is how long a deregistering target keeps
	// its in-flight requests, 0-3600 seconds. Default 30.
	DeregistrationDelaySeconds *int

	// TaskEgressCidrBlocks may be reached by tasks on TCP 443. Default
	// [VpcCidr]: the VPC's interface endpoints (ECR, Logs, Secrets Manager).
	// Each must lie inside VpcCidr (when literal) or PrivateRanges; anything
	// else needs AllowTaskEgressToInternet. No repeated entries (also for
	// IngressCidrBlocks and TaskEgressPrefixListIds).
	TaskEgressCidrBlocks []string
	// TaskEgressPrefixListIds may be reached by tasks on TCP 443, e.g. the
	// S3 gateway endpoint's prefix list (aws_vpc_endpoint.prefix_list_id):
	// private ECR serves image layers from S3, so an ECR image without
	// AllowTaskEgressToInternet needs it.
	TaskEgressPrefixListIds []string
	// AllowTaskEgressToInternet lets tasks reach any address on TCP 443
	// (replacing TaskEgressCidrBlocks): for VPCs without endpoints (AWS APIs
	// through NAT), images from registries other than the region's private
	// ECR (Docker Hub, ghcr.io, quay.io, public.ecr.aws, which have no VPC
	// endpoint; an ECR pull-through cache rule serves them from private ECR
	// instead), or third-party HTTPS APIs. Scanners report it (trivy
	// AWS-0104, CRITICAL).
	AllowTaskEgressToInternet bool

	// MinCapacity is the autoscaling minimum (tasks), at least 1 and at
	// most DesiredCount. Default DesiredCount.
	MinCapacity *int
	// MaxCapacity is the autoscaling maximum (tasks), at least DesiredCount
	// and at most 5000. Default 2 x MinCapacity.
	MaxCapacity *int
	// CpuTargetValue is the average CPU utilization to track, 10-90
	// percent. Default 70.
	CpuTargetValue *int
	// MemoryTargetValue is the average memory utilization to track, 10-90
	// percent. Default 80.
	MemoryTargetValue *int
	// RequestsPerTarget adds ALBRequestCountPerTarget tracking with this
	// target, at least 1 request per target per minute. Default: off.
	RequestsPerTarget *int
	// ScaleInCooldownSeconds is the target-tracking scale-in cooldown,
	// 0-3600 seconds. Default 300.
	ScaleInCooldownSeconds *int
	// ScaleOutCooldownSeconds is the target-tracking scale-out cooldown,
	// 0-3600 seconds. Default 60.
	ScaleOutCooldownSeconds *int
}

// Validate checks the config as NewHardenedEcsService(scope, id, cfg) does,
// without creating anything and without the scope and id checks
// (id taken in the scope) that need the construct tree. id supplies the
// default Name. It returns nil or a *validate.Error listing every problem.
func (cfg *HardenedEcsServiceConfig) Validate(id string) error {
	v := validate.NewFor("ecsservice.NewHardenedEcsService", id)
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
	def := func(p **int, d int) {
		if *p == nil {
			*p = &d
		}
	}
	defs := func(p *string, d string) {
		if *p == "" {
			*p = d
		}
	}
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	d := derivedFields{}
	if c.Name == "" {
		c.Name, d.name = validate.NameFromID(id), true
	}
	defs(&c.ContainerInsights, DefaultContainerInsights)
	defs(&c.PlatformVersion, DefaultPlatformVersion)
	def(&c.DesiredCount, DefaultDesiredCount)
	def(&c.DeploymentMinimumHealthyPercent, DefaultDeploymentMinimumHealthyPercent)
	def(&c.DeploymentMaximumPercent, DefaultDeploymentMaximumPercent)
	def(&c.SteadyStateTimeoutMinutes, DefaultSteadyStateTimeoutMinutes)
	def(&c.Cpu, DefaultCpu)
	def(&c.MemoryMiB, DefaultMemoryFor(*c.Cpu))
	defs(&c.CpuArchitecture, DefaultCpuArchitecture)
	defs(&c.ContainerName, DefaultContainerName)
	if !c.RunAsRoot {
		defs(&c.User, DefaultUser)
	}
	d.logGroup = c.LogGroupName == ""
	defs(&c.LogGroupName, "/ecs/"+c.Name)
	def(&c.LogRetentionInDays, DefaultLogRetentionInDays)
	if c.CreateEcrRepository {
		d.ecrName = c.EcrRepositoryName == ""
		defs(&c.EcrRepositoryName, c.Name)
		def(&c.EcrMaxImageCount, DefaultEcrMaxImageCount)
	}
	// Names derived from an invalid Name are not reported again.
	if c.Attach == nil {
		alb := c.albSettings()
		d.alb = albcore.Defaults(&alb, c.VpcCidr, c.LoadBalancerName, c.AccessLogsBucketName, c.IdleTimeoutSeconds, c.AccessLogsExpirationDays)
		c.LoadBalancerName, c.AccessLogsBucketName, c.IngressCidrBlocks = alb.LoadBalancerName, alb.AccessLogsBucketName, alb.IngressCidrBlocks
		c.DesyncMitigationMode, c.SslPolicy = alb.DesyncMitigationMode, alb.SslPolicy
		c.IdleTimeoutSeconds, c.AccessLogsExpirationDays = &alb.IdleTimeoutSeconds, &alb.AccessLogsExpirationDays
		c.SecurityGroupRuleQuota = &alb.SecurityGroupRuleQuota
	} else {
		attachDefaults(&c)
	}
	d.targetGroup = c.TargetGroupName == ""
	defs(&c.TargetGroupName, c.Name+"-tg")
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
	d.minCapacity, d.maxCapacity = c.MinCapacity == nil, c.MaxCapacity == nil
	def(&c.MinCapacity, *c.DesiredCount)
	def(&c.MaxCapacity, 2**c.MinCapacity)
	def(&c.CpuTargetValue, DefaultCpuTargetValue)
	def(&c.MemoryTargetValue, DefaultMemoryTargetValue)
	def(&c.ScaleInCooldownSeconds, DefaultScaleInCooldownSeconds)
	def(&c.ScaleOutCooldownSeconds, DefaultScaleOutCooldownSeconds)
	hc := &c.HealthCheck
	if len(hc.Command) == 0 {
		hc.Command = []string{"CMD-SHELL", fmt.Sprintf("curl -f %s || exit 1", healthCheckURL(c.ContainerPort, c.HealthCheckPath))}
	}
	def(&hc.IntervalSeconds, DefaultContainerHealthCheckIntervalSeconds)
	def(&hc.TimeoutSeconds, DefaultContainerHealthCheckTimeoutSeconds)
	def(&hc.Retries, DefaultContainerHealthCheckRetries)
	def(&hc.StartPeriodSeconds, DefaultContainerHealthCheckStartPeriodSeconds)
	def(&c.HealthCheckGracePeriodSeconds, *hc.StartPeriodSeconds)

	checkConfig(&c, v, id, d)
	return c
}

// derivedFields records which fields the construct derived rather than the
// user set, so that a problem of their source is not reported again on them.
type derivedFields struct {
	name, logGroup, ecrName, targetGroup, minCapacity, maxCapacity bool
	alb                                                            albcore.Derived
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
		sid += "Ecs" + policydoc.SidPart(c.Name)
	}
	return []iampolicy.Statement{securekey.LogsStatement(sid, env.Region, "ArnLike",
		fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", env.Partition(), env.Region, env.AccountId))}
}

// keyAlias is the alias of the key the service creates.
func keyAlias(c HardenedEcsServiceConfig) string { return "alias/" + c.Name + "-ecs" }

// outputNames are the Terraform output names of the service with id.
func outputNames(id string, attached bool) []string {
	prefix := outputPrefix(id)
	var out []string
	for _, o := range outputKinds(attached) {
		out = append(out, prefix+"_"+o)
	}
	return out
}

// outputKinds are the outputs of a service with its own ALB or attached to
// a shared one (whose ALB outputs are the ALB's).
func outputKinds(attached bool) []string {
	if attached {
		return []string{OutputAlbArnSuffix, OutputTargetGroupArnSuffix, OutputServiceName, OutputServiceArn, OutputClusterName, OutputClusterArn,
			OutputLogGroupName, OutputTaskSecurityGroupId, OutputExecutionRoleArn, OutputTaskRoleArn, OutputListenerRuleArn}
	}
	return []string{OutputAlbDnsName, OutputAlbZoneId, OutputAlbArn, OutputAlbArnSuffix, OutputTargetGroupArnSuffix,
		OutputServiceName, OutputServiceArn, OutputClusterName, OutputClusterArn, OutputLogGroupName,
		OutputAlbSecurityGroupId, OutputTaskSecurityGroupId, OutputExecutionRoleArn, OutputTaskRoleArn}
}

// claims are the names the service creates that must be unique in the app.
func claims(c HardenedEcsServiceConfig, id string) []registry.Claim {
	cluster := c.ClusterArn
	if cluster == "" {
		cluster = c.Name
	}
	out := []registry.Claim{
		{Kind: registry.LogGroup, Name: c.LogGroupName, Field: "LogGroupName"},
		{Kind: registry.TaskFamily, Name: c.Name, Field: "Name"},
		{Kind: registry.ECSService, Name: c.Name, Field: "Name", Qualifier: cluster},
		{Kind: registry.SecurityGroup, Name: c.Name + "-task", Field: "Name", Qualifier: c.VpcId},
		{Kind: registry.TargetGroup, Name: c.TargetGroupName, Field: "TargetGroupName"},
		{Kind: registry.ScalingPolicy, Name: c.Name + "-cpu-scaling", Field: "Name"},
		{Kind: registry.ScalingPolicy, Name: c.Name + "-memory-scaling", Field: "Name"},
	}
	if c.ExecutionRole == nil && c.ExecutionRoleArn == "" {
		out = append(out, registry.Claim{Kind: registry.IAMRole, Name: c.Name + "-execution", Field: "Name"})
	}
	if c.ExecutionRole != nil {
		out = append(out, registry.Claim{Kind: registry.IAMRolePolicy, Name: executionPolicyName(c), Field: "ExecutionRole", Qualifier: *c.ExecutionRole.Node().Path()})
	}
	if c.TaskRole == nil && c.TaskRoleArn == "" {
		out = append(out, registry.Claim{Kind: registry.IAMRole, Name: c.Name + "-task", Field: "Name"})
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
	if c.RequestsPerTarget != nil {
		out = append(out, registry.Claim{Kind: registry.ScalingPolicy, Name: c.Name + "-requests-scaling", Field: "Name"})
	}
	if c.DesiredCountVariable != "" {
		out = append(out, registry.Claim{Kind: registry.Variable, Name: c.DesiredCountVariable, Field: "DesiredCountVariable"})
	}
	if c.Attach == nil {
		out = append(out, albcore.Claims(c.albSettings())...)
	} else {
		out = append(out, attachClaims(c.Attach)...)
	}
	return append(out, registry.Outputs("id", outputNames(id, c.Attach != nil)...)...)
}

// albSettings maps the config onto the settings of its own ALB.
func (c HardenedEcsServiceConfig) albSettings() albcore.Settings {
	return albcore.Settings{
		Name: c.Name, AccountId: c.AccountId, Region: c.Region, VpcId: c.VpcId, SubnetIds: c.PublicSubnetIds,
		Internal: c.Internal, IngressCidrBlocks: c.IngressCidrBlocks, LoadBalancerName: c.LoadBalancerName,
		SecurityGroupRuleQuota:    validate.IntOr(c.SecurityGroupRuleQuota, validate.DefaultSecurityGroupRuleQuota),
		DisableDeletionProtection: c.DisableDeletionProtection, DesyncMitigationMode: c.DesyncMitigationMode,
		IdleTimeoutSeconds: validate.IntOr(c.IdleTimeoutSeconds, DefaultIdleTimeoutSeconds), AccessLogsBucketName: c.AccessLogsBucketName,
		AccessLogsExpirationDays: validate.IntOr(c.AccessLogsExpirationDays, DefaultAccessLogsExpirationDays),
		CertificateArn:           c.CertificateArn, CertificateDomainName: c.CertificateDomainName, CertificateSANs: c.CertificateSubjectAlternativeNames,
		Route53ZoneId: c.Route53ZoneId, SslPolicy: c.SslPolicy, AllowPlainHttp: c.AllowPlainHttp, Tags: c.Tags, Provider: c.Provider,
		SecurityGroupDescription: "ALB of " + c.Name + ": HTTPS (and HTTP redirect) in, container port to the tasks out",
	}
}
