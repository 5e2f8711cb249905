// Package loadbalancer provides HardenedAlb: a hardened Application Load
// Balancer that several services share, each with its own target group and
// listener rule (ecsservice.HardenedEcsServiceConfig.Attach).
//
// It is the ALB that HardenedEcsService creates for itself by default, on
// its own: a security group that accepts 443 (and 80, which only redirects
// to HTTPS) from IngressCidrBlocks and sends only to the tasks of attached
// services (each attached service adds the egress rule to its own task
// security group on its port), an HTTPS listener with a modern TLS policy
// whose default action is a fixed response (404) for requests that match no
// service's rule, access logs to a hardened SSE-S3 bucket (securebucket),
// deletion protection, drop_invalid_header_fields and desync mitigation.
//
// One ALB means one WAF association (wafacl.WafAclConfig.ResourceArn =
// *alb.LoadBalancer.Arn()) and one set of ALB alarms
// (securitymonitoring.AlbAlarms.LoadBalancerArnSuffix =
// *alb.LoadBalancer.ArnSuffix(), with a service's target group).
//
// # The one intended exposure
//
// An internet-facing HardenedAlb (the default) accepts TCP 443, and 80 which
// only answers with a 301 redirect to HTTPS, from IngressCidrBlocks, by
// default 0.0.0.0/0: declared as a policy suppression (HC-LB-001) with its
// reason; trivy reports it as AWS-0053. The access-log bucket is SSE-S3
// (HC-S3-002 suppressed): ALB access logs can only be delivered to SSE-S3
// buckets.
package loadbalancer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/albcore"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults of HardenedAlbConfig.
const (
	// DefaultSslPolicy is the HTTPS listener's security policy (TLS 1.3 and
	// 1.2 with forward-secret AEAD ciphers).
	DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// DefaultDesyncMitigationMode is the ALB's desync_mitigation_mode.
	DefaultDesyncMitigationMode = "defensive"
	// DefaultIdleTimeoutSeconds is the ALB's idle_timeout (seconds).
	DefaultIdleTimeoutSeconds = 60
	// DefaultAccessLogsExpirationDays expires access logs (days).
	DefaultAccessLogsExpirationDays = 365
	// MaxExpirationDays bounds AccessLogsExpirationDays (100 years).
	MaxExpirationDays = 36500
	// AccessLogsPrefix is the key prefix of access logs in the bucket.
	AccessLogsPrefix = "alb"
	// DefaultStatusCode is the fixed response to requests that match no
	// listener rule.
	DefaultStatusCode = 404
)

// ModernSslPolicies are the security policies SslPolicy may name: TLS 1.2 or
// later with forward-secret AEAD ciphers only.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
var ModernSslPolicies = modernSslPolicies()

func modernSslPolicies() []string { return slices.Clone(albcore.ModernSslPolicies) }

// AccessLogsStatement is the bucket-policy statement that lets Elastic Load
// Balancing write access logs of accountID (in region, of partition) under
// AccessLogsPrefix in the bucket: the regional ELB account in regions that
// opened before August 2022, the log-delivery service principal elsewhere.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
func AccessLogsStatement(partition, region, accountID, bucketArn string) iampolicy.Statement {
	return albcore.AccessLogsStatement(partition, region, accountID, bucketArn)
}

// HardenedAlbConfig configures NewHardenedAlb. Unset fields mean the
// documented default.
//
// IDs, ARNs and CIDRs may be tokens (a resource's attribute, a variable).
// The construct reads AccountId, Region, Name, LoadBalancerName,
// AccessLogsBucketName, DesyncMitigationMode, SslPolicy,
// CertificateDomainName and CertificateSubjectAlternativeNames at synth
// time (names it derives and claims, values a rule checks), so a token in
// one of these is a validate.LiteralRule problem.
type HardenedAlbConfig struct {
	// AccountId is the 12-digit account. Required unless Provider has one
	// literal allowed_account_ids entry.
	AccountId string
	// Region is the AWS region. Required unless Provider has a literal
	// region.
	Region string
	// Name is the base name of the ALB's resources: the ALB "<Name>-alb",
	// its security group "<Name>-alb" and the access-log bucket
	// "<Name>-alb-logs-<AccountId>-<Region>". Default:
	// validate.NameFromID(id). Lowercase letters, digits and '-'.
	Name string
	// Tags are set on every taggable resource (validate.Collector.Tags).
	Tags map[string]string
	// Provider creates every resource with this AWS provider. Default: the
	// stack's default AWS provider.
	Provider cdktf.TerraformProvider

	// VpcId is the VPC's ID (may be a token). Required.
	VpcId string
	// VpcCidr is the VPC's IPv4 CIDR (may be a token): the default
	// IngressCidrBlocks of an internal ALB, and the default task egress of
	// services that attach without their own VpcCidr.
	VpcCidr string
	// SubnetIds are the ALB's subnets, in at least two AZs (elements may be
	// tokens). Required.
	SubnetIds []string

	// Internal makes the ALB internal instead of internet-facing.
	Internal bool
	// IngressCidrBlocks may reach the ALB on 443 (and 80, which only
	// redirects). Default ["0.0.0.0/0"] for an internet-facing ALB and
	// [VpcCidr] for an internal one. Unset (nil) means the default; an
	// empty, non-nil list is an error, not "everyone".
	IngressCidrBlocks []string
	// SecurityGroupRuleQuota is the account's "Inbound or outbound rules
	// per security group" quota (validate.DefaultSecurityGroupRuleQuota,
	// 60, unless raised in Service Quotas; at most 1,000), against which
	// the ALB's inbound rules (one per IngressCidrBlocks entry and port) are
	// checked at synth. Set it after raising the quota. Default 60.
	SecurityGroupRuleQuota *int
	// LoadBalancerName is the ALB name (validate.LoadBalancerName).
	// Default "<Name>-alb".
	LoadBalancerName string
	// DisableDeletionProtection turns deletion protection off, for
	// short-lived environments that must be destroyable in one step.
	DisableDeletionProtection bool
	// DesyncMitigationMode is "defensive" or "strictest". Default
	// "defensive" ("monitor" is rejected).
	DesyncMitigationMode string
	// IdleTimeoutSeconds is the idle timeout, 1-4000 seconds. Default 60.
	IdleTimeoutSeconds *int
	// AccessLogsBucketName is the access log bucket. Default
	// "<Name>-alb-logs-<AccountId>-<Region>".
	AccessLogsBucketName string
	// AccessLogsExpirationDays expires access logs, 1-36500 days. Default 365.
	AccessLogsExpirationDays *int

	// CertificateArn is an ACM certificate of AccountId and Region for the
	// HTTPS listener.
	CertificateArn string
	// CertificateDomainName requests a new ACM certificate for this
	// lowercase DNS name (e.g. "*.example.com" for host-routed services),
	// validated by DNS in Route53ZoneId.
	CertificateDomainName string
	// CertificateSubjectAlternativeNames are extra names of the new
	// certificate (distinct, not repeating CertificateDomainName).
	CertificateSubjectAlternativeNames []string
	// Route53ZoneId is the hosted zone of the validation records.
	Route53ZoneId string
	// SslPolicy is one of ModernSslPolicies. Default DefaultSslPolicy.
	SslPolicy string
	// AllowPlainHttp serves plain HTTP on port 80 when no certificate is
	// given. Dev only: traffic is readable on the network and scanners
	// report the listener (trivy AWS-0054, CRITICAL). Services then attach
	// their rules to the HTTP listener.
	AllowPlainHttp bool

	// DefaultStatusCode is the fixed-response status of requests that match
	// no service's rule, 200-299 or 400-599. Default 404.
	DefaultStatusCode *int
}

// HardenedAlb is the shared ALB and its resources.
type HardenedAlb struct {
	// Construct is the scope holding every resource of the ALB.
	Construct constructs.Construct
	// Config is the config after defaults were applied.
	Config HardenedAlbConfig

	// LoadBalancer is the ALB: Arn() for a WAF association, ArnSuffix()
	// for alarms.
	LoadBalancer lb.Lb
	// SecurityGroup is the ALB's security group; attached services add the
	// egress rule to their tasks.
	SecurityGroup securitygroup.SecurityGroup
	// IngressRules open it to IngressCidrBlocks.
	IngressRules []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	// Listener is the listener services attach their rules to: the HTTPS
	// listener, or with AllowPlainHttp the HTTP one.
	Listener lblistener.LbListener
	// HttpsListener is nil with AllowPlainHttp.
	HttpsListener lblistener.LbListener
	// HttpListener redirects to HTTPS (with AllowPlainHttp: serves).
	HttpListener lblistener.LbListener
	// Certificate, CertificateValidationRecords and CertificateValidation
	// are nil unless CertificateDomainName was given.
	Certificate                  acmcertificate.AcmCertificate
	CertificateValidationRecords route53record.Route53Record
	CertificateValidation        acmcertificatevalidation.AcmCertificateValidation
	// AccessLogsBucket receives the access logs.
	AccessLogsBucket *securebucket.SecureBucket
}

// Output names, suffixed to "<id>_" (the construct id with '-' as '_').
const (
	OutputAlbDnsName         = "alb_dns_name"
	OutputAlbZoneId          = "alb_zone_id"
	OutputAlbArn             = "alb_arn"
	OutputAlbArnSuffix       = "alb_arn_suffix"
	OutputAlbSecurityGroupId = "alb_security_group_id"
	OutputListenerArn        = "listener_arn"
)

var nameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// Validate checks the config as NewHardenedAlb(scope, id, cfg) does,
// without creating anything (and without the scope checks). It returns nil
// or a *validate.Error listing every problem.
func (cfg *HardenedAlbConfig) Validate(id string) error {
	v := validate.NewFor("loadbalancer.NewHardenedAlb", id)
	cfg.withDefaults(v, id)
	return v.Err()
}

func (cfg *HardenedAlbConfig) withDefaults(v *validate.Collector, id string) (HardenedAlbConfig, albcore.Settings) {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return HardenedAlbConfig{}, albcore.Settings{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	s := c.settings()
	d := albcore.Defaults(&s, c.VpcCidr, c.LoadBalancerName, c.AccessLogsBucketName, c.IdleTimeoutSeconds, c.AccessLogsExpirationDays)
	c.LoadBalancerName, c.AccessLogsBucketName, c.IngressCidrBlocks = s.LoadBalancerName, s.AccessLogsBucketName, s.IngressCidrBlocks
	c.DesyncMitigationMode, c.SslPolicy = s.DesyncMitigationMode, s.SslPolicy
	c.IdleTimeoutSeconds, c.AccessLogsExpirationDays = &s.IdleTimeoutSeconds, &s.AccessLogsExpirationDays
	c.SecurityGroupRuleQuota = &s.SecurityGroupRuleQuota
	if c.DefaultStatusCode == nil {
		c.DefaultStatusCode = new(DefaultStatusCode)
	}

	// The rules (each matches AWS's; see albcore.Check for the ALB's).
	v.ConfigTokens(c, "SubnetIds")
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)
	nameOK := false
	switch {
	case nameField == "id" && v.Failed("id"):
	case !v.NeedLiteral(nameField, c.Name): // a name the ALB's names derive from
	case c.Name == "":
		v.Add(nameField, id, "gives no Name (validate.NameFromID keeps only letters and digits): set Name")
	case !nameRe.MatchString(c.Name):
		v.Suggest(nameField, c.Name, "must be lowercase letters, digits and '-', starting and ending with a letter or digit", validate.NameFromID(c.Name))
	default:
		nameOK = true
	}
	if !v.Failed("id") {
		for _, o := range outputNames(id) {
			if !v.Rule("id", id, validate.TerraformIdentifier(o)) {
				break
			}
		}
	}
	if v.Literal("VpcId", c.VpcId) {
		v.Rule("VpcId", c.VpcId, validate.EC2IDRule(c.VpcId, validate.VpcID))
	}
	if c.VpcCidr != "" && v.Literal("VpcCidr", c.VpcCidr) {
		v.VPCCIDR("VpcCidr", c.VpcCidr)
	}
	albcore.Check(v, &s, env, "SubnetIds", c.VpcCidr, nameOK, d)
	if code := *c.DefaultStatusCode; !(code >= 200 && code <= 299 || code >= 400 && code <= 599) {
		v.Suggest("DefaultStatusCode", code, "must be an HTTP status 200-299 or 400-599 (ALB fixed responses)", "404")
	}
	s.SecurityGroupDescription = "Shared ALB " + c.Name + ": HTTPS (and HTTP redirect) in, only to the tasks of attached services out"
	return c, s
}

// settings maps the config onto the shared ALB settings.
func (c HardenedAlbConfig) settings() albcore.Settings {
	return albcore.Settings{
		Name: c.Name, AccountId: c.AccountId, Region: c.Region, VpcId: c.VpcId, SubnetIds: c.SubnetIds,
		Internal: c.Internal, IngressCidrBlocks: c.IngressCidrBlocks, DisableDeletionProtection: c.DisableDeletionProtection,
		SecurityGroupRuleQuota: validate.IntOr(c.SecurityGroupRuleQuota, validate.DefaultSecurityGroupRuleQuota),
		DesyncMitigationMode:   c.DesyncMitigationMode, CertificateArn: c.CertificateArn, CertificateDomainName: c.CertificateDomainName,
		CertificateSANs: c.CertificateSubjectAlternativeNames, Route53ZoneId: c.Route53ZoneId, SslPolicy: c.SslPolicy,
		AllowPlainHttp: c.AllowPlainHttp, Tags: c.Tags, Provider: c.Provider,
	}
}

// outputPrefix turns a construct id into a Terraform identifier prefix.
func outputPrefix(id string) string { return strings.ReplaceAll(validate.NameFromID(id), "-", "_") }

func outputNames(id string) []string {
	var out []string
	for _, o := range []string{OutputAlbDnsName, OutputAlbZoneId, OutputAlbArn, OutputAlbArnSuffix, OutputAlbSecurityGroupId, OutputListenerArn} {
		out = append(out, outputPrefix(id)+"_"+o)
	}
	return out
}

// NewHardenedAlb validates cfg and creates, under a construct named id, the
// shared ALB: its security group (ingress 443/80 from IngressCidrBlocks,
// no egress until services attach), the access-log bucket (securebucket,
// SSE-S3, TLS-only policy with the ELB log-delivery statement), the ALB
// (drop_invalid_header_fields, deletion protection, desync mitigation,
// access logs), the certificate with its DNS validation (with
// CertificateDomainName), the HTTPS listener with a modern TLS policy and a
// fixed-response default action, the HTTP listener that redirects to
// HTTPS, and outputs "<id>_alb_dns_name", "_alb_zone_id", "_alb_arn",
// "_alb_arn_suffix", "_alb_security_group_id" and "_listener_arn".
//
// Services attach with ecsservice.HardenedEcsServiceConfig.Attach: each adds
// its target group, its listener rule (priority, host and path conditions)
// and the security group rules between this ALB and its tasks. Two services
// with the same priority or identical conditions on this ALB are an error
// naming both.
//
// It returns a *validate.Error, and creates nothing, when cfg is invalid,
// scope is nil or id is taken or cannot name Terraform resources.
func NewHardenedAlb(scope constructs.Construct, id string, cfg *HardenedAlbConfig) (*HardenedAlb, error) {
	v := validate.NewFor("loadbalancer.NewHardenedAlb", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c, s := cfg.withDefaults(v, id)
	claims := append(albcore.Claims(s), registry.Outputs("id", outputNames(id)...)...)
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, claims)
	if err := v.Err(); err != nil {
		return nil, err
	}
	res.Commit()
	a := &HardenedAlb{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c}
	tree.Child(scope, id, a.Construct)
	in := a.Construct
	var r albcore.Resources
	r.BuildSecurityGroup(in, s)
	r.BuildIngress(in, s)
	if err := r.BuildLoadBalancer(in, s); err != nil {
		return nil, err // unreachable: the bucket's config was validated
	}
	r.BuildListeners(in, s, &[]*lblistener.LbListenerDefaultAction{{
		Type: jsii.String("fixed-response"),
		FixedResponse: &lblistener.LbListenerDefaultActionFixedResponse{
			ContentType: jsii.String("text/plain"),
			StatusCode:  jsii.String(fmt.Sprint(*c.DefaultStatusCode)),
			MessageBody: jsii.String("No service is configured for this request."),
		},
	}})
	if err := r.Suppress(s, albcore.PublicAlbReason); err != nil {
		return nil, err
	}
	a.SecurityGroup, a.IngressRules, a.AccessLogsBucket, a.LoadBalancer = r.SecurityGroup, r.IngressRules, r.AccessLogsBucket, r.LoadBalancer
	a.HttpsListener, a.HttpListener, a.Listener = r.HttpsListener, r.HttpListener, r.Front()
	a.Certificate, a.CertificateValidationRecords, a.CertificateValidation = r.Certificate, r.CertificateValidationRecords, r.CertificateValidation

	prefix := outputPrefix(id)
	for _, o := range []struct {
		name  string
		value *string
		desc  string
	}{
		{OutputAlbDnsName, a.LoadBalancer.DnsName(), "DNS name of the shared ALB (point the services' DNS records at it)."},
		{OutputAlbZoneId, a.LoadBalancer.ZoneId(), "Route 53 zone ID of the shared ALB, for alias records."},
		{OutputAlbArn, a.LoadBalancer.Arn(), "ARN of the shared ALB (e.g. for a WAF web ACL association)."},
		{OutputAlbArnSuffix, a.LoadBalancer.ArnSuffix(), "ARN suffix of the shared ALB (CloudWatch LoadBalancer dimension)."},
		{OutputAlbSecurityGroupId, a.SecurityGroup.Id(), "Security group of the shared ALB."},
		{OutputListenerArn, a.Listener.Arn(), "ARN of the listener the services attach their rules to."},
	} {
		out := cdktf.NewTerraformOutput(in, jsii.String(o.name), &cdktf.TerraformOutputConfig{Value: o.value, Description: jsii.String(o.desc)})
		out.OverrideLogicalId(jsii.String(prefix + "_" + o.name))
	}
	return a, nil
}
