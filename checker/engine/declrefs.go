// What a package's declarations refer to: the imports a declarations-only check can read.

package main

import (
	"crypto/sha256"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// A declarations-only check (the standard library, a main-module package's types entry) reads
// an import only where the declarations it keeps (pruneDecls) name it: Go code reaches
// another package's objects only through a qualified identifier (`os.File`) or a dot import.
// Such an entry's key has the imports its declarations name, not every import: `fmt` names
// `io` but not `os` (only its function bodies use os), so its declarations are the same on
// every port whatever os is there, and its importers share one `fmt` across ports. An import
// no kept declaration names is given to go/types as an empty package of its name
// (stubPackage), and is left out of the package's imports once it is checked.

// fileRefs is what one file declares and names, read once per file for every target.
type fileRefs struct {
	imports []fileImport // the file's imports in order
	units   []declUnit   // its declarations, as pruneDecls weighs them
}

// fileImport is one import spec: its path and the name it binds ("" for the package's own
// name, ".", "_").
type fileImport struct {
	path, name string
}

type refsEntry struct {
	once sync.Once
	refs *fileRefs
	err  error
}

// refs reads what path's declarations name, parsed once for every target.
func (c *fileCache) refs(path string) (*fileRefs, error) {
	r := onceEntry(&c.mu, &c.declRefs, path)
	r.once.Do(func() {
		var sum [32]byte
		if c.store != nil && c.inStd(path) {
			var err error
			if sum, err = c.hash(path); err != nil {
				r.err = err
				return
			}
			if refs, ok := c.store.refs(sum); ok {
				r.refs = refs
				return
			}
			defer func() {
				if r.refs != nil && r.err == nil {
					c.store.saveRefs(sum, r.refs)
				}
			}()
		}
		data, err := c.contents(path)
		if err != nil {
			r.err = err
			return
		}
		// A standard-library file is parsed here as its declarations-only check parses it
		// (parseFile): into the run's file set, the AST kept for that check while there is
		// room (holdPre), so that the file is parsed once, not again when checked.
		fset, keep := token.NewFileSet(), false
		if c.inStd(path) {
			data = blankBodies(data)
			if keep = c.holdPre(int64(len(data))); keep {
				fset = c.fset
			}
		}
		f, err := parser.ParseFile(fset, path, data, parser.SkipObjectResolution)
		if f == nil {
			if keep {
				c.holdPre(-int64(len(data)))
			}
			r.err = err
			return
		}
		stripBodies(f)     // as a declarations-only parse is (fileCache.parse)
		r.refs = refsOf(f) // with syntax errors: what was parsed (the check reports them)
		if keep {
			c.keepParsed(path, f, err, int64(len(data)))
		}
	})
	return r.refs, r.err
}

// keepParsed keeps f, path's declarations-only AST parsed by refs (err: its syntax errors),
// for parseFile; size is its source's bytes, counted in holdPre.
func (c *fileCache) keepParsed(path string, f *ast.File, err error, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pre == nil {
		c.pre = map[string]*preparsed{}
	}
	c.pre[path] = &preparsed{file: f, errs: syntaxErrors(err), size: size}
}

// refsOf reads a parsed file's imports and declarations.
func refsOf(f *ast.File) *fileRefs {
	r := &fileRefs{units: unitsOf(f)}
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		fi := fileImport{path: path}
		if spec.Name != nil {
			fi.name = spec.Name.Name
		}
		r.imports = append(r.imports, fi)
	}
	return r
}

// namedImports are the import paths (as written) that a declarations-only check of files reads:
// those named by a kept declaration of the file importing them, and dot imports. nameOf is an
// imported package's own name (false: not imported, e.g. a path that failed to list).
func namedImports(files []*fileRefs, nameOf func(path string) (string, bool)) map[string]bool {
	quals, _ := qualifiers(files)
	return importsNamed(files, quals, nameOf)
}

// qualifiers are, for each file, the names its kept declarations qualify identifiers with: a
// function of the files alone, computed once per package's file set for every target
// (fileCache.qualifiers); and the prune plan that keeps those declarations (planPrune).
func qualifiers(files []*fileRefs) ([]map[string]bool, prunePlan) {
	units := make([][]declUnit, len(files))
	for i, r := range files {
		units[i] = r.units
	}
	kept := keptUnits(units)
	out := make([]map[string]bool, len(files))
	for i, r := range files {
		quals := map[string]bool{}
		for j, u := range r.units {
			if kept[i][j] {
				for _, q := range u.quals {
					quals[q] = true
				}
			}
		}
		out[i] = quals
	}
	return out, planUnits(units, kept)
}

// importsNamed is namedImports given the files' qualifiers.
func importsNamed(files []*fileRefs, quals []map[string]bool,
	nameOf func(path string) (string, bool)) map[string]bool {
	out := map[string]bool{}
	for i, r := range files {
		for _, im := range r.imports {
			name := im.name
			if name == "" {
				n, ok := nameOf(im.path)
				if !ok {
					continue
				}
				name = n
			}
			if name == "." || quals[i][name] {
				out[im.path] = true
			}
		}
	}
	return out
}

// qualifiers are the files' qualifiers (qualifiers), computed once per file set until sweep.
func (c *fileCache) qualifiers(paths []string, refs []*fileRefs) []map[string]bool {
	key := strings.Join(paths, "\x00")
	q := onceEntry(&c.mu, &c.declQuals, key)
	q.once.Do(func() {
		var plan prunePlan
		q.quals, plan = qualifiers(refs)
		// What a check of these files keeps, decided here from the same units rather than
		// from the files parsed again when checked (once for each target's file set).
		p := onceEntry(&c.mu, &c.prunePlans, key)
		p.once.Do(func() {
			p.plan = plan
			c.keepDecls(paths, plan)
		})
	})
	return q.quals
}

// pruned is pruneDecls(files), whose paths are paths, deciding what to keep once per file set
// for the run (not swept: checks read it), unless qualifiers did when keying. A file whose
// shared AST lacks a declaration the plan keeps (thinned, by a plan made after keying) is
// parsed again for this check.
func (c *fileCache) pruned(paths []string, files []*ast.File) []*ast.File {
	p := onceEntry(&c.mu, &c.prunePlans, strings.Join(paths, "\x00"))
	p.once.Do(func() {
		whole := slices.Clone(files)
		for i, f := range whole {
			if slices.Contains(f.Decls, nil) {
				whole[i] = c.parseAgain(paths[i], f)
			}
		}
		p.plan = planPrune(whole)
		c.keepDecls(paths, p.plan)
	})
	var again []*ast.File // files, with those parsed again (nil: none is)
	for i, actions := range p.plan {
		for _, a := range actions {
			if files[i].Decls[a.decl] == nil {
				if again == nil {
					again = slices.Clone(files)
				}
				again[i] = c.parseAgain(paths[i], files[i])
				break
			}
		}
	}
	if again != nil {
		files = again
	}
	return applyPrune(files, p.plan)
}

// keepDecls notes which declarations of each of paths' files a prune plan keeps (whole, some
// of its specs, or a stub): a declarations-only AST needs no others (fileCache.thin).
func (c *fileCache) keepDecls(paths []string, plan prunePlan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.declKept == nil {
		c.declKept = map[string][]bool{}
	}
	for i, actions := range plan {
		kept := c.declKept[paths[i]]
		for _, a := range actions {
			for int(a.decl) >= len(kept) {
				kept = append(kept, false)
			}
			kept[a.decl] = true
		}
		c.declKept[paths[i]] = kept
	}
}

// filesSum digests paths and each file's contents (hash), once per file set until sweep: a
// package's key is computed on every target, with the same files on most.
func (c *fileCache) filesSum(paths []string) ([32]byte, error) {
	e := onceEntry(&c.mu, &c.fileSums, strings.Join(paths, "\x00"))
	e.once.Do(func() {
		h := sha256.New()
		for _, path := range paths {
			sum, err := c.hash(path)
			if err != nil {
				e.err = err
				return
			}
			h.Write([]byte(path))
			h.Write([]byte{0})
			h.Write(sum[:])
		}
		copy(e.sum[:], h.Sum(nil))
	})
	return e.sum, e.err
}

type sumEntry struct {
	once sync.Once
	sum  [32]byte
	err  error
}

type planEntry struct {
	once sync.Once
	plan prunePlan
}

type qualsEntry struct {
	once  sync.Once
	quals []map[string]bool
}

// onceEntry is (*m)[k], made (and the map with it) on first use, under mu: the fileCache's
// once-per-key stores (refs, qualifiers), which sweep drops by setting the map to nil.
func onceEntry[E any](mu *sync.Mutex, m *map[string]*E, k string) *E {
	mu.Lock()
	defer mu.Unlock()
	if *m == nil {
		*m = map[string]*E{}
	}
	e := (*m)[k]
	if e == nil {
		e = new(E)
		(*m)[k] = e
	}
	return e
}

// stubPackage is an empty, complete package: what go/types gets for an import the
// declarations do not read (it only binds the name).
func stubPackage(path, name string) *types.Package {
	p := types.NewPackage(path, name)
	p.MarkComplete()
	return p
}
