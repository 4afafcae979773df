// A print in parts: what a package observes through each of its imports is described apart,
// so that another target's print describes again only the imports whose roots reach something
// else there (closure.go).

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// apiPrint is the fingerprint of what a package that observed obs observes through imports
// (source import path -> entry): the same on two targets exactly when every object it used,
// every whole API and every name looked up is described the same.
//
// It is made of one part per import: the objects used from it, its whole API when
// dot-imported, the names looked up in it, and the definitions of every named type and method
// those reach (as a set: in any order). Parts depend on each other in one way: an interface
// described in one lets the package look up its methods' names on the types of every part
// (describer.lookable), and an interface's unexported methods need the methods of that name of
// its package's types wherever they are described (hiddenMethods). So the parts described
// together share the names let in (describer.moreNames) until no part waits on one another
// let in, and each is described with the names and needs of all (printExtra): then every
// method whose name the package can look up is described, as by one describer. A print that
// starts from the names another print of the same observed set ended with (pc's start)
// describes more, never less: prints compared with each other start alike.
//
// pc (nil: none) keeps the parts described for the prints of one observed set of one own-key
// group: a part is the same for every target where what its roots reach is the same
// (rootsDigest: whatever the import's key) and the facts are, given the same names and needs.
func apiPrint(fset *token.FileSet, sums *summaries, imports map[string]*entry, obs observed,
	facts *factsView, pc *partCache) string {
	srcs := make([]string, 0, len(imports))
	for src := range imports {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	whole := setOf(obs.whole)
	ex := printExtra{}
	if pc != nil && pc.started {
		ex = pc.start
	}
	parts := make([]*printPart, len(srcs))
	roots := make([][sha256.Size]byte, len(srcs)) // what each part can reach (rootsDigest), with pc
	if pc != nil {
		for i, src := range srcs {
			if e := imports[src]; e.pkg != nil {
				roots[i] = pc.rootsOf(fset, sums, src, e, obs, whole[src])
			}
		}
	}
	ds := make([]*describer, len(srcs)) // the parts described by this print
	shared := setOf(ex.names)           // the names let in, for the parts it describes
	for {
		for i, src := range srcs {
			e := imports[src]
			if ds[i] != nil || e.pkg == nil {
				continue
			}
			if parts[i] = pc.lookup(src, roots[i], facts, ex); parts[i] == nil {
				ds[i] = describeRoots(fset, sums, src, e.pkg, obs, facts, shared, whole[src])
			}
		}
		settle(ds, shared)
		names, needs := setOf(ex.names), setOf(ex.needs)
		for i, w := range ds {
			if w != nil {
				for n := range w.added {
					names[n] = true
				}
				for n := range w.hidden.needs {
					needs[n] = true
				}
			} else if parts[i] != nil {
				for _, n := range parts[i].added {
					names[n] = true
				}
				for _, n := range parts[i].needs {
					needs[n] = true
				}
			}
		}
		next := newPrintExtra(names, needs)
		if next.sum == ex.sum {
			break
		}
		ex = next
	}
	for i, w := range ds {
		if w != nil {
			parts[i] = finishPart(w, ex)
			pc.store(srcs[i], roots[i], facts, ex, parts[i])
		}
	}
	if pc != nil && !pc.started {
		pc.start, pc.started = ex, true
	}
	h := sha256.New()
	w := &describer{h: h}
	w.printf("print parts\nextra %q\n", ex.sum)
	paths := map[string]bool{}
	for i, src := range srcs {
		if parts[i] == nil {
			w.printf("import %q missing\n", src)
			continue
		}
		paths[imports[src].pkg.Path()] = true
		w.printf("part %q %x\n", src, parts[i].digest)
	}
	for _, r := range obs.uses {
		if !paths[r.path] {
			w.useRef(nil, r)
		}
	}
	for _, src := range obs.whole {
		if e := imports[src]; e == nil || e.pkg == nil {
			w.printf("whole %q missing\n", src)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// settle describes, in each part being described, the methods left out for a name another
// part has let in since (shared), until none is left so.
func settle(ds []*describer, shared map[string]bool) {
	for changed := true; changed; {
		changed = false
		for _, w := range ds {
			if w == nil {
				continue
			}
			for fold, list := range w.waiting {
				if shared[fold] {
					w.ready = append(w.ready, list...)
					delete(w.waiting, fold)
					changed = true
				}
			}
			w.flush()
		}
	}
}

// printExtra are the method names (folded) and hiddenKeys that the parts of a print add to
// what each part describes (apiPrint), sorted, and the two as one string (sum).
type printExtra struct {
	names, needs []string
	sum          string
}

func newPrintExtra(names, needs map[string]bool) printExtra {
	ex := printExtra{names: sortedKeys(names), needs: sortedKeys(needs)}
	ex.sum = strings.Join(ex.names, ",") + ";" + strings.Join(ex.needs, ",")
	return ex
}

func setOf(list []string) map[string]bool {
	set := make(map[string]bool, len(list))
	for _, s := range list {
		set[s] = true
	}
	return set
}

// printPart is what a package observes through one import, described (describeRoots,
// finishPart).
type printPart struct {
	digest [sha256.Size]byte
	added  []string // the method names (folded) its interfaces let the package look up
	needs  []string // the hiddenKeys of its interfaces' unexported methods
}

// partCache keeps the parts described for the prints of one observed set in one own-key group
// (ownKeyGroup.parts; used under the group's lock), and the names and needs the first of those
// prints ended with: the others start from them. lookup and store do nothing on nil.
type partCache struct {
	parts   map[partKey]*printPart
	roots   map[[2]string][sha256.Size]byte // import as written and its entry's key -> rootsDigest
	start   printExtra
	started bool
	kept    int // parts looked up and found
}

// partKey is what a part depends on besides the observed set: the import as written, what its
// roots reach (rootsDigest), what the other parts add, and the facts the importer sees.
type partKey struct {
	src          string
	roots        [sha256.Size]byte
	extra, facts string
}

// rootsOf is rootsDigest of import src (entry e), once per entry.
func (pc *partCache) rootsOf(fset *token.FileSet, sums *summaries, src string, e *entry,
	obs observed, whole bool) [sha256.Size]byte {
	if e.key == "" { // not an engine's entry (tests): nothing to keep it by
		return rootsDigest(fset, sums, src, e.pkg, obs, whole)
	}
	key := [2]string{src, e.key}
	if d, ok := pc.roots[key]; ok {
		return d
	}
	d := rootsDigest(fset, sums, src, e.pkg, obs, whole)
	if pc.roots == nil {
		pc.roots = map[[2]string][sha256.Size]byte{}
	}
	pc.roots[key] = d
	return d
}

// lookup is the part of import src described by an earlier print whose roots reached what
// these reach (roots: rootsDigest) with the same facts and extra, or nil.
func (pc *partCache) lookup(src string, roots [sha256.Size]byte, facts *factsView,
	ex printExtra) *printPart {
	key, ok := partKeyOf(src, roots, facts, ex)
	if pc == nil || !ok {
		return nil
	}
	p := pc.parts[key]
	if p != nil {
		pc.kept++
	}
	return p
}

// store keeps part p of import src for the prints after it.
func (pc *partCache) store(src string, roots [sha256.Size]byte, facts *factsView,
	ex printExtra, p *printPart) {
	key, ok := partKeyOf(src, roots, facts, ex)
	if pc == nil || !ok {
		return
	}
	if pc.parts == nil {
		pc.parts = map[partKey]*printPart{}
	}
	pc.parts[key] = p
}

// partKeyOf is the key of a part, if it can be kept: its facts (if any) have a sum.
func partKeyOf(src string, roots [sha256.Size]byte, facts *factsView,
	ex printExtra) (partKey, bool) {
	key := partKey{src: src, roots: roots, extra: ex.sum, facts: "-"}
	if facts != nil {
		key.facts = facts.sum
	}
	return key, roots != [sha256.Size]byte{} && key.facts != ""
}

// describeRoots starts describing what a package that observed obs observes through import
// src, which resolves to pkg: the objects it used of pkg, its whole API if dot-imported
// (whole), the names looked up in it, and (flushed) what they reach, with the method names
// let in so far (shared, which it adds to).
func describeRoots(fset *token.FileSet, sums *summaries, src string, pkg *types.Package,
	obs observed, facts *factsView, shared map[string]bool, whole bool) *describer {
	w := newPrintDescriber(fset, sums, obs, facts)
	if w.names != nil {
		w.moreNames, w.added = shared, map[string]bool{}
	}
	w.printf("import %q %q %q\n", src, pkg.Path(), pkg.Name())
	for _, r := range obs.uses {
		if r.path == pkg.Path() {
			w.useRef(pkg, r)
		}
	}
	scope := pkg.Scope()
	if whole {
		w.printf("whole\n")
		for _, name := range sums.exportedNames(pkg) {
			w.printf("%s ", name)
			w.object(scope.Lookup(name))
		}
	}
	for _, name := range obs.lookups {
		if obj := scope.Lookup(name); obj != nil {
			w.printf("lookup %q ", name)
			w.object(obj)
		}
	}
	w.flush()
	return w
}

// finishPart is a described part, with the unexported methods of the needs of all parts (ex).
func finishPart(w *describer, ex printExtra) *printPart {
	p := &printPart{added: sortedKeys(w.added), needs: sortedKeys(w.hidden.needs)}
	for _, d := range sortDigests(w.defs) {
		w.h.Write(d[:])
	}
	needs := setOf(ex.needs)
	for _, key := range p.needs {
		needs[key] = true
	}
	for _, key := range sortedKeys(needs) {
		if text := w.hiddenText(key); text != "" {
			w.printf("unexported methods %q\n%s", key, text)
		}
	}
	copy(p.digest[:], w.h.Sum(nil))
	return p
}
