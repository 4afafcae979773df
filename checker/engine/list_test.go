// What the engine reads from `go list`: packages go cannot load are findings, as in go build.

package main

import (
	"strings"
	"testing"
)

// A directory named "sub pkg" has a malformed import path: go build fails on it, so the
// engine must not say ok. go list gives such a package no module; it is still the module's.
func TestUnloadablePackageIsAFinding(t *testing.T) {
	dir := fixture(t, "badpath")
	got := results(t, run(newRequest(dir, target("linux", "amd64"))))
	want := []Diag{{Package: "example.com/badpath/sub pkg", Kind: "list",
		Message: `malformed import path "example.com/badpath/sub pkg": invalid char ' '`}}
	wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, want)
}

// A package of a dependency that go list cannot load is not the module's to report.
func TestClaimUnloadableLeavesDependenciesAlone(t *testing.T) {
	main := &listModule{Path: "example.com/m", Main: true}
	pkgs := []*listPkg{
		{ImportPath: "example.com/m", Module: main},
		{ImportPath: "example.com/m/a b", Error: &listError{Err: "malformed import path"}},
		{ImportPath: "example.com/dep", DepOnly: true, Error: &listError{Err: "cannot find module"}},
	}
	claimUnloadable(pkgs)
	if pkgs[1].Module != main {
		t.Errorf("the module's unloadable package was not claimed: %+v", pkgs[1].Module)
	}
	if pkgs[2].Module != nil {
		t.Errorf("a dependency was claimed: %+v", pkgs[2].Module)
	}
}

// The standard-library packages the patterns name are checked in full, with their test
// variants; what they import from it, and the test main, stay as they were.
func TestClaimStandardTakesNamedPackagesAndTheirTests(t *testing.T) {
	mod := &listModule{Path: "example.com/m", Main: true}
	pkgs := []*listPkg{
		{ImportPath: "errors", Standard: true},
		{ImportPath: "internal/reflectlite", Standard: true, DepOnly: true},
		{ImportPath: "strconv", Standard: true},
		{ImportPath: "strconv [strconv.test]", Standard: true, ForTest: "strconv"},
		{ImportPath: "strconv_test [strconv.test]", ForTest: "strconv"},
		{ImportPath: "errors [strconv.test]", Standard: true, ForTest: "strconv"},
		{ImportPath: "internal/reflectlite [strconv.test]", Standard: true, ForTest: "strconv"},
		{ImportPath: "strconv.test", Name: "main", GoFiles: []string{"/cache/_testmain.go"}},
		{ImportPath: "example.com/m/dep", Module: &listModule{Path: "example.com/m"}},
		{ImportPath: "example.com/m", Module: mod},
	}
	claimStandard(pkgs)
	want := map[string]bool{"errors": true, "strconv": true, "strconv [strconv.test]": true,
		"strconv_test [strconv.test]": true, "errors [strconv.test]": true, "example.com/m": true}
	for _, p := range pkgs {
		if p.main() != want[p.ImportPath] {
			t.Errorf("%s: checked in full %v, want %v", p.ImportPath, p.main(), want[p.ImportPath])
		}
	}
	dep := []*listPkg{{ImportPath: "errors", Standard: true, DepOnly: true}}
	if claimStandard(dep); dep[0].main() {
		t.Errorf("a standard-library dependency no pattern names was claimed")
	}
}

// `--packages unicode/utf8 errors` from any module checks those two packages, in full, for
// every target (before, the engine checked them for declarations only and said ok with no
// package checked).
func TestNamedStandardPackagesAreChecked(t *testing.T) {
	req := newRequest(fixture(t, "itoa"), target("linux", "amd64"), target("linux", "386"))
	req.Patterns = []string{"unicode/utf8", "errors"}
	resp := run(req)
	for name, r := range results(t, resp) {
		if got := strings.Join(r.Packages, " "); got != "errors unicode/utf8" {
			t.Errorf("%s: packages %q, want the two named", name, got)
		}
		for _, d := range r.Diagnostics {
			if d.Kind != "narrowing" {
				t.Errorf("%s: %+v", name, d)
			}
		}
	}
	// errors, unicode/utf8 and their test variants and external tests, on each of 2 targets
	if resp.Stats.CheckedFull+resp.Stats.SharedByUse < 4 {
		t.Errorf("too few full checks: %+v", resp.Stats)
	}
}
