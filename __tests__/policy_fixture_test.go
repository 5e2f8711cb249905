package tests

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudtrail"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecrrepository"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	awsecsservice "github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	awsiampolicy "github.com/cdktf/cdktf-provider-aws-go/aws/v19/iampolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygrouprule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// The mixed fixture: resources written by hand with the provider bindings,
// as a team adds them next to our constructs. Every rule family of the
// policy pack has an insecure resource here, and most have a secure twin,
// so the checker and trivy can be compared on both verdicts.

// mixedFixture synthesizes the fixture once per test binary.
var mixedFixture = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	s := stacktest.SynthStack(t, "test", defineMixed)
	s.Name = "mixed"
	return s
})

func doc(statements ...iampolicy.Statement) *string {
	return jsii.String(iampolicy.New(statements...).JSON())
}

// bucket creates a bucket; secure adds every companion the S3 rules want.
func bucket(stack cdktf.TerraformStack, id string, key kmskey.KmsKey, secure bool) s3bucket.S3Bucket {
	b := s3bucket.NewS3Bucket(stack, jsii.String(id), &s3bucket.S3BucketConfig{Bucket: jsii.String("policy-fixture-" + id)})
	if !secure {
		return b
	}
	s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(stack, jsii.String(id+"_pab"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket: b.Id(), BlockPublicAcls: jsii.Bool(true), BlockPublicPolicy: jsii.Bool(true), IgnorePublicAcls: jsii.Bool(true), RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String(id+"_sse"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: b.Id(),
		Rule: &[]*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
				SseAlgorithm: jsii.String("aws:kms"), KmsMasterKeyId: key.Arn(),
			},
		}},
	})
	s3bucketversioning.NewS3BucketVersioningA(stack, jsii.String(id+"_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket: b.Id(), VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
	})
	s3bucketpolicy.NewS3BucketPolicy(stack, jsii.String(id+"_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: b.Id(),
		Policy: doc(iampolicy.Statement{
			Sid: "DenyInsecureTransport", Effect: "Deny", Principal: iampolicy.AWS("*"), Action: []string{"s3:*"},
			Resource:  []string{*b.Arn(), *b.Arn() + "/*"},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
		}),
	})
	return b
}

func defineMixed(stack cdktf.TerraformStack) {
	addProvider(stack)
	account := testAccount
	root := iampolicy.AWS("arn:aws:iam::" + account + ":root")

	// KMS
	rotated := kmskey.NewKmsKey(stack, jsii.String("rotated_key"), &kmskey.KmsKeyConfig{
		EnableKeyRotation: jsii.Bool(true),
		Policy:            doc(iampolicy.Statement{Sid: "Root", Effect: "Allow", Principal: root, Action: []string{"kms:*"}, Resource: []string{"*"}}),
	})
	kmskey.NewKmsKey(stack, jsii.String("static_key"), &kmskey.KmsKeyConfig{
		EnableKeyRotation: jsii.Bool(false),
		Policy:            doc(iampolicy.Statement{Sid: "NoPrincipal", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{"*"}}),
	})

	// S3: an open bucket with a public-read policy, an unversioned log
	// bucket, and secure twins.
	open := bucket(stack, "open_bucket", rotated, false)
	s3bucketpolicy.NewS3BucketPolicy(stack, jsii.String("open_bucket_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: open.Id(),
		Policy: doc(iampolicy.Statement{Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: []string{"s3:GetObject"}, Resource: []string{*open.Arn() + "/*"}}),
	})
	insecureLogs := bucket(stack, "insecure_logs", rotated, false)
	bucket(stack, "secure_bucket", rotated, true)
	secureLogs := bucket(stack, "secure_logs", rotated, true)

	// Network
	main := vpc.NewVpc(stack, jsii.String("unlogged_vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.20.0.0/16")})
	logged := vpc.NewVpc(stack, jsii.String("logged_vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.30.0.0/16")})
	flowGroup := cloudwatchloggroup.NewCloudwatchLogGroup(stack, jsii.String("flow_log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name: jsii.String("/policy-fixture/flow"), KmsKeyId: rotated.Arn(), RetentionInDays: jsii.Number(365),
	})
	flowRole := iamrole.NewIamRole(stack, jsii.String("flow_role"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: doc(iampolicy.Statement{
			Effect: "Allow", Principal: iampolicy.Service("vpc-flow-logs.amazonaws.com"), Action: []string{"sts:AssumeRole"},
			Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}},
		}),
	})
	flowlog.NewFlowLog(stack, jsii.String("flow_log"), &flowlog.FlowLogConfig{
		VpcId: logged.Id(), TrafficType: jsii.String("ALL"), LogDestination: flowGroup.Arn(), IamRoleArn: flowRole.Arn(),
	})
	pubA := subnet.NewSubnet(stack, jsii.String("public_subnet"), &subnet.SubnetConfig{
		VpcId: main.Id(), CidrBlock: jsii.String("10.20.0.0/24"), AvailabilityZone: jsii.String(testRegion + "a"), MapPublicIpOnLaunch: jsii.Bool(true),
	})
	pubB := subnet.NewSubnet(stack, jsii.String("private_subnet"), &subnet.SubnetConfig{
		VpcId: main.Id(), CidrBlock: jsii.String("10.20.1.0/24"), AvailabilityZone: jsii.String(testRegion + "b"), MapPublicIpOnLaunch: jsii.Bool(false),
	})

	bastion := securitygroup.NewSecurityGroup(stack, jsii.String("bastion"), &securitygroup.SecurityGroupConfig{
		Name: jsii.String("policy-fixture-bastion"), Description: jsii.String("bastion"), VpcId: main.Id(),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("ssh_from_anywhere"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: bastion.Id(), Description: jsii.String("ssh from anywhere"),
		IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(22), ToPort: jsii.Number(22), CidrIpv4: jsii.String("0.0.0.0/0"),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("ssh_from_office"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: bastion.Id(), Description: jsii.String("ssh from the office"),
		IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(22), ToPort: jsii.Number(22), CidrIpv4: jsii.String("203.0.113.0/24"),
	})
	securitygrouprule.NewSecurityGroupRule(stack, jsii.String("rdp_from_anywhere"), &securitygrouprule.SecurityGroupRuleConfig{
		Type: jsii.String("ingress"), SecurityGroupId: bastion.Id(), Description: jsii.String("rdp"),
		Protocol: jsii.String("tcp"), FromPort: jsii.Number(3389), ToPort: jsii.Number(3389), Ipv6CidrBlocks: jsii.Strings("::/0"),
	})
	securitygroup.NewSecurityGroup(stack, jsii.String("debug"), &securitygroup.SecurityGroupConfig{
		Name: jsii.String("policy-fixture-debug"), Description: jsii.String("debug port"), VpcId: main.Id(),
		Ingress: &[]*securitygroup.SecurityGroupIngress{{
			Description: jsii.String("debug"), Protocol: jsii.String("tcp"), FromPort: jsii.Number(8080), ToPort: jsii.Number(8080), CidrBlocks: jsii.Strings("0.0.0.0/0"),
		}},
	})
	appSG := securitygroup.NewSecurityGroup(stack, jsii.String("app"), &securitygroup.SecurityGroupConfig{
		Name: jsii.String("policy-fixture-app"), Description: jsii.String("app without a load balancer"), VpcId: main.Id(),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("app_https_from_anywhere"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: appSG.Id(), Description: jsii.String("https straight to the app"),
		IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(443), ToPort: jsii.Number(443), CidrIpv4: jsii.String("0.0.0.0/0"),
	})
	albSG := securitygroup.NewSecurityGroup(stack, jsii.String("alb_sg"), &securitygroup.SecurityGroupConfig{
		Name: jsii.String("policy-fixture-alb"), Description: jsii.String("public alb"), VpcId: main.Id(),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("alb_https_from_anywhere"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: albSG.Id(), Description: jsii.String("https to the alb"),
		IpProtocol: jsii.String("tcp"), FromPort: jsii.Number(443), ToPort: jsii.Number(443), CidrIpv4: jsii.String("0.0.0.0/0"),
	})

	// Logs and SNS
	cloudwatchloggroup.NewCloudwatchLogGroup(stack, jsii.String("plain_logs"), &cloudwatchloggroup.CloudwatchLogGroupConfig{Name: jsii.String("/policy-fixture/plain")})
	snstopic.NewSnsTopic(stack, jsii.String("plain_topic"), &snstopic.SnsTopicConfig{Name: jsii.String("policy-fixture-plain")})
	snstopic.NewSnsTopic(stack, jsii.String("encrypted_topic"), &snstopic.SnsTopicConfig{Name: jsii.String("policy-fixture-encrypted"), KmsMasterKeyId: rotated.Arn()})

	// IAM
	awsiampolicy.NewIamPolicy(stack, jsii.String("admin_policy"), &awsiampolicy.IamPolicyConfig{
		Name:   jsii.String("policy-fixture-admin"),
		Policy: doc(iampolicy.Statement{Effect: "Allow", Action: []string{"*"}, Resource: []string{"*"}}),
	})
	awsiampolicy.NewIamPolicy(stack, jsii.String("scoped_policy"), &awsiampolicy.IamPolicyConfig{
		Name:   jsii.String("policy-fixture-scoped"),
		Policy: doc(iampolicy.Statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{*secureLogs.Arn() + "/*"}}),
	})
	taskRole := iamrole.NewIamRole(stack, jsii.String("task_role"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: doc(iampolicy.Statement{Effect: "Allow", Principal: iampolicy.Service("ecs-tasks.amazonaws.com"), Action: []string{"sts:AssumeRole"}}),
	})
	iamrolepolicy.NewIamRolePolicy(stack, jsii.String("writer_policy"), &iamrolepolicy.IamRolePolicyConfig{
		Role:   taskRole.Id(),
		Policy: doc(iampolicy.Statement{Effect: "Allow", Action: []string{"s3:PutObject"}, Resource: []string{"*"}}),
	})

	// ECR and ECS
	ecrrepository.NewEcrRepository(stack, jsii.String("mutable_repo"), &ecrrepository.EcrRepositoryConfig{Name: jsii.String("policy-fixture-mutable")})
	ecrrepository.NewEcrRepository(stack, jsii.String("immutable_repo"), &ecrrepository.EcrRepositoryConfig{
		Name: jsii.String("policy-fixture-immutable"), ImageTagMutability: jsii.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecrrepository.EcrRepositoryImageScanningConfiguration{ScanOnPush: jsii.Bool(true)},
		EncryptionConfiguration:    &[]*ecrrepository.EcrRepositoryEncryptionConfiguration{{EncryptionType: jsii.String("KMS"), KmsKey: rotated.Arn()}},
	})
	plainCluster := ecscluster.NewEcsCluster(stack, jsii.String("plain_cluster"), &ecscluster.EcsClusterConfig{Name: jsii.String("policy-fixture-plain")})
	ecscluster.NewEcsCluster(stack, jsii.String("insights_cluster"), &ecscluster.EcsClusterConfig{
		Name:    jsii.String("policy-fixture-insights"),
		Setting: &[]*ecscluster.EcsClusterSetting{{Name: jsii.String("containerInsights"), Value: jsii.String("enabled")}},
	})
	rootTask := ecstaskdefinition.NewEcsTaskDefinition(stack, jsii.String("root_task"), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Family: jsii.String("policy-fixture-root"), NetworkMode: jsii.String("awsvpc"), RequiresCompatibilities: jsii.Strings("FARGATE"),
		Cpu: jsii.String("256"), Memory: jsii.String("512"),
		ContainerDefinitions: jsii.String(`[{"name":"app","image":"nginx:latest","essential":true,"privileged":true,` +
			`"environment":[{"name":"DB_PASSWORD","value":"hunter2"}]}]`),
	})
	ecstaskdefinition.NewEcsTaskDefinition(stack, jsii.String("hardened_task"), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Family: jsii.String("policy-fixture-hardened"), NetworkMode: jsii.String("awsvpc"), RequiresCompatibilities: jsii.Strings("FARGATE"),
		Cpu: jsii.String("256"), Memory: jsii.String("512"),
		ContainerDefinitions: jsii.String(`[{"name":"app","image":"public.ecr.aws/nginx/nginx:1.27.0","essential":true,"user":"1000:1000",` +
			`"readonlyRootFilesystem":true,"privileged":false,"environment":[{"name":"PORT","value":"8080"}]}]`),
	})
	awsecsservice.NewEcsService(stack, jsii.String("public_service"), &awsecsservice.EcsServiceConfig{
		Name: jsii.String("policy-fixture-public"), Cluster: plainCluster.Arn(), TaskDefinition: rootTask.Arn(), LaunchType: jsii.String("FARGATE"), DesiredCount: jsii.Number(1),
		NetworkConfiguration: &awsecsservice.EcsServiceNetworkConfiguration{
			Subnets: &[]*string{pubA.Id()}, SecurityGroups: &[]*string{appSG.Id()}, AssignPublicIp: jsii.Bool(true),
		},
	})

	// Load balancers: an insecure public ALB (its logs go to the
	// unversioned bucket), an internal hardened ALB, an internal NLB
	// without access logs.
	publicAlb := lb.NewLb(stack, jsii.String("public_alb"), &lb.LbConfig{
		Name: jsii.String("policy-fixture-public"), Internal: jsii.Bool(false), LoadBalancerType: jsii.String("application"),
		Subnets: &[]*string{pubA.Id(), pubB.Id()}, SecurityGroups: &[]*string{albSG.Id()}, DropInvalidHeaderFields: jsii.Bool(false),
		AccessLogs: &lb.LbAccessLogs{Bucket: insecureLogs.Id(), Enabled: jsii.Bool(true)},
	})
	lblistener.NewLbListener(stack, jsii.String("http_forward"), &lblistener.LbListenerConfig{
		LoadBalancerArn: publicAlb.Arn(), Port: jsii.Number(80), Protocol: jsii.String("HTTP"),
		DefaultAction: &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("forward"), TargetGroupArn: jsii.String("arn:aws:elasticloadbalancing:" + testRegion + ":" + account + ":targetgroup/app/0123456789abcdef")}},
	})
	lblistener.NewLbListener(stack, jsii.String("https_outdated"), &lblistener.LbListenerConfig{
		LoadBalancerArn: publicAlb.Arn(), Port: jsii.Number(443), Protocol: jsii.String("HTTPS"), SslPolicy: jsii.String("ELBSecurityPolicy-2016-08"),
		CertificateArn: jsii.String("arn:aws:acm:" + testRegion + ":" + account + ":certificate/00000000-0000-0000-0000-000000000000"),
		DefaultAction:  &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("fixed-response"), FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{ContentType: jsii.String("text/plain"), StatusCode: jsii.String("404")}}},
	})
	internalAlb := lb.NewLb(stack, jsii.String("internal_alb"), &lb.LbConfig{
		Name: jsii.String("policy-fixture-internal"), Internal: jsii.Bool(true), LoadBalancerType: jsii.String("application"),
		Subnets: &[]*string{pubA.Id(), pubB.Id()}, SecurityGroups: &[]*string{albSG.Id()}, DropInvalidHeaderFields: jsii.Bool(true),
		AccessLogs: &lb.LbAccessLogs{Bucket: secureLogs.Id(), Enabled: jsii.Bool(true)},
	})
	lblistener.NewLbListener(stack, jsii.String("http_redirect"), &lblistener.LbListenerConfig{
		LoadBalancerArn: internalAlb.Arn(), Port: jsii.Number(80), Protocol: jsii.String("HTTP"),
		DefaultAction: &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("redirect"), Redirect: &lblistener.LbListenerDefaultActionRedirect{
			Port: jsii.String("443"), Protocol: jsii.String("HTTPS"), StatusCode: jsii.String("HTTP_301"),
		}}},
	})
	lblistener.NewLbListener(stack, jsii.String("https_modern"), &lblistener.LbListenerConfig{
		LoadBalancerArn: internalAlb.Arn(), Port: jsii.Number(443), Protocol: jsii.String("HTTPS"), SslPolicy: jsii.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		CertificateArn: jsii.String("arn:aws:acm:" + testRegion + ":" + account + ":certificate/00000000-0000-0000-0000-000000000000"),
		DefaultAction:  &[]*lblistener.LbListenerDefaultAction{{Type: jsii.String("fixed-response"), FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{ContentType: jsii.String("text/plain"), StatusCode: jsii.String("404")}}},
	})
	lb.NewLb(stack, jsii.String("unlogged_nlb"), &lb.LbConfig{
		Name: jsii.String("policy-fixture-nlb"), Internal: jsii.Bool(true), LoadBalancerType: jsii.String("network"),
		Subnets: &[]*string{pubA.Id(), pubB.Id()},
	})

	// CloudTrail
	cloudtrail.NewCloudtrail(stack, jsii.String("weak_trail"), &cloudtrail.CloudtrailConfig{
		Name: jsii.String("policy-fixture-weak"), S3BucketName: insecureLogs.Id(),
	})
	cloudtrail.NewCloudtrail(stack, jsii.String("strong_trail"), &cloudtrail.CloudtrailConfig{
		Name: jsii.String("policy-fixture-strong"), S3BucketName: secureLogs.Id(), IsMultiRegionTrail: jsii.Bool(true),
		EnableLogFileValidation: jsii.Bool(true), KmsKeyId: rotated.Arn(),
	})
}
