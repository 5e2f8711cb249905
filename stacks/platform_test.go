package stacks_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/hardened-iac/cdktf-aws/constructs/ecsservice"
	"github.com/hardened-iac/cdktf-aws/constructs/securevpc"
	"github.com/hardened-iac/cdktf-aws/stacks"
	"github.com/hardened-iac/cdktf-aws/stacktest"
	"github.com/hardened-iac/cdktf-aws/validate"
)

// The loader tests start from the repository's own platform.yaml (the
// values a team put there, whatever they are) and change one thing,
// choosing every wrong value relative to the valid one.

// repoConfigFile is the platform config main.go reads, seen from this
// package's directory.
func repoConfigFile() string {
	f := stacks.ConfigFile()
	if !filepath.IsAbs(f) {
		f = filepath.Join("..", f)
	}
	return f
}

// repoConfig loads the repository's platform config.
func repoConfig(t *testing.T) *stacks.PlatformConfig {
	t.Helper()
	cfg, err := stacks.LoadPlatformConfig(repoConfigFile())
	require.NoError(t, err, "the repository's platform config must be valid")
	require.NotEmpty(t, cfg.Environments)
	return cfg
}

// clone deep-copies a config through its YAML form.
func clone(t *testing.T, c *stacks.PlatformConfig) *stacks.PlatformConfig {
	t.Helper()
	out, err := stacks.ParsePlatformConfig("clone.yaml", []byte(toYAML(c)))
	require.NoError(t, err)
	return out
}

// toYAML writes c as block-style YAML with the schema's keys, leaving out
// unset fields: the tests control the layout, so they know every line.
func toYAML(c *stacks.PlatformConfig) string {
	var b strings.Builder
	writeYAML(&b, reflect.ValueOf(c).Elem(), 0)
	return b.String()
}

func writeYAML(b *strings.Builder, v reflect.Value, depth int) {
	ind := strings.Repeat("  ", depth)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		f := v.Field(i)
		if name == "" || name == "-" || f.IsZero() {
			continue
		}
		switch {
		case opts == "keyed":
			fmt.Fprintf(b, "%s%s:\n", ind, name)
			for j := 0; j < f.Len(); j++ {
				el := f.Index(j)
				fmt.Fprintf(b, "%s  %s:\n", ind, el.FieldByName("Name").String())
				writeYAML(b, el, depth+2)
			}
		case f.Kind() == reflect.Struct:
			fmt.Fprintf(b, "%s%s:\n", ind, name)
			writeYAML(b, f, depth+1)
		case f.Kind() == reflect.Slice:
			if f.Len() == 0 {
				fmt.Fprintf(b, "%s%s: []\n", ind, name)
				continue
			}
			fmt.Fprintf(b, "%s%s:\n", ind, name)
			for j := 0; j < f.Len(); j++ {
				fmt.Fprintf(b, "%s  - %s\n", ind, strconv.Quote(f.Index(j).String()))
			}
		case f.Kind() == reflect.Map:
			fmt.Fprintf(b, "%s%s:\n", ind, name)
			keys := f.MapKeys()
			sort.Slice(keys, func(a, c int) bool { return keys[a].String() < keys[c].String() })
			for _, k := range keys {
				fmt.Fprintf(b, "%s  %s: %s\n", ind, strconv.Quote(k.String()), strconv.Quote(f.MapIndex(k).String()))
			}
		case f.Kind() == reflect.Pointer:
			fmt.Fprintf(b, "%s%s: %v\n", ind, name, f.Elem().Interface())
		default:
			fmt.Fprintf(b, "%s%s: %s\n", ind, name, strconv.Quote(f.String()))
		}
	}
}

// lineOf returns the 1-based line of the first line equal to want (after
// the line from, 0 for the whole text), failing the test if there is none.
func lineOf(t *testing.T, text, want string, from int) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if i+1 > from && l == want {
			return i + 1
		}
	}
	t.Fatalf("no line %q after line %d in:\n%s", want, from, text)
	return 0
}

// insertAfter inserts line after the 1-based line n.
func insertAfter(text string, n int, line string) string {
	lines := strings.Split(text, "\n")
	return strings.Join(slices.Insert(lines, n, line), "\n")
}

// envHeader is the line of environment name in toYAML's output.
func envHeader(t *testing.T, text, name string) int {
	return lineOf(t, text, "  "+name+":", lineOf(t, text, "environments:", 0))
}

// sectionOf is the line of an environment's section (vpc, service, ...).
func sectionOf(t *testing.T, text, env, section string) int {
	return lineOf(t, text, "    "+section+":", envHeader(t, text, env))
}

// ownDetector makes the first environment the owner of its account and
// region's GuardDuty detector.
func ownDetector(c *stacks.PlatformConfig) {
	f := &c.Environments[0]
	for i := range c.Environments[1:] {
		if e := &c.Environments[i+1]; e.AccountId == f.AccountId && e.Region == f.Region {
			e.Monitoring.GuardDutyDetector, e.Monitoring.FindingPublishingFrequency = new(false), ""
		}
	}
	f.Monitoring.GuardDutyDetector = new(true)
}

func otherAccount(a string) string {
	d := (a[len(a)-1]-'0'+1)%10 + '0'
	return a[:len(a)-1] + string(rune(d))
}

func otherRegion(r string) string {
	for _, o := range []string{"eu-west-1", "us-east-1", "ap-southeast-2"} {
		if o != r {
			return o
		}
	}
	panic("unreachable")
}

// freeCIDR is a /16 that overlaps no environment's VPC.
func freeCIDR(t *testing.T, c *stacks.PlatformConfig) string {
	t.Helper()
	for i := 0; i < 256; i++ {
		cand := netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i))
		free := true
		for _, e := range c.Environments {
			if p, err := netip.ParsePrefix(e.Vpc.CidrBlock); err == nil && p.Overlaps(cand) {
				free = false
			}
		}
		if free {
			return cand.String()
		}
	}
	t.Fatal("no free /16 in 10.0.0.0/8")
	return ""
}

// withSecond adds a second environment, a copy of the first with its own
// name and a free VPC range, and without a GuardDuty detector (the first
// may own the account's).
func withSecond(t *testing.T, c *stacks.PlatformConfig) *stacks.EnvironmentConfig {
	t.Helper()
	e := clone(t, c).Environments[0]
	e.Name = c.Environments[0].Name + "-two"
	e.Domain = ""
	e.Vpc.CidrBlock = freeCIDR(t, c)
	e.Monitoring.GuardDutyDetector = new(false)
	e.Monitoring.FindingPublishingFrequency = ""
	c.Environments = append(c.Environments, e)
	return &c.Environments[len(c.Environments)-1]
}

// hostCIDRs returns n distinct /32 blocks of the documentation range.
func hostCIDRs(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("198.51.%d.%d/32", 100+i/256, i%256))
	}
	return out
}

// parse parses text and returns its problems (nil when it is valid).
func parse(t *testing.T, text string) []stacks.ConfigProblem {
	t.Helper()
	_, err := stacks.ParsePlatformConfig("test.yaml", []byte(text))
	if err == nil {
		return nil
	}
	var ce *stacks.ConfigError
	require.ErrorAs(t, err, &ce, "not a *ConfigError: %v", err)
	require.NotEmpty(t, ce.Problems)
	for _, p := range ce.Problems {
		assert.Equal(t, "test.yaml", p.File)
	}
	return ce.Problems
}

// requireProblem requires a problem at path whose rule contains rule, and
// returns it.
func requireProblem(t *testing.T, probs []stacks.ConfigProblem, path, rule string) stacks.ConfigProblem {
	t.Helper()
	for _, p := range probs {
		if p.Path == path && strings.Contains(p.Rule, rule) {
			return p
		}
	}
	t.Fatalf("no problem at %s with rule %q; got:\n%s", path, rule, problemList(probs))
	return stacks.ConfigProblem{}
}

func problemList(probs []stacks.ConfigProblem) string {
	var lines []string
	for _, p := range probs {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

func TestRepositoryPlatformConfigBuilds(t *testing.T) {
	cfg := repoConfig(t)
	app := stacktest.TestingApp(t)
	platform, err := stacks.NewPlatformApp(app, cfg)
	require.NoError(t, err)
	var ids []string
	for _, c := range *app.Node().Children() {
		ids = append(ids, *c.Node().Id())
	}
	assert.Equal(t, cfg.StackNames(), ids, "the bootstrap stack, then one web-app stack per environment")
	require.Len(t, platform.WebApps, len(cfg.Environments))
	d := cfg.WithDefaults()
	for i, e := range d.Environments {
		w := platform.WebApps[i]
		assert.Equal(t, cfg.StackName(e.Name), *w.Stack.Node().Id())
		assert.Equal(t, e.Vpc.CidrBlock, w.Network.Config.CidrBlock, "env %s", e.Name)
	}
}

func TestParseRoundTrip(t *testing.T) {
	cfg := repoConfig(t)
	again, err := stacks.ParsePlatformConfig("again.yaml", []byte(toYAML(cfg)))
	require.NoError(t, err)
	assert.Equal(t, cfg, again)
}

// TestConfigFile covers HARDENED_CDKTF_CONFIG.
func TestConfigFile(t *testing.T) {
	valid := toYAML(repoConfig(t))
	t.Setenv(stacks.ConfigFileEnv, "")
	assert.Equal(t, stacks.DefaultConfigFile, stacks.ConfigFile())
	other := filepath.Join(t.TempDir(), "other.yaml")
	t.Setenv(stacks.ConfigFileEnv, other)
	assert.Equal(t, other, stacks.ConfigFile())

	_, err := stacks.LoadPlatformConfig(other)
	require.Error(t, err, "a missing file")
	assert.Contains(t, err.Error(), stacks.ConfigFileEnv)
	require.NoError(t, os.WriteFile(other, []byte(valid), 0o644))
	_, err = stacks.LoadPlatformConfig(other)
	require.NoError(t, err)
}

// TestYAMLProblems covers the problems found while reading the file: every
// one is reported, at its line, together with the others.
func TestYAMLProblems(t *testing.T) {
	base := repoConfig(t)
	env := base.Environments[0].Name
	valid := toYAML(base)
	require.Nil(t, parse(t, valid))

	t.Run("syntax error", func(t *testing.T) {
		n := sectionOf(t, valid, env, "vpc")
		probs := parse(t, insertAfter(valid, n, "      cidr: [10.0.0.0/16"))
		require.Len(t, probs, 1)
		assert.Contains(t, probs[0].Rule, "invalid YAML")
		assert.Greater(t, probs[0].Line, n)
	})
	t.Run("empty file", func(t *testing.T) {
		probs := parse(t, "# nothing\n")
		requireProblem(t, probs, "", "is empty")
	})
	t.Run("two documents", func(t *testing.T) {
		probs := parse(t, valid+"---\nproject: again\n")
		requireProblem(t, probs, "document 2", "only YAML document")
	})
	t.Run("not a mapping", func(t *testing.T) {
		probs := parse(t, "- a\n- b\n")
		requireProblem(t, probs, "", "must be a mapping")
	})

	t.Run("unknown keys, with suggestions", func(t *testing.T) {
		text := strings.Replace(valid, "project:", "projcet:", 1)
		n := sectionOf(t, text, env, "monitoring")
		text = insertAfter(text, n, "      guardduty_detectr: true")
		n2 := envHeader(t, text, env)
		text = insertAfter(text, n2, "    cidr: "+strconv.Quote(base.Environments[0].Vpc.CidrBlock))
		text = insertAfter(text, lineOf(t, text, "state:", 0), "  frobnicate: 1")
		probs := parse(t, text)

		p := requireProblem(t, probs, "projcet", `did you mean "project"?`)
		assert.Equal(t, lineOf(t, text, "projcet: "+strconv.Quote(base.Project), 0), p.Line)
		assert.Equal(t, 1, p.Column)
		for _, q := range probs {
			assert.False(t, q.Path == "project" && q.Rule == "is required", "the misspelt key is not also reported missing: %s", q)
		}
		p = requireProblem(t, probs, "environments."+env+".monitoring.guardduty_detectr", `did you mean "guardduty_detector"?`)
		assert.Equal(t, lineOf(t, text, "      guardduty_detectr: true", 0), p.Line)
		p = requireProblem(t, probs, "environments."+env+".cidr", "did you mean vpc.cidr?")
		assert.Equal(t, lineOf(t, text, "    cidr: "+strconv.Quote(base.Environments[0].Vpc.CidrBlock), 0), p.Line)
		p = requireProblem(t, probs, "state.frobnicate", "known keys: bucket, account, region, kms_key_arn")
		assert.Equal(t, lineOf(t, text, "  frobnicate: 1", 0), p.Line)
	})
	t.Run("x- keys hold anchors", func(t *testing.T) {
		e := base.Environments[0]
		text := "x-account: &account " + strconv.Quote(e.AccountId) + "\n" +
			strings.Replace(valid, "    account: "+strconv.Quote(e.AccountId), "    account: *account", 1)
		require.Contains(t, text, "*account")
		cfg, err := stacks.ParsePlatformConfig("a.yaml", []byte(text))
		require.NoError(t, err)
		assert.Equal(t, e.AccountId, cfg.Environments[0].AccountId)
	})
	t.Run("merge keys", func(t *testing.T) {
		// A second environment made of the first's service block.
		c := clone(t, base)
		second := withSecond(t, c)
		text := toYAML(c)
		svc := sectionOf(t, text, env, "service")
		text = strings.Replace(text, "    service:\n", "    service: &service\n", 1)
		require.Equal(t, "    service: &service", strings.Split(text, "\n")[svc-1])
		start := sectionOf(t, text, second.Name, "service")
		lines := strings.Split(text, "\n")
		end := start
		for end < len(lines) && strings.HasPrefix(lines[end], "      ") {
			end++
		}
		lines = slices.Replace(lines, start, end, "      <<: *service", "      desired_count: 7", "      min_capacity: 7", "      max_capacity: 7")
		cfg, err := stacks.ParsePlatformConfig("m.yaml", []byte(strings.Join(lines, "\n")))
		require.NoError(t, err)
		got := cfg.Environments[len(cfg.Environments)-1].Service
		assert.Equal(t, 7, *got.DesiredCount, "own keys win over merged ones")
		assert.Equal(t, base.Environments[0].Service.ImageTag, got.ImageTag, "merged")
	})
	t.Run("alias of an unknown anchor", func(t *testing.T) {
		text := strings.Replace(valid, "project: "+strconv.Quote(base.Project), "project: *nothing", 1)
		probs := parse(t, text)
		require.NotEmpty(t, probs)
	})

	t.Run("duplicate keys", func(t *testing.T) {
		n := sectionOf(t, valid, env, "vpc")
		text := insertAfter(valid, n, "      cidr: "+strconv.Quote(freeCIDR(t, base)))
		probs := parse(t, text)
		p := requireProblem(t, probs, "environments."+env+".vpc.cidr", fmt.Sprintf("is defined twice (first at line %d)", n+1))
		assert.Greater(t, p.Line, n+1)
	})
	t.Run("duplicate environment", func(t *testing.T) {
		c := clone(t, base)
		second := withSecond(t, c)
		text := strings.Replace(toYAML(c), "  "+second.Name+":\n", "  "+env+":\n", 1)
		probs := parse(t, text)
		first := envHeader(t, text, env)
		p := requireProblem(t, probs, "environments."+env, fmt.Sprintf("is defined twice (first at line %d): environment names must be unique", first))
		assert.Equal(t, envHeader(t, text, env)+0, first)
		assert.Greater(t, p.Line, first)
	})

	t.Run("wrong types", func(t *testing.T) {
		c := clone(t, base)
		e := &c.Environments[0]
		e.Service.Cpu, e.Service.DeletionProtection, e.Service.ImageTag = nil, nil, ""
		e.Vpc.AvailabilityZones, e.Vpc.AvailabilityZoneCount = nil, nil
		c.Domain = ""
		text := toYAML(c)
		svc := sectionOf(t, text, env, "service")
		text = insertAfter(text, svc, "      cpu: \"lots\"")
		text = insertAfter(text, svc, "      deletion_protection: \"yes\"")
		text = insertAfter(text, svc, "      image_tag: true")
		vpc := sectionOf(t, text, env, "vpc")
		text = insertAfter(text, vpc, "      availability_zones: "+e.Region+"a")
		text = insertAfter(text, 0, "domain: [a, b]")
		text = strings.Replace(text, "    waf:\n", "    waf: off\n    x:\n", 1)
		probs := parse(t, text)
		p := requireProblem(t, probs, "environments."+env+".service.cpu", "must be a whole number")
		assert.Equal(t, "lots", p.Value)
		assert.Equal(t, lineOf(t, text, "      cpu: \"lots\"", 0), p.Line)
		requireProblem(t, probs, "environments."+env+".service.deletion_protection", "must be true or false")
		requireProblem(t, probs, "environments."+env+".service.image_tag", `must be a string, not a boolean (quote it: "true")`)
		requireProblem(t, probs, "environments."+env+".vpc.availability_zones", "must be a list")
		p = requireProblem(t, probs, "domain", "must be a string")
		assert.Equal(t, 1, p.Line)
		for _, q := range probs {
			assert.False(t, q.Path == "domain" && strings.Contains(q.Rule, "required"), "a wrongly typed key is not also reported missing: %s", q)
			assert.False(t, q.Path == "environments."+env+".service.image_tag" && strings.Contains(q.Rule, "required"), "%s", q)
		}
	})
	t.Run("numbers where strings are expected are taken as written", func(t *testing.T) {
		c := clone(t, base)
		text := strings.Replace(toYAML(c), "    account: "+strconv.Quote(c.Environments[0].AccountId), "    account: "+c.Environments[0].AccountId, 1)
		text = strings.Replace(text, "      image_tag: "+strconv.Quote(c.Environments[0].Service.ImageTag), "      image_tag: 1.10", 1)
		cfg, err := stacks.ParsePlatformConfig("n.yaml", []byte(text))
		require.NoError(t, err)
		assert.Equal(t, c.Environments[0].AccountId, cfg.Environments[0].AccountId)
		assert.Equal(t, "1.10", cfg.Environments[0].Service.ImageTag, "not 1.1")
	})
	t.Run("an empty value is an unset key", func(t *testing.T) {
		c := clone(t, base)
		c.Environments[0].Waf = stacks.WafSettings{}
		text := strings.Replace(toYAML(c), "    monitoring:\n", "    waf:\n    monitoring:\n", 1)
		_, err := stacks.ParsePlatformConfig("e.yaml", []byte(text))
		require.NoError(t, err)
	})
	t.Run("missing required keys are reported at their parent", func(t *testing.T) {
		c := clone(t, base)
		c.Environments[0].AccountId = ""
		c.Environments[0].Vpc.CidrBlock = ""
		text := toYAML(c)
		probs := parse(t, text)
		head := envHeader(t, text, env)
		assert.Equal(t, head, requireProblem(t, probs, "environments."+env+".account", "is required").Line)
		assert.Equal(t, sectionOf(t, text, env, "vpc"), requireProblem(t, probs, "environments."+env+".vpc.cidr", "is required").Line)
	})
	t.Run("suggestions of the rules reach the problem", func(t *testing.T) {
		region := base.Environments[0].Region
		typo := region[:4] + region[3:] // a letter typed twice
		require.NotEqual(t, region, typo)
		text := strings.Replace(valid, "    region: "+strconv.Quote(region), "    region: "+strconv.Quote(typo), 1)
		require.NotEqual(t, valid, text)
		p := requireProblem(t, parse(t, text), "environments."+env+".region", "region")
		assert.Equal(t, region, p.Suggestion)
		assert.Contains(t, p.String(), fmt.Sprintf("did you mean %q?", region))

		// A construct rule that names another field names its key.
		c := clone(t, base)
		cpu := *c.Environments[0].Service.Cpu
		c.Environments[0].Service.MemoryMiB = new(ecsservice.FargateMemory[cpu][0] + 1)
		p = requireProblem(t, parse(t, toYAML(c)), "environments."+env+".service.memory_mib", fmt.Sprintf("with cpu = %d", cpu))
		assert.NotContains(t, p.Rule, "Cpu")
	})
	t.Run("a byte order mark and CRLF line ends are UTF-8 text", func(t *testing.T) {
		want, err := stacks.ParsePlatformConfig("lf.yaml", []byte(valid))
		require.NoError(t, err)
		for name, text := range map[string]string{
			"BOM":        "\uFEFF" + valid,
			"CRLF":       strings.ReplaceAll(valid, "\n", "\r\n"),
			"BOM + CRLF": "\uFEFF" + strings.ReplaceAll(valid, "\n", "\r\n"),
		} {
			cfg, err := stacks.ParsePlatformConfig("w.yaml", []byte(text))
			require.NoError(t, err, name)
			assert.Equal(t, want, cfg, name)
		}
		// Positions count from after the mark.
		text := strings.Replace(valid, "project:", "projcet:", 1)
		p := requireProblem(t, parse(t, "\uFEFF"+text), "projcet", "unknown key")
		assert.Equal(t, [2]int{lineOf(t, text, "projcet: "+strconv.Quote(base.Project), 0), 1}, [2]int{p.Line, p.Column})
	})
	t.Run("other encodings and invalid UTF-8", func(t *testing.T) {
		utf16le := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(valid)) {
			utf16le = append(utf16le, byte(u), byte(u>>8))
		}
		_, err := stacks.ParsePlatformConfig("test.yaml", utf16le)
		var ce *stacks.ConfigError
		require.ErrorAs(t, err, &ce)
		require.Len(t, ce.Problems, 1)
		assert.Contains(t, ce.Problems[0].Rule, "UTF-16")

		n := sectionOf(t, valid, env, "vpc")
		text := insertAfter(valid, n, "      # caf\xe9 (Latin-1)")
		probs := parse(t, text)
		require.Len(t, probs, 1, "one problem, not a cascade:\n%s", problemList(probs))
		assert.Contains(t, probs[0].Rule, "not UTF-8")
		assert.Equal(t, [2]int{n + 1, len("      # caf") + 1}, [2]int{probs[0].Line, probs[0].Column})
		probs = parse(t, strings.ReplaceAll(text, "\n", "\r"))
		require.Len(t, probs, 1)
		assert.Equal(t, n+1, probs[0].Line, "CR line ends count as lines")

		utf16noBOM := utf16le[2:]
		probs = parse(t, string(utf16noBOM))
		require.Len(t, probs, 1, "one problem, not a cascade:\n%s", problemList(probs))
		assert.Contains(t, probs[0].Rule, "NUL")
	})
	t.Run("problems in file order, one error", func(t *testing.T) {
		text := strings.Replace(valid, "project:", "projekt:", 1)
		text = insertAfter(text, sectionOf(t, text, env, "service"), "      cpu: \"x\"")
		_, err := stacks.ParsePlatformConfig("o.yaml", []byte(text))
		var ce *stacks.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.True(t, slices.IsSortedFunc(ce.Problems, func(a, b stacks.ConfigProblem) int { return a.Line - b.Line }))
		assert.Contains(t, err.Error(), fmt.Sprintf("o.yaml: invalid platform config (%d problems):", len(ce.Problems)))
		assert.Contains(t, err.Error(), fmt.Sprintf("\n  - o.yaml:%d:1: projekt: unknown key", lineOf(t, text, "projekt: "+strconv.Quote(base.Project), 0)))
		var ve *validate.Error
		require.True(t, errors.As(err, &ve), "a *validate.Error is in the chain")
		assert.Len(t, ve.Problems, len(ce.Problems))
	})
}

// ruleCase breaks one rule (bad) and keeps it (good: a nearby valid
// change), both relative to the repository's config.
type ruleCase struct {
	name      string
	bad, good func(t *testing.T, c *stacks.PlatformConfig)
	// path is the key the problem must name and rule part of its rule;
	// {ENV} stands for the first environment's name, {SECOND} for the
	// last's.
	path, rule string
}

func TestPlatformRules(t *testing.T) {
	base := repoConfig(t)
	first := func(c *stacks.PlatformConfig) *stacks.EnvironmentConfig { return &c.Environments[0] }
	noop := func(*testing.T, *stacks.PlatformConfig) {}
	cases := []ruleCase{
		{name: "project required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Project = "" }, good: noop, path: "project", rule: "is required"},
		{name: "project name", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Project = strings.ToUpper(c.Project) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { c.Project += "-2" }, path: "project", rule: "lowercase"},
		{name: "project double dash", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Project += "--x" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { c.Project += "-x" }, path: "project", rule: "single '-'"},
		{name: "domain required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Domain = "" }, good: noop, path: "domain", rule: "is required"},
		{name: "domain is a DNS name", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Domain = "https://" + c.Domain },
			good: noop, path: "domain", rule: "DNS name"},
		{name: "hosted zone required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.HostedZoneId = "" }, good: noop, path: "hosted_zone_id", rule: "is required"},
		{name: "hosted zone ID", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.HostedZoneId = strings.ToLower(c.HostedZoneId) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { c.HostedZoneId = "Z" + strings.Repeat("9", 12) }, path: "hosted_zone_id", rule: "hosted zone ID"},
		{name: "hosted zone account", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.HostedZoneAccountId = "12" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { c.HostedZoneAccountId = c.State.AccountId }, path: "hosted_zone_account", rule: "12-digit"},
		{name: "state bucket required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.Bucket = "" }, good: noop, path: "state.bucket", rule: "is required"},
		{name: "state bucket name", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.Bucket = strings.ToUpper(c.State.Bucket) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.Bucket = "x" + c.State.Bucket[1:] }, path: "state.bucket", rule: "lowercase"},
		{name: "state account", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.AccountId = c.State.AccountId[1:] },
			good: noop, path: "state.account", rule: "12-digit"},
		{name: "state region", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.Region = strings.ToUpper(c.State.Region) },
			good: noop, path: "state.region", rule: "AWS region"},
		{name: "state key ARN", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.State.KmsKeyArn = "alias/state" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) {
				c.State.KmsKeyArn = keyArn(c.State.Region, c.State.AccountId)
			},
			path: "state.kms_key_arn", rule: "must be the ARN of a KMS key"},
		{name: "state key in another region", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			c.State.KmsKeyArn = keyArn(otherRegion(c.State.Region), c.State.AccountId)
		}, good: noop, path: "state.kms_key_arn", rule: "(state.region): this KMS key is in"},
		{name: "state key in another account", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			c.State.KmsKeyArn = keyArn(c.State.Region, otherAccount(c.State.AccountId))
		}, good: noop, path: "state.kms_key_arn", rule: "(state.account): this KMS key is in account"},
		{name: "at least one environment", bad: func(_ *testing.T, c *stacks.PlatformConfig) { c.Environments = nil }, good: noop, path: "environments", rule: "at least one"},
		{name: "environment name", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Name = "_" + first(c).Name },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Name += "2" }, path: "environments.{ENV}", rule: "environment name must be lowercase"},
		{name: "environment names unique (in code)", bad: func(t *testing.T, c *stacks.PlatformConfig) { withSecond(t, c).Name = c.Environments[0].Name },
			good: func(t *testing.T, c *stacks.PlatformConfig) { withSecond(t, c) }, path: "environments.{ENV}", rule: "is defined twice"},
		{name: "environment account required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).AccountId = "" }, good: noop, path: "environments.{ENV}.account", rule: "is required"},
		{name: "environment account", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).AccountId += "0" }, good: noop, path: "environments.{ENV}.account", rule: "12-digit"},
		{name: "environment region required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Region = "" }, good: noop, path: "environments.{ENV}.region", rule: "is required"},
		{name: "environment region", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Region += "x" }, good: noop, path: "environments.{ENV}.region", rule: "AWS region"},
		{name: "environment domain under the platform's", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Domain = "other-" + c.Domain },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Domain = "x." + c.Domain }, path: "environments.{ENV}.domain", rule: "or a name under it"},
		{name: "hosted zone of another account", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).AccountId = otherAccount(c.WithDefaults().HostedZoneAccountId)
			first(c).HostedZoneId = ""
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).AccountId = otherAccount(c.WithDefaults().HostedZoneAccountId)
			first(c).HostedZoneId = "Z" + strings.Repeat("7", 12)
		}, path: "environments.{ENV}.hosted_zone_id", rule: "use a hosted zone in account"},
		{name: "environment hosted zone ID", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).HostedZoneId = "zone" },
			good: noop, path: "environments.{ENV}.hosted_zone_id", rule: "hosted zone ID"},
		{name: "state role ARN", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).StateRoleArn = "role/state" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) {
				first(c).StateRoleArn = "arn:aws:iam::" + c.State.AccountId + ":role/own-state-role"
			}, path: "environments.{ENV}.state_role_arn", rule: "IAM role, arn:"},
		{name: "state role in another account", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).StateRoleArn = "arn:aws:iam::" + otherAccount(c.State.AccountId) + ":role/own-state-role"
		}, good: noop, path: "environments.{ENV}.state_role_arn", rule: "(state.account): this IAM role is in account"},
		{name: "VPC CIDR required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.CidrBlock = "" }, good: noop, path: "environments.{ENV}.vpc.cidr", rule: "is required"},
		{name: "VPC CIDR syntax", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.CidrBlock += "/8" }, good: noop, path: "environments.{ENV}.vpc.cidr", rule: "CIDR block"},
		{name: "VPC CIDR host bits", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			p := netip.MustParsePrefix(first(c).Vpc.CidrBlock)
			first(c).Vpc.CidrBlock = netip.PrefixFrom(p.Addr().Next(), p.Bits()).String()
		}, good: noop, path: "environments.{ENV}.vpc.cidr", rule: "host bits"},
		{name: "VPC CIDRs overlap in one account", bad: func(t *testing.T, c *stacks.PlatformConfig) {
			// Half of the first environment's range.
			p := netip.MustParsePrefix(c.Environments[0].Vpc.CidrBlock)
			withSecond(t, c).Vpc.CidrBlock = netip.PrefixFrom(p.Addr(), p.Bits()+1).String()
		}, good: func(t *testing.T, c *stacks.PlatformConfig) {
			// The same range in another account.
			s := withSecond(t, c)
			s.Vpc.CidrBlock, s.AccountId, s.HostedZoneId = c.Environments[0].Vpc.CidrBlock, otherAccount(c.Environments[0].AccountId), "Z"+strings.Repeat("5", 12)
		}, path: "environments.{SECOND}.vpc.cidr", rule: "overlaps environments.{ENV}.vpc.cidr"},
		{name: "VPC CIDR overlap in another region of the account", bad: func(t *testing.T, c *stacks.PlatformConfig) {
			s := withSecond(t, c)
			s.Vpc.CidrBlock, s.Region = c.Environments[0].Vpc.CidrBlock, otherRegion(c.Environments[0].Region)
			s.Vpc.AvailabilityZones, s.Vpc.AvailabilityZoneCount = nil, nil
		}, good: noop, path: "environments.{SECOND}.vpc.cidr", rule: "in the same account"},
		{name: "VPC CIDR size (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			p := netip.MustParsePrefix(first(c).Vpc.CidrBlock)
			first(c).Vpc.CidrBlock = netip.PrefixFrom(p.Addr(), 12).Masked().String()
		}, good: noop, path: "environments.{ENV}.vpc.cidr", rule: "/16"},
		{name: "availability zones in the region (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			r := otherRegion(first(c).Region)
			first(c).Vpc.AvailabilityZones, first(c).Vpc.AvailabilityZoneCount = []string{r + "a", r + "b"}, nil
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			r := first(c).Region
			first(c).Vpc.AvailabilityZones, first(c).Vpc.AvailabilityZoneCount = []string{r + "b", r + "c"}, nil
		}, path: "environments.{ENV}.vpc.availability_zones[0]", rule: "availability zone name of region"},
		{name: "availability zones or count (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			r := first(c).Region
			first(c).Vpc.AvailabilityZones, first(c).Vpc.AvailabilityZoneCount = []string{r + "a", r + "b"}, new(2)
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Vpc.AvailabilityZones, first(c).Vpc.AvailabilityZoneCount = nil, new(3)
		}, path: "environments.{ENV}.vpc.availability_zone_count", rule: "must be unset when AvailabilityZones is set"},
		{name: "NAT mode (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.NatGateways = "per_az" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.NatGateways = securevpc.NatGatewayNone },
			path: "environments.{ENV}.vpc.nat_gateways", rule: "PER_AZ"},
		{name: "flow log retention (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.FlowLogRetentionInDays = new(31) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Vpc.FlowLogRetentionInDays = new(60) },
			path: "environments.{ENV}.vpc.flow_log_retention_days", rule: "retention"},
		{name: "image tag required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ImageTag = "" }, good: noop, path: "environments.{ENV}.service.image_tag", rule: "is required"},
		{name: "image tag pinned (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ImageTag = "latest" },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ImageTag += "-rc1" }, path: "environments.{ENV}.service.image_tag", rule: "latest"},
		{name: "container port required", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ContainerPort = nil }, good: noop, path: "environments.{ENV}.service.container_port", rule: "is required"},
		{name: "container port range (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ContainerPort = new(65536) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.ContainerPort = new(65535) }, path: "environments.{ENV}.service.container_port", rule: "1-65535"},
		{name: "task size (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.Cpu, first(c).Service.MemoryMiB = new(256), new(4096)
		},
			good: func(_ *testing.T, c *stacks.PlatformConfig) {
				first(c).Service.Cpu, first(c).Service.MemoryMiB = new(1024), new(4096)
			},
			path: "environments.{ENV}.service.memory_mib", rule: ""},
		{name: "autoscaling bounds (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			s := &first(c).Service
			s.DesiredCount, s.MinCapacity, s.MaxCapacity = new(3), new(4), new(8)
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			s := &first(c).Service
			s.DesiredCount, s.MinCapacity, s.MaxCapacity = new(3), new(2), new(8)
		}, path: "environments.{ENV}.service.min_capacity", rule: "at most desired_count"},
		{name: "ingress CIDRs not empty", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.IngressCidrBlocks = []string{} },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Service.IngressCidrBlocks = nil }, path: "environments.{ENV}.service.ingress_cidrs", rule: "at least one CIDR"},
		{name: "ingress CIDR syntax (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.IngressCidrBlocks = []string{"203.0.113.0/33"}
		},
			good: func(_ *testing.T, c *stacks.PlatformConfig) {
				first(c).Service.IngressCidrBlocks = []string{"203.0.113.0/24"}
			}, path: "environments.{ENV}.service.ingress_cidrs[0]", rule: ""},
		{name: "ALB rules over the security group rule quota (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.IngressCidrBlocks = hostCIDRs(validate.DefaultSecurityGroupRuleQuota/2 + 1)
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.IngressCidrBlocks = hostCIDRs(validate.DefaultSecurityGroupRuleQuota/2 + 1)
			first(c).Service.SecurityGroupRuleQuota = new(validate.DefaultSecurityGroupRuleQuota + 2)
		}, path: "environments.{ENV}.service.ingress_cidrs", rule: "inbound rules"},
		{name: "security group rule quota range (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.SecurityGroupRuleQuota = new(0)
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.SecurityGroupRuleQuota = new(validate.MaxSecurityGroupRuleQuota)
		}, path: "environments.{ENV}.service.security_group_rule_quota", rule: "must be 1-1000"},
		{name: "environment variables (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.Environment = map[string]string{"DB_PASSWORD": "x"}
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Service.Environment = map[string]string{"DB_HOST": "x"}
		},
			path: "environments.{ENV}.service.environment.DB_PASSWORD", rule: ""},
		{name: "alarm e-mails (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Monitoring.AlarmEmails = []string{"ops"} },
			good: func(_ *testing.T, c *stacks.PlatformConfig) {
				first(c).Monitoring.AlarmEmails = []string{"ops@" + c.Domain}
			},
			path: "environments.{ENV}.monitoring.alarm_emails[0]", rule: ""},
		{name: "one GuardDuty detector per account and region", bad: func(t *testing.T, c *stacks.PlatformConfig) {
			ownDetector(c)
			withSecond(t, c).Monitoring.GuardDutyDetector = nil // the default, true
		}, good: func(t *testing.T, c *stacks.PlatformConfig) {
			ownDetector(c)
			s := withSecond(t, c)
			s.Monitoring.GuardDutyDetector, s.Region = nil, otherRegion(c.Environments[0].Region)
			s.Vpc.AvailabilityZones, s.Vpc.AvailabilityZoneCount = nil, nil
		}, path: "environments.{SECOND}.monitoring.guardduty_detector", rule: "allows one per account and region"},
		{name: "finding frequency only with the detector", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Monitoring.GuardDutyDetector, first(c).Monitoring.FindingPublishingFrequency = new(false), "ONE_HOUR"
		}, good: func(_ *testing.T, c *stacks.PlatformConfig) {
			ownDetector(c)
			first(c).Monitoring.FindingPublishingFrequency = "ONE_HOUR"
		}, path: "environments.{ENV}.monitoring.finding_publishing_frequency", rule: "only allowed with guardduty_detector: true"},
		{name: "finding frequency values (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			ownDetector(c)
			first(c).Monitoring.FindingPublishingFrequency = "HOURLY"
		}, good: noop, path: "environments.{ENV}.monitoring.finding_publishing_frequency", rule: "FIFTEEN_MINUTES"},
		{name: "trail retention (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Monitoring.LogRetentionInDays = new(2) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Monitoring.LogRetentionInDays = new(3) },
			path: "environments.{ENV}.monitoring.log_retention_days", rule: ""},
		{name: "WAF log retention (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Waf.LogRetentionInDays = new(366) },
			good: func(_ *testing.T, c *stacks.PlatformConfig) { first(c).Waf.LogRetentionInDays = new(400) },
			path: "environments.{ENV}.waf.log_retention_days", rule: ""},
		{name: "derived names too long (construct rule)", bad: func(_ *testing.T, c *stacks.PlatformConfig) {
			first(c).Name = strings.Repeat("e", 40)
		}, good: noop, path: "environments.{ENV}", rule: "Name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := clone(t, base)
			tc.bad(t, bad)
			path, rule := tc.path, tc.rule
			if n := len(bad.Environments); n > 0 {
				r := strings.NewReplacer("{ENV}", bad.Environments[0].Name, "{SECOND}", bad.Environments[n-1].Name)
				path, rule = r.Replace(path), r.Replace(rule)
			}

			// In code: Validate and NewPlatformApp report it.
			err := bad.Validate()
			var ve *validate.Error
			require.ErrorAs(t, err, &ve, "Validate must reject it")
			requireField(t, ve, path, rule)

			// From a file: the same problem, at a line that holds its key
			// (or, for a missing key, its parent).
			text := toYAML(bad)
			probs := parse(t, text)
			p := requireProblem(t, probs, path, rule)
			require.Positive(t, p.Line, "%s has no line", p)
			line := strings.Split(text, "\n")[p.Line-1]
			segs := strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' })
			last, parent := segs[len(segs)-1], ""
			if len(segs) > 1 {
				parent = segs[len(segs)-2]
			}
			assert.True(t, strings.Contains(line, last) || strings.Contains(line, parent+":") || strings.HasPrefix(strings.TrimSpace(line), "- "),
				"line %d %q does not hold %s", p.Line, line, path)

			good := clone(t, base)
			tc.good(t, good)
			assert.NoError(t, good.Validate(), "the passing variant")
			assert.Nil(t, parse(t, toYAML(good)), "the passing variant from a file")
		})
	}
}

func requireField(t *testing.T, ve *validate.Error, field, rule string) {
	t.Helper()
	for _, p := range ve.Problems {
		if p.Field == field && strings.Contains(p.Rule, rule) {
			return
		}
	}
	t.Fatalf("no problem at %s with rule %q in %v", field, rule, ve)
}

func keyArn(region, account string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/1234abcd-12ab-34cd-86ef-1234567890ab"
}

// TestInvalidPlatformBuildsNothing: NewPlatformApp creates no stack at all
// when any environment is invalid, and never panics on nil input.
func TestInvalidPlatformBuildsNothing(t *testing.T) {
	c := clone(t, repoConfig(t))
	c.Environments[len(c.Environments)-1].Service.ImageTag = ""
	app := stacktest.TestingApp(t)
	_, err := stacks.NewPlatformApp(app, c)
	var ve *validate.Error
	require.ErrorAs(t, err, &ve)
	assert.Empty(t, *app.Node().Children())

	_, err = stacks.NewPlatformApp(app, nil)
	require.ErrorAs(t, err, &ve)
	_, err = stacks.NewPlatformApp(nil, repoConfig(t))
	require.ErrorAs(t, err, &ve)

	// A second platform in the same app would reuse the stack names.
	good := repoConfig(t)
	_, err = stacks.NewPlatformApp(app, good)
	require.NoError(t, err)
	_, err = stacks.NewPlatformApp(app, good)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "scope", ve.Problems[0].Field)
}

// TestWithDefaults checks every documented default, and that no
// environment takes another's values.
func TestWithDefaults(t *testing.T) {
	c := clone(t, repoConfig(t))
	e := &c.Environments[0]
	name, region := e.Name, e.Region
	*e = stacks.EnvironmentConfig{Name: name, AccountId: e.AccountId, Region: region,
		Vpc: stacks.VpcSettings{CidrBlock: e.Vpc.CidrBlock}, Service: stacks.ServiceSettings{ImageTag: e.Service.ImageTag, ContainerPort: e.Service.ContainerPort}}
	c.State.KmsKeyArn, c.HostedZoneAccountId = "", ""
	d := c.WithDefaults()
	got := d.Environments[0]
	assert.Equal(t, name+"."+c.Domain, got.Domain)
	assert.Equal(t, c.HostedZoneId, got.HostedZoneId)
	assert.Equal(t, c.State.AccountId, d.HostedZoneAccountId)
	assert.Equal(t, "arn:aws:kms:"+c.State.Region+":"+c.State.AccountId+":key/"+stacks.PlaceholderKeyID, d.State.KmsKeyArn)
	assert.True(t, c.StateKmsKeyIsPlaceholder())
	assert.Equal(t, 2, *got.Vpc.AvailabilityZoneCount)
	assert.Equal(t, securevpc.NatGatewayPerAz, got.Vpc.NatGateways)
	assert.Equal(t, 365, *got.Vpc.FlowLogRetentionInDays)
	s := got.Service
	assert.Equal(t, "/health", s.HealthCheckPath)
	assert.Equal(t, []int{256, 512, 2, 2, 4, 365}, []int{*s.Cpu, *s.MemoryMiB, *s.DesiredCount, *s.MinCapacity, *s.MaxCapacity, *s.LogRetentionInDays})
	assert.True(t, *s.DeletionProtection)
	assert.Equal(t, []string{"0.0.0.0/0"}, s.IngressCidrBlocks)
	assert.Nil(t, s.Environment)
	assert.Equal(t, 365, *got.Waf.LogRetentionInDays)
	assert.False(t, *got.Waf.LogOnlyBlockedAndCounted)
	m := got.Monitoring
	assert.True(t, *m.GuardDutyDetector)
	assert.Equal(t, "FIFTEEN_MINUTES", m.FindingPublishingFrequency)
	assert.Equal(t, []int{365, 365, 90}, []int{*m.LogRetentionInDays, *m.TrailExpirationDays, *m.TrailNoncurrentExpirationDays})
	assert.Empty(t, got.StateRoleArn, "same account as the state")
	assert.Nil(t, c.Environments[0].Service.Cpu, "WithDefaults does not change its receiver")

	// memory_mib follows cpu: cpu alone is a valid task size.
	sized := clone(t, repoConfig(t))
	sized.Environments[0].Service.Cpu, sized.Environments[0].Service.MemoryMiB = new(1024), nil
	assert.Equal(t, ecsservice.FargateMemory[1024][0], *sized.WithDefaults().Environments[0].Service.MemoryMiB)
	assert.NoError(t, sized.Validate())

	// A new environment gets the defaults, not a neighbour's values.
	c2 := clone(t, repoConfig(t))
	second := withSecond(t, c2)
	*second = stacks.EnvironmentConfig{Name: second.Name, AccountId: second.AccountId, Region: second.Region,
		Vpc: stacks.VpcSettings{CidrBlock: second.Vpc.CidrBlock}, Service: stacks.ServiceSettings{ImageTag: "1", ContainerPort: new(80)},
		Monitoring: stacks.MonitoringSettings{GuardDutyDetector: new(false)}}
	ne, ok := c2.Environment(second.Name)
	require.True(t, ok)
	assert.Equal(t, got.Service.Cpu, ne.Service.Cpu)
	assert.Equal(t, *got.Vpc.FlowLogRetentionInDays, *ne.Vpc.FlowLogRetentionInDays)
	assert.True(t, *ne.Service.DeletionProtection)
	_, ok = c2.Environment("no-such-environment")
	assert.False(t, ok)
}

// TestOtherAccounts: an environment in another account than the state's
// gets a state access role in the bootstrap stack and assumes it; its own
// provider allows only its own account.
func TestOtherAccounts(t *testing.T) {
	c := clone(t, repoConfig(t))
	s := withSecond(t, c)
	s.AccountId = otherAccount(c.State.AccountId)
	for _, e := range c.Environments[:len(c.Environments)-1] {
		if e.AccountId == s.AccountId {
			s.AccountId = otherAccount(s.AccountId)
		}
	}
	s.HostedZoneId = "Z" + strings.Repeat("3", 12)
	s.Monitoring.GuardDutyDetector = new(true) // the other account's own detector
	require.NoError(t, c.Validate())

	boot := c.BootstrapStackConfig()
	var role *stacks.StateAccessRole
	for i, r := range boot.StateAccessRoles {
		if r.TrustedAccountId == s.AccountId {
			role = &boot.StateAccessRoles[i]
		}
	}
	require.NotNil(t, role, "a role for %s", s.Name)
	assert.Equal(t, c.StackName(s.Name)+"/terraform.tfstate", role.StateKey)

	w, ok := c.WebAppStackConfig(s.Name)
	require.True(t, ok)
	assert.Equal(t, s.AccountId, w.Env.AccountId, "the provider allows the environment's account")
	assert.Equal(t, []string{c.State.AccountId}, w.Backend.AllowedAccountIds, "the backend's credentials are the state account's")
	require.NotNil(t, w.Backend.AssumeRole)
	assert.Equal(t, stacks.StateAccessRoleArn(c.State.Region, c.State.AccountId, role.Name), w.Backend.AssumeRole.RoleArn)
	assert.Equal(t, c.State.Region, w.Backend.Region)

	// Bring your own role: no role is created for the environment.
	own := "arn:aws:iam::" + c.State.AccountId + ":role/platform-state"
	s.StateRoleArn = own
	require.NoError(t, c.Validate())
	for _, r := range c.BootstrapStackConfig().StateAccessRoles {
		assert.NotEqual(t, s.AccountId, r.TrustedAccountId)
	}
	w, _ = c.WebAppStackConfig(s.Name)
	assert.Equal(t, own, w.Backend.AssumeRole.RoleArn)
}

// TestOtherAccountsSynth checks the synthesized Terraform of a platform
// with an environment in another account: the bootstrap stack's role
// trusts that account and may use only that stack's state object, its lock
// file and the state key; the stack's backend assumes it.
func TestOtherAccountsSynth(t *testing.T) {
	c := clone(t, repoConfig(t))
	c.Environments = c.Environments[:1]
	s := withSecond(t, c)
	s.AccountId = otherAccount(c.State.AccountId)
	if s.AccountId == c.Environments[0].AccountId {
		s.AccountId = otherAccount(s.AccountId)
	}
	s.HostedZoneId = "Z" + strings.Repeat("3", 12)
	app := stacktest.TestingApp(t)
	platform, err := stacks.NewPlatformApp(app, c)
	require.NoError(t, err)

	boot := gjson.Parse(*cdktf.Testing_Synth(platform.Bootstrap.Stack, new(false)))
	roles := boot.Get("resource.aws_iam_role").Map()
	require.Len(t, roles, 1)
	for _, r := range roles {
		assert.Equal(t, c.StateAccessRoleName(s.Name), r.Get("name").String())
		trust := gjson.Parse(r.Get("assume_role_policy").String())
		assert.Equal(t, "arn:aws:iam::"+s.AccountId+":root", trust.Get("Statement.0.Principal.AWS").String())
		assert.Equal(t, "sts:AssumeRole", trust.Get("Statement.0.Action.0").String())
	}
	policies := boot.Get("resource.aws_iam_role_policy").Map()
	require.Len(t, policies, 1)
	key := c.StackName(s.Name) + "/terraform.tfstate"
	for _, p := range policies {
		doc := gjson.Parse(p.Get("policy").String())
		var resources []string
		doc.Get("Statement").ForEach(func(_, st gjson.Result) bool {
			assert.Equal(t, "Allow", st.Get("Effect").String())
			for _, r := range st.Get("Resource").Array() {
				resources = append(resources, r.String())
			}
			return true
		})
		suffixed := func(suffix string) bool {
			return slices.ContainsFunc(resources, func(r string) bool { return strings.HasSuffix(r, suffix) })
		}
		assert.True(t, suffixed("/"+key), "the state object in %v", resources)
		assert.True(t, suffixed("/"+key+".tflock"), "its lock file in %v", resources)
		assert.Len(t, resources, 4, "bucket (list), state, lock file, key")
		for _, r := range resources {
			assert.NotContains(t, r, "*", "no wildcard resource")
		}
	}

	web := gjson.Parse(*cdktf.Testing_Synth(platform.WebApps[1].Stack, new(false)))
	b := web.Get("terraform.backend.s3")
	assert.Equal(t, stacks.StateAccessRoleArn(c.State.Region, c.State.AccountId, c.StateAccessRoleName(s.Name)), b.Get("assume_role.role_arn").String())
	assert.Equal(t, []any{c.State.AccountId}, b.Get("allowed_account_ids").Value())
	assert.Equal(t, []any{s.AccountId}, web.Get("provider.aws.0.allowed_account_ids").Value())
	assert.Equal(t, s.Region, web.Get("provider.aws.0.region").String())
	assert.Equal(t, c.State.Region, b.Get("region").String())
}

// TestStateAccessRoleRules covers the bootstrap stack's rules for state
// access roles, each failing and passing.
func TestStateAccessRoleRules(t *testing.T) {
	base := repoConfig(t).BootstrapStackConfig()
	state := base.Env.AccountId
	valid := stacks.StateAccessRole{Name: "team-state", TrustedAccountId: otherAccount(state), StateKey: "team/terraform.tfstate"}
	cases := map[string]struct {
		mutate func(*stacks.StateAccessRole)
		fix    func(*stacks.StateAccessRole)
		field  string
	}{
		"name charset":     {func(r *stacks.StateAccessRole) { r.Name = "team state" }, func(r *stacks.StateAccessRole) { r.Name = "team+state" }, "StateAccessRoles[0].Name"},
		"name length":      {func(r *stacks.StateAccessRole) { r.Name = strings.Repeat("r", 65) }, func(r *stacks.StateAccessRole) { r.Name = strings.Repeat("r", 64) }, "StateAccessRoles[0].Name"},
		"trusted account":  {func(r *stacks.StateAccessRole) { r.TrustedAccountId = "x" }, func(*stacks.StateAccessRole) {}, "StateAccessRoles[0].TrustedAccountId"},
		"not the state's":  {func(r *stacks.StateAccessRole) { r.TrustedAccountId = state }, func(*stacks.StateAccessRole) {}, "StateAccessRoles[0].TrustedAccountId"},
		"state key":        {func(r *stacks.StateAccessRole) { r.StateKey = "/" + r.StateKey }, func(r *stacks.StateAccessRole) { r.StateKey = "a/" + r.StateKey }, "StateAccessRoles[0].StateKey"},
		"state key needed": {func(r *stacks.StateAccessRole) { r.StateKey = "" }, func(*stacks.StateAccessRole) {}, "StateAccessRoles[0].StateKey"},
		"key wildcard":     {func(r *stacks.StateAccessRole) { r.StateKey = "team/*/x" }, func(r *stacks.StateAccessRole) { r.StateKey = "team/*" }, "StateAccessRoles[0].StateKey"},
		"key reference":    {func(r *stacks.StateAccessRole) { r.StateKey = "${var.key}" }, func(*stacks.StateAccessRole) {}, "StateAccessRoles[0].StateKey"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bad := *base
			r := valid
			tc.mutate(&r)
			bad.StateAccessRoles = []stacks.StateAccessRole{r}
			var ve *validate.Error
			require.ErrorAs(t, bad.Validate(stacks.BootstrapStackName), &ve)
			requireField(t, ve, tc.field, "")

			good := *base
			r = valid
			tc.fix(&r)
			good.StateAccessRoles = []stacks.StateAccessRole{r}
			assert.NoError(t, good.Validate(stacks.BootstrapStackName))
		})
	}
	t.Run("names unique", func(t *testing.T) {
		c := *base
		other := valid
		other.Name = strings.ToUpper(valid.Name)
		c.StateAccessRoles = []stacks.StateAccessRole{valid, other}
		var ve *validate.Error
		require.ErrorAs(t, c.Validate(stacks.BootstrapStackName), &ve)
		requireField(t, ve, "StateAccessRoles[1].Name", `IAM role name "TEAM-STATE" (unique per account; account `+state+`) is already used by construct state_access_role_team-state (field StateAccessRoles[0].Name)`)
		other.Name += "-2"
		c.StateAccessRoles = []stacks.StateAccessRole{valid, other}
		assert.NoError(t, c.Validate(stacks.BootstrapStackName))
	})
}

// TestDerivedNamesTooLong: a project and environment name whose derived
// state access role name is longer than IAM allows is reported at the
// environment, before any stack exists.
func TestDerivedNamesTooLong(t *testing.T) {
	c := clone(t, repoConfig(t))
	s := withSecond(t, c)
	s.AccountId = otherAccount(c.State.AccountId)
	for _, e := range c.Environments[:len(c.Environments)-1] {
		if e.AccountId == s.AccountId {
			s.AccountId = otherAccount(s.AccountId)
		}
	}
	s.HostedZoneId = "Z" + strings.Repeat("3", 12)
	s.Name = "r" + strings.Repeat("-r", 30) // the role name needs 61 + len(project) + 17 characters
	var ve *validate.Error
	require.ErrorAs(t, c.Validate(), &ve)
	requireField(t, ve, "environments."+s.Name, "StateAccessRoles[0].Name must be an IAM role name")
	app := stacktest.TestingApp(t)
	_, err := stacks.NewPlatformApp(app, c)
	require.Error(t, err)
	assert.Empty(t, *app.Node().Children())
}

// TestNoCascades: a value that is already reported (project, environment
// name, account) is not reported again through the names, domains and ARNs
// derived from it.
func TestNoCascades(t *testing.T) {
	c := clone(t, repoConfig(t))
	e := &c.Environments[0]
	e.Name, e.Domain, e.AccountId = "_"+e.Name, "", e.AccountId[1:]
	c.Project = strings.ToUpper(c.Project)
	var ve *validate.Error
	require.ErrorAs(t, c.Validate(), &ve)
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.ElementsMatch(t, []string{"project", "environments." + e.Name, "environments." + e.Name + ".account"}, fields, "%v", ve)
}

// A VPC range no VPC may have (IPv6, larger than /16) is one problem on
// vpc.cidr: not again through the service's stand-ins, and not as an
// overlap with the other environments' ranges.
func TestVpcCidrOneProblem(t *testing.T) {
	base := repoConfig(t)
	for _, cidr := range []string{"2001:db8::/56", "10.0.0.0/8", "0.0.0.0/0"} {
		c := clone(t, base)
		c.Environments[0].Vpc.CidrBlock = cidr
		stacktest.RequireOnlyProblem(t, c.Validate(), "environments."+c.Environments[0].Name+".vpc.cidr", validate.VPCCIDRRule)
	}
}
