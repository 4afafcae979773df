package main

import (
	"fmt"
	"go/ast"
	"go/build"
	goimporter "go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// storeRoots are standard-library packages whose declarations use most of what go/types has:
// generics (slices, maps, iter, sync/atomic.Pointer, unique), embedded interfaces and structs,
// constants of every kind (math, syscall, go/constant), aliases, unexported types exported
// names reach (os.File, net/http).
var storeRoots = []string{"net/http", "go/types", "os/exec", "slices", "maps", "iter",
	"sync/atomic", "unique", "encoding/json", "testing", "log/slog", "math", "math/big",
	"math/cmplx", "syscall", "reflect", "runtime", "cmp", "context", "crypto/tls"}

// TestTypeStoreRoundTrip writes every package the roots import (checked from source,
// declarations only) and reads each back against the packages read back before it; every
// object must read as the original: its string, position, constant value, size, method sets.
func TestTypeStoreRoundTrip(t *testing.T) {
	fset := token.NewFileSet()
	imp := goimporter.ForCompiler(fset, "source", nil)
	var order []*types.Package
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, q := range p.Imports() {
			visit(q)
		}
		order = append(order, p)
	}
	for _, path := range storeRoots {
		p, err := imp.Import(path)
		if err != nil {
			t.Logf("%s: %v (not in this Go release?)", path, err)
			continue
		}
		visit(p)
	}
	if len(order) < 100 {
		t.Fatalf("only %d packages reached", len(order))
	}
	read := map[string]*types.Package{"unsafe": types.Unsafe}
	add := newFileAdder(fset) // one for all reads, as a run has
	for _, orig := range order {
		if orig == types.Unsafe {
			continue
		}
		data, err := encodePackage(fset, orig)
		if err == errUnstorable && !aliasTypes() && declaresAlias(orig) {
			// Without alias types an alias is its target's name: not stored, the package is
			// checked on every run, against the packages read back, and its importers read
			// what that check made (as here).
			if read[orig.Path()], err = checkFromSource(fset, orig.Path(), read); err != nil {
				t.Errorf("%s: checked from source: %v", orig.Path(), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", orig.Path(), err)
			continue
		}
		got, err := decodePackage(add, data, closureOf(orig, read))
		if err != nil {
			t.Errorf("%s: reading back: %v", orig.Path(), err)
			continue
		}
		read[orig.Path()] = got
		if diff := samePackage(fset, orig, got); diff != "" {
			t.Errorf("%s: %s", orig.Path(), diff)
		}
	}

	// Code checked against the packages read back sees what it sees of the originals.
	src := `package p

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

var ptr atomic.Pointer[http.Client]

func F() (int, error) {
	c := ptr.Load()
	c.Timeout = 3 * time.Second
	resp, err := c.Get("x")
	if errors.Is(err, io.EOF) {
		return 0, err
	}
	var r io.Reader = resp.Body
	s := []int{3, 1}
	slices.Sort(s)
	keys := KEYS
	fmt.Println(r, keys, http.StatusOK+1, resp.Header.Get("a"))
	var _ fmt.Stringer = time.Duration(0)
	return len(s), nil
}

var _ = F
`
	keys := `slices.Sorted(maps.Keys(map[string]int{"a": 1}))` // iterators: Go 1.23
	if read["iter"] == nil {
		keys = `maps.Clone(map[string]int{"a": 1})`
	}
	src = strings.Replace(src, "KEYS", keys, 1)
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if p := read[path]; p != nil {
			return p, nil
		}
		return imp.Import(path)
	})}
	if _, err := conf.Check("p", fset, []*ast.File{f}, nil); err != nil {
		t.Errorf("checked against the packages read back: %v", err)
	}
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// checkFromSource checks the declarations of standard-library package path against the
// packages of read, by path.
func checkFromSource(fset *token.FileSet, path string,
	read map[string]*types.Package) (*types.Package, error) {
	bp, err := build.Import(path, "", 0)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range append(bp.GoFiles, bp.CgoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil,
			parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	imports := func(imp string) (*types.Package, error) {
		if imp == "unsafe" {
			return types.Unsafe, nil
		}
		ip, err := build.Import(imp, bp.Dir, build.FindOnly) // vendor/golang.org/x/...
		if err != nil {
			return nil, err
		}
		if p := read[ip.ImportPath]; p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("%s not read back", ip.ImportPath)
	}
	conf := types.Config{IgnoreFuncBodies: true, FakeImportC: true, Importer: importerFunc(imports)}
	return conf.Check(path, fset, files, nil)
}

// aliasTypes: go/types represents aliases as *types.Alias (Go 1.23 on; 1.22 with
// GODEBUG=gotypesalias=1).
func aliasTypes() bool {
	_, ok := types.Universe.Lookup("any").Type().(*types.Alias)
	return ok
}

// declaresAlias: a type name of p's scope is an alias.
func declaresAlias(p *types.Package) bool {
	for _, name := range p.Scope().Names() {
		if tn, ok := p.Scope().Lookup(name).(*types.TypeName); ok && tn.IsAlias() {
			return true
		}
	}
	return false
}

// closureOf: the packages read back that orig's imports reach, by path.
func closureOf(orig *types.Package, read map[string]*types.Package) map[string]*types.Package {
	out := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if out[p.Path()] != nil {
			return
		}
		out[p.Path()] = read[p.Path()]
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	for _, p := range orig.Imports() {
		walk(p)
	}
	return out
}

// samePackage says how got differs from orig ("" when it does not).
func samePackage(fset *token.FileSet, orig, got *types.Package) string {
	qual := func(p *types.Package) string { return p.Path() }
	if orig.Path() != got.Path() || orig.Name() != got.Name() {
		return "path or name differ"
	}
	if a, b := strings.Join(orig.Scope().Names(), " "), strings.Join(got.Scope().Names(), " "); a != b {
		return "names differ"
	}
	var ip []string
	for _, p := range got.Imports() {
		ip = append(ip, p.Path())
	}
	var op []string
	for _, p := range orig.Imports() {
		op = append(op, p.Path())
	}
	sort.Strings(ip)
	sort.Strings(op)
	if strings.Join(ip, " ") != strings.Join(op, " ") {
		return "imports differ"
	}
	sizes := types.SizesFor("gc", "amd64")
	for _, name := range orig.Scope().Names() {
		o, g := orig.Scope().Lookup(name), got.Scope().Lookup(name)
		if a, b := types.ObjectString(o, qual), types.ObjectString(g, qual); a != b {
			return "object " + a + " reads as " + b
		}
		if a, b := fset.Position(o.Pos()), fset.Position(g.Pos()); a != b {
			return name + " at " + a.String() + " reads at " + b.String()
		}
		if c, ok := o.(*types.Const); ok {
			if a, b := c.Val().ExactString(), g.(*types.Const).Val().ExactString(); a != b {
				return name + " = " + a + " reads as " + b
			}
		}
		if _, ok := o.(*types.Func); ok {
			continue
		}
		ot, gt := o.Type(), g.Type()
		if a, b := types.TypeString(ot.Underlying(), qual), types.TypeString(gt.Underlying(), qual); a != b {
			return name + ": underlying " + a + " reads as " + b
		}
		if a, b := types.Comparable(ot), types.Comparable(gt); a != b {
			return name + ": comparable differs"
		}
		if n, ok := ot.(*types.Named); ok {
			if n.TypeParams().Len() > 0 {
				continue
			}
			for _, t := range []types.Type{ot, types.NewPointer(ot)} {
				gt := gt
				if _, ok := t.(*types.Pointer); ok {
					gt = types.NewPointer(gt)
				}
				if a, b := methodSet(t, qual), methodSet(gt, qual); a != b {
					return name + ": method set " + a + " reads as " + b
				}
			}
			if _, ok := ot.Underlying().(*types.Interface); !ok {
				if a, b := sizes.Sizeof(ot), sizes.Sizeof(gt); a != b {
					return name + ": size differs"
				}
			}
		}
	}
	return ""
}

func methodSet(t types.Type, qual types.Qualifier) string {
	ms := types.NewMethodSet(t)
	var out []string
	for i := 0; i < ms.Len(); i++ {
		out = append(out, types.SelectionString(ms.At(i), qual))
	}
	return strings.Join(out, "; ")
}

// A package's bytes cut short, or anything but what the writer wrote, read as an error.
func TestTypeStoreReadsTruncatedAsError(t *testing.T) {
	fset := token.NewFileSet()
	imp := goimporter.ForCompiler(fset, "source", nil)
	pkg, err := imp.Import("io")
	if err != nil {
		t.Fatal(err)
	}
	data, err := encodePackage(fset, pkg)
	if err != nil {
		t.Fatal(err)
	}
	deps := closureOf(pkg, map[string]*types.Package{})
	for _, p := range pkg.Imports() {
		deps[p.Path()] = p // the originals: io's imports as checked
	}
	if _, err := decodePackage(newFileAdder(fset), data, deps); err != nil {
		t.Fatalf("whole: %v", err)
	}
	for cut := 0; cut < len(data); cut += 1 + len(data)/50 {
		if p, err := decodePackage(newFileAdder(fset), data[:cut], deps); err == nil {
			t.Errorf("cut at %d of %d: read %v", cut, len(data), p)
		}
	}
	if p, err := decodePackage(newFileAdder(fset), append(append([]byte{}, data...), 0), deps); err == nil {
		t.Errorf("one byte more: read %v", p)
	}
}

// A file's declarations and names read back as refsOf gave them.
func TestRefsRoundTrip(t *testing.T) {
	src := `package p

import (
	"io"
	x "strings"
)

const A, b = 1, iota

type T struct{ r io.Reader }

func (t *T) M() string { return x.ToUpper("a") }

func F(w io.Writer) {}

var _ = x.Repeat
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	stripBodies(f)
	want := refsOf(f)
	got, err := decodeRefs(encodeRefs(want))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w || len(want.units) < 4 {
		t.Errorf("read back\n%s\nwant\n%s", g, w)
	}
	if _, err := decodeRefs(encodeRefs(want)[:10]); err == nil {
		t.Error("cut short: no error")
	}
}
