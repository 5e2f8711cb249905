package common

import (
	"fmt"
	"slices"
	"sort"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/hardened-iac/cdktf-aws/internal/tree"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// EnvFromProvider defaults *account and *region from an AWS provider whose
// region and allowed_account_ids are literals, and records a problem when
// they are set and differ: a construct's ARNs and policies must name the
// account and region its resources are created in. Nothing is read when p
// is nil. A provider other than the AWS provider is a problem.
func EnvFromProvider(v *validate.Collector, p cdktf.TerraformProvider, accountField string, account *string, regionField string, region *string) {
	if p == nil {
		return
	}
	aws, ok := p.(provider.AwsProvider)
	if !ok {
		v.Add("Provider", *p.TerraformResourceType(), "must be an AWS provider (provider.NewAwsProvider), optionally with an alias")
		return
	}
	if r := aws.Region(); r != nil && !validate.HasToken(*r) && *r != "" {
		if *region == "" {
			*region = *r
		} else {
			v.Check(*region == *r, regionField, *region, fmt.Sprintf("must equal the region of Provider (%q): the construct's resources are created there", *r))
		}
	}
	if ids := aws.AllowedAccountIds(); ids != nil && len(*ids) > 0 {
		var literal []string
		for _, id := range *ids {
			if id != nil && !validate.HasToken(*id) {
				literal = append(literal, *id)
			}
		}
		if len(literal) == len(*ids) {
			if *account == "" && len(literal) == 1 {
				*account = literal[0]
			} else if *account != "" {
				v.Check(slices.Contains(literal, *account), accountField, *account,
					fmt.Sprintf("must be one of the allowed_account_ids of Provider %v: Terraform refuses other accounts", literal))
			}
		}
	}
}

// CheckProviderScope records a problem when p does not belong to the stack
// that scope is in (cdktf cannot reference another stack's provider).
func CheckProviderScope(v *validate.Collector, scope constructs.Construct, p cdktf.TerraformProvider) {
	if p == nil || scope == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			v.Add("Provider", nil, fmt.Sprintf("could not be checked: %v", r))
		}
	}()
	sp, pv := tree.Stack(p)
	if pv != nil {
		panic(pv)
	}
	ss, pv := tree.Stack(scope)
	if pv != nil {
		panic(pv)
	}
	var a, b any = sp, ss
	if a != b {
		v.Add("Provider", tree.Path(p), "must belong to the stack the construct is created in ("+tree.Path(ss)+")")
	}
}

// CheckTags validates user tags with the vocabulary and rejects keys the
// construct sets itself (reserved), which would otherwise be overwritten.
func CheckTags(v *validate.Collector, field string, tags map[string]string, reserved ...string) {
	v.Tags(field, tags)
	for _, k := range reserved {
		if _, ok := tags[k]; ok {
			v.Add(field+"["+k+"]", k, "is set by the construct itself; remove it from "+field)
		}
	}
}

// Tags returns the tags of one resource: the user's tags plus the
// construct's own (own wins), as a map for the resource config; nil when
// both are empty, so the synthesized output has no tags attribute.
func Tags(user map[string]string, own map[string]string) *map[string]*string {
	if len(user) == 0 && len(own) == 0 {
		return nil
	}
	out := make(map[string]*string, len(user)+len(own))
	for k, val := range user {
		out[k] = jsii.String(val)
	}
	for k, val := range own {
		out[k] = jsii.String(val)
	}
	return &out
}

// SortedKeys returns the keys of a string map in order.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
