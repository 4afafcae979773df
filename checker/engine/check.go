// Type-checking one entry: go/types over its parsed files, and turning go/types errors into
// the findings cmd/compile would print.

package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"crossvet.local/engine/narrow"
)

// importer gives go/types an entry's imports: the checked entries, and for the imports a
// declarations-only entry does not read, empty packages (declrefs.go).
type importer struct {
	imports map[string]*entry
	unread  map[string]string
}

func (im importer) Import(path string) (*types.Package, error) {
	if name, ok := im.unread[path]; ok {
		return stubPackage(path, name), nil
	}
	e, ok := im.imports[path]
	if !ok || e.pkg == nil {
		return nil, fmt.Errorf("package %s is not available", path)
	}
	return e.pkg, nil
}

// packageClosure is roots and the packages they import, directly or not, by path.
func packageClosure(roots []*types.Package) map[string]*types.Package {
	out := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if out[p.Path()] != nil {
			return
		}
		out[p.Path()] = p
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	for _, p := range roots {
		walk(p)
	}
	return out
}

var versionErrorRx = regexp.MustCompile(`requires go[0-9]+\.[0-9]+ or later`)

// check type-checks one entry whose imports are all done, then runs the narrowing rule and
// vet (nil: not asked for) on it. A result entry first looks among the checked ones with its
// own key (byUse; nil: no sharing) for one whose print it has: then it reuses their result.
func (e *entry) check(fc *fileCache, nc narrow.Config, byUse *sharingByUse, vet vetRun) {
	defer func() { e.vetIn = nil }() // only needed while checking
	for _, dep := range e.after {
		if dep.broken {
			e.broken = true // the compiler never gets here: a dependency failed to build
			return
		}
	}
	if e.full && e.deriveFromTest() { // its test variant found what it would (derive.go)
		byUse.skip(e)
		return
	}
	if e.takeTypes() { // its result checked them (derive.go)
		if byUse != nil {
			byUse.sums.add(e.pkg) // released with it (runState.release)
		}
		return
	}
	sameDep, depDone := byUse.depShare(fc, e, vet) // a dependency's analysis (depshare.go)
	defer depDone()
	// last: no entry of its own key is left to compare with it (once every target is listed,
	// its group knows how many there are): what it observed need not be recorded.
	last := false
	if e.full && byUse != nil {
		g := byUse.group(e.own)
		g.Lock()
		defer g.Unlock()
		c, prints := byUse.match(fc, e, g)
		if c != nil {
			e.diags, e.broken, e.facts, e.reused = c.diags, c.broken, c.facts, true
			e.testsApart = c.testsApart // the same files, checked alike
			return
		}
		last = g.members > 0 && g.compared >= g.members
		defer byUse.record(fc, e, g, prints)
	}
	var files []*ast.File
	var paths []string // of files
	var syntaxErrs []Diag
	for _, path := range e.files {
		f, errs, err := fc.parse(path, e.parseMode())
		if err != nil {
			syntaxErrs = append(syntaxErrs, Diag{File: path, Message: err.Error(), Kind: "syntax",
				Package: e.path})
			continue
		}
		for _, se := range errs {
			syntaxErrs = append(syntaxErrs, Diag{File: se.Pos.Filename, Line: se.Pos.Line,
				Col: se.Pos.Column, Message: se.Msg, Kind: "syntax", Package: e.path})
		}
		if f != nil {
			files, paths = append(files, f), append(paths, path)
		}
	}
	if len(syntaxErrs) > 0 && e.full {
		// The compiler stops after syntax errors; so do we.
		e.diags, e.broken = syntaxErrs, true
		return
	}
	var info *types.Info
	var typeErrs []types.Error
	depErr := false
	goVersion := e.lang
	if e.version != "" {
		goVersion = e.version
	}
	declOnly := !e.full && (!e.bodies || sameDep != nil)
	conf := types.Config{
		GoVersion:        goVersion,
		Sizes:            e.sizes,
		FakeImportC:      e.fakeC,
		IgnoreFuncBodies: declOnly,
		Importer:         importer{e.imports, e.unread},
		Error: func(err error) {
			depErr = true
			if te, ok := err.(types.Error); ok && (e.full || e.bodies) {
				typeErrs = append(typeErrs, te)
			}
		},
	}
	if !declOnly {
		info = &types.Info{FileVersions: map[*ast.File]string{}} // compilerErrors' notes
	}
	if e.full || e.bodies && vet != nil && !declOnly { // what narrowing and vet read
		hint := sizeHint(e)
		defer storeSize(e, info)
		info.Types = make(map[ast.Expr]types.TypeAndValue, hint.types)
		info.Uses = make(map[*ast.Ident]types.Object, hint.uses)
		if e.vet || e.bodies {
			info.Defs = make(map[*ast.Ident]types.Object, hint.defs)
			info.Implicits = make(map[ast.Node]types.Object, hint.implicits)
			info.Instances = make(map[*ast.Ident]types.Instance, hint.instances)
			info.Scopes = make(map[ast.Node]*types.Scope, hint.scopes)
			info.Selections = make(map[*ast.SelectorExpr]*types.Selection, hint.selections)
		}
	}
	if declOnly {
		files = fc.pruned(paths, files)
	}
	if e.thin { // no_dep_bodies: as before dependency bodies were checked
		files = thinned(files)
	}
	e.pkg, _ = conf.Check(e.path, fc.fset, files, info)
	e.declErr = depErr && !e.full && !e.bodies
	if len(e.unread) > 0 { // the stubs are not its imports: it does not read them
		var read []*types.Package
		for _, p := range e.pkg.Imports() {
			if _, ok := e.unread[p.Path()]; !ok {
				read = append(read, p)
			}
		}
		e.pkg.SetImports(read)
	}
	if byUse != nil && !e.full {
		byUse.sums.add(e.pkg) // released with it (runState.release)
	}
	if e.bodies {
		// A dependency's errors are reported as its own (deps.go), as go build reports them:
		// the syntax errors of its files, else its type errors.
		if !e.cached && !e.thin { // else known, and maybe being read: the same findings
			e.diags = syntaxErrs
			if len(syntaxErrs) == 0 && sameDep == nil {
				e.diags = compilerErrors(fc.fset, typeErrs, files, info, e)
			}
		}
		if sameDep != nil { // no error, and sameDep's facts
			e.facts = sameDep.facts
			return
		}
		// go vet computes a dependency's facts only when it type-checks (unitchecker stops
		// at the first error); no vet finding is reported in a dependency.
		if !depErr && len(syntaxErrs) == 0 && vet != nil {
			vet.analyze(fc.fset, depFiles(files), info, e)
			if byUse != nil { // what it observed, for the entries with its own key after it
				obs := observedOf(e.pkg, info, files, fc.fset, true, e.fakeC)
				e.obs, e.obsKey, e.reusable = &obs, obs.key(), true
			}
		}
		return
	}
	if !e.full {
		return
	}
	e.diags = compilerErrors(fc.fset, typeErrs, files, info, e)
	e.broken = len(e.diags) > 0
	e.testsApart = !depErr && nonTestAlone(e.pkg, files, paths, info)
	if nc.On && e.word == 4 { // checked even with type errors: go/types still typed the rest
		e.diags = append(e.diags, narrowings(fc.fset, files, info, e, nc)...)
	}
	if e.vet && !e.broken && vet != nil {
		e.vetIn.open(fc)
		found := vet.analyze(fc.fset, files, info, e)
		if err := e.vetIn.readErr(); err != nil { // a file changed since keyed: nothing found holds
			e.diags, e.broken = append(e.diags, Diag{Message: err.Error(), Kind: "list",
				Package: e.path}), true
		} else {
			e.diags = append(e.diags, found...)
		}
	}
	if !depErr && len(syntaxErrs) == 0 && e.typesFor.Load() != nil {
		e.typesPkg = e.pkg // for its types entry (derive.go)
	}
	if byUse != nil && !last && !depErr && len(syntaxErrs) == 0 {
		obs := observedOf(e.pkg, info, files, fc.fset, e.vet,
			e.fakeC || e.vetIn != nil && len(e.vetIn.other) > 0)
		e.obs, e.obsKey, e.reusable = &obs, obs.key(), true
	}
}

// infoSize is how large a package's types.Info maps grew when it was last checked: the next
// check of the package (for another target) makes them that large at once, since growing a map
// rehashes it (with every port on x/tools, 7 % of the engine's CPU went to map growth, half of
// it in recordTypeAndValue).
type infoSize struct{ types, uses, defs, implicits, instances, scopes, selections int }

// infoSizes are the last sizes by package path and mode (full or bodies), for the process.
var infoSizes sync.Map // infoSizeKey -> infoSize

type infoSizeKey struct {
	path string
	full bool
}

func sizeHint(e *entry) infoSize {
	if v, ok := infoSizes.Load(infoSizeKey{e.path, e.full}); ok {
		return v.(infoSize)
	}
	return infoSize{}
}

func storeSize(e *entry, info *types.Info) {
	infoSizes.Store(infoSizeKey{e.path, e.full}, infoSize{types: len(info.Types),
		uses: len(info.Uses), defs: len(info.Defs), implicits: len(info.Implicits),
		instances: len(info.Instances), scopes: len(info.Scopes),
		selections: len(info.Selections)})
}

// printOf is a checked entry's own print, computed the first time an entry with its own key
// compares with it (under their group's lock): most packages' own keys are on one target only.
func (e *entry) printOf(fc *fileCache, byUse *sharingByUse, g *ownKeyGroup) string {
	if e.print == "" {
		e.print = apiPrint(fc.fset, &byUse.sums, e.imports, *e.obs, byUse.factsOf(e),
			g.partsOf(e.obsKey))
	}
	return e.print
}

// match is the entry checked before e with its own key (group g, locked) whose print e has,
// else nil and e's prints of the distinct observed sets it compared: most candidates used the
// same objects (the same files), and describing them is most of the comparing.
func (s *sharingByUse) match(fc *fileCache, e *entry, g *ownKeyGroup) (*entry,
	map[string]string) {
	g.compared++
	facts := s.factsOf(e)
	prints := map[string]string{}
	for _, c := range g.checked {
		p, ok := prints[c.obsKey]
		if !ok {
			p = apiPrint(fc.fset, &s.sums, e.imports, *c.obs, facts, g.partsOf(c.obsKey))
			prints[c.obsKey] = p
		}
		if p == c.printOf(fc, s, g) {
			g.release()
			return c, nil
		}
	}
	return nil, prints
}

// record adds checked entry e to its group g (locked) for those after it to compare with, if
// it can be reused, with its print if match described it already (comparing with a candidate
// that used as much), or now, while its imports' types are sure to be there, if another will
// compare.
func (s *sharingByUse) record(fc *fileCache, e *entry, g *ownKeyGroup, prints map[string]string) {
	defer g.release()
	if !e.reusable {
		return
	}
	g.checked = append(g.checked, e)
	if p, ok := prints[e.obsKey]; ok {
		e.print = p
	} else if g.members > 1 && g.compared < g.members { // another will compare
		e.printOf(fc, s, g)
	}
}

// sharingByUse groups the result entries checked in a run by own key.
type sharingByUse struct {
	mu     sync.Mutex
	groups map[string]*ownKeyGroup
	sums   summaries // named types' descriptions, for every print of the run
	vet    vetRun    // describes vet's facts in prints (nil without vet)

	depsShared atomic.Int64 // dependency entries that had another's result (depshare.go)
}

// ownKeyGroup are the checked result entries of one own key; checking one holds the lock, so
// the next with that key sees its print.
type ownKeyGroup struct {
	sync.Mutex
	checked []*entry
	members int // result entries with this own key to check, once every target is listed (0: not yet)
	// The parts of the prints its entries' observed sets were described with, by observed
	// set (entry.obsKey; printparts.go), until every member has compared (match).
	parts    map[string]*partCache
	compared int
}

// release lets the parts go once every member has compared and recorded (g locked).
func (g *ownKeyGroup) release() {
	if g.members > 0 && g.compared >= g.members {
		g.parts = nil
	}
}

// partsOf are the parts kept for the prints of observed set obsKey (g locked).
func (g *ownKeyGroup) partsOf(obsKey string) *partCache {
	pc := g.parts[obsKey]
	if pc == nil {
		if g.parts == nil {
			g.parts = map[string]*partCache{}
		}
		pc = &partCache{}
		g.parts[obsKey] = pc
	}
	return pc
}

// finalize is called once every target is listed and before any entry is released: each
// group learns how many result entries it has, and the prints that others will compare with
// are computed while the types they describe are there (a print is otherwise computed when
// the first other compares: most own keys are on one target only). It returns how many own
// keys there are.
func (s *sharingByUse) finalize(fc *fileCache, reg *registry) int {
	members := map[string]int{}
	results := map[string]bool{}
	for _, e := range reg.entries {
		// needed: checked in this run, also one the result cache answered that a changed
		// importer needs again for its vet facts (scheduler.add)
		if (e.full || e.bodies && e.own != "" && s.vet != nil) && e.needed {
			members[e.own]++
			results[e.own] = results[e.own] || e.full
		}
	}
	for own, n := range members {
		g := s.group(own)
		g.Lock()
		g.members = n
		if n > 1 {
			for _, c := range g.checked {
				c.printOf(fc, s, g)
			}
		}
		g.release()
		g.Unlock()
	}
	n := 0 // own keys of main-module results (dependencies' are not full checks)
	for _, full := range results {
		if full {
			n++
		}
	}
	return n
}

// skip counts result entry e, which took its result otherwise (derive.go), as having compared
// in its group: it neither compares nor is compared with.
func (s *sharingByUse) skip(e *entry) {
	if s == nil {
		return
	}
	g := s.group(e.own)
	g.Lock()
	g.compared++
	g.release()
	g.Unlock()
}

func (s *sharingByUse) group(own string) *ownKeyGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[own]
	if g == nil {
		g = &ownKeyGroup{}
		s.groups[own] = g
	}
	return g
}

// factsOf describes vet's facts of imported objects for e's print (vet entries, and with vet
// dependency entries: depshare.go), else nil.
func (s *sharingByUse) factsOf(e *entry) *factsView {
	if !e.vet && !e.bodies || s.vet == nil {
		return nil
	}
	return s.vet.factsOf(e)
}

// compilerErrors turns go/types errors into what cmd/compile prints for them: the same
// start positions and texts (types2 and go/types share their messages), the compiler's
// note on language-version errors, and its rule of one equal message per line.
func compilerErrors(fset *token.FileSet, errs []types.Error, files []*ast.File, info *types.Info,
	e *entry) []Diag {
	var out []Diag
	var last Diag
	for _, te := range errs {
		pos := fset.Position(te.Pos)
		msg := te.Msg
		if e.fakeC && fakeCError(msg) {
			continue
		}
		if versionErrorRx.MatchString(msg) {
			if f := fileAt(files, te.Pos); f != nil {
				if fv := info.FileVersions[f]; f.GoVersion != "" && f.GoVersion == fv {
					msg = fmt.Sprintf("%s (file declares //go:build %s)", msg, fv)
				} else {
					msg = fmt.Sprintf("%s (-lang was set to %s; check go.mod)", msg, e.lang)
				}
			}
		}
		d := Diag{File: pos.Filename, Line: pos.Line, Col: pos.Column, Message: msg,
			Package: e.path, Kind: "type"}
		if d.File == last.File && d.Line == last.Line && d.Message == last.Message {
			continue
		}
		last = d
		out = append(out, d)
	}
	return out
}

// fakeCError: with a faked `import "C"`, an error about a value or type that is invalid is
// the fake's, not the code's. Every `C.name` is invalid without an error (golang/go#76765),
// and so is what is declared from one (`type cint = C.int`, a function returning `*cint`),
// wherever it is used (`*f()`: "cannot indirect f() (value with invalid type)"). Any other
// invalid type comes from an error go/types reports where it arises.
func fakeCError(msg string) bool {
	return strings.Contains(msg, "invalid type")
}

func fileAt(files []*ast.File, pos token.Pos) *ast.File {
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
