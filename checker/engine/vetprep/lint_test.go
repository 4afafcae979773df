package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExportedAnalyzersPrefersTheList(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.go", "package p\n\nvar Analyzer = 1\n")
	write(t, dir, "b.go", "package p\n\nvar (\n\tx = 2\n\tAnalyzers = []int{x}\n)\n")
	write(t, dir, "b_test.go", "package p\n\nvar Other = 3\n")
	if got, err := exportedAnalyzers(dir); err != nil || got != "Analyzers" {
		t.Errorf("got %q, %v; want Analyzers", got, err)
	}
	one := t.TempDir()
	write(t, one, "a.go", "package p\n\nvar Analyzer = 1\n")
	if got, err := exportedAnalyzers(one); err != nil || got != "Analyzer" {
		t.Errorf("got %q, %v; want Analyzer", got, err)
	}
	none := t.TempDir()
	write(t, none, "a.go", "package p\n\nfunc Analyzers() {}\n")
	if _, err := exportedAnalyzers(none); err == nil || !strings.Contains(err.Error(), "docs/lint.md") {
		t.Errorf("no export: %v", err)
	}
}

func TestLintFileRegistersEachPackageUnderItsOwnName(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write(t, a, "a.go", "package lint\n\nvar Analyzers = 1\n")
	write(t, b, "b.go", "package lint\n\nvar Analyzer = 1\n")
	src, err := lintFile([]string{"example.com/m/tools/lint=" + a, "example.com/x/lint=" + b})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`lint0 "example.com/m/tools/lint"`, `lint1 "example.com/x/lint"`,
		`_ = addLint("example.com/m/tools/lint", lint0.Analyzers)`,
		`_ = addLint("example.com/x/lint", lint1.Analyzer)`, "//go:build crossvet_vet"} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
	if _, err := lintFile([]string{"no-dir"}); err == nil {
		t.Error("a spec without =DIR is accepted")
	}
}

// The vet suite against another x/tools lists the release's analyzers one by one and leaves
// out those that x/tools does not have.
func TestSuiteAgainstAnotherToolsLeavesOutWhatItLacks(t *testing.T) {
	goroot := runtime.GOROOT()
	vendor := filepath.Join(goroot, "src", "cmd", "vendor")
	if _, err := os.Stat(filepath.Join(vendor, "golang.org", "x", "tools", "go", "analysis")); err != nil {
		t.Skip("this Go has no vendored analysis framework")
	}
	tools := t.TempDir()
	for _, pass := range []string{"printf", "shift"} {
		if err := os.MkdirAll(filepath.Join(tools, "go", "analysis", "passes", pass), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := suiteFileIn(goroot, vendor, tools)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src, "printf.Analyzer,") || !strings.Contains(src, "shift.Analyzer,") {
		t.Errorf("printf and shift missing:\n%s", src)
	}
	if strings.Contains(src, "copylock") || strings.Contains(src, "suite/vet") {
		t.Errorf("an analyzer that x/tools lacks is listed:\n%s", src)
	}
}
