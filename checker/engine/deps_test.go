package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A dependency module's function body that overflows where int is 32 bits wide is reported on
// the 32-bit targets only, placed on the go.mod line that requires it, with where it is in the
// dependency and the import chain; a dependency go list cannot load for a target (no files for
// windows) is one finding at the import that leads to it, with the chain. No vet finding is
// reported inside a dependency.
func TestDependencyBodiesAreChecked(t *testing.T) {
	root := fixture(t, "depbody")
	m := filepath.Join(root, "m")
	overflow := Diag{File: filepath.Join(m, "go.mod"), Line: 6, Package: "example.com/dep/span",
		Kind: "type", Message: "cannot use math.MaxUint32 (untyped int constant 4294967295) " +
			"as int value in return statement (overflows)",
		Dep: &DepSource{Module: "example.com/dep", Version: "v0.1.0", Replace: "../dep",
			Dir: filepath.Join(root, "dep"), File: filepath.Join(root, "dep", "span", "span.go"),
			Line: 6, Col: 31},
		Chain: []string{"example.com/m/app", "example.com/dep/span"}}
	unloadable := Diag{File: filepath.Join(m, "sys", "sys.go"), Line: 8, Col: 2,
		Package: "example.com/m/sys", Kind: "list",
		Message: "build constraints exclude all Go files in " + filepath.Join(root, "ux", "u"),
		Chain:   []string{"example.com/m/sys", "example.com/ux/u"}}
	for _, vet := range []bool{false, true} {
		req := newRequest(m, target("linux", "amd64"), target("linux", "386"),
			target("windows", "386"))
		req.Vet = vet
		got := results(t, run(req))
		wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, nil)
		wantDiags(t, "linux/386", got["linux/386"].Diagnostics, []Diag{overflow})
		wantDiags(t, "windows/386", got["windows/386"].Diagnostics, []Diag{overflow, unloadable})
	}
}

// With no_dep_bodies (what the engine did before checking dependency bodies, for measuring
// their cost) a dependency's body errors are not reported: only the dependency go list cannot
// load, which does not depend on bodies.
func TestNoDepBodiesChecksDependenciesAsBefore(t *testing.T) {
	root := fixture(t, "depbody")
	m := filepath.Join(root, "m")
	unloadable := Diag{File: filepath.Join(m, "sys", "sys.go"), Line: 8, Col: 2,
		Package: "example.com/m/sys", Kind: "list",
		Message: "build constraints exclude all Go files in " + filepath.Join(root, "ux", "u"),
		Chain:   []string{"example.com/m/sys", "example.com/ux/u"}}
	for _, vet := range []bool{false, true} {
		req := newRequest(m, target("linux", "386"), target("windows", "386"))
		req.Vet, req.NoDepBodies = vet, true
		got := results(t, run(req))
		wantDiags(t, "linux/386", got["linux/386"].Diagnostics, nil)
		wantDiags(t, "windows/386", got["windows/386"].Diagnostics, []Diag{unloadable})
	}
}

// A dependency's findings come back from the result cache when the main-module packages that
// import it do (nothing else needs the dependency checked again).
func TestDependencyFindingsFromTheResultCache(t *testing.T) {
	m := filepath.Join(fixture(t, "depbody"), "m")
	req := newRequest(m, target("linux", "386"))
	req.CacheDir = t.TempDir()
	first := results(t, run(req))["linux/386"].Diagnostics
	if len(first) != 1 || first[0].Dep == nil {
		t.Fatalf("first run: %+v, want the dependency's overflow", first)
	}
	// Without the whole-run answer (an edit elsewhere, say), each package's from the cache.
	if err := os.RemoveAll(filepath.Join(req.CacheDir, "runs")); err != nil {
		t.Fatal(err)
	}
	resp := run(req)
	wantDiags(t, "linux/386", results(t, resp)["linux/386"].Diagnostics, first)
	if resp.Stats.RunCacheHit || resp.Stats.Checked != 0 || resp.Stats.CacheHits == 0 {
		t.Errorf("second run: %+v, want every entry from the result cache", resp.Stats)
	}
}
