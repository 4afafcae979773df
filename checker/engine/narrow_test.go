// The narrowing rule in the engine: testdata/narrowcases checked for 32- and 64-bit targets
// (the rule's own unit tests are in narrow/).

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Every conversion in testdata/narrowcases is reported exactly where a "// want LEVEL" comment
// says: "default" at both levels, "all" only at level all, "generated" only when generated
// files are asked for; 386 also compiles only386.go, arm does not; amd64 reports nothing.
func TestNarrowingCases(t *testing.T) {
	dir := fixture(t, "narrowcases")
	want := narrowWants(t, dir)
	if len(want["default"]) < 10 || len(want["all"]) == 0 || len(want["generated"]) == 0 {
		t.Fatalf("the fixture lost its annotations: %v", want)
	}
	for _, c := range []struct {
		level     string
		generated bool
		levels    []string
	}{
		{"", false, []string{"default"}},
		{"all", false, []string{"default", "all"}},
		{"", true, []string{"default", "generated"}},
	} {
		req := newRequest(dir, target("linux", "amd64"), target("linux", "386"),
			target("linux", "arm"))
		req.NarrowingLevel, req.NarrowingGenerated = c.level, c.generated
		got := results(t, run(req))
		var exp []string
		for _, l := range c.levels {
			exp = append(exp, want[l]...)
		}
		for _, name := range []string{"linux/amd64", "linux/386", "linux/arm"} {
			var expect []string
			for _, e := range exp {
				if name == "linux/386" || (name == "linux/arm" && !strings.HasPrefix(e, "only386.go")) {
					expect = append(expect, e)
				}
			}
			if lines := narrowLines(t, name, got[name]); lines != joinSorted(expect) {
				t.Errorf("level %q generated %t, %s:\n got  %v\n want %v", c.level, c.generated,
					name, lines, joinSorted(expect))
			}
		}
	}
}

// Narrowing warns about the packages asked for, not about the main-module packages they
// import (as vet does): with the pattern ".", narrowcases/outside's conversion is not
// reported, though its package is checked (its type errors would be: they break the build).
func TestNarrowingOnlyInRequestedPackages(t *testing.T) {
	dir := fixture(t, "narrowcases")
	var expect []string
	for _, e := range narrowWants(t, dir)["default"] {
		if !strings.HasPrefix(e, "outside.go") {
			expect = append(expect, e)
		}
	}
	for _, patterns := range [][]string{{"."}, {"./outside", "."}} {
		req := newRequest(dir, target("linux", "386"))
		req.Patterns = patterns
		got := narrowLines(t, "linux/386", results(t, run(req))["linux/386"])
		want := joinSorted(expect)
		if len(patterns) > 1 {
			want = joinSorted(narrowWants(t, dir)["default"])
		}
		if got != want {
			t.Errorf("patterns %v:\n got  %v\n want %v", patterns, got, want)
		}
	}
}

// narrowWants are the "// want LEVEL" comments of the narrowing fixture in dir and its
// sub-packages: level -> "file:line".
func narrowWants(t *testing.T, dir string) map[string][]string {
	t.Helper()
	want := map[string][]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*.go"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if _, level, ok := strings.Cut(line, "// want "); ok {
				want[level] = append(want[level], fmt.Sprintf("%s:%d", filepath.Base(f), i+1))
			}
		}
	}
	return want
}

// narrowLines are a target's findings as sorted "file:line"s; each must be a narrowing one.
func narrowLines(t *testing.T, name string, res TargetResult) string {
	t.Helper()
	var lines []string
	for _, d := range res.Diagnostics {
		if d.Kind != "narrowing" {
			t.Errorf("%s: not a narrowing finding: %+v", name, d)
		}
		lines = append(lines, fmt.Sprintf("%s:%d", filepath.Base(d.File), d.Line))
	}
	return joinSorted(lines)
}

func joinSorted(list []string) string {
	list = append([]string(nil), list...)
	sort.Strings(list)
	return strings.Join(list, " ")
}
