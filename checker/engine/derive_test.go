package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A package with in-package tests takes its test variant's result (derive.go) only where
// checking it alone finds the same: testdata/testvariant's clean does, on both ports, with its
// narrowing on 386; usestest (calls a function its test file declares), testmethod (a method
// declared in its test file makes its type a fmt.Stringer) and shadow (its test file declares
// len) build only with their tests, and keep the errors go build reports; brokentest's test
// file does not build; imported is analyzed by vet for its facts. external's test variant
// (export_test.go), imported by its external test, takes the types of its result; unexported's
// does not (its external test names an unexported function). Findings are those of checking
// every package by itself (no_share).
func TestATestVariantsResultServesOnlyWhereItIsTheSame(t *testing.T) {
	dir := fixture(t, "testvariant")
	targets := []Target{target("linux", "amd64"), target("linux", "386")}
	req := newRequest(dir, targets...)
	req.Vet = true
	resp := run(req)
	got := results(t, resp)
	derived := 6          // clean, external and unexported, on each port
	if newVetRun == nil { // an engine without vet: imported is not analyzed for its facts
		derived = 8
	}
	if n := resp.Stats.FromTestVariant; n != derived {
		t.Errorf("%d results from a test variant, want %d", n, derived)
	}
	// external's test variant, which its external test imports, is checked once per port:
	// its types are its result's; brokentest's result has errors, so its types are checked.
	if n := resp.Stats.TypesFromResults; n != 2 {
		t.Errorf("%d test variants' types from their results, want 2 (external on each port)",
			n)
	}
	apart := newRequest(dir, targets...)
	apart.Vet, apart.NoShare = true, true
	alone := run(apart)
	if n := alone.Stats.FromTestVariant + alone.Stats.TypesFromResults; n != 0 {
		t.Errorf("no_share: %d results or types from another entry, want none", n)
	}
	want := results(t, alone)
	for _, tg := range targets {
		wantDiags(t, tg.Name, got[tg.Name].Diagnostics, want[tg.Name].Diagnostics)
		var found []string
		for _, d := range got[tg.Name].Diagnostics {
			rel, _ := filepath.Rel(dir, d.File)
			found = append(found, d.Kind+" "+rel)
		}
		vet, vetExternal := "vet importer/importer.go", "vet external/external_test.go"
		if newVetRun == nil {
			vet, vetExternal = "", ""
		}
		broken := "type brokentest/brokentest_test.go" // twice: "three" is no int, n no int64
		expect := []string{broken, broken, vetExternal, vet, "type shadow/shadow.go",
			"type testmethod/testmethod.go", "type unexported/unexported_test.go",
			"type usestest/usestest.go"}
		if tg.GOARCH == "386" {
			expect = append([]string{"narrowing brokentest/brokentest.go", broken, broken,
				"narrowing clean/clean.go"}, expect[2:]...)
		}
		expect = slices.DeleteFunc(expect, func(s string) bool { return s == "" })
		for _, d := range got[tg.Name].Diagnostics { // as go vet says it: not in export data
			if strings.HasSuffix(d.File, "unexported_test.go") &&
				d.Message != "undefined: unexported.helper" {
				t.Errorf("%s: %s, want undefined: unexported.helper", tg.Name, d.Message)
			}
		}
		if strings.Join(found, "; ") != strings.Join(expect, "; ") {
			t.Errorf("%s: findings\n got %s\nwant %s", tg.Name, strings.Join(found, "; "),
				strings.Join(expect, "; "))
		}
	}
}

// A test variant is keyed early (for its package's result) only where keying it cannot run
// into a package being keyed: here p is being keyed, and its test variant imports d, which
// imports p (a dependency module importing the main module).
func TestATestVariantIsNotKeyedIntoThePackageBeingKeyed(t *testing.T) {
	p := &node{id: "m/p", lp: &listPkg{ImportPath: "m/p"}, deps: map[string]*node{}, state: 1}
	tn := &node{id: "m/p [m/p.test]", lp: &listPkg{ImportPath: "m/p [m/p.test]", ForTest: "m/p"},
		deps: map[string]*node{}}
	d := &node{id: "dep/d", lp: &listPkg{ImportPath: "dep/d"}, deps: map[string]*node{}}
	g := &targetGraph{nodes: map[string]*node{p.id: p, tn.id: tn, d.id: d}}
	tn.deps["dep/d"] = d
	if got := testVariantFor(g, p); got != tn {
		t.Errorf("test variant importing d: got %v, want it", got)
	}
	d.deps["m/p"] = p
	if got := testVariantFor(g, p); got != nil {
		t.Errorf("test variant reaching p through d: got %v, want none", got.id)
	}
	d.deps = map[string]*node{}
	d.state = 2 // keyed already: it does not import p
	if got := testVariantFor(g, p); got != tn {
		t.Errorf("test variant importing a keyed d: got %v, want it", got)
	}
}

// What counts as naming an unexported declaration of an import named p: a qualified
// identifier whose name is not exported, or a comment after the dot (conservative).
func TestUnexportedSelectorText(t *testing.T) {
	rx := unexportedSelectorRx("p")
	for text, want := range map[string]bool{
		"_ = p.helper()":       true,
		"_ = p . _x":           true,
		"_ = p.\n\thelper":     true,
		"_ = p./* x */Helper":  true,
		"p.ünicode":            true,
		"_ = p.Helper()":       false,
		"_ = xp.helper()":      false,
		"_ = q.p.helper":       false,
		"_ = p_.helper":        false,
		"_ = p.Ünicode":        false,
		"_ = p2.helper":        false,
		"var p int; _ = p.(T)": false,
	} {
		if got := rx.MatchString(text); got != want {
			t.Errorf("%q: got %v, want %v", text, got, want)
		}
	}
}
