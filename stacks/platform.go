package stacks

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
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
	// Vpc (key vpc) configures the environment's VPC. Required (for cidr).
	Vpc VpcSettings `yaml:"vpc"`
	// Service (key service) configures the Fargate service and its ALB.
	// Required (for image_tag and container_port).
	Service ServiceSettings `yaml:"service"`
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
}

// ServiceSettings are an environment's service settings (ecsservice).
type ServiceSettings struct {
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
	// Default 512.
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
		n := &e.Vpc
		n.AvailabilityZones = slices.Clone(n.AvailabilityZones)
		if len(n.AvailabilityZones) == 0 && n.AvailabilityZoneCount == nil {
			n.AvailabilityZoneCount = intp(DefaultAvailabilityZoneCount)
		}
		if n.NatGateways == "" {
			n.NatGateways = securevpc.NatGatewayPerAz
		}
		def(&n.FlowLogRetentionInDays, securevpc.DefaultFlowLogRetentionInDays)

		s := &e.Service
		if s.HealthCheckPath == "" {
			s.HealthCheckPath = ecsservice.DefaultHealthCheckPath
		}
		def(&s.Cpu, ecsservice.DefaultCpu)
		def(&s.MemoryMiB, ecsservice.DefaultMemoryMiB)
		def(&s.DesiredCount, ecsservice.DefaultDesiredCount)
		def(&s.MinCapacity, *s.DesiredCount)
		def(&s.MaxCapacity, 2**s.MinCapacity)
		def(&s.LogRetentionInDays, ecsservice.DefaultLogRetentionInDays)
		if s.DeletionProtection == nil {
			s.DeletionProtection = boolp(true)
		}
		if s.IngressCidrBlocks == nil {
			s.IngressCidrBlocks = []string{"0.0.0.0/0"}
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
		Env:          Env{Project: d.Project, Environment: BootstrapEnvironment, AccountId: d.State.AccountId, Region: d.State.Region},
		StateBackend: statebackend.EncryptedStateBackendConfig{Bucket: d.State.Bucket},
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
		Env: Env{Project: d.Project, Environment: e.Name, AccountId: e.AccountId, Region: e.Region},
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
		Service: ecsservice.HardenedEcsServiceConfig{
			CreateEcrRepository:   true,
			ImageTag:              e.Service.ImageTag,
			HealthCheckPath:       e.Service.HealthCheckPath,
			Environment:           e.Service.Environment,
			CertificateDomainName: e.Domain,
			Route53ZoneId:         e.HostedZoneId,
			Cpu:                   e.Service.Cpu,
			MemoryMiB:             e.Service.MemoryMiB,
			DesiredCount:          e.Service.DesiredCount,
			MinCapacity:           e.Service.MinCapacity,
			MaxCapacity:           e.Service.MaxCapacity,
			// terraform apply -var 'desired_count=0'
			DesiredCountVariable:      DesiredCountVariable,
			LogRetentionInDays:        e.Service.LogRetentionInDays,
			DisableDeletionProtection: !*e.Service.DeletionProtection,
			IngressCidrBlocks:         e.Service.IngressCidrBlocks,
		},
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
	if e.Service.ContainerPort != nil {
		cfg.Service.ContainerPort = *e.Service.ContainerPort
	}
	if e.StateRoleArn != "" {
		cfg.Backend.AssumeRole = &statebackend.AssumeRole{RoleArn: e.StateRoleArn, SessionName: d.StackName(e.Name)}
	}
	return cfg
}

// fieldKeys maps the fields of WebAppStackConfig that come from one
// environment key to that key (relative to "environments.<name>"), so that
// a construct's problem points at the line to fix. Fields not listed are
// derived (names from project and environment name) and are reported at
// the environment.
var fieldKeys = map[string]string{
	// Every construct's AccountId and Region are the stack's.
	"Network.AccountId":                          "account",
	"Network.Region":                             "region",
	"Service.AccountId":                          "account",
	"Service.Region":                             "region",
	"Waf.AccountId":                              "account",
	"Waf.Region":                                 "region",
	"Monitoring.AccountId":                       "account",
	"Monitoring.Region":                          "region",
	"Env.Project":                                "@project",
	"Env.AccountId":                              "account",
	"Env.Region":                                 "region",
	"Backend.Region":                             "@state.region",
	"Backend.Bucket":                             "@state.bucket",
	"Backend.KmsKeyId":                           "@state.kms_key_arn",
	"Backend.AssumeRole.RoleArn":                 "state_role_arn",
	"Backend.AllowedAccountIds":                  "@state.account",
	"Network.CidrBlock":                          "vpc.cidr",
	"Network.AvailabilityZones":                  "vpc.availability_zones",
	"Network.AvailabilityZoneCount":              "vpc.availability_zone_count",
	"Network.NatGateways":                        "vpc.nat_gateways",
	"Network.FlowLogs.RetentionInDays":           "vpc.flow_log_retention_days",
	"Service.ImageTag":                           "service.image_tag",
	"Service.ContainerPort":                      "service.container_port",
	"Service.HealthCheckPath":                    "service.health_check_path",
	"Service.Environment":                        "service.environment",
	"Service.CertificateDomainName":              "domain",
	"Service.Route53ZoneId":                      "hosted_zone_id",
	"Service.Cpu":                                "service.cpu",
	"Service.MemoryMiB":                          "service.memory_mib",
	"Service.DesiredCount":                       "service.desired_count",
	"Service.MinCapacity":                        "service.min_capacity",
	"Service.MaxCapacity":                        "service.max_capacity",
	"Service.LogRetentionInDays":                 "service.log_retention_days",
	"Service.IngressCidrBlocks":                  "service.ingress_cidrs",
	"Waf.Logging.RetentionInDays":                "waf.log_retention_days",
	"Monitoring.FindingPublishingFrequency":      "monitoring.finding_publishing_frequency",
	"Monitoring.RetentionInDays":                 "monitoring.log_retention_days",
	"Monitoring.S3ExpirationDays":                "monitoring.trail_expiration_days",
	"Monitoring.NoncurrentVersionExpirationDays": "monitoring.trail_noncurrent_expiration_days",
	"Monitoring.AlarmEmails":                     "monitoring.alarm_emails",
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
		}
		v.Add(field, p.Value, p.Rule)
	}
	bv := validate.New("")
	ownRole := make([]bool, len(c.Environments))
	for i, e := range c.Environments {
		ownRole[i] = e.StateRoleArn != ""
	}
	boot := d.bootstrapStackConfig(ownRole)
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
			field, own := mapField(p.Field, fieldKeys, base)
			add(field, p, own)
		}
	}
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
// stack, when cfg is invalid.
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
	var err error
	if app.Bootstrap, err = NewBootstrapStack(scope, BootstrapStackName, cfg.BootstrapStackConfig()); err != nil {
		return nil, err // unreachable: validated above
	}
	for _, e := range d.Environments {
		s, err := NewWebAppStack(scope, d.StackName(e.Name), d.webAppStackConfig(e))
		if err != nil {
			return nil, err // unreachable: validated above
		}
		app.WebApps = append(app.WebApps, s)
	}
	return app, nil
}
