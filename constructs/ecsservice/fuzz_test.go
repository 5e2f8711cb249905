package ecsservice_test

import (
	"errors"
	"testing"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// FuzzValidate: any string or number in the config's fields gives nil or a
// *validate.Error, never a panic.
func FuzzValidate(f *testing.F) {
	f.Add("nginx@sha256:abc", "web", "example.com", "*.example.com", "/api/*", "postgres://u:p@h/db", "arn:aws:iam::aws:policy/x", 0, -1, 16384)
	f.Add("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/a:1", "_", "", "${", "%{", "AKIAABCDEFGHIJKLMNOP", "sg-1", 50001, 1<<40, 0)
	f.Add("registry.local:5000/a:1@sha256:"+hex64, "Web_App", "App.Example.com", "a..b", "api", "-----BEGIN PRIVATE KEY-----", "arn:aws-cn:iam::111122223333:role/x", 7200, 3, 122880)
	f.Fuzz(func(t *testing.T, image, name, domain, san, path, envValue, arn string, n1, n2, n3 int) {
		c := cfgIn()
		c.Image, c.Name = image, name
		c.CertificateArn, c.CertificateDomainName, c.CertificateSubjectAlternativeNames, c.Route53ZoneId = "", domain, []string{san, domain}, "Z1"
		c.Environment = map[string]string{name: envValue}
		c.PermissionsBoundaryArn, c.TaskRoleArn = arn, arn
		c.Cpu, c.MemoryMiB, c.HealthCheckGracePeriodSeconds = &n3, &n2, &n1
		c.HealthCheck.StartPeriodSeconds, c.DesiredCount, c.MinCapacity = &n2, &n1, &n2
		c.Tags = map[string]string{name: envValue}
		check(t, c.Validate(name))

		a := cfgIn()
		a.PublicSubnetIds, a.CertificateArn = nil, ""
		a.Attach = &ecsservice.Attachment{ListenerArn: arn, SecurityGroupId: san, Priority: n1, HostHeaders: []string{domain, san}, PathPatterns: []string{path}}
		check(t, a.Validate(name))
		_, _ = ecsservice.ParseImage(image)
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	var ve *validate.Error
	if err != nil && !errors.As(err, &ve) {
		t.Fatalf("want nil or a *validate.Error, got %T %v", err, err)
	}
}
