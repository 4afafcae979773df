//go:build crossvet_vet

// Analyzers of the user's choice (`analyzers:`, docs/lint.md) next to vet's: crossvet's lint
// build (checker/lint_build.py) has vetprep write a file that registers, with addLint, what
// each named package exports (its `Analyzers`, else its `Analyzer`); lintSuite adapts those
// values to *analysis.Analyzer (lintOf) and vet.go's init runs them with vet's suite, on every
// target, facts included. The engine reports their findings as vet's (Kind "vet", the
// analyzer's name) and names them in the answer's "lint" list, with their URL and merge rule
// across targets, which crossvet applies.

package main

import (
	"fmt"
	"reflect"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// lintSource is one package named in `analyzers:` and the value it exports.
type lintSource struct {
	pkg    string // its import path
	export any    // its Analyzers (or Analyzer)
}

// lintSources are the registered packages, in the order named; lintAnalyzers are their
// analyzers not already in vet's suite, as the answer lists them.
var (
	lintSources    []lintSource
	lintAnalyzers  []LintAnalyzer
	lintByAnalyzer = map[*analysis.Analyzer]LintAnalyzer{}
)

// addLint registers a package's export; the generated file calls it in a package-level var
// initializer, which runs before vet.go's init.
func addLint(pkg string, export any) bool {
	lintSources = append(lintSources, lintSource{pkg: pkg, export: export})
	return true
}

func init() {
	lintInfo = func() []LintAnalyzer { return lintAnalyzers }
	strictPrints = func() bool { return len(lintAnalyzers) > 0 } // what they read is unknown
}

// withLint is vet's suite followed by the registered analyzers that are not in it (one named
// twice, or one of vet's, runs once); it records lintAnalyzers. A package whose export is not
// an analyzer, a list or map of them, or structs holding one, is a panic naming it: the build
// is wrong, not the user's code.
func withLint(suite []*analysis.Analyzer) []*analysis.Analyzer {
	out := slices.Clone(suite)
	for _, src := range lintSources {
		found, err := lintOf(reflect.ValueOf(src.export))
		if err == nil && len(found) == 0 {
			err = fmt.Errorf("no analyzer")
		}
		if err != nil {
			panic(fmt.Sprintf("analyzers: %s: %v", src.pkg, err))
		}
		for _, la := range found {
			if slices.Contains(out, la.a) {
				continue
			}
			out = append(out, la.a)
			info := LintAnalyzer{Name: la.a.Name, URL: la.a.URL, Merge: la.merge,
				Package: src.pkg}
			lintAnalyzers = append(lintAnalyzers, info)
			lintByAnalyzer[la.a] = info
		}
	}
	if err := analysis.Validate(out); err != nil {
		panic(fmt.Sprintf("analyzers: %v", err))
	}
	return out
}

// lintDiag is d, a finding of a, marked as an analyzer's of `analyzers:` when a is one.
func lintDiag(d Diag, a *analysis.Analyzer) Diag {
	if la, ok := lintByAnalyzer[a]; ok {
		d.Lint, d.URL, d.Merge = true, la.URL, la.Merge
	}
	return d
}

// lintFound is one exported analyzer and the merge rule it declares ("all", or "" for any).
type lintFound struct {
	a     *analysis.Analyzer
	merge string
}

var analyzerType = reflect.TypeOf((*analysis.Analyzer)(nil))

// lintOf adapts an exported value: a *analysis.Analyzer; a slice, array or map of exported
// values (a map's in the order of its keys); or a struct (or pointer to one) with an Analyzer
// field of type *analysis.Analyzer, as staticcheck's *lint.Analyzer, whose Doc field may hold
// a MergeIf field (staticcheck's MergeStrategy: 1 is MergeIfAll) and a NonDefault field (a
// check staticcheck runs only when asked: left out).
func lintOf(v reflect.Value) ([]lintFound, error) {
	if !v.IsValid() {
		return nil, fmt.Errorf("nil value")
	}
	if v.Type() == analyzerType {
		if v.IsNil() {
			return nil, fmt.Errorf("nil *analysis.Analyzer")
		}
		return []lintFound{{a: v.Interface().(*analysis.Analyzer)}}, nil
	}
	switch v.Kind() {
	case reflect.Interface:
		return lintOf(v.Elem())
	case reflect.Slice, reflect.Array:
		var out []lintFound
		for i := 0; i < v.Len(); i++ {
			found, err := lintOf(v.Index(i))
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
		}
		return out, nil
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool {
			return fmt.Sprint(keys[i].Interface()) < fmt.Sprint(keys[j].Interface())
		})
		var out []lintFound
		for _, k := range keys {
			found, err := lintOf(v.MapIndex(k))
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
		}
		return out, nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil, fmt.Errorf("nil %s", v.Type())
		}
		return lintOf(v.Elem())
	case reflect.Struct:
		f := v.FieldByName("Analyzer")
		if !f.IsValid() || f.Type() != analyzerType || f.IsNil() {
			return nil, fmt.Errorf("%s has no Analyzer field of type *analysis.Analyzer", v.Type())
		}
		if docField(v, "NonDefault").Kind() == reflect.Bool && docField(v, "NonDefault").Bool() {
			return nil, nil // staticcheck's checks off by default: off here too
		}
		return []lintFound{{a: f.Interface().(*analysis.Analyzer), merge: mergeIf(v)}}, nil
	}
	return nil, fmt.Errorf("%s is not an analyzer", v.Type())
}

// mergeIf is the merge rule a struct's Doc declares: "all" when its MergeIf is 1.
func mergeIf(v reflect.Value) string {
	if m := docField(v, "MergeIf"); m.IsValid() && m.CanInt() && m.Int() == 1 {
		return "all"
	}
	return ""
}

// docField is the named field of a struct's Doc (a struct, or a pointer to one), if any.
func docField(v reflect.Value, name string) reflect.Value {
	doc := v.FieldByName("Doc")
	for doc.IsValid() && (doc.Kind() == reflect.Pointer || doc.Kind() == reflect.Interface) {
		if doc.IsNil() {
			return reflect.Value{}
		}
		doc = doc.Elem()
	}
	if !doc.IsValid() || doc.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return doc.FieldByName(name)
}
