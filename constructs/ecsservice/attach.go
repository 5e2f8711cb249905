package ecsservice

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hardened-iac/cdktf-aws/constructs/loadbalancer"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Attachment attaches a service to a shared Application Load Balancer
// instead of creating one: the service adds its own target group, a
// listener rule that forwards the requests matching HostHeaders and
// PathPatterns to it, and the security group rules between the ALB's group
// and its task group only (egress from the ALB's group to the task group on
// ContainerPort; ingress to the task group from the ALB's group).
//
// Give the ALB either as LoadBalancer (a loadbalancer.HardenedAlb of this
// app), or by ListenerArn and SecurityGroupId (an ALB managed elsewhere).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
type Attachment struct {
	// LoadBalancer is the shared ALB. The service's VpcId and VpcCidr
	// default to its own; its Region and AccountId must be the service's.
	LoadBalancer *loadbalancer.HardenedAlb
	// ListenerArn is the listener (HTTPS, normally) of an ALB managed
	// elsewhere, in AccountId and Region (literal or a token). Set it with
	// SecurityGroupId instead of LoadBalancer.
	ListenerArn string
	// SecurityGroupId is the security group of that ALB ("sg-...", or a
	// token): the service adds an egress rule from it to its task group, and
	// an ingress rule to its task group from it.
	SecurityGroupId string

	// Priority is the listener rule's priority, 1-50000 (1 is evaluated
	// first), unique per listener: two services of this app with the same
	// priority on one listener are an error naming both. Required.
	Priority int
	// HostHeaders are host name patterns the rule matches (any of them), at
	// most 3, each validate.ListenerHostHeader (e.g. "app.example.com",
	// "*.example.com"; case does not matter).
	HostHeaders []string
	// PathPatterns are path patterns the rule matches (any of them), at
	// most 3, each validate.ListenerPathPattern (e.g. "/api/*"; case
	// matters). A request must match both conditions when both are set; at
	// least one value is required, at most 5 values and 5 wildcards in all.
	// Two services with identical conditions on one listener are an error.
	PathPatterns []string
}

// ownAlbFields are the fields that configure the service's own ALB and
// mean nothing with Attach.
func ownAlbFields(c *HardenedEcsServiceConfig) []struct {
	name string
	set  bool
	val  any
} {
	return []struct {
		name string
		set  bool
		val  any
	}{
		{"PublicSubnetIds", len(c.PublicSubnetIds) > 0, c.PublicSubnetIds},
		{"Internal", c.Internal, c.Internal},
		{"IngressCidrBlocks", len(c.IngressCidrBlocks) > 0, c.IngressCidrBlocks},
		{"LoadBalancerName", c.LoadBalancerName != "", c.LoadBalancerName},
		{"DisableDeletionProtection", c.DisableDeletionProtection, c.DisableDeletionProtection},
		{"DesyncMitigationMode", c.DesyncMitigationMode != "", c.DesyncMitigationMode},
		{"IdleTimeoutSeconds", c.IdleTimeoutSeconds != nil, c.IdleTimeoutSeconds},
		{"AccessLogsBucketName", c.AccessLogsBucketName != "", c.AccessLogsBucketName},
		{"AccessLogsExpirationDays", c.AccessLogsExpirationDays != nil, c.AccessLogsExpirationDays},
		{"CertificateArn", c.CertificateArn != "", c.CertificateArn},
		{"CertificateDomainName", c.CertificateDomainName != "", c.CertificateDomainName},
		{"CertificateSubjectAlternativeNames", len(c.CertificateSubjectAlternativeNames) > 0, c.CertificateSubjectAlternativeNames},
		{"Route53ZoneId", c.Route53ZoneId != "", c.Route53ZoneId},
		{"SslPolicy", c.SslPolicy != "", c.SslPolicy},
		{"AllowPlainHttp", c.AllowPlainHttp, c.AllowPlainHttp},
	}
}

// attachDefaults fills VpcId and VpcCidr from an attached HardenedAlb.
func attachDefaults(c *HardenedEcsServiceConfig) {
	if c.Attach == nil || c.Attach.LoadBalancer == nil || c.Attach.LoadBalancer.Construct == nil {
		return
	}
	alb := c.Attach.LoadBalancer.Config
	if c.VpcId == "" {
		c.VpcId = alb.VpcId
	}
	if c.VpcCidr == "" {
		c.VpcCidr = alb.VpcCidr
	}
}

// checkAttachment records the problems of c.Attach (set).
func checkAttachment(v *validate.Collector, c *HardenedEcsServiceConfig, env validate.Env) {
	a := c.Attach
	for _, f := range ownAlbFields(c) {
		if f.set {
			v.Add(f.name, f.val, "configures the service's own ALB and must be unset with Attach: configure the shared ALB instead")
		}
	}
	switch {
	case a.LoadBalancer != nil && (a.ListenerArn != "" || a.SecurityGroupId != ""):
		v.Add("Attach.ListenerArn", a.ListenerArn, "must be empty with Attach.LoadBalancer (one ALB): give the ALB as a HardenedAlb or by ListenerArn and SecurityGroupId")
	case a.LoadBalancer != nil:
		alb := a.LoadBalancer
		if alb.Construct == nil || alb.Listener == nil || alb.SecurityGroup == nil {
			v.Add("Attach.LoadBalancer", nil, "must be created by loadbalancer.NewHardenedAlb")
			break
		}
		if env.Region != "" && validate.Region(alb.Config.Region) && alb.Config.Region != env.Region ||
			env.AccountId != "" && validate.AccountID(alb.Config.AccountId) && alb.Config.AccountId != env.AccountId {
			v.Add("Attach.LoadBalancer", *alb.Construct.Node().Path(), fmt.Sprintf("is in account %s and region %s; the service deploys to %s %s: a listener rule and target group belong to the ALB's account and region",
				alb.Config.AccountId, alb.Config.Region, env.AccountId, env.Region))
		}
		// One outbound rule per attached service on the ALB's group.
		if q := alb.Config.SecurityGroupRuleQuota; q != nil {
			n := albEgress.count(alb) + 1
			v.SecurityGroupRules("Attach.LoadBalancer", *alb.Construct.Node().Path(), n, *q,
				"outbound rules on the shared ALB's group (one per attached service, this one included)",
				"attach fewer services, or raise the quota and set the shared ALB's SecurityGroupRuleQuota")
		}
		if !validate.HasToken(c.VpcId) && !validate.HasToken(alb.Config.VpcId) && c.VpcId != alb.Config.VpcId {
			v.Add("VpcId", c.VpcId, fmt.Sprintf("must be the shared ALB's VPC %s: its security group rules reference the task group", alb.Config.VpcId))
		}
	default:
		if a.ListenerArn == "" {
			v.Add("Attach.ListenerArn", a.ListenerArn, "is required: set Attach.LoadBalancer, or Attach.ListenerArn and Attach.SecurityGroupId")
		} else {
			v.ARN("Attach.ListenerArn", a.ListenerArn, validate.ApplicationListenerArn, env)
		}
		if a.SecurityGroupId == "" {
			v.Add("Attach.SecurityGroupId", a.SecurityGroupId, "is required with Attach.ListenerArn: the ALB's security group")
		} else if v.Literal("Attach.SecurityGroupId", a.SecurityGroupId) {
			v.Rule("Attach.SecurityGroupId", a.SecurityGroupId, validate.EC2IDRule(a.SecurityGroupId, validate.SecurityGroupID))
		}
	}
	if a.Priority == 0 {
		v.Add("Attach.Priority", 0, fmt.Sprintf("is required: the listener rule's priority, 1-%d (unique per listener)", validate.MaxListenerRulePriority))
	} else {
		v.Range("Attach.Priority", a.Priority, 1, validate.MaxListenerRulePriority, "")
	}
	checkConditionValues(v, "Attach.HostHeaders", a.HostHeaders, validate.ListenerHostHeader, strings.ToLower)
	checkConditionValues(v, "Attach.PathPatterns", a.PathPatterns, validate.ListenerPathPattern, func(s string) string { return s })
	n := len(a.HostHeaders) + len(a.PathPatterns)
	switch {
	case n == 0:
		v.Add("Attach.HostHeaders", a.HostHeaders, "is required, or Attach.PathPatterns: a listener rule needs at least one condition")
	case n > validate.MaxRuleConditionValues:
		v.Add("Attach.PathPatterns", n, fmt.Sprintf("HostHeaders and PathPatterns hold %d values; a listener rule allows %d in all", n, validate.MaxRuleConditionValues))
	}
	if w := validate.RuleWildcards(append(slicesClone(a.HostHeaders), a.PathPatterns...)...); w > validate.MaxRuleWildcards {
		v.Add("Attach.PathPatterns", w, fmt.Sprintf("HostHeaders and PathPatterns hold %d wildcards ('*', '?'); a listener rule allows %d", w, validate.MaxRuleWildcards))
	}
}

// checkConditionValues checks the values of one listener rule condition:
// each by rule, at most MaxConditionValues, none repeated (compared after
// fold).
func checkConditionValues(v *validate.Collector, field string, values []string, rule func(string) string, fold func(string) string) {
	v.Check(len(values) <= validate.MaxConditionValues, field, values, fmt.Sprintf("must hold at most %d values (match evaluations per condition)", validate.MaxConditionValues))
	seen := map[string]bool{}
	for i, x := range values {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !v.Rule(f, x, rule(x)) {
			continue
		}
		v.Check(!seen[fold(x)], f, x, "repeats an earlier value")
		seen[fold(x)] = true
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// listenerKey identifies the listener of an attachment for the registry:
// the HardenedAlb's listener path, or the ARN as given.
func listenerKey(a *Attachment) string {
	if a.LoadBalancer != nil && a.LoadBalancer.Listener != nil {
		return "construct " + *a.LoadBalancer.Listener.Node().Path()
	}
	return a.ListenerArn
}

// conditionsKey is a canonical form of the rule's conditions: hosts
// lowercased and sorted, paths sorted.
func conditionsKey(a *Attachment) string {
	hosts := make([]string, len(a.HostHeaders))
	for i, h := range a.HostHeaders {
		hosts[i] = strings.ToLower(h)
	}
	paths := slicesClone(a.PathPatterns)
	sort.Strings(hosts)
	sort.Strings(paths)
	return "host-header " + strings.Join(hosts, ",") + "; path-pattern " + strings.Join(paths, ",")
}

// attachClaims are the listener rule's claims on its listener.
func attachClaims(a *Attachment) []registry.Claim {
	if a == nil {
		return nil
	}
	return []registry.Claim{
		{Kind: registry.ListenerRulePriority, Name: fmt.Sprint(a.Priority), Field: "Attach.Priority", Qualifier: listenerKey(a)},
		{Kind: registry.ListenerRuleConditions, Name: conditionsKey(a), Field: "Attach.HostHeaders", Qualifier: listenerKey(a)},
	}
}

// listenerArnSuffix is the load balancer part of a literal listener ARN,
// "app/<name>/<id>" (the CloudWatch LoadBalancer dimension), or "".
func listenerArnSuffix(arn string) string {
	a, ok := validate.ParseARN(arn)
	if !ok {
		return ""
	}
	parts := strings.Split(a.Resource, "/")
	if len(parts) != 5 {
		return ""
	}
	return strings.Join(parts[1:4], "/")
}

// albEgress counts the services attached to each shared ALB of this
// process, for the ALB group's outbound rule quota.
var albEgress egressCount

type egressCount struct {
	mu sync.Mutex
	m  map[*loadbalancer.HardenedAlb]int
}

func (e *egressCount) count(alb *loadbalancer.HardenedAlb) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.m[alb]
}

func (e *egressCount) add(alb *loadbalancer.HardenedAlb) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[*loadbalancer.HardenedAlb]int{}
	}
	e.m[alb]++
}
