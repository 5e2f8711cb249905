package validate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hardened-iac/cdktf-aws/validate"
)

func TestListenerRuleValues(t *testing.T) {
	rule(t, "ListenerHostHeader", validate.ListenerHostHeader,
		[]string{"app.example.com", "*.example.com", "API-1.Example.COM", "a?.example.com", "x_y.example.org", strings.Repeat("a", 124) + ".com"},
		[]string{"", "localhost", "example.", "example.c0m", "app.example.*", "app example.com", "app.exämple.com", strings.Repeat("a", 125) + ".com", "app.example.com:443"})
	rule(t, "ListenerPathPattern", validate.ListenerPathPattern,
		[]string{"/", "/api/*", "*", "/static/*.css", "/a-b_c.d$e~f'g@h:i+j&k\"", "/?", "/" + strings.Repeat("p", 127)},
		[]string{"", "api/*", "/a b", "/a%20b", "/a#b", "/a?x=1=", "/" + strings.Repeat("p", 128), "/é"})
	assert.Equal(t, 3, validate.RuleWildcards("*.example.com", "/a/*/b?"))
}

func TestHealthCheckMatcher(t *testing.T) {
	rule(t, "HealthCheckMatcher", validate.HealthCheckMatcher,
		[]string{"200", "200,302", "200-299", "200-299,302", "200-200", "499", "200-499", "301,302,404"},
		[]string{"", "ok", "199", "500", "503", "200-500", "500-599", "299-200", "2000", "020", "200,", ",200", "200-", "200--299", "200-299-300", " 200", "+200"})
}

func TestCertificateDomainName(t *testing.T) {
	rule(t, "CertificateDomainName", validate.CertificateDomainName,
		[]string{"example.com", "*.example.com", "app.example.com", "a-1.b2.example.co.uk", "xn--bcher-kva.example"},
		[]string{"", "com", "*.", "a.*.example.com", "*app.example.com", "-a.example.com", "a-.example.com", "a..example.com",
			"app.example.com.", strings.Repeat("a", 64) + ".com", strings.Repeat("abcdefghi.", 26) + "com", "app_1.example.com"})
	assert.Contains(t, validate.CertificateDomainName("App.Example.com"), "app.example.com", "suggests the lowercase name")
}

func TestListenerArnAndPartitionOnly(t *testing.T) {
	env := validate.Env{AccountId: "111122223333", Region: "eu-west-1", AccountField: "AccountId", RegionField: "Region"}
	good := "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/shared/0123456789abcdef/fedcba9876543210"
	assert.Empty(t, validate.ArnRule(good, validate.ApplicationListenerArn, env))
	assert.NotEmpty(t, validate.ArnRule(strings.Replace(good, "listener/app", "listener/net", 1), validate.ApplicationListenerArn, env))
	assert.NotEmpty(t, validate.ArnRule(strings.Replace(good, "listener/app", "loadbalancer/app", 1), validate.ApplicationListenerArn, env))

	// PartitionOnly: any region and account of the partition, no other partition.
	secret := "arn:aws:secretsmanager:us-west-2:444455556666:secret:db"
	assert.Contains(t, validate.ArnRule(secret, validate.SecretsManagerSecretArn, env), "region")
	assert.Empty(t, validate.ArnRule(secret, validate.SecretsManagerSecretArn, env.PartitionOnly()))
	assert.Contains(t, validate.ArnRule("arn:aws-cn:secretsmanager:cn-north-1:444455556666:secret:db", validate.SecretsManagerSecretArn, env.PartitionOnly()), "partition")
	assert.Empty(t, validate.ArnRule("arn:aws-cn:secretsmanager:cn-north-1:444455556666:secret:db", validate.SecretsManagerSecretArn, validate.Env{}.PartitionOnly()))
}
