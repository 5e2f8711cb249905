// Package albcore builds and validates the hardened Application Load
// Balancer that both ecsservice.HardenedEcsService (its own ALB, the
// default) and loadbalancer.HardenedAlb (an ALB shared by several services)
// create: its security group and ingress rules, the access-log bucket, the
// ALB, the certificate with its DNS validation and the listeners. Each
// caller creates the resources into its own construct with the same
// construct ids, so the service's own ALB keeps the logical ids it always
// had. Importers never see this package.
package albcore

import (
	"fmt"
	"net/netip"
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
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/policy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Defaults and limits of the ALB settings.
const (
	DefaultDesyncMitigationMode = "defensive"
	DefaultIdleTimeoutSeconds   = 60
	// DefaultAccessLogsExpirationDays expires access logs (days).
	DefaultAccessLogsExpirationDays = 365
	// AccessLogsNoncurrentVersionExpirationDays expires overwritten or
	// deleted access log versions (days).
	AccessLogsNoncurrentVersionExpirationDays = 30
	// MaxExpirationDays bounds AccessLogsExpirationDays (100 years).
	MaxExpirationDays = 36500
	// AccessLogsPrefix is the key prefix of access logs in the bucket.
	AccessLogsPrefix = "alb"
	// DefaultSslPolicy is TLS 1.3 and 1.2 with forward-secret AEAD ciphers.
	DefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// MaxCertificateNames is ACM's largest number of names per certificate.
	// See https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html
	MaxCertificateNames = 100
)

// Settings are an ALB's settings with defaults applied; the field names
// are the configs' own (problems are reported under them).
type Settings struct {
	Name, AccountId, Region   string
	VpcId                     string
	SubnetIds                 []string
	Internal                  bool
	IngressCidrBlocks         []string
	SecurityGroupRuleQuota    int
	LoadBalancerName          string
	DisableDeletionProtection bool
	DesyncMitigationMode      string
	IdleTimeoutSeconds        int
	AccessLogsBucketName      string
	AccessLogsExpirationDays  int
	CertificateArn            string
	CertificateDomainName     string
	CertificateSANs           []string
	Route53ZoneId             string
	SslPolicy                 string
	AllowPlainHttp            bool
	Tags                      map[string]string
	Provider                  cdktf.TerraformProvider
	// SecurityGroupDescription describes the ALB's security group.
	SecurityGroupDescription string
}

// Derived says which names were derived from Name, so that an invalid Name
// is reported once.
type Derived struct{ LoadBalancer, Bucket bool }

// Defaults fills the names derived from name and the defaults of unset
// settings. vpcCidr is the default ingress of an internal ALB.
func Defaults(s *Settings, vpcCidr string, loadBalancerName, bucketName string, idle, expiration *int) Derived {
	d := Derived{LoadBalancer: loadBalancerName == "", Bucket: bucketName == ""}
	s.LoadBalancerName, s.AccessLogsBucketName = loadBalancerName, bucketName
	if d.LoadBalancer {
		s.LoadBalancerName = s.Name + "-alb"
	}
	if d.Bucket {
		s.AccessLogsBucketName = fmt.Sprintf("%s-alb-logs-%s-%s", s.Name, s.AccountId, s.Region)
	}
	if s.IngressCidrBlocks == nil { // an empty, non-nil list is an error (see Check)
		if s.Internal {
			if vpcCidr != "" {
				s.IngressCidrBlocks = []string{vpcCidr}
			}
		} else {
			s.IngressCidrBlocks = []string{"0.0.0.0/0"}
		}
	}
	if s.DesyncMitigationMode == "" {
		s.DesyncMitigationMode = DefaultDesyncMitigationMode
	}
	s.IdleTimeoutSeconds = validate.IntOr(idle, DefaultIdleTimeoutSeconds)
	s.AccessLogsExpirationDays = validate.IntOr(expiration, DefaultAccessLogsExpirationDays)
	if s.SslPolicy == "" {
		s.SslPolicy = DefaultSslPolicy
	}
	return d
}

// Check records every problem of the ALB settings. subnetField names the
// subnets' field; nameOK says whether Name was valid.
func Check(v *validate.Collector, s *Settings, env validate.Env, subnetField, vpcCidr string, nameOK bool, d Derived) {
	// Read at synth time: the names claimed in the app, the settings a
	// rule guards (desync mode, TLS policy), the certificate's names (one
	// validation record each).
	v.NeedLiteral("LoadBalancerName", s.LoadBalancerName)
	v.NeedLiteral("AccessLogsBucketName", s.AccessLogsBucketName)
	v.NeedLiteral("DesyncMitigationMode", s.DesyncMitigationMode)
	v.NeedLiteral("SslPolicy", s.SslPolicy)
	v.NeedLiteral("CertificateDomainName", s.CertificateDomainName)
	for i, san := range s.CertificateSANs {
		v.NeedLiteral(fmt.Sprintf("CertificateSubjectAlternativeNames[%d]", i), san)
	}
	CheckSubnets(v, subnetField, s.SubnetIds, 2, "at least two subnets in different AZs (an ALB needs two)")
	switch {
	case s.IngressCidrBlocks != nil && len(s.IngressCidrBlocks) == 0:
		v.Add("IngressCidrBlocks", s.IngressCidrBlocks, `is empty, which would leave the ALB unreachable: leave it unset (nil) for the default (["0.0.0.0/0"] internet-facing, [VpcCidr] internal) or list the CIDR blocks`)
	case s.Internal && len(s.IngressCidrBlocks) == 0:
		v.Add("IngressCidrBlocks", s.IngressCidrBlocks, "is required for an internal ALB unless VpcCidr is set (its default)")
	}
	CheckCIDRs(v, "IngressCidrBlocks", s.IngressCidrBlocks, vpcCidr)
	CheckUnique(v, "IngressCidrBlocks", s.IngressCidrBlocks)
	v.Range("SecurityGroupRuleQuota", s.SecurityGroupRuleQuota, 1, validate.MaxSecurityGroupRuleQuota, "rules")
	ports := len(s.ports())
	v.SecurityGroupRules("IngressCidrBlocks", len(s.IngressCidrBlocks), len(s.IngressCidrBlocks)*ports,
		s.SecurityGroupRuleQuota, fmt.Sprintf("inbound rules (CIDR blocks x ports: %d x %d)", len(s.IngressCidrBlocks), ports),
		"use fewer, wider CIDR blocks, or raise the quota and set SecurityGroupRuleQuota")
	if !nameOK && d.LoadBalancer {
		// derived from an invalid Name: reported there
	} else if rule := validate.LoadBalancerName(s.LoadBalancerName); rule != "" {
		if d.LoadBalancer {
			rule += " (the default <Name>-alb: shorten Name or set LoadBalancerName)"
		}
		v.Add("LoadBalancerName", s.LoadBalancerName, rule)
	}
	if nameOK {
		v.Rule("Name", s.Name, validate.SecurityGroupName(s.Name+"-alb"))
	}
	if s.DesyncMitigationMode == "monitor" {
		v.Add("DesyncMitigationMode", s.DesyncMitigationMode, `must be "defensive" or "strictest": "monitor" lets HTTP desync (request smuggling) attacks through`)
	} else {
		v.OneOf("DesyncMitigationMode", s.DesyncMitigationMode, []string{"defensive", "strictest"})
	}
	v.Range("IdleTimeoutSeconds", s.IdleTimeoutSeconds, 1, 4000, "seconds")
	if !nameOK && d.Bucket {
		// derived from an invalid Name: reported there
	} else if rule := validate.BucketName(s.AccessLogsBucketName); rule != "" {
		if d.Bucket {
			rule += " (the default is <Name>-alb-logs-<AccountId>-<Region>: shorten Name or set AccessLogsBucketName)"
		}
		v.Add("AccessLogsBucketName", s.AccessLogsBucketName, rule)
	}
	v.Range("AccessLogsExpirationDays", s.AccessLogsExpirationDays, 1, MaxExpirationDays, "days")
	v.OneOf("SslPolicy", s.SslPolicy, ModernSslPolicies)

	// Certificate.
	hasArn, hasDomain := s.CertificateArn != "", s.CertificateDomainName != ""
	switch {
	case hasArn && hasDomain:
		v.Add("CertificateArn", s.CertificateArn, "set either CertificateArn or CertificateDomainName, not both")
	case !hasArn && !hasDomain && !s.AllowPlainHttp:
		v.Add("CertificateArn", s.CertificateArn, "is required: the HTTPS listener needs CertificateArn or CertificateDomainName + Route53ZoneId (AllowPlainHttp is a dev-only escape)")
	case (hasArn || hasDomain) && s.AllowPlainHttp:
		v.Add("AllowPlainHttp", s.AllowPlainHttp, "must be false when a certificate is given: HTTP then only redirects to HTTPS")
	}
	if hasArn {
		v.ARN("CertificateArn", s.CertificateArn, validate.AcmCertificateArn, env)
	}
	if hasDomain {
		v.Rule("CertificateDomainName", s.CertificateDomainName, validate.CertificateDomainName(s.CertificateDomainName))
		if v.Literal("Route53ZoneId", s.Route53ZoneId) {
			if s.Route53ZoneId == "" {
				v.Add("Route53ZoneId", s.Route53ZoneId, "is required with CertificateDomainName: the Route 53 hosted zone ID (Z...) where the certificate's DNS validation records go")
			} else {
				v.Rule("Route53ZoneId", s.Route53ZoneId, validate.HostedZoneID(s.Route53ZoneId))
			}
		}
		seen := map[string]string{s.CertificateDomainName: "CertificateDomainName"}
		for i, san := range s.CertificateSANs {
			f := fmt.Sprintf("CertificateSubjectAlternativeNames[%d]", i)
			if !v.Rule(f, san, validate.CertificateDomainName(san)) {
				continue
			}
			if prev, dup := seen[san]; dup {
				v.Add(f, san, "repeats "+prev+": each name of a certificate must be distinct")
			}
			seen[san] = f
		}
		v.Check(len(s.CertificateSANs) < MaxCertificateNames, "CertificateSubjectAlternativeNames", len(s.CertificateSANs),
			fmt.Sprintf("must hold at most %d names: ACM allows %d names per certificate (the domain included; 10 unless the quota was raised)", MaxCertificateNames-1, MaxCertificateNames))
	} else {
		v.Check(s.Route53ZoneId == "", "Route53ZoneId", s.Route53ZoneId, "is only used with CertificateDomainName")
		v.Check(len(s.CertificateSANs) == 0, "CertificateSubjectAlternativeNames", s.CertificateSANs, "is only used with CertificateDomainName")
	}
}

// Claims are the names the ALB creates that must be unique in the app.
func Claims(s Settings) []registry.Claim {
	return []registry.Claim{
		{Kind: registry.SecurityGroup, Name: s.Name + "-alb", Field: "Name", Qualifier: s.VpcId},
		{Kind: registry.LoadBalancer, Name: s.LoadBalancerName, Field: "LoadBalancerName"},
		{Kind: registry.S3Bucket, Name: s.AccessLogsBucketName, Field: "AccessLogsBucketName"},
	}
}

// ValidationNames are the DNS validation names of a certificate for domain
// and sans: each name without a leading "*." (ACM validates "example.com"
// and "*.example.com" with the same record), distinct, in order of first
// appearance.
func ValidationNames(domain string, sans []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range append([]string{domain}, sans...) {
		n = strings.TrimPrefix(n, "*.")
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// AccessLogsStatement lets Elastic Load Balancing write access logs of
// account accountID (in region, of partition) under AccessLogsPrefix in the
// bucket: the regional ELB account in regions that opened before August
// 2022 (ElbLogDeliveryAccounts), the log-delivery service principal
// elsewhere.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
func AccessLogsStatement(partition, region, accountID, bucketArn string) iampolicy.Statement {
	principal := iampolicy.Service(ElbLogDeliveryServicePrincipal)
	if acct, ok := ElbLogDeliveryAccounts[region]; ok {
		principal = iampolicy.AWS(iampolicy.AccountRoot(partition, acct))
	}
	return iampolicy.Statement{
		Sid:       "AllowElbAccessLogDelivery",
		Effect:    "Allow",
		Principal: principal,
		Action:    []string{"s3:PutObject"},
		Resource:  []string{fmt.Sprintf("%s/%s/AWSLogs/%s/*", bucketArn, AccessLogsPrefix, accountID)},
	}
}

// Resources are what Build* created.
type Resources struct {
	SecurityGroup                securitygroup.SecurityGroup
	IngressRules                 []vpcsecuritygroupingressrule.VpcSecurityGroupIngressRule
	AccessLogsBucket             *securebucket.SecureBucket
	LoadBalancer                 lb.Lb
	Certificate                  acmcertificate.AcmCertificate
	CertificateValidationRecords route53record.Route53Record
	CertificateValidation        acmcertificatevalidation.AcmCertificateValidation
	HttpsListener                lblistener.LbListener
	HttpListener                 lblistener.LbListener
}

// SecurityGroupId is SecurityGroup.Id(), read once (tree.Attr).
func (r *Resources) SecurityGroupId() *string {
	return tree.Attr(r.SecurityGroup, "id", r.SecurityGroup.Id)
}

// LoadBalancerArn is LoadBalancer.Arn(), read once (tree.Attr).
func (r *Resources) LoadBalancerArn() *string {
	return tree.Attr(r.LoadBalancer, "arn", r.LoadBalancer.Arn)
}

// Front is the listener requests are served on: HTTPS, or HTTP with
// AllowPlainHttp.
func (r *Resources) Front() lblistener.LbListener {
	if r.HttpsListener != nil {
		return r.HttpsListener
	}
	return r.HttpListener
}

// BuildSecurityGroup creates the ALB's security group ("alb_security_group").
func (r *Resources) BuildSecurityGroup(in constructs.Construct, s Settings) {
	r.SecurityGroup = securitygroup.NewSecurityGroup(in, jsii.String("alb_security_group"), &securitygroup.SecurityGroupConfig{
		Provider:    s.Provider,
		Tags:        common.Tags(s.Tags, nil),
		Name:        jsii.String(s.Name + "-alb"),
		Description: jsii.String(s.SecurityGroupDescription),
		VpcId:       jsii.String(s.VpcId),
	})
}

// ports are the ALB's listener ports: 443 and 80 (which only redirects),
// or 80 alone with AllowPlainHttp.
func (s Settings) ports() []int {
	if s.AllowPlainHttp {
		return []int{80}
	}
	return []int{443, 80}
}

// BuildIngress opens the ALB to IngressCidrBlocks on 443 and 80 (which
// only redirects), or on 80 only with AllowPlainHttp ("alb_ingress_<port>_<i>").
// By default an internet-facing ALB is open to 0.0.0.0/0: its purpose, by
// design (trivy AWS-0053).
func (r *Resources) BuildIngress(in constructs.Construct, s Settings) {
	for i, cidr := range s.IngressCidrBlocks {
		for _, port := range s.ports() {
			desc := "HTTPS from clients"
			if port == 80 {
				desc = "HTTP from clients (redirected to HTTPS)"
				if s.AllowPlainHttp {
					desc = "HTTP from clients (AllowPlainHttp: dev only)"
				}
			}
			r.IngressRules = append(r.IngressRules, vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(in, jsii.String(fmt.Sprintf("alb_ingress_%d_%d", port, i)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				Provider:        s.Provider,
				Tags:            common.Tags(s.Tags, nil),
				SecurityGroupId: r.SecurityGroupId(),
				Description:     jsii.String(desc),
				IpProtocol:      jsii.String("tcp"),
				FromPort:        jsii.Number(float64(port)),
				ToPort:          jsii.Number(float64(port)),
				CidrIpv4:        jsii.String(cidr),
			}))
		}
	}
}

// BuildLoadBalancer creates the access-log bucket ("access_logs") and the
// ALB ("alb").
func (r *Resources) BuildLoadBalancer(in constructs.Construct, s Settings) error {
	bucket, err := securebucket.NewSecureBucket(in, "access_logs", &securebucket.SecureBucketConfig{
		// ELB delivers access logs only to SSE-S3 buckets.
		S3ManagedEncryption:             true,
		BucketName:                      s.AccessLogsBucketName,
		AccountId:                       s.AccountId,
		Region:                          s.Region,
		ExpirationDays:                  s.AccessLogsExpirationDays,
		NoncurrentVersionExpirationDays: AccessLogsNoncurrentVersionExpirationDays,
		Tags:                            s.Tags,
		Provider:                        s.Provider,
	})
	if err != nil {
		return err
	}
	if err := bucket.AddToResourcePolicy(AccessLogsStatement(validate.PartitionOf(s.Region), s.Region, s.AccountId, *bucket.Arn())); err != nil {
		return err
	}
	r.AccessLogsBucket = bucket
	r.LoadBalancer = lb.NewLb(in, jsii.String("alb"), &lb.LbConfig{
		Provider:                 s.Provider,
		Tags:                     common.Tags(s.Tags, nil),
		Name:                     jsii.String(s.LoadBalancerName),
		LoadBalancerType:         jsii.String("application"),
		Internal:                 jsii.Bool(s.Internal),
		IpAddressType:            jsii.String("ipv4"),
		Subnets:                  jsii.Strings(s.SubnetIds...),
		SecurityGroups:           &[]*string{r.SecurityGroupId()},
		DropInvalidHeaderFields:  jsii.Bool(true),
		EnableDeletionProtection: jsii.Bool(!s.DisableDeletionProtection),
		DesyncMitigationMode:     jsii.String(s.DesyncMitigationMode),
		IdleTimeout:              jsii.Number(float64(s.IdleTimeoutSeconds)),
		EnableHttp2:              jsii.Bool(true),
		AccessLogs: &lb.LbAccessLogs{
			Bucket:  bucket.Bucket.Id(),
			Prefix:  jsii.String(AccessLogsPrefix),
			Enabled: jsii.Bool(true),
		},
		// ELB checks that it may write to the bucket when logging is set.
		DependsOn: &[]cdktf.ITerraformDependable{bucket.Policy},
	})
	return nil
}

// BuildListeners creates the certificate (with CertificateDomainName), the
// HTTPS listener with defaultAction and the HTTP listener that redirects
// to it; with AllowPlainHttp only the HTTP listener, with defaultAction.
func (r *Resources) BuildListeners(in constructs.Construct, s Settings, defaultAction *[]*lblistener.LbListenerDefaultAction) {
	p, tags := s.Provider, common.Tags(s.Tags, nil)
	if s.AllowPlainHttp {
		// Dev only (see AllowPlainHttp).
		r.HttpListener = lblistener.NewLbListener(in, jsii.String("http_listener"), &lblistener.LbListenerConfig{
			Provider:        p,
			Tags:            tags,
			LoadBalancerArn: r.LoadBalancerArn(),
			Port:            jsii.Number(80),
			Protocol:        jsii.String("HTTP"),
			DefaultAction:   defaultAction,
		})
		return
	}
	certArn := jsii.String(s.CertificateArn)
	if s.CertificateDomainName != "" {
		cc := &acmcertificate.AcmCertificateConfig{
			Provider:         p,
			Tags:             tags,
			DomainName:       jsii.String(s.CertificateDomainName),
			ValidationMethod: jsii.String("DNS"),
			KeyAlgorithm:     jsii.String("RSA_2048"),
			Lifecycle:        &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
		}
		if len(s.CertificateSANs) > 0 {
			cc.SubjectAlternativeNames = jsii.Strings(s.CertificateSANs...)
		}
		r.Certificate = acmcertificate.NewAcmCertificate(in, jsii.String("certificate"), cc)
		// One record per distinct validation name, keyed by names known at
		// plan time (the config's literals): the certificate's
		// domain_validation_options are only known after apply, so keys
		// derived from them cannot key for_each. ACM validates "x" and "*.x"
		// with the same record, so they share one.
		it := cdktf.TerraformIterator_FromList(jsii.Strings(ValidationNames(s.CertificateDomainName, s.CertificateSANs)...))
		certFqn := *r.Certificate.Fqn()
		option := func(attr string) *string {
			return jsii.String(fmt.Sprintf(`${{for o in %s.domain_validation_options : trimprefix(o.domain_name, "*.") => o.%s...}[each.value][0]}`, certFqn, attr))
		}
		r.CertificateValidationRecords = route53record.NewRoute53Record(in, jsii.String("certificate_validation_record"), &route53record.Route53RecordConfig{
			Provider:       p,
			ForEach:        it,
			ZoneId:         jsii.String(s.Route53ZoneId),
			Name:           option("resource_record_name"),
			Type:           option("resource_record_type"),
			Records:        &[]*string{option("resource_record_value")},
			Ttl:            jsii.Number(60),
			AllowOverwrite: jsii.Bool(true),
		})
		r.CertificateValidation = acmcertificatevalidation.NewAcmCertificateValidation(in, jsii.String("certificate_validation"), &acmcertificatevalidation.AcmCertificateValidationConfig{
			Provider:              p,
			CertificateArn:        r.Certificate.Arn(),
			ValidationRecordFqdns: cdktf.Token_AsList(jsii.String(fmt.Sprintf("${[for r in %s : r.fqdn]}", *r.CertificateValidationRecords.Fqn())), nil),
		})
		certArn = r.CertificateValidation.CertificateArn()
	}
	r.HttpsListener = lblistener.NewLbListener(in, jsii.String("https_listener"), &lblistener.LbListenerConfig{
		Provider:        p,
		Tags:            tags,
		LoadBalancerArn: r.LoadBalancerArn(),
		Port:            jsii.Number(443),
		Protocol:        jsii.String("HTTPS"),
		SslPolicy:       jsii.String(s.SslPolicy),
		CertificateArn:  certArn,
		DefaultAction:   defaultAction,
	})
	r.HttpListener = lblistener.NewLbListener(in, jsii.String("http_listener"), &lblistener.LbListenerConfig{
		Provider:        p,
		Tags:            tags,
		LoadBalancerArn: r.LoadBalancerArn(),
		Port:            jsii.Number(80),
		Protocol:        jsii.String("HTTP"),
		DefaultAction: &[]*lblistener.LbListenerDefaultAction{{
			Type: jsii.String("redirect"),
			Redirect: &lblistener.LbListenerDefaultActionRedirect{
				Protocol:   jsii.String("HTTPS"),
				Port:       jsii.String("443"),
				StatusCode: jsii.String("HTTP_301"),
			},
		}},
	})
}

// Reasons recorded with the ALB's policy suppressions.
const (
	PublicAlbReason = "The one intended exposure: an internet-facing ALB that accepts only 443 (TLS 1.2+) and 80 (301 to HTTPS) " +
		"from IngressCidrBlocks, drops invalid headers and forwards only to the target groups of its services; tasks stay in private subnets. " +
		"Set Internal to remove it."
	AccessLogsSseS3Reason = "Elastic Load Balancing delivers access logs only to SSE-S3 buckets " +
		"(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). " +
		"Compensating: all public access blocked, BucketOwnerEnforced, TLS-only policy, writes only by the ELB log delivery principal, lifecycle expiry."
)

// Suppress declares the ALB's deliberate exceptions to the policy rule
// pack: the internet-facing ALB (only when it is) and the SSE-S3 bucket.
func (r *Resources) Suppress(s Settings, publicReason string) error {
	if !s.Internal {
		if err := policy.Suppress(r.LoadBalancer, "HC-LB-001", publicReason); err != nil {
			return err
		}
	}
	return policy.Suppress(r.AccessLogsBucket.Bucket, "HC-S3-002", AccessLogsSseS3Reason)
}

// CheckSubnets checks subnet IDs (elements may be tokens): at least min
// when every element is literal, no repeats.
func CheckSubnets(v *validate.Collector, field string, ids []string, min int, what string) {
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		if validate.HasToken(id) {
			continue // ConfigTokens checked it
		}
		v.Rule(f, id, validate.EC2IDRule(id, validate.SubnetID))
	}
	// A list token (e.g. a whole subnet-ID list attribute) stands for a
	// list whose length only Terraform knows; a string token is one subnet.
	v.Check(validate.IsListToken(ids) || len(ids) >= min, field, ids, "is required: "+what)
	CheckUnique(v, field, ids)
}

// CheckCIDRs checks literal IPv4 CIDRs other than vpcCidr (checked on its
// own).
func CheckCIDRs(v *validate.Collector, field string, cidrs []string, vpcCidr string) {
	for i, cidr := range cidrs {
		if validate.HasToken(cidr) || (cidr == vpcCidr && vpcCidr != "") {
			continue
		}
		if p, rule := validate.CIDR(cidr); rule != "" {
			v.Add(fmt.Sprintf("%s[%d]", field, i), cidr, rule)
		} else {
			v.Check(p.Addr().Is4(), fmt.Sprintf("%s[%d]", field, i), cidr, "must be an IPv4 CIDR")
		}
	}
}

// CheckUnique reports a list that repeats an entry: every entry becomes one
// security group rule, and AWS rejects a duplicate rule at apply time.
func CheckUnique(v *validate.Collector, field string, list []string) {
	seen := map[string]bool{}
	for _, x := range list {
		if seen[x] {
			v.Add(field, list, "must not repeat an entry: each one becomes a security group rule, and AWS rejects duplicate rules")
			return
		}
		seen[x] = true
	}
}

// Within reports whether prefix p lies entirely inside r.
func Within(p, r netip.Prefix) bool { return r.Bits() <= p.Bits() && r.Contains(p.Addr()) }
