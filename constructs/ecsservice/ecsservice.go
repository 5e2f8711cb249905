// Package ecsservice provides HardenedEcsService: a Fargate service behind an
// HTTPS-only Application Load Balancer, with least-privilege IAM, a non-root
// container on a read-only root filesystem, encrypted logs and autoscaling.
//
// It covers what AWS CDK's ApplicationLoadBalancedFargateService and
// terraform-aws-modules' ecs + alb modules offer for this use, with the
// secure choices on by default: deployment circuit breaker with rollback,
// HTTP that only redirects to HTTPS, a modern TLS policy, non-root user,
// dropped Linux capabilities, no public IP on tasks, no AWS managed policy on
// the execution role, and an ALB security group that is the only way in.
//
// The network comes in as plain IDs (VpcId, VpcCidr, PublicSubnetIds,
// PrivateSubnetIds), literal or tokens, so any VPC works, SecureVpc's
// included.
//
// A service creates its own ALB by default; several services share one
// loadbalancer.HardenedAlb (or an ALB managed elsewhere) with Attach, each
// with its own target group and listener rule. Roles, key and cluster can
// be brought (ExecutionRole/ExecutionRoleArn, TaskRole/TaskRoleArn,
// KmsKey/KmsKeyArn, ClusterArn), with a permissions boundary on the roles it
// creates. Grants go through TaskRoleGrantee
// (bucket.GrantRead(svc.TaskRoleGrantee())), network access through
// AllowFrom.
//
// The config is refused when the service could not start: an image the
// tasks cannot pull (no permission, no network path), a grace period
// shorter than the start period, names AWS rejects. The rules are in
// rules.go, image.go and attach.go; what only fails at apply time is listed
// in the README ("Services and a shared ALB").
//
// # The one intended exposure
//
// An internet-facing ALB (the default) accepts TCP 443, and 80 which only
// answers with a 301 redirect to HTTPS, from IngressCidrBlocks, by default
// 0.0.0.0/0. This is the purpose of a public web service; scanners report it
// (trivy AWS-0053 "load balancer is exposed to the internet" on the ALB;
// open-ingress checks such as AWS-0107 on the ingress rules). Narrow
// IngressCidrBlocks or set Internal to remove it.
//
// The other accepted scanner finding is AWS-0132 on the access-log bucket:
// ALB access logs can only be delivered to SSE-S3 buckets.
package ecsservice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/appautoscalingtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrlifecyclepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrrepository"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistenerrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/albcore"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// HardenedEcsService is the service, its cluster, load balancer and
// supporting resources. Fields for optional resources are nil when they were
// not created.
type HardenedEcsService struct {
	// Construct is the scope holding every resource of the service.
	Construct constructs.Construct
	// Config is the config after defaults were applied.
	Config HardenedEcsServiceConfig

	// Cluster is nil when ClusterArn was given.
	Cluster ecscluster.EcsCluster
	// ClusterArn and ClusterName are the cluster's, created or given.
	ClusterArn  *string
	ClusterName *string
	// Service is the ECS service; its Id() is the service ARN.
	Service        ecsservice.EcsService
	TaskDefinition ecstaskdefinition.EcsTaskDefinition
	// Key is the customer-managed KMS key the construct created for the log
	// groups, the ECR repository and ECS Exec sessions; nil when KmsKey or
	// KmsKeyArn was given.
	Key *securekey.SecureKey
	// KmsKeyArn is the ARN of the key in use (created or given).
	KmsKeyArn *string
	// KeyPolicyStatements are the key-policy statements the service's key
	// needs (added to a created or KmsKey key; to be present in the policy
	// of a KmsKeyArn key).
	KeyPolicyStatements []iampolicy.Statement
	// LogGroup receives the container's logs (awslogs driver).
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// ExecLogGroup receives ECS Exec session logs; nil unless
	// EnableExecuteCommand.
	ExecLogGroup cloudwatchloggroup.CloudwatchLogGroup
	// ExecutionRole is used by the ECS agent (image pull, logs, secrets):
	// created, or the config's ExecutionRole; nil with ExecutionRoleArn.
	ExecutionRole iamrole.IamRole
	// ExecutionPolicy is the execution role's inline policy, nil with
	// ExecutionRoleArn.
	ExecutionPolicy iamrolepolicy.IamRolePolicy
	// ExecutionPolicyDocument is what the execution role needs: ECR pull on
	// the image's repository, the log group's streams, the secrets (attach
	// it to an ExecutionRoleArn role where that role is managed).
	ExecutionPolicyDocument iampolicy.Document
	// ExecutionRoleArn and TaskRoleArn are the roles' ARNs (created or
	// given).
	ExecutionRoleArn, TaskRoleArn *string
	// TaskRole is the application's role, empty by default (see
	// AddTaskRolePolicy, TaskRoleGrantee): created, or the config's
	// TaskRole; nil with TaskRoleArn.
	TaskRole iamrole.IamRole
	// ExecPolicyDocument is what the task role needs for ECS Exec (attached
	// as ExecPolicy unless TaskRoleArn); empty unless EnableExecuteCommand.
	ExecPolicyDocument iampolicy.Document
	// Repository and RepositoryLifecyclePolicy are nil unless
	// CreateEcrRepository.
	Repository                ecrrepository.EcrRepository
	RepositoryLifecyclePolicy ecrlifecyclepolicy.EcrLifecyclePolicy
	// Image is the image reference the container runs.
	Image *string

	// LoadBalancer is the service's own ALB; nil with Attach (the shared
	// ALB is Attach.LoadBalancer.LoadBalancer, or managed elsewhere).
	LoadBalancer lb.Lb
	// LoadBalancerArnSuffix is the ARN suffix of the ALB the service is
	// behind, own or shared ("app/<name>/<id>", the CloudWatch
	// LoadBalancer dimension, e.g. for securitymonitoring.AlbAlarms).
	LoadBalancerArnSuffix *string
	// TargetGroup is the service's target group (its ArnSuffix is the
	// CloudWatch TargetGroup dimension).
	TargetGroup lbtargetgroup.LbTargetGroup
	// ListenerRule forwards the Attach conditions to TargetGroup; nil
	// without Attach.
	ListenerRule lblistenerrule.LbListenerRule
	// AlbSecurityGroup is the own ALB's security group; nil with Attach.
	AlbSecurityGroup securitygroup.SecurityGroup
	// AlbIngressRules open the own ALB to IngressCidrBlocks; nil with Attach.
	AlbIngressRules []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	// AlbEgressRule lets the ALB's security group (own or shared) reach the
	// tasks on ContainerPort; TaskIngressRule lets the tasks accept it.
	AlbEgressRule   vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
	TaskIngressRule vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	// TaskEgressRules are the tasks' HTTPS egress rules (TaskEgressCidrBlocks,
	// then TaskEgressPrefixListIds).
	TaskEgressRules []vpcsecuritygroupegressrule.VpcSecurityGroupEgressRule
	// TaskSecurityGroup is the tasks' security group; see AllowFrom.
	TaskSecurityGroup securitygroup.SecurityGroup
	// HttpsListener is nil with AllowPlainHttp or Attach.
	HttpsListener lblistener.LbListener
	// HttpListener redirects to HTTPS (or, with AllowPlainHttp, forwards);
	// nil with Attach.
	HttpListener lblistener.LbListener
	// Certificate, CertificateValidationRecords (one aws_route53_record
	// with for_each over ValidationNames) and CertificateValidation are nil
	// unless CertificateDomainName was given.
	Certificate                  acmcertificate.AcmCertificate
	CertificateValidationRecords route53record.Route53Record
	CertificateValidation        acmcertificatevalidation.AcmCertificateValidation
	// AccessLogsBucket receives the own ALB's access logs; nil with Attach.
	AccessLogsBucket *securebucket.SecureBucket
	// ScalableTarget is the Application Auto Scaling target of the service.
	ScalableTarget appautoscalingtarget.AppautoscalingTarget
	// ScalingPolicies are the target-tracking policies: CPU, memory, and
	// with RequestsPerTarget the ALB request count.
	ScalingPolicies []appautoscalingpolicy.AppautoscalingPolicy
	// DesiredCountVariable is nil unless DesiredCountVariable was set.
	DesiredCountVariable cdktf.TerraformVariable

	// ExecPolicy is the task role's ECS Exec policy; nil unless
	// EnableExecuteCommand.
	ExecPolicy iamrolepolicy.IamRolePolicy

	// AllowedFromRules are the ingress rules AllowFrom created.
	AllowedFromRules []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule

	// allowedFrom holds the security groups AllowFrom allowed.
	allowedFrom map[string]bool
	// front is what the service depends on: the listener forwarding to its
	// target group, or its listener rule.
	front cdktf.ITerraformDependable
}

// NewHardenedEcsService validates cfg and creates, under a construct named
// id:
//
//   - an ECS cluster with Container Insights (unless ClusterArn);
//   - a KMS key (rotation on; CloudWatch Logs of this account and region may
//     use it) and the container log group "/ecs/<Name>" encrypted with it;
//   - a task definition (awsvpc, FARGATE, validated CPU/memory, runtime
//     platform) whose one container runs the pinned image as a non-root
//     user with a read-only root filesystem, a writable task volume at
//     /tmp, privileged false, all Linux capabilities dropped, an init
//     process, a health check, the awslogs driver, environment and secrets;
//   - an execution role (trusted by ecs-tasks.amazonaws.com for this
//     account only; or your own, see ExecutionRole and ExecutionRoleArn)
//     with one inline policy: ECR pull on exactly the image's repository
//     (derived from Image, see ParseImage), logs on the log group, exactly
//     the listed secrets and kms:Decrypt on their keys; and an empty task
//     role (or your own); PermissionsBoundaryArn on each created role;
//   - optionally an ECR repository (IMMUTABLE, scan on push, KMS, lifecycle);
//   - an ALB in PublicSubnetIds (drop_invalid_header_fields, deletion
//     protection, desync mitigation, access logs to a hardened SSE-S3
//     bucket), an HTTPS listener with a modern TLS policy (certificate given
//     or requested, one DNS validation record per name), an HTTP listener
//     that only redirects (301), an IP target group with health checks; or,
//     with Attach, only the target group and a listener rule on a shared
//     ALB (loadbalancer.HardenedAlb or one managed elsewhere);
//   - security groups: the ALB's accepts 443/80 from IngressCidrBlocks and
//     sends only to the tasks' group on ContainerPort; the tasks' accepts
//     only the ALB's group on ContainerPort and sends only TCP 443 to
//     TaskEgressCidrBlocks and TaskEgressPrefixListIds;
//   - a Fargate service in PrivateSubnetIds without public IP, with circuit
//     breaker and rollback, managed and propagated tags, ECS Exec off, and
//     terraform apply waiting for a steady state and failing when ECS
//     rolled the deployment back (see DisableWaitForSteadyState);
//   - autoscaling: CPU and memory target tracking (and optionally ALB
//     requests per target);
//   - Terraform outputs named "<id>_<value>" (see the Output* methods).
//
// It returns a *validate.Error listing every invalid field, and creates
// nothing, when cfg is invalid, scope is nil, or id is already used in scope
// or cannot name Terraform resources (it must match
// ^[A-Za-z_][A-Za-z0-9_-]{0,63}$, the construct-id rule every constructor of this module applies).
func NewHardenedEcsService(scope constructs.Construct, id string, cfg *HardenedEcsServiceConfig) (*HardenedEcsService, error) {
	v := validate.NewFor("ecsservice.NewHardenedEcsService", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c := cfg.withDefaults(v, id)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, claims(c, id))
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Committed before the children (keys, buckets) claim their part.
	res.Commit()
	s := &HardenedEcsService{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c}
	tree.Child(scope, id, s.Construct)
	in := s.Construct
	p := c.Provider
	tags := common.Tags(c.Tags, nil)
	env := baseline.Env{AccountID: c.AccountId, Region: c.Region}
	partition := env.Partition()

	// Key and log groups.
	s.KeyPolicyStatements = keyStatements(c, validate.Env{AccountId: c.AccountId, Region: c.Region})
	switch {
	case c.KmsKey != nil:
		if err := c.KmsKey.AddToResourcePolicy(s.KeyPolicyStatements...); err != nil {
			panic(err) // unreachable: CheckUse passed during validation
		}
		s.KmsKeyArn = c.KmsKey.Arn()
	case c.KmsKeyArn != "":
		s.KmsKeyArn = jsii.String(c.KmsKeyArn)
	default:
		key, err := securekey.NewSecureKey(in, "key", &securekey.SecureKeyConfig{
			AccountId:            c.AccountId,
			Region:               c.Region,
			Description:          "Encrypts logs, images and ECS Exec sessions of ECS service " + c.Name,
			Alias:                keyAlias(c),
			DeletionWindowInDays: 30,
			Statements:           s.KeyPolicyStatements,
			Tags:                 c.Tags,
			Provider:             p,
		})
		if err != nil {
			panic(err) // unreachable: the config was validated
		}
		s.Key, s.KmsKeyArn = key, key.Arn()
	}
	keyArn := s.KmsKeyArn
	s.LogGroup = baseline.NewLogGroup(in, "log_group", baseline.LogGroupConfig{Name: c.LogGroupName, RetentionInDays: *c.LogRetentionInDays, KmsKeyArn: keyArn, Tags: tags, Provider: p})
	if c.EnableExecuteCommand {
		s.ExecLogGroup = baseline.NewLogGroup(in, "exec_log_group", baseline.LogGroupConfig{Name: c.LogGroupName + "/exec", RetentionInDays: *c.LogRetentionInDays, KmsKeyArn: keyArn, Tags: tags, Provider: p})
	}

	// Cluster.
	if c.ClusterArn == "" {
		cc := &ecscluster.EcsClusterConfig{
			Provider: p,
			Tags:     tags,
			Name:     jsii.String(c.Name),
			Setting:  &[]*ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String(c.ContainerInsights)}},
		}
		if c.EnableExecuteCommand {
			cc.Configuration = &ecscluster.EcsClusterConfiguration{ExecuteCommandConfiguration: &ecscluster.EcsClusterConfigurationExecuteCommandConfiguration{
				KmsKeyId: keyArn,
				Logging:  jsii.String("OVERRIDE"),
				LogConfiguration: &ecscluster.EcsClusterConfigurationExecuteCommandConfigurationLogConfiguration{
					CloudWatchEncryptionEnabled: jsii.Bool(true),
					CloudWatchLogGroupName:      s.ExecLogGroup.Name(),
				},
			}}
		}
		s.Cluster = ecscluster.NewEcsCluster(in, jsii.String("cluster"), cc)
		s.ClusterArn, s.ClusterName = s.Cluster.Arn(), s.Cluster.Name()
	} else {
		s.ClusterArn = jsii.String(c.ClusterArn)
		if a, ok := validate.ParseARN(c.ClusterArn); ok {
			s.ClusterName = jsii.String(a.ResourceID())
		} else {
			s.ClusterName = cdktf.Token_AsString(cdktf.Fn_Element(cdktf.Fn_Split(jsii.String("/"), s.ClusterArn), jsii.Number(1)), nil)
		}
	}

	// Image and ECR.
	repoArn := pullRepositoryArn(c)
	if c.CreateEcrRepository {
		s.Repository = ecrrepository.NewEcrRepository(in, jsii.String("repository"), &ecrrepository.EcrRepositoryConfig{
			Provider:                   p,
			Tags:                       tags,
			Name:                       jsii.String(c.EcrRepositoryName),
			ImageTagMutability:         jsii.String("IMMUTABLE"),
			ImageScanningConfiguration: &ecrrepository.EcrRepositoryImageScanningConfiguration{ScanOnPush: jsii.Bool(true)},
			EncryptionConfiguration:    &[]*ecrrepository.EcrRepositoryEncryptionConfiguration{{EncryptionType: jsii.String("KMS"), KmsKey: keyArn}},
		})
		s.RepositoryLifecyclePolicy = ecrlifecyclepolicy.NewEcrLifecyclePolicy(in, jsii.String("repository_lifecycle"), &ecrlifecyclepolicy.EcrLifecyclePolicyConfig{
			Provider:   p,
			Repository: s.Repository.Name(),
			Policy:     jsii.String(EcrLifecyclePolicy(*c.EcrMaxImageCount)),
		})
		repoArn = *s.Repository.Arn()
		sep := ":"
		if strings.HasPrefix(c.ImageTag, "sha256:") {
			sep = "@"
		}
		s.Image = jsii.String(*s.Repository.RepositoryUrl() + sep + c.ImageTag)
	} else {
		s.Image = jsii.String(c.Image)
	}

	// IAM.
	trust := iampolicy.New(iampolicy.Statement{
		Effect:    "Allow",
		Principal: iampolicy.Service("ecs-tasks.amazonaws.com"),
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": c.AccountId},
			"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:%s:ecs:%s:%s:*", partition, c.Region, c.AccountId)},
		},
	}).JSON()
	var boundary *string
	if c.PermissionsBoundaryArn != "" {
		boundary = jsii.String(c.PermissionsBoundaryArn)
	}
	s.ExecutionPolicyDocument = ExecutionPolicy(c, repoArn, *s.LogGroup.Arn())
	switch {
	case c.ExecutionRoleArn != "":
		// Managed elsewhere: it needs ExecutionPolicyDocument.
		s.ExecutionRoleArn = jsii.String(c.ExecutionRoleArn)
	default:
		s.ExecutionRole = c.ExecutionRole
		if s.ExecutionRole == nil {
			s.ExecutionRole = iamrole.NewIamRole(in, jsii.String("execution_role"), &iamrole.IamRoleConfig{
				Provider:            p,
				Tags:                tags,
				Name:                jsii.String(c.Name + "-execution"),
				Description:         jsii.String("ECS task execution role of " + c.Name + ": image pull, logs, secrets"),
				AssumeRolePolicy:    jsii.String(trust),
				PermissionsBoundary: boundary,
			})
		}
		s.ExecutionRoleArn = s.ExecutionRole.Arn()
		s.ExecutionPolicy = iamrolepolicy.NewIamRolePolicy(in, jsii.String("execution_policy"), &iamrolepolicy.IamRolePolicyConfig{
			Provider: p,
			Name:     jsii.String(executionPolicyName(c)),
			Role:     s.ExecutionRole.Id(),
			Policy:   jsii.String(baseline.EscapeTemplate(s.ExecutionPolicyDocument.JSON())),
		})
	}
	switch {
	case c.TaskRoleArn != "":
		s.TaskRoleArn = jsii.String(c.TaskRoleArn)
	default:
		s.TaskRole = c.TaskRole
		if s.TaskRole == nil {
			s.TaskRole = iamrole.NewIamRole(in, jsii.String("task_role"), &iamrole.IamRoleConfig{
				Provider:            p,
				Tags:                tags,
				Name:                jsii.String(c.Name + "-task"),
				Description:         jsii.String("ECS task role of " + c.Name + " (application permissions)"),
				AssumeRolePolicy:    jsii.String(trust),
				PermissionsBoundary: boundary,
			})
		}
		s.TaskRoleArn = s.TaskRole.Arn()
	}
	if c.EnableExecuteCommand {
		s.ExecPolicyDocument = iampolicy.New(execStatements(*s.ExecLogGroup.Arn(), *keyArn)...)
		if s.TaskRole != nil {
			s.ExecPolicy = s.addTaskRolePolicy("task_policy_exec", "exec", s.ExecPolicyDocument.JSON())
		}
	}

	// Task definition.
	s.TaskDefinition = ecstaskdefinition.NewEcsTaskDefinition(in, jsii.String("task_definition"), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Provider:                p,
		Tags:                    tags,
		Family:                  jsii.String(c.Name),
		NetworkMode:             jsii.String("awsvpc"),
		RequiresCompatibilities: jsii.Strings("FARGATE"),
		Cpu:                     jsii.String(fmt.Sprint(*c.Cpu)),
		Memory:                  jsii.String(fmt.Sprint(*c.MemoryMiB)),
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			CpuArchitecture:       jsii.String(c.CpuArchitecture),
			OperatingSystemFamily: jsii.String("LINUX"),
		},
		ExecutionRoleArn:     s.ExecutionRoleArn,
		TaskRoleArn:          s.TaskRoleArn,
		Volume:               &[]*ecstaskdefinition.EcsTaskDefinitionVolume{{Name: jsii.String(scratchVolume)}},
		ContainerDefinitions: jsii.String(ContainerDefinitions(c, *s.Image, *tree.Attr(s.LogGroup, "name", s.LogGroup.Name))),
	})

	if err := s.network(c); err != nil {
		return nil, err // unreachable: the config was validated
	}

	// Service.
	svc := &ecsservice.EcsServiceConfig{
		Provider:                        p,
		Tags:                            tags,
		Name:                            jsii.String(c.Name),
		Cluster:                         s.ClusterArn,
		TaskDefinition:                  s.TaskDefinition.Arn(),
		LaunchType:                      jsii.String("FARGATE"),
		PlatformVersion:                 jsii.String(c.PlatformVersion),
		DesiredCount:                    num(c.DesiredCount),
		DeploymentMinimumHealthyPercent: num(c.DeploymentMinimumHealthyPercent),
		DeploymentMaximumPercent:        num(c.DeploymentMaximumPercent),
		DeploymentCircuitBreaker:        &ecsservice.EcsServiceDeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		DeploymentController:            &ecsservice.EcsServiceDeploymentController{Type: jsii.String("ECS")},
		HealthCheckGracePeriodSeconds:   num(c.HealthCheckGracePeriodSeconds),
		PropagateTags:                   jsii.String("SERVICE"),
		EnableEcsManagedTags:            jsii.Bool(true),
		EnableExecuteCommand:            jsii.Bool(c.EnableExecuteCommand),
		// A failed deployment fails the apply (see DisableWaitForSteadyState).
		WaitForSteadyState: jsii.Bool(!c.DisableWaitForSteadyState),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets:        jsii.Strings(c.PrivateSubnetIds...),
			SecurityGroups: &[]*string{tree.Attr(s.TaskSecurityGroup, "id", s.TaskSecurityGroup.Id)},
			AssignPublicIp: jsii.Bool(false),
		},
		LoadBalancer: &[]*ecsservice.EcsServiceLoadBalancer{{
			TargetGroupArn: tree.Attr(s.TargetGroup, "arn", s.TargetGroup.Arn),
			ContainerName:  jsii.String(c.ContainerName),
			ContainerPort:  jsii.Number(float64(c.ContainerPort)),
		}},
		// The target group must be attached to the ALB before the service
		// registers tasks in it.
		DependsOn: &[]cdktf.ITerraformDependable{s.front},
	}
	if !c.DisableWaitForSteadyState {
		timeout := jsii.String(fmt.Sprintf("%dm", *c.SteadyStateTimeoutMinutes))
		svc.Timeouts = &ecsservice.EcsServiceTimeouts{Create: timeout, Update: timeout}
	}
	minCapacity := num(c.MinCapacity)
	if c.DesiredCountVariable != "" {
		s.DesiredCountVariable = cdktf.NewTerraformVariable(in, jsii.String("desired_count"), &cdktf.TerraformVariableConfig{
			Type:        jsii.String("number"),
			Default:     num(c.DesiredCount),
			Description: jsii.String(fmt.Sprintf("Number of %s tasks; 0 stops the service (incident response). Also caps the autoscaling minimum.", c.Name)),
			Validation: &[]*cdktf.TerraformVariableValidationConfig{{
				Condition:    jsii.String(fmt.Sprintf("${var.%s >= 0 && var.%s <= %d && floor(var.%s) == var.%s}", c.DesiredCountVariable, c.DesiredCountVariable, *c.MaxCapacity, c.DesiredCountVariable, c.DesiredCountVariable)),
				ErrorMessage: jsii.String(fmt.Sprintf("%s must be a whole number from 0 to %d.", c.DesiredCountVariable, *c.MaxCapacity)),
			}},
		})
		s.DesiredCountVariable.OverrideLogicalId(jsii.String(c.DesiredCountVariable))
		desired := s.DesiredCountVariable.NumberValue()
		svc.DesiredCount = desired
		minCapacity = cdktf.Fn_Min(&[]*float64{desired, minCapacity})
	} else {
		// Autoscaling owns the task count after creation.
		svc.Lifecycle = &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("desired_count")}}
	}
	if !c.DisableWaitForSteadyState {
		// wait_for_steady_state also returns once a rolled-back deployment is
		// stable again (hashicorp/terraform-provider-aws#20858): the service
		// then runs the previous task definition, and this postcondition
		// fails the apply.
		if svc.Lifecycle == nil {
			svc.Lifecycle = &cdktf.TerraformResourceLifecycle{}
		}
		svc.Lifecycle.Postcondition = &[]*cdktf.Postcondition{{
			Condition: jsii.String(fmt.Sprintf("${self.task_definition == %s.arn}", *s.TaskDefinition.Fqn())),
			ErrorMessage: jsii.String("The deployment of " + c.Name + " failed: ECS rolled the service back to its previous task definition " +
				"(deployment circuit breaker). See the service's events and the stopped tasks' reasons."),
		}}
	}
	s.Service = ecsservice.NewEcsService(in, jsii.String("service"), svc)

	s.autoscaling(c, minCapacity)
	s.outputs(id)

	// The deliberate exceptions, declared for the policy checker (the own
	// ALB's in network).
	var declaredPlain []string // secret-looking names the config declares are not secrets
	for _, name := range c.AllowPlainEnvironment {
		if _, set := c.Environment[name]; set && SecretLikeName.MatchString(name) {
			declaredPlain = append(declaredPlain, name)
		}
	}
	if len(declaredPlain) > 0 {
		reason := "Environment " + strings.Join(declaredPlain, ", ") + " only look like secrets: AllowPlainEnvironment declares they are not; " +
			"every other secret-like name must come from Secrets (validated by ecsservice)."
		if err := policy.Suppress(s.TaskDefinition, "HC-ECS-006", reason); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Reasons recorded with the construct's policy suppressions.
const (
	publicAlbReason = "The service's one intended exposure: an internet-facing ALB that accepts only 443 (TLS 1.2+) and 80 (301 to HTTPS) " +
		"from IngressCidrBlocks, drops invalid headers and forwards only to the service's target group; tasks stay in private subnets. " +
		"Set Internal to remove it."
	accessLogsSseS3Reason = "Elastic Load Balancing delivers access logs only to SSE-S3 buckets " +
		"(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). " +
		"Compensating: all public access blocked, BucketOwnerEnforced, TLS-only policy, writes only by the ELB log delivery principal, lifecycle expiry."
)

// scratchVolume is the task volume mounted at /tmp.
const scratchVolume = "tmp"

// AddTaskRolePolicy attaches an inline policy (a JSON policy document, e.g.
// iampolicy.New(...).JSON() or an aws_iam_policy_document's json) to the
// task role, which is otherwise empty, and returns it. policyJSON is literal
// text (tokens aside): IAM policy variables such as "${aws:username}" are
// escaped for Terraform and reach IAM unchanged.
//
// For access to a resource of another construct of this module, prefer its
// grant (one policy per grant, no JSON to write), e.g.
// bucket.GrantRead(svc.TaskRoleGrantee()).
//
// It returns a *validate.Error, and attaches nothing, when name is not an
// IAM policy name (1-128 letters, digits and +=,.@_-), when name is already
// taken on the task role (names that differ only in what
// validate.NameFromID drops, such as "s3.read" and "s3-read", give the same
// construct id; "exec" is the ECS Exec policy), when policyJSON is not a
// JSON policy document with a Statement or is longer than IAM allows
// (MaxInlinePolicyLength), or when the task role is not in this app
// (TaskRoleArn).
func (s *HardenedEcsService) AddTaskRolePolicy(name, policyJSON string) (iamrolepolicy.IamRolePolicy, error) {
	v := validate.New("ecsservice.AddTaskRolePolicy")
	if s == nil || s.TaskRole == nil {
		v.Add("TaskRole", nil, "is not a role of this app (TaskRoleArn was given): attach the policy where that role is managed")
		return nil, v.Err()
	}
	id := "task_policy_" + validate.NameFromID(name)
	if v.Rule("name", name, validate.IAMPolicyName(name)) {
		if prev := s.Construct.Node().TryFindChild(jsii.String(id)); prev != nil {
			v.Add("name", name, fmt.Sprintf("is taken: the task role already has a policy with construct id %q (names differing only in characters other than letters and digits collide; \"exec\" is the ECS Exec policy); choose another name", id))
		}
	}
	if rule := validPolicyJSON(policyJSON); rule != "" { // tokens (ARNs) in the JSON are fine
		v.Add("policyJSON", policyJSON, rule)
	}
	if v.Len() > 0 {
		return nil, v.Err()
	}
	c := s.Config
	res := registry.Check(v, s.Construct, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region},
		[]registry.Claim{{Kind: registry.IAMRolePolicy, Name: name, Field: "name", Qualifier: *s.TaskRole.Node().Path()}})
	if err := v.Err(); err != nil {
		return nil, err
	}
	res.Commit()
	return s.addTaskRolePolicy(id, name, policyJSON), nil
}

func (s *HardenedEcsService) addTaskRolePolicy(id, name, policyJSON string) iamrolepolicy.IamRolePolicy {
	return iamrolepolicy.NewIamRolePolicy(s.Construct, jsii.String(id), &iamrolepolicy.IamRolePolicyConfig{
		Provider: s.Config.Provider,
		Name:     jsii.String(name),
		Role:     s.TaskRole.Id(),
		Policy:   jsii.String(baseline.EscapeTemplate(policyJSON)),
	})
}

// network creates the security groups and their rules, the own ALB (its
// access log bucket, certificate and listeners) or the listener rule on the
// shared one, and the target group; in the order (and with the construct
// ids) the service always created them.
func (s *HardenedEcsService) network(c HardenedEcsServiceConfig) error {
	in := s.Construct
	p := c.Provider
	tags := common.Tags(c.Tags, nil)
	vpcID := jsii.String(c.VpcId)
	own := c.Attach == nil
	alb := c.albSettings()
	var r albcore.Resources
	var albSG *string
	if own {
		r.BuildSecurityGroup(in, alb)
		s.AlbSecurityGroup, albSG = r.SecurityGroup, r.SecurityGroupId()
	} else if c.Attach.LoadBalancer != nil {
		albSG = c.Attach.LoadBalancer.SecurityGroup.Id()
	} else {
		albSG = jsii.String(c.Attach.SecurityGroupId)
	}
	s.TaskSecurityGroup = securitygroup.NewSecurityGroup(in, jsii.String("task_security_group"), &securitygroup.SecurityGroupConfig{
		Provider:    p,
		Tags:        tags,
		Name:        jsii.String(c.Name + "-task"),
		Description: jsii.String("Tasks of " + c.Name + ": container port from the ALB only, HTTPS out"),
		VpcId:       vpcID,
	})
	taskSG := tree.Attr(s.TaskSecurityGroup, "id", s.TaskSecurityGroup.Id)
	port := jsii.Number(float64(c.ContainerPort))
	if own {
		r.BuildIngress(in, alb)
		s.AlbIngressRules = r.IngressRules
	}
	egressDesc := "To the tasks on the container port only"
	if !own {
		egressDesc = "To the tasks of " + c.Name + " on the container port only"
		if c.Attach.LoadBalancer != nil {
			albEgress.add(c.Attach.LoadBalancer)
		}
	}
	s.AlbEgressRule = vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(in, jsii.String("alb_egress_tasks"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		Provider:                  p,
		Tags:                      tags,
		SecurityGroupId:           albSG,
		Description:               jsii.String(egressDesc),
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  port,
		ToPort:                    port,
		ReferencedSecurityGroupId: taskSG,
	})
	s.TaskIngressRule = vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(in, jsii.String("task_ingress_alb"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		Provider:                  p,
		Tags:                      tags,
		SecurityGroupId:           taskSG,
		Description:               jsii.String("From the ALB on the container port only"),
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  port,
		ToPort:                    port,
		ReferencedSecurityGroupId: albSG,
	})
	for i, cidr := range c.TaskEgressCidrBlocks {
		s.TaskEgressRules = append(s.TaskEgressRules, vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(in, jsii.String(fmt.Sprintf("task_egress_https_%d", i)), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			Provider:        p,
			Tags:            tags,
			SecurityGroupId: taskSG,
			Description:     jsii.String("HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager)"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(443),
			ToPort:          jsii.Number(443),
			CidrIpv4:        jsii.String(cidr),
		}))
	}
	for i, pl := range c.TaskEgressPrefixListIds {
		s.TaskEgressRules = append(s.TaskEgressRules, vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(in, jsii.String(fmt.Sprintf("task_egress_prefix_list_%d", i)), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			Provider:        p,
			Tags:            tags,
			SecurityGroupId: taskSG,
			Description:     jsii.String("HTTPS to a prefix list (e.g. the S3 gateway endpoint for ECR layers)"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(443),
			ToPort:          jsii.Number(443),
			PrefixListId:    jsii.String(pl),
		}))
	}

	if own {
		if err := r.BuildLoadBalancer(in, alb); err != nil {
			return err
		}
		s.AccessLogsBucket, s.LoadBalancer, s.LoadBalancerArnSuffix = r.AccessLogsBucket, r.LoadBalancer, tree.Attr(r.LoadBalancer, "arn_suffix", r.LoadBalancer.ArnSuffix)
	}
	s.TargetGroup = lbtargetgroup.NewLbTargetGroup(in, jsii.String("target_group"), &lbtargetgroup.LbTargetGroupConfig{
		Provider:            p,
		Tags:                tags,
		Name:                jsii.String(c.TargetGroupName),
		TargetType:          jsii.String("ip"),
		Port:                port,
		Protocol:            jsii.String("HTTP"),
		VpcId:               vpcID,
		DeregistrationDelay: jsii.String(fmt.Sprint(*c.DeregistrationDelaySeconds)),
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled:            jsii.Bool(true),
			Protocol:           jsii.String("HTTP"),
			Port:               jsii.String("traffic-port"),
			Path:               jsii.String(c.HealthCheckPath),
			Matcher:            jsii.String(c.HealthCheckMatcher),
			Interval:           num(c.HealthCheckIntervalSeconds),
			Timeout:            num(c.HealthCheckTimeoutSeconds),
			HealthyThreshold:   num(c.HealthyThreshold),
			UnhealthyThreshold: num(c.UnhealthyThreshold),
		},
	})
	if own {
		r.BuildListeners(in, alb, &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("forward"), TargetGroupArn: tree.Attr(s.TargetGroup, "arn", s.TargetGroup.Arn)}})
		s.HttpsListener, s.HttpListener, s.front = r.HttpsListener, r.HttpListener, r.Front()
		s.Certificate, s.CertificateValidationRecords, s.CertificateValidation = r.Certificate, r.CertificateValidationRecords, r.CertificateValidation
		return r.Suppress(alb, publicAlbReason)
	}

	// Attached: the listener rule on the shared listener.
	a := c.Attach
	listenerArn := jsii.String(a.ListenerArn)
	switch {
	case a.LoadBalancer != nil:
		listenerArn, s.LoadBalancerArnSuffix = a.LoadBalancer.Listener.Arn(), a.LoadBalancer.LoadBalancer.ArnSuffix()
	case validate.HasToken(a.ListenerArn):
		// arn:...:listener/app/<name>/<lb-id>/<listener-id>
		s.LoadBalancerArnSuffix = jsii.String(fmt.Sprintf(`${join("/", slice(split("/", %s), 1, 4))}`, a.ListenerArn))
	default:
		s.LoadBalancerArnSuffix = jsii.String(listenerArnSuffix(a.ListenerArn))
	}
	var conditions []*lblistenerrule.LbListenerRuleCondition
	if len(a.HostHeaders) > 0 {
		conditions = append(conditions, &lblistenerrule.LbListenerRuleCondition{HostHeader: &lblistenerrule.LbListenerRuleConditionHostHeader{Values: jsii.Strings(a.HostHeaders...)}})
	}
	if len(a.PathPatterns) > 0 {
		conditions = append(conditions, &lblistenerrule.LbListenerRuleCondition{PathPattern: &lblistenerrule.LbListenerRuleConditionPathPattern{Values: jsii.Strings(a.PathPatterns...)}})
	}
	s.ListenerRule = lblistenerrule.NewLbListenerRule(in, jsii.String("listener_rule"), &lblistenerrule.LbListenerRuleConfig{
		Provider:    p,
		Tags:        tags,
		ListenerArn: listenerArn,
		Priority:    jsii.Number(float64(a.Priority)),
		Action:      &[]*lblistenerrule.LbListenerRuleAction{{Type: jsii.String("forward"), TargetGroupArn: tree.Attr(s.TargetGroup, "arn", s.TargetGroup.Arn)}},
		Condition:   &conditions,
	})
	s.front = s.ListenerRule
	return nil
}

func (s *HardenedEcsService) autoscaling(c HardenedEcsServiceConfig, minCapacity *float64) {
	in := s.Construct
	p := c.Provider
	tags := common.Tags(c.Tags, nil)
	resourceID := jsii.String("service/" + *s.ClusterName + "/" + *tree.Attr(s.Service, "name", s.Service.Name))
	s.ScalableTarget = appautoscalingtarget.NewAppautoscalingTarget(in, jsii.String("scalable_target"), &appautoscalingtarget.AppautoscalingTargetConfig{
		Provider:          p,
		Tags:              tags,
		ServiceNamespace:  jsii.String("ecs"),
		ScalableDimension: jsii.String("ecs:service:DesiredCount"),
		ResourceId:        resourceID,
		MinCapacity:       minCapacity,
		MaxCapacity:       num(c.MaxCapacity),
	})
	namespace, dimension, resource := s.ScalableTarget.ServiceNamespace(), s.ScalableTarget.ScalableDimension(), s.ScalableTarget.ResourceId()
	policy := func(id, metric string, target int, label *string) {
		s.ScalingPolicies = append(s.ScalingPolicies, appautoscalingpolicy.NewAppautoscalingPolicy(in, jsii.String(id), &appautoscalingpolicy.AppautoscalingPolicyConfig{
			Provider:          p,
			Name:              jsii.String(c.Name + "-" + strings.ReplaceAll(id, "_", "-")),
			PolicyType:        jsii.String("TargetTrackingScaling"),
			ServiceNamespace:  namespace,
			ScalableDimension: dimension,
			ResourceId:        resource,
			TargetTrackingScalingPolicyConfiguration: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration{
				TargetValue:      jsii.Number(float64(target)),
				ScaleInCooldown:  num(c.ScaleInCooldownSeconds),
				ScaleOutCooldown: num(c.ScaleOutCooldownSeconds),
				PredefinedMetricSpecification: &appautoscalingpolicy.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification{
					PredefinedMetricType: jsii.String(metric),
					ResourceLabel:        label,
				},
			},
		}))
	}
	policy("cpu_scaling", "ECSServiceAverageCPUUtilization", *c.CpuTargetValue, nil)
	policy("memory_scaling", "ECSServiceAverageMemoryUtilization", *c.MemoryTargetValue, nil)
	if c.RequestsPerTarget != nil {
		policy("requests_scaling", "ALBRequestCountPerTarget", *c.RequestsPerTarget,
			jsii.String(*s.LoadBalancerArnSuffix+"/"+*tree.Attr(s.TargetGroup, "arn_suffix", s.TargetGroup.ArnSuffix)))
	}
}

// Output names, suffixed to "<id>_" (the construct ID with '-' as '_').
const (
	OutputAlbDnsName           = "alb_dns_name"
	OutputAlbZoneId            = "alb_zone_id"
	OutputAlbArn               = "alb_arn"
	OutputAlbArnSuffix         = "alb_arn_suffix"
	OutputTargetGroupArnSuffix = "target_group_arn_suffix"
	OutputServiceName          = "service_name"
	OutputServiceArn           = "service_arn"
	OutputClusterName          = "cluster_name"
	OutputClusterArn           = "cluster_arn"
	OutputLogGroupName         = "log_group_name"
	OutputAlbSecurityGroupId   = "alb_security_group_id"
	OutputTaskSecurityGroupId  = "task_security_group_id"
	OutputExecutionRoleArn     = "execution_role_arn"
	OutputTaskRoleArn          = "task_role_arn"
	// OutputListenerRuleArn is only output with Attach, which has no
	// alb_dns_name, alb_zone_id, alb_arn or alb_security_group_id (the
	// shared ALB outputs them).
	OutputListenerRuleArn = "listener_rule_arn"
)

func (s *HardenedEcsService) outputs(id string) {
	prefix := outputPrefix(id)
	type out struct {
		value func() *string
		desc  string
	}
	all := map[string]out{
		OutputAlbDnsName:           {func() *string { return s.LoadBalancer.DnsName() }, "DNS name of the ALB (point the service's DNS record at it)."},
		OutputAlbZoneId:            {func() *string { return s.LoadBalancer.ZoneId() }, "Route 53 zone ID of the ALB, for alias records."},
		OutputAlbArn:               {func() *string { return tree.Attr(s.LoadBalancer, "arn", s.LoadBalancer.Arn) }, "ARN of the ALB (e.g. for a WAF web ACL association)."},
		OutputAlbArnSuffix:         {func() *string { return s.LoadBalancerArnSuffix }, "ARN suffix of the ALB (CloudWatch LoadBalancer dimension)."},
		OutputTargetGroupArnSuffix: {func() *string { return tree.Attr(s.TargetGroup, "arn_suffix", s.TargetGroup.ArnSuffix) }, "ARN suffix of the target group (CloudWatch TargetGroup dimension)."},
		OutputServiceName:          {func() *string { return tree.Attr(s.Service, "name", s.Service.Name) }, "Name of the ECS service."},
		OutputServiceArn:           {func() *string { return s.Service.Id() }, "ARN of the ECS service."},
		OutputClusterName:          {func() *string { return s.ClusterName }, "Name of the ECS cluster."},
		OutputClusterArn:           {func() *string { return s.ClusterArn }, "ARN of the ECS cluster."},
		OutputLogGroupName:         {func() *string { return tree.Attr(s.LogGroup, "name", s.LogGroup.Name) }, "CloudWatch log group of the container logs."},
		OutputAlbSecurityGroupId:   {func() *string { return tree.Attr(s.AlbSecurityGroup, "id", s.AlbSecurityGroup.Id) }, "Security group of the ALB."},
		OutputTaskSecurityGroupId:  {func() *string { return tree.Attr(s.TaskSecurityGroup, "id", s.TaskSecurityGroup.Id) }, "Security group of the tasks."},
		OutputExecutionRoleArn:     {func() *string { return s.ExecutionRoleArn }, "ARN of the task execution role."},
		OutputTaskRoleArn:          {func() *string { return s.TaskRoleArn }, "ARN of the task role."},
		OutputListenerRuleArn:      {func() *string { return s.ListenerRule.Arn() }, "ARN of the service's listener rule on the shared ALB."},
	}
	for _, name := range outputKinds(s.Config.Attach != nil) {
		o := all[name]
		tf := cdktf.NewTerraformOutput(s.Construct, jsii.String(name), &cdktf.TerraformOutputConfig{Value: o.value(), Description: jsii.String(o.desc)})
		tf.OverrideLogicalId(jsii.String(prefix + "_" + name))
	}
}

// AccessLogsStatement lets Elastic Load Balancing write access logs of
// account accountID (in region, of partition) under AccessLogsPrefix in the bucket: the regional
// ELB account in regions that opened before August 2022
// (ElbLogDeliveryAccounts), the log-delivery service principal elsewhere.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
func AccessLogsStatement(partition, region, accountID, bucketArn string) iampolicy.Statement {
	return albcore.AccessLogsStatement(partition, region, accountID, bucketArn)
}

// ModernSslPolicies are the ALB security policies SslPolicy may name: TLS 1.2
// or later with forward-secret AEAD ciphers only (no "Ext" policies, which
// add CBC and non-FS ciphers, and no TLS 1.0/1.1 policies).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
var ModernSslPolicies = modernSslPolicies()

// ElbLogDeliveryAccounts maps the regions that opened before August 2022 to
// the Elastic Load Balancing account that writes ALB access logs there. In
// every other region the log-delivery service principal
// ElbLogDeliveryServicePrincipal writes them.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
var ElbLogDeliveryAccounts = elbLogDeliveryAccounts()

// ElbLogDeliveryServicePrincipal writes ALB access logs in regions that are
// not in ElbLogDeliveryAccounts.
const ElbLogDeliveryServicePrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"

func modernSslPolicies() []string { return slices.Clone(albcore.ModernSslPolicies) }

func elbLogDeliveryAccounts() map[string]string { return maps.Clone(albcore.ElbLogDeliveryAccounts) }

// ExecutionPolicy is the execution role's inline policy: ECR pull from
// repoArn (when set), CloudWatch Logs on the log group, and exactly the
// configured secrets plus kms:Decrypt on their keys through Secrets Manager
// or SSM.
func ExecutionPolicy(c HardenedEcsServiceConfig, repoArn, logGroupArn string) iampolicy.Document {
	var st []iampolicy.Statement
	if repoArn != "" {
		st = append(st,
			// GetAuthorizationToken does not support resource-level permissions.
			iampolicy.Statement{Sid: "EcrAuthorization", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
			iampolicy.Statement{Sid: "EcrPull", Effect: "Allow",
				Action:   []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
				Resource: []string{repoArn}},
		)
	}
	st = append(st, iampolicy.Statement{Sid: "Logs", Effect: "Allow",
		Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resource: []string{logGroupArn + ":log-stream:*"}})
	var sm, ssm []string
	for _, name := range common.SortedKeys(c.Secrets) {
		arn := c.Secrets[name]
		switch {
		case smArnRe.MatchString(arn):
			sm = append(sm, secretResources(arn)...)
		case strings.HasPrefix(arn, "arn:") && strings.Contains(arn, ":ssm:"):
			ssm = append(ssm, arn)
		default: // a token: the ARN itself says which service it belongs to
			sm, ssm = append(sm, arn), append(ssm, arn)
		}
	}
	if len(sm) > 0 {
		st = append(st, iampolicy.Statement{Sid: "ReadSecrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: uniqSorted(sm)})
	}
	if len(ssm) > 0 {
		st = append(st, iampolicy.Statement{Sid: "ReadParameters", Effect: "Allow", Action: []string{"ssm:GetParameters"}, Resource: uniqSorted(ssm)})
	}
	if len(c.SecretsKmsKeyArns) > 0 {
		st = append(st, iampolicy.Statement{Sid: "DecryptSecrets", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: uniqSorted(c.SecretsKmsKeyArns),
			Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": []string{
				"secretsmanager." + c.Region + "." + validate.DNSSuffix(validate.PartitionOf(c.Region)), "ssm." + c.Region + "." + validate.DNSSuffix(validate.PartitionOf(c.Region))}}}})
	}
	return iampolicy.New(st...)
}

// execStatements are the task role's permissions for ECS Exec with session
// logging to the exec log group and session encryption with the key.
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
func execStatements(logGroupArn, keyArn string) []iampolicy.Statement {
	return []iampolicy.Statement{
		// The SSM message channels have no resource-level permissions.
		{Sid: "EcsExecChannels", Effect: "Allow", Action: []string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}, Resource: []string{"*"}},
		{Sid: "EcsExecDescribeLogGroups", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{"*"}},
		{Sid: "EcsExecLogs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}, Resource: []string{logGroupArn + ":log-stream:*"}},
		{Sid: "EcsExecSessionKey", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{keyArn}},
	}
}

// EcrLifecyclePolicy is the created repository's lifecycle policy: untagged
// images expire after EcrUntaggedExpirationDays, and only the newest
// maxImages images are kept.
func EcrLifecyclePolicy(maxImages int) string {
	type sel struct {
		TagStatus   string `json:"tagStatus"`
		CountType   string `json:"countType"`
		CountUnit   string `json:"countUnit,omitempty"`
		CountNumber int    `json:"countNumber"`
	}
	type rule struct {
		RulePriority int               `json:"rulePriority"`
		Description  string            `json:"description"`
		Selection    sel               `json:"selection"`
		Action       map[string]string `json:"action"`
	}
	doc := map[string][]rule{"rules": {
		{1, fmt.Sprintf("Expire untagged images after %d days", EcrUntaggedExpirationDays), sel{"untagged", "sinceImagePushed", "days", EcrUntaggedExpirationDays}, map[string]string{"type": "expire"}},
		{2, fmt.Sprintf("Keep the newest %d images", maxImages), sel{"any", "imageCountMoreThan", "", maxImages}, map[string]string{"type": "expire"}},
	}}
	b, _ := json.Marshal(doc)
	return string(b)
}

type kv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type secretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

type containerDefinition struct {
	Name                   string           `json:"name"`
	Image                  string           `json:"image"`
	Essential              bool             `json:"essential"`
	User                   string           `json:"user,omitempty"`
	ReadonlyRootFilesystem bool             `json:"readonlyRootFilesystem"`
	Privileged             bool             `json:"privileged"`
	LinuxParameters        linuxParameters  `json:"linuxParameters"`
	PortMappings           []portMapping    `json:"portMappings"`
	Environment            []kv             `json:"environment"`
	Secrets                []secretRef      `json:"secrets,omitempty"`
	MountPoints            []mountPoint     `json:"mountPoints"`
	HealthCheck            healthCheck      `json:"healthCheck"`
	LogConfiguration       logConfiguration `json:"logConfiguration"`
}

type linuxParameters struct {
	Capabilities       map[string][]string `json:"capabilities"`
	InitProcessEnabled bool                `json:"initProcessEnabled"`
}

type portMapping struct {
	ContainerPort int    `json:"containerPort"`
	HostPort      int    `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

type mountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

type healthCheck struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval"`
	Timeout     int      `json:"timeout"`
	Retries     int      `json:"retries"`
	StartPeriod int      `json:"startPeriod"`
}

type logConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
}

// ContainerDefinitions renders the task's container_definitions JSON for a
// config with defaults applied (unset health check numbers take their
// defaults) (deterministic: environment and secrets are
// sorted by name), ready for the Terraform argument: literal "${" and "%{"
// in user text (environment values, health check command, image) are
// escaped as "$${" and "%%{" so Terraform passes them to ECS unchanged;
// cdktf tokens are left alone.
func ContainerDefinitions(c HardenedEcsServiceConfig, image, logGroupName string) string {
	env := []kv{}
	for _, k := range common.SortedKeys(c.Environment) {
		env = append(env, kv{k, c.Environment[k]})
	}
	var secrets []secretRef
	for _, k := range common.SortedKeys(c.Secrets) {
		secrets = append(secrets, secretRef{k, c.Secrets[k]})
	}
	def := containerDefinition{
		Name:                   c.ContainerName,
		Image:                  image,
		Essential:              true,
		User:                   c.User,
		ReadonlyRootFilesystem: !c.WritableRootFilesystem,
		Privileged:             false,
		LinuxParameters:        linuxParameters{Capabilities: map[string][]string{"add": {}, "drop": {"ALL"}}, InitProcessEnabled: true},
		PortMappings:           []portMapping{{c.ContainerPort, c.ContainerPort, "tcp"}},
		Environment:            env,
		Secrets:                secrets,
		MountPoints:            []mountPoint{{scratchVolume, "/tmp", false}},
		HealthCheck: healthCheck{c.HealthCheck.Command,
			validate.IntOr(c.HealthCheck.IntervalSeconds, DefaultContainerHealthCheckIntervalSeconds),
			validate.IntOr(c.HealthCheck.TimeoutSeconds, DefaultContainerHealthCheckTimeoutSeconds),
			validate.IntOr(c.HealthCheck.Retries, DefaultContainerHealthCheckRetries),
			validate.IntOr(c.HealthCheck.StartPeriodSeconds, DefaultContainerHealthCheckStartPeriodSeconds)},
		LogConfiguration: logConfiguration{LogDriver: "awslogs", Options: map[string]string{
			"awslogs-group":         logGroupName,
			"awslogs-region":        c.Region,
			"awslogs-stream-prefix": "ecs",
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]containerDefinition{def}); err != nil {
		panic(err) // plain strings, ints and slices only: cannot fail
	}
	return baseline.EscapeTemplate(strings.TrimSpace(buf.String()))
}

// num converts an optional number (defaults applied) for the bindings.
func num(p *int) *float64 { return jsii.Number(float64(*p)) }

// executionPolicyName is the execution role's inline policy name: "execution"
// on the role the construct creates, "<Name>-execution" on a role it was
// given (which may carry other services' policies).
func executionPolicyName(c HardenedEcsServiceConfig) string {
	if c.ExecutionRole != nil {
		return c.Name + "-execution"
	}
	return "execution"
}

// TaskRoleGrantee is the task role as a grant.Grantee, so that the
// resource constructs of this module grant the application what it needs
// instead of a second policy:
//
//	bucket.GrantRead(svc.TaskRoleGrantee())    // securebucket.SecureBucket
//	key.GrantDecrypt(svc.TaskRoleGrantee())    // securekey.SecureKey
//
// For a role of this app (created, or TaskRole) grants attach one inline
// policy per grant to it; for TaskRoleArn they add a statement for that
// role to the resource's policy.
func (s *HardenedEcsService) TaskRoleGrantee() grant.Grantee {
	if s.TaskRole != nil {
		return grant.Role(s.TaskRole)
	}
	return grant.Principal(*s.TaskRoleArn)
}

// AllowFrom lets the security group securityGroupId (e.g. a bastion's, or
// another service's task group; a literal "sg-..." or a token) reach the
// tasks on ContainerPort: an ingress rule on the task security group (the
// CDK's connections.allowFrom). description is the rule's description
// (the security group description charset, at most 255 characters);
// default "From <securityGroupId> on the container port".
//
// It returns the rule, or a *validate.Error (creating nothing) when the ID
// or the description is invalid or the group is already allowed.
func (s *HardenedEcsService) AllowFrom(securityGroupId, description string) (vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule, error) {
	v := validate.New("ecsservice.AllowFrom")
	if s == nil || s.TaskSecurityGroup == nil {
		v.Add("service", nil, "is not a service created by NewHardenedEcsService")
		return nil, v.Err()
	}
	if securityGroupId == "" {
		v.Add("securityGroupId", securityGroupId, "is required: the security group allowed in")
	} else if v.Literal("securityGroupId", securityGroupId) {
		v.Rule("securityGroupId", securityGroupId, validate.EC2IDRule(securityGroupId, validate.SecurityGroupID))
	}
	if description == "" {
		description = "From " + securityGroupId + " on the container port"
		if validate.HasToken(securityGroupId) {
			description = "From another security group on the container port"
		}
	} else if v.Literal("description", description) {
		v.Rule("description", description, validate.SecurityGroupDescription(description))
	}
	if s.allowedFrom == nil {
		s.allowedFrom = map[string]bool{}
	}
	v.Check(!s.allowedFrom[securityGroupId], "securityGroupId", securityGroupId, "is already allowed: AWS rejects a duplicate security group rule")
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.allowedFrom[securityGroupId] = true
	port := jsii.Number(float64(s.Config.ContainerPort))
	rule := vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s.Construct, jsii.String(fmt.Sprintf("task_ingress_from_%d", len(s.allowedFrom))), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		Provider:                  s.Config.Provider,
		Tags:                      common.Tags(s.Config.Tags, nil),
		SecurityGroupId:           tree.Attr(s.TaskSecurityGroup, "id", s.TaskSecurityGroup.Id),
		Description:               jsii.String(description),
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  port,
		ToPort:                    port,
		ReferencedSecurityGroupId: jsii.String(securityGroupId),
	})
	s.AllowedFromRules = append(s.AllowedFromRules, rule)
	return rule, nil
}
