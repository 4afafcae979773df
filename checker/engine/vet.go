//go:build crossvet_vet

// vet's analyzers inside the engine: the Go distribution's own analyzer set (vetSuite, written
// by vetprep/ from $GOROOT/src/cmd/vendor for that Go release) run on each
// type-checked main-module entry, as cmd/go and unitchecker run them for `go vet`: the same
// files, other files, ignored files, module and Go version; facts kept in memory and shared
// with importers by object path (unitchecker serializes them to .vetx files the same way: an
// importer sees a main-module package through its declarations-only entry, or through another
// target whose result it shares, so not through the very same types.Objects).

package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

func init() {
	if err := analysis.Validate(vetSuite); err != nil {
		panic(fmt.Sprintf("vet's analyzers: %v", err))
	}
	vetRunner = runVet
	vetFactPrinter = printFacts
	vetCleanup = removeHeaders
	for _, a := range vetSuite {
		vetAnalyzerNames = append(vetAnalyzerNames, a.Name)
		if usesFacts(a) {
			factSuite = append(factSuite, a)
		}
		addProducers(a)
	}
}

// factSuite are the analyzers run on a main-module package whose findings go vet does not
// report (p when its test variant p [p.test] is vetted, a test variant of a dependency): those
// that produce facts or depend on one that does, as unitchecker's VetxOnly mode runs them.
var factSuite []*analysis.Analyzer

// depSuite are the analyzers run on a dependency (outside the main module) for its facts: those
// that produce facts (with what they require). Their facts are what go vet's VetxOnly run of the
// dependency writes; the analyzers that only consume them (lostcancel) report nothing there.
var depSuite []*analysis.Analyzer

// addProducers adds to depSuite a and the analyzers it requires, directly or not, that produce
// facts (ctrlflow is in the suite only as lostcancel's requirement).
func addProducers(a *analysis.Analyzer) {
	for _, r := range a.Requires {
		addProducers(r)
	}
	if len(a.FactTypes) > 0 && !slices.Contains(depSuite, a) {
		depSuite = append(depSuite, a)
	}
}

func usesFacts(a *analysis.Analyzer) bool {
	if len(a.FactTypes) > 0 {
		return true
	}
	for _, r := range a.Requires {
		if usesFacts(r) {
			return true
		}
	}
	return false
}

type objFactKey struct {
	obj types.Object
	t   reflect.Type
}

// pathFactKey names an object's fact by the object's path in its package (objectpath), as
// unitchecker's .vetx files do: a package's facts serve importers that see it through another
// types.Package (its declarations-only entry, or another target whose result is shared).
type pathFactKey struct {
	path objectpath.Path
	t    reflect.Type
}

// factSet is one package's facts, as its importers see them.
type factSet struct {
	path string
	objs map[pathFactKey]analysis.Fact
	pkgs map[reflect.Type]analysis.Fact
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
		for _, i := range d.deps() {
			walk(i)
		}
	}
	for _, d := range e.deps() {
		walk(d)
	}
	return out
}

// importedPackages are the packages pkg imports, directly or not, by path.
func importedPackages(pkg *types.Package) map[string]*types.Package {
	out := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		for _, i := range p.Imports() {
			if out[i.Path()] == nil {
				out[i.Path()] = i
				walk(i)
			}
		}
	}
	walk(pkg)
	return out
}

// printFacts describes, for e's print (apiprint.go), the facts of an imported object.
func printFacts(e *entry) factsOf {
	facts := visibleFacts(e)
	// Facts are few and described objects many: each package's facts are resolved to its
	// objects once (objectpath.Object), rather than every described object encoded to a path.
	byPkg := map[*types.Package]map[types.Object][]string{}
	return func(obj types.Object) string {
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

type vetAction struct {
	done   bool
	result any
	err    error
	diags  []analysis.Diagnostic
}

// runVet runs the suite on one entry like unitchecker.run does after type-checking.
func runVet(fset *token.FileSet, files []*ast.File, info *types.Info, e *entry) []Diag {
	t0 := time.Now()
	defer func() {
		took := time.Since(t0)
		e.vetTime += took
		vetNS.Add(int64(took))
	}()
	ownObjs := map[objFactKey]analysis.Fact{}
	ownPkgs := map[reflect.Type]analysis.Fact{}
	facts := visibleFacts(e)
	pkgs := importedPackages(e.pkg)
	enc := &objectpath.Encoder{}
	in := e.vetIn
	if in == nil {
		in = &vetInput{}
	}
	suite, mine := vetSuite, in.ignored
	var claimed map[string]*ignoredClaim
	var others []*ignoredClaim
	if in.report {
		mine, claimed, others = claimIgnored(in)
	} else if e.bodies {
		suite, mine = depSuite, nil
	} else {
		suite = factSuite // its analyzers read no ignored file: nothing to claim
	}
	defer func() { // findings in the files this entry analyzed serve the others (even on a panic)
		for _, c := range claimed {
			close(c.done)
		}
	}()
	mine, alias := headerFiles(mine, in.data)
	actions := map[*analysis.Analyzer]*vetAction{}
	var exec func(a *analysis.Analyzer) *vetAction
	exec = func(a *analysis.Analyzer) *vetAction {
		act := actions[a]
		if act != nil {
			return act
		}
		act = &vetAction{}
		actions[a] = act
		inputs := map[*analysis.Analyzer]any{}
		var failed []string
		for _, req := range a.Requires {
			r := exec(req)
			if r.err != nil {
				failed = append(failed, req.String())
				continue
			}
			inputs[req] = r.result
		}
		if failed != nil {
			sort.Strings(failed)
			act.err = fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
			return act
		}
		filter := map[reflect.Type]bool{}
		for _, f := range a.FactTypes {
			filter[reflect.TypeOf(f)] = true
		}
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         fset,
			Files:        files,
			OtherFiles:   in.other,
			IgnoredFiles: mine,
			Pkg:          e.pkg,
			TypesInfo:    info,
			TypesSizes:   e.sizes,
			ResultOf:     inputs,
			Report:       func(d analysis.Diagnostic) { act.diags = append(act.diags, d) },
			ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
				if obj == nil {
					panic("nil object given to ImportObjectFact")
				}
				var v analysis.Fact
				ok := false
				switch pkg := obj.Pkg(); {
				case pkg == nil: // the universe's: no facts
				case pkg == e.pkg:
					v, ok = ownObjs[objFactKey{obj, reflect.TypeOf(ptr)}]
				case facts[pkg.Path()] != nil:
					if p, err := enc.For(obj); err == nil {
						v, ok = facts[pkg.Path()].objs[pathFactKey{p, reflect.TypeOf(ptr)}]
					}
				}
				if ok {
					reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				}
				return ok
			},
			ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
				if obj.Pkg() != e.pkg {
					panic(fmt.Sprintf("internal error: in analysis %s of package %s: "+
						"Fact.Set(%s, %T): can't set facts on objects belonging another package",
						a, e.pkg, obj, fact))
				}
				ownObjs[objFactKey{obj, reflect.TypeOf(fact)}] = fact
			},
			ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
				var v analysis.Fact
				ok := false
				if pkg == e.pkg {
					v, ok = ownPkgs[reflect.TypeOf(ptr)]
				} else if fs := facts[pkg.Path()]; fs != nil {
					v, ok = fs.pkgs[reflect.TypeOf(ptr)]
				}
				if ok {
					reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(v).Elem())
				}
				return ok
			},
			ExportPackageFact: func(fact analysis.Fact) {
				ownPkgs[reflect.TypeOf(fact)] = fact
			},
			AllObjectFacts: func() []analysis.ObjectFact {
				var out []analysis.ObjectFact
				for k, f := range ownObjs {
					if filter[k.t] {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				for _, fs := range facts {
					pkg := pkgs[fs.path]
					if pkg == nil {
						continue
					}
					for k, f := range fs.objs {
						if !filter[k.t] {
							continue
						}
						if obj, err := objectpath.Object(pkg, k.path); err == nil {
							out = append(out, analysis.ObjectFact{Object: obj, Fact: f})
						}
					}
				}
				return out
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var out []analysis.PackageFact
				for t, f := range ownPkgs {
					if filter[t] {
						out = append(out, analysis.PackageFact{Package: e.pkg, Fact: f})
					}
				}
				for _, fs := range facts {
					for t, f := range fs.pkgs {
						if pkg := pkgs[fs.path]; pkg != nil && filter[t] {
							out = append(out, analysis.PackageFact{Package: pkg, Fact: f})
						}
					}
				}
				return out
			},
		}
		setNewerPassFields(pass, in)
		act.result, act.err = runAnalyzer(a, pass)
		return act
	}
	var out []Diag
	for _, a := range suite {
		if in.goroot && a.Name == "unsafeptr" { // as cmd/go vets $GOROOT: -unsafeptr=false
			continue
		}
		act := exec(a)
		if act.err != nil {
			out = append(out, Diag{Message: act.err.Error(), Package: e.path, Kind: "vet",
				Analyzer: a.Name})
			continue
		}
		for _, d := range act.diags {
			pos := fset.Position(d.Pos)
			if f, ok := alias[pos.Filename]; ok {
				pos.Filename = f
			}
			out = append(out, Diag{File: pos.Filename, Line: pos.Line, Col: pos.Column,
				Message: d.Message, Package: e.path, Kind: "vet", Analyzer: a.Name})
		}
	}
	own := &factSet{path: e.pkg.Path(), objs: map[pathFactKey]analysis.Fact{}, pkgs: ownPkgs}
	for k, f := range ownObjs {
		if p, err := enc.For(k.obj); err == nil {
			own.objs[pathFactKey{p, k.t}] = f
		}
	}
	e.facts = own
	for _, d := range out {
		if c := claimed[d.File]; c != nil {
			c.diags = append(c.diags, d)
		}
	}
	for _, c := range others {
		<-c.done // claimed by an entry that is running now and closes its claims before waiting
		for _, d := range c.diags {
			d.Package = e.path
			out = append(out, d)
		}
	}
	return out
}

// An ignored file's findings depend on nothing but the file: only buildtag and directive read
// such files, each on its own, and report in them. x/sys/unix ignores hundreds of large files
// per target, which both analyzers parse: so each (path, contents) is analyzed once per run, by
// the first entry that lists it, and its findings serve every other entry listing it.
type ignoredClaim struct {
	done  chan struct{}
	diags []Diag
}

var ignoredMemo = struct {
	sync.Mutex
	m map[string]*ignoredClaim
}{m: map[string]*ignoredClaim{}}

// headerDir holds copies of ignored files' headers (vetheader.go) for one run; vetCleanup
// removes it.
var headerDir struct {
	sync.Mutex
	path string
	n    int
}

// headerFiles are the ignored files to give the analyzers: for a .go file whose header is all
// they can report in, a copy of the header under the same base name (the positions in it are
// the file's own), mapped back to the file by alias; other files as they are.
func headerFiles(files []string, data map[string][]byte) (out []string, alias map[string]string) {
	alias = map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, ".go") && data[f] != nil {
			if head, ok := headerOnly(data[f]); ok {
				if dst, err := writeHeader(f, head); err == nil {
					alias[dst] = f
					f = dst
				}
			}
		}
		out = append(out, f)
	}
	return out, alias
}

func writeHeader(f string, head []byte) (string, error) {
	headerDir.Lock()
	if headerDir.path == "" {
		dir, err := os.MkdirTemp("", "crossvet-engine-headers-")
		if err != nil {
			headerDir.Unlock()
			return "", err
		}
		headerDir.path = dir
	}
	headerDir.n++
	dir := filepath.Join(headerDir.path, strconv.Itoa(headerDir.n))
	headerDir.Unlock()
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, filepath.Base(f))
	return dst, os.WriteFile(dst, head, 0o600)
}

func removeHeaders() {
	headerDir.Lock()
	defer headerDir.Unlock()
	if headerDir.path != "" {
		_ = os.RemoveAll(headerDir.path)
		headerDir.path = ""
	}
}

// claimIgnored splits in.ignored into the files this entry analyzes (its claims, in order)
// and the claims of other entries whose findings it takes.
func claimIgnored(in *vetInput) (mine []string, claimed map[string]*ignoredClaim,
	others []*ignoredClaim) {
	claimed = map[string]*ignoredClaim{}
	ignoredMemo.Lock()
	defer ignoredMemo.Unlock()
	for _, f := range in.ignored {
		k := fmt.Sprintf("%s\x00%x", f, in.hashes[f])
		if c := ignoredMemo.m[k]; c != nil {
			others = append(others, c)
			continue
		}
		c := &ignoredClaim{done: make(chan struct{})}
		ignoredMemo.m[k] = c
		claimed[f] = c
		mine = append(mine, f)
	}
	return mine, claimed, others
}

// runAnalyzer runs one pass; a panicking analyzer is an error of that analyzer, not the run's.
func runAnalyzer(a *analysis.Analyzer, pass *analysis.Pass) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("analyzer %s panicked: %v", a.Name, p)
		}
	}()
	return a.Run(pass)
}

// setNewerPassFields fills the Pass fields that only newer x/tools releases have (ReadFile,
// Module), by name, so one driver builds against every Go release's vendored copy.
func setNewerPassFields(pass *analysis.Pass, in *vetInput) {
	v := reflect.ValueOf(pass).Elem()
	if f := v.FieldByName("ReadFile"); f.IsValid() {
		allowed := map[string]bool{}
		for _, name := range append(append([]string{}, in.other...), in.ignored...) {
			allowed[name] = true
		}
		for _, file := range pass.Files {
			allowed[pass.Fset.File(file.FileStart).Name()] = true
		}
		read := func(name string) ([]byte, error) {
			if !allowed[name] {
				return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, "+
					"IgnoredFiles, or names of Files", name)
			}
			if data, ok := in.data[name]; ok {
				return data, nil
			}
			return os.ReadFile(name)
		}
		f.Set(reflect.ValueOf(read))
	}
	if f := v.FieldByName("Module"); f.IsValid() && in.modPath != "" {
		m := reflect.New(f.Type().Elem())
		set := func(name string, val any) {
			if g := m.Elem().FieldByName(name); g.IsValid() {
				g.Set(reflect.ValueOf(val))
			}
		}
		set("Path", in.modPath)
		set("Main", true)
		set("Dir", in.modDir)
		set("GoMod", in.modGoMod)
		set("GoVersion", in.modGoVers)
		f.Set(m)
	}
}
