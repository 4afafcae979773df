package main

// The lint build (checker/lint_build.py, docs/lint.md): the engine with vet's analyzers and
// those of the packages `analyzers:` names, built in the user's module context against the
// golang.org/x/tools it selects (one copy of the analysis framework for all of them), so no
// vendor/ and no go.mod here: crossvet writes the go.mod and go.work.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

type lintFlags struct {
	tools string    // the x/tools module directory the build uses
	pkgs  pkgsFlags // IMPORTPATH=DIR of each package exporting analyzers, in order
}

type pkgsFlags []string

func (p *pkgsFlags) String() string     { return strings.Join(*p, ",") }
func (p *pkgsFlags) Set(v string) error { *p = append(*p, v); return nil }

func prepareLint(goroot, src, dest string, lint lintFlags) error {
	vendor := filepath.Join(goroot, "src", "cmd", "vendor")
	if _, err := os.Stat(filepath.Join(vendor, filepath.FromSlash(analysisPkg))); err != nil {
		return errUnsupported
	}
	suite, err := suiteFileIn(goroot, vendor, lint.tools)
	if err != nil {
		return err
	}
	lintSrc, err := lintFile(lint.pkgs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	if err := copySources(src, dest, false); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dest, "vet_suite.go"), []byte(suite), 0o644); err != nil {
		return err
	}
	if err := writeGodebug(goroot, dest); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dest, "lint_suite.go"), []byte(lintSrc), 0o644)
}

// lintFile registers (lint.go's addLint) what each package exports: its Analyzers, else its
// Analyzer, as top-level declarations of its non-test Go files say.
func lintFile(pkgs []string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, header, "the packages of analyzers:")
	var imports, regs []string
	for i, spec := range pkgs {
		path, dir, ok := strings.Cut(spec, "=")
		if !ok {
			return "", fmt.Errorf("-lint %q: want IMPORTPATH=DIR", spec)
		}
		name, err := exportedAnalyzers(dir)
		if err != nil {
			return "", fmt.Errorf("%s: %v", path, err)
		}
		alias := fmt.Sprintf("lint%d", i)
		imports = append(imports, fmt.Sprintf("\t%s %q\n", alias, path))
		regs = append(regs, fmt.Sprintf("\t_ = addLint(%q, %s.%s)\n", path, alias, name))
	}
	b.WriteString("import (\n" + strings.Join(imports, "") + ")\n\nvar (\n" +
		strings.Join(regs, "") + ")\n")
	return b.String(), nil
}

// exportedAnalyzers is the name a package directory declares at top level: Analyzers (a
// list, map or func result is not read: a variable), else Analyzer.
func exportedAnalyzers(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	found := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				for _, id := range s.(*ast.ValueSpec).Names {
					if id.Name == "Analyzers" || id.Name == "Analyzer" {
						found[id.Name] = true
					}
				}
			}
		}
	}
	for _, name := range []string{"Analyzers", "Analyzer"} {
		if found[name] {
			return name, nil
		}
	}
	return "", fmt.Errorf("declares no package-level var Analyzers or Analyzer " +
		"(docs/lint.md: how a package exports analyzers)")
}
