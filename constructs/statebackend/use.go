package statebackend

import (
	"fmt"
	"reflect"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/common"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// BackendConfig configures Use. Its fields are the Terraform S3 backend's
// arguments of the same names, and every one must be a literal value:
// Terraform evaluates no reference in a backend block, so a cdktf token or
// a "${…}" is refused ("must be a literal value, not a reference").
// See https://developer.hashicorp.com/terraform/language/backend/s3
type BackendConfig struct {
	// Bucket is the state bucket (output state_bucket_name). Required; S3
	// bucket naming rules.
	Bucket string
	// Region is the bucket's region, one the AWS provider knows
	// (validate.Partitions). Required. For regions terraform 1.11's S3
	// backend does not know yet (ap-east-2, eusc-de-east-1), Use also writes
	// skip_region_validation = true.
	Region string
	// KmsKeyId is the full ARN of the state key (output state_kms_key_arn),
	// "arn:<partition>:kms:<region>:<account>:key/<id>", the key ID as
	// Terraform checks it (a UUID with a version digit 1-5 and variant
	// 8/9/a/b, in lowercase hex, or "mrk-" and 32 lowercase hex digits).
	// Required. Aliases and bare key IDs are rejected, although Terraform
	// takes them, because the bucket policy compares the SSE-KMS header with
	// the key ARN, so they would lock Terraform out. The key must be in
	// Region, and in AllowedAccountIds when that is set.
	KmsKeyId string
	// Key is the state object's key. Default "<stack id>/terraform.tfstate".
	// Terraform's rules: not empty or all whitespace, no leading or
	// trailing '/', no "//"; at most MaxKeyLength bytes of UTF-8 without
	// control characters.
	Key string
	// WorkspaceKeyPrefix is the prefix for non-default workspaces, whose
	// state is "<prefix>/<workspace>/<Key>". Default (Terraform's) "env:".
	// It must not start or end with '/'.
	WorkspaceKeyPrefix string
	// DynamodbTable adds legacy DynamoDB locking next to the S3 lock file,
	// for Terraform < 1.10 users (Terraform 1.11 warns that it is
	// deprecated). Empty by default. DynamoDB table naming rules.
	DynamodbTable string
	// AssumeRole makes Terraform assume this role for state access.
	AssumeRole *AssumeRole
	// AllowedAccountIds refuses to use credentials of any other account
	// (with AssumeRole: the role's account). When set, it must contain the
	// account of KmsKeyId and of AssumeRole.RoleArn.
	AllowedAccountIds []string
	// Endpoints overrides service endpoints, e.g. an S3 interface VPC
	// endpoint or FIPS endpoints. Default: none (the public endpoints).
	Endpoints *Endpoints
}

// AssumeRole is the S3 backend's assume_role block.
// See https://developer.hashicorp.com/terraform/language/backend/s3#assume-role-configuration
type AssumeRole struct {
	// RoleArn is the IAM role ARN, in Region's partition. Required.
	RoleArn string
	// DurationSeconds is the role session's duration in seconds, 900-43200
	// (15 minutes to 12 hours, Terraform's range; the role's maximum
	// session duration must allow it). Default: STS's (1 hour).
	DurationSeconds *int
	// ExternalId is passed to sts:AssumeRole when set: 2-1224 characters of
	// letters, digits and _+=,.@:/-.
	ExternalId string
	// SessionName is the role session name when set: 2-64 characters of
	// letters, digits and _+=,.@-.
	SessionName string
	// SourceIdentity is the source identity when set: the SessionName
	// rule, and not beginning with "aws:".
	SourceIdentity string
	// Tags are session tags (at most 50; keys 1-128 and values 0-256
	// characters of letters, digits, spaces and _.:/=+-@; no "aws:" keys).
	Tags map[string]string
	// TransitiveTagKeys are keys of Tags that pass to chained sessions.
	TransitiveTagKeys []string
}

// Endpoints are the S3 backend's endpoints block. Each one, when set, must
// be an https URL with a host (the state bucket policy denies requests
// without TLS).
type Endpoints struct {
	// S3 is the S3 endpoint, e.g. an interface VPC endpoint's DNS name.
	S3 string
	// Sts is the STS endpoint.
	Sts string
	// Iam is the IAM endpoint.
	Iam string
	// Sso is the IAM Identity Center (SSO) endpoint.
	Sso string
	// Dynamodb is the DynamoDB endpoint; only with DynamodbTable.
	Dynamodb string
}

type endpointField struct{ name, value string }

func (e *Endpoints) fields() []endpointField {
	return []endpointField{{"S3", e.S3}, {"Sts", e.Sts}, {"Iam", e.Iam}, {"Sso", e.Sso}, {"Dynamodb", e.Dynamodb}}
}

// Validate checks the config as Use(stack, cfg) does for a stack named
// stackID, without creating anything: an empty Key defaults to
// "<stackID>/terraform.tfstate". It returns nil or a *validate.Error.
func (c BackendConfig) Validate(stackID string) error {
	v := validate.New("statebackend.Use")
	if c.Key == "" && stackID != "" {
		c.Key = stackID + "/terraform.tfstate"
	}
	c.check(v)
	return v.Err()
}

// Use validates cfg and adds an S3 backend to stack with encrypt = true,
// kms_key_id, use_lockfile = true (set through an override because cdktf
// 0.20 has no field for it) and, only when asked for, the other arguments.
//
// It returns a *validate.Error listing every invalid field, and adds no
// backend, when cfg is invalid or stack is nil or already has a backend
// (a second Use, or any other cdktf backend).
func Use(stack cdktf.TerraformStack, cfg *BackendConfig) (cdktf.S3Backend, error) {
	v := validate.New("statebackend.Use")
	if isNil(stack) {
		v.Add("stack", nil, "is required")
		stack = nil
	} else if other := stack.Node().TryFindChild(jsii.String("backend")); other != nil {
		v.Add("stack", *stack.Node().Id(), "already has a backend ("+*other.Node().Path()+"): a stack has one; call Use once per stack")
	}
	if cfg == nil {
		v.Add("config", nil, "is required")
		return nil, v.Err()
	}
	c := *cfg
	if c.Key == "" && stack != nil {
		c.Key = *stack.Node().Id() + "/terraform.tfstate"
	}
	c.check(v)
	if err := v.Err(); err != nil {
		return nil, err
	}

	bc := &cdktf.S3BackendConfig{
		Bucket:   jsii.String(c.Bucket),
		Key:      jsii.String(c.Key),
		Region:   jsii.String(c.Region),
		Encrypt:  jsii.Bool(true),
		KmsKeyId: jsii.String(c.KmsKeyId),
	}
	if terraformUnknownRegions[c.Region] {
		bc.SkipRegionValidation = jsii.Bool(true)
	}
	if c.WorkspaceKeyPrefix != "" {
		bc.WorkspaceKeyPrefix = jsii.String(c.WorkspaceKeyPrefix)
	}
	if c.DynamodbTable != "" {
		bc.DynamodbTable = jsii.String(c.DynamodbTable)
	}
	if ar := c.AssumeRole; ar != nil {
		a := &cdktf.S3BackendAssumeRoleConfig{RoleArn: jsii.String(ar.RoleArn)}
		if ar.DurationSeconds != nil {
			a.Duration = jsii.String(fmt.Sprintf("%ds", *ar.DurationSeconds))
		}
		a.ExternalId = optional(ar.ExternalId)
		a.SessionName = optional(ar.SessionName)
		a.SourceIdentity = optional(ar.SourceIdentity)
		if len(ar.Tags) > 0 {
			a.Tags = common.Tags(ar.Tags, nil)
		}
		if len(ar.TransitiveTagKeys) > 0 {
			a.TransitiveTagKeys = jsii.Strings(ar.TransitiveTagKeys...)
		}
		bc.AssumeRole = a
	}
	if len(c.AllowedAccountIds) > 0 {
		bc.AllowedAccountIds = jsii.Strings(c.AllowedAccountIds...)
	}
	if e := c.Endpoints; e != nil && *e != (Endpoints{}) {
		bc.Endpoints = &cdktf.S3BackendEndpointConfig{
			S3: optional(e.S3), Sts: optional(e.Sts), Iam: optional(e.Iam), Sso: optional(e.Sso), Dynamodb: optional(e.Dynamodb),
		}
	}
	backend := cdktf.NewS3Backend(stack, bc)
	backend.AddOverride(jsii.String("use_lockfile"), true)
	return backend, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

// isNil reports whether an interface holds nothing or a nil pointer.
func isNil(x any) bool {
	if x == nil {
		return true
	}
	switch r := reflect.ValueOf(x); r.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return r.IsNil()
	}
	return false
}
