package policy

import (
	"fmt"
	"regexp"
	"strings"
)

func checkECRImmutable(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, r := range s.byType["aws_ecr_repository"] {
		switch m, st := s.str(r.attrs["image_tag_mutability"]); {
		case st == absent:
			hits = append(hits, hit{r, "image_tag_mutability not set (default MUTABLE)"})
		case st == unknown:
			hits = append(hits, hit{r, "image_tag_mutability is not known at synth"})
		case !strings.HasPrefix(m, "IMMUTABLE"):
			hits = append(hits, hit{r, fmt.Sprintf("image_tag_mutability = %q", m)})
		}
	}
	return hits
}

// registryScansOnPush reports whether an aws_ecr_registry_scanning_configuration
// scans every repository on push (or continuously).
func (s *stack) registryScansOnPush() bool {
	for _, cfg := range s.byType["aws_ecr_registry_scanning_configuration"] {
		for _, rule := range blocks(cfg.attrs["rule"]) {
			freq, _ := s.literalString(rule["scan_frequency"])
			if freq != "SCAN_ON_PUSH" && freq != "CONTINUOUS_SCAN" {
				continue
			}
			for _, f := range blocks(rule["repository_filter"]) {
				if v, _ := s.literalString(f["filter"]); v == "*" {
					return true
				}
			}
		}
	}
	return false
}

func checkECRScanOnPush(c *checkContext, s *stack) []hit {
	if s.registryScansOnPush() {
		return nil
	}
	var hits []hit
	for _, r := range s.byType["aws_ecr_repository"] {
		on, st := false, absent
		for _, b := range blocks(r.attrs["image_scanning_configuration"]) {
			on, st = s.boolean(b["scan_on_push"])
		}
		switch {
		case st == absent:
			hits = append(hits, hit{r, "image_scanning_configuration.scan_on_push not set (default false)"})
		case st == unknown:
			hits = append(hits, hit{r, "image_scanning_configuration.scan_on_push is not known at synth"})
		case !on:
			hits = append(hits, hit{r, "image_scanning_configuration.scan_on_push = false"})
		}
	}
	return hits
}

// container is one container definition of a task definition.
type container struct {
	task *resource
	name string
	def  map[string]any
}

func (s *stack) containers() []container {
	var out []container
	for _, td := range s.byType["aws_ecs_task_definition"] {
		v, ok := s.jsonAttr(td.attrs["container_definitions"])
		if !ok {
			continue
		}
		list, _ := v.([]any)
		for i, e := range list {
			def, ok := e.(map[string]any)
			if !ok {
				continue
			}
			name, _ := def["name"].(string)
			if name == "" {
				name = fmt.Sprintf("#%d", i+1)
			}
			out = append(out, container{td, name, def})
		}
	}
	return out
}

func (s *stack) windowsTask(td *resource) bool {
	for _, rp := range blocks(td.attrs["runtime_platform"]) {
		if os, _ := s.literalString(rp["operating_system_family"]); strings.HasPrefix(os, "WINDOWS") {
			return true
		}
	}
	return false
}

func checkTaskRoot(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, ct := range s.containers() {
		if s.windowsTask(ct.task) {
			continue
		}
		user, st := s.str(ct.def["user"])
		switch {
		case st == absent || (st == known && user == ""):
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q sets no user, so it runs as the image's USER (root unless the image sets one)", ct.name)})
		case st == known:
			uid, _, _ := strings.Cut(user, ":")
			if uid == "0" || uid == "root" {
				hits = append(hits, hit{ct.task, fmt.Sprintf("container %q runs as user %q", ct.name, user)})
			}
		}
	}
	return hits
}

func checkTaskPrivileged(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, ct := range s.containers() {
		if v, st := s.boolean(ct.def["privileged"]); st == known && v {
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q has \"privileged\": true", ct.name)})
		}
	}
	return hits
}

func checkTaskReadOnlyRoot(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, ct := range s.containers() {
		if s.windowsTask(ct.task) {
			continue // Windows containers do not support a read-only root filesystem
		}
		switch v, st := s.boolean(ct.def["readonlyRootFilesystem"]); {
		case st == absent:
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q does not set readonlyRootFilesystem (default false)", ct.name)})
		case st == unknown:
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q: readonlyRootFilesystem is not known at synth", ct.name)})
		case !v:
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q has \"readonlyRootFilesystem\": false", ct.name)})
		}
	}
	return hits
}

var interpolation = regexp.MustCompile(`\$\{[^}]*\}`)

// imageTag splits an image reference into its tag and digest. A reference
// whose repository part is unknown ("${aws_ecr_repository.x.repository_url}:1.0")
// still has a known tag.
func imageTag(image string) (tag, digest string) {
	ref := interpolation.ReplaceAllString(image, "x")
	if i := strings.Index(ref, "@"); i >= 0 {
		digest = ref[i+1:]
		ref = ref[:i]
	}
	slash := strings.LastIndex(ref, "/")
	if colon := strings.LastIndex(ref, ":"); colon > slash {
		tag = ref[colon+1:]
	}
	return tag, digest
}

func checkTaskImagePinned(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, ct := range s.containers() {
		image, st := s.str(ct.def["image"])
		if st == unknown {
			raw, _ := ct.def["image"].(string)
			if interpolation.ReplaceAllString(raw, "") == "" {
				continue // wholly unknown: nothing to judge
			}
			image = raw
		} else if st == absent {
			continue
		}
		tag, digest := imageTag(image)
		switch {
		case strings.HasPrefix(digest, "sha256:"):
		case tag == "":
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q image %q has no tag (means :latest)", ct.name, image)})
		case strings.EqualFold(tag, "latest"):
			hits = append(hits, hit{ct.task, fmt.Sprintf("container %q image %q uses :latest", ct.name, image)})
		}
	}
	return hits
}

// secretName matches environment variable names that look like they hold a
// secret (the same pattern ecsservice validates Environment with).
var secretName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SIGNING_?KEY|CREDENTIAL)`)

// secretValue matches values that are credentials whatever their name: AWS
// access key IDs and PEM private keys.
var secretValue = regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----`)

// referenceValue reports whether an environment value only points at a
// secret instead of holding it: an ARN, or a reference to a secret or
// parameter resource's ARN, ID or name.
func referenceValue(v any) bool {
	str, _ := v.(string)
	if strings.HasPrefix(str, "arn:") {
		return true
	}
	for _, rf := range refs(v) {
		if rf.Kind == "resource" && (strings.HasPrefix(rf.Type, "aws_secretsmanager_") || rf.Type == "aws_ssm_parameter") &&
			(rf.Attr == "arn" || rf.Attr == "id" || rf.Attr == "name") {
			return true
		}
	}
	return false
}

func checkTaskPlainSecrets(c *checkContext, s *stack) []hit {
	var hits []hit
	for _, ct := range s.containers() {
		envs, _ := ct.def["environment"].([]any)
		for _, e := range envs {
			kv, _ := e.(map[string]any)
			name, _ := kv["name"].(string)
			value := kv["value"]
			if referenceValue(value) {
				continue
			}
			if secretName.MatchString(name) {
				hits = append(hits, hit{ct.task, fmt.Sprintf("container %q has %s in plain \"environment\"", ct.name, name)})
			} else if str, _ := value.(string); secretValue.MatchString(str) {
				hits = append(hits, hit{ct.task, fmt.Sprintf("container %q environment %s holds a credential (access key or private key)", ct.name, name)})
			}
		}
	}
	return hits
}

func checkECSContainerInsights(c *checkContext, s *stack) []hit {
	for _, a := range s.byType["aws_ecs_account_setting_default"] {
		n, _ := s.literalString(a.attrs["name"])
		v, _ := s.literalString(a.attrs["value"])
		if n == "containerInsights" && (v == "enabled" || v == "enhanced") {
			return nil
		}
	}
	var hits []hit
	for _, cl := range s.byType["aws_ecs_cluster"] {
		on := false
		msg := "no containerInsights setting (default disabled)"
		for _, set := range blocks(cl.attrs["setting"]) {
			if n, _ := s.literalString(set["name"]); n != "containerInsights" {
				continue
			}
			switch v, st := s.str(set["value"]); {
			case st == known && (v == "enabled" || v == "enhanced"):
				on = true
			case st == unknown:
				msg = "containerInsights is not known at synth"
			default:
				msg = fmt.Sprintf("containerInsights = %q", v)
			}
		}
		if !on {
			hits = append(hits, hit{cl, msg})
		}
	}
	return hits
}
