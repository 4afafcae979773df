package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// A print's parts are kept for the next print of the same observed set where what their roots
// reach is the same, even through another types.Package (another target's entry for the
// import, whose key differs), and described again where it differs.
func TestPrintPartsKeptWhereRootsReachTheSame(t *testing.T) {
	const user = "package user\nimport (\"example.com/dep\"; \"example.com/tb\")\n" +
		"func F(r dep.Rec, x tb.TB) int { return r.N }"
	const dep = "package dep\ntype Rec struct{ N int; s *state }\ntype state struct{ n int }\n"
	pc := &partCache{}
	a := userPrint(t, dep+"func Other() int { return 0 }", user, false, pc)
	if pc.kept != 0 {
		t.Fatalf("first print: %d parts kept, want 0", pc.kept)
	}
	// What F uses of dep reaches Rec, state and nothing else: Other is another matter.
	b := userPrint(t, dep+"func Other() string { return \"\" }", user, false, pc)
	if a != b || pc.kept != 2 {
		t.Errorf("unrelated change: prints equal %v, parts kept %d; want true, 2 (dep, tb)",
			a == b, pc.kept)
	}
	// state is reached through Rec: its definition is in the roots' closure, so dep's part is
	// described again (tb's is kept); what F can observe of it (behind a pointer) is the same.
	c := userPrint(t, "package dep\ntype Rec struct{ N int; s *state }\ntype state struct{ n []int }",
		user, false, pc)
	if c != a || pc.kept != 3 {
		t.Errorf("change behind a pointer: prints equal %v, parts kept %d; want true, 3",
			c == a, pc.kept)
	}
	d := userPrint(t, "package dep\ntype Rec struct{ N int64; s *state }\ntype state struct{ n int }",
		user, false, pc)
	if d == a || pc.kept != 4 {
		t.Errorf("field used: prints equal %v, parts kept %d; want false, 4", d == a, pc.kept)
	}
}

// checkClosureSrc type-checks one package (importing nothing) and returns it.
func checkClosureSrc(t *testing.T, fset *token.FileSet, src string) *types.Package {
	t.Helper()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{}).Check("example.com/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func namedOf(pkg *types.Package, name string) *types.Named {
	return pkg.Scope().Lookup(name).Type().(*types.Named)
}

// A closure's digest is the same for the same declarations checked twice, whichever type of a
// cycle a walk starts from, and differs when anything reached differs: a field behind a
// pointer, an unexported method's signature, a method of a type reached through a method.
func TestClosureDigests(t *testing.T) {
	const base = "package p\n" +
		"type A struct{ b *B; X int }\n" +
		"type B struct{ a *A; m map[string]C }\n" +
		"type C struct{ v int }\n" +
		"func (A) Get() D { return D{} }\n" +
		"type D struct{}\n" +
		"func (D) Put(int) {}\n" +
		"func (*B) hide(int) {}\n" +
		"type E struct{ n int }\n"
	digests := func(src string, first string) map[string][32]byte {
		fset := token.NewFileSet()
		pkg := checkClosureSrc(t, fset, src)
		sums := &summaries{}
		sums.add(pkg)
		out := map[string][32]byte{}
		out[first] = sums.closure(fset, namedOf(pkg, first))
		for _, name := range []string{"A", "B", "C", "D", "E"} {
			out[name] = sums.closure(fset, namedOf(pkg, name))
		}
		return out
	}
	want := digests(base, "A")
	if got := digests(base, "B"); got != nil {
		for name, d := range want {
			if got[name] != d {
				t.Errorf("%s: closure differs with the walk started at B", name)
			}
		}
	}
	if want["A"] != want["B"] {
		t.Errorf("A and B reach each other: their closures should be one")
	}
	if want["A"] == want["C"] || want["C"] == want["E"] {
		t.Errorf("distinct closures digested alike")
	}
	for _, c := range []struct {
		name, from, to string
		changed        []string // the types whose closures differ
	}{
		{"a field behind a pointer and a map", "type C struct{ v int }", "type C struct{ v uint }",
			[]string{"A", "B", "C"}},
		{"an unexported method", "func (*B) hide(int) {}", "func (*B) hide(string) {}",
			[]string{"A", "B"}},
		{"a method of a method's result", "func (D) Put(int) {}", "func (D) Put(string) {}",
			[]string{"A", "B", "D"}},
		{"a type nothing reaches", "type E struct{ n int }", "type E struct{ n string }",
			[]string{"E"}},
	} {
		src := replaceOnce(t, base, c.from, c.to)
		got := digests(src, "A")
		for _, name := range []string{"A", "B", "C", "D", "E"} {
			differs := got[name] != want[name]
			if differs != contains(c.changed, name) {
				t.Errorf("%s: %s's closure differs %v, want %v", c.name, name, differs, !differs)
			}
		}
	}
}

func replaceOnce(t *testing.T, s, from, to string) string {
	t.Helper()
	for i := 0; i+len(from) <= len(s); i++ {
		if s[i:i+len(from)] == from {
			return s[:i] + to + s[i+len(from):]
		}
	}
	t.Fatalf("%q not in source", from)
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
