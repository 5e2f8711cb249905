// Package validate is the one validation vocabulary of this module: the
// error type every constructor returns for an invalid config, the
// Collector that gathers every problem of a config before anything is
// created, and the rules the constructs state their configs with, written
// once and matching Terraform's and AWS's own.
//
//	_, err := securevpc.NewSecureVpc(stack, "network", cfg)
//	var ve *validate.Error
//	if errors.As(err, &ve) {
//		for _, p := range ve.Problems {
//			fmt.Println(p.Field, p.Value, p.Rule, p.Suggestion)
//		}
//	}
//
// # What it holds
//
//   - Tokens (tokens.go): HasToken, IsToken, IsListToken, IsNumberToken and
//     Fragments recognise cdktf's own token encoding and nothing else, so
//     "TfToken[x", "${" or "${var.project}" are literals and validated as
//     such. Collector.Literal tells literal values (check them) from values
//     with tokens (Terraform checks them), and turns a token that does not
//     belong to the app into a problem instead of a crash in app.Synth().
//     NeedLiteral is for fields a construct reads at synth time (names it
//     derives others from, enums that decide what it builds): a token
//     there is one LiteralRule problem, and nothing derived from it is
//     reported again. RequireLiteral is for arguments Terraform needs
//     literally (backend).
//   - ARNs (arn.go): ParseARN, the ArnKind of each ARN the constructs take
//     (KmsKeyArn, S3BucketArn, AcmCertificateArn, ...), and Collector.ARN,
//     which checks service, resource type, partition, region and account
//     against an Env. Collector.Env validates a construct's AccountId and
//     Region and keeps only the valid ones, so an invalid Region is reported
//     once and not again on every ARN.
//   - Regions (regions.go): Partitions (every region the AWS provider 5.100
//     knows), PartitionOf, DNSSuffix, availability zone names and IDs,
//     account IDs, CIDRs; a region typo suggests the nearest region.
//   - Names (names.go): one function per AWS name kind (IAM role, policy and
//     path, S3 bucket, load balancer, target group, log group, KMS alias,
//     security group, ECR repository, ECS, SNS topic, CloudTrail trail, WAF
//     names and metric names, CloudWatch namespaces, metric and dimension
//     names, EventBridge rules, DynamoDB tables) and Terraform identifiers
//     and variable names, each with the AWS or Terraform page it follows.
//     NameFromID is the one rule by which every construct's Name defaults
//     from its construct id.
//   - DNS and Route 53 (route53.go): DNSName (a host or zone name) and
//     HostedZoneID; CertificateDomainName (elb.go) is DNSName with the
//     "*." form.
//   - Tags (tags.go): TagKey, TagValue and Collector.Tags.
//   - CloudWatch alarms and SNS (cloudwatch.go): AlarmName, AlarmDescription,
//     AlarmPeriod (10, 20, 30 only for high-resolution metrics, else
//     multiples of 60), AlarmEvaluationPeriods (period x evaluation periods
//     at most one day, seven days for periods of an hour or more),
//     AlarmDatapoints, and EmailAddress for email subscriptions.
//   - Enums and numbers (enums.go): Collector.OneOf (suggests the right
//     casing or the nearest value), OneOfInt and LogRetention (suggest the
//     nearest allowed number: 730 suggests 731), Range, and OptionalRange for
//     *int fields where nil means the default and 0 is a value.
//
// Rule functions return "" for a valid value and the rule text otherwise,
// so they combine with Collector.Rule:
//
//	v.Rule("Name", c.Name, validate.IAMRoleName(c.Name+"-execution"))
package validate
