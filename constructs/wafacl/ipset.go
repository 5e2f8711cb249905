package wafacl

import (
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/wafv2ipset"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/registry"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// MaxIPSetAddresses is the most CIDR blocks one WAF IP set may hold (a
// fixed AWS WAF quota; the provider's addresses MaxItems).
// See https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
const MaxIPSetAddresses = 10000

// IP address versions of an IP set.
const (
	IPV4 = "IPV4"
	IPV6 = "IPV6"
)

// IPSetConfig configures NewIPSet.
type IPSetConfig struct {
	// Name is the IP set's name (validate.WAFName), unique per scope in the
	// account and region. Default: validate.NameFromID(id).
	Name string
	// Description, at most 256 characters of letters, digits, spaces and
	// _ + = : # @ / - , . Default "IP set <Name>".
	Description string
	// Scope is REGIONAL (default) or CLOUDFRONT (Region us-east-1); it
	// must be the scope of every web ACL that references the set.
	Scope string
	// IPAddressVersion is IPV4 or IPV6. Default: the version of Addresses
	// (required when Addresses is empty or holds tokens).
	IPAddressVersion string
	// Addresses are CIDR blocks of one IP version, in canonical form
	// ("203.0.113.0/24", "2001:db8::/32": no host bits, lowercase IPv6),
	// not /0 (WAF refuses it), without duplicates, at most 10,000.
	Addresses []string
	// AccountId and Region are where the set deploys. Required unless
	// Provider has a literal region and one allowed_account_ids entry.
	AccountId, Region string
	// Tags are set on the IP set (merged with the provider's default_tags).
	Tags map[string]string
	// Provider creates the set with this AWS provider. Default: the
	// stack's default provider.
	Provider cdktf.TerraformProvider
}

// IPSet is an aws_wafv2_ip_set made by NewIPSet; IPSetReference{IPSet: s}
// references it from a statement of any web ACL of its scope.
type IPSet struct {
	// Construct holds the set.
	Construct constructs.Construct
	// Set is the aws_wafv2_ip_set.
	Set wafv2ipset.Wafv2IpSet
	// Config is the config after defaults were applied.
	Config IPSetConfig
}

// Arn is the set's ARN (a token).
func (s *IPSet) Arn() string { return *s.Set.Arn() }

// NewIPSet validates cfg and creates a WAF IP set. It returns a
// *validate.Error listing every problem, and creates nothing, when cfg,
// scope or id is invalid.
// See https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html
func NewIPSet(scope constructs.Construct, id string, cfg *IPSetConfig) (*IPSet, error) {
	v := validate.NewFor("wafacl.NewIPSet", id)
	baseline.CheckScope(v, scope, id)
	if cfg != nil {
		common.CheckProviderScope(v, scope, cfg.Provider)
	}
	c := cfg.withDefaults(v, id)
	var claims []registry.Claim
	if cfg != nil {
		claims = []registry.Claim{{Kind: registry.IPSet, Name: c.Name, Field: "Name", Qualifier: c.Scope}}
	}
	res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region), Account: c.AccountId, Region: c.Region}, claims)
	if err := v.Err(); err != nil {
		return nil, err
	}
	res.Commit()
	s := &IPSet{Construct: constructs.NewConstruct(scope, jsii.String(id)), Config: c}
	tree.Child(scope, id, s.Construct)
	s.Set = newIPSet(s.Construct, "ip_set", c.Name, c.Description, c.Scope, c.IPAddressVersion, c.Addresses, c.Tags, c.Provider)
	return s, nil
}

// Validate checks the config as NewIPSet(scope, id, cfg) does, without the
// checks that need the construct tree. It returns nil or a *validate.Error.
func (cfg *IPSetConfig) Validate(id string) error {
	v := validate.NewFor("wafacl.NewIPSet", id)
	cfg.withDefaults(v, id)
	return v.Err()
}

func (cfg *IPSetConfig) withDefaults(v *validate.Collector, id string) IPSetConfig {
	if cfg == nil {
		v.Add("config", nil, "is required")
		return IPSetConfig{}
	}
	c := *cfg
	common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
	nameField := "Name"
	if c.Name == "" {
		c.Name, nameField = validate.NameFromID(id), "id"
	}
	if c.Scope == "" {
		c.Scope = ScopeRegional
	}
	v.ConfigTokens(c)
	env := v.Env("AccountId", c.AccountId, "Region", c.Region)
	common.CheckTags(v, "Tags", c.Tags)
	nameOK := !(nameField == "id" && v.Failed("id")) && checkName(v, nameField, c.Name)
	if c.Description == "" && nameOK {
		c.Description = "IP set " + c.Name
	}
	if cfg.Description != "" {
		checkDescription(v, "Description", c.Description)
	}
	checkScope(v, c.Scope, env)
	v4, v6 := splitCIDRs(c.Addresses)
	switch c.IPAddressVersion {
	case "":
		switch {
		case len(v4) > 0 && len(v6) > 0:
			v.Add("Addresses", fmt.Sprintf("%d IPv4 and %d IPv6 blocks", len(v4), len(v6)), "must be of one IP version: an IP set holds IPv4 or IPv6 addresses (make two sets)")
		case len(v4) > 0:
			c.IPAddressVersion = IPV4
		case len(v6) > 0:
			c.IPAddressVersion = IPV6
		case len(c.Addresses) == 0:
			v.Add("IPAddressVersion", "", "is required when Addresses is empty: IPV4 or IPV6")
		}
	default:
		v.OneOf("IPAddressVersion", c.IPAddressVersion, []string{IPV4, IPV6})
	}
	checkAddresses(v, "Addresses", c.Addresses, c.IPAddressVersion)
	return c
}

// checkAddresses checks CIDR blocks for WAF: canonical, not /0, no
// duplicates, of version ("" for either), at most MaxIPSetAddresses of each
// version (each version is one IP set).
func checkAddresses(v *validate.Collector, field string, cidrs []string, version string) {
	seen := map[string]int{}
	for i, s := range cidrs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !v.Literal(f, s) {
			if version == "" {
				v.Add(f, s, "must be a literal CIDR block: its IP version decides its IP set at synth time")
			}
			continue
		}
		p, rule := validate.CIDR(s)
		if rule != "" {
			v.Add(f, s, rule+" (IPv4 or IPv6)")
			continue
		}
		if p.String() != s {
			v.Suggest(f, s, "must be in canonical form, as WAF stores it (otherwise every plan shows a change)", p.String())
			continue
		}
		if p.Bits() == 0 {
			v.Add(f, s, "must not be /0: AWS WAF refuses it (to match every address, use a rule without an IP set)")
			continue
		}
		switch {
		case version == IPV4 && !p.Addr().Is4():
			v.Add(f, s, "must be an IPv4 CIDR block (IPAddressVersion IPV4)")
			continue
		case version == IPV6 && p.Addr().Is4():
			v.Add(f, s, "must be an IPv6 CIDR block (IPAddressVersion IPV6)")
			continue
		}
		if j, dup := seen[s]; dup {
			v.Add(f, s, fmt.Sprintf("is listed twice (also %s[%d])", field, j))
			continue
		}
		seen[s] = i
	}
	v4, v6 := splitCIDRs(cidrs)
	for _, n := range []struct {
		what string
		list []string
	}{{"IPv4", v4}, {"IPv6", v6}} {
		v.Check(len(n.list) <= MaxIPSetAddresses, field, len(n.list),
			fmt.Sprintf("holds %d %s blocks: an IP set holds at most %d (the AWS WAF limit)", len(n.list), n.what, MaxIPSetAddresses))
	}
}

// splitCIDRs returns the valid blocks of cidrs by version, canonical.
func splitCIDRs(cidrs []string) (v4, v6 []string) {
	for _, s := range cidrs {
		if p, rule := validate.CIDR(s); rule == "" {
			if p.Addr().Is4() {
				v4 = append(v4, p.String())
			} else {
				v6 = append(v6, p.String())
			}
		}
	}
	return v4, v6
}

func newIPSet(scope constructs.Construct, id, name, description, wafScope, version string, addresses []string, tags map[string]string, p cdktf.TerraformProvider) wafv2ipset.Wafv2IpSet {
	return wafv2ipset.NewWafv2IpSet(scope, jsii.String(id), &wafv2ipset.Wafv2IpSetConfig{
		Provider:         p,
		Tags:             common.Tags(tags, nil),
		Name:             jsii.String(name),
		Description:      jsii.String(escape(description)),
		Scope:            jsii.String(wafScope),
		IpAddressVersion: jsii.String(version),
		Addresses:        stringList(addresses),
	})
}

func stringList(ss []string) *[]*string {
	out := make([]*string, len(ss))
	for i, s := range ss {
		out[i] = jsii.String(s)
	}
	return &out
}

var descriptionRe = regexp.MustCompile(`^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]{0,254}[\w+=:#@/\-,.]$|^[\w+=:#@/\-,.]$`)

// checkDescription: a WAF description (web ACL, IP set), 1-256 characters
// of letters, digits, spaces and _ + = : # @ / - , . not beginning or ending
// with a space. See https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
func checkDescription(v *validate.Collector, field, d string) {
	if v.Literal(field, d) {
		v.Check(descriptionRe.MatchString(d), field, d, "must be 1-256 characters of letters, digits, spaces and _ + = : # @ / - , . (not beginning or ending with a space)")
	}
}

// checkName: a WAF name (web ACL, IP set); field is "id" when the name is
// the default from the construct id.
func checkName(v *validate.Collector, field, name string) bool {
	rule := wafNameRule(name)
	if rule != "" && field == "id" {
		rule = fmt.Sprintf("gives no usable default Name (Name is empty and validate.NameFromID(id) is %q, which %s): set Name", name, rule)
	}
	return v.Rule(field, name, rule)
}

func wafNameRule(name string) string { return validate.WAFName(name) }

// checkScope checks a WAF scope against the deployment's region.
func checkScope(v *validate.Collector, scope string, env validate.Env) {
	switch scope {
	case ScopeRegional:
	case ScopeCloudfront:
		if env.Region != "" {
			v.Check(env.Region == CloudfrontRegion, "Scope", scope, fmt.Sprintf("CLOUDFRONT is only available in %s (Region is %q); use REGIONAL, or a provider in %s", CloudfrontRegion, env.Region, CloudfrontRegion))
		}
	default:
		v.OneOf("Scope", scope, []string{ScopeRegional, ScopeCloudfront})
	}
}

// CloudfrontRegion is the only region where WAF resources of scope
// CLOUDFRONT exist.
const CloudfrontRegion = "us-east-1"
