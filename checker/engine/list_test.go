// What the engine reads from `go list`: packages go cannot load are findings, as in go build.

package main

import "testing"

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
