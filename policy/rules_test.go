package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// ruleCase is one fixture for one rule: want lists the addresses the rule
// must report (nil: the fixture passes the rule).
type ruleCase struct {
	rule  string
	name  string
	parts []part
	want  []string
}

func parts(groups ...[]part) []part {
	var out []part
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func one(p ...part) []part { return p }

const tlsPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":["${aws_s3_bucket.%[1]s.arn}","${aws_s3_bucket.%[1]s.arn}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

// jsonString quotes s as a JSON string value.
func jsonString(s string) string {
	b := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
	return `"` + b + `"`
}

// secureBucket is a bucket with every companion the S3 rules want.
func secureBucket(name string) []part {
	ref := "${aws_s3_bucket." + name + ".id}"
	return []part{
		res("aws_kms_key", name+"_key", `{"enable_key_rotation": true}`),
		res("aws_s3_bucket", name, `{"bucket": "`+strings.ReplaceAll(name, "_", "-")+`-bucket"}`),
		res("aws_s3_bucket_public_access_block", name+"_pab", `{"bucket": "`+ref+`", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`),
		res("aws_s3_bucket_server_side_encryption_configuration", name+"_sse", `{"bucket": "`+ref+`", "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.`+name+`_key.arn}"}}]}`),
		res("aws_s3_bucket_versioning", name+"_versioning", `{"bucket": "`+ref+`", "versioning_configuration": {"status": "Enabled"}}`),
		res("aws_s3_bucket_policy", name+"_policy", `{"bucket": "`+ref+`", "policy": `+jsonString(fmt.Sprintf(tlsPolicy, name))+`}`),
	}
}

// without drops the parts whose name is in names.
func without(ps []part, names ...string) []part {
	var out []part
	for _, p := range ps {
		if !slices.Contains(names, p.name) {
			out = append(out, p)
		}
	}
	return out
}

func replace(ps []part, p part) []part {
	return append(without(ps, p.name), p)
}

func sgRule(name, body string) part { return res("aws_vpc_security_group_ingress_rule", name, body) }

const (
	sg     = `{"name": "app", "description": "app", "vpc_id": "${aws_vpc.main.id}"}`
	albRef = `${aws_security_group.alb.id}`
)

func albWith(body string) []part {
	return []part{
		res("aws_security_group", "alb", sg),
		res("aws_lb", "alb", body),
	}
}

const goodALB = `{"name": "web", "internal": false, "load_balancer_type": "application", "drop_invalid_header_fields": true,
  "security_groups": ["${aws_security_group.alb.id}"], "access_logs": {"bucket": "${aws_s3_bucket.logs.id}", "enabled": true}}`

func taskDef(defs string) string {
	return `{"family": "app", "container_definitions": ` + jsonString(defs) + `}`
}

const goodContainer = `[{"name":"app","image":"${aws_ecr_repository.repo.repository_url}:1.0.0","user":"1000:1000","readonlyRootFilesystem":true,"privileged":false,"environment":[{"name":"PORT","value":"5000"},{"name":"DB_PASSWORD_SECRET_ARN","value":"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"}]}]`

// withEnv replaces the good container's environment.
func withEnv(env string) string {
	i := strings.Index(goodContainer, `"environment":`)
	return goodContainer[:i] + `"environment":` + env + `}]`
}

func ruleCases() []ruleCase {
	sb := secureBucket("data")
	trust := func(cond string) string {
		return jsonString(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"` + cond + `}]}`)
	}
	policyDoc := func(stmt string) string {
		return jsonString(`{"Version":"2012-10-17","Statement":[` + stmt + `]}`)
	}
	return []ruleCase{
		// HC-S3-001
		{"HC-S3-001", "complete block", sb, nil},
		{"HC-S3-001", "no block", without(sb, "data_pab"), []string{"aws_s3_bucket.data"}},
		{"HC-S3-001", "one flag false", replace(sb, res("aws_s3_bucket_public_access_block", "data_pab", `{"bucket": "${aws_s3_bucket.data.bucket}", "block_public_acls": true, "block_public_policy": false, "ignore_public_acls": true, "restrict_public_buckets": true}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-001", "flag missing", replace(sb, res("aws_s3_bucket_public_access_block", "data_pab", `{"bucket": "${aws_s3_bucket.data.id}", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-001", "block names the bucket by literal", replace(sb, res("aws_s3_bucket_public_access_block", "data_pab", `{"bucket": "data-bucket", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`)), nil},
		{"HC-S3-001", "block of another bucket does not count", parts(without(sb, "data_pab"), secureBucket("other")), []string{"aws_s3_bucket.data"}},
		{"HC-S3-001", "account-level block", parts(without(sb, "data_pab"), one(res("aws_s3_account_public_access_block", "account", `{"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`))), nil},
		{"HC-S3-001", "block for a bucket given by an unknown variable may be this one", parts(without(sb, "data_pab"), one(tfvar("bucket", `{"type": "string"}`), res("aws_s3_bucket_public_access_block", "any", `{"bucket": "${var.bucket}", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`))), nil},
		{"HC-S3-001", "flag from a variable's default", parts(replace(sb, res("aws_s3_bucket_public_access_block", "data_pab", `{"bucket": "${aws_s3_bucket.data.id}", "block_public_acls": "${var.block}", "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}`)), one(tfvar("block", `{"type": "bool", "default": false}`))), []string{"aws_s3_bucket.data"}},

		// HC-S3-002
		{"HC-S3-002", "SSE-KMS with a customer key", sb, nil},
		{"HC-S3-002", "SSE-S3", replace(sb, res("aws_s3_bucket_server_side_encryption_configuration", "data_sse", `{"bucket": "${aws_s3_bucket.data.id}", "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-002", "no encryption configuration", without(sb, "data_sse"), []string{"aws_s3_bucket.data"}},
		{"HC-S3-002", "aws:kms without a key is the AWS managed key", replace(sb, res("aws_s3_bucket_server_side_encryption_configuration", "data_sse", `{"bucket": "${aws_s3_bucket.data.id}", "rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-002", "legacy inline configuration", parts(without(sb, "data_sse", "data"), one(res("aws_s3_bucket", "data", `{"bucket": "data-bucket", "server_side_encryption_configuration": {"rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.data_key.arn}"}}}}`))), nil},

		// HC-S3-003
		{"HC-S3-003", "versioned log bucket", parts(secureBucket("logs"), albWith(goodALB)), nil},
		{"HC-S3-003", "unversioned ALB log bucket", parts(without(secureBucket("logs"), "logs_versioning"), albWith(goodALB)), []string{"aws_s3_bucket.logs"}},
		{"HC-S3-003", "suspended CloudTrail bucket", parts(replace(secureBucket("trail"), res("aws_s3_bucket_versioning", "trail_versioning", `{"bucket": "${aws_s3_bucket.trail.id}", "versioning_configuration": {"status": "Suspended"}}`)), one(res("aws_cloudtrail", "trail", `{"name": "t", "s3_bucket_name": "${aws_s3_bucket.trail.id}", "is_multi_region_trail": true, "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.trail_key.arn}"}`))), []string{"aws_s3_bucket.trail"}},
		{"HC-S3-003", "unversioned state bucket named by the backend", parts(without(secureBucket("state"), "state_versioning"), one(backendS3("state-bucket"))), []string{"aws_s3_bucket.state"}},
		{"HC-S3-003", "unversioned flow-log bucket by ARN literal", parts(without(secureBucket("flow"), "flow_versioning"), one(res("aws_vpc", "main", `{"cidr_block": "10.0.0.0/16"}`), res("aws_flow_log", "fl", `{"vpc_id": "${aws_vpc.main.id}", "log_destination_type": "s3", "log_destination": "arn:aws:s3:::flow-bucket/vpc", "traffic_type": "ALL"}`))), []string{"aws_s3_bucket.flow"}},
		{"HC-S3-003", "unversioned bucket that holds no logs or state is not this rule's", without(sb, "data_versioning"), nil},

		// HC-S3-004
		{"HC-S3-004", "TLS-only policy", sb, nil},
		{"HC-S3-004", "no policy", without(sb, "data_policy"), []string{"aws_s3_bucket.data"}},
		{"HC-S3-004", "policy without the TLS deny", replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": `+policyDoc(`{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"${aws_s3_bucket.data.arn}"}`)+`}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-004", "policy from a data.aws_iam_policy_document", parts(replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": "${data.aws_iam_policy_document.tls.json}"}`)), one(data("aws_iam_policy_document", "tls", `{"statement": [{"effect": "Deny", "actions": ["s3:*"], "resources": ["${aws_s3_bucket.data.arn}/*"], "principals": [{"type": "AWS", "identifiers": ["*"]}], "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]}]}`))), nil},
		{"HC-S3-004", "policy from jsonencode (TypeScript Fn.jsonencode)", replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": "${jsonencode({\"Statement\" = [{\"Effect\" = \"Deny\", \"Principal\" = \"*\", \"Action\" = \"s3:*\", \"Resource\" = [aws_s3_bucket.data.arn], \"Condition\" = {\"Bool\" = {\"aws:SecureTransport\" = \"false\"}}}]})}"}`)), nil},

		{"HC-S3-004", "jsonencode policy without the TLS deny", replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": "${jsonencode({\"Statement\" = [{\"Effect\" = \"Deny\", \"Principal\" = \"*\", \"Action\" = \"s3:*\", \"Resource\" = [aws_s3_bucket.data.arn], \"Condition\" = {\"Bool\" = {\"aws:SecureTransport\" = \"true\"}}}]})}"}`)), []string{"aws_s3_bucket.data"}},
		{"HC-S3-004", "data.aws_iam_policy_document without the TLS deny", parts(replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": "${data.aws_iam_policy_document.tls.json}"}`)), one(data("aws_iam_policy_document", "tls", `{"statement": [{"effect": "Allow", "actions": ["s3:GetObject"], "resources": ["${aws_s3_bucket.data.arn}/*"], "principals": [{"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}]}]}`))), []string{"aws_s3_bucket.data"}},
		{"HC-S3-004", "policy unknown at synth (module output) is not judged", replace(sb, res("aws_s3_bucket_policy", "data_policy", `{"bucket": "${aws_s3_bucket.data.id}", "policy": "${module.policies.bucket_policy}"}`)), nil},

		// HC-S3-005
		{"HC-S3-005", "only service principals", sb, nil},
		{"HC-S3-005", "public read", parts(sb, one(res("aws_s3_bucket_policy", "public", `{"bucket": "${aws_s3_bucket.data.id}", "policy": `+policyDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"${aws_s3_bucket.data.arn}/*"}`)+`}`))), []string{"aws_s3_bucket_policy.public"}},
		{"HC-S3-005", "any principal restricted by aws:SourceArn", parts(sb, one(res("aws_s3_bucket_policy", "scoped", `{"bucket": "${aws_s3_bucket.data.id}", "policy": `+policyDoc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:PutObject","Resource":"${aws_s3_bucket.data.arn}/*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/X"}}}`)+`}`))), nil},

		// HC-SG-001
		{"HC-SG-001", "SSH from a known CIDR", one(res("aws_security_group", "bastion", sg), sgRule("ssh", `{"security_group_id": "${aws_security_group.bastion.id}", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "203.0.113.0/24"}`)), nil},
		{"HC-SG-001", "SSH from anywhere", one(res("aws_security_group", "bastion", sg), sgRule("ssh", `{"security_group_id": "${aws_security_group.bastion.id}", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}`)), []string{"aws_vpc_security_group_ingress_rule.ssh"}},
		{"HC-SG-001", "RDP from ::/0 in an aws_security_group_rule range", one(res("aws_security_group", "win", sg), res("aws_security_group_rule", "rdp", `{"type": "ingress", "security_group_id": "${aws_security_group.win.id}", "protocol": "6", "from_port": 3000, "to_port": 4000, "ipv6_cidr_blocks": ["::/0"]}`)), []string{"aws_security_group_rule.rdp"}},
		{"HC-SG-001", "inline ingress block with all protocols", one(res("aws_security_group", "open", `{"name": "open", "ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}`)), []string{"aws_security_group.open"}},
		{"HC-SG-001", "dynamic ingress block whose port comes from the iterator is unknown", one(res("aws_security_group", "dyn", `{"name": "dyn", "dynamic": {"ingress": {"for_each": "${var.ports}", "content": {"protocol": "tcp", "from_port": "${ingress.value}", "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}}}}`), tfvar("ports", `{"type": "list(number)", "default": [22]}`)), nil},
		{"HC-SG-001", "dynamic ingress block with literal ports", one(res("aws_security_group", "dyn", `{"name": "dyn", "dynamic": {"ingress": {"for_each": "${var.cidrs}", "content": {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}}}}`)), []string{"aws_security_group.dyn"}},
		{"HC-SG-001", "egress rule type is not ingress", one(res("aws_security_group", "app", sg), res("aws_security_group_rule", "out", `{"type": "egress", "security_group_id": "${aws_security_group.app.id}", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}`)), nil},
		{"HC-SG-001", "CIDR from a variable's default", one(tfvar("admin_cidr", `{"type": "string", "default": "0.0.0.0/0"}`), res("aws_security_group", "bastion", sg), sgRule("ssh", `{"security_group_id": "${aws_security_group.bastion.id}", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "${var.admin_cidr}"}`)), []string{"aws_vpc_security_group_ingress_rule.ssh"}},
		{"HC-SG-001", "CIDR from a variable without default is unknown: not reported", one(tfvar("admin_cidr", `{"type": "string"}`), res("aws_security_group", "bastion", sg), sgRule("ssh", `{"security_group_id": "${aws_security_group.bastion.id}", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "${var.admin_cidr}"}`)), nil},

		// HC-SG-002
		{"HC-SG-002", "443 from anywhere", parts(albWith(goodALB), one(sgRule("https", `{"security_group_id": "`+albRef+`", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"}`))), nil},
		{"HC-SG-002", "8080 from anywhere", parts(albWith(goodALB), one(sgRule("alt", `{"security_group_id": "`+albRef+`", "ip_protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_ipv6": "::/0"}`))), []string{"aws_vpc_security_group_ingress_rule.alt"}},
		{"HC-SG-002", "all traffic from anywhere", one(res("aws_security_group", "app", sg), sgRule("all", `{"security_group_id": "${aws_security_group.app.id}", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}`)), []string{"aws_vpc_security_group_ingress_rule.all"}},
		{"HC-SG-002", "port range spanning 80-443", parts(albWith(goodALB), one(sgRule("range", `{"security_group_id": "`+albRef+`", "ip_protocol": "tcp", "from_port": 80, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"}`))), []string{"aws_vpc_security_group_ingress_rule.range"}},

		// HC-SG-003
		{"HC-SG-003", "443 from anywhere to the load balancer's group", parts(albWith(goodALB), one(sgRule("https", `{"security_group_id": "`+albRef+`", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"}`))), nil},
		{"HC-SG-003", "443 from anywhere to a group no load balancer uses", one(res("aws_security_group", "app", sg), sgRule("https", `{"security_group_id": "${aws_security_group.app.id}", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"}`)), []string{"aws_vpc_security_group_ingress_rule.https"}},
		{"HC-SG-003", "80 from anywhere in an inline block of a task group", one(res("aws_security_group", "tasks", `{"name": "tasks", "ingress": {"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}}`)), []string{"aws_security_group.tasks"}},

		// HC-VPC-001
		{"HC-VPC-001", "private subnet", one(res("aws_subnet", "private", `{"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.0.1.0/24", "map_public_ip_on_launch": false}`)), nil},
		{"HC-VPC-001", "subnet maps public IPs", one(res("aws_subnet", "public", `{"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true}`)), []string{"aws_subnet.public"}},
		{"HC-VPC-001", "default subnet maps public IPs by default", one(res("aws_default_subnet", "az_a", `{"availability_zone": "eu-west-1a"}`)), []string{"aws_default_subnet.az_a"}},

		// HC-VPC-002
		{"HC-VPC-002", "VPC with a flow log", one(res("aws_vpc", "main", `{"cidr_block": "10.0.0.0/16"}`), res("aws_flow_log", "fl", `{"vpc_id": "${aws_vpc.main.id}", "traffic_type": "ALL", "log_destination": "${aws_cloudwatch_log_group.fl.arn}"}`)), nil},
		{"HC-VPC-002", "VPC without a flow log", one(res("aws_vpc", "main", `{"cidr_block": "10.0.0.0/16"}`), res("aws_vpc", "other", `{"cidr_block": "10.1.0.0/16"}`), res("aws_flow_log", "fl", `{"vpc_id": "${aws_vpc.other.id}", "traffic_type": "ALL"}`)), []string{"aws_vpc.main"}},

		// HC-ECS-001
		{"HC-ECS-001", "no public IP", one(res("aws_ecs_service", "svc", `{"name": "svc", "network_configuration": {"assign_public_ip": false, "subnets": ["${aws_subnet.private.id}"]}}`)), nil},
		{"HC-ECS-001", "public IP", one(res("aws_ecs_service", "svc", `{"name": "svc", "network_configuration": [{"assign_public_ip": true, "subnets": ["${aws_subnet.public.id}"]}]}`)), []string{"aws_ecs_service.svc"}},

		// HC-LOG-001, HC-LOG-002
		{"HC-LOG-001", "KMS key", one(res("aws_cloudwatch_log_group", "lg", `{"name": "/app", "kms_key_id": "${aws_kms_key.k.arn}", "retention_in_days": 30}`)), nil},
		{"HC-LOG-001", "no key", one(res("aws_cloudwatch_log_group", "lg", `{"name": "/app", "retention_in_days": 30}`)), []string{"aws_cloudwatch_log_group.lg"}},
		{"HC-LOG-002", "retention", one(res("aws_cloudwatch_log_group", "lg", `{"name": "/app", "kms_key_id": "${aws_kms_key.k.arn}", "retention_in_days": 365}`)), nil},
		{"HC-LOG-002", "no retention", one(res("aws_cloudwatch_log_group", "lg", `{"name": "/app", "kms_key_id": "${aws_kms_key.k.arn}"}`)), []string{"aws_cloudwatch_log_group.lg"}},
		{"HC-LOG-002", "retention 0 is never expire", one(res("aws_cloudwatch_log_group", "lg", `{"name": "/app", "retention_in_days": "0"}`)), []string{"aws_cloudwatch_log_group.lg"}},

		// HC-KMS-001, HC-KMS-002
		{"HC-KMS-001", "rotation on", one(res("aws_kms_key", "k", `{"enable_key_rotation": true}`)), nil},
		{"HC-KMS-001", "rotation off", one(res("aws_kms_key", "k", `{"enable_key_rotation": false}`), res("aws_kms_key", "unset", `{}`)), []string{"aws_kms_key.k", "aws_kms_key.unset"}},
		{"HC-KMS-001", "asymmetric keys cannot rotate", one(res("aws_kms_key", "sign", `{"customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"}`)), nil},
		{"HC-KMS-002", "named principals", one(res("aws_kms_key", "k", `{"enable_key_rotation": true, "policy": `+policyDoc(`{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`)+`}`)), nil},
		{"HC-KMS-002", "statement without principal", one(res("aws_kms_key", "k", `{"enable_key_rotation": true, "policy": `+policyDoc(`{"Sid":"Oops","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}`)+`}`)), []string{"aws_kms_key.k"}},
		{"HC-KMS-002", "wildcard principal in an aws_kms_key_policy", one(res("aws_kms_key", "k", `{"enable_key_rotation": true}`), res("aws_kms_key_policy", "p", `{"key_id": "${aws_kms_key.k.id}", "policy": `+policyDoc(`{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}`)+`}`)), []string{"aws_kms_key_policy.p"}},
		{"HC-KMS-002", "wildcard principal limited to the account by kms:CallerAccount", one(res("aws_kms_key", "k", `{"enable_key_rotation": true, "policy": `+policyDoc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}`)+`}`)), nil},

		// HC-IAM-001
		{"HC-IAM-001", "scoped actions", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}`)+`}`)), nil},
		{"HC-IAM-001", "Action *", one(res("aws_iam_policy", "admin", `{"policy": `+policyDoc(`{"Effect":"Allow","Action":"*","Resource":"*"}`)+`}`)), []string{"aws_iam_policy.admin"}},
		{"HC-IAM-001", "NotAction", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)+`}`)), []string{"aws_iam_role_policy.p"}},
		{"HC-IAM-001", "AdministratorAccess attached", one(res("aws_iam_role_policy_attachment", "a", `{"role": "r", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}`)), []string{"aws_iam_role_policy_attachment.a"}},
		{"HC-IAM-001", "inline policy from a data.aws_iam_policy_document", one(res("aws_iam_role", "r", `{"assume_role_policy": `+trust(`,"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}`)+`, "inline_policy": [{"name": "all", "policy": "${data.aws_iam_policy_document.all.json}"}]}`), data("aws_iam_policy_document", "all", `{"statement": [{"actions": ["*"], "resources": ["*"]}]}`)), []string{"aws_iam_role.r"}},

		// HC-IAM-002
		{"HC-IAM-002", "read-only on *", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ec2:DescribeInstances"],"Resource":"*"}`)+`}`)), nil},
		{"HC-IAM-002", "write on *", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":["*"]}`)+`}`)), []string{"aws_iam_role_policy.p"}},
		{"HC-IAM-002", "service wildcard on *", one(res("aws_iam_user_policy", "p", `{"user": "u", "policy": `+policyDoc(`{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}`)+`}`)), []string{"aws_iam_user_policy.p"}},
		{"HC-IAM-002", "write scoped to an ARN", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":"${aws_cloudwatch_log_group.lg.arn}:*"}`)+`}`)), nil},
		{"HC-IAM-002", "write actions that only support *", one(res("aws_iam_role_policy", "p", `{"role": "r", "policy": `+policyDoc(`{"Effect":"Allow","Action":["cloudwatch:PutMetricData","xray:PutTraceSegments"],"Resource":"*"}`)+`}`)), nil},

		// HC-IAM-003
		{"HC-IAM-003", "service trust with aws:SourceAccount", one(res("aws_iam_role", "r", `{"assume_role_policy": `+trust(`,"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}`)+`}`)), nil},
		{"HC-IAM-003", "service trust without condition", one(res("aws_iam_role", "r", `{"assume_role_policy": `+trust("")+`}`)), []string{"aws_iam_role.r"}},
		{"HC-IAM-003", "account trust is not a service trust", one(res("aws_iam_role", "r", `{"assume_role_policy": `+jsonString(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`)+`}`)), nil},

		// HC-ECR-001, HC-ECR-002
		{"HC-ECR-001", "immutable", one(res("aws_ecr_repository", "repo", `{"name": "app", "image_tag_mutability": "IMMUTABLE", "image_scanning_configuration": {"scan_on_push": true}}`)), nil},
		{"HC-ECR-001", "mutable by default", one(res("aws_ecr_repository", "repo", `{"name": "app", "image_scanning_configuration": {"scan_on_push": true}}`)), []string{"aws_ecr_repository.repo"}},
		{"HC-ECR-002", "scan on push", one(res("aws_ecr_repository", "repo", `{"name": "app", "image_tag_mutability": "IMMUTABLE", "image_scanning_configuration": [{"scan_on_push": true}]}`)), nil},
		{"HC-ECR-002", "no scanning", one(res("aws_ecr_repository", "repo", `{"name": "app", "image_tag_mutability": "IMMUTABLE"}`)), []string{"aws_ecr_repository.repo"}},
		{"HC-ECR-002", "registry scanning for every repository", one(res("aws_ecr_repository", "repo", `{"name": "app", "image_tag_mutability": "IMMUTABLE"}`), res("aws_ecr_registry_scanning_configuration", "scan", `{"scan_type": "ENHANCED", "rule": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]}]}`)), nil},

		// HC-ECS-002..006
		{"HC-ECS-002", "non-root user", one(res("aws_ecs_task_definition", "td", taskDef(goodContainer))), nil},
		{"HC-ECS-002", "no user", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `"user":"1000:1000",`, "", 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-002", "user 0", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `"user":"1000:1000"`, `"user":"0:0"`, 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-003", "not privileged", one(res("aws_ecs_task_definition", "td", taskDef(goodContainer))), nil},
		{"HC-ECS-003", "privileged", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `"privileged":false`, `"privileged":true`, 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-004", "read-only root", one(res("aws_ecs_task_definition", "td", taskDef(goodContainer))), nil},
		{"HC-ECS-004", "writable root", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `"readonlyRootFilesystem":true,`, "", 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-005", "pinned tag after a reference", one(res("aws_ecs_task_definition", "td", taskDef(goodContainer))), nil},
		{"HC-ECS-005", "digest", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `${aws_ecr_repository.repo.repository_url}:1.0.0`, `public.ecr.aws/nginx/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`, 1)))), nil},
		{"HC-ECS-005", "latest", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `${aws_ecr_repository.repo.repository_url}:1.0.0`, `nginx:latest`, 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-005", "no tag behind a registry port", one(res("aws_ecs_task_definition", "td", taskDef(strings.Replace(goodContainer, `${aws_ecr_repository.repo.repository_url}:1.0.0`, `registry.example.com:5000/team/app`, 1)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-006", "secrets from valueFrom, ARN in environment", one(res("aws_ecs_task_definition", "td", taskDef(goodContainer))), nil},
		{"HC-ECS-006", "password in environment", one(res("aws_ecs_task_definition", "td", taskDef(withEnv(`[{"name":"DB_PASSWORD","value":"hunter2"}]`)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-006", "access key value under a harmless name", one(res("aws_ecs_task_definition", "td", taskDef(withEnv(`[{"name":"CONFIG","value":"AKIAABCDEFGHIJKLMNOP"}]`)))), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-006", "container definitions from jsonencode", one(res("aws_ecs_task_definition", "td", `{"family": "app", "container_definitions": "${jsonencode([{\"name\" = \"app\", \"image\" = \"app:1\", \"user\" = \"1000\", \"readonlyRootFilesystem\" = true, \"environment\" = [{\"name\" = \"API_TOKEN\", \"value\" = var.token}]}])}"}`), tfvar("token", `{"type": "string", "default": "abc"}`)), []string{"aws_ecs_task_definition.td"}},
		{"HC-ECS-007", "Container Insights on", one(res("aws_ecs_cluster", "c", `{"name": "c", "setting": [{"name": "containerInsights", "value": "enabled"}]}`)), nil},
		{"HC-ECS-007", "Container Insights off", one(res("aws_ecs_cluster", "c", `{"name": "c"}`)), []string{"aws_ecs_cluster.c"}},

		// HC-LB-001..005, HC-WAF-001
		{"HC-LB-001", "internal", one(res("aws_lb", "int", `{"internal": true, "drop_invalid_header_fields": true}`)), nil},
		{"HC-LB-001", "internet-facing by default", one(res("aws_lb", "pub", `{"drop_invalid_header_fields": true}`)), []string{"aws_lb.pub"}},
		{"HC-LB-002", "HTTP redirects to HTTPS", parts(albWith(goodALB), one(res("aws_lb_listener", "http", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80, "protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}]}`))), nil},
		{"HC-LB-002", "HTTP forwards", parts(albWith(goodALB), one(res("aws_lb_listener", "http", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80, "protocol": "HTTP", "default_action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.tg.arn}"}]}`))), []string{"aws_lb_listener.http"}},
		{"HC-LB-002", "listener rule forwards on an HTTP listener", parts(albWith(goodALB), one(
			res("aws_lb_listener", "http", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": 80, "default_action": {"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "404"}}}`),
			res("aws_lb_listener_rule", "api", `{"listener_arn": "${aws_lb_listener.http.arn}", "priority": 10, "action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.tg.arn}"}], "condition": [{"path_pattern": {"values": ["/api/*"]}}]}`))), []string{"aws_lb_listener_rule.api"}},
		{"HC-LB-003", "modern policy", parts(albWith(goodALB), one(res("aws_lb_listener", "https", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificate_arn": "${aws_acm_certificate.c.arn}", "default_action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.tg.arn}"}]}`))), nil},
		{"HC-LB-003", "the seed's TLS 1.2 policy", parts(albWith(goodALB), one(res("aws_lb_listener", "https", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": "443", "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS-1-2-2017-01"}`))), nil},
		{"HC-LB-003", "TLS 1.0 policy", parts(albWith(goodALB), one(res("aws_lb_listener", "https", `{"load_balancer_arn": "${aws_lb.alb.arn}", "port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}`))), []string{"aws_lb_listener.https"}},
		{"HC-LB-003", "no policy means the 2016-08 default", one(res("aws_lb_listener", "tls", `{"load_balancer_arn": "${aws_lb.nlb.arn}", "port": 443, "protocol": "TLS"}`)), []string{"aws_lb_listener.tls"}},
		{"HC-LB-003", "Ext policy adds legacy ciphers", one(res("aws_lb_listener", "https", `{"port": 443, "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"}`)), []string{"aws_lb_listener.https"}},
		{"HC-LB-004", "drops invalid headers", albWith(goodALB), nil},
		{"HC-LB-004", "keeps invalid headers", albWith(`{"internal": true}`), []string{"aws_lb.alb"}},
		{"HC-LB-004", "network load balancers have no headers", one(res("aws_lb", "nlb", `{"internal": true, "load_balancer_type": "network"}`)), nil},
		{"HC-LB-005", "access logs", albWith(goodALB), nil},
		{"HC-LB-005", "no access logs", albWith(`{"internal": true, "drop_invalid_header_fields": true}`), []string{"aws_lb.alb"}},
		{"HC-LB-005", "bucket without enabled", albWith(`{"internal": true, "drop_invalid_header_fields": true, "access_logs": {"bucket": "logs"}}`), []string{"aws_lb.alb"}},
		{"HC-WAF-001", "web ACL associated", parts(albWith(goodALB), one(res("aws_wafv2_web_acl_association", "waf", `{"resource_arn": "${aws_lb.alb.arn}", "web_acl_arn": "${aws_wafv2_web_acl.acl.arn}"}`))), nil},
		{"HC-WAF-001", "internal ALB needs none", albWith(`{"internal": true, "drop_invalid_header_fields": true}`), nil},
		{"HC-WAF-001", "no web ACL", parts(albWith(goodALB), one(res("aws_lb", "other", goodALB), res("aws_wafv2_web_acl_association", "waf", `{"resource_arn": "${aws_lb.other.arn}", "web_acl_arn": "${aws_wafv2_web_acl.acl.arn}"}`))), []string{"aws_lb.alb"}},

		// HC-CT-001..003
		{"HC-CT-001", "multi-region", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "is_multi_region_trail": true, "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.k.arn}"}`)), nil},
		{"HC-CT-001", "single region", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.k.arn}"}`)), []string{"aws_cloudtrail.t"}},
		{"HC-CT-002", "validation on", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "is_multi_region_trail": true, "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.k.arn}"}`)), nil},
		{"HC-CT-002", "validation off", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "is_multi_region_trail": true, "enable_log_file_validation": false, "kms_key_id": "${aws_kms_key.k.arn}"}`)), []string{"aws_cloudtrail.t"}},
		{"HC-CT-003", "KMS", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "is_multi_region_trail": true, "enable_log_file_validation": true, "kms_key_id": "${aws_kms_key.k.arn}"}`)), nil},
		{"HC-CT-003", "no KMS", one(res("aws_cloudtrail", "t", `{"name": "t", "s3_bucket_name": "b", "is_multi_region_trail": true, "enable_log_file_validation": true}`)), []string{"aws_cloudtrail.t"}},

		// HC-SNS-001
		{"HC-SNS-001", "customer key", one(res("aws_sns_topic", "t", `{"name": "t", "kms_master_key_id": "${aws_kms_key.k.arn}"}`)), nil},
		{"HC-SNS-001", "no key", one(res("aws_sns_topic", "t", `{"name": "t"}`)), []string{"aws_sns_topic.t"}},
		{"HC-SNS-001", "AWS managed key", one(res("aws_sns_topic", "t", `{"name": "t", "kms_master_key_id": "alias/aws/sns"}`)), []string{"aws_sns_topic.t"}},
	}
}

// TestRules runs every fixture: a failing one must be reported on exactly
// the resources it names, a passing one not at all.
func TestRules(t *testing.T) {
	for _, c := range ruleCases() {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			if _, ok := LookupRule(c.rule); !ok {
				t.Fatalf("no rule %s", c.rule)
			}
			rep := check(t, c.parts...)
			got := rep.flagged(c.rule)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s flagged %v, want %v\nmessages:\n%s", c.rule, got, c.want, rep.messages(c.rule))
			}
		})
	}
}

// TestEveryRuleHasFailingAndPassingFixtures keeps the table complete.
func TestEveryRuleHasFailingAndPassingFixtures(t *testing.T) {
	fail, pass := map[string]int{}, map[string]int{}
	for _, c := range ruleCases() {
		if len(c.want) > 0 {
			fail[c.rule]++
		} else {
			pass[c.rule]++
		}
	}
	for _, r := range Rules() {
		if fail[r.ID] == 0 || pass[r.ID] == 0 {
			t.Errorf("%s: %d failing and %d passing fixtures, want at least one of each", r.ID, fail[r.ID], pass[r.ID])
		}
	}
}
