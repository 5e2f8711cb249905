package main

import (
	"strings"
	"testing"
)

// A module of the shape the provider generator emits (abridged).
const module = `"use strict";
function fooRuleToTerraform(struct) {
    if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
        return struct;
    }
    return {
        days_after: cdktf.numberToTerraform(struct.daysAfter),
        filter: fooRuleFilterToTerraform(struct.filter),
    };
}
function fooRuleFilterToTerraform(struct) {
    return {
        prefix: cdktf.stringToTerraform(struct.prefix),
        tags: cdktf.hashMapper(cdktf.stringToTerraform)(struct.tags),
    };
}
class Foo extends cdktf.TerraformResource {
    constructor(scope, id, config) {
        super(scope, id, {});
        this._bucketName = config.bucket;
        this._rule.internalValue = config.rule;
        this._tags = config.tags;
    }
    synthesizeAttributes() {
        return {
            bucket: cdktf.stringToTerraform(this._bucketName),
            tags: cdktf.hashMapper(cdktf.stringToTerraform)(this._tags),
            rule: cdktf.listMapper(fooRuleToTerraform, true)(this._rule.internalValue),
        };
    }
}
exports.Foo = Foo;
Foo.tfResourceType = "aws_foo";
`

func TestParseModule(t *testing.T) {
	classes, err := parseModule(module, "@cdktf/provider-aws/lib/foo")
	if err != nil {
		t.Fatal(err)
	}
	if len(classes) != 1 {
		t.Fatalf("got %d classes, want 1", len(classes))
	}
	c := classes[0]
	if c.name != "Foo" || c.tfType != "aws_foo" || c.kind != "TerraformResource" {
		t.Errorf("class = %s %s %s", c.name, c.tfType, c.kind)
	}
	// The property name comes from the constructor, not from a camelCase rule.
	if f := c.attrs["bucket"]; f.prop != "bucket" || f.kind != opaque {
		t.Errorf("bucket -> %+v", f)
	}
	if f := c.attrs["rule"]; f.prop != "rule" || f.kind != block || f.fn != "fooRule" {
		t.Errorf("rule -> %+v", f)
	}
	if f := c.structs["fooRule"]["days_after"]; f.prop != "daysAfter" {
		t.Errorf("days_after -> %+v", f)
	}
	if f := c.structs["fooRule"]["filter"]; f.kind != block || f.fn != "fooRuleFilter" {
		t.Errorf("filter -> %+v", f)
	}
	if f := c.structs["fooRuleFilter"]["tags"]; f.kind != opaque {
		t.Errorf("tags -> %+v", f)
	}

	g := newGenerator(nil)
	obj, err := parseJSON([]byte(`{"bucket":"b","tags":{"Some_Key":"v"},"rule":[{"days_after":7,"filter":{"prefix":"${aws_x.y.id}","tags":{"a_b":"c"}}}],"unknown_attr":1}`))
	if err != nil {
		t.Fatal(err)
	}
	conf, over := g.config(c, c.attrs, obj, "test")
	want := `{"bucket":"b","tags":{"Some_Key":"v"},"rule":[{"daysAfter":7,"filter":{"prefix":"${aws_x.y.id}","tags":{"a_b":"c"}}}]}`
	if conf != want {
		t.Errorf("config =\n%s\nwant\n%s", conf, want)
	}
	if len(over) != 1 || over[0][0] != "unknown_attr" || len(g.fallbacks) != 1 {
		t.Errorf("overrides = %v, fallbacks = %v", over, g.fallbacks)
	}
}

func TestParseModuleRejectsUnknownShape(t *testing.T) {
	bad := strings.Replace(module, "(this._tags)", "(this.tags())", 1)
	if _, err := parseModule(bad, "m"); err == nil {
		t.Error("an attribute line of an unknown shape must be an error, not a silent skip")
	}
}

func TestDiffIgnoresMetadataOnly(t *testing.T) {
	a, _ := parseJSON([]byte(`{"//":{"x":1},"resource":{"t":{"a":{"//":{"p":"go"},"n":1,"l":[1,2]}}}}`))
	same, _ := parseJSON([]byte(`{"resource":{"t":{"a":{"l":[1,2],"n":1,"//":{"p":"ts"}}}},"//":{"y":2}}`))
	if d := diff(a, same, 10); len(d) != 0 {
		t.Errorf("metadata-only difference reported: %v", d)
	}
	other, _ := parseJSON([]byte(`{"resource":{"t":{"a":{"n":2,"l":[1],"extra":true}}}}`))
	d := diff(a, other, 10)
	if len(d) != 3 {
		t.Errorf("want 3 differences (n, l, extra), got %v", d)
	}
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{"use_lockfile": "useLockfile", "path": "path", "error_message": "errorMessage", "a__b": "aB"} {
		if got := camel(in); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}
