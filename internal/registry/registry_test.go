package registry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/constructs/statebackend"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

const (
	account = "444455556666"
	region  = "eu-central-1"
)

func newStack(t *testing.T, app cdktf.App, id string) cdktf.TerraformStack {
	t.Helper()
	if app == nil {
		app = cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	}
	return cdktf.NewTerraformStack(app, jsii.String(id))
}

// problems returns "field: rule" of every problem of err.
func problems(t *testing.T, err error) []validate.Problem {
	t.Helper()
	var ve *validate.Error
	require.True(t, errors.As(err, &ve), "want *validate.Error, got %v", err)
	return ve.Problems
}

func requireClash(t *testing.T, err error, field, kind, other string) {
	t.Helper()
	for _, p := range problems(t, err) {
		if p.Field == field && strings.Contains(p.Rule, kind) && strings.Contains(p.Rule, "already used by construct "+other) {
			return
		}
	}
	t.Fatalf("no %s clash with %s on field %s in:\n%v", kind, other, field, err)
}

func vpcConfig(name string) *securevpc.SecureVpcConfig {
	return &securevpc.SecureVpcConfig{AccountId: account, Region: region, Name: name, AvailabilityZones: []string{region + "a", region + "b"}}
}

// Two SecureVpc with the same Name would create the same flow-log group
// and KMS alias.
func TestTwoVpcsSameName(t *testing.T) {
	stack := newStack(t, nil, "s")
	_, err := securevpc.NewSecureVpc(stack, "a", vpcConfig("shared"))
	require.NoError(t, err)
	_, err = securevpc.NewSecureVpc(stack, "b", vpcConfig("shared"))
	require.Error(t, err)
	requireClash(t, err, "Name", "CloudWatch log group name \"/aws/vpc/flow-logs/shared\"", "s/a")
	requireClash(t, err, "Name", "KMS alias \"alias/shared-vpc-flow-logs\"", "s/a")
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("b")), "nothing created")
	// A failed validation reserves nothing: a fixed config goes through,
	// and other names do not clash.
	_, err = securevpc.NewSecureVpc(stack, "b", vpcConfig("other"))
	require.NoError(t, err)
	// Another account (or region) is another namespace.
	c := vpcConfig("shared")
	c.AccountId = "777788889999"
	_, err = securevpc.NewSecureVpc(stack, "c", c)
	require.NoError(t, err)
	// The same names in another stack of the same account clash too.
	_, err = securevpc.NewSecureVpc(newStack(t, cdktf.App(stack.Node().Root().(cdktf.App)), "s2"), "a", vpcConfig("shared"))
	requireClash(t, err, "Name", "log group", "s/a")
}

func serviceConfig() *ecsservice.HardenedEcsServiceConfig {
	return &ecsservice.HardenedEcsServiceConfig{
		AccountId: account, Region: region, VpcId: "vpc-0123456789abcdef0", VpcCidr: "10.0.0.0/16",
		PublicSubnetIds:  []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		PrivateSubnetIds: []string{"subnet-0bbbbbbbbbbbbbbb1"},
		Image:            "public.ecr.aws/docker/library/python:3.12-alpine", ContainerPort: 5000,
		CertificateArn: "arn:aws:acm:" + region + ":" + account + ":certificate/00000000-0000-4000-8000-000000000000",
	}
}

// Service ids web-app and web_app give the same Name (web-app) and the same
// output prefix (web_app): two IAM roles web-app-execution and 14 outputs
// would collide.
func TestServicesWebAppAndWebUnderscoreApp(t *testing.T) {
	stack := newStack(t, nil, "s")
	_, err := ecsservice.NewHardenedEcsService(stack, "web-app", serviceConfig())
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "web_app", serviceConfig())
	require.Error(t, err)
	requireClash(t, err, "Name", `IAM role name "web-app-execution"`, "s/web-app")
	requireClash(t, err, "Name", `IAM role name "web-app-task"`, "s/web-app")
	requireClash(t, err, "LogGroupName", `log group name "/ecs/web-app"`, "s/web-app")
	outputs := 0
	for _, p := range problems(t, err) {
		if p.Field == "id" && strings.Contains(p.Rule, "Terraform output name \"web_app_") {
			outputs++
		}
	}
	assert.Equal(t, 14, outputs, "every output clashes")
}

// Variables of different constructs with the same name would merge into
// one variable of the wrong type.
func TestSameVariableName(t *testing.T) {
	stack := newStack(t, nil, "s")
	c := vpcConfig("net")
	c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: "ops"}
	_, err := securevpc.NewSecureVpc(stack, "net", c)
	require.NoError(t, err)
	sc := serviceConfig()
	sc.DesiredCountVariable = "ops"
	_, err = ecsservice.NewHardenedEcsService(stack, "web", sc)
	requireClash(t, err, "DesiredCountVariable", `Terraform variable name "ops"`, "s/net")
	// Variables are per stack: another stack may use the name.
	_, err = ecsservice.NewHardenedEcsService(newStack(t, stack.Node().Root().(cdktf.App), "other"), "web", func() *ecsservice.HardenedEcsServiceConfig {
		c := serviceConfig()
		c.DesiredCountVariable, c.Region = "ops", "eu-west-1"
		c.CertificateArn = "arn:aws:acm:eu-west-1:" + account + ":certificate/00000000-0000-4000-8000-000000000000"
		return c
	}())
	require.NoError(t, err)
}

// statebackend fixes its output logical ids: a second backend in a stack
// needs another OutputPrefix.
func TestTwoStateBackendsInOneStack(t *testing.T) {
	stack := newStack(t, nil, "s")
	_, err := statebackend.NewEncryptedStateBackend(stack, "a", &statebackend.EncryptedStateBackendConfig{Bucket: "reg-test-state-a", AccountId: account, Region: region})
	require.NoError(t, err)
	_, err = statebackend.NewEncryptedStateBackend(stack, "b", &statebackend.EncryptedStateBackendConfig{Bucket: "reg-test-state-b", AccountId: account, Region: region})
	requireClash(t, err, "OutputPrefix", `Terraform output name "state_bucket_name"`, "s/a")
	_, err = statebackend.NewEncryptedStateBackend(stack, "b", &statebackend.EncryptedStateBackendConfig{Bucket: "reg-test-state-b", AccountId: account, Region: region, OutputPrefix: "b_"})
	require.NoError(t, err, "another OutputPrefix")
	// The same bucket name anywhere in the partition clashes.
	_, err = statebackend.NewEncryptedStateBackend(newStack(t, stack.Node().Root().(cdktf.App), "s2"), "c",
		&statebackend.EncryptedStateBackendConfig{Bucket: "reg-test-state-a", AccountId: "777788889999", Region: "eu-west-1"})
	requireClash(t, err, "Bucket", `S3 bucket name "reg-test-state-a"`, "s/a")
}

// A construct may reserve a name on behalf of a construct it creates: the
// SecureKey of a SecureVpc does not clash with the VPC's own claim of its
// alias, but a second key with that alias does.
func TestReservationForChildren(t *testing.T) {
	stack := newStack(t, nil, "s")
	_, err := securevpc.NewSecureVpc(stack, "net", vpcConfig("net"))
	require.NoError(t, err)
	_, err = securekey.NewSecureKey(stack, "k", &securekey.SecureKeyConfig{AccountId: account, Region: region, Alias: "alias/net-vpc-flow-logs"})
	requireClash(t, err, "Alias", `KMS alias "alias/net-vpc-flow-logs"`, "s/net")
}

// Check directly: duplicates within one construct, token names skipped.
func TestCheck(t *testing.T) {
	stack := newStack(t, nil, "s")
	v := validate.New("x")
	token := *cdktf.NewTerraformVariable(stack, jsii.String("v"), &cdktf.TerraformVariableConfig{}).StringValue()
	env := registry.Env{Partition: "aws", Account: account, Region: region}
	res := registry.Check(v, stack, "c", env, []registry.Claim{
		{Kind: registry.IAMRole, Name: "r", Field: "A"},
		{Kind: registry.IAMRole, Name: "r", Field: "B"},
		{Kind: registry.IAMRole, Name: token, Field: "C"},
		{Kind: registry.IAMRole, Name: "", Field: "D"},
	})
	err := v.Err()
	require.Error(t, err)
	ps := problems(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "B", ps[0].Field)
	assert.Contains(t, ps[0].Rule, "also derived from field A of this construct")
	res.Commit()
	v = validate.New("x")
	registry.Check(v, stack, "d", env, []registry.Claim{{Kind: registry.IAMRole, Name: token, Field: "C"}})
	assert.NoError(t, v.Err(), "token names are skipped")
}
