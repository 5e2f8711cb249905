package stacks

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/securitymonitoring"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/constructs/wafacl"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// WebAppStackConfig configures NewWebAppStack. Every construct config's
// AccountId and Region default to Env's (and must match them when set), and
// its Name defaults to the stack id. The wiring between constructs is done
// by the stack: leave those fields empty.
//
// A stack holds one VPC (Network, or ImportedVpc), one service with its own
// ALB (Service) or several services behind one shared ALB (SharedAlb,
// Service and AdditionalServices), one web ACL on the ALB (Waf) and the
// monitoring of all of it (Monitoring).
type WebAppStackConfig struct {
	Env Env
	// Backend points the stack's state at the bootstrap stack's bucket.
	// Backend.Region defaults to Env.Region and Backend.Key to
	// "<stack id>/terraform.tfstate".
	Backend statebackend.BackendConfig

	// PermissionsBoundaryArn is set as the permissions boundary of every
	// IAM role the stack's constructs create (the flow-log role, each
	// service's execution and task roles, the CloudTrail role), as
	// organisations that require one on every role demand: a managed
	// policy of Env.AccountId, or an AWS managed policy
	// (validate.PermissionsBoundaryRule). A construct config's own boundary
	// field must then be empty or the same ARN. Default: none.
	PermissionsBoundaryArn string
	// KmsKeyArn is a team KMS key managed elsewhere (its key policy owned by
	// security), in Env.AccountId and Env.Region, that encrypts what the
	// constructs would otherwise encrypt with keys of their own: the
	// flow-log group (CloudWatch Logs destination), each service's log
	// groups and ECR repository, the WAF log group (unless
	// Waf.Logging.DestinationArn), the CloudTrail trail and log group, and
	// the alarm topic. A key field set in a construct config wins for that
	// construct. The key's policy must hold WebAppStack.KeyPolicyStatements
	// (also the stack output kms_key_policy_statements), or log group
	// creation, trail delivery and alarm delivery fail at apply. Default:
	// none, every construct creates its own key.
	KmsKeyArn string

	// Network configures the environment's VPC. Leave it zero with
	// ImportedVpc.
	Network securevpc.SecureVpcConfig
	// ImportedVpc, when set, places the stack in an existing VPC given by
	// its IDs (securevpc.NewImportedVpc, construct "network") instead of a
	// new one: its Attributes give the services' VPC, CIDR and subnets (the
	// ALB in PublicSubnetIds, the tasks in PrivateSubnetIds) and its
	// S3PrefixListId (given, or from the S3 gateway endpoint Endpoints
	// adds) the tasks' egress to ECR image layers. Its FlowLogs, Endpoints
	// and NetworkAcls add SecureVpc's hardening to the VPC, each optional.
	// Default nil: a new SecureVpc from Network.
	ImportedVpc *securevpc.ImportedVpcConfig

	// Service configures the stack's (first) Fargate service, construct
	// "service". VpcId, VpcCidr, PublicSubnetIds, PrivateSubnetIds and
	// TaskEgressPrefixListIds come from the VPC and must be empty. Without
	// SharedAlb it creates its own ALB; with SharedAlb its Attach (Priority,
	// HostHeaders, PathPatterns) is required and the ALB's fields must be
	// unset.
	Service ecsservice.HardenedEcsServiceConfig
	// SharedAlb, when set, creates one loadbalancer.HardenedAlb (construct
	// "alb") in the VPC's public subnets that Service and every
	// AdditionalServices entry attach to, each with its own target group,
	// listener rule and security group rules (ecsservice.Attachment): one
	// WAF association, one set of ALB alarms with alarms per target group.
	// Its VpcId, VpcCidr and SubnetIds come from the VPC and must be empty;
	// in each service's Attach, LoadBalancer, ListenerArn and
	// SecurityGroupId stay empty (the stack attaches to this ALB). Default
	// nil: Service creates its own ALB.
	SharedAlb *loadbalancer.HardenedAlbConfig
	// AdditionalServices are more services behind SharedAlb (required
	// with them), in order.
	AdditionalServices []AdditionalService

	// Waf configures the web ACL; ResourceArn is the ALB and must be empty.
	Waf wafacl.WafAclConfig
	// Monitoring configures CloudTrail, GuardDuty and the alarms; Alb, Ecs
	// and Waf are filled from the stack's ALB, services and web ACL and
	// must be unset.
	Monitoring securitymonitoring.SecurityMonitoringConfig
}

// AdditionalService is one more service of a web-app stack, behind the
// stack's SharedAlb.
type AdditionalService struct {
	// Id is the service's construct id (validate: a letter or '_', then up
	// to 63 letters, digits, '_' and '-'), the prefix of its outputs
	// ("<Id>_service_name", with '-' as '_') and the Id of its alarms.
	// Required, unique in the stack, and none of the stack's own construct
	// ids (network, service, alb, waf, monitoring). Config.Name defaults to
	// "<stack id>-<validate.NameFromID(Id)>".
	Id string
	// Config configures the service as WebAppStackConfig.Service does;
	// Config.Attach is required. Config.ClusterArn defaults to the cluster
	// of Service (created or given): the stack's services share one
	// cluster, unless Config.EnableExecuteCommand, which needs a cluster of
	// the service's own (created, with exec session logging).
	Config ecsservice.HardenedEcsServiceConfig
}

// WebAppStack is one environment of the web platform.
type WebAppStack struct {
	Stack   cdktf.TerraformStack
	Backend cdktf.S3Backend
	// Vpc is the stack's VPC: Network or ImportedNetwork.
	Vpc securevpc.IVpc
	// Network is the VPC the stack created; nil with ImportedVpc.
	Network *securevpc.SecureVpc
	// ImportedNetwork is the existing VPC and the hardening added to it;
	// nil without ImportedVpc.
	ImportedNetwork *securevpc.ImportedVpc
	// Alb is the shared ALB; nil without SharedAlb.
	Alb *loadbalancer.HardenedAlb
	// Service is the first service; AdditionalServices the others, in
	// order.
	Service            *ecsservice.HardenedEcsService
	AdditionalServices []*ecsservice.HardenedEcsService
	Waf                *wafacl.WafAcl
	Monitoring         *securitymonitoring.SecurityMonitoring
	// KeyPolicyStatements are the key-policy statements the stack's
	// KmsKeyArn key needs (CloudWatch Logs for each log group, CloudTrail,
	// the alarm publishers), as the constructs list them; nil without
	// KmsKeyArn.
	KeyPolicyStatements []iampolicy.Statement
}

// Construct ids and outputs of a web-app stack.
const (
	// Construct ids of the stack's constructs.
	networkID, serviceID, albID, wafID, monitoringID = "network", "service", "alb", "waf", "monitoring"
	// OutputKmsKeyPolicyStatements is the output holding
	// WebAppStack.KeyPolicyStatements as a JSON array (with KmsKeyArn).
	OutputKmsKeyPolicyStatements = "kms_key_policy_statements"
)

// stackOutputs are the outputs every web-app stack creates itself.
var stackOutputs = []string{"url", "vpc_flow_log_group_name", "waf_log_group_name", "cloudtrail_log_group_name", "alarm_topic_arn"}

// Placeholders stand in for the values one construct takes from another
// (the VPC's IDs, the ALB's ARN), so that every config can be validated
// before anything is created.
const (
	placeholderVpcID        = "vpc-00000000000000000"
	placeholderSubnetID     = "subnet-0000000000000000%x"
	placeholderPrefixListID = "pl-00000000"
	placeholderSGID         = "sg-00000000000000000"
	// placeholderAlbArn and placeholderListenerArn are formatted with
	// partition, region and account.
	placeholderAlbArn            = "arn:%s:elasticloadbalancing:%s:%s:loadbalancer/app/placeholder/0123456789abcdef"
	placeholderListenerArn       = "arn:%s:elasticloadbalancing:%s:%s:listener/app/placeholder/0123456789abcdef/0123456789abcdef"
	placeholderAlbSuffix         = "app/placeholder/0123456789abcdef"
	placeholderTargetGroupSuffix = "targetgroup/placeholder/0123456789abcdef"
	// placeholderClusterArn is formatted with partition, region and
	// account.
	placeholderClusterArn = "arn:%s:ecs:%s:%s:cluster/placeholder"
)

// sharesCluster reports whether an additional service runs in the first
// service's cluster (AdditionalService.Config).
func sharesCluster(c ecsservice.HardenedEcsServiceConfig) bool {
	return c.ClusterArn == "" && !c.EnableExecuteCommand
}

// NewWebAppStack creates one environment's stack: SecureVpc (or an
// ImportedVpc), a HardenedEcsService in it (or several behind a shared
// HardenedAlb), a WafAcl on the ALB and SecurityMonitoring of all of it,
// with its state in the encrypted S3 backend. Next to the services' own
// outputs (service_alb_dns_name, service_log_group_name, ...) it has the
// outputs url, vpc_flow_log_group_name (when the VPC has a flow-log group),
// waf_log_group_name (unless the WAF logs elsewhere),
// cloudtrail_log_group_name and alarm_topic_arn, and with KmsKeyArn
// kms_key_policy_statements. These outputs are claimed in the app-wide
// registry of names like the constructs' own, so a construct added to the
// stack with a clashing name gets an error naming both.
//
// It validates every construct's config first and returns one
// *validate.Error (fields prefixed with Backend., Network., ImportedVpc.,
// Service., SharedAlb., AdditionalServices[i].Config., Waf. and
// Monitoring.), creating no stack, when any is invalid. A clash with a
// name another construct or stack of the app already uses is found while
// the constructs are created; the stack is then removed from scope again
// (and its names released), so a failed call leaves nothing behind.
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

	stack := NewStack(scope, id, cfg.Env)
	s, err := r.build(stack, cfg, id)
	if err != nil {
		removeStack(scope, id, stack)
		return nil, err
	}
	return s, nil
}

// removeStack undoes a stack whose construction failed: its names leave
// the registry and the stack leaves scope, so nothing of it is synthesized.
func removeStack(scope constructs.Construct, id string, stack cdktf.TerraformStack) {
	registry.Release(stack)
	scope.Node().TryRemoveChild(jsii.String(id))
}

// constructError prefixes the fields of a construct's error.
func constructError(prefix string, cfg any, err error) error {
	v := validate.New("stacks.NewWebAppStack")
	v.Merge(prefix, cfg, err)
	return v.Err()
}

// build creates the stack's constructs from the checked configs.
func (r webAppConfigs) build(stack cdktf.TerraformStack, cfg *WebAppStackConfig, id string) (*WebAppStack, error) {
	env := registry.Env{Partition: validate.PartitionOf(cfg.Env.Region), Account: cfg.Env.AccountId, Region: cfg.Env.Region}
	outputs := stackOutputs
	if cfg.KmsKeyArn != "" {
		outputs = append(outputs[:len(outputs):len(outputs)], OutputKmsKeyPolicyStatements)
	}
	var owners []registry.Owner
	for _, o := range outputs {
		owners = append(owners, registry.Owner{ID: o, Claims: registry.Outputs("output", o)})
	}
	rv := validate.New("stacks.NewWebAppStack")
	res := registry.CheckEach(rv, stack, env, owners)
	if err := rv.Err(); err != nil {
		return nil, err
	}
	res.Commit()

	bc, sc, wc, mc := r.backend, r.service, r.waf, r.monitoring
	s := &WebAppStack{Stack: stack}
	var err error
	if s.Backend, err = statebackend.Use(stack, &bc); err != nil {
		return nil, constructError("Backend", cfg.Backend, err)
	}
	var attrs securevpc.VpcAttributes
	if r.imported != nil {
		ic := *r.imported
		if s.ImportedNetwork, err = securevpc.NewImportedVpc(stack, networkID, &ic); err != nil {
			return nil, constructError("ImportedVpc", cfg.ImportedVpc, err)
		}
		s.Vpc, attrs = s.ImportedNetwork, s.ImportedNetwork.VpcAttributes()
	} else {
		nc := r.network
		if s.Network, err = securevpc.NewSecureVpc(stack, networkID, &nc); err != nil {
			return nil, constructError("Network", cfg.Network, err)
		}
		s.Vpc, attrs = s.Network, s.Network.VpcAttributes()
	}
	wire := func(c *ecsservice.HardenedEcsServiceConfig) {
		c.VpcId, c.VpcCidr, c.PrivateSubnetIds = attrs.VpcId, attrs.CidrBlock, attrs.PrivateSubnetIds
		if c.Attach == nil {
			c.PublicSubnetIds = attrs.PublicSubnetIds
		}
		if attrs.S3PrefixListId != "" {
			// ECR image layers come from S3 through the gateway endpoint.
			c.TaskEgressPrefixListIds = []string{attrs.S3PrefixListId}
		}
	}

	var albArn, albSuffix *string
	if r.alb != nil {
		ac := *r.alb
		ac.VpcId, ac.VpcCidr, ac.SubnetIds = attrs.VpcId, attrs.CidrBlock, attrs.PublicSubnetIds
		if s.Alb, err = loadbalancer.NewHardenedAlb(stack, albID, &ac); err != nil {
			return nil, constructError("SharedAlb", cfg.SharedAlb, err)
		}
		albArn, albSuffix = tree.Attr(s.Alb.LoadBalancer, "arn", s.Alb.LoadBalancer.Arn), tree.Attr(s.Alb.LoadBalancer, "arn_suffix", s.Alb.LoadBalancer.ArnSuffix)
	}
	newService := func(prefix, cid string, c ecsservice.HardenedEcsServiceConfig, orig any) (*ecsservice.HardenedEcsService, error) {
		wire(&c)
		if c.Attach != nil {
			a := *c.Attach
			a.LoadBalancer, a.ListenerArn, a.SecurityGroupId = s.Alb, "", ""
			c.Attach = &a
		}
		svc, err := ecsservice.NewHardenedEcsService(stack, cid, &c)
		if err != nil {
			return nil, constructError(prefix, orig, err)
		}
		return svc, nil
	}
	if s.Service, err = newService("Service", serviceID, sc, cfg.Service); err != nil {
		return nil, err
	}
	for i, a := range r.additional {
		if sharesCluster(a) {
			a.ClusterArn = *s.Service.ClusterArn
		}
		svc, err := newService(fmt.Sprintf("AdditionalServices[%d].Config", i), cfg.AdditionalServices[i].Id, a, cfg.AdditionalServices[i].Config)
		if err != nil {
			return nil, err
		}
		s.AdditionalServices = append(s.AdditionalServices, svc)
	}
	if s.Alb == nil {
		albArn, albSuffix = tree.Attr(s.Service.LoadBalancer, "arn", s.Service.LoadBalancer.Arn), tree.Attr(s.Service.LoadBalancer, "arn_suffix", s.Service.LoadBalancer.ArnSuffix)
	}

	wc.ResourceArn = *albArn
	if s.Waf, err = wafacl.NewWafAcl(stack, wafID, &wc); err != nil {
		return nil, constructError("Waf", cfg.Waf, err)
	}

	mc.Alb, mc.Ecs = r.alarms(*albSuffix, s.services(), cfg)
	mc.Waf = &securitymonitoring.WafAlarms{WebAclMetricName: s.Waf.MetricName}
	if s.Monitoring, err = securitymonitoring.NewSecurityMonitoring(stack, monitoringID, &mc); err != nil {
		return nil, constructError("Monitoring", cfg.Monitoring, err)
	}

	if cfg.KmsKeyArn != "" {
		s.KeyPolicyStatements = s.keyStatements(cfg.KmsKeyArn)
	}
	s.outputs(r, cfg)
	return s, nil
}

// services lists the stack's services, first one first.
func (s *WebAppStack) services() []*ecsservice.HardenedEcsService {
	return append([]*ecsservice.HardenedEcsService{s.Service}, s.AdditionalServices...)
}

// alarms are the ALB and ECS alarms of the services: one service with its
// own ALB keeps the one-service form; services on a shared ALB get one
// target-group entry each, named by construct id.
func (r webAppConfigs) alarms(albSuffix string, services []*ecsservice.HardenedEcsService, cfg *WebAppStackConfig) (*securitymonitoring.AlbAlarms, []securitymonitoring.EcsAlarms) {
	if r.alb == nil {
		svc := services[0]
		return &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: albSuffix, TargetGroupArnSuffix: *tree.Attr(svc.TargetGroup, "arn_suffix", svc.TargetGroup.ArnSuffix)},
			[]securitymonitoring.EcsAlarms{{ClusterName: *svc.ClusterName, ServiceName: *tree.Attr(svc.Service, "name", svc.Service.Name)}}
	}
	alb := &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: albSuffix}
	var ecs []securitymonitoring.EcsAlarms
	for i, svc := range services {
		alarmID := r.alarmIDs[i]
		alb.TargetGroups = append(alb.TargetGroups, securitymonitoring.TargetGroupAlarms{Id: alarmID, TargetGroupArnSuffix: *tree.Attr(svc.TargetGroup, "arn_suffix", svc.TargetGroup.ArnSuffix)})
		ecs = append(ecs, securitymonitoring.EcsAlarms{Id: alarmID, ClusterName: *svc.ClusterName, ServiceName: *tree.Attr(svc.Service, "name", svc.Service.Name)})
	}
	return alb, ecs
}

// keyStatements gathers what the team key's policy must hold for every
// construct that uses it.
func (s *WebAppStack) keyStatements(keyArn string) []iampolicy.Statement {
	var out []iampolicy.Statement
	add := func(inUse string, st []iampolicy.Statement) {
		if inUse == keyArn {
			out = append(out, st...)
		}
	}
	if s.Network != nil {
		add(s.Network.FlowLogKmsKeyArn, s.Network.FlowLogKeyPolicyStatements)
	}
	if s.ImportedNetwork != nil {
		add(s.ImportedNetwork.FlowLogKmsKeyArn, s.ImportedNetwork.FlowLogKeyPolicyStatements)
	}
	for _, svc := range s.services() {
		add(*svc.KmsKeyArn, svc.KeyPolicyStatements)
	}
	add(s.Waf.Config.Logging.KmsKeyArn, s.Waf.LogKeyPolicyStatements)
	add(*s.Monitoring.TrailKmsKeyArn, s.Monitoring.TrailKeyPolicyStatements)
	add(*s.Monitoring.AlarmKmsKeyArn, s.Monitoring.AlarmKeyPolicyStatements)
	return out
}

// outputs creates the stack's own outputs.
func (s *WebAppStack) outputs(r webAppConfigs, cfg *WebAppStackConfig) {
	url := s.url(r)
	type output struct {
		name, description string
		value             *string
	}
	outs := []output{{"url", "URL of the application.", &url}}
	if name := s.flowLogGroupName(); name != "" {
		outs = append(outs, output{"vpc_flow_log_group_name", "CloudWatch log group of the VPC flow logs.", jsii.String(name)})
	}
	if s.Waf.LogGroup != nil {
		outs = append(outs, output{"waf_log_group_name", "CloudWatch log group of the WAF logs.", s.Waf.LogGroup.Name()})
	}
	outs = append(outs,
		output{"cloudtrail_log_group_name", "CloudWatch log group of the CloudTrail events.", s.Monitoring.TrailLogGroupName},
		output{"alarm_topic_arn", "SNS topic of every security and service alarm; subscribe here.", s.Monitoring.AlarmTopicArn})
	if cfg.KmsKeyArn != "" {
		outs = append(outs, output{OutputKmsKeyPolicyStatements, "Statements the policy of the team key (KmsKeyArn) must hold, as a JSON array.",
			jsii.String(statementsJSON(s.KeyPolicyStatements))})
	}
	for _, o := range outs {
		// Directly in the stack, an output's logical id is its construct id:
		// no OverrideLogicalId (one round trip each).
		cdktf.NewTerraformOutput(s.Stack, jsii.String(o.name), &cdktf.TerraformOutputConfig{
			Value:       o.value,
			Description: jsii.String(o.description),
		})
	}
}

func (s *WebAppStack) flowLogGroupName() string {
	if s.Network != nil {
		return s.Network.FlowLogGroupName
	}
	return s.ImportedNetwork.FlowLogGroupName
}

// statementsJSON renders statements as a JSON array (the Statement list of
// a policy document).
func statementsJSON(st []iampolicy.Statement) string {
	doc := iampolicy.New(st...).JSON()
	const head = `"Statement":`
	i := strings.Index(doc, head)
	if i < 0 || !strings.HasSuffix(doc, "}") {
		return doc
	}
	return doc[i+len(head) : len(doc)-1]
}

// url is the application's URL: its certificate's name, else the first
// literal host of the first service's listener rule (shared ALB), else the
// ALB's DNS name.
func (s *WebAppStack) url(r webAppConfigs) string {
	scheme := "https://"
	if r.alb == nil {
		sc := r.service
		if sc.CertificateDomainName != "" {
			return scheme + sc.CertificateDomainName
		}
		if sc.AllowPlainHttp && sc.CertificateArn == "" {
			scheme = "http://"
		}
		return scheme + *s.Service.LoadBalancer.DnsName()
	}
	for _, h := range r.service.Attach.HostHeaders {
		if !strings.ContainsAny(h, "*?") && !validate.HasToken(h) {
			return scheme + strings.ToLower(h)
		}
	}
	if d := r.alb.CertificateDomainName; d != "" && !strings.HasPrefix(d, "*") {
		return scheme + d
	}
	if r.alb.AllowPlainHttp && r.alb.CertificateArn == "" {
		scheme = "http://"
	}
	return scheme + *s.Alb.LoadBalancer.DnsName()
}

// Validate checks cfg as NewWebAppStack(scope, id, cfg) does, without a
// scope and without creating anything. It returns nil or a *validate.Error.
// Names claimed in the app-wide registry (outputs, variables, physical
// names of other constructs and stacks, listener rule priorities) need the
// app and are checked by NewWebAppStack.
func (cfg *WebAppStackConfig) Validate(id string) error {
	v := validate.New("stacks.NewWebAppStack")
	baseline.CheckID(v, id)
	cfg.check(v, id)
	return v.Err()
}

// webAppConfigs are the construct configs of a web-app stack after the
// stack's defaults (names, account, region, backend key, boundary, key).
type webAppConfigs struct {
	backend    statebackend.BackendConfig
	network    securevpc.SecureVpcConfig
	imported   *securevpc.ImportedVpcConfig
	service    ecsservice.HardenedEcsServiceConfig
	alb        *loadbalancer.HardenedAlbConfig
	additional []ecsservice.HardenedEcsServiceConfig
	// alarmIDs name each service's alarms with a shared ALB.
	alarmIDs   []string
	waf        wafacl.WafAclConfig
	monitoring securitymonitoring.SecurityMonitoringConfig
}

// reservedIDs are the construct ids of a web-app stack's own constructs.
var reservedIDs = []string{networkID, serviceID, albID, wafID, monitoringID}

// check records every problem of cfg for a stack named id and returns the
// construct configs with the stack's defaults applied.
func (cfg *WebAppStackConfig) check(v *validate.Collector, id string) webAppConfigs {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return webAppConfigs{}
	}
	cfg.Env.check(v)
	r := webAppConfigs{}
	envOK := !v.Failed("Env.AccountId") && !v.Failed("Env.Region")
	partition := validate.PartitionOf(cfg.Env.Region)

	bc := cfg.Backend
	if bc.Region == "" {
		bc.Region = cfg.Env.Region
	}
	if bc.Key == "" {
		bc.Key = id + "/terraform.tfstate"
	}
	v.Merge("Backend", bc, bc.Validate(id))
	r.backend = bc

	// The stack-wide boundary and key, each checked once here and passed
	// to the constructs only when valid (a problem is reported once).
	keyEnv := validate.Env{AccountField: "Env.AccountId", RegionField: "Env.Region"}
	if envOK {
		keyEnv.AccountId, keyEnv.Region = cfg.Env.AccountId, cfg.Env.Region
	}
	boundary := ""
	if b := cfg.PermissionsBoundaryArn; b != "" && v.Literal("PermissionsBoundaryArn", b) &&
		v.Rule("PermissionsBoundaryArn", b, validate.PermissionsBoundaryRule(b, keyEnv)) {
		boundary = b
	}
	key := ""
	if k := cfg.KmsKeyArn; k != "" {
		if _, ok := v.ARN("KmsKeyArn", k, validate.KmsKeyArn, keyEnv); ok {
			key = k
		}
	}
	setBoundary := func(field string, p *string) {
		if boundary == "" {
			return
		}
		if *p == "" {
			*p = boundary
			return
		}
		v.Check(*p == boundary, field, *p, "must be empty or equal to PermissionsBoundaryArn "+boundary+": every role of the stack gets the stack's boundary")
	}
	setKey := func(p *string, own bool) {
		if key != "" && *p == "" && !own {
			*p = key
		}
	}

	// The VPC, and the attributes the services will get from it.
	var attrs securevpc.VpcAttributes
	if cfg.ImportedVpc != nil {
		v.Check(isZero(cfg.Network), "Network", "a SecureVpcConfig", "must be unset with ImportedVpc: the stack uses the existing VPC")
		ic := *cfg.ImportedVpc
		inherit(v, "ImportedVpc", &ic.Name, &ic.AccountId, &ic.Region, id, cfg.Env)
		setBoundary("ImportedVpc.PermissionsBoundary", &ic.PermissionsBoundary)
		if ic.FlowLogs != nil {
			fl := *ic.FlowLogs
			setKey(&fl.KmsKeyArn, fl.KmsKey != nil || fl.Bucket != nil || fl.LogDestination != "" || fl.LogDestinationType == "s3")
			ic.FlowLogs = &fl
		}
		v.Merge("ImportedVpc", ic, ic.Validate(networkID))
		r.imported = &ic
		attrs = ic.Attributes
		// The ALB needs subnets in two AZs; an imported VPC may have one.
		if pub := attrs.PublicSubnetIds; len(pub) > 0 && !v.Failed("ImportedVpc.Attributes.PublicSubnetIds") && !validate.IsListToken(pub) {
			v.Check(len(pub) >= 2, "ImportedVpc.Attributes.PublicSubnetIds", pub, "must list at least two subnets in different AZs: the ALB needs two")
		}
		// An attribute already reported stands in as a placeholder for the
		// ALB and services, so one mistake gives one problem.
		a := "ImportedVpc.Attributes."
		if attrs.VpcId == "" || v.Failed(a+"VpcId") {
			attrs.VpcId = placeholderVpcID
		}
		if attrs.CidrBlock == "" || v.Failed(a+"CidrBlock") {
			attrs.CidrBlock = securevpc.DefaultCidrBlock
		}
		if len(attrs.PublicSubnetIds) == 0 || v.Failed(a+"PublicSubnetIds") {
			attrs.PublicSubnetIds = placeholders(placeholderSubnetID, 2)
		}
		if len(attrs.PrivateSubnetIds) == 0 || v.Failed(a+"PrivateSubnetIds") {
			attrs.PrivateSubnetIds = placeholders(placeholderSubnetID, 2)
		}
		if v.Failed(a + "S3PrefixListId") {
			attrs.S3PrefixListId = placeholderPrefixListID
		}
		if attrs.S3PrefixListId == "" && ic.Endpoints != nil && !ic.Endpoints.SkipS3GatewayEndpoint {
			attrs.S3PrefixListId = placeholderPrefixListID
		}
	} else {
		nc := cfg.Network
		inherit(v, "Network", &nc.Name, &nc.AccountId, &nc.Region, id, cfg.Env)
		setBoundary("Network.PermissionsBoundary", &nc.PermissionsBoundary)
		fl := nc.FlowLogs
		setKey(&nc.FlowLogs.KmsKeyArn, fl.Disabled || fl.KmsKey != nil || fl.Bucket != nil || fl.LogDestination != "" || fl.LogDestinationType == "s3")
		v.Merge("Network", nc, nc.Validate(networkID))
		r.network = nc
		// Stand-ins shaped like the VPC's values (a CIDR block already
		// reported under Network stands in as the default, so one mistake
		// gives one problem).
		attrs = securevpc.VpcAttributes{VpcId: placeholderVpcID, CidrBlock: vpcCidr(nc)}
		if v.Failed("Network.CidrBlock") {
			attrs.CidrBlock = securevpc.DefaultCidrBlock
		}
		attrs.PublicSubnetIds = placeholders(placeholderSubnetID, azCount(nc))
		attrs.PrivateSubnetIds = attrs.PublicSubnetIds
		if !nc.Endpoints.Disabled {
			// The S3 gateway endpoint's prefix list (ECR image layers).
			attrs.S3PrefixListId = placeholderPrefixListID
		}
	}

	// The shared ALB.
	listener := fmt.Sprintf(placeholderListenerArn, partition, cfg.Env.Region, cfg.Env.AccountId)
	if cfg.SharedAlb != nil {
		ac := *cfg.SharedAlb
		inherit(v, "SharedAlb", &ac.Name, &ac.AccountId, &ac.Region, id, cfg.Env)
		v.Check(ac.VpcId == "" && ac.VpcCidr == "" && len(ac.SubnetIds) == 0, "SharedAlb", "VpcId/VpcCidr/SubnetIds", "must be empty: the stack takes them from the VPC")
		check := ac
		check.VpcId, check.VpcCidr, check.SubnetIds = attrs.VpcId, attrs.CidrBlock, attrs.PublicSubnetIds
		v.Merge("SharedAlb", ac, check.Validate(albID))
		r.alb = &ac
	} else {
		v.Check(len(cfg.AdditionalServices) == 0, "AdditionalServices", len(cfg.AdditionalServices), "need SharedAlb: services of one stack share its ALB")
	}

	// The services.
	service := func(prefix, cid, name string, sc ecsservice.HardenedEcsServiceConfig, additional bool) ecsservice.HardenedEcsServiceConfig {
		inherit(v, prefix, &sc.Name, &sc.AccountId, &sc.Region, name, cfg.Env)
		v.Check(sc.VpcId == "" && sc.VpcCidr == "" && len(sc.PublicSubnetIds) == 0 && len(sc.PrivateSubnetIds) == 0 && len(sc.TaskEgressPrefixListIds) == 0,
			prefix, "VpcId/VpcCidr/PublicSubnetIds/PrivateSubnetIds/TaskEgressPrefixListIds", "must be empty: the stack takes them from the VPC")
		setBoundary(prefix+".PermissionsBoundaryArn", &sc.PermissionsBoundaryArn)
		setKey(&sc.KmsKeyArn, sc.KmsKey != nil)
		check := sc
		check.VpcId, check.VpcCidr, check.PrivateSubnetIds = attrs.VpcId, attrs.CidrBlock, attrs.PrivateSubnetIds
		if additional && sharesCluster(sc) && envOK {
			// The first service's cluster, as build gives it.
			check.ClusterArn = fmt.Sprintf(placeholderClusterArn, partition, cfg.Env.Region, cfg.Env.AccountId)
		}
		if attrs.S3PrefixListId != "" {
			check.TaskEgressPrefixListIds = []string{attrs.S3PrefixListId}
		}
		switch {
		case cfg.SharedAlb == nil:
			check.PublicSubnetIds = attrs.PublicSubnetIds
		case sc.Attach == nil:
			v.Add(prefix+".Attach", nil, "is required with SharedAlb: the service's listener rule (Priority, HostHeaders, PathPatterns) on the shared ALB")
		default:
			a := *sc.Attach
			v.Check(a.LoadBalancer == nil && a.ListenerArn == "" && a.SecurityGroupId == "", prefix+".Attach", "LoadBalancer/ListenerArn/SecurityGroupId",
				"must be empty: the stack attaches the service to SharedAlb")
			a.LoadBalancer, a.ListenerArn, a.SecurityGroupId = nil, listener, placeholderSGID
			check.Attach = &a
		}
		v.Merge(prefix, sc, check.Validate(cid))
		return sc
	}
	r.service = service("Service", serviceID, id, cfg.Service, false)
	r.alarmIDs = []string{serviceID}
	ids := map[string]bool{}
	for i, a := range cfg.AdditionalServices {
		f := fmt.Sprintf("AdditionalServices[%d]", i)
		idOK := v.Check(a.Id != "", f+".Id", a.Id, "is required: the service's construct id") && checkID(v, f+".Id", a.Id)
		if idOK {
			for _, reserved := range reservedIDs {
				idOK = v.Check(a.Id != reserved, f+".Id", a.Id, "is the id of one of the stack's own constructs ("+strings.Join(reservedIDs, ", ")+")") && idOK
			}
		}
		alarmID := validate.NameFromID(a.Id)
		if idOK {
			// Construct ids, and the alarm ids derived from them, must differ.
			v.Check(!ids[a.Id] && !ids[alarmID], f+".Id", a.Id, "is used by another service of the stack (ids that differ only in case or punctuation name the same alarms)")
		}
		ids[a.Id], ids[alarmID] = true, true
		r.additional = append(r.additional, service(f+".Config", a.Id, id+"-"+alarmID, a.Config, true))
		r.alarmIDs = append(r.alarmIDs, alarmID)
	}

	if cfg.SharedAlb != nil {
		checkPriorities(v, cfg)
		// Each service adds one outbound rule to the ALB's group (checked
		// here because the services validate against a placeholder ALB).
		n := 1 + len(cfg.AdditionalServices)
		v.SecurityGroupRules("AdditionalServices", n-1, n, validate.IntOr(cfg.SharedAlb.SecurityGroupRuleQuota, validate.DefaultSecurityGroupRuleQuota),
			"outbound rules on the shared ALB's group (one per service: Service and AdditionalServices)",
			"use fewer services per ALB, or raise the quota and set SharedAlb.SecurityGroupRuleQuota")
	}

	wc := cfg.Waf
	inherit(v, "Waf", &wc.Name, &wc.AccountId, &wc.Region, id, cfg.Env)
	v.Check(wc.ResourceArn == "", "Waf.ResourceArn", wc.ResourceArn, "must be empty: the stack attaches the web ACL to the ALB")
	v.Check(wc.Scope == "" || wc.Scope == "REGIONAL", "Waf.Scope", wc.Scope, "must be REGIONAL (or empty): the stack attaches the web ACL to an ALB")
	setKey(&wc.Logging.KmsKeyArn, wc.Logging.KmsKey != nil || wc.Logging.DestinationArn != "")
	wafCheck := wc
	wafCheck.ResourceArn = fmt.Sprintf(placeholderAlbArn, partition, wc.Region, wc.AccountId)
	v.Merge("Waf", wc, wafCheck.Validate(wafID))
	r.waf = wc

	mc := cfg.Monitoring
	inherit(v, "Monitoring", &mc.Name, &mc.AccountId, &mc.Region, id, cfg.Env)
	v.Check(mc.Alb == nil && len(mc.Ecs) == 0 && mc.Waf == nil, "Monitoring", "Alb/Ecs/Waf", "must be unset: the stack fills them from its services, ALB and web ACL")
	setBoundary("Monitoring.PermissionsBoundaryArn", &mc.PermissionsBoundaryArn)
	setKey(&mc.TrailKmsKeyArn, mc.TrailKmsKey != nil)
	setKey(&mc.AlarmKmsKeyArn, mc.AlarmKmsKey != nil)
	monCheck := mc
	if r.alb == nil {
		monCheck.Alb = &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: placeholderAlbSuffix, TargetGroupArnSuffix: placeholderTargetGroupSuffix}
		monCheck.Ecs = []securitymonitoring.EcsAlarms{{ClusterName: r.service.Name, ServiceName: r.service.Name}}
	} else {
		monCheck.Alb = &securitymonitoring.AlbAlarms{LoadBalancerArnSuffix: placeholderAlbSuffix}
		for i, sc := range append([]ecsservice.HardenedEcsServiceConfig{r.service}, r.additional...) {
			monCheck.Alb.TargetGroups = append(monCheck.Alb.TargetGroups, securitymonitoring.TargetGroupAlarms{Id: r.alarmIDs[i], TargetGroupArnSuffix: placeholderTargetGroupSuffix})
			monCheck.Ecs = append(monCheck.Ecs, securitymonitoring.EcsAlarms{Id: r.alarmIDs[i], ClusterName: sc.Name, ServiceName: sc.Name})
		}
	}
	monCheck.Waf = &securitymonitoring.WafAlarms{WebAclMetricName: wc.Name}
	v.Merge("Monitoring", mc, monCheck.Validate(monitoringID))
	r.monitoring = mc
	checkVariables(v, r)
	return r
}

// checkVariables records two constructs of the stack that would declare
// the same Terraform variable: each incident-response variable needs a
// name of its own, or one -var would silently drive both (and the second
// declaration fails terraform validate). Checked here, without the app, so
// that Validate finds it too.
func checkVariables(v *validate.Collector, r webAppConfigs) {
	vars := [][2]string{{"Network.NetworkAcls.DenyCidrBlocksVariable", r.network.NetworkAcls.DenyCidrBlocksVariable}}
	if r.imported != nil && r.imported.NetworkAcls != nil {
		vars = append(vars, [2]string{"ImportedVpc.NetworkAcls.DenyCidrBlocksVariable", r.imported.NetworkAcls.DenyCidrBlocksVariable})
	}
	vars = append(vars, [2]string{"Service.DesiredCountVariable", r.service.DesiredCountVariable})
	for i, a := range r.additional {
		vars = append(vars, [2]string{fmt.Sprintf("AdditionalServices[%d].Config.DesiredCountVariable", i), a.DesiredCountVariable})
	}
	vars = append(vars, [2]string{"Waf.BlockedAddressesVariable", r.waf.BlockedAddressesVariable})
	seen := map[string]string{}
	for _, f := range vars {
		if f[1] == "" || v.Failed(f[0]) {
			continue
		}
		if other, dup := seen[f[1]]; dup {
			v.Add(f[0], f[1], "must differ from "+other+": each construct declares its own Terraform variable")
			continue
		}
		seen[f[1]] = f[0]
	}
}

// checkPriorities records a listener rule priority that two services of
// the stack share: an ALB listener evaluates each priority once, so the
// second rule would fail at apply (PriorityInUse).
func checkPriorities(v *validate.Collector, cfg *WebAppStackConfig) {
	first := map[int]string{}
	note := func(field, id string, a *ecsservice.Attachment) {
		if a == nil || a.Priority == 0 || v.Failed(field) {
			return
		}
		if other, taken := first[a.Priority]; taken {
			v.Add(field, a.Priority, fmt.Sprintf("is also the listener rule priority of service %q: priorities must be unique on the shared ALB's listener", other))
			return
		}
		first[a.Priority] = id
	}
	note("Service.Attach.Priority", serviceID, cfg.Service.Attach)
	for i, a := range cfg.AdditionalServices {
		note(fmt.Sprintf("AdditionalServices[%d].Config.Attach.Priority", i), a.Id, a.Config.Attach)
	}
}

// checkID is the construct-id rule of every constructor, for an id given
// in a field.
func checkID(v *validate.Collector, field, id string) bool {
	cv := validate.New("")
	ok := baseline.CheckID(cv, id)
	for _, p := range problemsOf(cv) {
		v.Add(field, p.Value, p.Rule)
	}
	return ok
}

// isZero reports whether a config struct is unset.
func isZero(c any) bool { return reflect.ValueOf(c).IsZero() }

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
