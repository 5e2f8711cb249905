// Package stacks assembles the constructs into deployable cdktf stacks: a
// bootstrap stack for the state backend and one web-app stack per
// environment.
//
// A PlatformConfig describes a whole platform: the shared settings, the
// state backend and every environment. LoadPlatformConfig reads it from a
// YAML file (platform.yaml at the repository root; README, "Configuring
// your environments") and reports every problem with its file, line and
// key; NewPlatformApp validates it completely and then builds the stacks.
// main.go does exactly this.
package stacks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/fastsynth"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	// RequiredTerraformVersion is written to terraform.required_version.
	// Terraform 1.10 is the first with S3 native state locking.
	RequiredTerraformVersion = ">= 1.10"
	// AwsProviderVersion is the hashicorp/aws version constraint written to
	// terraform.required_providers.aws.version (the bindings would pin an
	// exact version).
	AwsProviderVersion = "~> 5.99"
	// ManagedBy is the value of the ManagedBy default tag.
	ManagedBy = "cdktf"
)

// NewApp is cdktf.NewApp with fast synth on (fastsynth.Enable: the AWS
// provider's modules load lazily, same output; HARDENED_CDKTF_FASTSYNTH=off
// switches it off). Call it before creating any other construct.
func NewApp(cfg *cdktf.AppConfig) cdktf.App {
	fastsynth.Enable()
	return cdktf.NewApp(cfg)
}

// Env is what every stack needs to know about where it deploys.
type Env struct {
	// Project is the value of the Project default tag, e.g. "ecs-webapp".
	Project string
	// Environment is the value of the Environment default tag, e.g. "prod".
	Environment string
	// AccountId is the 12-digit account the stack deploys to. The provider's
	// allowed_account_ids holds only this account, so credentials for any
	// other account make Terraform stop before it changes anything.
	AccountId string
	// Region is the AWS region, e.g. "us-east-1".
	Region string
}

func (e Env) check(v *validate.Collector) {
	v.Check(e.Project != "", "Env.Project", e.Project, "is required")
	v.Check(e.Environment != "", "Env.Environment", e.Environment, "is required")
	v.Check(validate.AccountID(e.AccountId), "Env.AccountId", e.AccountId, "must be a 12-digit AWS account ID")
	v.Check(validate.Region(e.Region), "Env.Region", e.Region, "must be an AWS region code such as us-east-1")
}

// NewStack creates an empty stack with what every stack of this module
// needs: the AWS provider for env (region, default_tags Project, Environment
// and ManagedBy, allowed_account_ids), the provider version constraint
// AwsProviderVersion (the bindings would pin an exact version) and
// RequiredTerraformVersion. Use it for your own stacks; add a backend with
// statebackend.Use. env is not validated here.
func NewStack(scope constructs.Construct, id string, env Env) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(env.Region),
		AllowedAccountIds: jsii.Strings(env.AccountId),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{
			Tags: &map[string]*string{
				"Project":     jsii.String(env.Project),
				"Environment": jsii.String(env.Environment),
				"ManagedBy":   jsii.String(ManagedBy),
			},
		}},
	})
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(RequiredTerraformVersion))
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(AwsProviderVersion))
	return stack
}

// BootstrapStackConfig configures NewBootstrapStack.
type BootstrapStackConfig struct {
	Env Env
	// StateBackend configures the state resources. Its AccountId and Region
	// default to Env's and must match them when set.
	StateBackend statebackend.EncryptedStateBackendConfig
	// StateAccessRoles are IAM roles, in the state account, that Terraform
	// running with another account's credentials assumes to read and write
	// one state object (statebackend.BackendConfig.AssumeRole). Default
	// none: stacks in the state account need no role.
	StateAccessRoles []StateAccessRole

	// stateAccessEnvs names the environment of each role, when the
	// platform config made them (for error messages).
	stateAccessEnvs []string
}

// StateAccessRole is an IAM role of the bootstrap stack that lets principals
// of one other account use one state object and its lock file, and nothing
// else in the state bucket. Its trust policy trusts the account (its root
// principal), so that account's administrators decide who may assume it
// (grant sts:AssumeRole on the role ARN to the deploying principals).
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html
type StateAccessRole struct {
	// Name is the role name: 1-64 letters, digits and +=,.@_-. Required.
	Name string
	// TrustedAccountId is the 12-digit account whose principals may assume
	// the role. Required; it must differ from the state account.
	TrustedAccountId string
	// StateKey is the state object's key, e.g. "shop-prod/terraform.tfstate"
	// (statebackend.BackendConfig.Key). The role may list the bucket, read
	// and write this key, and read, write and delete "<StateKey>.tflock".
	// Required.
	StateKey string
}

// StateAccessRoleArn is the ARN of the role named name in the state
// account, as NewBootstrapStack creates it (for
// statebackend.AssumeRole.RoleArn of a stack in another account).
func StateAccessRoleArn(region, stateAccountId, name string) string {
	return "arn:" + iampolicy.Partition(region) + ":iam::" + stateAccountId + ":role/" + name
}

// BootstrapStack is the stack that holds the state backend resources.
type BootstrapStack struct {
	Stack        cdktf.TerraformStack
	StateBackend *statebackend.EncryptedStateBackend
	// StateAccessRoles holds the roles of BootstrapStackConfig.StateAccessRoles, in order.
	StateAccessRoles []iamrole.IamRole
}

// NewBootstrapStack creates the stack that deploys EncryptedStateBackend with
// a local backend: the state bucket cannot hold its own state before it
// exists. After the first apply, migrate its state into the bucket (README,
// "Bootstrapping").
//
// It returns a *validate.Error, and creates no stack, when cfg is invalid.
func NewBootstrapStack(scope constructs.Construct, id string, cfg *BootstrapStackConfig) (*BootstrapStack, error) {
	v := validate.New("stacks.NewBootstrapStack")
	baseline.CheckScope(v, scope, id)
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	sb := cfg.check(v)
	if err := v.Err(); err != nil {
		return nil, err
	}

	stack := NewStack(scope, id, cfg.Env)
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String("terraform." + id + ".tfstate")})
	backend, err := statebackend.NewEncryptedStateBackend(stack, "state", &sb)
	if err != nil {
		return nil, err // unreachable: validated above
	}
	b := &BootstrapStack{Stack: stack, StateBackend: backend}
	for _, r := range cfg.StateAccessRoles {
		role, err := newStateAccessRole(stack, stateAccessRoleID(r.Name), r, cfg.Env, backend)
		if err != nil {
			return nil, err // unreachable: StateKey validated above
		}
		b.StateAccessRoles = append(b.StateAccessRoles, role)
	}
	return b, nil
}

// Validate checks cfg as NewBootstrapStack(scope, id, cfg) does, without a
// scope and without creating anything. It returns nil or a *validate.Error.
func (cfg *BootstrapStackConfig) Validate(id string) error {
	v := validate.New("stacks.NewBootstrapStack")
	baseline.CheckID(v, id)
	cfg.check(v)
	return v.Err()
}

var roleNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// check records every problem of cfg and returns the state backend config
// with AccountId and Region filled in.
func (cfg *BootstrapStackConfig) check(v *validate.Collector) statebackend.EncryptedStateBackendConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return statebackend.EncryptedStateBackendConfig{}
	}
	cfg.Env.check(v)
	sb := cfg.StateBackend
	if sb.AccountId == "" {
		sb.AccountId = cfg.Env.AccountId
	}
	if sb.Region == "" {
		sb.Region = cfg.Env.Region
	}
	v.Check(sb.AccountId == cfg.Env.AccountId, "StateBackend.AccountId", sb.AccountId, "must equal Env.AccountId")
	v.Check(sb.Region == cfg.Env.Region, "StateBackend.Region", sb.Region, "must equal Env.Region")
	// Validate the construct's config before the stack exists.
	v.Merge("StateBackend", sb, sb.Validate("state"))
	names := map[string]bool{}
	for i, r := range cfg.StateAccessRoles {
		f := fmt.Sprintf("StateAccessRoles[%d]", i)
		v.Check(roleNameRe.MatchString(r.Name), f+".Name", r.Name, "must be an IAM role name: 1-64 letters, digits and +=,.@_-")
		// IAM role names are unique per account, case-insensitively; the
		// construct id derived from the name must be unique too.
		v.Check(!names[strings.ToLower(r.Name)] && !names[stateAccessRoleID(r.Name)], f+".Name", r.Name, "is used by another state access role")
		names[strings.ToLower(r.Name)], names[stateAccessRoleID(r.Name)] = true, true
		if v.Check(validate.AccountID(r.TrustedAccountId), f+".TrustedAccountId", r.TrustedAccountId, "must be a 12-digit AWS account ID") {
			v.Check(r.TrustedAccountId != cfg.Env.AccountId, f+".TrustedAccountId", r.TrustedAccountId, "must differ from the state account: its principals reach the bucket with their own IAM policies")
		}
		if v.Check(r.StateKey != "" && !strings.HasPrefix(r.StateKey, "/") && !strings.HasSuffix(r.StateKey, "/") && !strings.Contains(r.StateKey, "//") &&
			len(r.StateKey) <= statebackend.MaxKeyLength && !strings.ContainsAny(r.StateKey, "*?${}"), f+".StateKey", r.StateKey,
			fmt.Sprintf("is required: a state object key of at most %d bytes, not starting or ending with '/', without '//', wildcards or interpolation", statebackend.MaxKeyLength)) {
			// The role's grant (statebackend.GrantReadWrite) checks the rest.
			v.Rule(f+".StateKey", r.StateKey, statebackend.StateKeysRule(r.StateKey))
		}
	}
	return sb
}

// stateAccessRoleID is the construct id of the role named name: derived
// from the name, not the position, so that adding or reordering roles
// replaces none.
func stateAccessRoleID(name string) string {
	return "state_access_role_" + strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// newStateAccessRole creates one StateAccessRole: trust of the other
// account's root, and the backend's read-write grant on the state key (one
// inline policy limited to the state object, its lock file and the state
// key's KMS operations).
func newStateAccessRole(stack cdktf.TerraformStack, id string, r StateAccessRole, env Env, backend *statebackend.EncryptedStateBackend) (iamrole.IamRole, error) {
	partition := iampolicy.Partition(env.Region)
	trust := iampolicy.New(iampolicy.Statement{
		Sid:       "TrustEnvironmentAccount",
		Effect:    "Allow",
		Principal: iampolicy.AWS(iampolicy.AccountRoot(partition, r.TrustedAccountId)),
		Action:    []string{"sts:AssumeRole"},
	})
	role := iamrole.NewIamRole(stack, jsii.String(id), &iamrole.IamRoleConfig{
		Name:             jsii.String(r.Name),
		Description:      jsii.String("Terraform state access to " + r.StateKey + " for account " + r.TrustedAccountId),
		AssumeRolePolicy: jsii.String(trust.JSON()),
	})
	if _, err := backend.GrantReadWrite(grant.Role(role), r.StateKey); err != nil {
		return nil, err
	}
	return role, nil
}

// WebAppStackConfig configures NewWebAppStack. Every construct config's
// AccountId and Region default to Env's (and must match them when set), and
// its Name defaults to the stack id. The wiring between constructs is done
// by the stack: leave those fields empty.
type WebAppStackConfig struct {
	Env Env
	// Backend points the stack's state at the bootstrap stack's bucket.
	// Backend.Region defaults to Env.Region and Backend.Key to
	// "<stack id>/terraform.tfstate".
	Backend statebackend.BackendConfig
	// Network configures the environment's VPC.
	Network securevpc.SecureVpcConfig
	// Service configures the Fargate service and its ALB. VpcId, VpcCidr,
	// PublicSubnetIds, PrivateSubnetIds and TaskEgressPrefixListIds come
	// from Network and must be empty.
	Service ecsservice.HardenedEcsServiceConfig
	// Waf configures the web ACL; ResourceArn is the service's ALB and must
	// be empty.
	Waf wafacl.WafAclConfig
	// Monitoring configures CloudTrail, GuardDuty and the alarms; Alb, Ecs
	// and Waf are filled from the stack's service and web ACL and must be
	// unset.
	Monitoring securitymonitoring.SecurityMonitoringConfig
}

// WebAppStack is one environment of the web platform.
type WebAppStack struct {
	Stack      cdktf.TerraformStack
	Backend    cdktf.S3Backend
	Network    *securevpc.SecureVpc
	Service    *ecsservice.HardenedEcsService
	Waf        *wafacl.WafAcl
	Monitoring *securitymonitoring.SecurityMonitoring
}

// Placeholders stand in for the values one construct takes from another
// (the VPC's IDs, the ALB's ARN), so that every config can be validated
// before anything is created.
const (
	placeholderVpcID        = "vpc-00000000000000000"
	placeholderSubnetID     = "subnet-0000000000000000%x"
	placeholderPrefixListID = "pl-00000000"
	// placeholderAlbArn is formatted with partition, region and account.
	placeholderAlbArn            = "arn:%s:elasticloadbalancing:%s:%s:loadbalancer/app/placeholder/0123456789abcdef"
	placeholderAlbSuffix         = "app/placeholder/0123456789abcdef"
	placeholderTargetGroupSuffix = "targetgroup/placeholder/0123456789abcdef"
)

// NewWebAppStack creates one environment's stack: SecureVpc, a
// HardenedEcsService in it, a WafAcl on its ALB and SecurityMonitoring of all
// three, with its state in the encrypted S3 backend. Next to the service's
// own outputs (service_alb_dns_name, service_log_group_name, ...) it has the
// outputs url, vpc_flow_log_group_name, waf_log_group_name,
// cloudtrail_log_group_name and alarm_topic_arn.
//
// It validates every construct's config first and returns one
// *validate.Error (fields prefixed with Backend., Network., Service., Waf.
// and Monitoring.), creating no stack, when any is invalid.
func NewWebAppStack(scope constructs.Construct, id string, cfg *WebAppStackConfig) (*WebAppStack, error) {
	v := validate.New("stacks.NewWebAppStack")
	baseline.CheckScope(v, scope, id)
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	r := cfg.check(v, id)
	if err := v.Err(); err != nil {
		return nil, err
	}
	bc, nc, sc, wc, mc := r.backend, r.network, r.service, r.waf, r.monitoring

	stack := NewStack(scope, id, cfg.Env)
	backend, err := statebackend.Use(stack, &bc)
	if err != nil {
		return nil, err // unreachable: validated above
	}
	network, err := securevpc.NewSecureVpc(stack, "network", &nc)
	if err != nil {
		return nil, err // unreachable: validated above
	}

	sc.VpcId, sc.VpcCidr = network.VpcId, network.CidrBlock
	sc.PublicSubnetIds, sc.PrivateSubnetIds = network.PublicSubnetIds, network.PrivateSubnetIds
	if network.S3PrefixListId != "" {
		// ECR image layers come from S3 through the gateway endpoint.
		sc.TaskEgressPrefixListIds = []string{network.S3PrefixListId}
	}
	service, err := ecsservice.NewHardenedEcsService(stack, "service", &sc)
	if err != nil {
		return nil, err
	}

	wc.ResourceArn = *tree.Attr(service.LoadBalancer, "arn", service.LoadBalancer.Arn)
	waf, err := wafacl.NewWafAcl(stack, "waf", &wc)
	if err != nil {
		return nil, err
	}

	mc.Alb = &securitymonitoring.AlbAlarms{
		LoadBalancerArnSuffix: *tree.Attr(service.LoadBalancer, "arn_suffix", service.LoadBalancer.ArnSuffix),
		TargetGroupArnSuffix:  *tree.Attr(service.TargetGroup, "arn_suffix", service.TargetGroup.ArnSuffix),
	}
	mc.Ecs = []securitymonitoring.EcsAlarms{{ClusterName: *service.ClusterName, ServiceName: *tree.Attr(service.Service, "name", service.Service.Name)}}
	mc.Waf = &securitymonitoring.WafAlarms{WebAclMetricName: waf.MetricName}
	monitoring, err := securitymonitoring.NewSecurityMonitoring(stack, "monitoring", &mc)
	if err != nil {
		return nil, err
	}

	url := "https://" + sc.CertificateDomainName
	if sc.CertificateDomainName == "" {
		scheme := "https://"
		if sc.AllowPlainHttp && sc.CertificateArn == "" {
			scheme = "http://"
		}
		url = scheme + *service.LoadBalancer.DnsName()
	}
	for _, o := range []struct {
		name, description string
		value             *string
	}{
		{"url", "URL of the application.", &url},
		{"vpc_flow_log_group_name", "CloudWatch log group of the VPC flow logs.", jsii.String(network.FlowLogGroupName)},
		{"waf_log_group_name", "CloudWatch log group of the WAF logs.", waf.LogGroup.Name()},
		{"cloudtrail_log_group_name", "CloudWatch log group of the CloudTrail events.", monitoring.TrailLogGroupName},
		{"alarm_topic_arn", "SNS topic of every security and service alarm; subscribe here.", monitoring.AlarmTopicArn},
	} {
		// Directly in the stack, an output's logical id is its construct id:
		// no OverrideLogicalId (one round trip each).
		cdktf.NewTerraformOutput(stack, jsii.String(o.name), &cdktf.TerraformOutputConfig{
			Value:       o.value,
			Description: jsii.String(o.description),
		})
	}
	return &WebAppStack{Stack: stack, Backend: backend, Network: network, Service: service, Waf: waf, Monitoring: monitoring}, nil
}

// Validate checks cfg as NewWebAppStack(scope, id, cfg) does, without a
// scope and without creating anything. It returns nil or a *validate.Error.
func (cfg *WebAppStackConfig) Validate(id string) error {
	v := validate.New("stacks.NewWebAppStack")
	baseline.CheckID(v, id)
	cfg.check(v, id)
	return v.Err()
}

// webAppConfigs are the construct configs of a web-app stack after the
// stack's defaults (names, account, region, backend key).
type webAppConfigs struct {
	backend    statebackend.BackendConfig
	network    securevpc.SecureVpcConfig
	service    ecsservice.HardenedEcsServiceConfig
	waf        wafacl.WafAclConfig
	monitoring securitymonitoring.SecurityMonitoringConfig
}

// check records every problem of cfg for a stack named id and returns the
// construct configs with the stack's defaults applied.
func (cfg *WebAppStackConfig) check(v *validate.Collector, id string) webAppConfigs {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return webAppConfigs{}
	}
	cfg.Env.check(v)
	bc := cfg.Backend
	if bc.Region == "" {
		bc.Region = cfg.Env.Region
	}
	if bc.Key == "" {
		bc.Key = id + "/terraform.tfstate"
	}
	v.Merge("Backend", bc, bc.Validate(id))

	nc := cfg.Network
	inherit(v, "Network", &nc.Name, &nc.AccountId, &nc.Region, id, cfg.Env)
	v.Merge("Network", nc, nc.Validate("network"))

	sc := cfg.Service
	inherit(v, "Service", &sc.Name, &sc.AccountId, &sc.Region, id, cfg.Env)
	v.Check(sc.VpcId == "" && sc.VpcCidr == "" && len(sc.PublicSubnetIds) == 0 && len(sc.PrivateSubnetIds) == 0 && len(sc.TaskEgressPrefixListIds) == 0,
		"Service", "VpcId/VpcCidr/PublicSubnetIds/PrivateSubnetIds/TaskEgressPrefixListIds", "must be empty: the stack takes them from Network")
	// Validate with stand-ins shaped like the VPC's values.
	check := sc
	check.VpcId, check.VpcCidr = placeholderVpcID, vpcCidr(nc)
	check.PublicSubnetIds = placeholders(placeholderSubnetID, azCount(nc))
	check.PrivateSubnetIds = check.PublicSubnetIds
	if !nc.Endpoints.Disabled {
		// The S3 gateway endpoint's prefix list (ECR image layers).
		check.TaskEgressPrefixListIds = []string{placeholderPrefixListID}
	}
	v.Merge("Service", sc, check.Validate(id))

	wc := cfg.Waf
	inherit(v, "Waf", &wc.Name, &wc.AccountId, &wc.Region, id, cfg.Env)
	v.Check(wc.ResourceArn == "", "Waf.ResourceArn", wc.ResourceArn, "must be empty: the stack attaches the web ACL to the service's ALB")
	v.Check(wc.Scope == "" || wc.Scope == "REGIONAL", "Waf.Scope", wc.Scope, "must be REGIONAL (or empty): the stack attaches the web ACL to an ALB")
	wafCheck := wc
	wafCheck.ResourceArn = fmt.Sprintf(placeholderAlbArn, iampolicy.Partition(wc.Region), wc.Region, wc.AccountId)
	v.Merge("Waf", wc, wafCheck.Validate("waf"))

	mc := cfg.Monitoring
	inherit(v, "Monitoring", &mc.Name, &mc.AccountId, &mc.Region, id, cfg.Env)
	v.Check(mc.Alb == nil && len(mc.Ecs) == 0 && mc.Waf == nil, "Monitoring", "Alb/Ecs/Waf", "must be unset: the stack fills them from its service and web ACL")
	monCheck := mc
	monCheck.Alb = &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: placeholderAlbSuffix, TargetGroupArnSuffix: placeholderTargetGroupSuffix}
	monCheck.Ecs = []securitymonitoring.EcsAlarms{{ClusterName: sc.Name, ServiceName: sc.Name}}
	monCheck.Waf = &securitymonitoring.WafAlarms{WebAclMetricName: wc.Name}
	v.Merge("Monitoring", mc, monCheck.Validate("monitoring"))

	// Each incident-response variable needs a name of its own: two
	// constructs declaring the same variable would silently share it.
	vars := map[string]string{}
	for _, f := range [][2]string{
		{"Network.NetworkAcls.DenyCidrBlocksVariable", nc.NetworkAcls.DenyCidrBlocksVariable},
		{"Service.DesiredCountVariable", sc.DesiredCountVariable},
		{"Waf.BlockedAddressesVariable", wc.BlockedAddressesVariable},
	} {
		if f[1] == "" {
			continue
		}
		if other, dup := vars[f[1]]; dup {
			v.Add(f[0], f[1], "must differ from "+other+": each construct declares its own Terraform variable")
		}
		vars[f[1]] = f[0]
	}
	return webAppConfigs{backend: bc, network: nc, service: sc, waf: wc, monitoring: mc}
}

// inherit defaults a construct config's Name, AccountId and Region to the
// stack's and checks that explicit values match the stack's Env.
func inherit(v *validate.Collector, prefix string, name, account, region *string, id string, env Env) {
	if *name == "" {
		*name = id
	}
	if *account == "" {
		*account = env.AccountId
	}
	if *region == "" {
		*region = env.Region
	}
	v.Check(*account == env.AccountId, prefix+".AccountId", *account, "must equal Env.AccountId")
	v.Check(*region == env.Region, prefix+".Region", *region, "must equal Env.Region")
}

func vpcCidr(c securevpc.SecureVpcConfig) string {
	if c.CidrBlock == "" {
		return securevpc.DefaultCidrBlock
	}
	return c.CidrBlock
}

// azCount is the number of subnets per tier the VPC will have, clamped to
// what SecureVpc accepts so that a Network problem is reported once, under
// Network, and not again through the service's placeholders.
func azCount(c securevpc.SecureVpcConfig) int {
	n := len(c.AvailabilityZones)
	if n == 0 {
		n = validate.IntOr(c.AvailabilityZoneCount, 0)
	}
	return min(max(n, 2), securevpc.MaxAvailabilityZones)
}

func placeholders(format string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}
