package ecsservice_test

import (
	"sort"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/stacktest"
)

// unusualStack holds valid but unusual configurations as several services
// of one stack, so that one terraform run validates and plans them all.
func unusualStack(t *testing.T) stacktest.Stack {
	t.Helper()
	return stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)

		// Certificate with SANs: apex, its wildcard (one validation record
		// for both) and a subdomain; the private ECR image by URI,
		// without EcrRepositoryArn.
		sans := cfgIn()
		sans.CertificateArn = ""
		sans.CertificateDomainName = "example.com"
		sans.CertificateSubjectAlternativeNames = []string{"*.example.com", "app.example.com"}
		sans.Route53ZoneId = "Z0123456789ABCDEFGHIJ"
		_, err := ecsservice.NewHardenedEcsService(stack, "sans", sans)
		require.NoError(t, err)

		// A wildcard certificate whose apex is a SAN, plus names of
		// another subdomain.
		wild := cfgIn()
		wild.CertificateArn = ""
		wild.CertificateDomainName = "*.shop.example.org"
		wild.CertificateSubjectAlternativeNames = []string{"shop.example.org", "*.eu.shop.example.org", "api.eu.shop.example.org"}
		wild.Route53ZoneId = "Z0123456789ABCDEFGHIK"
		_, err = ecsservice.NewHardenedEcsService(stack, "wild", wild)
		require.NoError(t, err)

		// ARM64 at 16 vCPU (the largest Fargate size, its smallest memory)
		// with ECS Exec.
		big := cfgIn()
		big.Cpu, big.MemoryMiB, big.CpuArchitecture = new(16384), new(32768), "ARM64"
		big.EnableExecuteCommand = true
		_, err = ecsservice.NewHardenedEcsService(stack, "big", big)
		require.NoError(t, err)

		// An internal plain-HTTP ALB (dev) in an existing cluster by ARN.
		dev := cfgIn()
		dev.CertificateArn, dev.AllowPlainHttp, dev.Internal = "", true, true
		dev.ClusterArn = "arn:aws:ecs:" + rgn + ":" + acct + ":cluster/shared"
		_, err = ecsservice.NewHardenedEcsService(stack, "dev", dev)
		require.NoError(t, err)

		// Two services behind one shared ALB by host, with a permissions
		// boundary and roles of their own.
		edge, err := loadbalancer.NewHardenedAlb(stack, "edge", sharedAlbConfig())
		require.NoError(t, err)
		shop := attachedCfg(edge, 10, []string{"shop.example.com"}, nil)
		shop.PermissionsBoundaryArn = boundary
		shopSvc, err := ecsservice.NewHardenedEcsService(stack, "shop", shop)
		require.NoError(t, err)
		_, err = shopSvc.AllowFrom("sg-0123456789abcdef0", "")
		require.NoError(t, err)
		blog := attachedCfg(edge, 20, []string{"blog.example.com"}, []string{"/*"})
		blog.ExecutionRoleArn, blog.TaskRoleArn = execRoleArn, taskRoleArn
		_, err = ecsservice.NewHardenedEcsService(stack, "blog", blog)
		require.NoError(t, err)

		// Other partitions through provider aliases: China and GovCloud,
		// with their ARNs, ECR registries and ELB log-delivery accounts.
		for _, o := range []struct{ id, region, suffix, partition string }{
			{"china", "cn-north-1", "amazonaws.com.cn", "aws-cn"},
			{"gov", "us-gov-west-1", "amazonaws.com", "aws-us-gov"},
		} {
			p := provider.NewAwsProvider(stack, jsii.String("aws_"+o.id), &provider.AwsProviderConfig{Region: jsii.String(o.region), Alias: jsii.String(o.id)})
			c := cfgIn()
			c.Region, c.Provider = o.region, p
			c.Image = acct + ".dkr.ecr." + o.region + "." + o.suffix + "/portal:1.4.2"
			c.CertificateArn = "arn:" + o.partition + ":acm:" + o.region + ":" + acct + ":certificate/11111111-2222-4333-8444-555555555555"
			c.Secrets = map[string]string{"DB_PASSWORD": "arn:" + o.partition + ":secretsmanager:" + o.region + ":" + acct + ":secret:portal/db"}
			c.SecretsKmsKeyArns = []string{"arn:" + o.partition + ":kms:" + o.region + ":" + acct + ":key/11111111-2222-4333-8444-555555555555"}
			_, err = ecsservice.NewHardenedEcsService(stack, o.id, c)
			require.NoError(t, err)
		}
	})
}

// TestPlan_UnusualConfigs validates and plans the unusual configurations
// offline with the real provider, and checks the plan's values.
func TestPlan_UnusualConfigs(t *testing.T) {
	s := unusualStack(t)
	plan := packagePlans(t)[2]
	created := plan.Addresses(tfjson.ActionCreate)

	// One validation record per distinct name, keyed by it.
	for svc, want := range map[string][]string{
		"sans": {"app.example.com", "example.com"},
		"wild": {"api.eu.shop.example.org", "eu.shop.example.org", "shop.example.org"},
	} {
		addr := s.Ref(t, "aws_route53_record", svc+"/certificate_validation_record")
		var got []string
		for _, a := range created {
			if len(a) > len(addr) && a[:len(addr)] == addr && a[len(addr)] == '[' {
				got = append(got, a[len(addr)+2:len(a)-2])
			}
		}
		sort.Strings(got)
		assert.Equal(t, want, got, svc)
		cert := plan.Change(s.Ref(t, "aws_acm_certificate", svc+"/certificate"))
		require.NotNil(t, cert, svc)
	}
	after := func(typ, path string) map[string]any {
		t.Helper()
		ch := plan.Change(s.Ref(t, typ, path))
		require.NotNil(t, ch, path)
		return ch.Change.After.(map[string]any)
	}
	// Every service is planned, waiting for a steady state.
	for _, svc := range []string{"sans", "wild", "big", "dev", "shop", "blog", "china", "gov"} {
		a := after("aws_ecs_service", svc+"/service")
		assert.Equal(t, true, a["wait_for_steady_state"], svc)
		assert.Equal(t, "FARGATE", a["launch_type"], svc)
	}

	// ARM64 at 16 vCPU.
	td := after("aws_ecs_task_definition", "big/task_definition")
	assert.Equal(t, "16384", td["cpu"])
	assert.Equal(t, "32768", td["memory"])
	assert.Equal(t, "ARM64", td["runtime_platform"].([]any)[0].(map[string]any)["cpu_architecture"])
	assert.Equal(t, true, after("aws_ecs_service", "big/service")["enable_execute_command"])

	// Internal plain-HTTP ALB, existing cluster.
	assert.Equal(t, true, after("aws_lb", "dev/alb")["internal"])
	http := after("aws_lb_listener", "dev/http_listener")
	assert.Equal(t, "HTTP", http["protocol"])
	assert.Equal(t, "forward", http["default_action"].([]any)[0].(map[string]any)["type"])
	assert.Equal(t, "arn:aws:ecs:"+rgn+":"+acct+":cluster/shared", after("aws_ecs_service", "dev/service")["cluster"])

	// The shared ALB: one ALB, a rule per service.
	for svc, want := range map[string]float64{"shop": 10, "blog": 20} {
		rule := after("aws_lb_listener_rule", svc+"/listener_rule")
		assert.Equal(t, want, rule["priority"], svc)
	}
	assert.Equal(t, boundary, after("aws_iam_role", "shop/task_role")["permissions_boundary"])
	assert.Equal(t, execRoleArn, after("aws_ecs_task_definition", "blog/task_definition")["execution_role_arn"])

	// Other partitions: their ARNs and log-delivery accounts.
	for svc, want := range map[string]struct{ partition, region, elb string }{
		"china": {"aws-cn", "cn-north-1", "638102146993"},
		"gov":   {"aws-us-gov", "us-gov-west-1", "048591011584"},
	} {
		// The policies reference ARNs known at apply: checked in the JSON.
		pol := stacktest.JSONDocument(t, s.Resource(t, "aws_s3_bucket_policy", svc+"/access_logs_policy"), "policy")
		assert.Equal(t, "arn:"+want.partition+":iam::"+want.elb+":root", pol.Get(`Statement.#(Sid=="AllowElbAccessLogDelivery").Principal.AWS`).String(), svc)
		trust := gjson.Parse(after("aws_iam_role", svc+"/execution_role")["assume_role_policy"].(string))
		assert.Equal(t, "arn:"+want.partition+":ecs:"+want.region+":"+acct+":*", trust.Get("Statement.0.Condition.ArnLike.aws:SourceArn").String(), svc)
		exec := stacktest.JSONDocument(t, s.Resource(t, "aws_iam_role_policy", svc+"/execution_policy"), "policy")
		assert.Equal(t, "arn:"+want.partition+":ecr:"+want.region+":"+acct+":repository/portal", exec.Get(`Statement.#(Sid=="EcrPull").Resource.0`).String(), svc)
		dns := "amazonaws.com"
		if want.partition == "aws-cn" {
			dns = "amazonaws.com.cn"
		}
		assert.Equal(t, "secretsmanager."+want.region+"."+dns, exec.Get(`Statement.#(Sid=="DecryptSecrets").Condition.StringEquals.kms:ViaService.0`).String(), svc)
	}

	cert := after("aws_acm_certificate", "sans/certificate")
	assert.Equal(t, "example.com", cert["domain_name"])
	// The provider plans the domain name among the SANs too.
	assert.Subset(t, cert["subject_alternative_names"], []any{"*.example.com", "app.example.com"})
}
