// Package registry detects, at synth time, two constructs of one app that
// would create the same physical name (an IAM role, a log group, a KMS
// alias, a bucket, ...), the same Terraform output or variable, or the same
// fixed logical id. AWS or Terraform would otherwise reject the second at
// apply time, or, worse, one would silently overwrite the other.
//
// Every constructor computes the literal names it will create during
// validation, before creating anything, and calls Check; a clash becomes a
// problem in its *validate.Error naming both constructs (construct paths)
// and the field the name comes from. Only when the whole config is valid
// does the constructor call Commit and create its resources (Commit comes
// first, so that the keys and buckets it creates, which check their own
// names, see them as reserved by their parent).
//
// Names are scoped the way AWS scopes them: S3 bucket names per partition,
// IAM names per account, most others per account and region, outputs,
// variables and logical ids per stack. The registry spans the whole app, so
// two stacks of one account clash too. Names that hold a cdktf token are
// not known until apply and are skipped.
package registry

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// Scope says where a kind of name must be unique.
type Scope int

const (
	// Partition: one namespace per AWS partition (S3 bucket names).
	Partition Scope = iota
	// Account: per account (IAM names).
	Account
	// Region: per account and region (most resource names).
	Region
	// Stack: per Terraform stack (outputs, variables, logical ids).
	Stack
)

// Kind is a kind of name with its uniqueness scope.
type Kind struct {
	// Name names the kind in messages, e.g. "IAM role name".
	Name  string
	Scope Scope
	// Hint replaces the default advice ("choose another value") in a
	// clash message, e.g. for a singleton.
	Hint string
	// FoldCase makes names that differ only in case clash: IAM names are
	// unique regardless of case ("you cannot create roles named both
	// PRODROLE and prodrole", IAM User Guide, "IAM identifiers").
	FoldCase bool
}

// Kinds of names the constructs create.
var (
	S3Bucket      = Kind{Name: "S3 bucket name", Scope: Partition}
	IAMRole       = Kind{Name: "IAM role name", Scope: Account, FoldCase: true}
	IAMRolePrefix = Kind{Name: "IAM role name prefix", Scope: Account, FoldCase: true}
	IAMRolePolicy = Kind{Name: "inline policy name", Scope: Account, FoldCase: true} // Qualifier: the role
	IAMPolicy     = Kind{Name: "IAM managed policy name", Scope: Account, FoldCase: true}
	LogGroup      = Kind{Name: "CloudWatch log group name", Scope: Region}
	KMSAlias      = Kind{Name: "KMS alias", Scope: Region}
	LoadBalancer  = Kind{Name: "load balancer name", Scope: Region}
	TargetGroup   = Kind{Name: "target group name", Scope: Region}
	ECSCluster    = Kind{Name: "ECS cluster name", Scope: Region}
	ECSService    = Kind{Name: "ECS service name", Scope: Region} // Qualifier: the cluster
	TaskFamily    = Kind{Name: "ECS task definition family", Scope: Region}
	ECRRepository = Kind{Name: "ECR repository name", Scope: Region}
	SecurityGroup = Kind{Name: "security group name", Scope: Region} // Qualifier: the VPC
	SNSTopic      = Kind{Name: "SNS topic name", Scope: Region}
	Trail         = Kind{Name: "CloudTrail trail name", Scope: Region}
	WebACL        = Kind{Name: "WAF web ACL name", Scope: Region} // Qualifier: the WAF scope
	IPSet         = Kind{Name: "WAF IP set name", Scope: Region}  // Qualifier: the WAF scope
	EventRule     = Kind{Name: "EventBridge rule name", Scope: Region}
	MetricAlarm   = Kind{Name: "CloudWatch alarm name", Scope: Region}
	MetricFilter  = Kind{Name: "metric filter name", Scope: Region} // Qualifier: the log group
	ScalingPolicy = Kind{Name: "scaling policy name", Scope: Region}
	// ListenerRulePriority and ListenerRuleConditions: Qualifier is the
	// listener (its construct path, or its literal ARN).
	ListenerRulePriority = Kind{Name: "listener rule priority", Scope: Region,
		Hint: "each rule of one listener needs its own priority: choose another Attach.Priority"}
	ListenerRuleConditions = Kind{Name: "listener rule conditions", Scope: Region,
		Hint: "only the rule with the lower priority would ever match: change Attach.HostHeaders or Attach.PathPatterns"}
	DynamoDBTable  = Kind{Name: "DynamoDB table name", Scope: Region}
	GuardDuty      = Kind{Name: "GuardDuty detector", Scope: Region, Hint: "GuardDuty allows one detector per account and region: set SkipGuardDutyDetector in all but one"}
	Output         = Kind{Name: "Terraform output name", Scope: Stack}
	Variable       = Kind{Name: "Terraform variable name", Scope: Stack}
	LogicalID      = Kind{Name: "Terraform logical id", Scope: Stack}
	BackendOfStack = Kind{Name: "Terraform backend", Scope: Stack}
)

// Claim is one name a construct will create.
type Claim struct {
	Kind Kind
	// Name is the name; "" or a name holding a token is skipped.
	Name string
	// Field is the config field the name comes from ("Name",
	// "LogGroupName", "id" for names derived from the construct id).
	Field string
	// Qualifier narrows the namespace for kinds that AWS scopes below the
	// region (the role of an inline policy, the VPC of a security group).
	Qualifier string
}

// Env is the account and region a construct deploys to.
type Env struct {
	Partition, Account, Region string
}

type key struct {
	kind                       Kind
	name, qualifier            string
	partition, account, region string
	stack                      any
}

type owner struct {
	path, field string
	// name is the name as claimed (keys of FoldCase kinds are lowercase).
	name string
}

var (
	mu   sync.Mutex
	apps = map[any]map[key]owner{}
)

// Reservation holds checked claims until Commit.
type Reservation struct {
	app    any
	claims map[key]owner
}

// Check records in v a problem for every claim that clashes with a name
// another construct of the app (or this one, twice) has committed, and
// returns the reservation to Commit once the resources exist. scope and id
// are the constructor's; a claim inside a construct that reserved the same
// name for it (a SecureKey created by a construct that checked the key's
// alias) is not a clash.
func Check(v *validate.Collector, scope constructs.Construct, id string, env Env, claims []Claim) *Reservation {
	r := &Reservation{claims: map[key]owner{}}
	if scope == nil {
		return r
	}
	path := id
	if p := tree.Path(scope); p != "" {
		path = p + "/" + id
	}
	var stack any
	var stackPath string
	if s, pv := tree.Stack(scope); pv == nil && s != nil {
		stack, stackPath = s, tree.Path(s)
	}
	r.app = tree.Root(scope)

	mu.Lock()
	defer mu.Unlock()
	committed := apps[r.app]
	// A name whose field was already reported (before these claims) is not
	// also a clash (no cascades); a config with a problem reserves nothing
	// anyway.
	failed := map[string]bool{}
	for _, c := range claims {
		failed[c.Field] = c.Field != "" && v.Failed(c.Field)
	}
	for _, c := range claims {
		if c.Name == "" || validate.HasToken(c.Name) || failed[c.Field] {
			continue
		}
		if c.Kind.Scope == Stack && stack == nil {
			v.Add("scope", path, "must be inside a cdktf TerraformStack")
			return r
		}
		k := keyOf(c, env, stack)
		if o, ok := r.claims[k]; ok {
			v.Add(c.Field, c.Name, fmt.Sprintf("%s %q%s is also derived from field %s of this construct", c.Kind.Name, c.Name, where(k, stackPath), o.field))
			continue
		}
		if o, ok := committed[k]; ok && path != o.path && !strings.HasPrefix(path, o.path+"/") {
			hint := c.Kind.Hint
			if hint == "" {
				hint = "choose another value so the two do not collide"
			}
			v.Add(c.Field, c.Name, fmt.Sprintf("%s %q%s is already used by construct %s (field %s); %s",
				c.Kind.Name, c.Name, where(k, stackPath), o.path, o.field, hint))
			continue
		}
		r.claims[k] = owner{path: path, field: c.Field, name: c.Name}
	}
	return r
}

// keyOf is the registry key of a claim: its kind, name (lowercase for
// FoldCase kinds) and qualifier in the namespace its kind's Scope says.
func keyOf(c Claim, env Env, stack any) key {
	k := key{kind: c.Kind, name: c.Name, qualifier: c.Qualifier}
	if c.Kind.FoldCase {
		k.name = strings.ToLower(c.Name)
	}
	switch c.Kind.Scope {
	case Partition:
		k.partition = env.Partition
	case Account:
		k.partition, k.account = env.Partition, env.Account
	case Region:
		k.partition, k.account, k.region = env.Partition, env.Account, env.Region
	case Stack:
		k.stack = stack
	}
	return k
}

func where(k key, stackPath string) string {
	switch k.kind.Scope {
	case Partition:
		return fmt.Sprintf(" (unique in partition %s)", k.partition)
	case Account:
		return fmt.Sprintf(" (unique per account; account %s)", k.account)
	case Region:
		return fmt.Sprintf(" (unique per account and region; %s in %s)", k.account, k.region)
	default:
		if stackPath == "" {
			return " (unique per stack)"
		}
		return fmt.Sprintf(" (unique per stack; stack %s)", stackPath)
	}
}

// Commit records the reservation's names as used. Call it once the whole
// config is valid, right before creating resources; a reservation of a
// failed validation is simply dropped, so the user can retry with the same
// names.
func (r *Reservation) Commit() {
	if r == nil || r.app == nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	m := apps[r.app]
	if m == nil {
		m = map[key]owner{}
		apps[r.app] = m
	}
	for k, o := range r.claims {
		if _, ok := m[k]; !ok {
			m[k] = o
		}
	}
}

// Outputs returns Output claims for names, from field.
func Outputs(field string, names ...string) []Claim {
	out := make([]Claim, len(names))
	for i, n := range names {
		out[i] = Claim{Kind: Output, Name: n, Field: field}
	}
	return out
}
