package ecsservice_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

const (
	boundary      = "arn:aws:iam::" + acct + ":policy/team-boundary"
	execRoleArn   = "arn:aws:iam::" + acct + ":role/platform/ecs-execution"
	taskRoleArn   = "arn:aws:iam::" + acct + ":role/platform/portal-task"
	awsBoundary   = "arn:aws:iam::aws:policy/PowerUserAccess"
	ecsTasksTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// Bring your own roles, a permissions boundary, a key; grants and
// connections, in one stack.
func TestBringYourOwn(t *testing.T) {
	var created, ownRoles, byArn *ecsservice.HardenedEcsService
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		key, err := securekey.NewSecureKey(stack, "team_key", &securekey.SecureKeyConfig{AccountId: acct, Region: rgn, Description: "team key", Alias: "alias/team"})
		require.NoError(t, err)
		bucket, err := securebucket.NewSecureBucket(stack, "assets", &securebucket.SecureBucketConfig{BucketName: "assets-" + acct, AccountId: acct, Region: rgn})
		require.NoError(t, err)

		// Created roles with a boundary, the team key.
		c := cfgIn()
		c.PermissionsBoundaryArn = boundary
		c.KmsKey = key
		c.EnableExecuteCommand = true
		created, err = ecsservice.NewHardenedEcsService(stack, "bounded", c)
		require.NoError(t, err)
		_, err = bucket.GrantRead(created.TaskRoleGrantee())
		require.NoError(t, err)
		bastion := securitygroup.NewSecurityGroup(stack, jsii.String("bastion"), &securitygroup.SecurityGroupConfig{VpcId: jsii.String(c.VpcId), Name: jsii.String("bastion")})
		rule, err := created.AllowFrom(*bastion.Id(), "")
		require.NoError(t, err)
		require.NotNil(t, rule)
		_, err = created.AllowFrom("sg-0123456789abcdef0", "monitoring probes")
		require.NoError(t, err)

		// Roles of this app.
		execRole := iamrole.NewIamRole(stack, jsii.String("shared_execution"), &iamrole.IamRoleConfig{Name: jsii.String("shared-execution"), AssumeRolePolicy: jsii.String(ecsTasksTrust)})
		taskRole := iamrole.NewIamRole(stack, jsii.String("portal_task"), &iamrole.IamRoleConfig{Name: jsii.String("portal-task"), AssumeRolePolicy: jsii.String(ecsTasksTrust)})
		c = cfgIn()
		c.ExecutionRole, c.TaskRole = execRole, taskRole
		c.EnableExecuteCommand = true
		c.Secrets = map[string]string{"DB_PASSWORD": "arn:aws:secretsmanager:" + rgn + ":" + acct + ":secret:portal/db"}
		ownRoles, err = ecsservice.NewHardenedEcsService(stack, "own-roles", c)
		require.NoError(t, err)
		_, err = ownRoles.AddTaskRolePolicy("queue", iampolicy.New(iampolicy.Statement{Effect: "Allow", Action: []string{"sqs:SendMessage"}, Resource: []string{"arn:aws:sqs:" + rgn + ":" + acct + ":portal"}}).JSON())
		require.NoError(t, err)

		// Roles managed elsewhere.
		c = cfgIn()
		c.ExecutionRoleArn, c.TaskRoleArn = execRoleArn, taskRoleArn
		byArn, err = ecsservice.NewHardenedEcsService(stack, "by-arn", c)
		require.NoError(t, err)
		_, err = bucket.GrantRead(byArn.TaskRoleGrantee())
		require.NoError(t, err)
		_, err = byArn.AddTaskRolePolicy("queue", `{"Statement":[]}`)
		assert.Equal(t, []string{"TaskRole"}, fieldsOf(t, err))
	})

	// Boundary on every created role.
	for _, path := range []string{"bounded/execution_role", "bounded/task_role"} {
		assert.Equal(t, boundary, s.Resource(t, "aws_iam_role", path).Get("permissions_boundary").String(), path)
	}
	// The team key is used for everything the service encrypts, and gets
	// the CloudWatch Logs statement.
	keyArn := ref(s, t, "aws_kms_key", "team_key", "arn")
	for _, k := range s.Resources("aws_kms_key") {
		assert.NotContains(t, k.Get("//.metadata.path").String(), "bounded/", "no key of its own")
	}
	assert.Equal(t, keyArn, s.Resource(t, "aws_cloudwatch_log_group", "bounded/log_group").Get("kms_key_id").String())
	assert.Equal(t, keyArn, s.Resource(t, "aws_cloudwatch_log_group", "bounded/exec_log_group").Get("kms_key_id").String())
	assert.Equal(t, keyArn, s.Resource(t, "aws_ecs_cluster", "bounded/cluster").Get("configuration.execute_command_configuration.kms_key_id").String())
	keyPolicy := stacktest.JSONDocument(t, s.Resource(t, "aws_kms_key", "team_key"), "policy")
	assert.True(t, keyPolicy.Get(`Statement.#(Sid=="AllowCloudWatchLogsEcsbounded")`).Exists(), keyPolicy.Raw)
	// The grant: inline policies on the task role, one for the bucket and
	// one for its key.
	var granted []string
	for _, p := range s.Resources("aws_iam_role_policy") {
		if p.Get("role").String() == ref(s, t, "aws_iam_role", "bounded/task_role", "id") && p.Get("name").String() != "exec" {
			granted = append(granted, stacktest.JSONDocument(t, p, "policy").Get("Statement.0.Action").Raw)
		}
	}
	assert.ElementsMatch(t, []string{`["s3:GetObject*","s3:GetBucket*","s3:List*"]`, `["kms:Decrypt"]`}, granted)
	// Connections: ingress rules on the task group from the given groups.
	from := s.Resource(t, "aws_vpc_security_group_ingress_rule", "bounded/task_ingress_from_1")
	assert.Equal(t, ref(s, t, "aws_security_group", "bounded/task_security_group", "id"), from.Get("security_group_id").String())
	assert.Equal(t, ref(s, t, "aws_security_group", "bastion", "id"), from.Get("referenced_security_group_id").String())
	assert.EqualValues(t, 8080, from.Get("from_port").Int())
	assert.Equal(t, "monitoring probes", s.Resource(t, "aws_vpc_security_group_ingress_rule", "bounded/task_ingress_from_2").Get("description").String())

	// Roles of this app: no role created, the policies attached to them.
	for _, r := range s.Resources("aws_iam_role") {
		assert.NotContains(t, r.Get("//.metadata.path").String(), "own-roles/", "no role created")
	}
	td := s.Resource(t, "aws_ecs_task_definition", "own-roles/task_definition")
	assert.Equal(t, ref(s, t, "aws_iam_role", "shared_execution", "arn"), td.Get("execution_role_arn").String())
	assert.Equal(t, ref(s, t, "aws_iam_role", "portal_task", "arn"), td.Get("task_role_arn").String())
	ep := s.Resource(t, "aws_iam_role_policy", "own-roles/execution_policy")
	assert.Equal(t, ref(s, t, "aws_iam_role", "shared_execution", "id"), ep.Get("role").String())
	assert.Equal(t, "own-roles-execution", ep.Get("name").String(), "a name of its own on a shared role")
	assert.Contains(t, ep.Get("policy").String(), "secretsmanager:GetSecretValue", "secrets still granted")
	assert.Contains(t, ep.Get("policy").String(), "ecr:BatchGetImage", "ECR still granted")
	assert.Equal(t, ref(s, t, "aws_iam_role", "portal_task", "id"), s.Resource(t, "aws_iam_role_policy", "own-roles/task_policy_exec").Get("role").String())
	assert.Equal(t, ref(s, t, "aws_iam_role", "portal_task", "id"), s.Resource(t, "aws_iam_role_policy", "own-roles/task_policy_queue").Get("role").String())
	assert.Equal(t, ref(s, t, "aws_iam_role", "portal_task", "arn"), s.Get("output.own_roles_task_role_arn.value").String())

	// Managed elsewhere: nothing attached, ARNs used; the grant is a
	// bucket-policy statement; the needs are documented in the documents.
	td = s.Resource(t, "aws_ecs_task_definition", "by-arn/task_definition")
	assert.Equal(t, execRoleArn, td.Get("execution_role_arn").String())
	assert.Equal(t, taskRoleArn, td.Get("task_role_arn").String())
	for _, p := range s.Resources("aws_iam_role_policy") {
		assert.NotContains(t, p.Get("//.metadata.path").String(), "by-arn/")
	}
	assert.Nil(t, byArn.ExecutionRole)
	assert.Nil(t, byArn.TaskRole)
	assert.Contains(t, byArn.ExecutionPolicyDocument.JSON(), "ecr:BatchGetImage")
	bp := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", "assets_policy"), "policy")
	assert.Contains(t, bp.Raw, taskRoleArn, "the grant went to the bucket policy")
	assert.Equal(t, execRoleArn, s.Get("output.by_arn_execution_role_arn.value").String())
}

// The rules of bring-your-own roles, the boundary and AllowFrom.
func TestBringYourOwn_Rules(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("byo"))
	role := iamrole.NewIamRole(stack, jsii.String("r"), &iamrole.IamRoleConfig{AssumeRolePolicy: jsii.String(ecsTasksTrust)})
	for name, tc := range map[string]struct {
		mut   func(c *C)
		field string
	}{
		"execution role twice":        {func(c *C) { c.ExecutionRole, c.ExecutionRoleArn = role, execRoleArn }, "ExecutionRoleArn"},
		"task role twice":             {func(c *C) { c.TaskRole, c.TaskRoleArn = role, taskRoleArn }, "TaskRoleArn"},
		"execution role ARN shape":    {func(c *C) { c.ExecutionRoleArn = "ecs-execution" }, "ExecutionRoleArn"},
		"task role of another acct":   {func(c *C) { c.TaskRoleArn = "arn:aws:iam::" + otherAcct + ":role/x" }, "TaskRoleArn"},
		"task role not a role":        {func(c *C) { c.TaskRoleArn = "arn:aws:iam::" + acct + ":user/x" }, "TaskRoleArn"},
		"boundary of another account": {func(c *C) { c.PermissionsBoundaryArn = "arn:aws:iam::" + otherAcct + ":policy/b" }, "PermissionsBoundaryArn"},
		"boundary not a policy":       {func(c *C) { c.PermissionsBoundaryArn = execRoleArn }, "PermissionsBoundaryArn"},
		"boundary of another partition": {func(c *C) {
			c.PermissionsBoundaryArn = "arn:aws-cn:iam::aws:policy/PowerUserAccess"
		}, "PermissionsBoundaryArn"},
		"boundary with no role to bound": {func(c *C) {
			c.PermissionsBoundaryArn, c.ExecutionRoleArn, c.TaskRole = boundary, execRoleArn, role
		}, "PermissionsBoundaryArn"},
	} {
		t.Run(name, func(t *testing.T) {
			c := cfgIn()
			tc.mut(c)
			assert.Equal(t, []string{tc.field}, fieldsOf(t, c.Validate("web")))
		})
	}
	for name, mut := range map[string]func(c *C){
		"AWS managed boundary":       func(c *C) { c.PermissionsBoundaryArn = awsBoundary },
		"boundary with one own role": func(c *C) { c.PermissionsBoundaryArn, c.TaskRoleArn = boundary, taskRoleArn },
		"role with a path":           func(c *C) { c.ExecutionRoleArn = execRoleArn },
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			c := cfgIn()
			mut(c)
			assert.NoError(t, c.Validate("web"))
		})
	}

	addProviderIn(stack, rgn)
	svc, err := ecsservice.NewHardenedEcsService(stack, "web", cfgIn())
	require.NoError(t, err)
	for name, tc := range map[string]struct{ sg, desc, field string }{
		"no group":            {"", "", "securityGroupId"},
		"not a group ID":      {"sg-1", "", "securityGroupId"},
		"description charset": {"sg-0123456789abcdef1", "From the bastion — ssh", "description"},
		"already allowed":     {"sg-0123456789abcdef2", "", "securityGroupId"},
	} {
		t.Run("AllowFrom "+name, func(t *testing.T) {
			if name == "already allowed" {
				_, err := svc.AllowFrom(tc.sg, "")
				require.NoError(t, err)
			}
			n := len(*svc.Construct.Node().Children())
			r, err := svc.AllowFrom(tc.sg, tc.desc)
			assert.Nil(t, r)
			assert.Equal(t, []string{tc.field}, fieldsOf(t, err))
			assert.Len(t, *svc.Construct.Node().Children(), n)
		})
	}
}
