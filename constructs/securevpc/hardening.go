package securevpc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/networkaclrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/constructs/securekey"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/internal/baseline"
	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Hardening holds what SecureVpc and ImportedVpc add to a VPC: the flow log
// and what delivers it, the VPC endpoints and their security group, and the
// deny rules. Every resource is the provider's typed resource, for escape
// hatches (AddOverride, lifecycle); the string fields are the same values
// as plain tokens. Fields of parts that were not created are nil or "".
type Hardening struct {
	// FlowLog is the aws_flow_log; FlowLogId its ID.
	FlowLog   flowlog.FlowLog
	FlowLogId string
	// FlowLogGroup is the flow-log group (cloud-watch-logs only), named
	// FlowLogGroupName, with ARN FlowLogGroupArn.
	FlowLogGroup                      cloudwatchloggroup.CloudwatchLogGroup
	FlowLogGroupName, FlowLogGroupArn string
	// FlowLogKmsKeyArn is the ARN of the key that encrypts the log group;
	// "" unless the destination is cloud-watch-logs.
	FlowLogKmsKeyArn string
	// FlowLogKey is the key the construct created for the log group; nil
	// unless the destination is cloud-watch-logs and no key was brought
	// (FlowLogs.KmsKey, FlowLogs.KmsKeyArn).
	FlowLogKey *securekey.SecureKey
	// FlowLogKeyPolicyStatements are the key-policy statements the flow-log
	// group's key needs (CloudWatch Logs of Region for this one log group):
	// added to the key created or given as FlowLogs.KmsKey, and to be
	// present in the policy of a FlowLogs.KmsKeyArn key. nil unless the
	// destination is cloud-watch-logs.
	FlowLogKeyPolicyStatements []iampolicy.Statement
	// FlowLogRole is the role that delivers to the log group (name prefix
	// "<Name>-flow-logs-", permissions boundary PermissionsBoundary);
	// FlowLogRoleArn its ARN; FlowLogRolePolicy its one inline policy
	// (write to this log group only). nil/"" unless the destination is
	// cloud-watch-logs.
	FlowLogRole       iamrole.IamRole
	FlowLogRoleArn    string
	FlowLogRolePolicy iamrolepolicy.IamRolePolicy
	// FlowLogBucketPolicyStatements are the bucket-policy statements
	// delivery.logs.amazonaws.com needs to write the flow logs (S3 only):
	// added to a FlowLogs.Bucket, to be present in the policy of a
	// FlowLogs.LogDestination bucket. FlowLogBucketKeyPolicyStatements are
	// what the bucket's KMS key needs when the bucket uses SSE-KMS (added to
	// a FlowLogs.Bucket's SecureKey).
	FlowLogBucketPolicyStatements, FlowLogBucketKeyPolicyStatements []iampolicy.Statement

	// EndpointSecurityGroup is the security group of the interface
	// endpoints (TCP 443 from the VPC CIDR and from the groups given to
	// AllowEndpointAccessFrom; no egress); EndpointSecurityGroupId its ID.
	EndpointSecurityGroup   securitygroup.SecurityGroup
	EndpointSecurityGroupId string
	// S3GatewayEndpoint is the S3 gateway endpoint; S3GatewayEndpointId its
	// ID and S3PrefixListId its prefix list, for security-group egress
	// rules to S3 (ECR image layers).
	S3GatewayEndpoint   vpcendpoint.VpcEndpoint
	S3GatewayEndpointId string
	S3PrefixListId      string
	// InterfaceEndpoints maps each interface endpoint service ("ecr.api",
	// ...) to its endpoint; InterfaceEndpointIds to its ID.
	InterfaceEndpoints   map[string]vpcendpoint.VpcEndpoint
	InterfaceEndpointIds map[string]string

	// DenyCidrBlocksVariable is the Terraform variable feeding the deny
	// list; nil unless DenyCidrBlocksVariable is set.
	DenyCidrBlocksVariable cdktf.TerraformVariable
	// DenyRules are the deny rules, static ones and the variable's (one
	// resource with count per ACL and direction), in creation order.
	DenyRules []networkaclrule.NetworkAclRule

	// endpointIngress are the endpoint security group's ingress rules;
	// endpointSources the resolved groups of AllowEndpointAccessFrom.
	endpointIngress []*securitygroup.SecurityGroupIngress
	endpointSources []string
	scope           constructs.Construct
}

// AllowEndpointAccessFrom lets the security group securityGroupId (e.g. a
// service's task security group, in this VPC) reach the interface
// endpoints on TCP 443, in addition to the VPC CIDR: the connections
// grant of the endpoints, after AWS CDK's connections.allowFrom. The rule
// is added to the endpoint security group's own ingress list (no second
// rule resource that would fight it). Allowing the same group twice adds
// one rule.
//
// It returns a *validate.Error when there are no interface endpoints, or
// securityGroupId is neither a security group ID ("sg-...") nor a token of
// this app.
func (h *Hardening) AllowEndpointAccessFrom(securityGroupId string) error {
	v := validate.New("securevpc.AllowEndpointAccessFrom")
	if h == nil || h.EndpointSecurityGroup == nil {
		v.Add("securityGroupId", securityGroupId, "cannot be allowed: this VPC has no interface endpoints")
		return v.Err()
	}
	if validate.HasToken(securityGroupId) {
		v.Literal("securityGroupId", securityGroupId)
	} else {
		v.EC2ID("securityGroupId", securityGroupId, validate.SecurityGroupID)
	}
	if err := v.Err(); err != nil {
		return err
	}
	// Each read of a resource attribute is a new token: compare what they
	// resolve to.
	key := securityGroupId
	if validate.HasToken(securityGroupId) {
		key = resolved(h.scope, securityGroupId)
	}
	if slices.Contains(h.endpointSources, key) {
		return nil
	}
	h.endpointSources = append(h.endpointSources, key)
	h.endpointIngress = append(h.endpointIngress, &securitygroup.SecurityGroupIngress{
		Description:    jsii.String("HTTPS from a security group allowed with AllowEndpointAccessFrom"),
		Protocol:       jsii.String("tcp"),
		FromPort:       jsii.Number(443),
		ToPort:         jsii.Number(443),
		SecurityGroups: jsii.Strings(securityGroupId),
	})
	h.EndpointSecurityGroup.PutIngress(h.endpointIngress)
	return nil
}

// builder creates the hardening resources for one construct.
type builder struct {
	in   constructs.Construct
	h    *Hardening
	l    *plan
	vpc  *string
	cidr string
	deny *denyExprs
}

// denyExprs are the expressions of the deny-list variable's rules, built
// once per construct and shared by its rules (each is a jsii round trip).
type denyExprs struct {
	count       cdktf.TerraformCount
	index       *float64
	cidr        *string
	ruleNumbers map[int]*float64
}

func (b *builder) denyExprs() *denyExprs {
	if b.deny == nil {
		list := b.h.DenyCidrBlocksVariable.ListValue()
		count := cdktf.TerraformCount_Of(cdktf.Fn_LengthOf(list))
		index := count.Index()
		b.deny = &denyExprs{count: count, index: index, ruleNumbers: map[int]*float64{},
			cidr: cdktf.Token_AsString(cdktf.Fn_Element(list, index), nil)}
	}
	return b.deny
}

// ruleNumber is count.index + first.
func (d *denyExprs) ruleNumber(first int) *float64 {
	n, ok := d.ruleNumbers[first]
	if !ok {
		n = cdktf.Op_Add(d.index, jsii.Number(float64(first)))
		d.ruleNumbers[first] = n
	}
	return n
}

func (l *plan) builder(in constructs.Construct, h *Hardening, vpcID *string, cidr string) *builder {
	h.scope = in
	return &builder{in: in, h: h, l: l, vpc: vpcID, cidr: cidr}
}

// nameTags are the user's tags plus a Name tag "<Name>-<parts>".
func (b *builder) nameTags(parts ...string) *map[string]*string {
	return common.Tags(b.l.tags, map[string]string{"Name": strings.Join(append([]string{b.l.name}, parts...), "-")})
}

func (b *builder) provider() cdktf.TerraformProvider { return b.l.provider }

// boundary is the permissions boundary of created roles (nil for none).
func (b *builder) boundary() *string {
	if b.l.boundary == "" {
		return nil
	}
	return jsii.String(b.l.boundary)
}

func (b *builder) flowLog(fl FlowLogsConfig) {
	in, h, l, p := b.in, b.h, b.l, b.provider()
	env := l.env
	flc := &flowlog.FlowLogConfig{
		Provider:               p,
		VpcId:                  b.vpc,
		TrafficType:            jsii.String(fl.TrafficType),
		LogDestinationType:     jsii.String(fl.LogDestinationType),
		MaxAggregationInterval: jsii.Number(float64(*fl.MaxAggregationIntervalSeconds)),
		Tags:                   b.nameTags(),
	}
	if fl.LogDestinationType == FlowLogDestinationS3 {
		var bucketArn, folder string
		if fl.Bucket != nil {
			bucketArn, folder = *fl.Bucket.Arn(), fl.BucketPrefix
			dest := bucketArn
			if folder != "" {
				dest += "/" + strings.TrimSuffix(folder, "/") + "/"
			}
			flc.LogDestination = jsii.String(dest)
		} else {
			bucketArn, folder = bucketOfDestination(fl.LogDestination)
			flc.LogDestination = jsii.String(fl.LogDestination)
		}
		h.FlowLogBucketPolicyStatements, h.FlowLogBucketKeyPolicyStatements = flowLogBucketStatements(l.name, env, bucketArn, folder)
		if fl.Bucket != nil {
			if err := fl.Bucket.AddToResourcePolicy(h.FlowLogBucketPolicyStatements...); err != nil {
				panic(err) // unreachable: CheckAddToResourcePolicy passed during validation
			}
			if k := fl.Bucket.Config.KmsKey; k != nil {
				if err := k.AddToResourcePolicy(h.FlowLogBucketKeyPolicyStatements...); err != nil {
					panic(err) // unreachable: CheckUse passed during validation
				}
			}
			// The flow log checks the bucket policy when it is created
			// (depends_on only within one stack; across stacks the bucket's
			// stack is deployed first).
			if tree.StackPath(fl.Bucket.Bucket) == tree.StackPath(in) {
				flc.DependsOn = &[]cdktf.ITerraformDependable{fl.Bucket.Policy}
			}
		}
		if fl.FileFormat != FlowLogFileFormatPlainText || fl.HiveCompatiblePartitions || fl.PerHourPartition {
			flc.DestinationOptions = &flowlog.FlowLogDestinationOptions{
				FileFormat:               jsii.String(fl.FileFormat),
				HiveCompatiblePartitions: jsii.Bool(fl.HiveCompatiblePartitions),
				PerHourPartition:         jsii.Bool(fl.PerHourPartition),
			}
		}
	} else {
		groupName := flowLogGroupName(l.name)
		// CloudWatch Logs may use the key for this one log group only.
		logsStmt := flowLogKeyStatement(l.name, env)
		var keyArn *string
		switch {
		case fl.KmsKey != nil:
			if err := fl.KmsKey.AddToResourcePolicy(logsStmt); err != nil {
				panic(err) // unreachable: CheckUse passed during validation
			}
			keyArn = fl.KmsKey.Arn()
		case fl.KmsKeyArn != "":
			keyArn = jsii.String(fl.KmsKeyArn)
		default:
			// The created key keeps the Sid it always had.
			logsStmt.Sid = "AllowCloudWatchLogs"
			key, err := securekey.NewSecureKey(in, "flow_log_key", &securekey.SecureKeyConfig{
				AccountId:            env.AccountId,
				Region:               env.Region,
				Description:          "Encrypts the VPC flow logs of " + l.name,
				Alias:                flowLogKeyAlias(l.name),
				DeletionWindowInDays: FlowLogKeyDeletionWindowInDays,
				Statements:           []iampolicy.Statement{logsStmt},
				Tags:                 l.tags,
				Provider:             p,
			})
			if err != nil {
				panic(err) // unreachable: the config was validated
			}
			h.FlowLogKey, keyArn = key, key.Arn()
		}
		h.FlowLogKeyPolicyStatements = []iampolicy.Statement{logsStmt}
		group := baseline.NewLogGroup(in, "flow_log_group", baseline.LogGroupConfig{
			Name: groupName, RetentionInDays: *fl.RetentionInDays, KmsKeyArn: keyArn,
			Tags: common.Tags(l.tags, nil), Provider: p,
		})
		trust := iampolicy.New(iampolicy.Statement{
			Sid:       "AllowVpcFlowLogs",
			Effect:    "Allow",
			Principal: iampolicy.Service("vpc-flow-logs.amazonaws.com"),
			Action:    []string{"sts:AssumeRole"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": env.AccountId},
				"ArnLike":      {"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", env.Partition(), env.Region, env.AccountId)},
			},
		})
		role := iamrole.NewIamRole(in, jsii.String("flow_log_role"), &iamrole.IamRoleConfig{
			Provider:            p,
			NamePrefix:          jsii.String(flowLogRolePrefix(l.name)),
			Description:         jsii.String("Delivers the VPC flow logs of " + l.name + " to " + groupName),
			AssumeRolePolicy:    jsii.String(trust.JSON()),
			PermissionsBoundary: b.boundary(),
			Tags:                b.nameTags("flow-logs"),
		})
		arn := *group.Arn()
		write := iampolicy.New(iampolicy.Statement{
			Sid:      "WriteFlowLogGroup",
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			Resource: []string{arn, arn + ":log-stream:*"},
		})
		h.FlowLogRolePolicy = iamrolepolicy.NewIamRolePolicy(in, jsii.String("flow_log_role_policy"), &iamrolepolicy.IamRolePolicyConfig{
			Provider: p,
			Name:     jsii.String("write-flow-log-group"),
			Role:     role.Id(),
			Policy:   jsii.String(write.JSON()),
		})
		roleArn := role.Arn()
		flc.LogDestination = jsii.String(arn)
		flc.IamRoleArn = roleArn
		h.FlowLogGroup, h.FlowLogRole = group, role
		h.FlowLogGroupName, h.FlowLogGroupArn = *group.Name(), arn
		h.FlowLogKmsKeyArn, h.FlowLogRoleArn = *keyArn, *roleArn
	}
	h.FlowLog = flowlog.NewFlowLog(in, jsii.String("flow_log"), flc)
	h.FlowLogId = *h.FlowLog.Id()
}

// endpoints creates the S3 gateway endpoint on routeTables (when s3) and
// the interface endpoints of services in subnets.
func (b *builder) endpoints(services, subnets, routeTables []string, s3 bool) {
	in, h, l, p := b.in, b.h, b.l, b.provider()
	region := l.env.Region
	h.InterfaceEndpoints, h.InterfaceEndpointIds = map[string]vpcendpoint.VpcEndpoint{}, map[string]string{}
	if s3 {
		h.S3GatewayEndpoint = vpcendpoint.NewVpcEndpoint(in, jsii.String("s3_gateway_endpoint"), &vpcendpoint.VpcEndpointConfig{
			Provider:        p,
			VpcId:           b.vpc,
			ServiceName:     jsii.String(GatewayEndpointServiceName(region, "s3")),
			VpcEndpointType: jsii.String("Gateway"),
			RouteTableIds:   jsii.Strings(routeTables...),
			Tags:            b.nameTags("s3"),
		})
		h.S3GatewayEndpointId = *h.S3GatewayEndpoint.Id()
		h.S3PrefixListId = *h.S3GatewayEndpoint.PrefixListId()
	}
	if len(services) == 0 {
		return
	}
	h.endpointIngress = []*securitygroup.SecurityGroupIngress{{
		Description: jsii.String("HTTPS from the VPC"),
		Protocol:    jsii.String("tcp"),
		FromPort:    jsii.Number(443),
		ToPort:      jsii.Number(443),
		CidrBlocks:  jsii.Strings(b.cidr),
	}}
	h.EndpointSecurityGroup = securitygroup.NewSecurityGroup(in, jsii.String("endpoint_security_group"), &securitygroup.SecurityGroupConfig{
		Provider:    p,
		NamePrefix:  jsii.String(l.name + "-endpoints-"),
		Description: jsii.String("Interface VPC endpoints of " + l.name + ": HTTPS from the VPC only"),
		VpcId:       b.vpc,
		Ingress:     &h.endpointIngress,
		// Endpoints only answer; security groups are stateful.
		Egress: &[]*securitygroup.SecurityGroupEgress{},
		Tags:   b.nameTags("endpoints"),
	})
	h.EndpointSecurityGroupId = *h.EndpointSecurityGroup.Id()
	for _, svc := range services {
		e := vpcendpoint.NewVpcEndpoint(in, jsii.String(strings.NewReplacer(".", "_", "-", "_").Replace(svc)+"_endpoint"), &vpcendpoint.VpcEndpointConfig{
			Provider:          p,
			VpcId:             b.vpc,
			ServiceName:       jsii.String(EndpointServiceName(region, svc)),
			VpcEndpointType:   jsii.String("Interface"),
			SubnetIds:         jsii.Strings(subnets...),
			SecurityGroupIds:  jsii.Strings(h.EndpointSecurityGroupId),
			PrivateDnsEnabled: jsii.Bool(true),
			Tags:              b.nameTags(svc),
		})
		h.InterfaceEndpoints[svc] = e
		h.InterfaceEndpointIds[svc] = *e.Id()
	}
}

// denyVariable declares the deny-list variable name (if any), with room
// entries at most.
func (b *builder) denyVariable(name string, room int) {
	if name == "" {
		return
	}
	h := b.h
	h.DenyCidrBlocksVariable = cdktf.NewTerraformVariable(b.in, jsii.String("deny_cidr_blocks"), &cdktf.TerraformVariableConfig{
		Type:        jsii.String("list(string)"),
		Default:     &[]*string{},
		Nullable:    jsii.Bool(false),
		Description: jsii.String(fmt.Sprintf("IPv4 CIDRs denied in and out of every subnet of VPC %s (network ACL rules; at most %d).", b.l.name, room)),
		Validation: &[]*cdktf.TerraformVariableValidationConfig{
			{
				Condition:    jsii.String(fmt.Sprintf("${length(var.%s) <= %d}", name, room)),
				ErrorMessage: jsii.String(fmt.Sprintf("At most %d CIDRs fit in the network ACLs' deny rules.", room)),
			},
			{
				Condition:    jsii.String(fmt.Sprintf("${alltrue([for c in var.%s : can(cidrnetmask(c)) && cidrhost(c, 0) == split(\"/\", c)[0]])}", name)),
				ErrorMessage: jsii.String("Every entry must be an IPv4 CIDR block without host bits, such as 203.0.113.7/32."),
			},
		},
	})
	h.DenyCidrBlocksVariable.OverrideLogicalId(jsii.String(name))
}

// denyRules adds the deny rules of cidrs and of the variable to acl in one
// direction, numbered from first; construct ids start with prefix.
func (b *builder) denyRules(prefix string, acl *string, cidrs []string, first int, egress bool) {
	in, h, p := b.in, b.h, b.provider()
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	for i, cidr := range cidrs {
		h.DenyRules = append(h.DenyRules, networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_deny_%d", prefix, dir, i)), &networkaclrule.NetworkAclRuleConfig{
			Provider:     p,
			NetworkAclId: acl, Egress: jsii.Bool(egress), RuleNumber: jsii.Number(float64(first + i)),
			RuleAction: jsii.String("deny"), Protocol: jsii.String("-1"), CidrBlock: jsii.String(cidr),
			FromPort: jsii.Number(0), ToPort: jsii.Number(0),
		}))
	}
	if h.DenyCidrBlocksVariable != nil {
		d := b.denyExprs()
		h.DenyRules = append(h.DenyRules, networkaclrule.NewNetworkAclRule(in, jsii.String(fmt.Sprintf("%s_%s_deny_variable", prefix, dir)), &networkaclrule.NetworkAclRuleConfig{
			Provider:     p,
			Count:        d.count,
			NetworkAclId: acl, Egress: jsii.Bool(egress),
			RuleNumber: d.ruleNumber(first + len(cidrs)),
			RuleAction: jsii.String("deny"), Protocol: jsii.String("-1"),
			CidrBlock: d.cidr,
			FromPort:  jsii.Number(0), ToPort: jsii.Number(0),
		}))
	}
}

// resolved is what token s resolves to in scope's stack ("${aws_x.y.id}"),
// or s itself when it cannot be resolved here.
func resolved(scope constructs.Construct, s string) (out string) {
	out = s
	defer func() { _ = recover() }()
	r := cdktf.Tokenization_Resolve(jsii.String(s), &cdktf.ResolveOptions{
		Scope:    cdktf.TerraformStack_Of(scope),
		Resolver: cdktf.NewDefaultTokenResolver(cdktf.NewStringConcat()),
	})
	if str, ok := r.(string); ok {
		out = str
	}
	return out
}
