package ecsservice_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	certArn      = "arn:aws:acm:" + region + ":" + account + ":certificate/00000000-0000-4000-8000-000000000000"
	image        = account + ".dkr.ecr." + region + ".amazonaws.com/web:1.4.2"
	imageRepo    = "arn:aws:ecr:" + region + ":" + account + ":repository/web"
	s3PrefixList = "pl-63a5400a"
	secretArn    = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:web/db-password"
	secretKeyArn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:web/api-AbCdEf:api_key::"
	paramArn     = "arn:aws:ssm:" + region + ":" + account + ":parameter/web/signing-key"
	secretsKey   = "arn:aws:kms:" + region + ":" + account + ":key/11111111-2222-4333-8444-555555555555"
)

// Literal text that Terraform would read as template syntax if not escaped.
const (
	greeting           = "hi ${USER} %{ if x }"
	taskPolicyResource = "arn:aws:s3:::api-assets/${aws:PrincipalTag/team}/*"
)

var (
	publicSubnets  = []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"}
	privateSubnets = []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"}
)

// baseConfig is the smallest valid config: everything else is a default.
func baseConfig() *ecsservice.HardenedEcsServiceConfig {
	return &ecsservice.HardenedEcsServiceConfig{
		AccountId:        account,
		Region:           region,
		VpcId:            "vpc-0123456789abcdef0",
		VpcCidr:          "10.0.0.0/16",
		PublicSubnetIds:  publicSubnets,
		PrivateSubnetIds: privateSubnets,
		Image:            image,
		ContainerPort:    5000,
		CertificateArn:   certArn,
		// Private ECR through the VPC's endpoints: layers come from S3.
		TaskEgressPrefixListIds: []string{s3PrefixList},
	}
}

// defaultSynth is the stack of baseConfig and its service.
type defaultSynth struct {
	stack stacktest.Stack
	svc   *ecsservice.HardenedEcsService
}

// synthDefaultOnce synthesizes baseConfig once per test binary.
var synthDefaultOnce = stacktest.Memo(func(t testing.TB) defaultSynth {
	var d defaultSynth
	d.stack = synthStack(t, defaultStackName, func(stack cdktf.TerraformStack) {
		svc, err := ecsservice.NewHardenedEcsService(stack, "web", baseConfig())
		require.NoError(t, err)
		d.svc = svc
	})
	return d
})

// synthDefault is the stack of baseConfig and its service, synthesized once
// per test binary.
func synthDefault(t *testing.T) (stacktest.Stack, *ecsservice.HardenedEcsService) {
	t.Helper()
	d := synthDefaultOnce(t)
	return d.stack, d.svc
}

// synthFull synthesizes, once per test binary, a service with every
// optional feature on, its network given as tokens of plain aws_vpc /
// aws_subnet resources.
var synthFull = stacktest.Memo(func(t testing.TB) stacktest.Stack {
	return synthStack(t, fullStackName, func(stack cdktf.TerraformStack) {
		v := vpc.NewVpc(stack, jsii.String("vpc"), &vpc.VpcConfig{CidrBlock: jsii.String("10.1.0.0/16")})
		sub := func(id, cidr, az string) string {
			return *subnet.NewSubnet(stack, jsii.String(id), &subnet.SubnetConfig{
				VpcId: v.Id(), CidrBlock: jsii.String(cidr), AvailabilityZone: jsii.String(az),
			}).Id()
		}
		svc, err := ecsservice.NewHardenedEcsService(stack, "api-svc", &ecsservice.HardenedEcsServiceConfig{
			AccountId:                 account,
			Region:                    region,
			Name:                      "api",
			VpcId:                     *v.Id(),
			VpcCidr:                   *v.CidrBlock(),
			PublicSubnetIds:           []string{sub("pub_a", "10.1.0.0/24", region+"a"), sub("pub_b", "10.1.1.0/24", region+"b")},
			PrivateSubnetIds:          []string{sub("priv_a", "10.1.10.0/24", region+"a"), sub("priv_b", "10.1.11.0/24", region+"b")},
			Internal:                  true,
			CreateEcrRepository:       true,
			ImageTag:                  "1.4.2",
			ContainerPort:             8080,
			CertificateDomainName:     "api.example.com",
			Route53ZoneId:             "Z0123456789ABCDEFGHIJ",
			DesiredCountVariable:      "api_desired_count",
			EnableExecuteCommand:      true,
			Cpu:                       new(1024),
			MemoryMiB:                 new(2048),
			CpuArchitecture:           "ARM64",
			User:                      "10001:10001",
			Environment:               map[string]string{"LOG_LEVEL": "info", "APP_ENV": "prod", "TOKEN_URL": "https://auth.example.com/token", "GREETING": greeting},
			AllowPlainEnvironment:     []string{"TOKEN_URL"},
			Secrets:                   map[string]string{"DB_PASSWORD": secretArn, "API_KEY": secretKeyArn, "SIGNING_KEY": paramArn},
			SecretsKmsKeyArns:         []string{secretsKey},
			TaskEgressPrefixListIds:   []string{"pl-63a5400a"},
			RequestsPerTarget:         new(500),
			DisableDeletionProtection: true,
			DesyncMitigationMode:      "strictest",
			SslPolicy:                 "ELBSecurityPolicy-TLS13-1-3-2021-06",
		})
		require.NoError(t, err)
		_, err = svc.AddTaskRolePolicy("read-bucket", iampolicy.New(iampolicy.Statement{
			Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::api-assets/*", taskPolicyResource},
		}).JSON())
		require.NoError(t, err)
	})
})

// strToken is a string token of this app (an expression only Terraform
// can evaluate), listToken a list token.
func strToken() string { return *cdktf.Fn_Upper(jsii.String("x")) }

func listToken() []string {
	l := *cdktf.Fn_Split(jsii.String(","), jsii.String("a,b"))
	return []string{*l[0]}
}

func ref(s stacktest.Stack, t *testing.T, typ, path, attr string) string {
	return "${" + s.Ref(t, typ, path) + "." + attr + "}"
}

func strs(r gjson.Result) []string {
	var out []string
	for _, x := range r.Array() {
		out = append(out, x.String())
	}
	return out
}

// byPath returns the resources of typ whose construct path ends with one of
// the "/<name>" suffixes starting with prefix.
func byPrefix(s stacktest.Stack, typ, prefix string) []gjson.Result {
	var out []gjson.Result
	for _, r := range s.Resources(typ) {
		p := r.Get(`//.metadata.path`).String()
		if strings.Contains(p, "/"+prefix) {
			out = append(out, r)
		}
	}
	return out
}

func TestDefaults_Cluster(t *testing.T) {
	s, svc := synthDefault(t)
	c := s.Resource(t, "aws_ecs_cluster", "web/cluster")
	assert.Equal(t, "web", c.Get("name").String())
	assert.JSONEq(t, `[{"name":"containerInsights","value":"enabled"}]`, c.Get("setting").Raw)
	assert.False(t, c.Get("configuration").Exists(), "no ECS Exec configuration when exec is off")
	assert.Equal(t, "web", svc.Config.Name, "Name defaults to the construct ID")
}

func TestDefaults_Service(t *testing.T) {
	s, _ := synthDefault(t)
	r := s.Resource(t, "aws_ecs_service", "web/service")
	assert.Equal(t, "web", r.Get("name").String())
	assert.Equal(t, ref(s, t, "aws_ecs_cluster", "web/cluster", "arn"), r.Get("cluster").String())
	assert.Equal(t, ref(s, t, "aws_ecs_task_definition", "web/task_definition", "arn"), r.Get("task_definition").String())
	assert.Equal(t, "FARGATE", r.Get("launch_type").String())
	assert.Equal(t, "LATEST", r.Get("platform_version").String())
	assert.EqualValues(t, 2, r.Get("desired_count").Int())
	assert.Equal(t, []string{"desired_count"}, strs(r.Get("lifecycle.ignore_changes")), "autoscaling owns the count")
	assert.Equal(t, false, r.Get("network_configuration.assign_public_ip").Value())
	assert.Equal(t, privateSubnets, strs(r.Get("network_configuration.subnets")))
	assert.Equal(t, []string{ref(s, t, "aws_security_group", "web/task_security_group", "id")}, strs(r.Get("network_configuration.security_groups")))
	assert.JSONEq(t, `{"enable":true,"rollback":true}`, r.Get("deployment_circuit_breaker").Raw)
	assert.Equal(t, "ECS", r.Get("deployment_controller.type").String())
	assert.EqualValues(t, 100, r.Get("deployment_minimum_healthy_percent").Int())
	assert.EqualValues(t, 200, r.Get("deployment_maximum_percent").Int())
	assert.EqualValues(t, 60, r.Get("health_check_grace_period_seconds").Int(), "the container's start period")
	assert.Equal(t, "SERVICE", r.Get("propagate_tags").String())
	assert.Equal(t, true, r.Get("enable_ecs_managed_tags").Value())
	assert.Equal(t, false, r.Get("enable_execute_command").Value())
	lbs := r.Get("load_balancer").Array()
	require.Len(t, lbs, 1)
	assert.Equal(t, ref(s, t, "aws_lb_target_group", "web/target_group", "arn"), lbs[0].Get("target_group_arn").String())
	assert.Equal(t, "app", lbs[0].Get("container_name").String())
	assert.EqualValues(t, 5000, lbs[0].Get("container_port").Int())
	assert.Equal(t, []string{s.Ref(t, "aws_lb_listener", "web/https_listener")}, strs(r.Get("depends_on")))
	assert.Empty(t, s.Get("variable").Map(), "no desired-count variable by default")
}

func TestDefaults_TaskDefinition(t *testing.T) {
	s, _ := synthDefault(t)
	td := s.Resource(t, "aws_ecs_task_definition", "web/task_definition")
	assert.Equal(t, "web", td.Get("family").String())
	assert.Equal(t, "awsvpc", td.Get("network_mode").String())
	assert.Equal(t, []string{"FARGATE"}, strs(td.Get("requires_compatibilities")))
	assert.Equal(t, "256", td.Get("cpu").String())
	assert.Equal(t, "512", td.Get("memory").String())
	assert.JSONEq(t, `{"cpu_architecture":"X86_64","operating_system_family":"LINUX"}`, td.Get("runtime_platform").Raw)
	assert.JSONEq(t, `[{"name":"tmp"}]`, td.Get("volume").Raw, "a task volume without host path: Fargate scratch space")
	assert.Equal(t, ref(s, t, "aws_iam_role", "web/execution_role", "arn"), td.Get("execution_role_arn").String())
	assert.Equal(t, ref(s, t, "aws_iam_role", "web/task_role", "arn"), td.Get("task_role_arn").String())

	defs := stacktest.JSONDocument(t, td, "container_definitions").Array()
	require.Len(t, defs, 1)
	c := defs[0]
	assert.Equal(t, "app", c.Get("name").String())
	assert.Equal(t, image, c.Get("image").String())
	assert.Equal(t, true, c.Get("essential").Value())
	assert.Equal(t, "1000:1000", c.Get("user").String(), "non-root by default")
	assert.Equal(t, true, c.Get("readonlyRootFilesystem").Value())
	assert.Equal(t, false, c.Get("privileged").Value())
	assert.Equal(t, []string{"ALL"}, strs(c.Get("linuxParameters.capabilities.drop")))
	assert.Empty(t, c.Get("linuxParameters.capabilities.add").Array())
	assert.Equal(t, true, c.Get("linuxParameters.initProcessEnabled").Value())
	assert.JSONEq(t, `[{"containerPort":5000,"hostPort":5000,"protocol":"tcp"}]`, c.Get("portMappings").Raw)
	assert.JSONEq(t, `[{"sourceVolume":"tmp","containerPath":"/tmp","readOnly":false}]`, c.Get("mountPoints").Raw)
	assert.JSONEq(t, `{"command":["CMD-SHELL","curl -f http://localhost:5000/health || exit 1"],"interval":30,"timeout":5,"retries":3,"startPeriod":60}`,
		c.Get("healthCheck").Raw, "the seed's health check")
	assert.Equal(t, "[]", c.Get("environment").Raw)
	assert.False(t, c.Get("secrets").Exists())
	assert.Equal(t, "awslogs", c.Get("logConfiguration.logDriver").String())
	assert.Equal(t, ref(s, t, "aws_cloudwatch_log_group", "web/log_group", "name"), c.Get("logConfiguration.options.awslogs-group").String())
	assert.Equal(t, region, c.Get("logConfiguration.options.awslogs-region").String())
	assert.Equal(t, "ecs", c.Get("logConfiguration.options.awslogs-stream-prefix").String())
}

func TestDefaults_LogsAndKey(t *testing.T) {
	s, _ := synthDefault(t)
	lg := s.Resource(t, "aws_cloudwatch_log_group", "web/log_group")
	assert.Equal(t, "/ecs/web", lg.Get("name").String())
	assert.EqualValues(t, 365, lg.Get("retention_in_days").Int())
	assert.Equal(t, ref(s, t, "aws_kms_key", "web/key", "arn"), lg.Get("kms_key_id").String())
	assert.Len(t, s.Resources("aws_cloudwatch_log_group"), 1, "no exec log group while ECS Exec is off")

	key := s.Resource(t, "aws_kms_key", "web/key")
	assert.Equal(t, true, key.Get("enable_key_rotation").Value())
	pol := stacktest.JSONDocument(t, key, "policy")
	assert.Equal(t, "logs."+region+".amazonaws.com", pol.Get(`Statement.#(Sid=="AllowCloudWatchLogs").Principal.Service`).String())
	assert.Equal(t, "alias/web-ecs", s.Resource(t, "aws_kms_alias", "web/key_alias").Get("name").String())
}

func TestDefaults_IAM(t *testing.T) {
	s, _ := synthDefault(t)
	for _, path := range []string{"web/execution_role", "web/task_role"} {
		role := s.Resource(t, "aws_iam_role", path)
		trust := stacktest.JSONDocument(t, role, "assume_role_policy")
		require.Len(t, trust.Get("Statement").Array(), 1)
		st := trust.Get("Statement.0")
		assert.Equal(t, "ecs-tasks.amazonaws.com", st.Get("Principal.Service").String())
		assert.Equal(t, []string{"sts:AssumeRole"}, strs(st.Get("Action")))
		assert.Equal(t, account, st.Get(`Condition.StringEquals.aws:SourceAccount`).String())
		assert.Equal(t, "arn:aws:ecs:"+region+":"+account+":*", st.Get(`Condition.ArnLike.aws:SourceArn`).String())
		assert.False(t, role.Get("managed_policy_arns").Exists(), "no managed policy on %s", path)
	}
	assert.Equal(t, "web-execution", s.Resource(t, "aws_iam_role", "web/execution_role").Get("name").String())
	assert.Equal(t, "web-task", s.Resource(t, "aws_iam_role", "web/task_role").Get("name").String())
	assert.Empty(t, s.Resources("aws_iam_role_policy_attachment"), "AmazonECSTaskExecutionRolePolicy is not attached")

	// One inline policy in the stack: the execution role's. The task role is empty.
	require.Len(t, s.Resources("aws_iam_role_policy"), 1)
	p := s.Resource(t, "aws_iam_role_policy", "web/execution_policy")
	assert.Equal(t, ref(s, t, "aws_iam_role", "web/execution_role", "id"), p.Get("role").String())
	doc := stacktest.JSONDocument(t, p, "policy")
	// Pull from exactly the image's repository (derived from Image), and
	// the log group's streams.
	assert.JSONEq(t, `[{"Sid":"EcrAuthorization","Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":["*"]},`+
		`{"Sid":"EcrPull","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":["`+imageRepo+`"]},`+
		`{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["`+
		ref(s, t, "aws_cloudwatch_log_group", "web/log_group", "arn")+`:log-stream:*"]}]`, doc.Get("Statement").Raw)
}

func TestDefaults_SecurityGroups(t *testing.T) {
	s, _ := synthDefault(t)
	albSG := ref(s, t, "aws_security_group", "web/alb_security_group", "id")
	taskSG := ref(s, t, "aws_security_group", "web/task_security_group", "id")
	for _, path := range []string{"web/alb_security_group", "web/task_security_group"} {
		sg := s.Resource(t, "aws_security_group", path)
		assert.Equal(t, "vpc-0123456789abcdef0", sg.Get("vpc_id").String())
		assert.False(t, sg.Get("ingress").Exists(), "rules are separate resources")
		assert.False(t, sg.Get("egress").Exists())
		assert.NotEmpty(t, sg.Get("description").String())
	}

	type rule struct {
		SG, Proto, Cidr, Ref, PL string
		From, To                 int64
	}
	collect := func(typ string) []rule {
		var out []rule
		for _, r := range s.Resources(typ) {
			assert.NotEmpty(t, r.Get("description").String())
			out = append(out, rule{r.Get("security_group_id").String(), r.Get("ip_protocol").String(), r.Get("cidr_ipv4").String(),
				r.Get("referenced_security_group_id").String(), r.Get("prefix_list_id").String(), r.Get("from_port").Int(), r.Get("to_port").Int()})
		}
		return out
	}
	// The ALB is open to the internet on 443 and 80 (redirect only): by design.
	assert.ElementsMatch(t, []rule{
		{SG: albSG, Proto: "tcp", Cidr: "0.0.0.0/0", From: 443, To: 443},
		{SG: albSG, Proto: "tcp", Cidr: "0.0.0.0/0", From: 80, To: 80},
		{SG: taskSG, Proto: "tcp", Ref: albSG, From: 5000, To: 5000},
	}, collect("aws_vpc_security_group_ingress_rule"))
	assert.ElementsMatch(t, []rule{
		{SG: albSG, Proto: "tcp", Ref: taskSG, From: 5000, To: 5000},
		{SG: taskSG, Proto: "tcp", Cidr: "10.0.0.0/16", From: 443, To: 443},
		{SG: taskSG, Proto: "tcp", PL: s3PrefixList, From: 443, To: 443},
	}, collect("aws_vpc_security_group_egress_rule"))
	assert.Empty(t, s.Resources("aws_security_group_rule"))
}

func TestDefaults_LoadBalancer(t *testing.T) {
	s, _ := synthDefault(t)
	alb := s.Resource(t, "aws_lb", "web/alb")
	assert.Equal(t, "web-alb", alb.Get("name").String())
	assert.Equal(t, "application", alb.Get("load_balancer_type").String())
	assert.Equal(t, false, alb.Get("internal").Value())
	assert.Equal(t, publicSubnets, strs(alb.Get("subnets")))
	assert.Equal(t, []string{ref(s, t, "aws_security_group", "web/alb_security_group", "id")}, strs(alb.Get("security_groups")))
	assert.Equal(t, true, alb.Get("drop_invalid_header_fields").Value())
	assert.Equal(t, true, alb.Get("enable_deletion_protection").Value())
	assert.Equal(t, "defensive", alb.Get("desync_mitigation_mode").String())
	assert.EqualValues(t, 60, alb.Get("idle_timeout").Int())
	assert.Equal(t, ref(s, t, "aws_s3_bucket", "web/access_logs", "id"), alb.Get("access_logs.bucket").String())
	assert.Equal(t, "alb", alb.Get("access_logs.prefix").String())
	assert.Equal(t, true, alb.Get("access_logs.enabled").Value())
	assert.Equal(t, []string{s.Ref(t, "aws_s3_bucket_policy", "web/access_logs_policy")}, strs(alb.Get("depends_on")))

	tg := s.Resource(t, "aws_lb_target_group", "web/target_group")
	assert.Equal(t, "web-tg", tg.Get("name").String())
	assert.Equal(t, "ip", tg.Get("target_type").String())
	assert.EqualValues(t, 5000, tg.Get("port").Int())
	assert.Equal(t, "HTTP", tg.Get("protocol").String())
	assert.Equal(t, "vpc-0123456789abcdef0", tg.Get("vpc_id").String())
	assert.Equal(t, "30", tg.Get("deregistration_delay").String())
	assert.JSONEq(t, `{"enabled":true,"protocol":"HTTP","port":"traffic-port","path":"/health","matcher":"200","interval":30,"timeout":5,"healthy_threshold":3,"unhealthy_threshold":3}`,
		tg.Get("health_check").Raw)

	https := s.Resource(t, "aws_lb_listener", "web/https_listener")
	assert.Equal(t, ref(s, t, "aws_lb", "web/alb", "arn"), https.Get("load_balancer_arn").String())
	assert.EqualValues(t, 443, https.Get("port").Int())
	assert.Equal(t, "HTTPS", https.Get("protocol").String())
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", https.Get("ssl_policy").String())
	assert.Equal(t, certArn, https.Get("certificate_arn").String())
	assert.JSONEq(t, `[{"type":"forward","target_group_arn":"`+ref(s, t, "aws_lb_target_group", "web/target_group", "arn")+`"}]`, https.Get("default_action").Raw)

	http := s.Resource(t, "aws_lb_listener", "web/http_listener")
	assert.EqualValues(t, 80, http.Get("port").Int())
	assert.Equal(t, "HTTP", http.Get("protocol").String())
	assert.JSONEq(t, `[{"type":"redirect","redirect":{"protocol":"HTTPS","port":"443","status_code":"HTTP_301"}}]`, http.Get("default_action").Raw,
		"HTTP only redirects")
	assert.Empty(t, s.Resources("aws_acm_certificate"), "an existing certificate ARN creates no certificate")
}

func TestDefaults_AccessLogsBucket(t *testing.T) {
	s, _ := synthDefault(t)
	b := s.Resource(t, "aws_s3_bucket", "web/access_logs")
	assert.Equal(t, "web-alb-logs-"+account+"-"+region, b.Get("bucket").String())
	bucket := ref(s, t, "aws_s3_bucket", "web/access_logs", "id")
	arn := ref(s, t, "aws_s3_bucket", "web/access_logs", "arn")

	sse := s.Resource(t, "aws_s3_bucket_server_side_encryption_configuration", "web/access_logs_encryption")
	assert.Equal(t, bucket, sse.Get("bucket").String())
	assert.Equal(t, "AES256", sse.Get("rule.0.apply_server_side_encryption_by_default.sse_algorithm").String(), "ALB access logs need SSE-S3")
	bpa := s.Resource(t, "aws_s3_bucket_public_access_block", "web/access_logs_public_access_block")
	for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		assert.Equal(t, true, bpa.Get(k).Value(), k)
	}
	own := s.Resource(t, "aws_s3_bucket_ownership_controls", "web/access_logs_ownership")
	assert.Equal(t, "BucketOwnerEnforced", own.Get("rule.object_ownership").String())
	lc := s.Resource(t, "aws_s3_bucket_lifecycle_configuration", "web/access_logs_lifecycle")
	assert.EqualValues(t, 365, lc.Get("rule.0.expiration.0.days").Int())
	assert.EqualValues(t, 30, lc.Get("rule.0.noncurrent_version_expiration.0.noncurrent_days").Int())
	assert.Equal(t, "Enabled", s.Resource(t, "aws_s3_bucket_versioning", "web/access_logs_versioning").Get("versioning_configuration.status").String())

	pol := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "web/access_logs_policy"), "policy")
	assert.Equal(t, "false", pol.Get(`Statement.#(Sid=="DenyInsecureTransport").Condition.Bool.aws:SecureTransport`).String())
	deliver := pol.Get(`Statement.#(Sid=="AllowElbAccessLogDelivery")`)
	// The test region opened before August 2022: the regional ELB account writes.
	assert.Equal(t, "arn:aws:iam::"+elbAccount+":root", deliver.Get("Principal.AWS").String())
	assert.Equal(t, []string{"s3:PutObject"}, strs(deliver.Get("Action")))
	assert.Equal(t, []string{arn + "/alb/AWSLogs/" + account + "/*"}, strs(deliver.Get("Resource")))
}

func TestAccessLogsStatement_Regions(t *testing.T) {
	old := ecsservice.AccessLogsStatement("aws", "eu-west-1", "111122223333", "arn:aws:s3:::b")
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::156460612806:root"}, old.Principal)
	// Regions that opened after August 2022 use the log-delivery service principal.
	newer := ecsservice.AccessLogsStatement("aws", "eu-south-2", "111122223333", "arn:aws:s3:::b")
	assert.Equal(t, map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, newer.Principal)
	assert.Equal(t, []string{"arn:aws:s3:::b/alb/AWSLogs/111122223333/*"}, newer.Resource)
	gov := ecsservice.AccessLogsStatement("aws-us-gov", "us-gov-west-1", "111122223333", "arn:aws-us-gov:s3:::b")
	assert.Equal(t, map[string]any{"AWS": "arn:aws-us-gov:iam::048591011584:root"}, gov.Principal)
}

func TestDefaults_Autoscaling(t *testing.T) {
	s, _ := synthDefault(t)
	tgt := s.Resource(t, "aws_appautoscaling_target", "web/scalable_target")
	assert.Equal(t, "ecs", tgt.Get("service_namespace").String())
	assert.Equal(t, "ecs:service:DesiredCount", tgt.Get("scalable_dimension").String())
	assert.Equal(t, "service/"+ref(s, t, "aws_ecs_cluster", "web/cluster", "name")+"/"+ref(s, t, "aws_ecs_service", "web/service", "name"), tgt.Get("resource_id").String())
	assert.EqualValues(t, 2, tgt.Get("min_capacity").Int())
	assert.EqualValues(t, 4, tgt.Get("max_capacity").Int())

	require.Len(t, s.Resources("aws_appautoscaling_policy"), 2, "no request-count policy by default")
	for path, want := range map[string]struct {
		metric string
		target int64
	}{"web/cpu_scaling": {"ECSServiceAverageCPUUtilization", 70}, "web/memory_scaling": {"ECSServiceAverageMemoryUtilization", 80}} {
		p := s.Resource(t, "aws_appautoscaling_policy", path)
		assert.Equal(t, "TargetTrackingScaling", p.Get("policy_type").String())
		assert.Equal(t, ref(s, t, "aws_appautoscaling_target", "web/scalable_target", "resource_id"), p.Get("resource_id").String())
		c := p.Get("target_tracking_scaling_policy_configuration")
		assert.Equal(t, want.metric, c.Get("predefined_metric_specification.predefined_metric_type").String())
		assert.Equal(t, want.target, c.Get("target_value").Int())
		assert.EqualValues(t, 300, c.Get("scale_in_cooldown").Int())
		assert.EqualValues(t, 60, c.Get("scale_out_cooldown").Int())
	}
}

func TestDefaults_NoOptionalResources(t *testing.T) {
	s, _ := synthDefault(t)
	for _, typ := range []string{"aws_ecr_repository", "aws_ecr_lifecycle_policy", "aws_acm_certificate", "aws_route53_record", "aws_acm_certificate_validation"} {
		assert.Empty(t, s.Resources(typ), typ)
	}
}

func TestDefaults_Outputs(t *testing.T) {
	s, svc := synthDefault(t)
	want := map[string]string{
		"web_alb_dns_name":            ref(s, t, "aws_lb", "web/alb", "dns_name"),
		"web_alb_zone_id":             ref(s, t, "aws_lb", "web/alb", "zone_id"),
		"web_alb_arn":                 ref(s, t, "aws_lb", "web/alb", "arn"),
		"web_alb_arn_suffix":          ref(s, t, "aws_lb", "web/alb", "arn_suffix"),
		"web_target_group_arn_suffix": ref(s, t, "aws_lb_target_group", "web/target_group", "arn_suffix"),
		"web_service_name":            ref(s, t, "aws_ecs_service", "web/service", "name"),
		"web_service_arn":             ref(s, t, "aws_ecs_service", "web/service", "id"),
		"web_cluster_name":            ref(s, t, "aws_ecs_cluster", "web/cluster", "name"),
		"web_cluster_arn":             ref(s, t, "aws_ecs_cluster", "web/cluster", "arn"),
		"web_log_group_name":          ref(s, t, "aws_cloudwatch_log_group", "web/log_group", "name"),
		"web_alb_security_group_id":   ref(s, t, "aws_security_group", "web/alb_security_group", "id"),
		"web_task_security_group_id":  ref(s, t, "aws_security_group", "web/task_security_group", "id"),
		"web_execution_role_arn":      ref(s, t, "aws_iam_role", "web/execution_role", "arn"),
		"web_task_role_arn":           ref(s, t, "aws_iam_role", "web/task_role", "arn"),
	}
	got := map[string]string{}
	s.Get("output").ForEach(func(k, v gjson.Result) bool {
		got[k.String()] = v.Get("value").String()
		return true
	})
	assert.Equal(t, want, got)
	// The exposed Go values are the same attributes.
	assert.Equal(t, "web-alb", svc.Config.LoadBalancerName)
	assert.Equal(t, "web-tg", svc.Config.TargetGroupName)
}

func TestDeterministic(t *testing.T) {
	s, _ := synthDefault(t)
	again := synthStack(t, defaultStackName, func(stack cdktf.TerraformStack) {
		_, err := ecsservice.NewHardenedEcsService(stack, "web", baseConfig())
		require.NoError(t, err)
	})
	assert.Equal(t, string(s.Raw), string(again.Raw))
}

func TestSnapshot(t *testing.T) {
	s, _ := synthDefault(t)
	stacktest.Snapshot(t, s)
}

func TestFull_ECR(t *testing.T) {
	s := synthFull(t)
	repo := s.Resource(t, "aws_ecr_repository", "api-svc/repository")
	assert.Equal(t, "api", repo.Get("name").String())
	assert.Equal(t, "IMMUTABLE", repo.Get("image_tag_mutability").String())
	assert.Equal(t, true, repo.Get("image_scanning_configuration.scan_on_push").Value())
	assert.JSONEq(t, `[{"encryption_type":"KMS","kms_key":"`+ref(s, t, "aws_kms_key", "api-svc/key", "arn")+`"}]`, repo.Get("encryption_configuration").Raw)
	lc := stacktest.JSONDocument(t, s.Resource(t, "aws_ecr_lifecycle_policy", "api-svc/repository_lifecycle"), "policy")
	assert.Equal(t, "untagged", lc.Get("rules.0.selection.tagStatus").String())
	assert.EqualValues(t, 7, lc.Get("rules.0.selection.countNumber").Int())
	assert.Equal(t, "imageCountMoreThan", lc.Get("rules.1.selection.countType").String())
	assert.EqualValues(t, 30, lc.Get("rules.1.selection.countNumber").Int())

	c := stacktest.JSONDocument(t, s.Resource(t, "aws_ecs_task_definition", "api-svc/task_definition"), "container_definitions").Get("0")
	assert.Equal(t, ref(s, t, "aws_ecr_repository", "api-svc/repository", "repository_url")+":1.4.2", c.Get("image").String())

	doc := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", "api-svc/execution_policy"), "policy")
	assert.Equal(t, []string{"*"}, strs(doc.Get(`Statement.#(Sid=="EcrAuthorization").Resource`)))
	assert.Equal(t, []string{"ecr:GetAuthorizationToken"}, strs(doc.Get(`Statement.#(Sid=="EcrAuthorization").Action`)))
	assert.Equal(t, []string{ref(s, t, "aws_ecr_repository", "api-svc/repository", "arn")}, strs(doc.Get(`Statement.#(Sid=="EcrPull").Resource`)))
	assert.Equal(t, []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, strs(doc.Get(`Statement.#(Sid=="EcrPull").Action`)))
}

func TestFull_ContainerAndSecrets(t *testing.T) {
	s := synthFull(t)
	td := s.Resource(t, "aws_ecs_task_definition", "api-svc/task_definition")
	assert.Equal(t, "1024", td.Get("cpu").String())
	assert.Equal(t, "2048", td.Get("memory").String())
	assert.Equal(t, "ARM64", td.Get("runtime_platform.cpu_architecture").String())
	c := stacktest.JSONDocument(t, td, "container_definitions").Get("0")
	assert.Equal(t, "10001:10001", c.Get("user").String())
	assert.Equal(t, "curl -f http://localhost:8080/health || exit 1", c.Get("healthCheck.command.1").String())
	// "${" and "%{" are escaped for Terraform (the plan test checks that ECS gets them as written).
	assert.JSONEq(t, `[{"name":"APP_ENV","value":"prod"},{"name":"GREETING","value":"hi $${USER} %%{ if x }"},{"name":"LOG_LEVEL","value":"info"},{"name":"TOKEN_URL","value":"https://auth.example.com/token"}]`, c.Get("environment").Raw)
	assert.JSONEq(t, `[{"name":"API_KEY","valueFrom":"`+secretKeyArn+`"},{"name":"DB_PASSWORD","valueFrom":"`+secretArn+`"},{"name":"SIGNING_KEY","valueFrom":"`+paramArn+`"}]`, c.Get("secrets").Raw)

	doc := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", "api-svc/execution_policy"), "policy")
	// Exactly the listed secrets: the JSON-key suffix is cut; each ARN is
	// granted as given (full ARN) and with AWS's 6-character wildcard (partial ARN).
	assert.Equal(t, []string{
		"arn:aws:secretsmanager:" + region + ":" + account + ":secret:web/api-AbCdEf",
		"arn:aws:secretsmanager:" + region + ":" + account + ":secret:web/api-AbCdEf-??????",
		secretArn, secretArn + "-??????",
	},
		strs(doc.Get(`Statement.#(Sid=="ReadSecrets").Resource`)))
	assert.Equal(t, []string{"secretsmanager:GetSecretValue"}, strs(doc.Get(`Statement.#(Sid=="ReadSecrets").Action`)))
	assert.Equal(t, []string{paramArn}, strs(doc.Get(`Statement.#(Sid=="ReadParameters").Resource`)))
	assert.Equal(t, []string{"ssm:GetParameters"}, strs(doc.Get(`Statement.#(Sid=="ReadParameters").Action`)))
	dec := doc.Get(`Statement.#(Sid=="DecryptSecrets")`)
	assert.Equal(t, []string{"kms:Decrypt"}, strs(dec.Get("Action")))
	assert.Equal(t, []string{secretsKey}, strs(dec.Get("Resource")))
	assert.Equal(t, []string{"secretsmanager." + region + ".amazonaws.com", "ssm." + region + ".amazonaws.com"}, strs(dec.Get(`Condition.StringEquals.kms:ViaService`)))
	for _, st := range doc.Get("Statement").Array() {
		for _, r := range strs(st.Get("Resource")) {
			if r == "*" {
				assert.Equal(t, "EcrAuthorization", st.Get("Sid").String(), "only GetAuthorizationToken may use *")
			}
		}
	}
}

func TestFull_ExecAndTaskRole(t *testing.T) {
	s := synthFull(t)
	exec := s.Resource(t, "aws_cloudwatch_log_group", "api-svc/exec_log_group")
	assert.Equal(t, "/ecs/api/exec", exec.Get("name").String())
	assert.Equal(t, ref(s, t, "aws_kms_key", "api-svc/key", "arn"), exec.Get("kms_key_id").String())
	cl := s.Resource(t, "aws_ecs_cluster", "api-svc/cluster")
	ecc := cl.Get("configuration.execute_command_configuration")
	assert.Equal(t, "OVERRIDE", ecc.Get("logging").String())
	assert.Equal(t, ref(s, t, "aws_kms_key", "api-svc/key", "arn"), ecc.Get("kms_key_id").String())
	assert.Equal(t, true, ecc.Get("log_configuration.cloud_watch_encryption_enabled").Value())
	assert.Equal(t, ref(s, t, "aws_cloudwatch_log_group", "api-svc/exec_log_group", "name"), ecc.Get("log_configuration.cloud_watch_log_group_name").String())
	assert.Equal(t, true, s.Resource(t, "aws_ecs_service", "api-svc/service").Get("enable_execute_command").Value())

	taskRole := ref(s, t, "aws_iam_role", "api-svc/task_role", "id")
	execPol := s.Resource(t, "aws_iam_role_policy", "api-svc/task_policy_exec")
	assert.Equal(t, taskRole, execPol.Get("role").String())
	doc := stacktest.JSONDocument(t, execPol, "policy")
	assert.Equal(t, []string{"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"},
		strs(doc.Get(`Statement.#(Sid=="EcsExecChannels").Action`)))
	assert.Equal(t, []string{ref(s, t, "aws_cloudwatch_log_group", "api-svc/exec_log_group", "arn") + ":log-stream:*"}, strs(doc.Get(`Statement.#(Sid=="EcsExecLogs").Resource`)))

	added := s.Resource(t, "aws_iam_role_policy", "api-svc/task_policy_read-bucket")
	assert.Equal(t, taskRole, added.Get("role").String())
	assert.Equal(t, "read-bucket", added.Get("name").String())
	assert.Equal(t, []string{"arn:aws:s3:::api-assets/*", "arn:aws:s3:::api-assets/$${aws:PrincipalTag/team}/*"}, strs(stacktest.JSONDocument(t, added, "policy").Get("Statement.0.Resource")),
		"IAM policy variables are escaped for Terraform")
}

func TestFull_DesiredCountVariable(t *testing.T) {
	s := synthFull(t)
	v := s.Get("variable.api_desired_count")
	require.True(t, v.Exists())
	assert.Equal(t, "number", v.Get("type").String())
	assert.EqualValues(t, 2, v.Get("default").Int())
	svc := s.Resource(t, "aws_ecs_service", "api-svc/service")
	assert.Equal(t, "${var.api_desired_count}", svc.Get("desired_count").String())
	assert.False(t, svc.Get("lifecycle.ignore_changes").Exists(), "the variable owns desired_count, so changes are not ignored")
	tgt := s.Resource(t, "aws_appautoscaling_target", "api-svc/scalable_target")
	assert.Equal(t, "${min(var.api_desired_count, 2)}", tgt.Get("min_capacity").String(), "scaling to zero also lowers the autoscaling minimum")
}

func TestFull_NetworkTokensInternalAndCertificate(t *testing.T) {
	s := synthFull(t)
	vpcID := ref(s, t, "aws_vpc", "vpc", "id")
	vpcCidr := ref(s, t, "aws_vpc", "vpc", "cidr_block")
	alb := s.Resource(t, "aws_lb", "api-svc/alb")
	assert.Equal(t, true, alb.Get("internal").Value())
	assert.Equal(t, false, alb.Get("enable_deletion_protection").Value())
	assert.Equal(t, "strictest", alb.Get("desync_mitigation_mode").String())
	assert.Equal(t, []string{ref(s, t, "aws_subnet", "pub_a", "id"), ref(s, t, "aws_subnet", "pub_b", "id")}, strs(alb.Get("subnets")))
	assert.Equal(t, vpcID, s.Resource(t, "aws_lb_target_group", "api-svc/target_group").Get("vpc_id").String())
	assert.Equal(t, []string{ref(s, t, "aws_subnet", "priv_a", "id"), ref(s, t, "aws_subnet", "priv_b", "id")},
		strs(s.Resource(t, "aws_ecs_service", "api-svc/service").Get("network_configuration.subnets")))

	// An internal ALB accepts the VPC only; tasks reach the VPC's endpoints and the S3 prefix list.
	albIngress := byPrefix(s, "aws_vpc_security_group_ingress_rule", "alb_ingress")
	require.Len(t, albIngress, 2)
	for _, r := range albIngress {
		assert.Equal(t, vpcCidr, r.Get("cidr_ipv4").String())
	}
	assert.Equal(t, vpcCidr, s.Resource(t, "aws_vpc_security_group_egress_rule", "api-svc/task_egress_https_0").Get("cidr_ipv4").String())
	pl := s.Resource(t, "aws_vpc_security_group_egress_rule", "api-svc/task_egress_prefix_list_0")
	assert.Equal(t, "pl-63a5400a", pl.Get("prefix_list_id").String())
	assert.EqualValues(t, 443, pl.Get("from_port").Int())

	cert := s.Resource(t, "aws_acm_certificate", "api-svc/certificate")
	assert.Equal(t, "api.example.com", cert.Get("domain_name").String())
	assert.Equal(t, "DNS", cert.Get("validation_method").String())
	rec := s.Resource(t, "aws_route53_record", "api-svc/certificate_validation_record")
	assert.Equal(t, "Z0123456789ABCDEFGHIJ", rec.Get("zone_id").String())
	// Keyed by the configured names (known at plan time), values from the
	// certificate's domain_validation_options.
	assert.Equal(t, `${toset(["api.example.com"])}`, rec.Get("for_each").String())
	assert.Contains(t, rec.Get("name").String(), s.Ref(t, "aws_acm_certificate", "api-svc/certificate")+".domain_validation_options")
	val := s.Resource(t, "aws_acm_certificate_validation", "api-svc/certificate_validation")
	assert.Equal(t, ref(s, t, "aws_acm_certificate", "api-svc/certificate", "arn"), val.Get("certificate_arn").String())
	assert.Equal(t, "${[for r in "+s.Ref(t, "aws_route53_record", "api-svc/certificate_validation_record")+" : r.fqdn]}", val.Get("validation_record_fqdns").String())
	https := s.Resource(t, "aws_lb_listener", "api-svc/https_listener")
	assert.Equal(t, ref(s, t, "aws_acm_certificate_validation", "api-svc/certificate_validation", "certificate_arn"), https.Get("certificate_arn").String())
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-3-2021-06", https.Get("ssl_policy").String())

	req := s.Resource(t, "aws_appautoscaling_policy", "api-svc/requests_scaling")
	spec := req.Get("target_tracking_scaling_policy_configuration")
	assert.Equal(t, "ALBRequestCountPerTarget", spec.Get("predefined_metric_specification.predefined_metric_type").String())
	assert.Equal(t, ref(s, t, "aws_lb", "api-svc/alb", "arn_suffix")+"/"+ref(s, t, "aws_lb_target_group", "api-svc/target_group", "arn_suffix"),
		spec.Get("predefined_metric_specification.resource_label").String())
	assert.EqualValues(t, 500, spec.Get("target_value").Int())
}

// Plain HTTP is a dev-only opt-in: no HTTPS listener, HTTP forwards, only 80 is open.
func TestAllowPlainHttp(t *testing.T) {
	s := synthStack(t, "service-cluster", func(stack cdktf.TerraformStack) {
		cfg := baseConfig()
		cfg.CertificateArn = ""
		cfg.AllowPlainHttp = true
		cfg.ClusterArn = "arn:aws:ecs:" + region + ":" + account + ":cluster/shared"
		cfg.EcrRepositoryArn = "arn:aws:ecr:" + region + ":" + account + ":repository/web"
		cfg.Image = account + ".dkr.ecr." + region + ".amazonaws.com/web@sha256:" + strings.Repeat("ab", 32)
		cfg.RunAsRoot = true
		cfg.WritableRootFilesystem = true
		_, err := ecsservice.NewHardenedEcsService(stack, "dev", cfg)
		require.NoError(t, err)
	})
	assert.Len(t, s.Resources("aws_lb_listener"), 1)
	http := s.Resource(t, "aws_lb_listener", "dev/http_listener")
	assert.Equal(t, "forward", http.Get("default_action.0.type").String())
	ingress := s.Resources("aws_vpc_security_group_ingress_rule")
	var ports []int64
	for _, r := range ingress {
		if r.Get("cidr_ipv4").Exists() {
			ports = append(ports, r.Get("from_port").Int())
		}
	}
	assert.Equal(t, []int64{80}, ports)
	assert.Equal(t, []string{s.Ref(t, "aws_lb_listener", "dev/http_listener")}, strs(s.Resource(t, "aws_ecs_service", "dev/service").Get("depends_on")))

	// An existing cluster: no cluster resource, its name is parsed from the ARN.
	assert.Empty(t, s.Resources("aws_ecs_cluster"))
	assert.Equal(t, "arn:aws:ecs:"+region+":"+account+":cluster/shared", s.Resource(t, "aws_ecs_service", "dev/service").Get("cluster").String())
	assert.True(t, strings.HasPrefix(s.Resource(t, "aws_appautoscaling_target", "dev/scalable_target").Get("resource_id").String(), "service/shared/"))
	// Existing repository: pull permission on it only.
	doc := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", "dev/execution_policy"), "policy")
	assert.Equal(t, []string{"arn:aws:ecr:" + region + ":" + account + ":repository/web"}, strs(doc.Get(`Statement.#(Sid=="EcrPull").Resource`)))
	// The explicit opt-outs.
	c := stacktest.JSONDocument(t, s.Resource(t, "aws_ecs_task_definition", "dev/task_definition"), "container_definitions").Get("0")
	assert.False(t, c.Get("user").Exists())
	assert.Equal(t, false, c.Get("readonlyRootFilesystem").Value())
	assert.Equal(t, []string{"ALL"}, strs(c.Get("linuxParameters.capabilities.drop")), "capabilities stay dropped")
}

// An existing cluster given as a token: its name is cut from the ARN by
// Terraform, for the autoscaling resource ID.
func TestClusterArnToken(t *testing.T) {
	s := synthStack(t, "service-shared-cluster", func(stack cdktf.TerraformStack) {
		shared := ecscluster.NewEcsCluster(stack, jsii.String("shared"), &ecscluster.EcsClusterConfig{Name: jsii.String("shared")})
		cfg := baseConfig()
		cfg.ClusterArn = *shared.Arn()
		_, err := ecsservice.NewHardenedEcsService(stack, "web", cfg)
		require.NoError(t, err)
	})
	arn := s.Ref(t, "aws_ecs_cluster", "shared") + ".arn"
	assert.Len(t, s.Resources("aws_ecs_cluster"), 1)
	assert.Equal(t, "${"+arn+"}", s.Resource(t, "aws_ecs_service", "web/service").Get("cluster").String())
	rid := s.Resource(t, "aws_appautoscaling_target", "web/scalable_target").Get("resource_id").String()
	assert.True(t, strings.HasPrefix(rid, `service/${element(split("/", `+arn+`), 1)}/`), rid)
}

// packagePlans plans the package's stacks in one Terraform run: the
// default, full, unusual and composed stacks, in that order. Whichever test
// asks first (TestComposed, TestPlan_UnusualConfigs, TestTerraformPlan)
// makes the run; the others find their plans made.
func packagePlans(t *testing.T) []*stacktest.Plan {
	t.Helper()
	def, _ := synthDefault(t)
	return stacktest.PlanStacks(t, def, synthFull(t), unusualStack(t), composedShop(t).stack)
}

// scanPackageStacks starts the package's one trivy run
// (stacktest.ScanInBackground) over every stack its tests scan: s (the
// attach test's, which only that test builds), the default, full and
// composed stacks. Each test's stacktest.Scan takes its findings from it.
func scanPackageStacks(t *testing.T, s stacktest.Stack) {
	t.Helper()
	def, _ := synthDefault(t)
	stacktest.ScanInBackground(s, def, synthFull(t), composedShop(t).stack)
}

// TestTerraformPlan validates and plans both stacks offline with the real
// provider (see packagePlans).
func TestTerraformPlan(t *testing.T) {
	def, _ := synthDefault(t)
	full := synthFull(t)
	plans := packagePlans(t)
	for i, st := range []stacktest.Stack{def, full} {
		t.Run([]string{"default", "full"}[i], func(t *testing.T) {
			plan := plans[i]
			plan.RequireOnly(t, tfjson.ActionCreate, tfjson.ActionRead)
			created := plan.Addresses(tfjson.ActionCreate)
			for _, typ := range []string{"aws_ecs_service", "aws_ecs_task_definition", "aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_iam_role", "aws_appautoscaling_target"} {
				for id := range st.Resources(typ) {
					assert.Contains(t, created, typ+"."+id)
				}
			}
			svcID := ""
			for id := range st.Resources("aws_ecs_service") {
				svcID = id
			}
			ch := plan.Change("aws_ecs_service." + svcID)
			require.NotNil(t, ch)
			after := ch.Change.After.(map[string]any)
			nc := after["network_configuration"].([]any)[0].(map[string]any)
			assert.Equal(t, false, nc["assign_public_ip"])
			assert.Equal(t, "FARGATE", after["launch_type"])
			assert.EqualValues(t, 2, after["desired_count"])
			if i != 1 { // the rest is about the full stack
				return
			}
			// Literal "${...}" reaches AWS as written: Terraform did not read
			// it as interpolation. (The container definitions are unknown
			// until the repository exists; unescaped, the GREETING value
			// "hi ${USER} %{ if x }" would already fail terraform validate.)
			pol := plan.Change(st.Ref(t, "aws_iam_role_policy", "api-svc/task_policy_read-bucket"))
			require.NotNil(t, pol)
			assert.Contains(t, gjson.Parse(pol.Change.After.(map[string]any)["policy"].(string)).Get("Statement.0.Resource").Raw, taskPolicyResource)
		})
	}
}

// TestValidate_Accepts covers inputs that must pass.
func TestValidate_Accepts(t *testing.T) {
	for name, mut := range map[string]func(c *ecsservice.HardenedEcsServiceConfig){
		"tag": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.AllowTaskEgressToInternet = "nginx:1.27.0", true
		},
		"digest": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.AllowTaskEgressToInternet = "nginx@sha256:"+strings.Repeat("0f", 32), true
		},
		"tag and digest": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.AllowTaskEgressToInternet = "nginx:1.27.0@sha256:"+strings.Repeat("0f", 32), true
		},
		"registry on port 443": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.AllowTaskEgressToInternet = "registry.example.com:443/team/app:v2", true
		},
		"token before tag": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.EcrRepositoryArn = strToken()+":v2", imageRepo
		},
		"token image from another registry": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.AllowTaskEgressToInternet = strToken()+":v2", true
		},
		"ecr digest tag": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image, c.CreateEcrRepository, c.ImageTag = "", true, "sha256:"+strings.Repeat("a", 64)
		},
		"16 vCPU":                func(c *ecsservice.HardenedEcsServiceConfig) { c.Cpu, c.MemoryMiB = new(16384), new(122880) },
		"token subnet list":      func(c *ecsservice.HardenedEcsServiceConfig) { c.PublicSubnetIds = listToken() },
		"explicit plain http":    func(c *ecsservice.HardenedEcsServiceConfig) { c.CertificateArn, c.AllowPlainHttp = "", true },
		"internet egress":        func(c *ecsservice.HardenedEcsServiceConfig) { c.VpcCidr, c.AllowTaskEgressToInternet = "", true },
		"uid only":               func(c *ecsservice.HardenedEcsServiceConfig) { c.User = "1001" },
		"name at 28":             func(c *ecsservice.HardenedEcsServiceConfig) { c.Name = strings.Repeat("a", 28) },
		"platform 1.3.0":         func(c *ecsservice.HardenedEcsServiceConfig) { c.PlatformVersion = "1.3.0" },
		"health path with query": func(c *ecsservice.HardenedEcsServiceConfig) { c.HealthCheckPath = "/health?a=1&b=2" },
		"private egress ranges": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.TaskEgressCidrBlocks = []string{"10.0.0.0/16", "172.16.0.0/12", "192.168.1.0/24", "100.64.0.0/10"}
		},
		"egress inside a public VPC CIDR": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.VpcCidr, c.TaskEgressCidrBlocks = "203.0.113.0/24", []string{"203.0.113.0/25"}
		},
		"log group name with #": func(c *ecsservice.HardenedEcsServiceConfig) { c.LogGroupName = "/ecs/web#1" },
		"image at 255": func(c *ecsservice.HardenedEcsServiceConfig) {
			c.Image = account + ".dkr.ecr." + region + ".amazonaws.com/" + strings.Repeat("a", 208) + ":1"
		},
		"expiration at 100 years": func(c *ecsservice.HardenedEcsServiceConfig) { c.AccessLogsExpirationDays = new(36500) },
	} {
		t.Run(name, func(t *testing.T) {
			c := baseConfig()
			mut(c)
			assert.NoError(t, c.Validate("web"))
		})
	}
}

// TestValidate_Rejects has one case per validation rule: each breaks one
// rule of an otherwise valid config and expects exactly that problem.
func TestValidate_Rejects(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	cases := []struct {
		name  string
		mut   func(c *C)
		field string
	}{
		{"account ID", func(c *C) { c.AccountId = "1234" }, "AccountId"},
		{"region", func(c *C) { c.Region = "useast1" }, "Region"},
		{"name characters", func(c *C) { c.Name = "Web_App" }, "Name"},
		{"name too long for the role", func(c *C) {
			c.Name, c.LoadBalancerName, c.TargetGroupName, c.AccessLogsBucketName = strings.Repeat("a", 60), "x-alb", "x-tg", "x-logs"
		}, "Name"},
		{"ALB name too long after generation", func(c *C) { c.Name = strings.Repeat("a", 29) }, "LoadBalancerName"},
		{"target group name too long", func(c *C) { c.TargetGroupName = strings.Repeat("t", 33) }, "TargetGroupName"},
		{"ALB name internal- prefix", func(c *C) { c.LoadBalancerName = "internal-web" }, "LoadBalancerName"},
		{"VPC ID", func(c *C) { c.VpcId = "vpc-xyz" }, "VpcId"},
		{"VPC CIDR", func(c *C) { c.VpcCidr = "10.0.0.1/16" }, "VpcCidr"},
		{"one public subnet", func(c *C) { c.PublicSubnetIds = publicSubnets[:1] }, "PublicSubnetIds"},
		{"no private subnet", func(c *C) { c.PrivateSubnetIds = nil }, "PrivateSubnetIds"},
		{"subnet ID", func(c *C) { c.PrivateSubnetIds = []string{"sn-1"} }, "PrivateSubnetIds[0]"},
		{"duplicate subnet", func(c *C) { c.PublicSubnetIds = []string{publicSubnets[0], publicSubnets[0]} }, "PublicSubnetIds"},
		{"internal ALB without CIDRs", func(c *C) { c.Internal, c.VpcCidr, c.TaskEgressCidrBlocks = true, "", []string{"10.0.0.0/16"} }, "IngressCidrBlocks"},
		{"ingress CIDR", func(c *C) { c.IngressCidrBlocks = []string{"1.2.3.4"} }, "IngressCidrBlocks[0]"},
		{"no task egress", func(c *C) { c.VpcCidr = "" }, "TaskEgressCidrBlocks"},
		{"task egress to internet without opt-in", func(c *C) { c.TaskEgressCidrBlocks = []string{"0.0.0.0/0"} }, "TaskEgressCidrBlocks[0]"},
		{"prefix list", func(c *C) { c.TaskEgressPrefixListIds = []string{"s3"} }, "TaskEgressPrefixListIds[0]"},
		{"cluster ARN", func(c *C) { c.ClusterArn = "shared" }, "ClusterArn"},
		{"exec with existing cluster", func(c *C) {
			c.ClusterArn, c.EnableExecuteCommand = "arn:aws:ecs:"+region+":"+account+":cluster/x", true
		}, "EnableExecuteCommand"},
		{"container insights", func(c *C) { c.ContainerInsights = "disabled" }, "ContainerInsights"},
		{"platform version", func(c *C) { c.PlatformVersion = "1.2.0" }, "PlatformVersion"},
		{"desired count", func(c *C) { c.DesiredCount, c.MinCapacity, c.MaxCapacity = new(-1), new(1), new(2) }, "DesiredCount"},
		{"desired count variable", func(c *C) { c.DesiredCountVariable = "1count" }, "DesiredCountVariable"},
		{"desired count variable reserved by Terraform", func(c *C) { c.DesiredCountVariable = "count" }, "DesiredCountVariable"},
		{"platform 1.3.0 with 16 vCPU", func(c *C) { c.PlatformVersion, c.Cpu, c.MemoryMiB = "1.3.0", new(16384), new(32768) }, "PlatformVersion"},
		{"platform 1.3.0 with ARM64", func(c *C) { c.PlatformVersion, c.CpuArchitecture = "1.3.0", "ARM64" }, "PlatformVersion"},
		{"platform 1.3.0 with ECS Exec", func(c *C) { c.PlatformVersion, c.EnableExecuteCommand = "1.3.0", true }, "PlatformVersion"},
		{"cluster in another region", func(c *C) { c.ClusterArn = "arn:aws:ecs:" + otherRegion + ":" + account + ":cluster/shared" }, "ClusterArn"},
		{"cluster in another account", func(c *C) { c.ClusterArn = "arn:aws:ecs:" + region + ":210987654321:cluster/shared" }, "ClusterArn"},
		{"name starting with sg-", func(c *C) { c.Name = "sg-app" }, "Name"},
		{"image longer than 255", func(c *C) {
			c.Image = account + ".dkr.ecr." + region + ".amazonaws.com/" + strings.Repeat("a", 209) + ":1"
		}, "Image"},
		{"registry on a port tasks cannot reach", func(c *C) {
			c.Image, c.AllowTaskEgressToInternet = "registry.local:5000/team/app:v2", true
		}, "Image"},
		{"public image without internet egress", func(c *C) { c.Image = "public.ecr.aws/docker/library/python:3.12-alpine" }, "Image"},
		{"invalid digest", func(c *C) { c.Image, c.AllowTaskEgressToInternet = "nginx@sha256:abc", true }, "Image"},
		{"token image without repository", func(c *C) { c.Image = strToken() + ":v2" }, "Image"},
		{"ECR image without the S3 prefix list", func(c *C) { c.TaskEgressPrefixListIds = nil }, "TaskEgressPrefixListIds"},
		{"repository ARN of another repository", func(c *C) { c.EcrRepositoryArn = imageRepo + "-other" }, "EcrRepositoryArn"},
		{"ECR image longer than 255", func(c *C) {
			c.Image, c.CreateEcrRepository, c.ImageTag, c.EcrRepositoryName = "", true, "1", strings.Repeat("a", 230)
		}, "EcrRepositoryName"},
		{"task egress to half the internet", func(c *C) { c.TaskEgressCidrBlocks = []string{"10.0.0.0/16", "0.0.0.0/1"} }, "TaskEgressCidrBlocks[1]"},
		{"task egress to a public range", func(c *C) { c.TaskEgressCidrBlocks = []string{"8.8.8.0/24"} }, "TaskEgressCidrBlocks[0]"},
		{"task egress outside the VPC CIDR", func(c *C) {
			c.VpcCidr, c.TaskEgressCidrBlocks = "203.0.113.0/24", []string{"203.0.112.0/23"}
		}, "TaskEgressCidrBlocks[0]"},
		{"empty ingress CIDR without VpcCidr", func(c *C) {
			c.VpcCidr, c.TaskEgressCidrBlocks, c.IngressCidrBlocks = "", []string{"10.0.0.0/16"}, []string{""}
		}, "IngressCidrBlocks[0]"},
		{"empty egress CIDR without VpcCidr", func(c *C) { c.VpcCidr, c.TaskEgressCidrBlocks = "", []string{""} }, "TaskEgressCidrBlocks[0]"},
		{"duplicate ingress CIDR", func(c *C) { c.IngressCidrBlocks = []string{"192.0.2.0/24", "192.0.2.0/24"} }, "IngressCidrBlocks"},
		{"duplicate egress CIDR", func(c *C) { c.TaskEgressCidrBlocks = []string{"10.0.0.0/16", "10.0.0.0/16"} }, "TaskEgressCidrBlocks"},
		{"duplicate prefix list", func(c *C) { c.TaskEgressPrefixListIds = []string{"pl-63a5400a", "pl-63a5400a"} }, "TaskEgressPrefixListIds"},
		{"health path with shell command", func(c *C) { c.HealthCheckPath = "/health;reboot" }, "HealthCheckPath"},
		{"health path with substitution", func(c *C) { c.HealthCheckPath = "/health$(id)" }, "HealthCheckPath"},
		{"health path with quote", func(c *C) { c.HealthCheckPath = "/health'x" }, "HealthCheckPath"},
		{"health path with pipe", func(c *C) { c.HealthCheckPath = "/health|true" }, "HealthCheckPath"},
		{"health path with template", func(c *C) { c.HealthCheckPath = "/h${x}" }, "HealthCheckPath"},
		{"health path too long", func(c *C) { c.HealthCheckPath = "/" + strings.Repeat("a", 1024) }, "HealthCheckPath"},
		{"log group name with comma", func(c *C) { c.LogGroupName = "/ecs/a,b" }, "LogGroupName"},
		{"access log expiration overflow", func(c *C) { c.AccessLogsExpirationDays = new(math.MaxInt) }, "AccessLogsExpirationDays"},
		{"access log expiration above 100 years", func(c *C) { c.AccessLogsExpirationDays = new(36501) }, "AccessLogsExpirationDays"},
		{"min healthy percent", func(c *C) { c.DeploymentMinimumHealthyPercent = new(150) }, "DeploymentMinimumHealthyPercent"},
		{"max percent not above min", func(c *C) { c.DeploymentMaximumPercent = new(100) }, "DeploymentMaximumPercent"},
		{"grace period negative", func(c *C) { c.HealthCheckGracePeriodSeconds = new(-1) }, "HealthCheckGracePeriodSeconds"},
		{"grace period shorter than the start period", func(c *C) { c.HealthCheckGracePeriodSeconds = new(59) }, "HealthCheckGracePeriodSeconds"},
		{"CPU size", func(c *C) { c.Cpu = new(300) }, "Cpu"},
		{"CPU/memory pair", func(c *C) { c.Cpu, c.MemoryMiB = new(256), new(4096) }, "MemoryMiB"},
		{"CPU architecture", func(c *C) { c.CpuArchitecture = "arm64" }, "CpuArchitecture"},
		{"container name", func(c *C) { c.ContainerName = "-app" }, "ContainerName"},
		{"latest image", func(c *C) { c.Image = "nginx:latest" }, "Image"},
		{"untagged image", func(c *C) { c.Image = "public.ecr.aws/docker/library/nginx" }, "Image"},
		{"untagged image behind registry port", func(c *C) { c.Image = "registry.local:5000/app" }, "Image"},
		{"token image without tag", func(c *C) { c.Image = strToken() }, "Image"},
		{"missing image", func(c *C) { c.Image = "" }, "Image"},
		{"ImageTag without CreateEcrRepository", func(c *C) { c.ImageTag = "1.0" }, "ImageTag"},
		{"Image with CreateEcrRepository", func(c *C) { c.CreateEcrRepository, c.ImageTag = true, "1.0" }, "Image"},
		{"CreateEcrRepository without tag", func(c *C) { c.Image, c.CreateEcrRepository = "", true }, "ImageTag"},
		{"latest ImageTag", func(c *C) { c.Image, c.CreateEcrRepository, c.ImageTag = "", true, "latest" }, "ImageTag"},
		{"ECR repository name", func(c *C) { c.Image, c.CreateEcrRepository, c.ImageTag, c.EcrRepositoryName = "", true, "1", "Web" }, "EcrRepositoryName"},
		{"ECR max images", func(c *C) { c.Image, c.CreateEcrRepository, c.ImageTag, c.EcrMaxImageCount = "", true, "1", new(-1) }, "EcrMaxImageCount"},
		{"ECR repository ARN", func(c *C) { c.EcrRepositoryArn = "web" }, "EcrRepositoryArn"},
		{"both ECR options", func(c *C) {
			c.Image, c.CreateEcrRepository, c.ImageTag, c.EcrRepositoryArn = "", true, "1", "arn:aws:ecr:"+region+":"+account+":repository/web"
		}, "EcrRepositoryArn"},
		{"port zero", func(c *C) { c.ContainerPort = 0 }, "ContainerPort"},
		{"port above 65535", func(c *C) { c.ContainerPort = 70000 }, "ContainerPort"},
		{"port negative", func(c *C) { c.ContainerPort = -1 }, "ContainerPort"},
		{"root UID", func(c *C) { c.User = "0:0" }, "User"},
		{"user name", func(c *C) { c.User = "root" }, "User"},
		{"user with RunAsRoot", func(c *C) { c.RunAsRoot, c.User = true, "1000" }, "User"},
		{"secret in plain env var", func(c *C) { c.Environment = map[string]string{"DB_PASSWORD": "hunter2"} }, "Environment[DB_PASSWORD]"},
		{"api key in plain env var", func(c *C) { c.Environment = map[string]string{"stripe_apikey": "sk_live"} }, "Environment[stripe_apikey]"},
		{"env var name", func(c *C) { c.Environment = map[string]string{"1X": "a"} }, "Environment[1X]"},
		{"env var also a secret", func(c *C) {
			c.Environment, c.Secrets = map[string]string{"DB_HOST": "x"}, map[string]string{"DB_HOST": secretArn}
		}, "Environment[DB_HOST]"},
		{"non-ARN secret", func(c *C) { c.Secrets = map[string]string{"DB_PASSWORD": "hunter2"} }, "Secrets[DB_PASSWORD]"},
		{"secret name", func(c *C) { c.Secrets = map[string]string{"DB-PASSWORD": secretArn} }, "Secrets[DB-PASSWORD]"},
		{"secrets KMS key", func(c *C) { c.SecretsKmsKeyArns = []string{"alias/x"} }, "SecretsKmsKeyArns[0]"},
		{"health check command", func(c *C) { c.HealthCheck.Command = []string{"curl -f localhost"} }, "HealthCheck.Command"},
		{"health check interval", func(c *C) { c.HealthCheck.IntervalSeconds = new(400) }, "HealthCheck.IntervalSeconds"},
		{"health check timeout", func(c *C) { c.HealthCheck.TimeoutSeconds = new(30) }, "HealthCheck.TimeoutSeconds"},
		{"health check retries", func(c *C) { c.HealthCheck.Retries = new(11) }, "HealthCheck.Retries"},
		{"health check start period", func(c *C) { c.HealthCheck.StartPeriodSeconds = new(301) }, "HealthCheck.StartPeriodSeconds"},
		{"log retention", func(c *C) { c.LogRetentionInDays = new(42) }, "LogRetentionInDays"},
		{"log group name reserved by AWS", func(c *C) { c.LogGroupName = "aws/ecs/web" }, "LogGroupName"},
		{"desync monitor", func(c *C) { c.DesyncMitigationMode = "monitor" }, "DesyncMitigationMode"},
		{"idle timeout", func(c *C) { c.IdleTimeoutSeconds = new(5000) }, "IdleTimeoutSeconds"},
		{"access log bucket", func(c *C) { c.AccessLogsBucketName = "Logs_Bucket" }, "AccessLogsBucketName"},
		{"access log expiration", func(c *C) { c.AccessLogsExpirationDays = new(-1) }, "AccessLogsExpirationDays"},
		{"outdated TLS policy", func(c *C) { c.SslPolicy = "ELBSecurityPolicy-2016-08" }, "SslPolicy"},
		{"seed's TLS 1.2 policy", func(c *C) { c.SslPolicy = "ELBSecurityPolicy-TLS-1-2-2017-01" }, "SslPolicy"},
		{"missing certificate", func(c *C) { c.CertificateArn = "" }, "CertificateArn"},
		{"two certificates", func(c *C) { c.CertificateDomainName, c.Route53ZoneId = "app.example.com", "Z123" }, "CertificateArn"},
		{"plain HTTP with certificate", func(c *C) { c.AllowPlainHttp = true }, "AllowPlainHttp"},
		{"certificate ARN", func(c *C) { c.CertificateArn = "arn:aws:iam::" + account + ":server-certificate/x" }, "CertificateArn"},
		{"certificate in another region", func(c *C) { c.CertificateArn = strings.Replace(certArn, region, otherRegion, 1) }, "CertificateArn"},
		{"certificate domain", func(c *C) { c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId = "", "App.Example.com", "Z123" }, "CertificateDomainName"},
		{"domain without zone", func(c *C) { c.CertificateArn, c.CertificateDomainName = "", "app.example.com" }, "Route53ZoneId"},
		{"zone without domain", func(c *C) { c.Route53ZoneId = "Z123" }, "Route53ZoneId"},
		{"SANs without domain", func(c *C) { c.CertificateSubjectAlternativeNames = []string{"www.example.com"} }, "CertificateSubjectAlternativeNames"},
		{"SAN", func(c *C) {
			c.CertificateArn, c.CertificateDomainName, c.Route53ZoneId, c.CertificateSubjectAlternativeNames = "", "app.example.com", "Z123", []string{"bad name"}
		}, "CertificateSubjectAlternativeNames[0]"},
		{"health path without slash", func(c *C) { c.HealthCheckPath = "health" }, "HealthCheckPath"},
		{"health matcher", func(c *C) { c.HealthCheckMatcher = "ok" }, "HealthCheckMatcher"},
		{"health matcher 5xx", func(c *C) { c.HealthCheckMatcher = "200-503" }, "HealthCheckMatcher"},
		{"health interval", func(c *C) { c.HealthCheckIntervalSeconds = new(3) }, "HealthCheckIntervalSeconds"},
		{"health timeout", func(c *C) { c.HealthCheckTimeoutSeconds = new(30) }, "HealthCheckTimeoutSeconds"},
		{"healthy threshold", func(c *C) { c.HealthyThreshold = new(1) }, "HealthyThreshold"},
		{"unhealthy threshold", func(c *C) { c.UnhealthyThreshold = new(11) }, "UnhealthyThreshold"},
		{"deregistration delay", func(c *C) { c.DeregistrationDelaySeconds = new(4000) }, "DeregistrationDelaySeconds"},
		{"min capacity above desired", func(c *C) { c.MinCapacity = new(3) }, "MinCapacity"},
		{"max capacity below desired", func(c *C) { c.MaxCapacity = new(1) }, "MaxCapacity"},
		{"CPU target", func(c *C) { c.CpuTargetValue = new(95) }, "CpuTargetValue"},
		{"memory target", func(c *C) { c.MemoryTargetValue = new(5) }, "MemoryTargetValue"},
		{"requests per target", func(c *C) { c.RequestsPerTarget = new(-1) }, "RequestsPerTarget"},
		{"scale-in cooldown", func(c *C) { c.ScaleInCooldownSeconds = new(4000) }, "ScaleInCooldownSeconds"},
		{"scale-out cooldown", func(c *C) { c.ScaleOutCooldownSeconds = new(-5) }, "ScaleOutCooldownSeconds"},
	}
	require.NoError(t, baseConfig().Validate("web"), "the base config must be valid")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := baseConfig()
			tc.mut(c)
			err := c.Validate("web")
			var ve *validate.Error
			require.True(t, errors.As(err, &ve), "want a *validate.Error, got %v", err)
			var fields []string
			for _, p := range ve.Problems {
				fields = append(fields, p.Field)
			}
			assert.Equal(t, []string{tc.field}, fields, "%v", err)
		})
	}
	t.Run("nil config", func(t *testing.T) {
		var c *ecsservice.HardenedEcsServiceConfig
		assert.ErrorContains(t, c.Validate("web"), "config")
	})
}

// The constructor reports every problem at once and creates nothing.
func TestNew_InvalidCreatesNothing(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	cfg := baseConfig()
	cfg.Image = "nginx:latest"
	cfg.Cpu, cfg.MemoryMiB = new(512), new(512)
	cfg.CertificateArn = ""
	cfg.Environment = map[string]string{"API_TOKEN": "abc"}
	svc, err := ecsservice.NewHardenedEcsService(stack, "web", cfg)
	assert.Nil(t, svc)
	var ve *validate.Error
	require.True(t, errors.As(err, &ve))
	assert.Len(t, ve.Problems, 4, "%v", err)
	stacktest.RequireNoChildren(t, stack)
}

// The constructor checks scope and id with the config, in one error, and
// creates nothing (it used to panic or produce invalid Terraform names).
func TestNew_ScopeAndID(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		nilScope bool
		fields   []string
	}{
		{"nil scope", "web", true, []string{"scope"}},
		{"empty id", "", false, []string{"id"}},
		{"id starting with a digit", "1svc", false, []string{"id"}},
		{"id with a dot", "web.v2", false, []string{"id"}},
		{"duplicate id", "taken", false, []string{"id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := stacktest.TestingApp(t)
			stack := cdktf.NewTerraformStack(app, jsii.String("test"))
			constructs.NewConstruct(stack, jsii.String("taken"))
			var scope constructs.Construct = stack
			if tc.nilScope {
				scope = nil
			}
			cfg := baseConfig()
			cfg.Image = "nginx:latest"
			svc, err := ecsservice.NewHardenedEcsService(scope, tc.id, cfg)
			assert.Nil(t, svc)
			var ve *validate.Error
			require.True(t, errors.As(err, &ve), "want a *validate.Error, got %v", err)
			var fields []string
			for _, p := range ve.Problems {
				fields = append(fields, p.Field)
			}
			assert.Equal(t, append(tc.fields, "Image"), fields, "%v", err)
			assert.Len(t, *stack.Node().Children(), 1, "only the pre-existing construct")
		})
	}
}

// The default container health check quotes a path with query characters
// for the shell ("&" would otherwise background curl and the check would
// always pass), keeps the seed's command for a plain path, and user text in
// the container definitions is escaped for Terraform.
func TestNew_HealthCheckCommand(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("test"))
	cfg := baseConfig()
	cfg.HealthCheckPath = "/health?a=1&b=2"
	svc, err := ecsservice.NewHardenedEcsService(stack, "web", cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"CMD-SHELL", "curl -f 'http://localhost:5000/health?a=1&b=2' || exit 1"}, svc.Config.HealthCheck.Command)

	cfg = baseConfig()
	cfg.HealthCheck.Command = []string{"CMD-SHELL", `test -n "${HOSTNAME}" && curl -f http://localhost:5000/health || exit 1`}
	require.NoError(t, cfg.Validate("web"))
	defs := ecsservice.ContainerDefinitions(*cfg, "nginx:1.27.0", "${TfToken[TOKEN.1]}")
	assert.Contains(t, defs, `"command":["CMD-SHELL","test -n \"$${HOSTNAME}\" && curl -f http://localhost:5000/health || exit 1"]`)
	assert.Contains(t, defs, `"awslogs-group":"${TfToken[TOKEN.1]}"`, "tokens still resolve")
}

// acceptedFindings are trivy findings that are true but intended, each for
// one construct of the service (in both stacks).
var acceptedFindings = []stacktest.Accept{
	{ID: "AWS-0053", Path: "web/alb", Reason: "the public ALB is the service's front door: internet-facing by design (set Internal for an internal service)"},
	{ID: "AWS-0132", Path: "web/access_logs_encryption", Reason: "ALB access logs can only be delivered to SSE-S3 buckets; the bucket has Block Public Access, BucketOwnerEnforced, a TLS-only policy and versioning instead"},
	{ID: "AWS-0132", Path: "api-svc/access_logs_encryption", Reason: "as for web/access_logs_encryption: ALB access logs support SSE-S3 only"},
}

// TestTrivyScan scans both stacks (converted to HCL) and fails on any HIGH
// or CRITICAL finding that acceptedFindings does not accept; every
// acceptance must match (the public ALB's proves the stack was scanned).
func TestTrivyScan(t *testing.T) {
	def, _ := synthDefault(t)
	full := synthFull(t)
	findings := stacktest.Scan(t, []stacktest.Stack{def, full}, acceptedFindings...)
	stacktest.RequireNoFindings(t, findings, stacktest.High)
}

// TestPolicyCheck runs the policy rule pack over both stacks: the construct
// declares its deliberate exceptions (the internet-facing ALB, only when it
// is internet-facing, and the SSE-S3 access-log bucket) as suppressions, and
// nothing else at or above HIGH fails except the missing web ACL, which
// WafAcl (a separate construct) adds.
func TestPolicyCheck(t *testing.T) {
	def, _ := synthDefault(t)
	full := synthFull(t)
	rep, err := policy.Check(
		policy.StackFile{Name: def.Name, JSON: def.Raw},
		policy.StackFile{Name: full.Name, JSON: full.Raw},
	)
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	var suppressed, failing []string
	for _, f := range rep.Suppressed() {
		suppressed = append(suppressed, f.Stack+" "+f.Rule.ID+" "+f.Path)
		assert.GreaterOrEqual(t, len(f.Reason), policy.MinReasonLength)
	}
	for _, f := range rep.Failing(policy.High) {
		failing = append(failing, f.Stack+" "+f.Rule.ID+" "+f.Path)
	}
	assert.ElementsMatch(t, []string{
		def.Name + " HC-LB-001 " + def.Name + "/web/alb",
		def.Name + " HC-S3-002 " + def.Name + "/web/access_logs",
		full.Name + " HC-S3-002 " + full.Name + "/api-svc/access_logs",
		// TOKEN_URL looks like a secret; AllowPlainEnvironment says it is not.
		full.Name + " HC-ECS-006 " + full.Name + "/api-svc/task_definition",
	}, suppressed, "an internal ALB needs no HC-LB-001 suppression")
	assert.Equal(t, []string{def.Name + " HC-WAF-001 " + def.Name + "/web/alb"}, failing)
	for _, f := range rep.Findings {
		if !f.Suppressed && f.Rule.Severity < policy.High {
			t.Logf("below HIGH: %s", f)
		}
	}
}
