// Package common is the construct developers' foundation: the mechanics of
// the options every construct config has (Tags, Provider), and the design
// note on how a construct uses the validate vocabulary, the registry, the
// common options and securekey/securebucket/grant. Importers never see
// this package: the config fields are plain map[string]string and
// cdktf.TerraformProvider.
//
// # 1. validate — the one vocabulary
//
// Rule functions return "" for a valid value, else the rule text; combine them
// with Collector.Rule(field, value, rule). Collector methods that know a
// nearest valid value record it in Problem.Suggestion (printed as
// ; did you mean "731"?). Error, Problem{Field, Value, Rule}, New, Add,
// Check, Merge, Err are unchanged.
//
//   - Tokens (cdktf's own encoding): HasToken, IsToken, IsListToken,
//     IsNumberToken, Fragments (split "${TfToken[..]}:1.4.2" into token and
//     literal parts). "TfToken[x", "${", "${var.project}" are literals.
//     v.Literal(field, s) → true when literal (check it); false when it holds a
//     token (and records a problem if the token does not belong to this app:
//     UnresolvableToken, a recovered jsii panic). v.RequireLiteral records
//     LiteralRule = "must be a literal value, not a reference" (backend).
//     v.ConfigTokens(cfg, listFields...) walks a whole config (reflection)
//     once and reports every foreign token by Go path, and every list or map
//     token where it cannot work (in a string, next to list elements, or in a
//     list used element by element: only listFields pass a list on whole) —
//     every constructor calls it, so no field needs its own token rule.
//   - ARNs: ParseARN → ARN{Partition, Service, Region, Account, Resource}
//     (+ ResourceType, ResourceID). ArnKind values: KmsKeyArn (Terraform's
//     UUID rule: version 1-5, variant 8/9/a/b, or mrk-), S3BucketArn (bucket
//     name rules + optional prefix), AcmCertificateArn, EcsClusterArn,
//     EcrRepositoryArn, SecretsManagerSecretArn, SsmParameterArn,
//     IamRoleArn, IamPolicyArn, ApplicationLoadBalancerArn, WafIPSetArn,
//     SnsTopicArn, LogGroupArn. v.ARN(field, value, kind, env) checks
//     shape, partition, region, account (tokens pass). No cascades: build
//     env := v.Env("AccountId", c.AccountId, "Region", c.Region) — it validates
//     both and keeps only the valid ones, so ARNs are not blamed for a bad Region.
//   - Regions: Partitions (all regions hashicorp/aws 5.100 accepts — checked
//     by planning one provider per candidate region), Region, RegionRule
//     (suggests nearest), v.Region, PartitionOf (the one implementation;
//     iampolicy.Partition calls it), DNSSuffix, AvailabilityZoneRule,
//     AvailabilityZoneIDRule, AccountID/v.AccountID, CIDR.
//   - Names (each with its AWS doc link): IAMRoleName, IAMRoleNamePrefix
//     (38), IAMPolicyName, IAMPath, BucketName, LoadBalancerName,
//     TargetGroupName, LogGroupName, KMSAliasName, SecurityGroupName,
//     SecurityGroupDescription, ECRRepositoryName, ECSName,
//     SNSTopicName, TrailName, WAFName, WAFMetricName,
//     MetricNamespace, MetricFilterNamespace (no : * $), MetricName,
//     DimensionName, DimensionValue, EventRuleName, DynamoDBTableName,
//     TerraformIdentifier (hclsyntax; _x IS a valid output name per
//     terraform 1.11 validate), VariableName (+ ReservedVariableNames, now
//     incl. provider and _, both rejected by terraform 1.11).
//     NameFromID(id) is the one rule for defaulting Name from the id
//     (lowercase, runs of non-alnum → -, trimmed).
//   - Tags: TagKey, TagValue, v.Tags(field, map) (≤ 50, key 1-128 /
//     value 0-256 runes, [\p{L}\p{Z}\p{N}_.:/=+\-@], no aws: keys).
//   - Enums/numbers: v.OneOf (suggests right casing / edit distance),
//     v.OneOfInt, v.LogRetention (730 → 731), v.Range,
//     v.OptionalRange(field, *int, lo, hi, unit) + IntOr(p, def) for
//     "nil = default, 0 is a value"; Nearest, NearestInt.
//   - Collector extras: Suggest, AddProblem, Rule, Failed(field) (skip
//     dependent checks), Len.
//
// # 2. internal/registry — app-wide names
//
// registry.Check(v, scope, id, registry.Env{Partition, Account, Region}, claims)
// records a problem for every claim that another construct of the *app* has
// committed (or this construct claims twice), naming both construct paths and
// the field; returns a *Reservation — call res.Commit() once the whole config
// is valid, before creating resources (a failed validation reserves nothing,
// and children such as keys see the names as reserved by their parent). Kinds are scoped like
// AWS: S3Bucket per partition; IAMRole, IAMRolePolicy (Qualifier: role),
// IAMPolicy per account; LogGroup, KMSAlias, LoadBalancer,
// TargetGroup, ECSCluster, ECSService (Qualifier: cluster),
// TaskFamily, ECRRepository, SecurityGroup (Qualifier: VPC), SNSTopic,
// Trail, WebACL/IPSet (Qualifier: WAF scope), EventRule,
// MetricAlarm, MetricFilter (Qualifier: log group), ScalingPolicy,
// DynamoDBTable, GuardDuty (singleton, with its own hint) per account +
// region; Output, Variable, LogicalID, BackendOfStack per stack.
// Token names are skipped. A claim made by a construct *inside* the claimant
// (the SecureKey a SecureVpc creates for an alias the VPC already claimed) is
// not a clash. registry.Outputs(field, names...) builds output claims.
// Wired today: securevpc (flow-log group, key alias, deny variable),
// ecsservice (roles, log groups, alias, cluster, service, family, SGs, ALB,
// TG, bucket, scaling policies, ECR repo, variable, 14 outputs), wafacl (ACL,
// IP sets, log group, alias, variable), securitymonitoring (trail, bucket, log
// group, role, 2 aliases, topic, rule, detector, filters, alarms), statebackend
// (2 buckets, alias, table, 3-4 fixed outputs), securekey (alias),
// securebucket (bucket), grants (inline policy names).
//
// # 3. Common options — internal/common
//
// Every config has Tags map[string]string and Provider cdktf.TerraformProvider,
// and Validate(id string) error (statebackend's BackendConfig.Validate(stackID)).
//
//   - common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
//     — first thing in withDefaults: defaults Region/AccountId from an AWS
//     provider's literal region / single allowed_account_ids entry, and reports
//     a mismatch; a non-AWS provider is a problem.
//   - common.CheckProviderScope(v, scope, cfg.Provider) — in the constructor:
//     the provider must be in the construct's stack.
//   - common.CheckTags(v, "Tags", c.Tags, reservedKeys...) — vocabulary +
//     keys the construct sets itself (securevpc: Name, Tier).
//   - common.Tags(c.Tags, own) → *map[string]*string for the resource config
//     (nil when both empty → output unchanged). Set Tags: on every resource
//     type whose schema has tags (TestCommonOptions checks it against the
//     provider schema) and Provider: p on every resource and data source.
//     No Aspects, no extra jsii round trips.
//   - baseline.LogGroupConfig gained Tags and Provider.
//
// # 4. securekey, securebucket, grant
//
//   - securekey.NewSecureKey(scope, id, &SecureKeyConfig{AccountId, Region,
//     Description, Alias, DeletionWindowInDays, Statements, PreventDestroy, Tags,
//     Provider}) creates aws_kms_key at id and aws_kms_alias at
//     id+"_alias" directly in scope (same ids as the old baseline.NewKey, so
//     outputs are unchanged). Rotation on, root statement first
//     (RootStatementSid), no Allow to *. AddToResourcePolicy(stmts...) adds
//     to the ONE policy and re-sets the attribute (identical statements once,
//     Sid clash / wildcard / >32 KiB → *validate.Error). CheckUse(v, field,
//     env, stmts...) is what a consumer calls while validating a BYO key.
//     Grants: Grant(g, name, actions...), GrantDecrypt, GrantEncrypt,
//     GrantEncryptDecrypt. LogsStatement(sid, region, operator, arnPattern).
//   - securebucket.NewSecureBucket(scope, id, &SecureBucketConfig{BucketName,
//     AccountId, Region, KmsKey | KmsKeyArn | neither (SSE-S3), DisableVersioning,
//     ExpirationDays, NoncurrentVersionExpirationDays,
//     AbortIncompleteMultipartUploadDays, AccessLogs, ForceDestroy, PreventDestroy,
//     Tags, Provider}): exposes Bucket, PublicAccessBlock,
//     OwnershipControls, Encryption, Versioning, Lifecycle, Logging,
//     Policy; TLS-only statements first; AddToResourcePolicy,
//     CheckAddToResourcePolicy, GrantRead/GrantWrite/GrantReadWrite
//     (also the SecureKey's decrypt/encrypt).
//   - grant: Grantee = grant.Role(iamrole.IamRole) (identity side: one
//     aws_iam_role_policy per grant, next to the role, id
//     <role id>_grant_<name>_<8 hex of resource path>, name
//     <name>-<8 hex>, role's provider; granting twice returns the first grant)
//     or grant.Principal(arn) / grant.Service(name, conditions) (resource
//     side: a statement in the resource's one policy). grant.Apply(g, Request)
//     is the extension point for other resource constructs.
//   - Exported fields now: ecsservice.Key *securekey.SecureKey (nil with BYO),
//     KmsKeyArn, KeyPolicyStatements, AccessLogsBucket *securebucket.SecureBucket;
//     securevpc.FlowLogKey, FlowLogKeyPolicyStatements; wafacl.LogKey,
//     LogKeyPolicyStatements; securitymonitoring.TrailKey/AlarmKey/Bucket;
//     statebackend.Key/StateBucket/LogBucket.
//     ecsservice.AccessLogsStatement(partition, region, accountID, bucketArn).
//   - BYO key fields added: securevpc.FlowLogs.KmsKey/KmsKeyArn,
//     ecsservice.KmsKey/KmsKeyArn, wafacl.Logging.KmsKey (KmsKeyArn existed).
//     statebackend.KmsKey/KmsKeyArn and AccessLogsBucket/AccessLogsBucketName.
//     Not yet: securitymonitoring (trail/alarm keys).
//
// # How a construct uses it (worked example)
//
//	func (cfg *ThingConfig) withDefaults(v *validate.Collector, id string) ThingConfig {
//		c := *cfg
//		common.EnvFromProvider(v, c.Provider, "AccountId", &c.AccountId, "Region", &c.Region)
//		nameField := "Name"
//		if c.Name == "" {
//			c.Name, nameField = validate.NameFromID(id), "id"
//		}
//		v.ConfigTokens(c)                                   // foreign tokens, every field
//		env := v.Env("AccountId", c.AccountId, "Region", c.Region) // no cascades
//		common.CheckTags(v, "Tags", c.Tags)
//		v.Rule(nameField, c.Name, validate.IAMRoleName(c.Name+"-exec"))
//		v.LogRetention("RetentionInDays", c.RetentionInDays)       // suggests 731
//		v.OptionalRange("GraceSeconds", c.GraceSeconds, 0, 7200, "seconds")
//		if v.Literal("VpcId", c.VpcId) { v.Rule("VpcId", c.VpcId, vpcIDRule(c.VpcId)) }
//		switch {
//		case c.KmsKey != nil && c.KmsKeyArn != "":
//			v.Add("KmsKeyArn", c.KmsKeyArn, "must be empty when KmsKey is set (one key)")
//		case c.KmsKey != nil:
//			c.KmsKey.CheckUse(v, "KmsKey", env, keyStatements(c, env)...)
//		case c.KmsKeyArn != "":
//			v.ARN("KmsKeyArn", c.KmsKeyArn, validate.KmsKeyArn, env)
//		}
//		return c
//	}
//
//	func NewThing(scope constructs.Construct, id string, cfg *ThingConfig) (*Thing, error) {
//		v := validate.New("thing.NewThing")
//		baseline.CheckScope(v, scope, id)
//		if cfg != nil { common.CheckProviderScope(v, scope, cfg.Provider) }
//		c := cfg.withDefaults(v, id)
//		res := registry.Check(v, scope, id, registry.Env{Partition: validate.PartitionOf(c.Region),
//			Account: c.AccountId, Region: c.Region}, []registry.Claim{
//			{Kind: registry.IAMRole, Name: c.Name + "-exec", Field: "Name"},
//			{Kind: registry.Output, Name: outputPrefix(id) + "_arn", Field: "id"},
//		})
//		if err := v.Err(); err != nil { return nil, err } // nothing created
//		res.Commit() // before children (keys, buckets) check their names
//		p, tags := c.Provider, common.Tags(c.Tags, nil)
//		role := iamrole.NewIamRole(in, jsii.String("exec"), &iamrole.IamRoleConfig{
//			Name: jsii.String(c.Name + "-exec"), Provider: p, Tags: tags, ...})
//		// Key: created (securekey.NewSecureKey with Tags/Provider) or brought.
//		if c.KmsKey != nil { _ = c.KmsKey.AddToResourcePolicy(keyStatements(c, env)...) }
//		...
//	}
//
// Tests to copy: internal/common/options_test.go (tags on every taggable
// type via the provider schema, alias provider of a second region, Region and
// AccountId from the provider, determinism), internal/registry/registry_test.go
// (clashes), constructs/securekey|securebucket/*_test.go (one policy, grants).
package common
