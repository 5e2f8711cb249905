package statebackend

import (
	"github.com/hardened-iac/cdktf-aws/grant"
	"github.com/hardened-iac/cdktf-aws/iampolicy"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Actions of the state grants (Terraform's documented S3 backend
// permissions; see the package doc).
var (
	// StateReadActions are granted on the state objects by GrantRead and
	// GrantReadWrite.
	StateReadActions = []string{"s3:GetObject"}
	// StateWriteActions are granted on the state objects by GrantReadWrite.
	StateWriteActions = []string{"s3:GetObject", "s3:PutObject"}
	// LockFileActions are granted on the "<state key>.tflock" lock objects by
	// GrantReadWrite: the lock is taken with a conditional PutObject and
	// released with DeleteObject.
	LockFileActions = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
	// StateKeyReadActions and StateKeyWriteActions are granted on the state
	// key.
	StateKeyReadActions  = []string{"kms:Decrypt"}
	StateKeyWriteActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}
	// LockTableReadActions and LockTableWriteActions are granted on the
	// legacy lock table (LockTable): Terraform < 1.10 and a backend with
	// dynamodb_table read the state digest from it, and lock with it.
	LockTableReadActions  = []string{"dynamodb:GetItem"}
	LockTableWriteActions = []string{"dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}
)

// GrantRead lets g read the state objects that stateKeys selects, which is
// what terraform plan -lock=false, terraform output and
// terraform_remote_state need: s3:ListBucket on the state bucket (Terraform
// lists workspaces at init), s3:GetObject on the objects, kms:Decrypt on
// the state key and, with LockTable, dynamodb:GetItem on the lock table.
// It writes nothing, so it cannot take the lock: run plans with
// -lock=false, or use GrantReadWrite.
//
// stateKeys is a state key ("shop-prod/terraform.tfstate"), a prefix
// ending in '*' ("shop/*"; non-default workspaces are under "env:/*") or
// "*" (StateKeysRule).
//
// g is grant.Role(role) for a role of this app (one inline policy on the
// role, with every statement), or grant.Principal(arn) for a principal
// managed elsewhere, e.g. a role of another account (statements in the
// state bucket's policy and, when the backend created or was given the key
// as a SecureKey, in the key's policy; that account must still allow the
// same actions in the principal's own IAM policy). With KmsKeyArn the key
// policy is not ours: it must allow a Principal grantee the key actions
// itself. A Principal is not granted the legacy lock table (it has no
// resource policy here): such principals use S3 native locking.
//
// Granting the same keys to the same role twice returns the first grant.
// It returns a *validate.Error, and grants nothing, for a nil grantee or an
// invalid stateKeys.
func (b *EncryptedStateBackend) GrantRead(g grant.Grantee, stateKeys string) (*grant.Grant, error) {
	return b.grant("statebackend.GrantRead", g, stateKeys, false)
}

// GrantReadWrite lets g run Terraform with the state objects that
// stateKeys selects (init, plan, apply with locking), the permissions of
// the package doc: s3:ListBucket on the state bucket; s3:GetObject and
// s3:PutObject on the objects; s3:GetObject, s3:PutObject and
// s3:DeleteObject on their ".tflock" lock objects (and on no state object:
// a deployment role cannot delete state); kms:Encrypt, kms:Decrypt and
// kms:GenerateDataKey on the state key; with LockTable, DescribeTable,
// GetItem, PutItem and DeleteItem on the lock table. stateKeys and g as
// for GrantRead.
func (b *EncryptedStateBackend) GrantReadWrite(g grant.Grantee, stateKeys string) (*grant.Grant, error) {
	return b.grant("statebackend.GrantReadWrite", g, stateKeys, true)
}

func (b *EncryptedStateBackend) grant(construct string, g grant.Grantee, stateKeys string, write bool) (*grant.Grant, error) {
	v := validate.New(construct)
	v.Check(!isNil(g), "grantee", nil, "is required: grant.Role(role) or grant.Principal(arn)")
	v.Rule("stateKeys", stateKeys, StateKeysRule(stateKeys))
	if err := v.Err(); err != nil {
		return nil, err
	}
	bucketArn := *b.StateBucket.Arn()
	objects := []string{bucketArn + "/" + stateKeys}
	toBucket := func(s iampolicy.Statement) error { return b.StateBucket.AddToResourcePolicy(s) }
	var toKey func(iampolicy.Statement) error
	if b.Key != nil {
		toKey = func(s iampolicy.Statement) error { return b.Key.AddToResourcePolicy(s) }
	}
	identity := !isNil(g.Role())

	name, objectActions, keyActions, tableActions := "tfstate-read", StateReadActions, StateKeyReadActions, LockTableReadActions
	if write {
		name, objectActions, keyActions, tableActions = "tfstate-readwrite", StateWriteActions, StateKeyWriteActions, LockTableWriteActions
	}
	req := grant.Request{
		Name: name,
		// The hex of the path makes one grant per key pattern.
		ResourcePath:            *b.StateBucket.Bucket.Node().Path() + "/" + stateKeys,
		Scope:                   b.StateBucket.Bucket,
		Actions:                 []string{"s3:ListBucket"},
		Resources:               []string{bucketArn},
		ResourcePolicyResources: []string{bucketArn},
		AddToResourcePolicy:     toBucket,
		Also: []grant.Part{
			{Actions: objectActions, Resources: objects, ResourcePolicyResources: objects},
		},
	}
	if write {
		locks := []string{bucketArn + "/" + stateKeys + ".tflock"}
		req.Also = append(req.Also, grant.Part{Actions: LockFileActions, Resources: locks, ResourcePolicyResources: locks})
	}
	if identity || toKey != nil {
		// A key policy names the key as "*".
		req.Also = append(req.Also, grant.Part{Actions: keyActions, Resources: []string{b.keyArn}, ResourcePolicyResources: []string{"*"}, AddToResourcePolicy: toKey})
	}
	if identity && b.LockTable != nil {
		req.Also = append(req.Also, grant.Part{Actions: tableActions, Resources: []string{*b.LockTable.Arn()}})
	}
	gr, err := grant.Apply(g, req)
	if err != nil {
		v.Merge("", nil, err)
		return nil, v.Err()
	}
	return gr, nil
}
