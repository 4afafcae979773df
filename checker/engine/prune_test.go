package main

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
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

// A name declared twice (code that does not compile: the check reports it) keeps both
// declarations when a kept one reads it, and each file's units are told apart.
func TestKeptUnitsWithANameDeclaredTwice(t *testing.T) {
	files := [][]declUnit{
		{{names: []string{"Root"}, root: true, idents: []string{"dup", "T"}}},
		{},
		{{names: []string{"dup"}}, {names: []string{"unread"}, idents: []string{"dup"}}},
		{{names: []string{"dup"}, idents: []string{"inner"}}, {names: []string{"inner"}},
			{names: []string{"T"}}, {recv: "T", method: "m"}, {recv: "T", method: "Exp"},
			{recv: "unreadType", method: "Exp"}},
	}
	got := keptUnits(files)
	want := [][]bool{{true}, {}, {true, false}, {true, true, true, false, true, false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("kept %v, want %v", got, want)
	}
}

// pruneDecls keeps what an importer can reach from the exported names, with the exported
// methods of kept types and the unexported ones a kept interface names (the others as stubs),
// and const blocks whole; namedImports are the imports those declarations name.
func TestPruneKeepsWhatImportersReach(t *testing.T) {
	const a = `package p

import (
	"io"
	"os"
	"strings"
	. "math"
	sc "strconv"
)

type Exported struct{ f field }

type field struct{ r io.Reader }

func (f field) method() *helperType { return nil }

type helperType int

type unused struct{ f *os.File }

func (unused) M() sc.NumError { return sc.NumError{} }

const (
	zero = iota
	One
	two
)

var X = newThing()

func newThing() thing { return thing(strings.ToUpper("")) }

type thing string

var hidden = os.Getenv("X")

var _ = Pi

func init() {}

func plain(w *os.File) {}
`
	const b = `package p

import "os"

func Open() *Opened { return nil }

type Opened struct{}

func (*Opened) close(f *os.File) {}

type Closer interface{ close(*os.File) }
`
	fset := token.NewFileSet()
	var files []*ast.File
	var refs []*fileRefs
	for i, src := range []string{a, b} {
		f, err := parser.ParseFile(fset, []string{"a.go", "b.go"}[i], src, 0)
		if err != nil {
			t.Fatal(err)
		}
		stripBodies(f)
		files = append(files, f)
		refs = append(refs, refsOf(f))
	}
	// What is kept, by name; a dropped method's stub is marked ~ (a new node).
	original := map[ast.Node]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			original[d] = true
			if gd, ok := d.(*ast.GenDecl); ok {
				for _, s := range gd.Specs {
					original[s] = true
				}
			}
		}
	}
	var kept []string
	name := func(n ast.Node, name string) {
		if !original[n] {
			name += "~"
		}
		kept = append(kept, name)
	}
	for _, f := range pruneDecls(files) {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name(d, d.Name.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						name(s, s.Name.Name)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							name(s, n.Name)
						}
					case *ast.ImportSpec:
						kept = append(kept, s.Path.Value)
					}
				}
			}
		}
	}
	want := []string{`"io"`, `"os"`, `"strings"`, `"math"`, `"strconv"`, "Exported", "field",
		"method~", "zero", "One", "two", "X", "newThing", "thing", `"os"`, "Open", "Opened",
		"close", "Closer"}
	if strings.Join(kept, " ") != strings.Join(want, " ") {
		t.Errorf("kept %v\nwant %v", kept, want)
	}
	// The stubs name nothing: the pruned package checks without errors, and what the
	// dropped declarations named is not read.
	conf := types.Config{IgnoreFuncBodies: true, Importer: importer{unread: map[string]string{
		"io": "io", "os": "os", "strings": "strings", "math": "math", "strconv": "strconv"}}}
	if _, err := conf.Check("p", fset, pruneDecls(files), nil); err == nil ||
		!strings.Contains(err.Error(), "io.Reader") {
		t.Errorf("with every import empty, want only what kept declarations name to fail: %v", err)
	}
	named := namedImports(refs, func(path string) (string, bool) { return path, true })
	// io (a field of a kept type), math (a dot import), os (in b.go: a parameter of a kept
	// type's unexported method that Closer names); not strings (only newThing's body names it),
	// strconv (only a dropped type's method), nor os in a.go (only dropped declarations name
	// it there; field's method is unexported and named by nothing kept).
	if got := strings.Join(sortedKeys(named), " "); got != "io math os" {
		t.Errorf("named imports %q, want %q", got, "io math os")
	}
}

// A package naming another's unexported declarations gets the compiler's errors: "undefined"
// for what no exported declaration reaches (gc's export data does not have it, and pruning
// drops it), "cannot refer to unexported method" for a method (export data has every method of
// a type it has; pruning leaves a stub).
func TestPrunedDeclarationsReadAsExportData(t *testing.T) {
	dir := fixture(t, "unexported")
	got := results(t, run(newRequest(dir, target("linux", "amd64"))))["linux/amd64"]
	file := filepath.Join(dir, "a", "a.go")
	diag := func(line, col int, msg string) Diag {
		return Diag{File: file, Line: line, Col: col, Message: msg,
			Package: "example.com/unexported/a", Kind: "type"}
	}
	wantDiags(t, "linux/amd64", got.Diagnostics, []Diag{ // as `go build` prints them
		diag(12, 4, "undefined: b.helper"),
		diag(13, 10, "undefined: b.inner"),
		diag(14, 8, "undefined: b.hidden"),
		diag(15, 8, "undefined: b.high"),
		diag(16, 8, "b.T{}.private undefined ("+byRelease(23, "type b.T has no field or method private",
			"cannot refer to unexported method private")+")"),
	})
}

// What to keep of a file set is decided once (fileCache.pruned) and serves every later parse
// of the same files, as pruneDecls of that parse would keep.
func TestPrunePlanServesAnotherParse(t *testing.T) {
	dir := t.TempDir()
	srcs := map[string]string{
		"a.go": "package p\nimport \"io\"\ntype T struct{ r io.Reader; h hidden }\n" +
			"type hidden struct{ n int }\nfunc (T) M() {}\nfunc (hidden) m() {}\n" +
			"type dropped int\nfunc (dropped) X() {}\nvar V, w = 1, 2\n",
		"b.go": "package p\nconst (\n\tA = iota\n\tb\n)\nfunc F() hidden { return hidden{} }\n" +
			"func (T) n() {}\nvar x = A\n",
	}
	writeFiles(t, dir, srcs)
	paths := []string{filepath.Join(dir, "a.go"), filepath.Join(dir, "b.go")}
	fset := token.NewFileSet()
	parse := func() []*ast.File {
		var files []*ast.File
		for _, path := range paths {
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		return files
	}
	show := func(files []*ast.File) string { return showFiles(t, fset, files) }
	fc := newFileCache()
	first, second := parse(), parse()
	if got, want := show(fc.pruned(paths, first)), show(pruneDecls(first)); got != want {
		t.Fatalf("first parse:\n%s\nwant\n%s", got, want)
	}
	if got, want := show(fc.pruned(paths, second)), show(pruneDecls(second)); got != want {
		t.Errorf("second parse:\n%s\nwant\n%s", got, want)
	}
	if len(fc.prunePlans) != 1 {
		t.Errorf("%d plans for one file set", len(fc.prunePlans))
	}
	if strings.Contains(show(pruneDecls(second)), "dropped") {
		t.Errorf("an unreached type was kept")
	}
}

// The plan fileCache.qualifiers decides when keying, from each file's refs, is the plan
// pruneDecls decides from the files parsed for the check: the check uses it as it is. On the
// standard library's largest packages (every file of the directory, whatever it builds on).
func TestPrunePlanFromKeyingServesTheCheck(t *testing.T) {
	for _, pkg := range []string{"runtime", "syscall", "os", "net/http"} {
		dir := filepath.Join(goRoot, "src", filepath.FromSlash(pkg))
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
				paths = append(paths, filepath.Join(dir, n))
			}
		}
		fc := newFileCache()
		keyFileSet(t, fc, paths)
		if len(fc.prunePlans) != 1 {
			t.Fatalf("%s: %d plans after keying, want 1", pkg, len(fc.prunePlans))
		}
		fset := token.NewFileSet()
		var files []*ast.File
		for _, path := range paths {
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			stripBodies(f)
			files = append(files, f)
		}
		show := func(files []*ast.File) string { return showFiles(t, fset, files) }
		got, want := show(fc.pruned(paths, files)), show(pruneDecls(files))
		if got != want {
			t.Errorf("%s: the plan from keying keeps another set of declarations", pkg)
		}
		if len(want) == 0 || len(got) >= len(show(files)) {
			t.Errorf("%s: pruning kept %d of %d bytes", pkg, len(got), len(show(files)))
		}
	}
}

// keyFileSet does for a package's files what keying does: their refs, then the qualifiers of
// the file set (which makes its prune plan).
func keyFileSet(t *testing.T, fc *fileCache, paths []string) {
	t.Helper()
	var refs []*fileRefs
	for _, path := range paths {
		r, err := fc.refs(path)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	fc.qualifiers(paths, refs)
}

// showFiles is files formatted, one after the other.
func showFiles(t *testing.T, fset *token.FileSet, files []*ast.File) string {
	t.Helper()
	var b strings.Builder
	for _, f := range files {
		if err := format.Node(&b, fset, f); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// A declarations-only AST keeps, once every target is keyed, only the declarations some plan
// from keying keeps (each port's file set of a directory has its own plan): every check of
// those file sets prunes it to what a whole parse would give, without parsing it again; a file
// set planned after keying parses its files again.
func TestThinnedASTsServeEveryPlan(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.go": "package p\nimport \"io\"\ntype forB struct{ r io.Reader }\ntype forD int\n" +
			"type forC int\ntype unused int\nfunc helper() {}\nconst (\n\tK = iota\n\tk2\n)\n",
		"b.go": "package p\nfunc B() forB { return forB{} }\n",
		"d.go": "package p\nvar D forD\n",
		"c.go": "package p\nfunc C() forC { return 0 }\n",
	})
	path := func(name string) string { return filepath.Join(dir, name) }
	setA, setD, setC := []string{path("a.go"), path("b.go")}, []string{path("a.go"), path("d.go")},
		[]string{path("a.go"), path("c.go")}
	fc := newFileCache()
	keyFileSet(t, fc, setA)
	keyFileSet(t, fc, setD)
	fc.sweep()
	shared := func(set []string) []*ast.File {
		var files []*ast.File
		for _, p := range set {
			fc.retain(p, modeDecl)
			f, _, err := fc.parse(p, modeDecl)
			if err != nil || f == nil {
				t.Fatal(p, err)
			}
			files = append(files, f)
		}
		return files
	}
	whole := func(set []string) []*ast.File {
		var files []*ast.File
		for _, p := range set {
			f, err := parser.ParseFile(fc.fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			stripBodies(f)
			files = append(files, f)
		}
		return files
	}
	show := func(files []*ast.File) string { return showFiles(t, fc.fset, files) }
	a := shared(setA[:1])[0]
	var left []string
	for _, d := range a.Decls {
		if d != nil {
			left = append(left, show([]*ast.File{{Name: a.Name, Decls: []ast.Decl{d}}}))
		}
	}
	if got := strings.Join(left, ""); strings.Contains(got, "unused") ||
		strings.Contains(got, "helper") || strings.Contains(got, "forC") ||
		!strings.Contains(got, "forB") || !strings.Contains(got, "forD") {
		t.Errorf("a.go's shared AST keeps:\n%s", got)
	}
	for _, set := range [][]string{setA, setD} {
		parsed := fc.parsed.Load()
		if got, want := show(fc.pruned(set, shared(set))), show(pruneDecls(whole(set))); got != want {
			t.Errorf("%s: pruned\n%s\nwant\n%s", filepath.Base(set[1]), got, want)
		}
		if n := fc.parsed.Load() - parsed; n != 1 { // its second file's first parse only (a.go's
			// shared AST is there)
			t.Errorf("%s: %d parses, want 1", filepath.Base(set[1]), n)
		}
	}
	got, want := show(fc.pruned(setC, shared(setC))), show(pruneDecls(whole(setC)))
	if got != want || !strings.Contains(got, "forC") {
		t.Errorf("c.go, planned after keying: pruned\n%s\nwant\n%s", got, want)
	}
}

// A thinned AST whose file cannot be read again (it changed, or went, during the run) is
// checked as far as it goes: a plan made after keying that keeps a declaration it lacks does
// not stop the run.
func TestThinnedASTWhoseFileWent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.go": "package p\ntype forB int\ntype forC int\n",
		"b.go": "package p\nvar B forB\n",
		"c.go": "package p\nvar C forC\n",
	})
	a, b, c := filepath.Join(dir, "a.go"), filepath.Join(dir, "b.go"), filepath.Join(dir, "c.go")
	fc := newFileCache()
	keyFileSet(t, fc, []string{a, b})
	fc.sweep()
	var files []*ast.File
	for _, p := range []string{a, c} {
		fc.retain(p, modeDecl)
		f, _, err := fc.parse(p, modeDecl)
		if err != nil || f == nil {
			t.Fatal(p, err)
		}
		files = append(files, f)
	}
	set := []string{a, c}
	if got := showFiles(t, fc.fset, fc.pruned(set, files)); !strings.Contains(got, "forC int") {
		t.Fatalf("planned after keying, a.go there: pruned\n%s", got)
	}
	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	got := showFiles(t, fc.fset, fc.pruned(set, files))
	if strings.Contains(got, "forC int") || !strings.Contains(got, "var C forC") {
		t.Errorf("a.go gone: pruned\n%s", got)
	}
}
