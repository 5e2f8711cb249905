package validate

import (
	"regexp"
	"strings"
)

// DNS names and Route 53 identifiers.

// hostedZoneIDRe is Route 53's hosted zone ID: "Z" and uppercase letters
// and digits, at most 32 characters in all (the HostedZone Id of the API,
// without its "/hostedzone/" prefix).
var hostedZoneIDRe = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// HostedZoneIDRule is the rule text of HostedZoneID.
const HostedZoneIDRule = "must be a Route 53 hosted zone ID: Z followed by uppercase letters and digits, at most 32 characters (without \"/hostedzone/\")"

// HostedZoneID returns why id is not a Route 53 hosted zone ID such as
// "Z0123456789ABCDEFGHIJ", or "". A leading "/hostedzone/" (as the API
// returns it) is refused: the provider's zone_id takes the bare ID. See
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_HostedZone.html
func HostedZoneID(id string) string {
	if strings.HasPrefix(id, "/hostedzone/") && hostedZoneIDRe.MatchString(strings.TrimPrefix(id, "/hostedzone/")) {
		return HostedZoneIDRule + ": use " + strings.TrimPrefix(id, "/hostedzone/")
	}
	if !hostedZoneIDRe.MatchString(id) {
		return HostedZoneIDRule
	}
	return ""
}

// DNSName returns why name is not a lowercase DNS name of at least two
// labels ("example.com", "dev.example.com"), or "": at most 253
// characters, labels of 1-63 lowercase letters, digits and '-', not
// starting or ending with '-', and no wildcard. It is CertificateDomainName
// without the "*." form, for names that identify one host or zone (a
// hosted zone's domain, an application's host name).
func DNSName(name string) string {
	const rule = "must be a lowercase DNS name such as app.example.com (labels of letters, digits and '-', at least two labels, at most 253 characters, no wildcard)"
	if strings.HasPrefix(name, "*") {
		return rule
	}
	if r := dnsNameRule(name, false); r != "" {
		if strings.HasPrefix(r, "must be lowercase") {
			return r
		}
		return rule
	}
	return ""
}

// dnsNameRule checks the labels of name; wildcard allows "*" as the whole
// first label. It returns "" or a rule ("must be lowercase ..." when only
// the case is wrong).
func dnsNameRule(name string, wildcard bool) string {
	if name == "" || len(name) > 253 {
		return "invalid"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "invalid"
	}
	for i, l := range labels {
		if i == 0 && wildcard && l == "*" {
			continue
		}
		if !dnsLabelRe.MatchString(l) {
			if strings.ToLower(l) != l && dnsLabelRe.MatchString(strings.ToLower(l)) {
				return "must be lowercase (ACM and Route 53 store names in lowercase): " + strings.ToLower(name)
			}
			return "invalid"
		}
	}
	return ""
}
