//go:build crossvet_vet

// vet's analyzers inside the engine: the Go distribution's own analyzer set (vetSuite, written
// by vetprep/ from $GOROOT/src/cmd/vendor for that Go release) run on each
// type-checked main-module entry, as cmd/go and unitchecker run them for `go vet`: the same
// files, other files, ignored files, module and Go version; facts kept in memory and shared
// with importers by object path (vetfacts.go). A vetSession is one run's vet.

package main

import (
	"fmt"
	"go/ast"
	"go/build"
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
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
)

func init() {
	if err := analysis.Validate(vetSuite); err != nil {
		panic(fmt.Sprintf("vet's analyzers: %v", err))
	}
	vetSuite = withLint(vetSuite)
	newVetRun = newVetSession
	for _, a := range vetSuite {
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

// vetSession is one run's vet (vetRun): what the analyses of its entries share, until close.
type vetSession struct {
	cpuNS atomic.Int64 // worker time spent in the analyzers

	claimsMu sync.Mutex
	claims   map[string]*ignoredClaim // ignored files' findings, by path and contents

	headersMu sync.Mutex
	headerDir string         // copies of ignored files' headers (headerFiles), made on first use
	baseUses  map[string]int // copies made so far of each base name (writeHeader)
	subdirs   int            // directories made in headerDir: 0, 1, ...
}

func newVetSession() vetRun { return &vetSession{claims: map[string]*ignoredClaim{}} }

func (v *vetSession) cpu() time.Duration { return time.Duration(v.cpuNS.Load()) }

func (v *vetSession) factsOf(e *entry) *factsView { return printFacts(e) }

// close removes the copies of headers.
func (v *vetSession) close() {
	v.headersMu.Lock()
	defer v.headersMu.Unlock()
	if v.headerDir != "" {
		_ = os.RemoveAll(v.headerDir)
		v.headerDir = ""
	}
}

// analyze runs the suite on one entry like unitchecker.run does after type-checking: the
// analyzers whose findings go vet reports, or (a package only others import, a dependency)
// those that produce facts; e.facts gets the facts the entry leaves its importers.
func (v *vetSession) analyze(fset *token.FileSet, files []*ast.File, info *types.Info,
	e *entry) []Diag {
	t0 := time.Now()
	defer func() {
		took := time.Since(t0)
		e.vetTime += took
		v.cpuNS.Add(int64(took))
	}()
	in := e.vetIn
	if in == nil {
		in = &vetInput{}
	}
	suite, mine := vetSuite, in.ignored
	var claimed map[string]*ignoredClaim
	var others []*ignoredClaim
	if in.report {
		mine, claimed, others = v.claimIgnored(in)
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
	var alias map[string]string
	if in.report { // factSuite's and depSuite's analyzers do not read them: no copies to write
		mine, alias = v.headerFiles(mine, in)
	}
	facts := newFactStore(e)
	ps := &passes{fset: fset, files: files, info: info, e: e, in: in, ignored: mine,
		facts: facts, actions: map[*analysis.Analyzer]*vetAction{}}
	// With a faked `import "C"` the files that use C names are not well typed (see
	// wellTyped): the analyzers that assume well-typed code see only the other files.
	typed := ps
	if e.fakeC {
		if ok := wellTyped(files, info); len(ok) < len(files) {
			typed = &passes{fset: fset, files: ok, info: info, e: e, in: in, ignored: mine,
				facts: facts, actions: map[*analysis.Analyzer]*vetAction{}}
		}
	}
	var out []Diag
	for _, a := range suite {
		view := ps
		if !a.RunDespiteErrors && !readsNoTypes[a.Name] {
			view = typed
		}
		var act *vetAction
		if a.Name == "framepointer" || a.Name == "asmdecl" {
			act = vetAsTarget(in, func() *vetAction { return view.exec(a) })
		} else {
			act = view.exec(a)
		}
		if act.panicked != nil { // the engine's failure, not a finding in the user's code
			out = append(out, Diag{Message: act.panicked.Error(), Package: e.path,
				Kind: "internal", Analyzer: act.panicked.analyzer})
			continue
		}
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
			out = append(out, lintDiag(Diag{File: pos.Filename, Line: pos.Line, Col: pos.Column,
				Message: d.Message, Package: e.path, Kind: "vet", Analyzer: a.Name}, a))
		}
	}
	e.facts = facts.exported()
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

// passes runs analyzers on one package, each once, after those it requires (unitchecker's
// action graph), all reading and writing one fact store.
type passes struct {
	fset    *token.FileSet
	files   []*ast.File
	info    *types.Info
	e       *entry
	in      *vetInput
	ignored []string         // the ignored files to give the analyzers (headerFiles)
	newer   *newerPassFields // made with the first pass
	facts   *factStore
	actions map[*analysis.Analyzer]*vetAction // each analyzer's run, once started
}

// buildDefaultMu serializes the analyzers that read go/build's Default context: framepointer
// (GOOS and GOARCH: it checks amd64 and arm64 assembly on linux and darwin) and asmdecl (GOARCH,
// for an assembly file whose name does not say it). go vet runs them in a process with the
// target's environment; the engine checks every target in one process.
var buildDefaultMu sync.Mutex

// vetAsTarget runs an analyzer with build.Default's GOOS and GOARCH the entry's target's
// (in.goarch: the package has other files). It holds buildDefaultMu even for a package without
// (framepointer reads build.Default before it looks for assembly): every read of those fields
// is then ordered with every write, and none sees another target's.
func vetAsTarget(in *vetInput, run func() *vetAction) *vetAction {
	buildDefaultMu.Lock()
	defer buildDefaultMu.Unlock()
	if in.goarch != "" {
		goos, goarch := build.Default.GOOS, build.Default.GOARCH
		build.Default.GOOS, build.Default.GOARCH = in.goos, in.goarch
		defer func() { build.Default.GOOS, build.Default.GOARCH = goos, goarch }()
	}
	return run()
}

// vetAction is one analyzer's run on the package.
type vetAction struct {
	result   any                   // its result, for the analyzers that require it
	err      error                 // it failed, or one it requires did
	panicked *analyzerPanic        // it panicked, or one it requires did (err is set too)
	diags    []analysis.Diagnostic // its findings
}

// analyzerPanic is an analyzer's panic: a failure of the engine (of its analyzer on the input
// it was given), never a finding in the code analyzed.
type analyzerPanic struct {
	analyzer string
	value    any
}

func (p *analyzerPanic) Error() string {
	return fmt.Sprintf("vet's analyzer %s panicked: %v", p.analyzer, p.value)
}

// exec runs a (and what it requires) unless it ran.
func (ps *passes) exec(a *analysis.Analyzer) *vetAction {
	act := ps.actions[a]
	if act != nil {
		return act
	}
	act = &vetAction{}
	ps.actions[a] = act
	inputs := map[*analysis.Analyzer]any{}
	var failed []string
	for _, req := range a.Requires {
		r := ps.exec(req)
		if r.panicked != nil && act.panicked == nil {
			act.panicked = r.panicked
		}
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
	factTypes := map[reflect.Type]bool{}
	for _, f := range a.FactTypes {
		factTypes[reflect.TypeOf(f)] = true
	}
	fs := ps.facts
	pass := &analysis.Pass{
		Analyzer:          a,
		Fset:              ps.fset,
		Files:             ps.files,
		OtherFiles:        ps.in.other,
		IgnoredFiles:      ps.ignored,
		Pkg:               ps.e.pkg,
		TypesInfo:         ps.info,
		TypesSizes:        ps.e.sizes,
		ResultOf:          inputs,
		Report:            func(d analysis.Diagnostic) { act.diags = append(act.diags, d) },
		ImportObjectFact:  fs.importObjectFact,
		ExportObjectFact:  func(obj types.Object, f analysis.Fact) { fs.exportObjectFact(a, obj, f) },
		ImportPackageFact: fs.importPackageFact,
		ExportPackageFact: fs.exportPackageFact,
		AllObjectFacts:    func() []analysis.ObjectFact { return fs.allObjectFacts(factTypes) },
		AllPackageFacts:   func() []analysis.PackageFact { return fs.allPackageFacts(factTypes) },
	}
	if ps.newer == nil {
		ps.newer = newNewerPassFields(ps.fset, ps.files, ps.in)
	}
	ps.newer.set(pass)
	act.result, act.err = runAnalyzer(a, pass)
	if p, ok := act.err.(*analyzerPanic); ok {
		act.panicked = p
	}
	return act
}

// An ignored file's findings depend on nothing but the file: only buildtag and directive read
// such files, each on its own, and report in them. x/sys/unix ignores hundreds of large files
// per target, which both analyzers parse: so each (path, contents) is analyzed once per run, by
// the first entry that lists it, and its findings serve every other entry listing it.
type ignoredClaim struct {
	done  chan struct{} // closed once the claiming entry analyzed the file
	diags []Diag        // the findings in the file, then
}

// headerFiles are the ignored files to give the analyzers, for those .go files whose header is
// all they can report in, with only the header to read (the positions in it are the file's
// own): a copy of the header under the same base name, mapped back to the file by alias.
// Other files as they are. buildtag and directive parse an ignored .go file by its name (not
// through Pass.ReadFile, which serves only their other files): x/sys/unix ignores hundreds of
// large generated files per target, and each would be parsed whole by both.
func (v *vetSession) headerFiles(files []string, in *vetInput) (out []string,
	alias map[string]string) {
	alias = map[string]string{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".go") {
			out = append(out, f)
			continue
		}
		if data, ok, err := in.contents(f); ok && err == nil {
			if head, ok := headerOnly(data); ok {
				if dst, err := v.writeHeader(f, head); err == nil {
					alias[dst] = f
					f = dst
				}
			}
		}
		out = append(out, f)
	}
	return out, alias
}

// passReadsFiles: this release's analysis.Pass has ReadFile (newerPassFields).
var passReadsFiles = func() bool {
	_, ok := reflect.TypeOf(analysis.Pass{}).FieldByName("ReadFile")
	return ok
}()

// writeHeader writes head, f's header, to a copy with f's base name: in headerDir/N, where N
// is how many copies of that base name were made before (a directory holds one of each).
func (v *vetSession) writeHeader(f string, head []byte) (string, error) {
	base := filepath.Base(f)
	v.headersMu.Lock()
	if v.headerDir == "" {
		dir, err := os.MkdirTemp("", "crossvet-engine-headers-")
		if err != nil {
			v.headersMu.Unlock()
			return "", err
		}
		v.headerDir, v.baseUses = dir, map[string]int{}
	}
	n := v.baseUses[base]
	dir := filepath.Join(v.headerDir, strconv.Itoa(n))
	if n == v.subdirs {
		if err := os.Mkdir(dir, 0o700); err != nil {
			v.headersMu.Unlock()
			return "", err
		}
		v.subdirs++
	}
	v.baseUses[base] = n + 1
	v.headersMu.Unlock()
	dst := filepath.Join(dir, base)
	return dst, os.WriteFile(dst, head, 0o600)
}

// claimIgnored splits in.ignored into the files this entry analyzes (its claims, in order)
// and the claims of other entries whose findings it takes.
func (v *vetSession) claimIgnored(in *vetInput) (mine []string,
	claimed map[string]*ignoredClaim, others []*ignoredClaim) {
	claimed = map[string]*ignoredClaim{}
	v.claimsMu.Lock()
	defer v.claimsMu.Unlock()
	for _, f := range in.ignored {
		k := fmt.Sprintf("%s\x00%x", f, in.hashes[f])
		if c := v.claims[k]; c != nil {
			others = append(others, c)
			continue
		}
		c := &ignoredClaim{done: make(chan struct{})}
		v.claims[k] = c
		claimed[f] = c
		mine = append(mine, f)
	}
	return mine, claimed, others
}

// runAnalyzer runs one pass; a panicking analyzer is an error of that analyzer (an
// *analyzerPanic), not the run's.
func runAnalyzer(a *analysis.Analyzer, pass *analysis.Pass) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			result, err = nil, &analyzerPanic{analyzer: a.Name, value: p}
		}
	}()
	return a.Run(pass)
}

// readsNoTypes are the analyzers of vet's suite that read files' text and comments only, never
// their types: ill-typed files are no harm to them (wellTyped).
var readsNoTypes = map[string]bool{"buildtag": true, "directive": true}

// wellTyped are the files that use no name of a faked package C, nor anything whose type
// is made of one. go/types' FakeImportC gives every `C.name` an invalid operand and records no
// object or type for it, without an error (golang/go#76765), and what is declared from one
// (`type cint = C.int`, a function returning `*cint`) has an invalid type wherever it is used:
// such a file is ill-typed though the check succeeds. Analyzers that do not set
// RunDespiteErrors may assume well-typed code (x/tools' drivers do not run them on a package
// with type errors), and some crash on it (printf's method sets, through refactor/satisfy):
// they are given only the well-typed files.
func wellTyped(files []*ast.File, info *types.Info) []*ast.File {
	invalid := map[types.Type]bool{} // of the types seen: made of an invalid type
	var out []*ast.File
	for _, f := range files {
		ill := false
		ast.Inspect(f, func(n ast.Node) bool {
			if ill {
				return false
			}
			switch n := n.(type) {
			case *ast.Ident:
				obj := info.Uses[n]
				if obj == nil {
					obj = info.Defs[n]
				}
				if pn, ok := obj.(*types.PkgName); ok {
					ill = pn.Imported().Path() == "C"
				} else if obj != nil {
					ill = hasInvalid(obj.Type(), invalid)
				}
			case ast.Expr:
				if tv, ok := info.Types[n]; ok {
					ill = hasInvalid(tv.Type, invalid)
				}
			}
			return !ill
		})
		if !ill {
			out = append(out, f)
		}
	}
	return out
}

// hasInvalid: t is invalid or made of an invalid type (its elements, fields, parameters and
// results, a named type's underlying type); memo holds the answers so far.
func hasInvalid(t types.Type, memo map[types.Type]bool) bool {
	if t == nil {
		return false
	}
	if v, ok := memo[t]; ok {
		return v
	}
	memo[t] = false // a named type that refers to itself is not invalid by that
	var v bool
	switch t := t.(type) {
	case *types.Basic:
		v = t.Kind() == types.Invalid
	case *types.Pointer:
		v = hasInvalid(t.Elem(), memo)
	case *types.Slice:
		v = hasInvalid(t.Elem(), memo)
	case *types.Array:
		v = hasInvalid(t.Elem(), memo)
	case *types.Chan:
		v = hasInvalid(t.Elem(), memo)
	case *types.Map:
		v = hasInvalid(t.Key(), memo) || hasInvalid(t.Elem(), memo)
	case *types.Tuple:
		for i := 0; i < t.Len() && !v; i++ {
			v = hasInvalid(t.At(i).Type(), memo)
		}
	case *types.Signature:
		v = hasInvalid(t.Params(), memo) || hasInvalid(t.Results(), memo)
	case *types.Struct:
		for i := 0; i < t.NumFields() && !v; i++ {
			v = hasInvalid(t.Field(i).Type(), memo)
		}
	case *types.Named:
		v = hasInvalid(t.Underlying(), memo)
	case *types.Alias:
		v = hasInvalid(types.Unalias(t), memo)
	}
	memo[t] = v
	return v
}

// newerPassFields are the Pass fields that only newer x/tools releases have (ReadFile,
// Module), made once for a package's passes and set on each by name, so one driver builds
// against every Go release's vendored copy.
type newerPassFields struct {
	readFile reflect.Value // nil: this release's Pass has no ReadFile
	module   reflect.Value // nil: no Module field, or no module
}

func newNewerPassFields(fset *token.FileSet, files []*ast.File, in *vetInput) *newerPassFields {
	nf := &newerPassFields{}
	if passReadsFiles {
		allowed := make(map[string]bool, len(in.other)+len(in.ignored)+len(files))
		for _, name := range in.other {
			allowed[name] = true
		}
		for _, name := range in.ignored {
			allowed[name] = true
		}
		for _, file := range files {
			allowed[fset.File(file.FileStart).Name()] = true
		}
		read := func(name string) ([]byte, error) {
			if !allowed[name] {
				return nil, fmt.Errorf("Pass.ReadFile: %s is not among OtherFiles, "+
					"IgnoredFiles, or names of Files", name)
			}
			if data, ok, err := in.contents(name); ok {
				return data, err
			}
			return os.ReadFile(name)
		}
		nf.readFile = reflect.ValueOf(read)
	}
	if f, ok := reflect.TypeOf(analysis.Pass{}).FieldByName("Module"); ok && in.modPath != "" {
		m := reflect.New(f.Type.Elem())
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
		nf.module = m
	}
	return nf
}

// set fills pass's newer fields (analyzers only read them: one value serves every pass).
func (nf *newerPassFields) set(pass *analysis.Pass) {
	v := reflect.ValueOf(pass).Elem()
	if nf.readFile.IsValid() {
		v.FieldByName("ReadFile").Set(nf.readFile)
	}
	if nf.module.IsValid() {
		v.FieldByName("Module").Set(nf.module)
	}
}
