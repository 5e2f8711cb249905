package ecsservice_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The account and region of the tests in this file: not the reference
// app's, so nothing here depends on them.
const (
	acct = "111122223333"
	rgn  = "eu-west-1"
	// otherAcct is an account other than acct.
	otherAcct = "444455556666"
)

// cfgIn is a minimal valid config in acct and rgn: an ECR image of the
// account pulled through the VPC's endpoints and the S3 prefix list.
func cfgIn() *ecsservice.HardenedEcsServiceConfig {
	return &ecsservice.HardenedEcsServiceConfig{
		AccountId:               acct,
		Region:                  rgn,
		VpcId:                   "vpc-0123456789abcdef0",
		VpcCidr:                 "10.20.0.0/16",
		PublicSubnetIds:         []string{"subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"},
		PrivateSubnetIds:        []string{"subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"},
		TaskEgressPrefixListIds: []string{"pl-6da54004"},
		Image:                   acct + ".dkr.ecr." + rgn + ".amazonaws.com/portal:1.4.2",
		ContainerPort:           8080,
		CertificateArn:          "arn:aws:acm:" + rgn + ":" + acct + ":certificate/11111111-2222-4333-8444-555555555555",
	}
}

// addProviderIn adds the AWS provider of region, allowing only acct, to a
// test stack.
func addProviderIn(stack cdktf.TerraformStack, region string) {
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region), AllowedAccountIds: jsii.Strings(acct)})
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(stacks.AwsProviderVersion))
}

// problemsOf returns the problems of a *validate.Error (failing otherwise).
func problemsOf(t *testing.T, err error) []validate.Problem {
	t.Helper()
	var ve *validate.Error
	require.True(t, errors.As(err, &ve), "want a *validate.Error, got %v", err)
	return ve.Problems
}

// fieldsOf returns the fields of err's problems.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, p := range problemsOf(t, err) {
		out = append(out, p.Field)
	}
	return out
}

// TestZeroReachesTheJSON: every optional number whose range includes 0 can
// be set to 0 (unset is the default), and the 0 reaches the synthesized
// Terraform JSON.
func TestZeroReachesTheJSON(t *testing.T) {
	cfg := cfgIn()
	cfg.DeploymentMinimumHealthyPercent = new(0)
	cfg.HealthCheckGracePeriodSeconds = new(0)
	cfg.HealthCheck.StartPeriodSeconds = new(0)
	cfg.DeregistrationDelaySeconds = new(0)
	cfg.ScaleInCooldownSeconds = new(0)
	cfg.ScaleOutCooldownSeconds = new(0)
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		_, err := ecsservice.NewHardenedEcsService(stack, "zero", cfg)
		require.NoError(t, err)
	})
	svc := s.Resource(t, "aws_ecs_service", "zero/service")
	container := stacktest.JSONDocument(t, s.Resource(t, "aws_ecs_task_definition", "zero/task_definition"), "container_definitions").Get("0")
	for field, got := range map[string]func() (string, bool){
		"DeploymentMinimumHealthyPercent": func() (string, bool) {
			r := svc.Get("deployment_minimum_healthy_percent")
			return r.Raw, r.Exists()
		},
		"HealthCheckGracePeriodSeconds": func() (string, bool) {
			r := svc.Get("health_check_grace_period_seconds")
			return r.Raw, r.Exists()
		},
		"HealthCheck.StartPeriodSeconds": func() (string, bool) {
			r := container.Get("healthCheck.startPeriod")
			return r.Raw, r.Exists()
		},
		"DeregistrationDelaySeconds": func() (string, bool) {
			r := s.Resource(t, "aws_lb_target_group", "zero/target_group").Get("deregistration_delay")
			return r.String(), r.Exists()
		},
		"ScaleInCooldownSeconds": func() (string, bool) {
			r := s.Resource(t, "aws_appautoscaling_policy", "zero/cpu_scaling").Get("target_tracking_scaling_policy_configuration.scale_in_cooldown")
			return r.Raw, r.Exists()
		},
		"ScaleOutCooldownSeconds": func() (string, bool) {
			r := s.Resource(t, "aws_appautoscaling_policy", "zero/memory_scaling").Get("target_tracking_scaling_policy_configuration.scale_out_cooldown")
			return r.Raw, r.Exists()
		},
	} {
		t.Run(field, func(t *testing.T) {
			v, ok := got()
			assert.True(t, ok, "%s is missing from the JSON", field)
			assert.Equal(t, "0", v, "%s = 0 must reach the JSON (not the default)", field)
		})
	}
	// Unset still means the default.
	def := cfgIn()
	require.NoError(t, def.Validate("zero"))
}

// Service ids web-app and web_app would give two roles web-app-execution
// and overwrite 14 outputs: the registry refuses the second, naming the
// first.
func TestCollision_WebAppAndWebUnderscoreApp(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("collide"))
	addProviderIn(stack, rgn)
	_, err := ecsservice.NewHardenedEcsService(stack, "web-app", cfgIn())
	require.NoError(t, err)
	_, err = ecsservice.NewHardenedEcsService(stack, "web_app", cfgIn())
	ps := problemsOf(t, err)
	var roles, outputs int
	for _, p := range ps {
		if strings.Contains(p.Rule, `IAM role name "web-app-execution"`) && strings.Contains(p.Rule, "collide/web-app") {
			roles++
		}
		if p.Field == "id" && strings.Contains(p.Rule, `Terraform output name "web_app_`) {
			outputs++
		}
	}
	assert.Equal(t, 1, roles, "%v", err)
	assert.Equal(t, 14, outputs, "%v", err)
	assert.Len(t, *stack.Node().Children(), 2, "the second service created nothing")
}

// An id starting with '_' gives outputs named after NameFromID (terraform
// 1.11 accepts "_x" output names, and the ids map to "web_..."): the
// prefix is never a leading '_'. An id that gives no Name at all is one
// problem, on id.
func TestOutputNamesOfUnderscoreIds(t *testing.T) {
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		svc, err := ecsservice.NewHardenedEcsService(stack, "_web", cfgIn())
		require.NoError(t, err)
		assert.Equal(t, "web", svc.Config.Name)
	})
	outs := s.Get("output").Map()
	require.Len(t, outs, 14)
	for name := range outs {
		assert.True(t, strings.HasPrefix(name, "web_"), name)
		assert.Empty(t, validate.TerraformIdentifier(name), name)
	}
	assert.Equal(t, []string{"id"}, fieldsOf(t, cfgIn().Validate("__")))
}

// AddTaskRolePolicy returns a *validate.Error instead of panicking or
// attaching an invalid policy.
func TestAddTaskRolePolicy_Errors(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("policies"))
	addProviderIn(stack, rgn)
	cfg := cfgIn()
	cfg.EnableExecuteCommand = true
	svc, err := ecsservice.NewHardenedEcsService(stack, "web", cfg)
	require.NoError(t, err)
	doc := iampolicy.New(iampolicy.Statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::assets/*"}}).JSON()

	p, err := svc.AddTaskRolePolicy("s3.read", doc)
	require.NoError(t, err)
	require.NotNil(t, p)
	for name, tc := range map[string]struct{ name, doc, field, rule string }{
		"same construct id":   {"s3-read", doc, "name", "is taken"},
		"same name":           {"s3.read", doc, "name", "is taken"},
		"ECS Exec's policy":   {"exec", doc, "name", `"exec" is the ECS Exec policy`},
		"invalid name":        {"read assets", doc, "name", "IAM"},
		"empty name":          {"", doc, "name", "IAM"},
		"invalid JSON":        {"broken", `{"Statement": [`, "policyJSON", "JSON"},
		"not a policy":        {"nostatement", `{"Version": "2012-10-17"}`, "policyJSON", "Statement"},
		"larger than IAM's":   {"huge", iampolicy.New(iampolicy.Statement{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::" + strings.Repeat("a", 10300)}}).JSON(), "policyJSON", "10240"},
		"JSON and name wrong": {"bad name", "[", "name", "IAM"},
	} {
		t.Run(name, func(t *testing.T) {
			n := len(*svc.Construct.Node().Children())
			p, err := svc.AddTaskRolePolicy(tc.name, tc.doc)
			assert.Nil(t, p)
			ps := problemsOf(t, err)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.Contains(t, ps[0].Rule, tc.rule)
			assert.Len(t, *svc.Construct.Node().Children(), n, "nothing attached")
		})
	}
	// A document given as a token (aws_iam_policy_document's json) is
	// Terraform's to check.
	_, err = svc.AddTaskRolePolicy("from-token", strToken())
	assert.NoError(t, err)
}

// Plain environment variables that are credentials, by name or by value,
// are refused unless AllowPlainEnvironment names them; the error does not
// print the value.
func TestEnvironmentCredentials(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"DB_PASS":               {"DB_PASS": "x"},
		"db-pwd":                {"db_pwd": "x"},
		"camel case password":   {"dbPass": "x"},
		"URL with password":     {"DATABASE_URL": "postgres://app:s3cr3t@db.internal:5432/app"},
		"redis URL":             {"CACHE": "redis://:s3cr3t@cache:6379/0"},
		"AWS access key ID":     {"UPLOAD_ID": "AKIAABCDEFGHIJKLMNOP"},
		"AWS temporary key ID":  {"ID": "ASIAABCDEFGHIJKLMNOP"},
		"private key":           {"TLS": "-----BEGIN RSA PRIVATE KEY-----\nMIIB..."},
		"OpenSSH private key":   {"DEPLOY": "-----BEGIN OPENSSH PRIVATE KEY-----"},
		"GitHub token":          {"GH": "ghp_" + strings.Repeat("a", 36)},
		"Slack token":           {"HOOK": "xoxb-1234567890-abcdefghij"},
		"Stripe live key":       {"PAYMENTS": "sk_live_" + strings.Repeat("x", 24)},
		"Google API key":        {"MAPS": "AIza" + strings.Repeat("b", 35)},
		"a credential in a URL": {"UPSTREAM": "https://deploy:hunter2@git.example.com/repo.git"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := cfgIn()
			cfg.Environment = env
			err := cfg.Validate("web")
			ps := problemsOf(t, err)
			require.Len(t, ps, 1, "%v", err)
			for k, val := range env {
				assert.Equal(t, "Environment["+k+"]", ps[0].Field)
				if len(val) > 3 {
					assert.NotContains(t, err.Error(), val, "the secret is not printed")
				}
				cfg.AllowPlainEnvironment = []string{k}
			}
			assert.NoError(t, cfg.Validate("web"), "AllowPlainEnvironment is the explicit opt-out")
		})
	}
	for name, env := range map[string]map[string]string{
		"URL without password":  {"DATABASE_URL": "postgres://db.internal:5432/app"},
		"URL with user only":    {"UPSTREAM": "https://deploy@git.example.com/repo.git"},
		"pass through":          {"PASSTHROUGH_MODE": "on", "BYPASS_CACHE": "1", "COMPASS_URL": "https://compass.example.com"},
		"time with colons":      {"WINDOW": "10:00-12:00@utc"},
		"public key":            {"SIGNER": "-----BEGIN PUBLIC KEY-----"},
		"short uppercase words": {"AKIA": "AKIA", "MODE": "ASIA"},
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			cfg := cfgIn()
			cfg.Environment = env
			assert.NoError(t, cfg.Validate("web"))
		})
	}
	cfg := cfgIn()
	cfg.AllowPlainEnvironment = []string{"NOT_SET"}
	assert.Equal(t, []string{"AllowPlainEnvironment[0]"}, fieldsOf(t, cfg.Validate("web")))
}

// Rules AWS enforces at apply time, checked at synth: one case per rule,
// each breaking exactly that rule of a valid config.
func TestRules_AWSLimits(t *testing.T) {
	type C = ecsservice.HardenedEcsServiceConfig
	certOf := func(account, region string) string {
		return "arn:aws:acm:" + region + ":" + account + ":certificate/11111111-2222-4333-8444-555555555555"
	}
	for name, tc := range map[string]struct {
		mut        func(c *C)
		field      string
		rule       string
		suggestion string
	}{
		"certificate of another account": {func(c *C) { c.CertificateArn = certOf(otherAcct, rgn) }, "CertificateArn", "must be in account " + acct, ""},
		"certificate of another region":  {func(c *C) { c.CertificateArn = certOf(acct, "us-west-2") }, "CertificateArn", `must be in region "` + rgn + `"`, ""},
		"certificate of another partition": {func(c *C) {
			c.CertificateArn = strings.Replace(certOf(acct, rgn), "arn:aws:", "arn:aws-cn:", 1)
		}, "CertificateArn", "partition", ""},
		"tag value over 256":                 {func(c *C) { c.Tags = map[string]string{"team": strings.Repeat("v", 257)} }, "Tags[team]", "256", ""},
		"tag value with a control character": {func(c *C) { c.Tags = map[string]string{"team": "a\x07b"} }, "Tags[team]", "", ""},
		"tag key reserved by AWS":            {func(c *C) { c.Tags = map[string]string{"aws:team": "a"} }, "Tags[aws:team]", "", ""},
		"SSL policy casing": {func(c *C) { c.SslPolicy = "ELBSEcurityPolicy-TLS13-1-2-2021-06" }, "SslPolicy", "must be one of",
			"ELBSecurityPolicy-TLS13-1-2-2021-06"},
		"SSL policy typo":           {func(c *C) { c.SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2012-06" }, "SslPolicy", "must be one of", "ELBSecurityPolicy-TLS13-1-2-2021-06"},
		"CPU architecture casing":   {func(c *C) { c.CpuArchitecture = "arm64" }, "CpuArchitecture", "", "ARM64"},
		"container insights casing": {func(c *C) { c.ContainerInsights = "Enhanced" }, "ContainerInsights", "", "enhanced"},
		"desync mode casing":        {func(c *C) { c.DesyncMitigationMode = "Strictest" }, "DesyncMitigationMode", "", "strictest"},
		"platform version casing":   {func(c *C) { c.PlatformVersion = "latest" }, "PlatformVersion", "", "LATEST"},
		"CPU size":                  {func(c *C) { c.Cpu = new(300) }, "Cpu", "CPU units", "256"},
		"memory of the CPU size":    {func(c *C) { c.Cpu, c.MemoryMiB = new(1024), new(1000) }, "MemoryMiB", "Cpu = 1024", "2048"},
		"ALB name over 32":          {func(c *C) { c.LoadBalancerName = strings.Repeat("a", 33) }, "LoadBalancerName", "32", ""},
		"derived ALB name over 32":  {func(c *C) { c.Name = strings.Repeat("a", 29) }, "LoadBalancerName", "shorten Name", ""},
		"target group name over 32": {func(c *C) { c.TargetGroupName = strings.Repeat("t", 33) }, "TargetGroupName", "32", ""},
		"derived target group name": {func(c *C) {
			c.Name, c.LoadBalancerName = strings.Repeat("a", 30), "alb"
		}, "TargetGroupName", "shorten Name", ""},
		"name over 54 (role limit)": {func(c *C) {
			c.Name, c.LoadBalancerName, c.TargetGroupName, c.AccessLogsBucketName = strings.Repeat("a", 55), "alb", "tg", "logs-"+acct
		}, "Name", "54", ""},
		"name not lowercase": {func(c *C) { c.Name = "Web_App" }, "Name", "lowercase", "web-app"},
		"desired count zero": {func(c *C) { c.DesiredCount = new(0) }, "DesiredCount", "DesiredCountVariable", ""},
		"desired count above the quota": {func(c *C) {
			c.DesiredCount, c.MinCapacity, c.MaxCapacity = new(5001), new(1), new(5000)
		}, "DesiredCount", "5000", "5000"},
		"default max capacity above the quota": {func(c *C) {
			c.DesiredCount = new(4000)
		}, "MaxCapacity", "2 x MinCapacity", ""},
		"grace below the start period": {func(c *C) {
			c.HealthCheckGracePeriodSeconds, c.HealthCheck.StartPeriodSeconds = new(0), new(30)
		}, "HealthCheckGracePeriodSeconds", "StartPeriodSeconds (30)", "30"},
		"requests per target zero": {func(c *C) { c.RequestsPerTarget = new(0) }, "RequestsPerTarget", "", "1"},
		"secret of another partition": {func(c *C) {
			c.Secrets = map[string]string{"DB_PASSWORD": "arn:aws-cn:secretsmanager:cn-north-1:" + acct + ":secret:db"}
		}, "Secrets[DB_PASSWORD]", "partition", ""},
		"log group reserved by AWS": {func(c *C) { c.LogGroupName = "aws/web" }, "LogGroupName", "aws/", ""},
		"exec log group too long": {func(c *C) {
			c.EnableExecuteCommand, c.LogGroupName = true, "/"+strings.Repeat("l", 508)
		}, "LogGroupName", "/exec", ""},
		"steady state timeout":       {func(c *C) { c.SteadyStateTimeoutMinutes = new(2) }, "SteadyStateTimeoutMinutes", "minutes", "5"},
		"ECR repository name":        {func(c *C) { c.Image, c.CreateEcrRepository, c.ImageTag, c.EcrRepositoryName = "", true, "1", "Portal" }, "EcrRepositoryName", "", ""},
		"cluster of another account": {func(c *C) { c.ClusterArn = "arn:aws:ecs:" + rgn + ":" + otherAcct + ":cluster/shared" }, "ClusterArn", "account", ""},
	} {
		t.Run(name, func(t *testing.T) {
			c := cfgIn()
			tc.mut(c)
			err := c.Validate("web")
			ps := problemsOf(t, err)
			require.Len(t, ps, 1, "%v", err)
			assert.Equal(t, tc.field, ps[0].Field, "%v", err)
			assert.Contains(t, ps[0].Rule, tc.rule, "%v", err)
			assert.Equal(t, tc.suggestion, ps[0].Suggestion, "%v", err)
		})
	}
	// The passing side of the same rules.
	for name, mut := range map[string]func(c *C){
		"tag value of 256 unicode letters": func(c *C) { c.Tags = map[string]string{"team": strings.Repeat("é", 256)} },
		"certificate of the account":       func(c *C) { c.CertificateArn = certOf(acct, rgn) },
		"names at their limits": func(c *C) {
			c.Name, c.LoadBalancerName, c.TargetGroupName = strings.Repeat("a", 54), strings.Repeat("b", 32), strings.Repeat("c", 32)
			c.AccessLogsBucketName = "logs-" + acct
		},
		"grace equal to the start period": func(c *C) { c.HealthCheckGracePeriodSeconds, c.HealthCheck.StartPeriodSeconds = new(30), new(30) },
		"grace above the start period":    func(c *C) { c.HealthCheckGracePeriodSeconds = new(7200) },
		"secret of another region": func(c *C) {
			c.Secrets = map[string]string{"DB_PASSWORD": "arn:aws:secretsmanager:us-west-2:" + otherAcct + ":secret:db"}
		},
		"log group without leading slash": func(c *C) { c.LogGroupName = "ecs-web" },
		"desired count at the quota":      func(c *C) { c.DesiredCount, c.MaxCapacity = new(5000), new(5000) },
		"request tracking":                func(c *C) { c.RequestsPerTarget = new(1) },
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			c := cfgIn()
			mut(c)
			assert.NoError(t, c.Validate("web"))
		})
	}
}

// Certificate names: duplicates (or a SAN equal to the domain) are refused,
// apex and wildcard share one validation name.
func TestCertificateNames(t *testing.T) {
	assert.Equal(t, []string{"example.com", "app.example.com"}, ecsservice.ValidationNames("example.com", []string{"*.example.com", "app.example.com"}))
	assert.Equal(t, []string{"example.com"}, ecsservice.ValidationNames("*.example.com", []string{"example.com"}))
	withNames := func(domain string, sans ...string) *ecsservice.HardenedEcsServiceConfig {
		c := cfgIn()
		c.CertificateArn, c.CertificateDomainName, c.CertificateSubjectAlternativeNames, c.Route53ZoneId = "", domain, sans, "Z0123456789ABCDEFGHIJ"
		return c
	}
	for name, tc := range map[string]struct {
		cfg   *ecsservice.HardenedEcsServiceConfig
		field string
	}{
		"SAN equal to the domain":       {withNames("example.com", "example.com"), "CertificateSubjectAlternativeNames[0]"},
		"repeated SAN":                  {withNames("example.com", "app.example.com", "www.example.com", "app.example.com"), "CertificateSubjectAlternativeNames[2]"},
		"uppercase SAN":                 {withNames("example.com", "App.example.com"), "CertificateSubjectAlternativeNames[0]"},
		"wildcard inside a SAN":         {withNames("example.com", "app.*.example.com"), "CertificateSubjectAlternativeNames[0]"},
		"too many names":                {withNames("example.com", manyNames(100)...), "CertificateSubjectAlternativeNames"},
		"domain with a wildcard suffix": {withNames("example.*"), "CertificateDomainName"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, []string{tc.field}, fieldsOf(t, tc.cfg.Validate("web")))
		})
	}
	for name, c := range map[string]*ecsservice.HardenedEcsServiceConfig{
		"apex and wildcard": withNames("example.com", "*.example.com"),
		"wildcard and apex": withNames("*.example.com", "example.com"),
		"99 SANs":           withNames("example.com", manyNames(99)...),
		"nested wildcards":  withNames("*.a.example.com", "*.b.example.com", "a.example.com"),
	} {
		t.Run("accepts "+name, func(t *testing.T) { assert.NoError(t, c.Validate("web")) })
	}
}

func manyNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "host" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".example.com"
	}
	return out
}

// A failed deployment fails the apply by default: terraform waits for a
// steady state (with a timeout) and a postcondition catches the circuit
// breaker's rollback; the opt-out removes both.
func TestDeployTimeTruth(t *testing.T) {
	s := stacktest.SynthStack(t, "service-test", func(stack cdktf.TerraformStack) {
		addProviderIn(stack, rgn)
		_, err := ecsservice.NewHardenedEcsService(stack, "waits", cfgIn())
		require.NoError(t, err)
		c := cfgIn()
		c.SteadyStateTimeoutMinutes = new(45)
		c.DesiredCountVariable = "waits_longer_count"
		_, err = ecsservice.NewHardenedEcsService(stack, "waits-longer", c)
		require.NoError(t, err)
		c = cfgIn()
		c.DisableWaitForSteadyState = true
		_, err = ecsservice.NewHardenedEcsService(stack, "fire-and-forget", c)
		require.NoError(t, err)
	})
	svc := s.Resource(t, "aws_ecs_service", "waits/service")
	assert.Equal(t, true, svc.Get("wait_for_steady_state").Value())
	assert.JSONEq(t, `{"create":"30m","update":"30m"}`, svc.Get("timeouts").Raw)
	assert.Equal(t, []string{"desired_count"}, strs(svc.Get("lifecycle.ignore_changes")))
	assert.Equal(t, "${self.task_definition == "+s.Ref(t, "aws_ecs_task_definition", "waits/task_definition")+".arn}", svc.Get("lifecycle.postcondition.0.condition").String())
	assert.Contains(t, svc.Get("lifecycle.postcondition.0.error_message").String(), "rolled the service back")

	longer := s.Resource(t, "aws_ecs_service", "waits-longer/service")
	assert.JSONEq(t, `{"create":"45m","update":"45m"}`, longer.Get("timeouts").Raw)
	assert.False(t, longer.Get("lifecycle.ignore_changes").Exists())
	assert.True(t, longer.Get("lifecycle.postcondition.0.condition").Exists(), "the postcondition also without ignore_changes")

	off := s.Resource(t, "aws_ecs_service", "fire-and-forget/service")
	assert.Equal(t, false, off.Get("wait_for_steady_state").Value())
	assert.False(t, off.Get("timeouts").Exists())
	assert.False(t, off.Get("lifecycle.postcondition").Exists())
}
