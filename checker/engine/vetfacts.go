//go:build crossvet_vet

// vet's facts: what one analysis of a package sees (factStore, as unitchecker's facts.Set), and
// what it leaves its importers (factSet, by object path, as unitchecker's .vetx files: an
// importer sees a main-module package through its declarations-only entry, or through another
// target whose result it shares, so not through the very same types.Objects).

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"go/types"
	"reflect"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// objFactKey names a fact of an object of the package being analyzed.
type objFactKey struct {
	obj types.Object
	t   reflect.Type // the fact's type
}

// pathFactKey names an object's fact by the object's path in its package (objectpath), as
// unitchecker's .vetx files do: a package's facts serve importers that see it through another
// types.Package (its declarations-only entry, or another target whose result is shared).
type pathFactKey struct {
	path objectpath.Path
	t    reflect.Type // the fact's type
}

// factSet is one package's facts, as its importers see them (entry.facts).
type factSet struct {
	path string                         // the package's path
	objs map[pathFactKey]analysis.Fact  // its objects' facts
	pkgs map[reflect.Type]analysis.Fact // its package facts, by type
	once sync.Once                      // computes sum (digest)
	sum  string

	encOnce sync.Once // computes enc: the entries sharing this set by use write it once
	enc     []byte    // as the result cache keeps it (encodeFacts; nil: gob could not)
}

// factStore is the facts one analysis of a package reads and writes: the package's own, as
// its analyzers export them, and those of every package it imports, directly or not. Its
// methods are the analysis.Pass's fact functions; exported is what the importers get.
type factStore struct {
	pkg      *types.Package                 // the package analyzed
	objs     map[objFactKey]analysis.Fact   // its objects' facts
	pkgFacts map[reflect.Type]analysis.Fact // its package facts, by type
	imported map[string]*factSet            // the imported packages' facts, by path
	byPath   map[string]*types.Package      // the imported packages, by path
	enc      objectpath.Encoder             // object paths in imported packages
}

// newFactStore is the empty store of e's analysis, with the facts e's imports left.
func newFactStore(e *entry) *factStore {
	return &factStore{pkg: e.pkg, objs: map[objFactKey]analysis.Fact{},
		pkgFacts: map[reflect.Type]analysis.Fact{}, imported: visibleFacts(e),
		byPath: packageClosure(e.pkg.Imports())}
}

// importObjectFact is Pass.ImportObjectFact: the fact of ptr's type about obj into *ptr.
func (s *factStore) importObjectFact(obj types.Object, ptr analysis.Fact) bool {
	if obj == nil {
		panic("nil object given to ImportObjectFact")
	}
	var v analysis.Fact
	ok := false
	switch pkg := obj.Pkg(); {
	case pkg == nil: // the universe's: no facts
	case pkg == s.pkg:
		v, ok = s.objs[objFactKey{obj, reflect.TypeOf(ptr)}]
	case s.imported[pkg.Path()] != nil:
		if p, err := s.enc.For(obj); err == nil {
			v, ok = s.imported[pkg.Path()].objs[pathFactKey{p, reflect.TypeOf(ptr)}]
		}
	}
	if ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
	}
	return ok
}

// exportObjectFact is analyzer a's Pass.ExportObjectFact: only of the package's own objects.
func (s *factStore) exportObjectFact(a *analysis.Analyzer, obj types.Object, fact analysis.Fact) {
	if obj.Pkg() != s.pkg {
		panic(fmt.Sprintf("internal error: in analysis %s of package %s: "+
			"Fact.Set(%s, %T): can't set facts on objects belonging another package",
			a, s.pkg, obj, fact))
	}
	s.objs[objFactKey{obj, reflect.TypeOf(fact)}] = fact
}

// importPackageFact is Pass.ImportPackageFact: pkg's fact of ptr's type into *ptr.
func (s *factStore) importPackageFact(pkg *types.Package, ptr analysis.Fact) bool {
	var v analysis.Fact
	ok := false
	if pkg == s.pkg {
		v, ok = s.pkgFacts[reflect.TypeOf(ptr)]
	} else if fs := s.imported[pkg.Path()]; fs != nil {
		v, ok = fs.pkgs[reflect.TypeOf(ptr)]
	}
	if ok {
		reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
	}
	return ok
}

// exportPackageFact is Pass.ExportPackageFact.
func (s *factStore) exportPackageFact(fact analysis.Fact) {
	s.pkgFacts[reflect.TypeOf(fact)] = fact
}

// allObjectFacts is Pass.AllObjectFacts for an analyzer of these fact types.
func (s *factStore) allObjectFacts(want map[reflect.Type]bool) []analysis.ObjectFact {
	var out []analysis.ObjectFact
	for k, f := range s.objs {
		if want[k.t] {
			out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
		}
	}
	for _, fs := range s.imported {
		pkg := s.byPath[fs.path]
		if pkg == nil {
			continue
		}
		for k, f := range fs.objs {
			if !want[k.t] {
				continue
			}
			if obj, err := objectpath.Object(pkg, k.path); err == nil {
				out = append(out, analysis.ObjectFact{Object: obj, Fact: f})
			}
		}
	}
	return out
}

// allPackageFacts is Pass.AllPackageFacts for an analyzer of these fact types.
func (s *factStore) allPackageFacts(want map[reflect.Type]bool) []analysis.PackageFact {
	var out []analysis.PackageFact
	for t, f := range s.pkgFacts {
		if want[t] {
			out = append(out, analysis.PackageFact{Package: s.pkg, Fact: f})
		}
	}
	for _, fs := range s.imported {
		for t, f := range fs.pkgs {
			if pkg := s.byPath[fs.path]; pkg != nil && want[t] {
				out = append(out, analysis.PackageFact{Package: pkg, Fact: f})
			}
		}
	}
	return out
}

// exported are the package's own facts by object path, for its importers.
func (s *factStore) exported() *factSet {
	own := &factSet{path: s.pkg.Path(), objs: map[pathFactKey]analysis.Fact{}, pkgs: s.pkgFacts}
	for k, f := range s.objs {
		if p, err := s.enc.For(k.obj); err == nil {
			own.objs[pathFactKey{p, k.t}] = f
		}
	}
	return own
}

// visibleFacts are the fact sets of every package e imports, directly or not, by path: those of
// main-module packages come from their result entries, those of dependency modules from their
// entries (checked with bodies when vet is on).
func visibleFacts(e *entry) map[string]*factSet {
	out := map[string]*factSet{}
	seen := map[*entry]bool{}
	var walk func(d *entry)
	walk = func(d *entry) {
		if seen[d] {
			return
		}
		seen[d] = true
		if fs, ok := d.facts.(*factSet); ok {
			out[fs.path] = fs
		}
		if !d.mainPkg && !d.bodies {
			return // the standard library's declarations: no facts, nor in what they import
		}
		for _, i := range d.reads() {
			walk(i)
		}
	}
	for _, d := range e.reads() {
		walk(d)
	}
	return out
}

// printFacts describes, for e's print (apiprint.go), the facts of an imported object.
func printFacts(e *entry) *factsView {
	facts := visibleFacts(e)
	// Facts are few and described objects many: each package's facts are resolved to its
	// objects once (objectpath.Object), rather than every described object encoded to a path.
	byPkg := map[*types.Package]map[types.Object][]string{}
	of := func(obj types.Object) string {
		pkg := obj.Pkg()
		if pkg == nil {
			return ""
		}
		objs, ok := byPkg[pkg]
		if !ok {
			objs = factObjects(facts[pkg.Path()], pkg)
			byPkg[pkg] = objs
		}
		out := objs[obj]
		if len(out) == 0 {
			return ""
		}
		return strings.Join(out, ";")
	}
	paths := make([]string, 0, len(facts))
	for path := range facts {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, path := range paths {
		fmt.Fprintf(h, "%q %s\n", path, facts[path].digest())
	}
	return &factsView{of: of, sum: hex.EncodeToString(h.Sum(nil))}
}

// digest hashes the facts of fs: equal digests, equal facts (each described as "%T%+v", as
// factObjects describes them for prints).
func (fs *factSet) digest() string {
	fs.once.Do(func() {
		var lines []string
		for k, f := range fs.objs {
			lines = append(lines, fmt.Sprintf("obj %q %T%+v", k.path, f, f))
		}
		for _, f := range fs.pkgs {
			lines = append(lines, fmt.Sprintf("pkg %T%+v", f, f))
		}
		sort.Strings(lines)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		fs.sum = hex.EncodeToString(sum[:])
	})
	return fs.sum
}

// factObjects are fs's object facts by object of pkg (the importer's view of fs.path), each
// object's described as sorted "%T%+v" strings.
func factObjects(fs *factSet, pkg *types.Package) map[types.Object][]string {
	if fs == nil {
		return nil
	}
	out := map[types.Object][]string{}
	for k, f := range fs.objs {
		if obj, err := objectpath.Object(pkg, k.path); err == nil {
			out[obj] = append(out[obj], fmt.Sprintf("%T%+v", f, f))
		}
	}
	for _, s := range out {
		sort.Strings(s)
	}
	return out
}

// storedFacts is a factSet as the result cache keeps it (gob, as unitchecker's .vetx files).
type storedFacts struct {
	Path string
	Objs []storedFact
	Pkgs []analysis.Fact
}

type storedFact struct {
	Path string // objectpath
	Fact analysis.Fact
}

var registerFacts sync.Once

// registerFactTypes tells gob every fact type of the suite's analyzers: depSuite holds each
// analyzer that produces facts, the suite's and those they require.
func registerFactTypes() {
	for _, a := range depSuite {
		for _, f := range a.FactTypes {
			func() {
				defer func() { _ = recover() }() // a name gob has for another type
				gob.Register(f)
			}()
		}
	}
}

// encodeFacts writes an entry's facts for the result cache (false: gob could not), once per
// fact set.
func (v *vetSession) encodeFacts(facts any) ([]byte, bool) {
	fs, isSet := facts.(*factSet)
	if !isSet {
		return nil, false
	}
	fs.encOnce.Do(func() { fs.enc = encodeFactSet(fs) })
	return fs.enc, fs.enc != nil
}

// encodeFactSet is fs in gob (nil: gob could not write it).
func encodeFactSet(fs *factSet) (data []byte) {
	registerFacts.Do(registerFactTypes)
	sf := storedFacts{Path: fs.path}
	for k, f := range fs.objs {
		sf.Objs = append(sf.Objs, storedFact{Path: string(k.path), Fact: f})
	}
	sort.Slice(sf.Objs, func(i, j int) bool {
		a, b := sf.Objs[i], sf.Objs[j]
		return a.Path < b.Path || a.Path == b.Path &&
			reflect.TypeOf(a.Fact).String() < reflect.TypeOf(b.Fact).String()
	})
	for _, f := range fs.pkgs {
		sf.Pkgs = append(sf.Pkgs, f)
	}
	sort.Slice(sf.Pkgs, func(i, j int) bool {
		return reflect.TypeOf(sf.Pkgs[i]).String() < reflect.TypeOf(sf.Pkgs[j]).String()
	})
	defer func() {
		if recover() != nil {
			data = nil
		}
	}()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&sf); err != nil {
		return nil
	}
	return buf.Bytes()
}

// decodeFacts reads what encodeFacts wrote (false: it cannot be read).
func (v *vetSession) decodeFacts(data []byte) (facts any, ok bool) {
	registerFacts.Do(registerFactTypes)
	defer func() {
		if recover() != nil {
			facts, ok = nil, false
		}
	}()
	var sf storedFacts
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&sf); err != nil {
		return nil, false
	}
	fs := &factSet{path: sf.Path, objs: map[pathFactKey]analysis.Fact{},
		pkgs: map[reflect.Type]analysis.Fact{}}
	for _, o := range sf.Objs {
		if o.Fact == nil {
			return nil, false
		}
		fs.objs[pathFactKey{objectpath.Path(o.Path), reflect.TypeOf(o.Fact)}] = o.Fact
	}
	for _, f := range sf.Pkgs {
		if f == nil {
			return nil, false
		}
		fs.pkgs[reflect.TypeOf(f)] = f
	}
	return fs, true
}
