package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
)

// The reference platform, after the example in the security seed document.
// Replace these values with your own account's.
const (
	// ReferenceApp is the application name.
	ReferenceApp = "ecs-webapp"
	// ReferenceRegion is the region of every reference stack.
	ReferenceRegion = "us-east-1"
	// ReferenceAccountId is a placeholder account ID.
	ReferenceAccountId = "123456789012"
	// ReferenceStateBucket is the state bucket the bootstrap stack creates.
	ReferenceStateBucket = "ecs-webapp-terraform-state-example"
	// ReferenceStateKmsKeyArn stands for the bootstrap stack's
	// state_kms_key_arn output, in ReferenceAccountId and ReferenceRegion, so
	// that the app synthesizes (and the bootstrap stack deploys) before the
	// key exists. After the first bootstrap apply, replace it with
	// `terraform output -raw state_kms_key_arn`.
	ReferenceStateKmsKeyArn = "arn:aws:kms:" + ReferenceRegion + ":" + ReferenceAccountId + ":key/00000000-0000-4000-8000-000000000000"
	// ReferenceContainerPort is the port the container listens on.
	ReferenceContainerPort = 5000
	// ReferenceHealthCheckPath is the application's health endpoint.
	ReferenceHealthCheckPath = "/health"
)

// ReferenceEnvironments are the web-app environments, in synth order.
var ReferenceEnvironments = []string{"dev", "prod"}

// BootstrapStackName and WebAppStackName give the reference stacks' names.
const BootstrapStackName = "bootstrap"

// WebAppStackName is the name of the reference web-app stack of env.
func WebAppStackName(env string) string { return ReferenceApp + "-" + env }

// NewReferenceApp defines the reference platform in scope (usually a
// cdktf.App): the bootstrap stack and one web-app stack per environment.
// main.go synthesizes it; the tests snapshot and plan it.
func NewReferenceApp(scope constructs.Construct) error {
	_, err := NewBootstrapStack(scope, BootstrapStackName, &BootstrapStackConfig{
		Env:          Env{Project: ReferenceApp, Environment: "shared", AccountId: ReferenceAccountId, Region: ReferenceRegion},
		StateBackend: statebackend.EncryptedStateBackendConfig{Bucket: ReferenceStateBucket},
	})
	if err != nil {
		return err
	}
	for _, env := range ReferenceEnvironments {
		if _, err := NewWebAppStack(scope, WebAppStackName(env), ReferenceWebAppConfig(env)); err != nil {
			return err
		}
	}
	return nil
}

// ReferenceAvailabilityZones are the reference VPC's AZs (zones a and b of
// ReferenceRegion): an explicit list keeps plans offline and stable.
var ReferenceAvailabilityZones = []string{ReferenceRegion + "a", ReferenceRegion + "b"}

// ReferenceImageTag is the pinned tag of the reference service's image in
// the private ECR repository the service creates (immutable tags, scan on
// push). Push the image with this tag before the first deploy; the seed's
// health check runs curl, so the image must contain it.
const ReferenceImageTag = "1.0.0"

// ReferenceDomain is the reference app's domain; ReferenceHostedZoneId is
// its Route 53 public hosted zone, where the ACM certificates are validated.
// Replace both with your own.
const (
	ReferenceDomain       = "ecs-webapp.example.com"
	ReferenceHostedZoneId = "Z0123456789EXAMPLE0AB"
)

// Terraform variables the reference stacks declare for incident response:
// block an address or scale to zero with one apply and no code change.
const (
	// BlockedCidrsVariable feeds the network ACLs' deny list.
	BlockedCidrsVariable = "blocked_cidr_blocks"
	// WafBlockedAddressesVariable feeds the WAF's IP block list.
	WafBlockedAddressesVariable = "waf_blocked_addresses"
	// DesiredCountVariable overrides the service's task count.
	DesiredCountVariable = "desired_count"
)

// ReferenceWebAppConfig is the reference config of one environment. dev and
// prod differ where a team would expect: NAT gateways, task count,
// deletion protection, GuardDuty and log retention.
func ReferenceWebAppConfig(env string) *WebAppStackConfig {
	prod := env == "prod"
	domain := ReferenceDomain
	if !prod {
		domain = env + "." + ReferenceDomain
	}
	cfg := &WebAppStackConfig{
		Env: Env{Project: ReferenceApp, Environment: env, AccountId: ReferenceAccountId, Region: ReferenceRegion},
		Backend: statebackend.BackendConfig{
			Bucket:            ReferenceStateBucket,
			KmsKeyId:          ReferenceStateKmsKeyArn,
			AllowedAccountIds: []string{ReferenceAccountId},
		},
		Network: securevpc.SecureVpcConfig{
			AvailabilityZones: ReferenceAvailabilityZones,
			NatGateways:       securevpc.NatGatewayPerAz,
			// terraform apply -var 'blocked_cidr_blocks=["203.0.113.7/32"]'
			NetworkAcls: securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: BlockedCidrsVariable},
			FlowLogs:    securevpc.FlowLogsConfig{RetentionInDays: 365},
		},
		Service: ecsservice.HardenedEcsServiceConfig{
			CreateEcrRepository:   true,
			ImageTag:              ReferenceImageTag,
			ContainerPort:         ReferenceContainerPort,
			HealthCheckPath:       ReferenceHealthCheckPath,
			Environment:           map[string]string{"APP_ENV": env, "PORT": "5000"},
			CertificateDomainName: domain,
			Route53ZoneId:         ReferenceHostedZoneId,
			Cpu:                   512,
			Memory:                1024,
			DesiredCount:          2,
			MinCapacity:           2,
			MaxCapacity:           6,
			// terraform apply -var 'desired_count=0'
			DesiredCountVariable: DesiredCountVariable,
			LogRetentionInDays:   365,
		},
		Waf: wafacl.WafAclConfig{
			// terraform apply -var 'waf_blocked_addresses=["198.51.100.7/32"]'
			BlockedAddressesVariable: WafBlockedAddressesVariable,
		},
		Monitoring: securitymonitoring.SecurityMonitoringConfig{
			FindingPublishingFrequency: "FIFTEEN_MINUTES",
		},
	}
	if !prod {
		cfg.Network.NatGateways = securevpc.NatGatewaySingle
		cfg.Network.FlowLogs.RetentionInDays = 30
		cfg.Service.DesiredCount, cfg.Service.MinCapacity, cfg.Service.MaxCapacity = 1, 1, 2
		cfg.Service.Cpu, cfg.Service.Memory = 256, 512
		cfg.Service.LogRetentionInDays = 30
		// dev is torn down and rebuilt freely.
		cfg.Service.DisableDeletionProtection = true
		cfg.Waf.Logging = wafacl.Logging{RetentionInDays: 30, OnlyBlockedAndCounted: true}
		// One account-wide GuardDuty detector lives in prod.
		cfg.Monitoring = securitymonitoring.SecurityMonitoringConfig{
			SkipGuardDutyDetector:           true,
			RetentionInDays:                 30,
			S3ExpirationDays:                90,
			NoncurrentVersionExpirationDays: 30,
		}
	}
	return cfg
}
