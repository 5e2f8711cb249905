package validate

import "strings"

// PermissionsBoundaryRule returns why value cannot be the permissions
// boundary of an IAM role in env, or "": the ARN of a managed policy of
// env's account (arn:<partition>:iam::<account>:policy/<path><name>), or
// of an AWS managed policy (account "aws", e.g.
// arn:aws:iam::aws:policy/PowerUserAccess), in env's partition. IAM
// refuses any other ARN ("Invalid boundary"). The region and account are
// compared only where env knows them, as in ArnRule; a value holding a
// token is Terraform's to check (test with Collector.Literal first). See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
func PermissionsBoundaryRule(value string, env Env) string {
	if a, ok := ParseARN(value); ok && a.Service == IamPolicyArn.Service && a.Account == "aws" {
		// An AWS managed policy: only its partition is ours to compare.
		a.Account = "000000000000"
		if rule := ArnRule(a.String(), IamPolicyArn, env.PartitionOnly()); rule != "" {
			return strings.ReplaceAll(rule, "000000000000", "aws")
		}
		return ""
	}
	return ArnRule(value, IamPolicyArn, env)
}
