// Package iampolicy renders IAM and resource policies as deterministic JSON.
// Use it for statements you add to the constructs, e.g.
// ecsservice.HardenedEcsService.AddTaskRolePolicy.
//
// Policies are built as Go values and marshalled once, so the synthesized
// Terraform carries a plain JSON string whose keys are always in the same
// order. Values may contain cdktf tokens (for example a bucket ARN); cdktf
// resolves them to Terraform interpolations inside the string.
package iampolicy

import (
	"bytes"
	"encoding/json"

	"github.com/hardened-iac/cdktf-aws/validate"
)

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Condition maps an operator such as
// "StringEquals" to condition keys and their values.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal any                       `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// New returns a 2012-10-17 document with the given statements.
func New(statements ...Statement) Document {
	return Document{Version: "2012-10-17", Statement: statements}
}

// JSON renders the document. Map keys are sorted, so output is stable.
func (d Document) JSON() string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		panic(err) // only plain strings, slices and maps: cannot fail
	}
	return string(bytes.TrimSpace(buf.Bytes()))
}

// Service returns a principal for an AWS service, e.g. "logs.amazonaws.com".
func Service(name string) map[string]any { return map[string]any{"Service": name} }

// AWS returns a principal for an account or role ARN.
func AWS(arn string) map[string]any { return map[string]any{"AWS": arn} }

// AnyPrincipal is the "*" principal, used only in Deny statements here.
var AnyPrincipal = map[string]any{"AWS": "*"}

// DenyInsecureTransport denies every S3 action on the bucket and its objects
// over plain HTTP (aws:SecureTransport = false).
func DenyInsecureTransport(bucketArn string) Statement {
	return Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: AnyPrincipal,
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	}
}

// DenyOutdatedTLS denies every S3 action made with TLS older than 1.2.
func DenyOutdatedTLS(bucketArn string) Statement {
	return Statement{
		Sid:       "DenyOutdatedTLS",
		Effect:    "Deny",
		Principal: AnyPrincipal,
		Action:    []string{"s3:*"},
		Resource:  []string{bucketArn, bucketArn + "/*"},
		Condition: map[string]map[string]any{"NumericLessThan": {"s3:TlsVersion": "1.2"}},
	}
}

// Partition returns the ARN partition of an AWS region ("aws", "aws-cn",
// "aws-us-gov", ...), without a data source, so that offline plans work.
// It is validate.PartitionOf.
func Partition(region string) string { return validate.PartitionOf(region) }

// AccountRoot returns the root principal ARN of an account.
func AccountRoot(partition, accountID string) string {
	return "arn:" + partition + ":iam::" + accountID + ":root"
}
