package stacks

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The platform config file: main.go (and so `npx cdktf synth`) reads
// DefaultConfigFile from the working directory, or the file ConfigFileEnv
// names.
const (
	// DefaultConfigFile is the platform config main.go reads.
	DefaultConfigFile = "platform.yaml"
	// ConfigFileEnv is the environment variable that names another file.
	ConfigFileEnv = "HARDENED_CDKTF_CONFIG"
)

// ConfigFile returns the platform config file to read: $HARDENED_CDKTF_CONFIG
// when set, else "platform.yaml".
func ConfigFile() string {
	if f := os.Getenv(ConfigFileEnv); f != "" {
		return f
	}
	return DefaultConfigFile
}

// BootstrapStackName is the name of the platform's bootstrap stack.
const BootstrapStackName = "bootstrap"

// BootstrapEnvironment is the Environment default tag of the bootstrap stack.
const BootstrapEnvironment = "shared"

// Terraform variables every platform web-app stack declares for incident
// response: block an address or scale to zero with one apply and no code
// change.
const (
	// BlockedCidrsVariable feeds the network ACLs' deny list.
	BlockedCidrsVariable = "blocked_cidr_blocks"
	// WafBlockedAddressesVariable feeds the WAF's IP block list.
	WafBlockedAddressesVariable = "waf_blocked_addresses"
	// DesiredCountVariable overrides the service's task count.
	DesiredCountVariable = "desired_count"
)

// Defaults of the platform config that are not a construct's own default.
const (
	// DefaultAvailabilityZoneCount is vpc.availability_zone_count when
	// vpc.availability_zones is not given either.
	DefaultAvailabilityZoneCount = 2
	// DefaultFindingPublishingFrequency is
	// monitoring.finding_publishing_frequency of an environment that creates
	// the GuardDuty detector.
	DefaultFindingPublishingFrequency = "FIFTEEN_MINUTES"
	// PlaceholderKeyID is the key ID of the placeholder state key ARN used
	// until state.kms_key_arn is set.
	PlaceholderKeyID = "00000000-0000-4000-8000-000000000000"
)

// PlatformConfig describes the whole platform: the shared settings, the
// state backend and one entry per environment. platform.yaml holds it
// (LoadPlatformConfig); importers may also build it in code and pass it to
// NewPlatformApp. Each field's doc names its YAML key; errors name the
// YAML key path (e.g. "environments.prod.vpc.cidr").
//
// Every setting of every environment is either required or has the
// documented default: no environment takes another's settings.
type PlatformConfig struct {
	// Project (key project) names the platform: the Project default tag and
	// the prefix of every web-app stack, "<project>-<environment>".
	// Required: lowercase letters, digits and '-', starting with a letter.
	Project string `yaml:"project"`
	// Domain (key domain) is the DNS name of HostedZoneId, e.g.
	// "example.com". Every environment's domain is Domain or a name under
	// it. Required.
	Domain string `yaml:"domain"`
	// HostedZoneId (key hosted_zone_id) is the Route 53 public hosted zone
	// of Domain, where the ACM certificates are validated. Required.
	HostedZoneId string `yaml:"hosted_zone_id"`
	// HostedZoneAccountId (key hosted_zone_account) is the account that owns
	// HostedZoneId. Default: State.AccountId. An environment in another
	// account must set its own hosted_zone_id.
	HostedZoneAccountId string `yaml:"hosted_zone_account"`
	// Tags (key tags) are added to the default_tags of every stack's
	// provider, the bootstrap stack's included, so every taggable resource
	// carries them (mandatory cost tags, owner). An environment's own tags
	// are merged over them. Keys Project, Environment and ManagedBy are the
	// stacks' own. Default: none.
	Tags map[string]string `yaml:"tags"`
	// PermissionsBoundaryArn (key permissions_boundary_arn) is set as the
	// permissions boundary of every IAM role of every stack (the bootstrap
	// stack's state access roles, and each environment's roles unless it
	// sets its own): a managed policy ARN of the stack's account, or an
	// AWS managed policy (arn:aws:iam::aws:policy/...). With environments
	// in several accounts, set it per environment (a managed policy belongs
	// to one account) or use an AWS managed policy. Default: none.
	PermissionsBoundaryArn string `yaml:"permissions_boundary_arn"`
	// State (key state) is where every stack's Terraform state lives.
	// Required.
	State StateConfig `yaml:"state"`
	// Environments (key environments, a mapping from environment name to
	// its settings) are the web-app stacks, in file order. At least one.
	Environments []EnvironmentConfig `yaml:"environments,keyed"`
}

// StateConfig is the state backend of the platform: the bootstrap stack
// creates the bucket and key, every web-app stack keeps its state there.
type StateConfig struct {
	// Bucket (key bucket) is the state bucket's name, globally unique; the
	// bootstrap stack creates it (and "<bucket>-logs"). Required.
	Bucket string `yaml:"bucket"`
	// AccountId (key account) is the account of the bucket, its key and the
	// bootstrap stack. Required.
	AccountId string `yaml:"account"`
	// Region (key region) is the region of the bucket, its key and the
	// bootstrap stack. Required.
	Region string `yaml:"region"`
	// KmsKeyArn (key kms_key_arn) is the bootstrap stack's output
	// state_kms_key_arn. Default: a placeholder ARN in AccountId and Region
	// (key ID PlaceholderKeyID), so that everything synthesizes before the
	// key exists; web-app stacks cannot write state until it is set.
	KmsKeyArn string `yaml:"kms_key_arn"`
}

// EnvironmentConfig is one environment: one web-app stack named
// "<project>-<name>".
type EnvironmentConfig struct {
	// Name is the environment's key in the environments mapping: the
	// Environment default tag and the stack name's suffix. Lowercase
	// letters, digits and single '-', starting with a letter.
	Name string `yaml:"-"`
	// AccountId (key account) is the account the stack deploys to; its
	// provider refuses credentials of any other account. Required.
	AccountId string `yaml:"account"`
	// Region (key region) is the region the stack deploys to. Required.
	Region string `yaml:"region"`
	// Domain (key domain) is the application's DNS name; the ACM
	// certificate is issued for it and the url output points to it.
	// Default "<name>.<platform domain>". Domain or a name under it.
	Domain string `yaml:"domain"`
	// HostedZoneId (key hosted_zone_id) is the public hosted zone, in
	// AccountId, where the certificate of Domain is validated. Default: the
	// platform's hosted_zone_id, which is only allowed when AccountId is the
	// platform's hosted_zone_account.
	HostedZoneId string `yaml:"hosted_zone_id"`
	// StateRoleArn (key state_role_arn) is a role in the state account that
	// the stack's backend assumes. Default: none when AccountId is the state
	// account; otherwise the role "<project>-<name>-terraform-state" that the
	// bootstrap stack creates for this environment (StateAccessRole).
	StateRoleArn string `yaml:"state_role_arn"`
	// Tags (key tags) are added to the stack's default_tags, over the
	// platform's tags (same key: this value). Default: none.
	Tags map[string]string `yaml:"tags"`
	// PermissionsBoundaryArn (key permissions_boundary_arn) is set as the
	// permissions boundary of every IAM role of this environment's stack: a
	// managed policy of AccountId or an AWS managed policy. Default: the
	// platform's permissions_boundary_arn, else none.
	PermissionsBoundaryArn string `yaml:"permissions_boundary_arn"`
	// KmsKeyArn (key kms_key_arn) is a team KMS key managed elsewhere, in
	// AccountId and Region, that encrypts the log groups, ECR
	// repositories, CloudTrail and the alarm topic instead of keys the
	// stack would create (WebAppStackConfig.KmsKeyArn); its policy must
	// hold the statements of the stack output kms_key_policy_statements.
	// Default: none, the stack creates its keys.
	KmsKeyArn string `yaml:"kms_key_arn"`
	// Vpc (key vpc) configures the environment's VPC. Required (for cidr).
	Vpc VpcSettings `yaml:"vpc"`
	// Service (key service) configures the Fargate service and its ALB.
	// Required (for image_tag and container_port).
	Service ServiceSettings `yaml:"service"`
	// Services (key services, a mapping from service name to its
	// settings) are more services of the environment. With any, the
	// environment gets one shared ALB (WebAppStackConfig.SharedAlb) that
	// service and every entry here attach to by host (and path), each with
	// its own target group, listener rule and alarms; one WAF on the ALB;
	// all of them in service's ECS cluster.
	// The ALB's settings (ingress_cidrs, deletion_protection) are service's
	// and must not be set here. Default: none (service has its own ALB).
	Services []ServiceSettings `yaml:"services,keyed"`
	// Waf (key waf) configures the web ACL's logging.
	Waf WafSettings `yaml:"waf"`
	// Monitoring (key monitoring) configures GuardDuty, CloudTrail and the
	// alarms.
	Monitoring MonitoringSettings `yaml:"monitoring"`
}

// VpcSettings are an environment's VPC settings (securevpc).
type VpcSettings struct {
	// CidrBlock (key cidr) is the VPC's IPv4 range, /16 to /28. Required:
	// environments in one account must not overlap.
	CidrBlock string `yaml:"cidr"`
	// AvailabilityZones (key availability_zones) lists 2-6 zones of the
	// environment's region, e.g. [eu-west-1a, eu-west-1b]: plans stay
	// offline and stable. Default: none, then AvailabilityZoneCount applies.
	AvailabilityZones []string `yaml:"availability_zones"`
	// AvailabilityZoneCount (key availability_zone_count) uses the region's
	// first N available zones, read at plan time, 2-6. Default 2 when
	// availability_zones is not given; not allowed with it.
	AvailabilityZoneCount *int `yaml:"availability_zone_count"`
	// NatGateways (key nat_gateways) is PER_AZ, SINGLE or NONE. Default
	// PER_AZ (egress survives the loss of an AZ).
	NatGateways securevpc.NatGatewayMode `yaml:"nat_gateways"`
	// FlowLogRetentionInDays (key flow_log_retention_days) is the flow-log
	// group's retention, a CloudWatch Logs value. Default 365.
	FlowLogRetentionInDays *int `yaml:"flow_log_retention_days"`
	// Existing (key existing) places the environment in an existing VPC
	// given by its IDs instead of a new one (securevpc.NewImportedVpc);
	// cidr is then that VPC's range, and availability_zones,
	// availability_zone_count and nat_gateways must be unset. Several
	// environments may use one VPC (same account, region and vpc_id): their
	// cidr must then be equal, only one of them may add the endpoints, and
	// each network ACL may be listed by one of them. Default: none, a new
	// VPC.
	Existing *ExistingVpcSettings `yaml:"existing"`
}

// ExistingVpcSettings describe an existing VPC (VpcSettings.Existing) and
// the hardening the stack adds to it.
type ExistingVpcSettings struct {
	// VpcId (key vpc_id) is the VPC's ID ("vpc-..."). Required.
	VpcId string `yaml:"vpc_id"`
	// PublicSubnetIds (key public_subnet_ids) are the ALB's subnets, in at
	// least two AZs. Required.
	PublicSubnetIds []string `yaml:"public_subnet_ids"`
	// PrivateSubnetIds (key private_subnet_ids) are the tasks' subnets
	// (and the interface endpoints', at most one per AZ). Required.
	PrivateSubnetIds []string `yaml:"private_subnet_ids"`
	// PrivateRouteTableIds (key private_route_table_ids) are the private
	// subnets' route tables, where the S3 gateway endpoint is added.
	// Required with endpoints unless s3_prefix_list_id is given.
	PrivateRouteTableIds []string `yaml:"private_route_table_ids"`
	// S3PrefixListId (key s3_prefix_list_id) is the prefix list ("pl-...")
	// of the VPC's own S3 gateway endpoint: no second one is added (it
	// would fail at apply), and the tasks reach ECR image layers through
	// it. Default: none, the stack adds the endpoint (with endpoints).
	S3PrefixListId string `yaml:"s3_prefix_list_id"`
	// Endpoints (key endpoints) adds the S3 gateway endpoint (unless
	// s3_prefix_list_id) and the interface endpoints for ECR, CloudWatch
	// Logs and Secrets Manager in private_subnet_ids, so tasks need no NAT.
	// Set false when the VPC has them already (a second interface endpoint
	// with private DNS fails at apply); s3_prefix_list_id is then required.
	// Default true.
	Endpoints *bool `yaml:"endpoints"`
	// FlowLogs (key flow_logs) adds a flow log of the whole VPC to a
	// KMS-encrypted log group (retention vpc.flow_log_retention_days).
	// Default true.
	FlowLogs *bool `yaml:"flow_logs"`
	// NetworkAclIds (key network_acl_ids) are network ACLs ("acl-...") of
	// the VPC that get the incident-response deny rules fed by the
	// blocked_cidr_blocks variable (rules numbered from 1, which must be
	// free). Default: none, and then the stack has no blocked_cidr_blocks
	// variable.
	NetworkAclIds []string `yaml:"network_acl_ids"`
}

// ServiceSettings are an environment's service settings (ecsservice), for
// the key service and for each entry of services.
type ServiceSettings struct {
	// Name is the service's key in the services mapping ("" for the key
	// service): its construct id, its resources' name suffix
	// ("<project>-<environment>-<name>") and the suffix of its variable
	// desired_count_<name>. Lowercase letters, digits and single '-',
	// starting with a letter.
	Name string `yaml:"-"`
	// Hosts (key hosts) are the host names whose requests the shared ALB
	// forwards to the service (at most 3; "*" wildcards allowed), each the
	// environment's domain or a name under the platform's domain; the ALB's
	// certificate covers them. Only with services. Default: the
	// environment's domain for service, "<name>.<environment domain>" for
	// an entry of services.
	Hosts []string `yaml:"hosts"`
	// PathPatterns (key path_patterns) narrow the listener rule to these
	// paths (at most 3, e.g. "/api/*"). Only with services. Default: none
	// (every path of Hosts).
	PathPatterns []string `yaml:"path_patterns"`
	// Priority (key priority) is the listener rule's priority, 1-50000,
	// unique per environment (1 is evaluated first). Only with services.
	// Default: 10, 20, 30, ... for the entries of services in file order,
	// and 1000 for service.
	Priority *int `yaml:"priority"`
	// ImageTag (key image_tag) is the pinned tag the service runs from the
	// ECR repository it creates ("latest" is refused). Required.
	ImageTag string `yaml:"image_tag"`
	// ContainerPort (key container_port) is the port the container listens
	// on, 1-65535. Required.
	ContainerPort *int `yaml:"container_port"`
	// HealthCheckPath (key health_check_path) is the application's health
	// endpoint. Default "/health".
	HealthCheckPath string `yaml:"health_check_path"`
	// Cpu (key cpu) is the task's CPU units (1024 = 1 vCPU), a Fargate size.
	// Default 256.
	Cpu *int `yaml:"cpu"`
	// MemoryMiB (key memory_mib) is the task's memory in MiB, valid for Cpu.
	// Default: the smallest valid for Cpu (512 for cpu 256).
	MemoryMiB *int `yaml:"memory_mib"`
	// DesiredCount (key desired_count) is the task count, also the default
	// of the desired_count variable. Default 2.
	DesiredCount *int `yaml:"desired_count"`
	// MinCapacity (key min_capacity) is the autoscaling minimum, at least 1
	// and at most desired_count. Default desired_count.
	MinCapacity *int `yaml:"min_capacity"`
	// MaxCapacity (key max_capacity) is the autoscaling maximum, at least
	// desired_count. Default 2 x min_capacity.
	MaxCapacity *int `yaml:"max_capacity"`
	// LogRetentionInDays (key log_retention_days) is the container log
	// group's retention. Default 365.
	LogRetentionInDays *int `yaml:"log_retention_days"`
	// DeletionProtection (key deletion_protection) protects the ALB from
	// deletion. Default true; false for environments torn down freely.
	DeletionProtection *bool `yaml:"deletion_protection"`
	// Environment (key environment) is the container's environment
	// variables (no secrets: names that look like secrets are refused).
	// Default none.
	Environment map[string]string `yaml:"environment"`
	// IngressCidrBlocks (key ingress_cidrs) may reach the ALB on 443 (and
	// 80, which redirects). Default [0.0.0.0/0]; an explicit list must not
	// be empty.
	IngressCidrBlocks []string `yaml:"ingress_cidrs"`
	// SecurityGroupRuleQuota (key security_group_rule_quota) is the
	// account's "Inbound or outbound rules per security group" quota, which
	// the ALB's inbound rules (two per ingress_cidrs entry) and the tasks'
	// outbound rules must fit (ecsservice.HardenedEcsServiceConfig's
	// SecurityGroupRuleQuota). Set it after raising the quota. Default 60.
	SecurityGroupRuleQuota *int `yaml:"security_group_rule_quota"`
}

// WafSettings are an environment's web ACL settings (wafacl).
type WafSettings struct {
	// LogRetentionInDays (key log_retention_days) is the WAF log group's
	// retention. Default 365.
	LogRetentionInDays *int `yaml:"log_retention_days"`
	// LogOnlyBlockedAndCounted (key log_only_blocked_and_counted) logs only
	// requests a rule blocked or counted. Default false: every request.
	LogOnlyBlockedAndCounted *bool `yaml:"log_only_blocked_and_counted"`
}

// MonitoringSettings are an environment's monitoring settings
// (securitymonitoring).
type MonitoringSettings struct {
	// GuardDutyDetector (key guardduty_detector) creates the account's
	// GuardDuty detector in the environment's region. Default true. AWS
	// allows one detector per account and region, so at most one
	// environment per account and region may have it; set false in the
	// others (the findings alert works with whichever detector exists).
	GuardDutyDetector *bool `yaml:"guardduty_detector"`
	// FindingPublishingFrequency (key finding_publishing_frequency) is
	// FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS. Default FIFTEEN_MINUTES;
	// only with guardduty_detector true.
	FindingPublishingFrequency string `yaml:"finding_publishing_frequency"`
	// LogRetentionInDays (key log_retention_days) is the CloudTrail log
	// group's retention. Default 365.
	LogRetentionInDays *int `yaml:"log_retention_days"`
	// TrailExpirationDays (key trail_expiration_days) expires trail log
	// files in S3; 0 keeps them. Default 365.
	TrailExpirationDays *int `yaml:"trail_expiration_days"`
	// TrailNoncurrentExpirationDays (key trail_noncurrent_expiration_days)
	// expires overwritten trail objects; 0 keeps them. Default 90.
	TrailNoncurrentExpirationDays *int `yaml:"trail_noncurrent_expiration_days"`
	// AlarmEmails (key alarm_emails) are subscribed to the alarm topic.
	// Default none.
	AlarmEmails []string `yaml:"alarm_emails"`
}

// StackName is the name of the web-app stack of environment env:
// "<project>-<env>".
func (c *PlatformConfig) StackName(env string) string { return c.Project + "-" + env }

// StackNames lists every stack of the platform: BootstrapStackName, then
// one web-app stack per environment in order.
func (c *PlatformConfig) StackNames() []string {
	names := []string{BootstrapStackName}
	for _, e := range c.Environments {
		names = append(names, c.StackName(e.Name))
	}
	return names
}

// Environment returns the environment named name with every default filled
// in, as NewPlatformApp builds it.
func (c *PlatformConfig) Environment(name string) (EnvironmentConfig, bool) {
	d := c.WithDefaults()
	for _, e := range d.Environments {
		if e.Name == name {
			return e, true
		}
	}
	return EnvironmentConfig{}, false
}

// StateKmsKeyIsPlaceholder reports whether state.kms_key_arn is unset, so
// that the web-app stacks use the placeholder key ARN.
func (c *PlatformConfig) StateKmsKeyIsPlaceholder() bool { return c.State.KmsKeyArn == "" }

// StateAccessRoleName is the name of the role the bootstrap stack creates
// for an environment in another account than the state's.
func (c *PlatformConfig) StateAccessRoleName(env string) string {
	return c.StackName(env) + "-terraform-state"
}

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

// WithDefaults returns a copy of c with every default filled in, as
// NewPlatformApp uses it. It does not validate.
func (c *PlatformConfig) WithDefaults() PlatformConfig {
	d := *c
	if d.HostedZoneAccountId == "" {
		d.HostedZoneAccountId = d.State.AccountId
	}
	if d.State.KmsKeyArn == "" {
		d.State.KmsKeyArn = placeholderStateKey(d.State.Region, d.State.AccountId)
	}
	d.Environments = make([]EnvironmentConfig, len(c.Environments))
	for i, e := range c.Environments {
		if e.Domain == "" && d.Domain != "" {
			e.Domain = e.Name + "." + d.Domain
		}
		if e.HostedZoneId == "" {
			e.HostedZoneId = d.HostedZoneId
		}
		if e.StateRoleArn == "" && e.AccountId != d.State.AccountId {
			e.StateRoleArn = StateAccessRoleArn(d.State.Region, d.State.AccountId, d.StateAccessRoleName(e.Name))
		}
		e.Tags = mergeTags(c.Tags, e.Tags)
		if e.PermissionsBoundaryArn == "" {
			e.PermissionsBoundaryArn = c.PermissionsBoundaryArn
		}
		n := &e.Vpc
		n.AvailabilityZones = slices.Clone(n.AvailabilityZones)
		if x := n.Existing; x != nil {
			ex := *x
			if ex.Endpoints == nil {
				ex.Endpoints = boolp(true)
			}
			if ex.FlowLogs == nil {
				ex.FlowLogs = boolp(true)
			}
			n.Existing = &ex
		} else {
			if len(n.AvailabilityZones) == 0 && n.AvailabilityZoneCount == nil {
				n.AvailabilityZoneCount = intp(DefaultAvailabilityZoneCount)
			}
			if n.NatGateways == "" {
				n.NatGateways = securevpc.NatGatewayPerAz
			}
		}
		def(&n.FlowLogRetentionInDays, securevpc.DefaultFlowLogRetentionInDays)

		serviceDefaults(&e.Service)
		if e.Service.DeletionProtection == nil {
			e.Service.DeletionProtection = boolp(true)
		}
		if e.Service.IngressCidrBlocks == nil {
			e.Service.IngressCidrBlocks = []string{"0.0.0.0/0"}
		}
		e.Services = slices.Clone(e.Services)
		if len(e.Services) > 0 {
			if e.Service.Hosts == nil && e.Domain != "" {
				e.Service.Hosts = []string{e.Domain}
			}
			def(&e.Service.Priority, DefaultServicePriority)
		}
		for j := range e.Services {
			x := &e.Services[j]
			serviceDefaults(x)
			if x.Hosts == nil && e.Domain != "" {
				x.Hosts = []string{x.Name + "." + e.Domain}
			}
			def(&x.Priority, (j+1)*AdditionalServicePriorityStep)
		}

		def(&e.Waf.LogRetentionInDays, DefaultLogRetentionInDays)
		if e.Waf.LogOnlyBlockedAndCounted == nil {
			e.Waf.LogOnlyBlockedAndCounted = boolp(false)
		}

		m := &e.Monitoring
		if m.GuardDutyDetector == nil {
			m.GuardDutyDetector = boolp(true)
		}
		if *m.GuardDutyDetector && m.FindingPublishingFrequency == "" {
			m.FindingPublishingFrequency = DefaultFindingPublishingFrequency
		}
		def(&m.LogRetentionInDays, DefaultLogRetentionInDays)
		def(&m.TrailExpirationDays, DefaultTrailExpirationDays)
		def(&m.TrailNoncurrentExpirationDays, DefaultTrailNoncurrentExpirationDays)
		d.Environments[i] = e
	}
	return d
}

// serviceDefaults fills the defaults a service and every entry of services
// share.
func serviceDefaults(s *ServiceSettings) {
	if s.HealthCheckPath == "" {
		s.HealthCheckPath = ecsservice.DefaultHealthCheckPath
	}
	def(&s.Cpu, ecsservice.DefaultCpu)
	def(&s.MemoryMiB, ecsservice.DefaultMemoryFor(*s.Cpu))
	def(&s.DesiredCount, ecsservice.DefaultDesiredCount)
	def(&s.MinCapacity, *s.DesiredCount)
	def(&s.MaxCapacity, 2**s.MinCapacity)
	def(&s.LogRetentionInDays, ecsservice.DefaultLogRetentionInDays)
}

// mergeTags returns shared with own over it (nil when both are empty).
func mergeTags(shared, own map[string]string) map[string]string {
	if len(shared) == 0 && len(own) == 0 {
		return nil
	}
	out := make(map[string]string, len(shared)+len(own))
	for k, v := range shared {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

// Listener rule priorities of an environment with services.
const (
	// DefaultServicePriority is service.priority with services: evaluated
	// after theirs.
	DefaultServicePriority = 1000
	// AdditionalServicePriorityStep spaces the default priorities of the
	// entries of services: 10, 20, 30, ... in file order.
	AdditionalServicePriorityStep = 10
)

// Defaults of the WAF and monitoring settings (the constructs' own).
const (
	// DefaultLogRetentionInDays is the default retention of the WAF and
	// CloudTrail log groups.
	DefaultLogRetentionInDays = 365
	// DefaultTrailExpirationDays is monitoring.trail_expiration_days.
	DefaultTrailExpirationDays = 365
	// DefaultTrailNoncurrentExpirationDays is
	// monitoring.trail_noncurrent_expiration_days.
	DefaultTrailNoncurrentExpirationDays = 90
)

func def(p **int, v int) {
	if *p == nil {
		*p = intp(v)
	}
}

func placeholderStateKey(region, account string) string {
	return "arn:" + iampolicy.Partition(region) + ":kms:" + region + ":" + account + ":key/" + PlaceholderKeyID
}

// BootstrapStackConfig returns the config of the platform's bootstrap stack:
// the state backend in the state account and region, and a
// StateAccessRole for every environment in another account that does not
// bring its own state_role_arn.
func (c *PlatformConfig) BootstrapStackConfig() *BootstrapStackConfig {
	ownRole := make([]bool, len(c.Environments))
	for i, e := range c.Environments {
		ownRole[i] = e.StateRoleArn != ""
	}
	d := c.WithDefaults()
	return d.bootstrapStackConfig(ownRole)
}

// bootstrapStackConfig builds the bootstrap config of d (defaults applied);
// ownRole[i] tells whether environment i brings its own state_role_arn.
func (d *PlatformConfig) bootstrapStackConfig(ownRole []bool) *BootstrapStackConfig {
	cfg := &BootstrapStackConfig{
		Env:                    Env{Project: d.Project, Environment: BootstrapEnvironment, AccountId: d.State.AccountId, Region: d.State.Region, Tags: mergeTags(d.Tags, nil)},
		StateBackend:           statebackend.EncryptedStateBackendConfig{Bucket: d.State.Bucket},
		PermissionsBoundaryArn: d.PermissionsBoundaryArn,
	}
	for i, e := range d.Environments {
		if e.AccountId != d.State.AccountId && !ownRole[i] {
			cfg.StateAccessRoles = append(cfg.StateAccessRoles, StateAccessRole{
				Name:             d.StateAccessRoleName(e.Name),
				TrustedAccountId: e.AccountId,
				StateKey:         stateKey(d.StackName(e.Name)),
			})
			cfg.stateAccessEnvs = append(cfg.stateAccessEnvs, e.Name)
		}
	}
	return cfg
}

func stateKey(stack string) string { return stack + "/terraform.tfstate" }

// WebAppStackConfig returns the config of environment env's web-app stack,
// every default filled in; NewPlatformApp passes it to NewWebAppStack. It
// returns false when there is no such environment.
func (c *PlatformConfig) WebAppStackConfig(env string) (*WebAppStackConfig, bool) {
	d := c.WithDefaults()
	for _, e := range d.Environments {
		if e.Name == env {
			return d.webAppStackConfig(e), true
		}
	}
	return nil, false
}

// webAppStackConfig maps one environment (defaults applied) to the stack
// config. Keep fieldKeys below in step: it maps the construct fields back
// to the YAML keys for error messages.
func (d *PlatformConfig) webAppStackConfig(e EnvironmentConfig) *WebAppStackConfig {
	cfg := &WebAppStackConfig{
		Env:                    Env{Project: d.Project, Environment: e.Name, AccountId: e.AccountId, Region: e.Region, Tags: e.Tags},
		PermissionsBoundaryArn: e.PermissionsBoundaryArn,
		KmsKeyArn:              e.KmsKeyArn,
		Backend: statebackend.BackendConfig{
			Bucket:   d.State.Bucket,
			Region:   d.State.Region,
			KmsKeyId: d.State.KmsKeyArn,
			Key:      stateKey(d.StackName(e.Name)),
			// The backend's credentials are the state account's: the
			// deployer's own, or the role's below.
			AllowedAccountIds: []string{d.State.AccountId},
		},
		Network: securevpc.SecureVpcConfig{
			CidrBlock:         e.Vpc.CidrBlock,
			AvailabilityZones: e.Vpc.AvailabilityZones,
			NatGateways:       e.Vpc.NatGateways,
			// terraform apply -var 'blocked_cidr_blocks=["203.0.113.7/32"]'
			NetworkAcls: securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: BlockedCidrsVariable},
			FlowLogs:    securevpc.FlowLogsConfig{RetentionInDays: e.Vpc.FlowLogRetentionInDays},
		},
		// terraform apply -var 'desired_count=0'
		Service: serviceConfig(e.Service, DesiredCountVariable),
		Waf: wafacl.WafAclConfig{
			// terraform apply -var 'waf_blocked_addresses=["198.51.100.7/32"]'
			BlockedAddressesVariable: WafBlockedAddressesVariable,
			Logging: wafacl.Logging{
				RetentionInDays:       e.Waf.LogRetentionInDays,
				OnlyBlockedAndCounted: *e.Waf.LogOnlyBlockedAndCounted,
			},
		},
		Monitoring: securitymonitoring.SecurityMonitoringConfig{
			SkipGuardDutyDetector:           !*e.Monitoring.GuardDutyDetector,
			FindingPublishingFrequency:      e.Monitoring.FindingPublishingFrequency,
			RetentionInDays:                 e.Monitoring.LogRetentionInDays,
			S3ExpirationDays:                e.Monitoring.TrailExpirationDays,
			NoncurrentVersionExpirationDays: e.Monitoring.TrailNoncurrentExpirationDays,
			AlarmEmails:                     e.Monitoring.AlarmEmails,
		},
	}
	if e.Vpc.AvailabilityZoneCount != nil {
		cfg.Network.AvailabilityZoneCount = e.Vpc.AvailabilityZoneCount
	}
	if e.StateRoleArn != "" {
		cfg.Backend.AssumeRole = &statebackend.AssumeRole{RoleArn: e.StateRoleArn, SessionName: d.StackName(e.Name)}
	}
	if x := e.Vpc.Existing; x != nil {
		cfg.Network = securevpc.SecureVpcConfig{}
		cfg.ImportedVpc = importedVpcConfig(e.Vpc)
	}
	if len(e.Services) == 0 {
		// The service's own ALB.
		cfg.Service.CertificateDomainName, cfg.Service.Route53ZoneId = e.Domain, e.HostedZoneId
		cfg.Service.DisableDeletionProtection = !*e.Service.DeletionProtection
		cfg.Service.IngressCidrBlocks = e.Service.IngressCidrBlocks
		cfg.Service.SecurityGroupRuleQuota = e.Service.SecurityGroupRuleQuota
		return cfg
	}
	// One shared ALB for service and services, its certificate for every
	// literal host.
	var sans []string
	for _, sv := range append([]ServiceSettings{e.Service}, e.Services...) {
		for _, h := range sv.Hosts {
			h = strings.ToLower(h)
			if h != e.Domain && !slices.Contains(sans, h) && certificateName(h, d.Domain) {
				sans = append(sans, h)
			}
		}
	}
	cfg.SharedAlb = &loadbalancer.HardenedAlbConfig{
		CertificateDomainName:              e.Domain,
		CertificateSubjectAlternativeNames: sans,
		Route53ZoneId:                      e.HostedZoneId,
		DisableDeletionProtection:          !*e.Service.DeletionProtection,
		IngressCidrBlocks:                  e.Service.IngressCidrBlocks,
		SecurityGroupRuleQuota:             e.Service.SecurityGroupRuleQuota,
	}
	// The shared ALB reports a quota out of range, once; the services
	// check their own rules against a quota in range.
	serviceQuota := e.Service.SecurityGroupRuleQuota
	if q := serviceQuota; q != nil && !validate.SecurityGroupRuleQuotaInRange(*q) {
		serviceQuota = nil
	}
	cfg.Service.SecurityGroupRuleQuota = serviceQuota
	cfg.Service.Attach = attachment(e.Service)
	for _, sv := range e.Services {
		// terraform apply -var 'desired_count_<name>=0'
		sc := serviceConfig(sv, DesiredCountVariable+"_"+strings.ReplaceAll(sv.Name, "-", "_"))
		sc.Attach = attachment(sv)
		sc.SecurityGroupRuleQuota = serviceQuota // one quota per account
		cfg.AdditionalServices = append(cfg.AdditionalServices, AdditionalService{Id: sv.Name, Config: sc})
	}
	return cfg
}

// certificateName reports whether the host h (lowercase) goes on the
// shared ALB's certificate: a DNS name, or "*." and one, under domain. A
// host with other wildcards ("api-?.example.org"), or one reported at its
// key (not a DNS name, outside domain), is left to the listener rule, so
// that one mistake gives one problem.
func certificateName(h, domain string) bool {
	name := strings.TrimPrefix(h, "*.")
	return validate.DNSName(name) == "" && (name == domain || strings.HasSuffix(name, "."+domain))
}

// serviceConfig maps a service's settings (defaults applied) to the
// construct config, without the ALB's settings.
func serviceConfig(sv ServiceSettings, desiredCountVariable string) ecsservice.HardenedEcsServiceConfig {
	sc := ecsservice.HardenedEcsServiceConfig{
		CreateEcrRepository:  true,
		ImageTag:             sv.ImageTag,
		HealthCheckPath:      sv.HealthCheckPath,
		Environment:          sv.Environment,
		Cpu:                  sv.Cpu,
		MemoryMiB:            sv.MemoryMiB,
		DesiredCount:         sv.DesiredCount,
		MinCapacity:          sv.MinCapacity,
		MaxCapacity:          sv.MaxCapacity,
		DesiredCountVariable: desiredCountVariable,
		LogRetentionInDays:   sv.LogRetentionInDays,
	}
	if sv.ContainerPort != nil {
		sc.ContainerPort = *sv.ContainerPort
	}
	return sc
}

// attachment is a service's listener rule on the shared ALB.
func attachment(sv ServiceSettings) *ecsservice.Attachment {
	a := &ecsservice.Attachment{HostHeaders: sv.Hosts, PathPatterns: sv.PathPatterns}
	if sv.Priority != nil {
		a.Priority = *sv.Priority
	}
	return a
}

// importedVpcConfig is the existing VPC of vpc (defaults applied) with the
// hardening the platform adds: flow log, endpoints, deny rules.
func importedVpcConfig(n VpcSettings) *securevpc.ImportedVpcConfig {
	x := n.Existing
	ic := &securevpc.ImportedVpcConfig{Attributes: securevpc.VpcAttributes{
		VpcId: x.VpcId, CidrBlock: n.CidrBlock,
		PublicSubnetIds: x.PublicSubnetIds, PrivateSubnetIds: x.PrivateSubnetIds,
		PrivateRouteTableIds: x.PrivateRouteTableIds, S3PrefixListId: x.S3PrefixListId,
	}}
	if *x.FlowLogs {
		ic.FlowLogs = &securevpc.FlowLogsConfig{RetentionInDays: n.FlowLogRetentionInDays}
	}
	if *x.Endpoints {
		ic.Endpoints = &securevpc.ImportedEndpointsConfig{SkipS3GatewayEndpoint: x.S3PrefixListId != ""}
	}
	if len(x.NetworkAclIds) > 0 {
		// terraform apply -var 'blocked_cidr_blocks=["203.0.113.7/32"]'
		ic.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: x.NetworkAclIds, DenyCidrBlocksVariable: BlockedCidrsVariable}
	}
	return ic
}

// yamlWords rewrites the construct fields a rule text names, where the file
// has a key for them, as the keys: "allows with Cpu = 512" becomes "allows
// with cpu = 512".
var yamlWords = strings.NewReplacer(
	"SharedAlb.SecurityGroupRuleQuota", "security_group_rule_quota",
	"SecurityGroupRuleQuota", "security_group_rule_quota",
	"Cpu =", "cpu =",
	"MemoryMiB", "memory_mib",
	"IngressCidrBlocks", "ingress_cidrs",
	"DesiredCount", "desired_count",
	"MinCapacity", "min_capacity",
	"MaxCapacity", "max_capacity",
	"HealthCheckPath", "health_check_path",
	"ContainerPort", "container_port",
)

// fieldKeys maps the fields of WebAppStackConfig that come from one
// environment key to that key (relative to "environments.<name>"), so that
// a construct's problem points at the line to fix. Fields not listed are
// derived (names from project and environment name) and are reported at
// the environment.
var fieldKeys = map[string]string{
	// Every construct's AccountId and Region are the stack's.
	"Network.AccountId":                            "account",
	"Network.Region":                               "region",
	"Service.AccountId":                            "account",
	"Service.Region":                               "region",
	"Waf.AccountId":                                "account",
	"Waf.Region":                                   "region",
	"Monitoring.AccountId":                         "account",
	"Monitoring.Region":                            "region",
	"Env.Project":                                  "@project",
	"Env.AccountId":                                "account",
	"Env.Region":                                   "region",
	"Backend.Region":                               "@state.region",
	"Backend.Bucket":                               "@state.bucket",
	"Backend.KmsKeyId":                             "@state.kms_key_arn",
	"Backend.AssumeRole.RoleArn":                   "state_role_arn",
	"Backend.AllowedAccountIds":                    "@state.account",
	"Network.CidrBlock":                            "vpc.cidr",
	"Network.AvailabilityZones":                    "vpc.availability_zones",
	"Network.AvailabilityZoneCount":                "vpc.availability_zone_count",
	"Network.NatGateways":                          "vpc.nat_gateways",
	"Network.FlowLogs.RetentionInDays":             "vpc.flow_log_retention_days",
	"Service.ImageTag":                             "service.image_tag",
	"Service.ContainerPort":                        "service.container_port",
	"Service.HealthCheckPath":                      "service.health_check_path",
	"Service.Environment":                          "service.environment",
	"Service.CertificateDomainName":                "domain",
	"Service.Route53ZoneId":                        "hosted_zone_id",
	"Service.Cpu":                                  "service.cpu",
	"Service.MemoryMiB":                            "service.memory_mib",
	"Service.DesiredCount":                         "service.desired_count",
	"Service.MinCapacity":                          "service.min_capacity",
	"Service.MaxCapacity":                          "service.max_capacity",
	"Service.LogRetentionInDays":                   "service.log_retention_days",
	"Service.IngressCidrBlocks":                    "service.ingress_cidrs",
	"Service.SecurityGroupRuleQuota":               "service.security_group_rule_quota",
	"Service.TaskEgressCidrBlocks":                 "~service.security_group_rule_quota",
	"AdditionalServices":                           "~services",
	"Waf.Logging.RetentionInDays":                  "waf.log_retention_days",
	"Monitoring.FindingPublishingFrequency":        "monitoring.finding_publishing_frequency",
	"Monitoring.RetentionInDays":                   "monitoring.log_retention_days",
	"Monitoring.S3ExpirationDays":                  "monitoring.trail_expiration_days",
	"Monitoring.NoncurrentVersionExpirationDays":   "monitoring.trail_noncurrent_expiration_days",
	"Monitoring.AlarmEmails":                       "monitoring.alarm_emails",
	"Env.Tags":                                     "tags",
	"PermissionsBoundaryArn":                       "permissions_boundary_arn",
	"Network.PermissionsBoundary":                  "permissions_boundary_arn",
	"Service.PermissionsBoundaryArn":               "permissions_boundary_arn",
	"Monitoring.PermissionsBoundaryArn":            "permissions_boundary_arn",
	"ImportedVpc.PermissionsBoundary":              "permissions_boundary_arn",
	"KmsKeyArn":                                    "kms_key_arn",
	"Network.FlowLogs.KmsKeyArn":                   "kms_key_arn",
	"Service.KmsKeyArn":                            "kms_key_arn",
	"Waf.Logging.KmsKeyArn":                        "kms_key_arn",
	"Monitoring.TrailKmsKeyArn":                    "kms_key_arn",
	"Monitoring.AlarmKmsKeyArn":                    "kms_key_arn",
	"ImportedVpc.FlowLogs.KmsKeyArn":               "kms_key_arn",
	"ImportedVpc.AccountId":                        "account",
	"ImportedVpc.Region":                           "region",
	"ImportedVpc.Attributes.VpcId":                 "vpc.existing.vpc_id",
	"ImportedVpc.Attributes.CidrBlock":             "vpc.cidr",
	"ImportedVpc.Attributes.PublicSubnetIds":       "vpc.existing.public_subnet_ids",
	"ImportedVpc.Attributes.PrivateSubnetIds":      "vpc.existing.private_subnet_ids",
	"ImportedVpc.Attributes.PrivateRouteTableIds":  "vpc.existing.private_route_table_ids",
	"ImportedVpc.Attributes.S3PrefixListId":        "vpc.existing.s3_prefix_list_id",
	"ImportedVpc.Endpoints":                        "vpc.existing.endpoints",
	"ImportedVpc.Endpoints.RouteTableIds":          "vpc.existing.private_route_table_ids",
	"ImportedVpc.Endpoints.SubnetIds":              "vpc.existing.private_subnet_ids",
	"ImportedVpc.FlowLogs":                         "vpc.existing.flow_logs",
	"ImportedVpc.FlowLogs.RetentionInDays":         "vpc.flow_log_retention_days",
	"ImportedVpc.NetworkAcls.NetworkAclIds":        "vpc.existing.network_acl_ids",
	"SharedAlb.AccountId":                          "account",
	"SharedAlb.Region":                             "region",
	"SharedAlb.CertificateDomainName":              "domain",
	"SharedAlb.CertificateSubjectAlternativeNames": "~services",
	"SharedAlb.Route53ZoneId":                      "hosted_zone_id",
	"SharedAlb.IngressCidrBlocks":                  "service.ingress_cidrs",
	"SharedAlb.SecurityGroupRuleQuota":             "service.security_group_rule_quota",
	"Service.TaskEgressPrefixListIds":              "vpc.existing.s3_prefix_list_id",
	"Service.Attach.Priority":                      "service.priority",
	"Service.Attach.HostHeaders":                   "service.hosts",
	"Service.Attach.PathPatterns":                  "service.path_patterns",
}

// bootstrapFieldKeys maps BootstrapStackConfig fields to platform keys.
// A "~" marks a value derived from the key (the Go field is named in the
// rule); "@" keys are absolute for web-app stacks, all bootstrap keys are.
var bootstrapFieldKeys = map[string]string{
	"Env.Project":              "project",
	"Env.AccountId":            "state.account",
	"Env.Region":               "state.region",
	"StateBackend.AccountId":   "state.account",
	"StateBackend.Region":      "state.region",
	"StateBackend.Bucket":      "state.bucket",
	"StateBackend.LogBucket":   "~state.bucket",
	"StateBackend.KmsKeyAlias": "~state.bucket",
	"Env.Tags":                 "tags",
	"PermissionsBoundaryArn":   "permissions_boundary_arn",
}

// mapField rewrites a construct problem's field with keys (longest
// matching prefix wins; "[i]" and ".x" suffixes are kept, "[k]" of a map
// becomes ".k"). It returns the key path, relative to base unless the key
// starts with '@', and whether the problem's value is the key's own (false
// for derived values and unmatched fields: the rule then names the field).
func mapField(field string, keys map[string]string, base string) (string, bool) {
	best := ""
	for k := range keys {
		if (field == k || strings.HasPrefix(field, k+".") || strings.HasPrefix(field, k+"[")) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return base, false
	}
	key, rest := keys[best], field[len(best):]
	if strings.HasPrefix(rest, "[") && !isIndex(rest) {
		rest = "." + strings.Trim(strings.TrimSuffix(strings.TrimPrefix(rest, "["), "]"), `"`)
	}
	own := !strings.HasPrefix(key, "~")
	key = strings.TrimPrefix(key, "~")
	if strings.HasPrefix(key, "@") {
		return key[1:] + rest, own
	}
	return join(base, key) + rest, own
}

func isIndex(s string) bool {
	end := strings.IndexByte(s, ']')
	if end < 2 {
		return false
	}
	for _, r := range s[1:end] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func join(base, key string) string {
	switch {
	case base == "":
		return key
	case key == "":
		return base
	}
	return base + "." + key
}

// Validate checks the whole platform: the platform rules (required keys,
// account IDs, regions, names, domains, CIDRs that overlap in one account,
// one GuardDuty detector per account and region, ...) and then every
// stack's own config, exactly as NewPlatformApp would build it. It returns
// nil or one *validate.Error whose fields are YAML key paths such as
// "environments.prod.vpc.cidr".
func (c *PlatformConfig) Validate() error {
	v := validate.New("stacks.NewPlatformApp")
	c.check(v)
	return v.Err()
}

// check records every problem of c (platform rules, then stack configs).
func (c *PlatformConfig) check(v *validate.Collector) {
	if c == nil {
		v.Add("config", nil, "is required")
		return
	}
	c.checkRules(v)
	d := c.WithDefaults()
	// Stand-ins for values whose problems are already reported, so that
	// the names, ARNs and placeholders derived from them do not repeat the
	// problem in every stack.
	const standInAccount, standInRegion = "000000000000", "us-east-1"
	const standInHostedZone = "Z00000000000000STANDIN"
	if !nameRe.MatchString(d.Project) {
		d.Project = "p"
	}
	if !validate.AccountID(d.State.AccountId) {
		d.State.AccountId = standInAccount
	}
	if !validate.Region(d.State.Region) {
		d.State.Region = standInRegion
	}
	if c.State.KmsKeyArn == "" {
		d.State.KmsKeyArn = placeholderStateKey(d.State.Region, d.State.AccountId)
	}
	envPath := map[string]string{} // environment name in d -> its key path
	for i := range d.Environments {
		e, orig := &d.Environments[i], c.Environments[i]
		if !validate.AccountID(e.AccountId) {
			e.AccountId = standInAccount
		}
		if !nameRe.MatchString(e.Name) {
			e.Name = fmt.Sprintf("standin%d", i)
			if orig.Domain == "" && d.Domain != "" {
				e.Domain = e.Name + "." + d.Domain
			}
		}
		if orig.StateRoleArn == "" {
			e.StateRoleArn = ""
			if e.AccountId != d.State.AccountId {
				e.StateRoleArn = StateAccessRoleArn(d.State.Region, d.State.AccountId, d.StateAccessRoleName(e.Name))
			}
		}
		sharedTagsOK := len(c.Tags) == 0 || !v.Failed("tags")
		if !sharedTagsOK {
			e.Tags = orig.Tags // the shared tags' problems are reported once, at tags
		}
		if orig.HostedZoneId == "" && v.Failed("hosted_zone_id") {
			e.HostedZoneId = standInHostedZone // reported once, at hosted_zone_id
		}
		if orig.PermissionsBoundaryArn == "" && c.PermissionsBoundaryArn != "" &&
			(v.Failed("permissions_boundary_arn") || validate.PermissionsBoundaryRule(c.PermissionsBoundaryArn, validate.Env{AccountId: e.AccountId, Region: e.Region}) != "") {
			e.PermissionsBoundaryArn = "" // reported at permissions_boundary_arn
		}
		envPath[e.Name] = "environments." + orig.Name
	}
	// The stacks' own rules, in platform terms. A problem the platform
	// rules already reported (same key) is not repeated.
	seen := map[string]bool{}
	for _, p := range problemsOf(v) {
		seen[p.Field] = true
	}
	add := func(field string, p validate.Problem, own bool) {
		if seen[field] {
			return
		}
		seen[field] = true
		if !own {
			// A derived value: name the field it went into ("id" is the
			// stack name).
			name := p.Field
			if name == "id" {
				name = "stack name"
			}
			p.Rule = name + " " + p.Rule
			p.Suggestion = "" // a value of that field, not of the key
		}
		v.AddProblem(validate.Problem{Field: field, Value: p.Value, Rule: yamlWords.Replace(p.Rule), Suggestion: p.Suggestion})
	}
	bv := validate.New("")
	ownRole := make([]bool, len(c.Environments))
	for i, e := range c.Environments {
		ownRole[i] = e.StateRoleArn != ""
	}
	boot := d.bootstrapStackConfig(ownRole)
	if v.Failed("tags") {
		boot.Env.Tags = nil
	}
	if v.Failed("permissions_boundary_arn") && !validate.AccountID(c.State.AccountId) {
		boot.PermissionsBoundaryArn = ""
	}
	if c.State.AccountId != d.State.AccountId {
		boot.StateAccessRoles = nil // they depend on the state account
	}
	boot.check(bv)
	for _, p := range problemsOf(bv) {
		field, own := mapField(p.Field, bootstrapFieldKeys, "")
		var i int
		if _, err := fmt.Sscanf(p.Field, "StateAccessRoles[%d]", &i); err == nil && i < len(boot.StateAccessRoles) {
			// Roles are derived from the environment they serve.
			field, own = envPath[boot.stateAccessEnvs[i]], false
		}
		add(field, p, own)
	}
	for _, e := range d.Environments {
		if !validate.Region(e.Region) {
			continue // reported; nearly every construct rule depends on it
		}
		base := envPath[e.Name]
		wv := validate.New("")
		id := d.StackName(e.Name)
		baseline.CheckID(wv, id)
		d.webAppStackConfig(e).check(wv, id)
		for _, p := range problemsOf(wv) {
			field, own := mapWebAppField(p.Field, e, base)
			add(field, p, own)
		}
	}
}

// mapWebAppField maps a field of a web-app stack's config to its key:
// fieldKeys relative to base, and the fields of
// AdditionalServices[i].Config as Service's, under services.<name>.
func mapWebAppField(field string, e EnvironmentConfig, base string) (string, bool) {
	var i int
	if _, err := fmt.Sscanf(field, "AdditionalServices[%d]", &i); err != nil || i >= len(e.Services) {
		return mapField(field, fieldKeys, base)
	}
	entry := join(base, "services."+e.Services[i].Name)
	rest, ok := strings.CutPrefix(field[strings.IndexByte(field, ']')+1:], ".Config")
	if !ok {
		return entry, false // Id: the entry's own name
	}
	key, own := mapField("Service"+rest, fieldKeys, base)
	if key == join(base, "service.security_group_rule_quota") {
		return key, own // the account's quota: one key for every service
	}
	if k, ok := strings.CutPrefix(key, join(base, "service")); ok && (k == "" || k[0] == '.' || k[0] == '[') {
		return entry + k, own
	}
	if key == base && !own {
		return entry, false
	}
	return key, own
}

func problemsOf(v *validate.Collector) []validate.Problem {
	var ve *validate.Error
	if errors.As(v.Err(), &ve) {
		return ve.Problems
	}
	return nil
}

// PlatformApp is the platform as NewPlatformApp built it.
type PlatformApp struct {
	// Config is the config with every default filled in.
	Config PlatformConfig
	// Bootstrap is the bootstrap stack (BootstrapStackName).
	Bootstrap *BootstrapStack
	// WebApps holds one stack per environment, in Config.Environments order.
	WebApps []*WebAppStack
}

// NewPlatformApp validates cfg (Validate: every platform rule and every
// stack's config) and, only when all is well, defines the platform in scope
// (usually a cdktf.App): the bootstrap stack and one web-app stack per
// environment. main.go calls it with the config LoadPlatformConfig read.
//
// It returns one *validate.Error listing every problem, and creates no
// stack, when cfg is invalid. A name that another construct of scope
// already uses (the app-wide registry of names) is found while the stacks
// are built; the stacks built so far are then removed again, and the error
// names both.
func NewPlatformApp(scope constructs.Construct, cfg *PlatformConfig) (*PlatformApp, error) {
	v := validate.New("stacks.NewPlatformApp")
	if scope == nil {
		v.Add("scope", nil, "is required")
	}
	cfg.check(v)
	if cfg != nil {
		for _, name := range cfg.StackNames() {
			if scope != nil && tree.Node(scope).TryFindChild(&name) != nil {
				v.Add("scope", name, "already has a construct with this stack's name")
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	d := cfg.WithDefaults()
	app := &PlatformApp{Config: d}
	// A stack that fails (a name another construct of scope already uses)
	// removes itself; the stacks built before it are removed here, so a
	// failed call leaves scope as it was.
	undo := func(err error) (*PlatformApp, error) {
		for i := len(app.WebApps) - 1; i >= 0; i-- {
			removeStack(scope, *app.WebApps[i].Stack.Node().Id(), app.WebApps[i].Stack)
		}
		if app.Bootstrap != nil {
			removeStack(scope, BootstrapStackName, app.Bootstrap.Stack)
		}
		return nil, err
	}
	var err error
	if app.Bootstrap, err = NewBootstrapStack(scope, BootstrapStackName, cfg.BootstrapStackConfig()); err != nil {
		return undo(err)
	}
	for _, e := range d.Environments {
		s, err := NewWebAppStack(scope, d.StackName(e.Name), d.webAppStackConfig(e))
		if err != nil {
			return undo(err)
		}
		app.WebApps = append(app.WebApps, s)
	}
	return app, nil
}
