// Sharing keys: what makes two targets' packages the same type-checking work, and the
// registry of entries (one per key) that the targets share.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/types"
	"io"
	"sort"
	"sync"
)

// The sharing key of a package (one node of one target's graph) is a hash over everything
// go/types' result for it depends on:
//
//   - the package path and name;
//   - the mode: full (a main-module result entry: bodies checked, errors reported), bodies (a
//     package of a dependency module: bodies checked, type errors reported as the
//     dependency's, vet's facts computed when vet is on) or declarations only (the standard
//     library, and main-module types entries);
//   - for vet (main module, when asked): whether go vet reports the package's findings (else
//     only the analyzers that produce facts run, as for go vet's dependencies), the module,
//     and the package's other and ignored files with their contents (analyzers read them);
//   - the language version (-lang) and the sizes (types.SizesFor("gc", GOARCH): word size and
//     maximum alignment, the only inputs of gc sizes);
//   - whether `import "C"` is faked (the package has cgo files, which go list only lists
//     when cgo is on);
//   - its files, in order: absolute path and SHA-256 of the contents;
//   - each import as written in the source, with the sharing key of the package it resolves
//     to (go list's ImportMap: vendoring, test variants); for a declarations-only entry, only
//     the imports its declarations name, the others by path and name (declrefs.go).
//
// Two nodes with equal keys are type-checked by identical go/types calls over identical
// inputs (their imports are the very same *types.Package objects, by induction), so they
// have identical results: the engine checks one entry per key.
//
// A main-module package has two entries: its types entry (declarations only, what its importers
// import) and its result entry (full: bodies, findings, vet's facts), whose key adds vet's
// inputs and the keys of its main-module imports' result entries (their facts and whether they
// build). Result entries whose keys differ only in their imports' keys may still share a
// result: see apiprint.go. GOOS, GOARCH, tags and cgo
// are not in the key themselves: they act only through the files chosen, the sizes and the
// imports, which are. Adding the target name (no_share) gives every target its own entries.
// A dependency checked as before its bodies were (no_dep_bodies) is its own mode: thin.
type keyInput struct {
	path, name, lang, sizes string
	version                 string // vet's go version (full entries)
	full, fakeC, vet        bool
	bodies                  bool // a dependency module's package, checked with its bodies
	thin                    bool // bodies: only those vet's facts come from (no_dep_bodies)
	files                   []string
	filesSum                [32]byte // the files' paths and contents (fileCache.filesSum)
	vetFiles                []string // other and ignored files (vet entries): vet reads them
	vetHashes               [][32]byte
	vetIn                   *vetInput
	imports                 map[string]string // source import path -> dependency's key
	unread                  map[string]string // imports declarations do not name: path -> name
	after                   []*entry          // results of main-module imports (result entries)
	mainPkg                 bool              // a main-module package (types or result entry)
	salt                    string
	test                    *entry // its test variant's result (derive.go): not in the key
	from                    *entry // a types entry's result entry (derive.go): not in the key
	whole                   bool   // a types entry that may be its result's whole package (derive.go)
}

func (k *keyInput) sum() string {
	h := sha256.New()
	k.write(h, true)
	return hex.EncodeToString(h.Sum(nil))
}

// ownSum is the key without what the imports are: which import paths resolve stays in it.
// Result entries whose own keys are equal may share findings by what they use (apiprint.go).
func (k *keyInput) ownSum() string {
	h := sha256.New()
	k.write(h, false)
	return hex.EncodeToString(h.Sum(nil))
}

func (k *keyInput) write(h io.Writer, imports bool) {
	fmt.Fprintf(h, "crossvet-engine-key-7\x00%s\x00%s\x00%s\x00%s\x00%s\x00%t\x00%t\x00%t\x00%t\x00%s\x00",
		k.path, k.name, k.lang, k.version, k.sizes, k.full, k.bodies, k.fakeC, k.mainPkg, k.salt)
	if k.thin {
		io.WriteString(h, "thin\x00")
	}
	if k.whole {
		io.WriteString(h, "whole\x00")
	}
	fmt.Fprintf(h, "files\x00%x\x00", k.filesSum)
	if k.vet {
		in := k.vetIn
		fmt.Fprintf(h, "vet\x00%t\x00%d\x00%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00",
			in.report, len(in.other), len(in.ignored), in.modPath, in.modDir, in.modGoMod,
			in.modGoVers, vetGOOS(in.goos), in.goarch)
		for i, f := range k.vetFiles {
			fmt.Fprintf(h, "vetfile\x00%s\x00%x\x00", f, k.vetHashes[i])
		}
	}
	paths := make([]string, 0, len(k.imports))
	for p := range k.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if imports {
			fmt.Fprintf(h, "import\x00%s\x00%s\x00", p, k.imports[p])
		} else {
			fmt.Fprintf(h, "import\x00%s\x00", p)
		}
	}
	unread := make([]string, 0, len(k.unread))
	for p := range k.unread {
		unread = append(unread, p)
	}
	sort.Strings(unread)
	for _, p := range unread {
		fmt.Fprintf(h, "unread\x00%s\x00%s\x00", p, k.unread[p])
	}
	if imports {
		for _, a := range k.after {
			fmt.Fprintf(h, "after\x00%s\x00", a.key)
		}
	}
}

// sizesFor is the gc sizes of goarch; unknown architectures get amd64's.
func sizesFor(goarch string) types.Sizes {
	if s := types.SizesFor("gc", goarch); s != nil {
		return s
	}
	return types.SizesFor("gc", "amd64")
}

// sizesKey identifies sizes by value (gc sizes are a word size and a maximum alignment).
func sizesKey(s types.Sizes) string {
	return fmt.Sprintf("%v", s)
}

// keying is what the request adds to every key of a target: the salt (no_share: the target's
// name), whether vet runs, and whether dependency modules are checked as before their bodies
// were (no_dep_bodies); and whether a result may be its test variant's (derive.go; not with
// no_share).
type keying struct {
	salt             string
	vet, noDepBodies bool
	derive           bool
}

// key computes the sharing keys of n and its dependencies and finds or makes their entries.
// A node's error is kept: keyGraph reports it also when an importer keyed the node first.
func (g *targetGraph) key(n *node, fc *fileCache, reg *registry, kg keying) (_ *entry, err error) {
	switch n.state {
	case 1:
		return nil, fmt.Errorf("import cycle through %s", n.id)
	case 2:
		return n.entry, n.keyErr
	}
	n.state = 1
	defer func() { n.state, n.keyErr = 2, err }()
	if n.id == "unsafe" {
		n.entry = unsafeEntry
		return n.entry, nil
	}
	sizes := sizesFor(g.t.GOARCH)
	main := n.lp.main()
	k := &keyInput{path: pkgPath(n.id), name: n.lp.Name, lang: n.lp.lang(),
		sizes: sizesKey(sizes), mainPkg: main, fakeC: len(n.lp.CgoFiles) > 0,
		files: n.files, imports: map[string]string{}, salt: kg.salt}
	// A dependency module's package is checked with its bodies, whose errors are its findings
	// (deps.go) and from which vet's facts come; the standard library stays declarations only
	// (docs/typecheck.md: its bodies cost more than the run). A main-module package is checked
	// twice: declarations only, for its importers (this entry), and in full for its findings
	// and facts (its result entry, below). With no_dep_bodies (a measurement of the cost of
	// dependency bodies) a dependency is checked as it was before: declarations only, or with
	// vet the bodies its facts come from (thin), its errors unreported.
	k.bodies = isDependency(n.lp) && (kg.vet || !kg.noDepBodies)
	k.thin = k.bodies && kg.noDepBodies
	imports := map[string]*entry{}
	var after []*entry
	for src, dep := range n.deps {
		de, err := g.key(dep, fc, reg, kg)
		if err != nil || de == nil {
			continue // the importer reports it missing, like a broken dependency
		}
		imports[src] = de
		k.imports[src] = de.key
		if dep.result != nil {
			after = append(after, dep.result)
		}
	}
	sort.Slice(after, func(i, j int) bool { return after[i].key < after[j].key })
	sum, err := fc.filesSum(n.files)
	if err != nil {
		return nil, err
	}
	k.filesSum = sum
	tk, timports := k, imports // its types entry's key and imports
	if !k.bodies {
		if tk, timports, err = declarationsKey(k, n, imports, fc); err != nil {
			return nil, err
		}
	}
	if main {
		rk, err := g.resultKey(n, k, after, fc, reg, kg)
		if err != nil {
			return nil, err
		}
		n.result = reg.get(rk, sizes, imports)
		// A test variant's types are its result's when that checks without an error: its
		// importers (its external test) wait for that result anyway (derive.go). Not where
		// an importer may name an unexported declaration: the key says which.
		if kg.derive && n.imported() && n.lp.ForTest == pkgPath(n.id) {
			tk.whole = !namesUnexported(n, fc)
			if tk.whole {
				tk.from = n.result
			}
		}
	}
	n.entry = reg.get(tk, sizes, timports)
	return n.entry, nil
}

// resultKey is the key of main-module package n's result entry (its full check), from its
// types entry's k and the results of its main-module imports.
func (g *targetGraph) resultKey(n *node, k *keyInput, after []*entry, fc *fileCache,
	reg *registry, kg keying) (*keyInput, error) {
	rk := *k
	rk.full, rk.after = true, after
	rk.version = n.lp.vetVersion()
	// vet runs where go vet would: on the packages it reports, and for their facts on the
	// packages others import (go vet's VetxOnly runs). A package neither reported nor imported
	// (p itself when p [p.test] is vetted, and nothing imports p) is type-checked only.
	if report := vetted(g, n); kg.vet && (report || n.imported()) {
		rk.vet, rk.vetIn = true, newVetInput(n.lp)
		if len(rk.vetIn.other) > 0 { // what vet's assembly analyzers make of it is per target
			rk.vetIn.goos, rk.vetIn.goarch = g.t.Env["GOOS"], g.t.GOARCH
		}
		rk.vetIn.report = report
		rk.vetFiles = append(append([]string{}, rk.vetIn.other...), rk.vetIn.ignored...)
		rk.vetIn.hashes = map[string][32]byte{}
		for _, f := range rk.vetFiles {
			h, err := fc.hash(f)
			if err != nil {
				return nil, err
			}
			rk.vetHashes = append(rk.vetHashes, h)
			rk.vetIn.hashes[f] = h
		}
	}
	if !rk.vet && kg.derive { // its test variant's result may be its own (derive.go)
		if tn := testVariantFor(g, n); tn != nil {
			if _, err := g.key(tn, fc, reg, kg); err == nil {
				rk.test = tn.result
			}
		}
	}
	return &rk, nil
}

// declarationsKey is a declarations-only entry's key, with the imports its declarations name
// and the others as unread (declrefs.go): k's imports are everything the package imports.
func declarationsKey(k *keyInput, n *node, imports map[string]*entry,
	fc *fileCache) (*keyInput, map[string]*entry, error) {
	refs := make([]*fileRefs, 0, len(n.files))
	for _, f := range n.files {
		r, err := fc.refs(f)
		if err != nil {
			return nil, nil, err
		}
		refs = append(refs, r)
	}
	named := importsNamed(refs, fc.qualifiers(n.files, refs), func(path string) (string, bool) {
		if e, ok := imports[path]; ok {
			return e.name, true
		}
		return "", false
	})
	dk := *k
	dk.imports = map[string]string{}
	dimports := map[string]*entry{}
	for src, e := range imports {
		if named[src] || e == unsafeEntry {
			dk.imports[src], dimports[src] = k.imports[src], e
		} else {
			if dk.unread == nil {
				dk.unread = map[string]string{}
			}
			dk.unread[src] = e.name
		}
	}
	return &dk, dimports, nil
}

// registry holds every entry by key.
type registry struct {
	mu      sync.Mutex
	entries map[string]*entry
}

func (r *registry) get(k *keyInput, sizes types.Sizes, imports map[string]*entry) *entry {
	key := k.sum()
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.entries[key]; ok {
		return e
	}
	e := &entry{key: key, entryInput: entryInput{path: k.path, name: k.name, lang: k.lang,
		version: k.version, vet: k.vet, vetIn: k.vetIn, full: k.full, bodies: k.bodies, thin: k.thin,
		mainPkg: k.mainPkg, fakeC: k.fakeC, files: k.files, sizes: sizes,
		word: sizes.Sizeof(types.Typ[types.Int]), imports: imports, unread: k.unread,
		after: k.after, test: k.test, from: k.from}}
	if k.from != nil {
		k.from.typesFor.Store(e)
	}
	if k.full || k.bodies && !k.thin { // depshare.go: dependencies too
		e.own = k.ownSum()
	}
	r.entries[key] = e
	return e
}
