package securevpc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hardened-iac/cdktf-aws/constructs/securebucket"
	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// otherAccount is an account the tests' configs must not accept.
const otherAccount = "210987654321"

// appTokens returns tokens that belong to the running app (a variable's
// string and list values).
func appTokens(t *testing.T) (str string, list []string) {
	t.Helper()
	stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("tokens"))
	v := cdktf.NewTerraformVariable(stack, jsii.String("x"), &cdktf.TerraformVariableConfig{})
	return *v.StringValue(), []string{*(*v.ListValue())[0]}
}

// problems returns the problems of err (none for nil).
func problems(t *testing.T, err error) []validate.Problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	return ve.Problems
}

func denyList(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("198.18.%d.0/24", i))
	}
	return out
}

// TestRules: every rule of rules.go with a failing input (exactly one
// problem, on the field, with the rule text and the suggestion where there
// is one) and a passing one.
func TestRules(t *testing.T) {
	tok, listTok := appTokens(t)
	stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("rules"))
	sameAccountKey, err := securekey.NewSecureKey(stack, "key", &securekey.SecureKeyConfig{AccountId: account, Region: region})
	require.NoError(t, err)
	cnBucket, err := securebucket.NewSecureBucket(stack, "cn_bucket", &securebucket.SecureBucketConfig{BucketName: "rules-cn-" + account, AccountId: account, Region: "cn-north-1"})
	require.NoError(t, err)
	otherAccountBucket, err := securebucket.NewSecureBucket(stack, "other_bucket", &securebucket.SecureBucketConfig{BucketName: "rules-other-" + account, AccountId: otherAccount, Region: region})
	require.NoError(t, err)
	keyArn := func(acct, r string) string {
		return "arn:" + validate.PartitionOf(r) + ":kms:" + r + ":" + acct + ":key/0b7a1d8e-3c2f-4e5a-9b6c-7d8e9f0a1b2c"
	}

	type cfgFn = func(c *securevpc.SecureVpcConfig)
	tests := []struct {
		name          string
		bad, good     cfgFn
		field, rule   string
		suggestion    string
		noSuggestions bool
	}{
		// Unset is not zero: 0 is a value, refused where AWS refuses it.
		{name: "prefix length 0", bad: func(c *securevpc.SecureVpcConfig) { c.PublicSubnetPrefixLength = new(0) },
			good: func(c *securevpc.SecureVpcConfig) { c.PublicSubnetPrefixLength = new(28) }, field: "PublicSubnetPrefixLength", rule: "16-28", suggestion: "16"},
		{name: "prefix length 29", bad: func(c *securevpc.SecureVpcConfig) { c.IsolatedSubnets, c.IsolatedSubnetPrefixLength = true, new(29) },
			good: func(c *securevpc.SecureVpcConfig) { c.IsolatedSubnets, c.IsolatedSubnetPrefixLength = true, new(28) }, field: "IsolatedSubnetPrefixLength", suggestion: "28"},
		{name: "AZ count 0", bad: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones, c.AvailabilityZoneCount = nil, new(0) },
			good: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones, c.AvailabilityZoneCount = nil, new(6) }, field: "AvailabilityZoneCount", suggestion: "2"},
		{name: "AZ count 7", bad: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones, c.AvailabilityZoneCount = nil, new(7) },
			good: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones, c.AvailabilityZoneCount = nil, new(2) }, field: "AvailabilityZoneCount", suggestion: "6"},
		{name: "retention 0", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.RetentionInDays = new(0) },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.RetentionInDays = new(1) }, field: "FlowLogs.RetentionInDays", suggestion: "1"},
		{name: "aggregation interval 0", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.MaxAggregationIntervalSeconds = new(0) },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.MaxAggregationIntervalSeconds = new(60) }, field: "FlowLogs.MaxAggregationIntervalSeconds", rule: "seconds", suggestion: "60"},
		{name: "rule quota below the default", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(19)}
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(20)}
			}, field: "NetworkAcls.RuleQuota", suggestion: "20"},
		{name: "rule quota above the maximum", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(41)}
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(40)}
			}, field: "NetworkAcls.RuleQuota", suggestion: "40"},
		{name: "rule quota without ACLs", bad: func(c *securevpc.SecureVpcConfig) { c.NetworkAcls.RuleQuota = new(40) },
			good: func(c *securevpc.SecureVpcConfig) {}, field: "NetworkAcls.RuleQuota", noSuggestions: true},

		// Deny list limits.
		{name: "deny list over the default quota", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: denyList(18)}
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: denyList(17)}
			},
			field: "NetworkAcls.DenyCidrBlocks", rule: "at most 17"},
		{name: "deny list over a raised quota", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(40), DenyCidrBlocks: denyList(38)}
		}, good: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, RuleQuota: new(40), DenyCidrBlocks: denyList(37)}
		}, field: "NetworkAcls.DenyCidrBlocks", rule: "at most 37"},
		{name: "deny variable without room", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: denyList(17), DenyCidrBlocksVariable: "blocked"}
		}, good: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: denyList(16), DenyCidrBlocksVariable: "blocked"}
		}, field: "NetworkAcls.DenyCidrBlocksVariable"},
		{name: "deny CIDRs that overlap", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"203.0.113.7/32", "203.0.113.0/24"}}
		}, good: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"203.0.113.0/25", "203.0.113.128/25"}}
		}, field: "NetworkAcls.DenyCidrBlocks[1]", rule: "overlaps NetworkAcls.DenyCidrBlocks[0]", suggestion: "203.0.113.0/24"},

		// Tokens: one test for all fields; literals that look like tokens
		// are literals.
		{name: "CIDR block as a token", bad: func(c *securevpc.SecureVpcConfig) { c.CidrBlock = tok },
			good: func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.1.0.0/16" }, field: "CidrBlock", rule: validate.LiteralRule},
		{name: "CIDR block TfToken[x", bad: func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "TfToken[x" },
			good: func(c *securevpc.SecureVpcConfig) {}, field: "CidrBlock", rule: "CIDR"},
		{name: "pinned CIDR as a token", bad: func(c *securevpc.SecureVpcConfig) { c.PublicSubnetCidrs = []string{"10.0.0.0/24", tok} },
			good: func(c *securevpc.SecureVpcConfig) { c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"} }, field: "PublicSubnetCidrs[1]", rule: validate.LiteralRule},
		{name: "deny CIDR ${", bad: func(c *securevpc.SecureVpcConfig) {
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"${"}}
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{tok}}
			},
			field: "NetworkAcls.DenyCidrBlocks[0]", rule: "CIDR"},
		{name: "AZs as a list token", bad: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = listTok },
			good: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a", tok} }, field: "AvailabilityZones", rule: "AvailabilityZoneCount"},
		{name: "a token of no app", bad: func(c *securevpc.SecureVpcConfig) {
			c.AvailabilityZones = []string{region + "a", "${TfToken[TOKEN.99999]}"}
		},
			good: func(c *securevpc.SecureVpcConfig) {}, field: "AvailabilityZones[1]", rule: "does not belong to this app"},
		{name: "name as a token", bad: func(c *securevpc.SecureVpcConfig) { c.Name = tok },
			good: func(c *securevpc.SecureVpcConfig) { c.Name = "Net_1" }, field: "Name", rule: validate.LiteralRule},
		{name: "S3 destination ${", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "${" },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = tok }, field: "FlowLogs.LogDestination", rule: "S3 bucket ARN"},

		// Tags (the vocabulary's rule, kept for this construct).
		{name: "tag value over 256 characters", bad: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"Owner": strings.Repeat("é", 257)} },
			good: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"Owner": strings.Repeat("é", 256)} }, field: "Tags[Owner]"},
		{name: "tag value with a control character", bad: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"Owner": "team\x07"} },
			good: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"Owner": "team a/b"} }, field: "Tags[Owner]"},
		{name: "tag the construct sets", bad: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"Tier": "x"} },
			good: func(c *securevpc.SecureVpcConfig) { c.Tags = map[string]string{"tier": "x"} }, field: "Tags[Tier]"},

		// Subnet layout, with the nearest prefix length that fits.
		{name: "subnet larger than the VPC", bad: func(c *securevpc.SecureVpcConfig) { c.CidrBlock, c.PrivateSubnetPrefixLength = "10.0.0.0/20", new(18) },
			good:  func(c *securevpc.SecureVpcConfig) { c.CidrBlock, c.PrivateSubnetPrefixLength = "10.0.0.0/20", new(22) },
			field: "PrivateSubnetPrefixLength", rule: "at least the CidrBlock's prefix length 20", suggestion: "22"},
		{name: "tiers that do not fit", bad: func(c *securevpc.SecureVpcConfig) {
			c.CidrBlock, c.AvailabilityZones = "10.0.0.0/22", []string{region + "a", region + "b", region + "c"}
			c.PrivateSubnetPrefixLength = new(24)
		}, good: func(c *securevpc.SecureVpcConfig) {
			c.CidrBlock, c.AvailabilityZones = "10.0.0.0/22", []string{region + "a", region + "b", region + "c"}
			c.PublicSubnetPrefixLength, c.PrivateSubnetPrefixLength = new(26), new(24)
		}, field: "PrivateSubnetPrefixLength", rule: "do not fit", suggestion: "26"},
		{name: "VPC CIDR too large", bad: func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/8" },
			good: func(c *securevpc.SecureVpcConfig) { c.CidrBlock = "10.0.0.0/16" }, field: "CidrBlock", suggestion: "10.0.0.0/16"},
		{name: "pinned CIDRs overlap across tiers", bad: func(c *securevpc.SecureVpcConfig) {
			c.PublicSubnetCidrs, c.IsolatedSubnets, c.IsolatedSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}, true, []string{"10.0.1.128/25", "10.0.2.0/24"}
		}, good: func(c *securevpc.SecureVpcConfig) {
			c.PublicSubnetCidrs, c.IsolatedSubnets, c.IsolatedSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}, true, []string{"10.0.2.0/24", "10.0.3.0/24"}
		}, field: "IsolatedSubnetCidrs[0]", rule: "overlaps 10.0.1.0/24 (PublicSubnetCidrs[1])"},
		{name: "AZ of another region", bad: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a", "ap-southeast-2b"} },
			good: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "a", region + "b"} }, field: "AvailabilityZones[1]", suggestion: region + "b"},
		{name: "duplicate AZ", bad: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "b", region + "b"} },
			good: func(c *securevpc.SecureVpcConfig) { c.AvailabilityZones = []string{region + "b", region + "c"} }, field: "AvailabilityZones[1]", rule: "duplicate of AvailabilityZones[0]"},

		// Enums suggest the right spelling.
		{name: "traffic type casing", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.TrafficType = "reject" },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.TrafficType = "REJECT" }, field: "FlowLogs.TrafficType", suggestion: "REJECT"},
		{name: "NAT mode casing", bad: func(c *securevpc.SecureVpcConfig) { c.NatGateways = "single" },
			good: func(c *securevpc.SecureVpcConfig) { c.NatGateways = securevpc.NatGatewaySingle }, field: "NatGateways", suggestion: "SINGLE"},
		{name: "destination type casing", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestinationType, c.FlowLogs.LogDestination = "S3", s3FlowLogs
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.FlowLogs.LogDestinationType, c.FlowLogs.LogDestination = "s3", s3FlowLogs
			}, field: "FlowLogs.LogDestinationType", suggestion: "s3"},
		{name: "endpoint typo", bad: func(c *securevpc.SecureVpcConfig) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"stss"} },
			good: func(c *securevpc.SecureVpcConfig) { c.Endpoints.AdditionalInterfaceEndpoints = []string{"sts"} }, field: "Endpoints.AdditionalInterfaceEndpoints[0]", suggestion: "sts"},

		// Flow-log destinations.
		{name: "S3 destination of another partition", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "arn:aws-cn:s3:::flow-logs" },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "arn:aws:s3:::flow-logs" }, field: "FlowLogs.LogDestination", rule: `partition "aws"`},
		{name: "S3 destination of another service", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestination = "arn:aws:logs:" + region + ":" + account + ":log-group:flow-logs"
		}, good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "arn:aws:s3:::flow-logs/a/b/" }, field: "FlowLogs.LogDestination", rule: `service "logs"`},
		{name: "malformed S3 ARN", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "arn:aws:s3:::Flow_Logs" },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = "arn:aws:s3:::flow.logs-1" }, field: "FlowLogs.LogDestination"},
		{name: "bucket and ARN", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.Bucket, c.FlowLogs.LogDestination = otherAccountBucket, s3FlowLogs
		},
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.Bucket = otherAccountBucket }, field: "FlowLogs.LogDestination", rule: "one destination"},
		{name: "bucket of another partition", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.Bucket = cnBucket },
			good: func(c *securevpc.SecureVpcConfig) {
				c.FlowLogs.Bucket, c.FlowLogs.BucketPrefix = otherAccountBucket, "a/b"
			}, field: "FlowLogs.Bucket", rule: "cannot cross partitions"},
		{name: "bucket prefix starting with /", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.Bucket, c.FlowLogs.BucketPrefix = otherAccountBucket, "/vpc"
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.FlowLogs.Bucket, c.FlowLogs.BucketPrefix = otherAccountBucket, "vpc/"
			}, field: "FlowLogs.BucketPrefix"},
		{name: "bucket prefix without bucket", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestination, c.FlowLogs.BucketPrefix = s3FlowLogs, "vpc/"
		},
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.LogDestination = s3FlowLogs }, field: "FlowLogs.BucketPrefix"},
		{name: "not a bucket of this app", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.Bucket = &securebucket.SecureBucket{} },
			good: func(c *securevpc.SecureVpcConfig) {}, field: "FlowLogs.Bucket"},
		{name: "file format", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestination, c.FlowLogs.FileFormat = s3FlowLogs, "Parquet"
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.FlowLogs.LogDestination, c.FlowLogs.FileFormat = s3FlowLogs, "parquet"
			}, field: "FlowLogs.FileFormat", suggestion: "parquet"},
		{name: "S3 options with CloudWatch", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.PerHourPartition = true },
			good: func(c *securevpc.SecureVpcConfig) {
				c.FlowLogs.LogDestination, c.FlowLogs.PerHourPartition = s3FlowLogs, true
			}, field: "FlowLogs.PerHourPartition"},
		{name: "retention with S3", bad: func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.LogDestination, c.FlowLogs.RetentionInDays = s3FlowLogs, new(365)
		},
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.RetentionInDays = new(365) }, field: "FlowLogs.RetentionInDays"},
		{name: "key of another account", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.KmsKeyArn = keyArn(otherAccount, region) },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.KmsKeyArn = keyArn(account, region) }, field: "FlowLogs.KmsKeyArn", rule: "account"},
		{name: "key of another region", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.KmsKeyArn = keyArn(account, "ap-southeast-2") },
			good: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.KmsKey = sameAccountKey }, field: "FlowLogs.KmsKeyArn", rule: "region"},
		{name: "a key that is not a SecureKey", bad: func(c *securevpc.SecureVpcConfig) { c.FlowLogs.KmsKey = &securekey.SecureKey{} },
			good: func(c *securevpc.SecureVpcConfig) {}, field: "FlowLogs.KmsKey"},

		// Permissions boundary.
		{name: "boundary of another account", bad: func(c *securevpc.SecureVpcConfig) {
			c.PermissionsBoundary = "arn:aws:iam::" + otherAccount + ":policy/boundary"
		},
			good: func(c *securevpc.SecureVpcConfig) {
				c.PermissionsBoundary = "arn:aws:iam::" + account + ":policy/org/boundary"
			}, field: "PermissionsBoundary", rule: "account"},
		{name: "boundary that is a role", bad: func(c *securevpc.SecureVpcConfig) {
			c.PermissionsBoundary = "arn:aws:iam::" + account + ":role/boundary"
		},
			good: func(c *securevpc.SecureVpcConfig) { c.PermissionsBoundary = "arn:aws:iam::aws:policy/PowerUserAccess" }, field: "PermissionsBoundary"},
		{name: "AWS managed boundary of another partition", bad: func(c *securevpc.SecureVpcConfig) {
			c.PermissionsBoundary = "arn:aws-cn:iam::aws:policy/PowerUserAccess"
		},
			good: func(c *securevpc.SecureVpcConfig) { c.PermissionsBoundary = tok }, field: "PermissionsBoundary", rule: "partition"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.bad(&c)
			ps := problems(t, c.Validate("vpc"))
			require.Len(t, ps, 1, "one mistake, one problem: %v", ps)
			assert.Equal(t, tc.field, ps[0].Field)
			assert.Contains(t, ps[0].Rule, tc.rule)
			if tc.suggestion != "" || tc.noSuggestions {
				assert.Equal(t, tc.suggestion, ps[0].Suggestion)
			}
			g := validConfig()
			tc.good(&g)
			assert.NoError(t, g.Validate("vpc"), "the passing input")
		})
	}
}

// TestNoCascades: a problem of one field does not make dependent fields
// fail too.
func TestNoCascades(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   func(c *securevpc.SecureVpcConfig)
		field string
	}{
		{"a bad Region does not blame the AZs", func(c *securevpc.SecureVpcConfig) {
			c.Region = "us-east"
			c.FlowLogs.KmsKeyArn = "arn:aws:kms:" + region + ":" + account + ":key/0b7a1d8e-3c2f-4e5a-9b6c-7d8e9f0a1b2c"
		}, "Region"},
		{"a bad CidrBlock does not blame the subnets", func(c *securevpc.SecureVpcConfig) {
			c.CidrBlock = "10.0.0.0/33"
			c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}
			c.PrivateSubnetPrefixLength = new(20)
			c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocks: []string{"10.0.0.0/8"}}
		}, "CidrBlock"},
		{"too many AZs do not blame the pinned CIDRs", func(c *securevpc.SecureVpcConfig) {
			c.AvailabilityZones = azs(region, "abcdefg")
			c.PublicSubnetCidrs = []string{"10.0.0.0/24", "10.0.1.0/24"}
		}, "AvailabilityZones"},
		{"a missing Name does not blame derived names", func(c *securevpc.SecureVpcConfig) {
			c.FlowLogs.KmsKeyArn = ""
		}, "id"},
		{"a bad account does not blame the boundary", func(c *securevpc.SecureVpcConfig) {
			c.AccountId = "12"
			c.PermissionsBoundary = "arn:aws:iam::" + account + ":policy/b"
		}, "AccountId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.cfg(&c)
			id := "vpc"
			if tc.field == "id" {
				id = "sg-bad"
			}
			ps := problems(t, c.Validate(id))
			require.Len(t, ps, 1, "%v", ps)
			assert.Equal(t, tc.field, ps[0].Field)
		})
	}
}

// TestImportedRules: the rules of NewImportedVpc's config, failing and
// passing.
func TestImportedRules(t *testing.T) {
	tok, _ := appTokens(t)
	base := func() securevpc.ImportedVpcConfig {
		a := importedAttrs
		return securevpc.ImportedVpcConfig{AccountId: account, Region: region, Attributes: a}
	}
	type fn = func(c *securevpc.ImportedVpcConfig)
	for _, tc := range []struct {
		name      string
		bad, good fn
		field     string
	}{
		{"VPC ID required", func(c *securevpc.ImportedVpcConfig) { c.Attributes.VpcId = "" },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.VpcId = tok }, "Attributes.VpcId"},
		{"VPC ID of another kind", func(c *securevpc.ImportedVpcConfig) { c.Attributes.VpcId = "subnet-0a1b2c3d" },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.VpcId = "vpc-0a1b2c3d" }, "Attributes.VpcId"},
		{"VPC ID TfToken[x", func(c *securevpc.ImportedVpcConfig) { c.Attributes.VpcId = "TfToken[x" },
			func(c *securevpc.ImportedVpcConfig) {}, "Attributes.VpcId"},
		{"route table as a subnet", func(c *securevpc.ImportedVpcConfig) { c.Attributes.PrivateSubnetIds = []string{"rtb-0a1b2c3d"} },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.PrivateSubnetIds = []string{"subnet-0a1b2c3d", tok} }, "Attributes.PrivateSubnetIds[0]"},
		{"duplicate subnet", func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.PublicSubnetIds = []string{"subnet-0a1b2c3d", "subnet-0a1b2c3d"}
		},
			func(c *securevpc.ImportedVpcConfig) {
				c.Attributes.PublicSubnetIds = []string{"subnet-0a1b2c3d", "subnet-0a1b2c3e"}
			}, "Attributes.PublicSubnetIds[1]"},
		{"prefix list ID", func(c *securevpc.ImportedVpcConfig) { c.Attributes.S3PrefixListId = "pl-xyz" },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.S3PrefixListId = "pl-63a5400a" }, "Attributes.S3PrefixListId"},
		{"VPC CIDR", func(c *securevpc.ImportedVpcConfig) { c.Attributes.CidrBlock = "172.31.0.0/8" },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.CidrBlock = tok }, "Attributes.CidrBlock"},
		{"AZ of another region", func(c *securevpc.ImportedVpcConfig) { c.Attributes.AvailabilityZones = []string{"ap-southeast-2a"} },
			func(c *securevpc.ImportedVpcConfig) { c.Attributes.AvailabilityZones = []string{region + "a"} }, "Attributes.AvailabilityZones[0]"},
		{"interface endpoints without subnets", func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.PrivateSubnetIds = nil
			c.Endpoints = &securevpc.ImportedEndpointsConfig{SkipS3GatewayEndpoint: true}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.PrivateSubnetIds = nil
			c.Endpoints = &securevpc.ImportedEndpointsConfig{SkipS3GatewayEndpoint: true, SubnetIds: []string{"subnet-0a1b2c3d"}}
		}, "Endpoints.SubnetIds"},
		{"interface endpoints without the VPC CIDR", func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.CidrBlock = ""
			c.Endpoints = &securevpc.ImportedEndpointsConfig{}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.CidrBlock = ""
			c.Endpoints = &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{}}
		}, "Attributes.CidrBlock"},
		{"S3 gateway without route tables", func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.PrivateRouteTableIds = nil
			c.Endpoints = &securevpc.ImportedEndpointsConfig{}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.PrivateRouteTableIds = nil
			c.Endpoints = &securevpc.ImportedEndpointsConfig{RouteTableIds: []string{"rtb-0a1b2c3d"}}
		}, "Endpoints.RouteTableIds"},
		{"second S3 gateway endpoint", func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.S3PrefixListId = "pl-63a5400a"
			c.Endpoints = &securevpc.ImportedEndpointsConfig{}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Attributes.S3PrefixListId = "pl-63a5400a"
			c.Endpoints = &securevpc.ImportedEndpointsConfig{SkipS3GatewayEndpoint: true}
		}, "Attributes.S3PrefixListId"},
		{"route tables without the gateway", func(c *securevpc.ImportedVpcConfig) {
			c.Endpoints = &securevpc.ImportedEndpointsConfig{SkipS3GatewayEndpoint: true, RouteTableIds: []string{"rtb-0a1b2c3d"}}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Endpoints = &securevpc.ImportedEndpointsConfig{RouteTableIds: []string{"rtb-0a1b2c3d"}}
		}, "Endpoints.RouteTableIds"},
		{"unknown endpoint service", func(c *securevpc.ImportedVpcConfig) {
			c.Endpoints = &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"ecr"}}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.Endpoints = &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{"ecr.api", "ssm"}}
		}, "Endpoints.InterfaceEndpoints[0]"},
		{"disabled flow logs", func(c *securevpc.ImportedVpcConfig) { c.FlowLogs = &securevpc.FlowLogsConfig{Disabled: true} },
			func(c *securevpc.ImportedVpcConfig) { c.FlowLogs = &securevpc.FlowLogsConfig{} }, "FlowLogs.Disabled"},
		{"flow logs rule", func(c *securevpc.ImportedVpcConfig) { c.FlowLogs = &securevpc.FlowLogsConfig{TrafficType: "SOME"} },
			func(c *securevpc.ImportedVpcConfig) { c.FlowLogs = &securevpc.FlowLogsConfig{TrafficType: "ACCEPT"} }, "FlowLogs.TrafficType"},
		{"deny rules without ACLs", func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{DenyCidrBlocks: []string{"203.0.113.7/32"}}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"203.0.113.7/32"}}
		}, "NetworkAcls.NetworkAclIds"},
		{"ACL ID", func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"nacl-0a1b2c3d"}, DenyCidrBlocksVariable: "blocked"}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{tok}, DenyCidrBlocksVariable: "blocked"}
		}, "NetworkAcls.NetworkAclIds[0]"},
		{"deny rules past the last rule number", func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"203.0.113.7/32"}, FirstRuleNumber: new(32760)}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"203.0.113.7/32"}, FirstRuleNumber: new(32760), MaxDenyRules: new(7)}
		}, "NetworkAcls.FirstRuleNumber"},
		{"deny CIDR inside the VPC", func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"172.31.7.0/24"}}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocks: []string{"172.32.7.0/24"}}
		}, "NetworkAcls.DenyCidrBlocks[0]"},
		{"MaxDenyRules 0", func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocksVariable: "blocked", MaxDenyRules: new(0)}
		}, func(c *securevpc.ImportedVpcConfig) {
			c.NetworkAcls = &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocksVariable: "blocked", MaxDenyRules: new(1)}
		}, "NetworkAcls.MaxDenyRules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.bad(&c)
			ps := problems(t, c.Validate("existing"))
			require.Len(t, ps, 1, "one mistake, one problem: %v", ps)
			assert.Equal(t, tc.field, ps[0].Field)
			g := base()
			tc.good(&g)
			assert.NoError(t, g.Validate("existing"), "the passing input")
		})
	}
	t.Run("nil config and nil scope", func(t *testing.T) {
		ps := problems(t, (*securevpc.ImportedVpcConfig)(nil).Validate("x"))
		require.Len(t, ps, 1)
		assert.Equal(t, "config", ps[0].Field)
		c := base()
		_, err := securevpc.NewImportedVpc(nil, "x", &c)
		ps = problems(t, err)
		require.Len(t, ps, 1)
		assert.Equal(t, "scope", ps[0].Field)
		stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("nil"))
		_, err = securevpc.NewImportedVpc(stack, "x", nil)
		assert.Error(t, err)
		stacktest.RequireNoChildren(t, stack)
	})
	t.Run("only IDs", func(t *testing.T) {
		stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("ids"))
		c := base()
		x, err := securevpc.NewImportedVpc(stack, "existing", &c)
		require.NoError(t, err)
		assert.Equal(t, importedAttrs, x.VpcAttributes(), "serves the IDs it was given")
		assert.Nil(t, x.FlowLog)
		assert.Error(t, x.AllowEndpointAccessFrom("sg-0a1b2c3d"), "no interface endpoints to allow")
	})
}

// TestClaims: every name the construct creates is claimed, so two
// constructs that would collide at apply are refused at synth, naming both.
func TestClaims(t *testing.T) {
	app := stacktest.TestingApp(t)
	stack := cdktf.NewTerraformStack(app, jsii.String("claims"))
	c := validConfig()
	c.Name = "shared"
	c.NetworkAcls = securevpc.NetworkAclsConfig{Enabled: true, DenyCidrBlocksVariable: "blocked"}
	_, err := securevpc.NewSecureVpc(stack, "a", &c)
	require.NoError(t, err)
	_, err = securevpc.NewSecureVpc(stack, "b", &c)
	ps := problems(t, err)
	var rules []string
	for _, p := range ps {
		rules = append(rules, p.Field+": "+p.Rule)
		assert.Contains(t, p.Rule, "construct claims/a")
	}
	require.Len(t, ps, 4, "%v", rules)
	for i, want := range []string{"CloudWatch log group name \"/aws/vpc/flow-logs/shared\"", "IAM role name prefix \"shared-flow-logs-\"",
		"KMS alias \"alias/shared-vpc-flow-logs\"", "Terraform variable name \"blocked\""} {
		assert.Contains(t, ps[i].Rule, want)
	}
	assert.Nil(t, stack.Node().TryFindChild(jsii.String("b")), "a refused construct creates nothing")

	imported := func(id string, cfg securevpc.ImportedVpcConfig) error {
		cfg.AccountId, cfg.Region, cfg.Attributes = account, region, importedAttrs
		_, err := securevpc.NewImportedVpc(stack, id, &cfg)
		return err
	}
	// The same route tables cannot take two S3 gateway endpoints.
	require.NoError(t, imported("i1", securevpc.ImportedVpcConfig{Endpoints: &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{}}}))
	ps = problems(t, imported("i2", securevpc.ImportedVpcConfig{Endpoints: &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{}}}))
	require.Len(t, ps, 2, "both route tables: %v", ps)
	assert.Contains(t, ps[0].Rule, "route table of an S3 gateway endpoint \"rtb-0ccccccccccccccc0\"")
	assert.Contains(t, ps[0].Rule, "construct claims/i1")
	require.NoError(t, imported("i3", securevpc.ImportedVpcConfig{Endpoints: &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{}, SkipS3GatewayEndpoint: true}}))
	// Deny rules of two constructs in one ACL need distinct numbers.
	acls := func(first, maxRules int, variable string) *securevpc.ImportedNetworkAclsConfig {
		return &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{"acl-0a1b2c3d"}, DenyCidrBlocksVariable: variable, FirstRuleNumber: new(first), MaxDenyRules: new(maxRules)}
	}
	require.NoError(t, imported("d1", securevpc.ImportedVpcConfig{NetworkAcls: acls(1, 5, "d1")}))
	ps = problems(t, imported("d2", securevpc.ImportedVpcConfig{NetworkAcls: acls(5, 5, "d2")}))
	require.Len(t, ps, 1, "%v", ps)
	assert.Equal(t, "NetworkAcls.FirstRuleNumber", ps[0].Field)
	assert.Contains(t, ps[0].Rule, `"acl-0a1b2c3d #5"`)
	require.NoError(t, imported("d3", securevpc.ImportedVpcConfig{NetworkAcls: acls(6, 5, "d3")}))
	// The deny variable is one per stack, across both constructs.
	ps = problems(t, imported("d4", securevpc.ImportedVpcConfig{NetworkAcls: acls(20, 5, "blocked")}))
	require.Len(t, ps, 1, "%v", ps)
	assert.Contains(t, ps[0].Rule, "construct claims/a")
}

// TestAllowEndpointAccessFrom: the rules of the connections grant.
func TestAllowEndpointAccessFrom(t *testing.T) {
	stack := cdktf.NewTerraformStack(stacktest.TestingApp(t), jsii.String("grants"))
	c := validConfig()
	x, err := securevpc.NewSecureVpc(stack, "vpc", &c)
	require.NoError(t, err)
	for _, bad := range []string{"", "sg-xyz", "vpc-0a1b2c3d", "TfToken[x", "${aws_security_group.x.id}", "${TfToken[TOKEN.99999]}"} {
		ps := problems(t, x.AllowEndpointAccessFrom(bad))
		require.Len(t, ps, 1, "%q: %v", bad, ps)
		assert.Equal(t, "securityGroupId", ps[0].Field)
	}
	require.NoError(t, x.AllowEndpointAccessFrom("sg-0a1b2c3d"))
	require.NoError(t, x.AllowEndpointAccessFrom("sg-0a1b2c3d"))
	var nilH *securevpc.Hardening
	assert.Error(t, nilH.AllowEndpointAccessFrom("sg-0a1b2c3d"))
	c2 := validConfig()
	c2.Endpoints.Disabled = true
	y, err := securevpc.NewSecureVpc(stack, "noendpoints", &c2)
	require.NoError(t, err)
	assert.ErrorContains(t, y.AllowEndpointAccessFrom("sg-0a1b2c3d"), "no interface endpoints")
}

// TestEndpointServiceName: interface endpoint names per partition; gateway
// endpoints keep com.amazonaws everywhere.
func TestEndpointServiceName(t *testing.T) {
	assert.Equal(t, "com.amazonaws.eu-west-1.ecr.api", securevpc.EndpointServiceName("eu-west-1", "ecr.api"))
	assert.Equal(t, "cn.com.amazonaws.cn-northwest-1.ecr.dkr", securevpc.EndpointServiceName("cn-northwest-1", "ecr.dkr"))
	assert.Equal(t, "com.amazonaws.cn-northwest-1.logs", securevpc.EndpointServiceName("cn-northwest-1", "logs"))
	assert.Equal(t, "com.amazonaws.us-gov-east-1.ecr.api", securevpc.EndpointServiceName("us-gov-east-1", "ecr.api"))
	assert.Equal(t, "com.amazonaws.cn-north-1.s3", securevpc.GatewayEndpointServiceName("cn-north-1", "s3"))
	for _, svc := range append(append([]string{}, securevpc.DefaultInterfaceEndpoints...), securevpc.AdditionalInterfaceEndpointServices...) {
		for _, r := range validate.Regions() {
			name := securevpc.EndpointServiceName(r, svc)
			assert.True(t, strings.HasSuffix(name, "."+r+"."+svc), name)
		}
	}
}

// FuzzValidate: no input makes validation panic.
func FuzzValidate(f *testing.F) {
	f.Add("us-east-1", "10.0.0.0/16", "us-east-1a", "203.0.113.7/32", "arn:aws:s3:::b/p/", "ALL", 24, 20, 2, 600, true)
	f.Add("cn-north-1", "TfToken[x", "${", "%{", "${TfToken[TOKEN.1]}", "s3", 0, -1, 1<<30, -1<<31, false)
	f.Add("", "", "", "", "", "", 28, 28, 6, 60, true)
	f.Add("us-gov-west-1", "10.0.0.0/28", "\x00", "0.0.0.0/0", "arn:aws:s3:::", "é", 16, 16, 7, 61, false)
	f.Fuzz(func(t *testing.T, r, cidr, az, deny, dest, traffic string, pub, priv, count, interval int, acls bool) {
		c := securevpc.SecureVpcConfig{
			AccountId: account, Region: r, CidrBlock: cidr, AvailabilityZones: []string{az, r + "b"},
			PublicSubnetPrefixLength: &pub, PrivateSubnetPrefixLength: &priv, IsolatedSubnets: acls,
			PublicSubnetCidrs: []string{deny, cidr},
			FlowLogs:          securevpc.FlowLogsConfig{LogDestination: dest, TrafficType: traffic, MaxAggregationIntervalSeconds: &interval},
			NetworkAcls:       securevpc.NetworkAclsConfig{Enabled: acls, DenyCidrBlocks: []string{deny, cidr}, DenyCidrBlocksVariable: traffic, RuleQuota: &count},
			Tags:              map[string]string{az: deny},
			Name:              traffic,
		}
		if count%2 == 0 {
			c.AvailabilityZones, c.AvailabilityZoneCount = nil, &count
		}
		_ = c.Validate(az)
		_, _, _, _ = c.SubnetCidrs()
		i := securevpc.ImportedVpcConfig{AccountId: account, Region: r, Name: traffic,
			Attributes: securevpc.VpcAttributes{VpcId: az, CidrBlock: cidr, PrivateSubnetIds: []string{deny}, PrivateRouteTableIds: []string{dest}},
			Endpoints:  &securevpc.ImportedEndpointsConfig{InterfaceEndpoints: []string{traffic}},
			NetworkAcls: &securevpc.ImportedNetworkAclsConfig{NetworkAclIds: []string{az}, DenyCidrBlocks: []string{deny},
				FirstRuleNumber: &pub, MaxDenyRules: &priv},
		}
		_ = i.Validate(traffic)
	})
}
