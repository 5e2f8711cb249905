// Package baseline holds the internal building blocks that several
// constructs share and no public API mentions: the account/region Env, the
// encrypted CloudWatch log group, and the scope and template helpers.
// Customer-managed keys and hardened buckets are the public constructs
// securekey and securebucket.
package baseline

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/iampolicy"
)

// Env is the account and region a construct deploys to. Taking them from
// config instead of data sources keeps plans offline-capable.
type Env struct {
	AccountID string
	Region    string
}

// Partition is the ARN partition of the region.
func (e Env) Partition() string { return iampolicy.Partition(e.Region) }

// Root is the account's root principal ARN.
func (e Env) Root() string { return iampolicy.AccountRoot(e.Partition(), e.AccountID) }

// LogGroupConfig configures an encrypted CloudWatch log group.
type LogGroupConfig struct {
	Name            string
	RetentionInDays int
	KmsKeyArn       *string
	Tags            *map[string]*string
	Provider        cdktf.TerraformProvider
}

// NewLogGroup creates a log group encrypted with KmsKeyArn and with a finite
// retention.
func NewLogGroup(scope constructs.Construct, id string, cfg LogGroupConfig) cloudwatchloggroup.CloudwatchLogGroup {
	return cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(id), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(cfg.Name),
		RetentionInDays: jsii.Number(float64(cfg.RetentionInDays)),
		KmsKeyId:        cfg.KmsKeyArn,
		Tags:            cfg.Tags,
		Provider:        cfg.Provider,
	})
}
