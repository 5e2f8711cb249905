package ecsservice

// The rules of HardenedEcsServiceConfig, in one place. Each follows the
// AWS or Terraform rule it names; every rule has a failing and a passing
// test (TestValidate_Rejects, TestValidate_Accepts and rules_test.go).

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hardened-iac/cdktf-aws/internal/albcore"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// FargateMemory lists, for every Fargate task CPU size (CPU units), the task
// memory sizes (MiB) Fargate accepts with it. The 8 and 16 vCPU sizes need
// Linux platform version 1.4.0 or later (LATEST is).
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
var FargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   memRange(1024, 4096, 1024),
	1024:  memRange(2048, 8192, 1024),
	2048:  memRange(4096, 16384, 1024),
	4096:  memRange(8192, 30720, 1024),
	8192:  memRange(16384, 61440, 4096),
	16384: memRange(32768, 122880, 8192),
}

// DefaultMemoryFor is the default task memory (MiB) for a task CPU size:
// the smallest Fargate allows with it, or DefaultMemoryMiB for a CPU size
// that is not one of FargateMemory's (reported as such).
func DefaultMemoryFor(cpu int) int {
	if m, ok := FargateMemory[cpu]; ok {
		return m[0]
	}
	return DefaultMemoryMiB
}

func memRange(from, to, step int) []int {
	var out []int
	for m := from; m <= to; m += step {
		out = append(out, m)
	}
	return out
}

// fargateCPUs returns the keys of FargateMemory in ascending order.
func fargateCPUs() []int {
	out := make([]int, 0, len(FargateMemory))
	for c := range FargateMemory {
		out = append(out, c)
	}
	sort.Ints(out)
	return out
}

// fargateRule describes what memory a CPU size allows, for error messages.
func fargateRule(cpu int) string {
	mems := FargateMemory[cpu]
	if len(mems) <= 3 {
		return fmt.Sprintf("is not a memory size (MiB) Fargate allows with Cpu = %d; allowed: %v", cpu, mems)
	}
	return fmt.Sprintf("is not a memory size (MiB) Fargate allows with Cpu = %d; allowed: %d-%d in steps of %d",
		cpu, mems[0], mems[len(mems)-1], mems[1]-mems[0])
}

// Limits of the service's numbers that are not a table above.
const (
	// MaxTasks is ECS's tasks-per-service quota, the largest DesiredCount
	// and MaxCapacity.
	// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html
	MaxTasks = 5000
	// MaxHealthCheckGracePeriodSeconds is ECS's largest
	// healthCheckGracePeriodSeconds.
	// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
	MaxHealthCheckGracePeriodSeconds = 2147483647
	// MaxInlinePolicyLength is IAM's limit on the inline policies of one role
	// (characters, whitespace not counted).
	// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
	MaxInlinePolicyLength = 10240
)

// ValidationNames are the DNS validation names of a certificate for
// domain and sans: each name without a leading "*." (ACM validates
// "example.com" and "*.example.com" with the same record), distinct, in
// order of first appearance. The validation records are keyed by them.
func ValidationNames(domain string, sans []string) []string {
	return albcore.ValidationNames(domain, sans)
}

// SecretLikeName matches environment variable names that look like they hold
// a secret. Such a variable must come from Secrets (or be named in
// AllowPlainEnvironment).
var SecretLikeName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SIGNING_?KEY|CREDENTIAL|(^|[_-])(PASS|PWD)([_-]|$)|(?-i:[a-z](Pass|Pwd)([A-Z0-9_]|$)))`)

// credentialValues are patterns of plain values that are credentials
// whatever their variable is called, with what they are (for the message).
var credentialValues = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@`), "a URL with a password (user:password@host)"},
	{regexp.MustCompile(`\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`), "an AWS access key ID"},
	{regexp.MustCompile(`-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----`), "a private key"},
	{regexp.MustCompile(`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}`), "a GitHub token"},
	{regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), "a Slack token"},
	{regexp.MustCompile(`\b[rs]k_live_[A-Za-z0-9]{16,}`), "a Stripe live key"},
	{regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), "a Google API key"},
}

// CredentialValue reports what kind of credential a plain environment value
// holds ("a URL with a password", "an AWS access key ID", ...), or "" when
// it looks like none. Values with such content are rejected in Environment
// unless their name is in AllowPlainEnvironment.
func CredentialValue(value string) string {
	for _, p := range credentialValues {
		if p.re.MatchString(value) {
			return p.what
		}
	}
	return ""
}

// redact replaces a credential-like value by its length, so that the error
// message does not print the secret it refuses.
func redact(value string) string { return fmt.Sprintf("<%d characters, redacted>", len(value)) }

var (
	nameRe          = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	containerNameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$`)
	platformRe      = regexp.MustCompile(`^(LATEST|1\.4\.0|1\.3\.0)$`)
	smArnRe         = regexp.MustCompile(`^(arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(:[^:]*:[^:]*:[^:]*)?$`)
	envNameRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	userRe          = regexp.MustCompile(`^(\d+)(:(\d+))?$`)
	tagRe           = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	digestRe        = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// imageTailRe matches the end of a pinned image reference: ":<tag>" or
	// "@sha256:<digest>" after the last '/'.
	imageTailRe = regexp.MustCompile(`(:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@sha256:[0-9a-f]{64})$`)
	// healthPathRe is the HealthCheckPath charset: URL path and query
	// characters without shell metacharacters or quotes; plainPathRe paths
	// need no shell quoting.
	healthPathRe = regexp.MustCompile(`^/[A-Za-z0-9/._~%=?&+,:@-]*$`)
	plainPathRe  = regexp.MustCompile(`^/[A-Za-z0-9/._~-]*$`)
)

// isToken reports whether s holds an unresolved cdktf token (a reference to
// another resource's attribute), which can only be checked by Terraform:
// validate.HasToken, the one token test of the module.
func isToken(s string) bool { return validate.HasToken(s) }

// checkConfig records every problem of c (defaults applied) in v. d says
// which fields were derived, id is the construct id.
// nameFieldOf is the field a problem of Name is reported on: "id" when
// Name defaulted from the construct id.
func nameFieldOf(d derivedFields) string {
	if d.name {
		return "id"
	}
	return "Name"
}

func checkConfig(c *HardenedEcsServiceConfig, v *validate.Collector, id string, d derivedFields) {
	// Environment and names.
	v.ConfigTokens(c, "PublicSubnetIds", "PrivateSubnetIds")
	// Read at synth time, so literal: the environment, the names the
	// service derives and claims, the enums that decide what it builds and
	// the values a security rule checks (the ALB's in albcore.Check). A
	// token there is one problem (validate.NeedLiteral), and what derives
	// from it is not reported again.
	for _, f := range []struct{ field, value string }{
		{nameFieldOf(d), c.Name}, // AccountId and Region: v.Env
		{"ContainerInsights", c.ContainerInsights}, {"PlatformVersion", c.PlatformVersion}, {"CpuArchitecture", c.CpuArchitecture},
		{"ContainerName", c.ContainerName}, {"ImageTag", c.ImageTag}, {"User", c.User},
		{"LogGroupName", c.LogGroupName}, {"EcrRepositoryName", c.EcrRepositoryName}, {"TargetGroupName", c.TargetGroupName},
		{"HealthCheckPath", c.HealthCheckPath}, {"DesiredCountVariable", c.DesiredCountVariable},
	} {
		v.NeedLiteral(f.field, f.value)
	}
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)
	switch {
	case c.KmsKey != nil && c.KmsKeyArn != "":
		v.Add("KmsKeyArn", c.KmsKeyArn, "must be empty when KmsKey is set (one key)")
	case c.KmsKey != nil:
		c.KmsKey.CheckUse(v, "KmsKey", env, keyStatements(*c, env)...)
	case c.KmsKeyArn != "":
		v.ARN("KmsKeyArn", c.KmsKeyArn, validate.KmsKeyArn, env)
	}
	checkRoles(v, c, env)
	nameField := nameFieldOf(d)
	nameOK := false
	switch {
	case d.name && v.Failed("id"), v.Failed(nameField):
		// an invalid id is reported once; a token Name by NeedLiteral
	case c.Name == "":
		v.Add(nameField, id, "gives no Name (validate.NameFromID keeps only letters and digits): set Name")
	case !nameRe.MatchString(c.Name):
		v.Suggest(nameField, c.Name, "must be lowercase letters, digits and '-', starting and ending with a letter or digit", validate.NameFromID(c.Name))
	case strings.HasPrefix(c.Name, "sg-"):
		v.Add(nameField, c.Name, "must not start with 'sg-': the security groups are named <Name>-alb and <Name>-task, and AWS rejects security group names starting with 'sg-'")
	case len(c.Name+"-execution") > 64:
		v.Add(nameField, c.Name, "must be at most 54 characters: the IAM role name <Name>-execution is limited to 64")
	default:
		nameOK = true
	}
	for _, o := range outputNames(id, c.Attach != nil) {
		if v.Failed("id") || !v.Rule("id", id, validate.TerraformIdentifier(o)) {
			break
		}
	}

	// Network.
	if v.Literal("VpcId", c.VpcId) {
		v.Rule("VpcId", c.VpcId, validate.EC2IDRule(c.VpcId, validate.VpcID))
	}
	if c.VpcCidr != "" && v.Literal("VpcCidr", c.VpcCidr) {
		v.VPCCIDR("VpcCidr", c.VpcCidr)
	}
	if c.Attach == nil {
		alb := c.albSettings()
		albcore.Check(v, &alb, env, "PublicSubnetIds", c.VpcCidr, nameOK, d.alb)
	} else {
		checkAttachment(v, c, env)
	}
	albcore.CheckSubnets(v, "PrivateSubnetIds", c.PrivateSubnetIds, 1, "at least one subnet")
	if len(c.TaskEgressCidrBlocks) == 0 && len(c.TaskEgressPrefixListIds) == 0 {
		v.Add("TaskEgressCidrBlocks", c.TaskEgressCidrBlocks, "is required unless VpcCidr (its default), TaskEgressPrefixListIds or AllowTaskEgressToInternet is set: tasks need HTTPS to ECR, CloudWatch Logs and Secrets Manager")
	}
	if !c.AllowTaskEgressToInternet {
		albcore.CheckCIDRs(v, "TaskEgressCidrBlocks", c.TaskEgressCidrBlocks, c.VpcCidr)
		albcore.CheckUnique(v, "TaskEgressCidrBlocks", c.TaskEgressCidrBlocks)
		checkPrivateEgress(v, c.TaskEgressCidrBlocks, c.VpcCidr)
	}
	for i, pl := range c.TaskEgressPrefixListIds {
		if f := fmt.Sprintf("TaskEgressPrefixListIds[%d]", i); v.Literal(f, pl) {
			v.Rule(f, pl, validate.EC2IDRule(pl, validate.PrefixListID))
		}
	}
	albcore.CheckUnique(v, "TaskEgressPrefixListIds", c.TaskEgressPrefixListIds)
	// The tasks' outbound rules, one per CIDR block and prefix list (AWS
	// counts a prefix list as its maximum entries; it is counted as one
	// here). The quota's range is checked with the ALB's settings.
	quota := validate.IntOr(c.SecurityGroupRuleQuota, validate.DefaultSecurityGroupRuleQuota)
	if c.Attach != nil {
		v.Range("SecurityGroupRuleQuota", quota, 1, validate.MaxSecurityGroupRuleQuota, "rules")
	}
	n := len(c.TaskEgressCidrBlocks) + len(c.TaskEgressPrefixListIds)
	v.SecurityGroupRules("TaskEgressCidrBlocks", len(c.TaskEgressCidrBlocks), n, quota,
		fmt.Sprintf("outbound rules (TaskEgressCidrBlocks + TaskEgressPrefixListIds: %d + %d)", len(c.TaskEgressCidrBlocks), len(c.TaskEgressPrefixListIds)),
		"use fewer, wider CIDR blocks, or raise the quota and set SecurityGroupRuleQuota")

	// Cluster and service.
	if c.ClusterArn != "" {
		v.ARN("ClusterArn", c.ClusterArn, validate.EcsClusterArn, env)
		v.Check(!c.EnableExecuteCommand, "EnableExecuteCommand", c.EnableExecuteCommand, "needs a cluster created by this construct (ClusterArn empty): only then are exec sessions guaranteed to be logged to an encrypted log group")
	}
	v.OneOf("ContainerInsights", c.ContainerInsights, []string{"enabled", "enhanced"})
	if !platformRe.MatchString(c.PlatformVersion) {
		v.Suggest("PlatformVersion", c.PlatformVersion, "must be LATEST, 1.4.0 or 1.3.0", validate.Nearest(c.PlatformVersion, []string{"LATEST", "1.4.0", "1.3.0"}))
	} else if c.PlatformVersion == "1.3.0" {
		var needs []string
		if *c.Cpu >= 8192 {
			needs = append(needs, fmt.Sprintf("Cpu %d (8 and 16 vCPU)", *c.Cpu))
		}
		if c.CpuArchitecture == "ARM64" {
			needs = append(needs, "CpuArchitecture ARM64")
		}
		if c.EnableExecuteCommand {
			needs = append(needs, "EnableExecuteCommand")
		}
		v.Check(len(needs) == 0, "PlatformVersion", c.PlatformVersion, "must be LATEST or 1.4.0 with "+strings.Join(needs, ", ")+": Fargate supports them from platform version 1.4.0")
	}
	if *c.DesiredCount == 0 {
		v.Add("DesiredCount", 0, "must be at least 1: CPU and memory target tracking cannot scale out from zero tasks (no tasks, no metric); scale to zero with DesiredCountVariable")
	} else {
		v.Range("DesiredCount", *c.DesiredCount, 1, MaxTasks, "tasks")
	}
	if c.DesiredCountVariable != "" {
		v.Rule("DesiredCountVariable", c.DesiredCountVariable, validate.VariableName(c.DesiredCountVariable))
	}
	minOK := v.Range("DeploymentMinimumHealthyPercent", *c.DeploymentMinimumHealthyPercent, 0, 100, "percent")
	if v.Range("DeploymentMaximumPercent", *c.DeploymentMaximumPercent, 100, 400, "percent") && minOK {
		v.Check(*c.DeploymentMaximumPercent > *c.DeploymentMinimumHealthyPercent, "DeploymentMaximumPercent", *c.DeploymentMaximumPercent,
			"must be above DeploymentMinimumHealthyPercent, or a deployment cannot start a new task")
	}
	v.Range("SteadyStateTimeoutMinutes", *c.SteadyStateTimeoutMinutes, 5, 1440, "minutes")

	// Task definition.
	if _, ok := FargateMemory[*c.Cpu]; !ok {
		v.OneOfInt("Cpu", *c.Cpu, fargateCPUs(), "CPU units (Fargate task sizes)")
	} else if !slices.Contains(FargateMemory[*c.Cpu], *c.MemoryMiB) {
		near, _ := validate.NearestInt(*c.MemoryMiB, FargateMemory[*c.Cpu])
		v.Suggest("MemoryMiB", *c.MemoryMiB, fargateRule(*c.Cpu), fmt.Sprint(near))
	}
	v.OneOf("CpuArchitecture", c.CpuArchitecture, []string{"X86_64", "ARM64"})

	// Container.
	v.Check(containerNameRe.MatchString(c.ContainerName), "ContainerName", c.ContainerName, "must be 1-255 letters, digits, '_' and '-', starting with a letter or digit")
	checkImage(v, c, env)
	if c.CreateEcrRepository {
		if rule := imageTagRule(c.ImageTag); rule != "" {
			v.Add("ImageTag", c.ImageTag, rule)
		}
		ecrField := "EcrRepositoryName"
		if d.ecrName && !nameOK {
			ecrField = "" // derived from an invalid Name: reported there
		}
		if ecrField != "" && v.Rule(ecrField, c.EcrRepositoryName, validate.ECRRepositoryName(c.EcrRepositoryName)) &&
			imageTagRule(c.ImageTag) == "" && env.AccountId != "" && env.Region != "" {
			// <account>.dkr.ecr.<region>.<dns suffix>/<name>:<tag>
			n := len(ecrHost(env.AccountId, env.Region) + "/" + c.EcrRepositoryName + ":" + c.ImageTag)
			v.Check(n <= MaxImageLength, ecrField, c.EcrRepositoryName, fmt.Sprintf("is too long: the image <repository_url>:<ImageTag> would be %d characters; ECS allows %d", n, MaxImageLength))
		}
		v.Range("EcrMaxImageCount", *c.EcrMaxImageCount, 1, 10000, "images")
	} else {
		v.Check(c.ImageTag == "", "ImageTag", c.ImageTag, "is only used with CreateEcrRepository; pin Image itself")
	}
	v.Check(c.ContainerPort >= 1 && c.ContainerPort <= 65535, "ContainerPort", c.ContainerPort, "is required: a TCP port 1-65535")
	if c.RunAsRoot {
		v.Check(c.User == "", "User", c.User, "must be empty with RunAsRoot")
	} else if m := userRe.FindStringSubmatch(c.User); m == nil {
		v.Add("User", c.User, `must be a numeric "UID" or "UID:GID" (names cannot be checked for root)`)
	} else {
		v.Check(strings.TrimLeft(m[1], "0") != "", "User", c.User, "must not be UID 0 (root); set RunAsRoot to opt out explicitly")
	}
	checkEnvironment(v, c)
	for _, name := range common.SortedKeys(c.Secrets) {
		f := "Secrets[" + name + "]"
		arn := c.Secrets[name]
		v.NeedLiteral(f, name)
		v.Check(envNameRe.MatchString(name), f, name, "must be a variable name: letters, digits and '_', not starting with a digit")
		if !v.Literal(f, arn) {
			continue
		}
		kind := validate.SecretsManagerSecretArn
		if a, ok := validate.ParseARN(arn); ok && a.Service == "ssm" {
			kind = validate.SsmParameterArn
		}
		if rule := validate.ArnRule(arn, kind, env.PartitionOnly()); rule != "" {
			v.Add(f, arn, "must be a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<stage>:<version>]) or an SSM parameter ARN (arn:<partition>:ssm:<region>:<account>:parameter/<name>) of the service's partition: "+rule)
		}
	}
	for i, k := range c.SecretsKmsKeyArns {
		v.ARN(fmt.Sprintf("SecretsKmsKeyArns[%d]", i), k, validate.KmsKeyArn, env.PartitionOnly())
	}
	hc := c.HealthCheck
	if len(hc.Command) > 0 {
		v.NeedLiteral("HealthCheck.Command[0]", hc.Command[0]) // CMD or CMD-SHELL picks the form
	}
	if v.Check(len(hc.Command) >= 2 && (hc.Command[0] == "CMD" || hc.Command[0] == "CMD-SHELL"), "HealthCheck.Command", hc.Command, `must start with "CMD" or "CMD-SHELL" followed by the command`) {
		for i, arg := range hc.Command[1:] {
			// An empty CMD-SHELL script exits 0: a check that never fails.
			v.Check(strings.TrimSpace(arg) != "", fmt.Sprintf("HealthCheck.Command[%d]", i+1), arg, "must not be empty or blank: an empty shell command always succeeds and an empty executable always fails")
		}
	}
	if v.Range("HealthCheck.IntervalSeconds", *hc.IntervalSeconds, 5, 300, "seconds") && v.Range("HealthCheck.TimeoutSeconds", *hc.TimeoutSeconds, 2, 60, "seconds") {
		v.Check(*hc.TimeoutSeconds < *hc.IntervalSeconds, "HealthCheck.TimeoutSeconds", *hc.TimeoutSeconds, "must be less than HealthCheck.IntervalSeconds")
	}
	v.Range("HealthCheck.Retries", *hc.Retries, 1, 10, "")
	startOK := v.Range("HealthCheck.StartPeriodSeconds", *hc.StartPeriodSeconds, 0, 300, "seconds")

	// Logs.
	v.LogRetention("LogRetentionInDays", *c.LogRetentionInDays)
	if !d.logGroup || nameOK {
		lg := c.LogGroupName
		if c.EnableExecuteCommand {
			lg += "/exec"
		}
		if rule := validate.LogGroupName(lg); rule != "" {
			if c.EnableExecuteCommand {
				rule += ` (with ECS Exec, "/exec" is appended for the session log group)`
			}
			v.Add("LogGroupName", c.LogGroupName, rule)
		}
	}

	// Target group.
	if !nameOK && d.targetGroup {
		// derived from an invalid Name: reported there
	} else if rule := validate.TargetGroupName(c.TargetGroupName); rule != "" {
		if d.targetGroup {
			rule += " (the default <Name>-tg: shorten Name or set TargetGroupName)"
		}
		v.Add("TargetGroupName", c.TargetGroupName, rule)
	}
	v.Check(healthPathRe.MatchString(c.HealthCheckPath) && len(c.HealthCheckPath) <= 1024, "HealthCheckPath", c.HealthCheckPath,
		"must start with '/' and be at most 1024 characters of letters, digits and / . _ ~ % = ? & + , : @ - (no spaces, quotes, '$', ';', '|' or other shell characters: the default container health check runs it in a shell)")
	if v.Literal("HealthCheckMatcher", c.HealthCheckMatcher) { // a token only reaches the target group: Terraform's to check
		v.Rule("HealthCheckMatcher", c.HealthCheckMatcher, validate.HealthCheckMatcher(c.HealthCheckMatcher))
	}
	intervalOK := v.Range("HealthCheckIntervalSeconds", *c.HealthCheckIntervalSeconds, 5, 300, "seconds")
	if v.Range("HealthCheckTimeoutSeconds", *c.HealthCheckTimeoutSeconds, 2, 120, "seconds") && intervalOK {
		v.Check(*c.HealthCheckTimeoutSeconds < *c.HealthCheckIntervalSeconds, "HealthCheckTimeoutSeconds", *c.HealthCheckTimeoutSeconds, "must be less than HealthCheckIntervalSeconds")
	}
	v.Range("HealthyThreshold", *c.HealthyThreshold, 2, 10, "")
	v.Range("UnhealthyThreshold", *c.UnhealthyThreshold, 2, 10, "")
	v.Range("DeregistrationDelaySeconds", *c.DeregistrationDelaySeconds, 0, 3600, "seconds")

	// The grace period must cover the application's start (see
	// HealthCheckGracePeriodSeconds).
	if v.Range("HealthCheckGracePeriodSeconds", *c.HealthCheckGracePeriodSeconds, 0, MaxHealthCheckGracePeriodSeconds, "seconds") && startOK &&
		*c.HealthCheckGracePeriodSeconds < *hc.StartPeriodSeconds {
		v.Suggest("HealthCheckGracePeriodSeconds", *c.HealthCheckGracePeriodSeconds, fmt.Sprintf(
			"must be at least HealthCheck.StartPeriodSeconds (%d): the ALB's checks fail while the application starts, and ECS would replace the task after UnhealthyThreshold failures, so the deployment would never finish",
			*hc.StartPeriodSeconds), fmt.Sprint(*hc.StartPeriodSeconds))
	}

	// Autoscaling.
	// The defaults derive from DesiredCount (MinCapacity) and MinCapacity
	// (MaxCapacity): a problem of the source is reported once.
	if !(d.minCapacity && v.Failed("DesiredCount")) &&
		v.Range("MinCapacity", *c.MinCapacity, 1, MaxTasks, "tasks") && !v.Failed("DesiredCount") {
		v.Check(*c.MinCapacity <= *c.DesiredCount, "MinCapacity", *c.MinCapacity, "must be at most DesiredCount")
	}
	if d.maxCapacity && (v.Failed("DesiredCount") || v.Failed("MinCapacity")) {
		// derived from a value already reported
	} else if *c.MaxCapacity > MaxTasks && d.maxCapacity {
		v.Add("MaxCapacity", *c.MaxCapacity, fmt.Sprintf("is the default 2 x MinCapacity, above ECS's %d tasks per service: set MaxCapacity", MaxTasks))
	} else if v.Range("MaxCapacity", *c.MaxCapacity, 1, MaxTasks, "tasks") && !v.Failed("DesiredCount") {
		v.Check(*c.MaxCapacity >= *c.DesiredCount, "MaxCapacity", *c.MaxCapacity, "must be at least DesiredCount")
	}
	v.Range("CpuTargetValue", *c.CpuTargetValue, 10, 90, "percent")
	v.Range("MemoryTargetValue", *c.MemoryTargetValue, 10, 90, "percent")
	v.OptionalRange("RequestsPerTarget", c.RequestsPerTarget, 1, 1_000_000_000, "requests per target per minute")
	v.Range("ScaleInCooldownSeconds", *c.ScaleInCooldownSeconds, 0, 3600, "seconds")
	v.Range("ScaleOutCooldownSeconds", *c.ScaleOutCooldownSeconds, 0, 3600, "seconds")
}

// checkRoles checks the bring-your-own roles and the permissions boundary.
func checkRoles(v *validate.Collector, c *HardenedEcsServiceConfig, env validate.Env) {
	for _, r := range []struct {
		field, arnField, arn string
		role                 bool
	}{
		{"ExecutionRole", "ExecutionRoleArn", c.ExecutionRoleArn, c.ExecutionRole != nil},
		{"TaskRole", "TaskRoleArn", c.TaskRoleArn, c.TaskRole != nil},
	} {
		switch {
		case r.role && r.arn != "":
			v.Add(r.arnField, r.arn, "must be empty when "+r.field+" is set (one role)")
		case r.arn != "":
			// ECS uses roles of the task's own account only.
			v.ARN(r.arnField, r.arn, validate.IamRoleArn, validate.Env{AccountId: env.AccountId, AccountField: env.AccountField, Region: env.Region, RegionField: env.RegionField})
		}
	}
	if c.PermissionsBoundaryArn != "" {
		if c.ExecutionRole != nil || c.ExecutionRoleArn != "" {
			if c.TaskRole != nil || c.TaskRoleArn != "" {
				v.Add("PermissionsBoundaryArn", c.PermissionsBoundaryArn, "applies to no role: both roles are brought (ExecutionRole/ExecutionRoleArn and TaskRole/TaskRoleArn); set the boundary on them where they are managed")
				return
			}
		}
		if !v.Literal("PermissionsBoundaryArn", c.PermissionsBoundaryArn) {
			return
		}
		a, ok := validate.ParseARN(c.PermissionsBoundaryArn)
		boundaryEnv := env
		if ok && a.Account == "aws" {
			// An AWS managed policy: account "aws".
			boundaryEnv = validate.Env{}.PartitionOnly()
			if rule := validate.ArnRule(strings.Replace(c.PermissionsBoundaryArn, ":aws:policy/", ":000000000000:policy/", 1), validate.IamPolicyArn, boundaryEnv); rule != "" {
				v.Add("PermissionsBoundaryArn", c.PermissionsBoundaryArn, rule)
			} else if p := env.Partition(); p != "" && a.Partition != p {
				v.Add("PermissionsBoundaryArn", c.PermissionsBoundaryArn, fmt.Sprintf("must be in partition %q, the partition of Region %q", p, env.Region))
			}
			return
		}
		v.ARN("PermissionsBoundaryArn", c.PermissionsBoundaryArn, validate.IamPolicyArn, boundaryEnv)
	}
}

// checkEnvironment checks the plain environment: variable names, and
// neither a secret-like name nor a credential-like value unless the name is
// allowed.
func checkEnvironment(v *validate.Collector, c *HardenedEcsServiceConfig) {
	allowed := map[string]bool{}
	// Names decide what is checked as a secret: literal (NeedLiteral).
	for i, n := range c.AllowPlainEnvironment {
		v.NeedLiteral(fmt.Sprintf("AllowPlainEnvironment[%d]", i), n)
	}
	for _, name := range common.SortedKeys(c.Environment) {
		v.NeedLiteral("Environment["+name+"]", name)
	}
	for i, n := range c.AllowPlainEnvironment {
		_, inEnv := c.Environment[n]
		v.Check(inEnv, fmt.Sprintf("AllowPlainEnvironment[%d]", i), n, "must name a variable of Environment")
		allowed[n] = true
	}
	for _, name := range common.SortedKeys(c.Environment) {
		f := "Environment[" + name + "]"
		value := c.Environment[name]
		v.Check(envNameRe.MatchString(name), f, name, "must be a variable name: letters, digits and '_', not starting with a digit")
		_, dup := c.Secrets[name]
		v.Check(!dup, f, name, "is also in Secrets")
		if allowed[name] {
			continue
		}
		if SecretLikeName.MatchString(name) {
			v.Add(f, name, "looks like a secret: pass it in Secrets (Secrets Manager or SSM ARN), or list the name in AllowPlainEnvironment if it is not one")
		} else if what := CredentialValue(value); what != "" {
			v.Add(f, redact(value), "holds "+what+": plain environment values are readable in the task definition by anyone who may describe it; pass it in Secrets (Secrets Manager or SSM ARN), or list the name in AllowPlainEnvironment")
		}
	}
}

// imageTagRule reports why tag is not a pinned tag or digest for
// CreateEcrRepository, or "".
func imageTagRule(tag string) string {
	switch {
	case tag == "":
		return "is required with CreateEcrRepository: a tag such as 1.4.2 or a digest sha256:<64 hex>"
	case strings.EqualFold(tag, "latest"):
		return "must be pinned to a version: the 'latest' tag moves and is rejected"
	case digestRe.MatchString(tag), tagRe.MatchString(tag) && !strings.HasPrefix(tag, "sha256:"):
		return ""
	}
	return "must be an image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>"
}

// ecrHost is the private ECR registry of account in region.
// See https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
func ecrHost(account, region string) string {
	return account + ".dkr.ecr." + region + "." + validate.DNSSuffix(validate.PartitionOf(region))
}

// outputPrefix turns a construct ID into a Terraform identifier prefix.
// It is validate.NameFromID with '_' for '-'.
func outputPrefix(id string) string { return strings.ReplaceAll(validate.NameFromID(id), "-", "_") }

// secretResources returns the IAM resource ARNs for a Secrets Manager
// valueFrom, which may carry a ":<json-key>:<version-stage>:<version-id>"
// suffix (cut off). A full secret ARN ends in AWS's random "-XXXXXX"; a
// partial one does not, and needs "-??????" to match, as AWS documents. A
// name can itself end in "-" and six characters (e.g. "db-secret"), so both
// forms are granted: exactly that secret either way.
func secretResources(valueFrom string) []string {
	m := smArnRe.FindStringSubmatch(valueFrom)
	if m == nil {
		return []string{valueFrom}
	}
	return []string{m[1], m[1] + "-??????"}
}

func uniqSorted(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}

// validPolicyJSON reports why doc is not an IAM policy document this
// construct can attach, or "": JSON with a Statement, within the inline
// policy size limit. A document that is one token (an
// aws_iam_policy_document's json) is Terraform's to check.
func validPolicyJSON(doc string) string {
	if validate.IsToken(doc) {
		return ""
	}
	var parsed struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
		return "must be a JSON policy document: " + err.Error()
	}
	if len(parsed.Statement) == 0 || string(parsed.Statement) == "null" {
		return `must be an IAM policy document with a "Statement"`
	}
	n := len(strings.Join(strings.Fields(doc), ""))
	if n > MaxInlinePolicyLength {
		return fmt.Sprintf("is %d characters without whitespace; IAM allows %d for the inline policies of one role", n, MaxInlinePolicyLength)
	}
	return ""
}

// PrivateRanges are the IPv4 ranges TaskEgressCidrBlocks may reach without
// AllowTaskEgressToInternet (besides VpcCidr): RFC 1918 and the RFC 6598
// shared address space.
var PrivateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// checkPrivateEgress reports literal egress CIDRs outside PrivateRanges and
// the (literal) VPC CIDR: reaching them is internet egress, which needs
// AllowTaskEgressToInternet. Invalid CIDRs are reported by checkCIDRs.
func checkPrivateEgress(v *validate.Collector, cidrs []string, vpcCidr string) {
	vpc, vpcRule := validate.CIDR(vpcCidr)
	vpcOK := vpcCidr != "" && !isToken(vpcCidr) && vpcRule == "" && vpc.Addr().Is4()
	for i, cidr := range cidrs {
		if isToken(cidr) || (cidr == vpcCidr && vpcCidr != "") {
			continue
		}
		p, rule := validate.CIDR(cidr)
		if rule != "" || !p.Addr().Is4() {
			continue
		}
		ok := vpcOK && albcore.Within(p, vpc)
		for _, r := range PrivateRanges {
			ok = ok || albcore.Within(p, r)
		}
		v.Check(ok, fmt.Sprintf("TaskEgressCidrBlocks[%d]", i), cidr,
			fmt.Sprintf("must lie inside VpcCidr or a private range %v: anything else is internet egress; set AllowTaskEgressToInternet to say so explicitly", PrivateRanges))
	}
}
