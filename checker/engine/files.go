// The file cache: each file read, hashed and parsed once (per mode) for every target, and
// its AST freed once no package needs it.

package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fileCache reads, hashes and parses each file once for all targets.
//
// A file is parsed in one of three modes (parseMode): full (main-module files), bodies
// (dependency modules' files) or declarations only (all others: function bodies are
// dropped right after parsing to save memory, since go/types ignores them for such packages
// anyway, and once every target is keyed the declarations no package's check keeps: thin).
// An AST is dropped once every package using it has been checked (refcount).
type fileCache struct {
	stdDir string // $GOROOT/src/: declarations-only files there are parsed without comments
	fset   *token.FileSet
	mu     sync.Mutex
	files  map[string]*fileEntry
	asts   map[astKey]*astEntry
	// what each file's declarations name (declrefs.go), read once for every target
	declRefs map[string]*refsEntry
	// what the kept declarations of each package's file set qualify (declrefs.go), once
	declQuals map[string]*qualsEntry
	// each file set's paths and contents, digested (declrefs.go), once until sweep
	fileSums map[string]*sumEntry
	// what a declarations-only check keeps of each file set (prune.go), once for the run
	prunePlans map[string]*planEntry
	// the declarations (by index) some prune plan keeps of each file (keepDecls)
	declKept map[string][]bool
	// whether a file may name an unexported declaration of an import (derive.go), by file and
	// import name, once until sweep
	unexported map[string]*flagEntry
	// the standard library's store (stdstore.go): its files' fileRefs, read or kept (nil: none)
	store   *stdStore
	parsed  atomic.Int64
	parseNS atomic.Int64
	listed  atomic.Bool // every target is listed and keyed (sweep)
	// the source bytes of the full ASTs held between users (release), and at most how many
	// (0: none held)
	holdMu        sync.Mutex
	held, holdCap int64
	// no AST is held while the live heap after the last collection (lastLive) is over this
	// (0: whatever it is)
	holdLive uint64
	// standard-library files parsed for their declarations' refs when keyed, kept for their
	// declarations-only check (declrefs.go: the same parse), by path; their sources' bytes
	pre             map[string]*preparsed
	preHeld, preCap int64
}

// preparsed is a declarations-only AST parsed when keying (fileCache.refs), not yet taken by
// a check (parseFile).
type preparsed struct {
	file *ast.File
	errs scanner.ErrorList
	size int64
}

// sweep drops what only listing and keying read, once every target is listed and keyed: what
// declarations name and qualify, and the headers go/build read.
func (c *fileCache) sweep() {
	c.listed.Store(true)
	c.mu.Lock()
	files := values(c.files)
	c.declRefs, c.declQuals, c.fileSums, c.unexported = nil, nil, nil, nil
	pre := make(map[string]*astEntry, len(c.pre))
	for path := range c.pre {
		pre[path] = c.asts[astKey{path, modeDecl}]
	}
	c.mu.Unlock()
	for path, a := range pre { // an AST kept from keying that no check will parse is dropped
		used := false
		if a != nil {
			a.mu.Lock()
			used = a.refs > 0
			a.mu.Unlock()
		}
		if !used {
			c.takeParsed(path)
		}
	}
	for _, e := range files {
		e.mu.Lock()
		e.header, e.whole = nil, false
		e.mu.Unlock()
	}
}

// values are m's values, in no order.
func values[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// fileEntry is a file's hash, and what go/build reads of it for every target (its header:
// the build constraints and imports, about a few hundred bytes of most files). Its contents
// are not held: each use reads them again and checks the hash (contents), which costs less
// than keeping every file of every target's graph in memory while targets are listed.
type fileEntry struct {
	once   sync.Once
	hash   [32]byte
	err    error
	mu     sync.Mutex
	header []byte // what go/build read of it first (openHeader); nil until then, and once swept
	whole  bool   // header is the whole file
	// constrained: it mentions a build constraint (go:build, +build, go:binary-only-package)
	// anywhere, so whether a target builds it may depend on more than its name
	constrained bool
	// The build tags of every constraint line in it (tagsOf), sorted; tagsKnown is false
	// where a line does not parse.
	tags      []string
	tagsKnown bool
}

type astKey struct {
	path string
	mode parseMode
}

// parseMode is how a file is parsed: declarations only (function bodies dropped), full (main
// module: bodies and comments), or bodies (a dependency module's package: bodies, and
// comments except in the standard library, which is checked with no language limit).
type parseMode int

const (
	modeDecl parseMode = iota
	modeFull
	modeBodies
)

type astEntry struct {
	mu   sync.Mutex
	refs int
	file *ast.File
	errs scanner.ErrorList
	done bool
	// a main-module file's full AST: how many times it was parsed, and whether it is held
	// between its users (release)
	parses int
	held   bool
}

// A main-module file parsed in full this many times is held between its users (release):
// its package is checked again on more targets (x/sys/unix on each port, over files most of
// them share), where most files are checked once or twice (for each word size).
const holdAfterParses = 3

// defaultHoldBudget is what holdCap and preCap are parts of when the request sets no memory
// budget (Go's default collector): the engine's own sizing, not a budget it keeps to.
const defaultHoldBudget = 448 << 20

func newFileCache() *fileCache {
	return &fileCache{fset: token.NewFileSet(), files: map[string]*fileEntry{},
		asts: map[astKey]*astEntry{}}
}

func (c *fileCache) entry(path string) *fileEntry {
	c.mu.Lock()
	e, ok := c.files[path]
	if !ok {
		e = &fileEntry{}
		c.files[path] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		var data []byte
		data, e.err = os.ReadFile(path)
		if e.err == nil {
			e.hash = sha256.Sum256(data)
			e.constrained = bytes.Contains(data, []byte("go:build")) ||
				bytes.Contains(data, []byte("+build")) ||
				bytes.Contains(data, []byte("go:binary-only-package"))
			if e.constrained {
				e.tags, e.tagsKnown = tagsOf(data)
			}
		}
	})
	return e
}

// tagsOf are the build tags named by every line of data that is a //go:build or // +build
// line, wherever it is (go/build reads only those before the package clause: these are a
// superset), sorted; false if one does not parse.
func tagsOf(data []byte) ([]string, bool) {
	set := map[string]bool{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		text := string(bytes.TrimSpace(line))
		if !constraint.IsGoBuild(text) && !constraint.IsPlusBuild(text) {
			continue
		}
		x, err := constraint.Parse(text)
		if err != nil {
			return nil, false
		}
		var walk func(x constraint.Expr)
		walk = func(x constraint.Expr) {
			switch x := x.(type) {
			case *constraint.TagExpr:
				set[x.Tag] = true
			case *constraint.NotExpr:
				walk(x.X)
			case *constraint.AndExpr:
				walk(x.X)
				walk(x.Y)
			case *constraint.OrExpr:
				walk(x.X)
				walk(x.Y)
			}
		}
		walk(x)
	}
	return sortedKeys(set), true
}

// constraintTags are the build tags a constrained file's constraint lines name (tagsOf).
func (c *fileCache) constraintTags(path string) ([]string, bool) {
	e := c.entry(path)
	return e.tags, e.err == nil && e.tagsKnown
}

// constrained: the file may have build constraints (fileEntry.constrained); an unreadable
// file counts as constrained.
func (c *fileCache) constrained(path string) bool {
	return c.entry(path).mayBeConstrained()
}

// mayBeConstrained: whether a target builds the file may depend on more than its name (it
// mentions a build constraint, or could not be read).
func (e *fileEntry) mayBeConstrained() bool {
	return e.err != nil || e.constrained
}

// contents are the file's bytes as hashed, read again at each call.
func (c *fileCache) contents(path string) ([]byte, error) {
	e := c.entry(path)
	if e.err != nil {
		return nil, e.err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(data) != e.hash {
		return nil, fmt.Errorf("%s changed while being checked", path)
	}
	return data, nil
}

// openHeader opens a file for go/build, which reads only its header (up to the imports; the
// whole of a file importing "embed"): how far it read the first time is kept, and served to
// every later target from memory, a few hundred bytes at a time so that go/build's buffered
// reads stop about where its parse does. Reading is a function of the contents only, so later
// reads stop there too; one that does not reads the rest from the file.
func (c *fileCache) openHeader(path string) (io.ReadCloser, error) {
	e := c.entry(path)
	if e.err != nil {
		return nil, e.err
	}
	e.mu.Lock()
	header, whole := e.header, e.whole
	e.mu.Unlock()
	if header != nil {
		return &headerReader{c: c, path: path, data: header, whole: whole}, nil
	}
	data, err := c.contents(path)
	if err != nil {
		return nil, err
	}
	return &headerReader{c: c, path: path, data: data, whole: true, first: e}, nil
}

// headerReader serves go/build a file's bytes (openHeader).
type headerReader struct {
	c     *fileCache
	path  string
	data  []byte
	off   int
	whole bool       // data is the whole file
	first *fileEntry // the first read: keep what it read as the file's header on Close
}

// headerChunk is how much a read of a header gets: go/build reads through a bufio.Reader,
// which asks for more only once it has used what it got.
const headerChunk = 512

func (r *headerReader) Read(p []byte) (int, error) {
	if r.off == len(r.data) && !r.whole {
		data, err := r.c.contents(r.path) // read past the header: the rest from the file
		if err != nil {
			return 0, err
		}
		r.data, r.whole = data, true
	}
	if r.off == len(r.data) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), headerChunk)], r.data[r.off:])
	r.off += n
	return n, nil
}

func (r *headerReader) Close() error {
	if e := r.first; e != nil && !r.c.listed.Load() {
		e.mu.Lock()
		if e.header == nil {
			e.header, e.whole = bytes.Clone(r.data[:r.off]), r.off == len(r.data)
		}
		e.mu.Unlock()
	}
	return nil
}

// inStd: path is a file of the standard library ($GOROOT/src/).
func (c *fileCache) inStd(path string) bool {
	return c.stdDir != "" && strings.HasPrefix(path, c.stdDir)
}

// hash is the SHA-256 of the file's contents.
func (c *fileCache) hash(path string) ([32]byte, error) {
	e := c.entry(path)
	return e.hash, e.err
}

// retain announces one more package that will parse path in this mode.
func (c *fileCache) retain(path string, mode parseMode) {
	c.mu.Lock()
	k := astKey{path, mode}
	a, ok := c.asts[k]
	if !ok {
		a = &astEntry{}
		c.asts[k] = a
	}
	c.mu.Unlock()
	a.mu.Lock()
	a.refs++
	a.mu.Unlock()
}

// parse returns the AST (parsing it on first use) and the file's syntax errors.
func (c *fileCache) parse(path string, pm parseMode) (*ast.File, scanner.ErrorList, error) {
	c.mu.Lock()
	a := c.asts[astKey{path, pm}]
	c.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.done {
		f, errs, err := c.parseFile(path, pm)
		if err != nil {
			return nil, nil, err
		}
		if pm == modeDecl && f != nil {
			c.thin(path, f)
		}
		a.file, a.errs = f, errs
		a.done = true
		a.parses++
	}
	return a.file, a.errs, nil
}

// takeParsed removes path's AST kept from keying (nil: none), no longer counted in holdPre.
func (c *fileCache) takeParsed(path string) *preparsed {
	c.mu.Lock()
	p := c.pre[path]
	delete(c.pre, path)
	c.mu.Unlock()
	if p != nil {
		c.holdPre(-p.size)
	}
	return p
}

// parseFile parses path in mode pm, for its AST: a declarations-only one without function
// bodies.
func (c *fileCache) parseFile(path string, pm parseMode) (*ast.File, scanner.ErrorList, error) {
	if pm == modeDecl {
		if p := c.takeParsed(path); p != nil {
			return p.file, p.errs, nil
		}
	}
	data, err := c.contents(path)
	if err != nil {
		return nil, nil, err
	}
	mode := parser.ParseComments | parser.SkipObjectResolution
	if pm != modeFull && c.inStd(path) {
		// The standard library is checked with no language limit, so its files'
		// //go:build versions (the only comments go/types reads) do not matter; and it has
		// no syntax errors for its bodies to hold.
		mode = parser.SkipObjectResolution
		data = blankBodies(data)
	}
	t0 := time.Now()
	f, err := parser.ParseFile(c.fset, path, data, mode)
	c.parseNS.Add(int64(time.Since(t0)))
	c.parsed.Add(1)
	if pm == modeDecl && f != nil {
		stripBodies(f)
	}
	return f, syntaxErrors(err), nil
}

// thin drops, once every target is keyed, the declarations of a declarations-only AST that no
// prune plan keeps (a nil in Decls): every check of it is pruned (fileCache.pruned), and the
// AST is shared by the packages of every port whose key differs (os, for each GOOS and
// GOARCH), so it stays in memory for most of the run. Most of the standard library's
// declarations are unexported and reached by no exported one.
func (c *fileCache) thin(path string, f *ast.File) {
	if !c.listed.Load() {
		return // more plans may come
	}
	c.mu.Lock()
	kept := slices.Clone(c.declKept[path]) // a plan made after keying may add to it
	c.mu.Unlock()
	for d, decl := range f.Decls {
		if (d >= len(kept) || !kept[d]) && !isImport(decl) {
			f.Decls[d] = nil
		}
	}
}

// parseAgain is path's declarations-only AST whole again, where f is the shared one thinned
// (a plan made after keying keeps more): for one check, not shared. If the file cannot be
// read again (it changed during the run), f: the check goes without what it lacks
// (applyPrune).
func (c *fileCache) parseAgain(path string, f *ast.File) *ast.File {
	if g, _, err := c.parseFile(path, modeDecl); err == nil && g != nil {
		return g
	}
	return f
}

// release drops one reference; the AST is freed with the last. A main-module file's full AST
// is the largest, and its next user is usually a whole target later (targets are checked
// about in order, schedule.go) or shares a result without parsing: it is parsed again if
// needed rather than held, unless it was parsed holdAfterParses times already (its package
// differs on many targets) and the held ASTs' sources stay within holdCap bytes.
func (c *fileCache) release(path string, mode parseMode) {
	c.mu.Lock()
	a := c.asts[astKey{path, mode}]
	c.mu.Unlock()
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refs--
	if a.refs > 0 && mode != modeFull {
		return
	}
	if a.refs > 0 && a.done && a.file != nil && a.parses >= holdAfterParses {
		if a.held || c.hold(int64(a.file.FileEnd-a.file.FileStart)) {
			a.held = true
			return
		}
	}
	if a.held {
		c.hold(-int64(a.file.FileEnd - a.file.FileStart))
		a.held = false
	}
	a.file, a.errs, a.done = nil, nil, false
}

// hold counts size more source bytes of full ASTs held (a negative size: fewer), if that stays
// within holdCap and the live heap is not over holdLive: a large live heap (x/tools at every
// port, half the budget) leaves the collector little room between collections, and what it
// holds would make that less.
func (c *fileCache) hold(size int64) bool {
	return c.holdIn(&c.held, c.holdCap, size)
}

// holdPre is hold for the standard library's ASTs kept from keying (preparsed), within preCap.
func (c *fileCache) holdPre(size int64) bool {
	return c.holdIn(&c.preHeld, c.preCap, size)
}

func (c *fileCache) holdIn(held *int64, limit, size int64) bool {
	c.holdMu.Lock()
	defer c.holdMu.Unlock()
	if size > 0 && (*held+size > limit || c.holdLive > 0 && lastLive.Load() > c.holdLive) {
		return false
	}
	*held += size
	return true
}

// syntaxErrors are a parse's error as a list.
func syntaxErrors(err error) scanner.ErrorList {
	if el, ok := err.(scanner.ErrorList); ok {
		return el
	} else if err != nil {
		return scanner.ErrorList{&scanner.Error{Msg: err.Error()}}
	}
	return nil
}
