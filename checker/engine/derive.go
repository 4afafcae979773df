// A package's own result from its test variant's: go vet analyzes p [p.test] instead of p
// when p has in-package test files, so p itself is type-checked only for its errors (and the
// narrowing rule), over files its test variant checks too. When the test variant checks
// without an error and its non-test files use nothing its test files declare, checking p
// alone finds the same: no error, and the same narrowings in p's files.
//
// Why that holds: p's files are a subset of p [p.test]'s, checked with the very same imports
// (the same entries: the same *types.Package objects), language version, sizes and
// `import "C"` (deriveFromTest makes sure of each). Adding files to a package can change what
// p's files mean only through what the added files declare: an identifier of p's files that
// resolves to a test file's object (a function, a type, a name that shadows a predeclared
// one), or a method a test file declares on a type of p's files (it can make a type implement
// an interface, or an assertion possible). With neither, every expression of p's files has the
// same type and value in p alone, so go/types reports the same errors there — none — and the
// narrowing rule, which reads those types, the same findings.
//
// vet's facts are not taken this way: printf's wrapper facts on an interface method read every
// assignment to the interface in the package, test files included.

package main

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"
	"sync"
)

// isTestFile: a file go list lists as a test file (TestGoFiles, XTestGoFiles).
func isTestFile(path string) bool {
	return strings.HasSuffix(path, "_test.go")
}

// testVariantFor is the node of n's test variant, p [p.test], whose result n's may be derived
// from, else nil: n is a main-module package vet does not analyze (its test variant is vetted
// instead, and no package imports it for vet's facts). n is being keyed, and the test variant
// is keyed now if it is not yet: not if that would reach n or another package being keyed
// (Go refuses an import cycle through a test, so it does not for a graph go list accepts).
func testVariantFor(g *targetGraph, n *node) *node {
	if n.lp.ForTest != "" {
		return nil
	}
	tn := g.nodes[n.id+" ["+n.id+".test]"]
	if tn == nil || tn.lp.ForTest != n.id || tn.state == 1 ||
		tn.state == 0 && reachesKeying(tn, map[*node]bool{}) {
		return nil
	}
	return tn
}

// reachesKeying: keying n would reach a package being keyed (state 1). Packages already keyed
// import none: they were keyed with what they import.
func reachesKeying(n *node, seen map[*node]bool) bool {
	for _, d := range n.deps {
		if d.state == 1 {
			return true
		}
		if d.state == 0 && !seen[d] {
			seen[d] = true
			if reachesKeying(d, seen) {
				return true
			}
		}
	}
	return false
}

// nonTestAlone: a test variant's check (no error at all) where the non-test files use nothing
// the test files declare, and the test files declare no method on a type of the non-test
// files: its package without the test files checks alike (see the top of this file).
func nonTestAlone(pkg *types.Package, files []*ast.File, paths []string, info *types.Info) bool {
	var tests []*ast.File
	for i, f := range files {
		if isTestFile(paths[i]) {
			tests = append(tests, f)
		}
	}
	if len(tests) == 0 || len(tests) == len(files) {
		return false
	}
	inTest := func(pos token.Pos) bool {
		for _, f := range tests {
			if f.FileStart <= pos && pos <= f.FileEnd {
				return true
			}
		}
		return false
	}
	for id, obj := range info.Uses {
		if obj.Pkg() == pkg && inTest(obj.Pos()) && !inTest(id.Pos()) {
			return false
		}
	}
	for _, f := range tests {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			if base := recvBase(fd.Recv); base != "" {
				if obj := pkg.Scope().Lookup(base); obj == nil || !inTest(obj.Pos()) {
					return false
				}
			}
		}
	}
	return true
}

// deriveFromTest gives result entry e (checked for its errors only: no vet) its test
// variant's findings in its own files when the test variant checked without an error and
// nonTestAlone, instead of checking it; it says whether it did.
func (e *entry) deriveFromTest() bool {
	t := e.test
	if t == nil || e.vet || !t.done || !t.testsApart || t.lang != e.lang ||
		t.version != e.version || t.word != e.word || t.fakeC != e.fakeC {
		return false
	}
	own := make(map[string]bool, len(e.files))
	for _, f := range e.files {
		own[f] = true
	}
	n := 0
	for _, f := range t.files {
		if own[f] {
			n++
		} else if !isTestFile(f) {
			return false
		}
	}
	if n != len(e.files) {
		return false
	}
	for path, d := range e.imports {
		if t.imports[path] != d {
			return false
		}
	}
	e.diags = nil
	for _, d := range t.diags {
		if d.Kind == "narrowing" && own[d.File] {
			e.diags = append(e.diags, d)
		}
	}
	e.broken, e.derived = false, true
	return true
}

// namesUnexported: a package importing test variant n in its target's graph may name one of
// its unexported declarations (`p.helper`), by its source text: a qualified identifier whose
// name is not exported, or a comment after the dot. Such a reference is a compile error either
// way, but its message depends on what the importer sees of the package: "undefined: p.helper"
// where the declaration is not in gc's export data (nor in a declarations-only check, which
// keeps what an importer can reach), "name helper not exported by package p" where it is. The
// result's whole package would give the second everywhere, so its types serve only importers
// that name nothing unexported (a false alarm, a comment or a string, only costs the check).
func namesUnexported(n *node, fc *fileCache) bool {
	for _, imp := range n.importers {
		for _, f := range imp.from.files {
			refs, err := fc.refs(f)
			if err != nil {
				return true
			}
			for _, im := range refs.imports {
				if im.path != imp.src || im.name == "_" || im.name == "." {
					continue
				}
				name := im.name
				if name == "" {
					name = n.lp.Name
				}
				if fc.namesUnexported(f, name) {
					return true
				}
			}
		}
	}
	return false
}

// namesUnexported: file path may name an unexported declaration of the import it names name
// (or could not be read), once per file and name until sweep.
func (c *fileCache) namesUnexported(path, name string) bool {
	e := onceEntry(&c.mu, &c.unexported, path+"\x00"+name)
	e.once.Do(func() {
		data, err := c.contents(path)
		e.flag = err != nil || unexportedSelectorRx(name).Match(data)
	})
	return e.flag
}

type flagEntry struct {
	once sync.Once
	flag bool
}

// unexportedSelectorRx matches name, a dot and what is not an exported identifier's start (or a
// comment), as a whole word: `p.helper`, `p. _x`, `p./* */`.
func unexportedSelectorRx(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^\pL\pN_.])` + regexp.QuoteMeta(name) +
		`\s*\.\s*([_\p{Ll}\p{Lt}\p{Lm}\p{Lo}]|/)`)
}

// takeTypes gives types entry e the types its result entry (from) checked without an error,
// instead of checking its declarations; it says whether it did. The result checked the same
// files with the same sizes and imports (and those its declarations do not name), with
// bodies: the same declarations, the same objects for importers.
func (e *entry) takeTypes() bool {
	r := e.from
	if r == nil || r.typesPkg == nil {
		return false
	}
	e.pkg, r.typesPkg = r.typesPkg, nil
	e.fromResult = true
	return true
}
