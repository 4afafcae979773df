//go:build crossvet_vet

// lintOf: what a package of `analyzers:` may export (lint.go).

package main

import (
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
)

type fakeDoc struct {
	MergeIf    int
	NonDefault bool
}

// fakeChecker is shaped as staticcheck's *lint.Analyzer.
type fakeChecker struct {
	Doc      *fakeDoc
	Analyzer *analysis.Analyzer
}

func TestLintOfExports(t *testing.T) {
	a := &analysis.Analyzer{Name: "a", Doc: "a", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	b := &analysis.Analyzer{Name: "b", Doc: "b", Run: a.Run}
	names := func(found []lintFound) []string {
		var out []string
		for _, f := range found {
			out = append(out, f.a.Name+":"+f.merge)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		export any
		want   []string
	}{
		{"one analyzer", a, []string{"a:"}},
		{"a slice", []*analysis.Analyzer{a, b}, []string{"a:", "b:"}},
		{"a map, by key", map[string]*analysis.Analyzer{"z": a, "y": b}, []string{"b:", "a:"}},
		{"staticcheck's shape", []*fakeChecker{{Doc: &fakeDoc{MergeIf: 1}, Analyzer: a},
			{Analyzer: b}}, []string{"a:all", "b:"}},
		{"one struct", &fakeChecker{Doc: &fakeDoc{}, Analyzer: b}, []string{"b:"}},
		{"not by default", []*fakeChecker{{Doc: &fakeDoc{NonDefault: true}, Analyzer: a},
			{Analyzer: b}}, []string{"b:"}},
	} {
		found, err := lintOf(reflect.ValueOf(tc.export))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := names(found); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []any{42, []string{"x"}, &struct{ Analyzer string }{}, (*analysis.Analyzer)(nil)} {
		if _, err := lintOf(reflect.ValueOf(bad)); err == nil {
			t.Errorf("%T: no error", bad)
		}
	}
}

func TestLintDiagMarksOnlyRegistered(t *testing.T) {
	a := &analysis.Analyzer{Name: "mine"}
	lintByAnalyzer[a] = LintAnalyzer{Name: "mine", URL: "https://x", Merge: "all"}
	defer delete(lintByAnalyzer, a)
	d := lintDiag(Diag{Kind: "vet", Analyzer: "mine"}, a)
	if !d.Lint || d.URL != "https://x" || d.Merge != "all" {
		t.Errorf("registered: %+v", d)
	}
	if d := lintDiag(Diag{Kind: "vet"}, &analysis.Analyzer{Name: "printf"}); d.Lint || d.URL != "" {
		t.Errorf("vet's: %+v", d)
	}
}
