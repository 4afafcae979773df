package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// Declarations-only parsing drops composite literal elements; each package-level var keeps
// the type a full check gives it.
func TestStrippedElementsKeepTypes(t *testing.T) {
	const src = `package p

type T struct{ a, b int }

var (
	table   = [...]byte{1, 2, 3, 4, 5}
	keyed   = [...]string{7: "x", 2: "y"}
	nested  = [...][2]int{{1, 2}, {3, 4}, {5, 6}}
	empty   = [...]T{}
	plain   = T{1, 2}
	slice   = []T{{1, 2}}
	inMap   = map[string][3]int{"a": {1, 2, 3}}
	pointer = &[...]int{1, 2}
	sized   [4]int = [...]int{1, 2, 3, 4}
)
`
	typesOf := func(strip bool) map[string]string {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if strip {
			stripBodies(f)
			// What is left to check: only the keyed array's elements, which give its length.
			left := map[string]int{}
			for _, spec := range f.Decls[1].(*ast.GenDecl).Specs {
				vs := spec.(*ast.ValueSpec)
				ast.Inspect(vs.Values[0], func(n ast.Node) bool {
					if lit, ok := n.(*ast.CompositeLit); ok {
						left[vs.Names[0].Name] += len(lit.Elts)
					}
					return true
				})
			}
			if len(left) != 9 || left["keyed"] != 2 || left["table"]+left["nested"]+
				left["plain"]+left["slice"]+left["inMap"]+left["pointer"]+left["sized"] != 0 {
				t.Errorf("elements left after stripping: %v", left)
			}
		}
		pkg, err := (&types.Config{}).Check("p", fset, []*ast.File{f}, nil)
		if err != nil {
			t.Fatalf("strip=%v: %v", strip, err)
		}
		out := map[string]string{}
		for _, name := range pkg.Scope().Names() {
			if v, ok := pkg.Scope().Lookup(name).(*types.Var); ok {
				out[name] = v.Type().String()
			}
		}
		return out
	}
	full, stripped := typesOf(false), typesOf(true)
	if len(full) != 9 {
		t.Fatalf("vars: %v", full)
	}
	for name, typ := range full {
		if stripped[name] != typ {
			t.Errorf("%s: %s stripped, %s in full", name, stripped[name], typ)
		}
	}
}
