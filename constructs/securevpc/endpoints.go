package securevpc

import (
	"net/netip"
	"slices"
)

// endpointPrefixes lists, per region, the services among those this
// package creates whose interface endpoint service name does not start
// with "com.amazonaws" but with the prefix given (as
// `aws ec2 describe-vpc-endpoint-services` lists them; AWS CDK keeps the
// same table). In the China regions, for example, ECR's endpoints are
// "cn.com.amazonaws.cn-north-1.ecr.api" while CloudWatch Logs' is
// "com.amazonaws.cn-north-1.logs".
var endpointPrefixes = map[string]struct {
	prefix   string
	services []string
}{
	"cn-north-1":      {"cn.com.amazonaws", []string{"ecr.api", "ecr.dkr", "monitoring", "sqs", "sts", "xray"}},
	"cn-northwest-1":  {"cn.com.amazonaws", []string{"ecr.api", "ecr.dkr", "monitoring", "sqs", "sts", "xray"}},
	"eusc-de-east-1":  {"eu.amazonaws", []string{"ecr.api", "ecr.dkr"}},
	"us-iso-east-1":   {"gov.ic.c2s", []string{"ecr.api", "ecr.dkr", "sns", "sqs"}},
	"us-iso-west-1":   {"gov.ic.c2s", []string{"ecr.api", "ecr.dkr", "monitoring", "sns", "sqs"}},
	"us-isob-east-1":  {"gov.sgov.sc2s", []string{"ecr.api", "ecr.dkr", "sns", "sqs"}},
	"us-isof-east-1":  {"gov.ic.hci.csp", []string{"ecr.api", "ecr.dkr"}},
	"us-isof-south-1": {"gov.ic.hci.csp", []string{"ecr.api", "ecr.dkr"}},
	"eu-isoe-west-1":  {"uk.adc-e.cloud", []string{"ecr.api", "ecr.dkr"}},
}

// EndpointServiceName is the service name of the interface endpoint of
// service in region: "com.amazonaws.<region>.<service>", or the region's
// own prefix where AWS uses one (China: "cn.com.amazonaws.cn-north-1.ecr.api";
// GovCloud uses "com.amazonaws").
// See https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
func EndpointServiceName(region, service string) string {
	if e, ok := endpointPrefixes[region]; ok && slices.Contains(e.services, service) {
		return e.prefix + "." + region + "." + service
	}
	return "com.amazonaws." + region + "." + service
}

// GatewayEndpointServiceName is the service name of a gateway endpoint
// (s3, dynamodb): "com.amazonaws.<region>.<service>" in every partition.
func GatewayEndpointServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}

func strs(ps []netip.Prefix) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// overlapping returns the first prefix in used that overlaps p.
func overlapping(p netip.Prefix, used []netip.Prefix) netip.Prefix {
	for _, u := range used {
		if u.Overlaps(p) {
			return u
		}
	}
	return netip.Prefix{}
}

// allocate returns the lowest block of the given prefix length inside vpc
// that overlaps nothing in used.
func allocate(vpc netip.Prefix, used []netip.Prefix, bits int) (netip.Prefix, bool) {
	a := vpc.Addr().As4()
	base := uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8 | uint64(a[3])
	end := base + 1<<(32-vpc.Bits())
	size := uint64(1) << (32 - bits)
	for start := base; start+size <= end; start += size {
		addr := netip.AddrFrom4([4]byte{byte(start >> 24), byte(start >> 16), byte(start >> 8), byte(start)})
		p := netip.PrefixFrom(addr, bits)
		if !overlapping(p, used).IsValid() {
			return p, true
		}
	}
	return netip.Prefix{}, false
}
