package albcore

// ModernSslPolicies are the ALB security policies SslPolicy may name: TLS 1.2
// or later with forward-secret AEAD ciphers only (no "Ext" policies, which
// add CBC and non-FS ciphers, and no TLS 1.0/1.1 policies).
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
var ModernSslPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
}

// ElbLogDeliveryAccounts maps the regions that opened before August 2022 to
// the Elastic Load Balancing account that writes ALB access logs there. In
// every other region the log-delivery service principal
// logdelivery.elasticloadbalancing.amazonaws.com writes them.
// See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
var ElbLogDeliveryAccounts = map[string]string{
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887",
	"ap-northeast-3": "383597477331",
	"ap-south-1":     "718504428378",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ap-southeast-3": "589379963580",
	"ca-central-1":   "985666609251",
	"cn-north-1":     "638102146993",
	"cn-northwest-1": "037604701340",
	"eu-central-1":   "054676820928",
	"eu-north-1":     "897822967062",
	"eu-south-1":     "635631232127",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-west-3":      "009996457667",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-gov-east-1":  "190560391635",
	"us-gov-west-1":  "048591011584",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
}

// ElbLogDeliveryServicePrincipal writes ALB access logs in regions that are
// not in ElbLogDeliveryAccounts.
const ElbLogDeliveryServicePrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"
