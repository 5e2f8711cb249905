package validate

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Partitions maps every AWS partition to the regions the AWS provider
// 5.100 accepts (it rejects other region names at plan time unless
// skip_region_validation is set). Checked by planning one provider per
// candidate region with hashicorp/aws 5.100.0.
// See https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
var Partitions = map[string][]string{
	"aws": {
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
		"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
		"me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
		"us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-iso":    {"us-iso-east-1", "us-iso-west-1"},
	"aws-iso-b":  {"us-isob-east-1"},
	"aws-iso-e":  {"eu-isoe-west-1"},
	"aws-iso-f":  {"us-isof-east-1", "us-isof-south-1"},
	"aws-eusc":   {"eusc-de-east-1"},
}

var (
	regionPartition = map[string]string{}
	knownRegions    []string
	// partitionPrefixes decide the partition of a region the table does
	// not list (a region newer than the provider), longest prefix first.
	partitionPrefixes = []struct{ prefix, partition string }{
		{"us-gov-", "aws-us-gov"}, {"us-isob-", "aws-iso-b"}, {"us-isof-", "aws-iso-f"}, {"eu-isoe-", "aws-iso-e"},
		{"us-iso-", "aws-iso"}, {"eusc-", "aws-eusc"}, {"cn-", "aws-cn"},
	}
	// dnsSuffixes are the partitions' service domains (aws: amazonaws.com).
	dnsSuffixes = map[string]string{
		"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com",
		"aws-iso": "c2s.ic.gov", "aws-iso-b": "sc2s.sgov.gov", "aws-iso-e": "cloud.adc-e.uk",
		"aws-iso-f": "csp.hci.ic.gov", "aws-eusc": "amazonaws.eu",
	}
	regionShapeRe = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d+$`)
)

func init() {
	for p, rs := range Partitions {
		for _, r := range rs {
			regionPartition[r] = p
			knownRegions = append(knownRegions, r)
		}
	}
	sort.Strings(knownRegions)
}

// Regions returns every region the AWS provider 5.100 knows, sorted.
func Regions() []string { return slices.Clone(knownRegions) }

// Region reports whether r is a region the AWS provider 5.100 knows (see
// Partitions).
func Region(r string) bool { _, ok := regionPartition[r]; return ok }

// PartitionOf returns the ARN partition of a region ("aws", "aws-cn",
// "aws-us-gov", "aws-iso", ..., "aws-eusc"): from Partitions, or for a
// region the table does not know from its prefix ("cn-" is aws-cn). It
// needs no data source, so plans stay offline. It is the one
// implementation in this module (iampolicy.Partition calls it).
func PartitionOf(region string) string {
	if p, ok := regionPartition[region]; ok {
		return p
	}
	for _, pp := range partitionPrefixes {
		if strings.HasPrefix(region, pp.prefix) {
			return pp.partition
		}
	}
	return "aws"
}

// DNSSuffix returns the service domain of a partition, e.g.
// "amazonaws.com" for aws and "amazonaws.com.cn" for aws-cn (used in ECR
// registry hosts and service endpoints).
func DNSSuffix(partition string) string {
	if s, ok := dnsSuffixes[partition]; ok {
		return s
	}
	return "amazonaws.com"
}

// RegionRule returns why r is not a known region ("" when it is) and, for
// a typo, the nearest known region.
func RegionRule(r string) (rule, suggestion string) {
	if Region(r) {
		return "", ""
	}
	if r == "" {
		return "is required: an AWS region code such as us-east-1", ""
	}
	rule = "must be an AWS region the AWS provider knows, such as us-east-1 (see validate.Partitions)"
	if regionShapeRe.MatchString(r) {
		rule = "is not a region the AWS provider 5.100 knows (it rejects unknown regions unless skip_region_validation); see validate.Partitions"
	}
	return rule, Nearest(strings.ToLower(r), knownRegions)
}

// Region records a problem, with the nearest known region as suggestion,
// unless value is a region the AWS provider knows; it reports validity.
func (c *Collector) Region(field, value string) bool {
	rule, s := RegionRule(value)
	if rule != "" {
		c.Suggest(field, value, rule, s)
	}
	return rule == ""
}

// AccountID records AccountIDRule unless value is a 12-digit account ID,
// and reports validity.
func (c *Collector) AccountID(field, value string) bool {
	return c.Check(AccountID(value), field, value, AccountIDRule)
}

// azNameRe is the part of an AZ name after its region: a letter
// ("us-east-1a") or a Local Zone / Wavelength group ("-bos-1a").
var (
	azSuffixRe = regexp.MustCompile(`^([a-z]|-[a-z0-9]+-\d+[a-z])$`)
	azIDRe     = regexp.MustCompile(`^[a-z]{3,4}\d+-az\d+$`)
)

// AvailabilityZoneRule returns why az is not an availability zone name of
// region ("us-east-1a"; Local Zones such as "us-east-1-bos-1a" too), or "".
// See https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
func AvailabilityZoneRule(az, region string) string {
	if strings.HasPrefix(az, region) && azSuffixRe.MatchString(strings.TrimPrefix(az, region)) {
		return ""
	}
	return fmt.Sprintf("must be an availability zone name of region %s, such as %sa", region, region)
}

// AvailabilityZoneIDRule returns why id is not an AZ ID such as "use1-az1"
// (the account-independent zone identifier), or "".
func AvailabilityZoneIDRule(id string) string {
	if azIDRe.MatchString(id) {
		return ""
	}
	return "must be an availability zone ID such as use1-az1"
}
