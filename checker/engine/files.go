// The file cache: each file read, hashed and parsed once (per mode) for every target, and
// its AST freed once no package needs it.

package main

import (
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
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
// anyway). An AST is dropped once every package using it has
// been checked (refcount).
type fileCache struct {
	stdDir string // $GOROOT/src/: declarations-only files there are parsed without comments
	fset   *token.FileSet
	mu     sync.Mutex
	files  map[string]*fileEntry
	asts   map[astKey]*astEntry
	// what each file's declarations name (declrefs.go), read once for every target
	declRefs map[string]*refsEntry
	parsed   atomic.Int64
	parseNS  atomic.Int64
	// While targets are still being listed, an AST nobody holds is kept, since a target
	// listed later likely needs it; after sweep, ASTs are freed as soon as nobody holds them.
	sweeping atomic.Bool
}

// sweep frees every AST nobody holds and makes release free them from now on.
func (c *fileCache) sweep() {
	c.sweeping.Store(true)
	c.mu.Lock()
	asts, files := values(c.asts), values(c.files)
	c.declRefs = nil // every target is keyed: what declarations name is not asked again
	c.mu.Unlock()
	for _, a := range asts {
		a.mu.Lock()
		if a.refs <= 0 {
			a.file, a.errs, a.done = nil, nil, false
		}
		a.mu.Unlock()
	}
	// Every file is hashed and go/build has read what it needs: contents are read again
	// for the few parses still to come rather than held (most files go/build reads are
	// never parsed, and many are parsed in one mode only).
	for _, e := range files {
		e.mu.Lock()
		e.data = nil
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

type fileEntry struct {
	once sync.Once
	hash [32]byte
	err  error
	mu   sync.Mutex
	data []byte // nil once swept: read again to parse
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
}

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
		e.data, e.err = os.ReadFile(path)
		if e.err == nil {
			e.hash = sha256.Sum256(e.data)
		}
	})
	return e
}

// contents are the file's bytes as hashed: held until sweep, read again after.
func (c *fileCache) contents(path string) ([]byte, error) {
	e := c.entry(path)
	if e.err != nil {
		return nil, e.err
	}
	e.mu.Lock()
	data := e.data
	e.mu.Unlock()
	if data != nil {
		return data, nil
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
		data, err := c.contents(path)
		if err != nil {
			return nil, nil, err
		}
		mode := parser.ParseComments | parser.SkipObjectResolution
		if pm != modeFull && c.stdDir != "" && strings.HasPrefix(path, c.stdDir) {
			// The standard library is checked with no language limit, so its files'
			// //go:build versions (the only comments go/types reads) do not matter.
			mode = parser.SkipObjectResolution
		}
		t0 := time.Now()
		f, err := parser.ParseFile(c.fset, path, data, mode)
		c.parseNS.Add(int64(time.Since(t0)))
		if el, ok := err.(scanner.ErrorList); ok {
			a.errs = el
		} else if err != nil {
			a.errs = scanner.ErrorList{&scanner.Error{Msg: err.Error()}}
		}
		if pm == modeDecl && f != nil {
			stripBodies(f)
		}
		a.file = f
		a.done = true
		c.parsed.Add(1)
	}
	return a.file, a.errs, nil
}

// release drops one reference; the AST is freed with the last.
func (c *fileCache) release(path string, mode parseMode) {
	c.mu.Lock()
	a := c.asts[astKey{path, mode}]
	c.mu.Unlock()
	if a == nil {
		return
	}
	a.mu.Lock()
	a.refs--
	// A main-module file's full AST is the largest, and its next user is usually a whole
	// target later (targets are checked about in order, schedule.go) or shares a result
	// without parsing: it is parsed again if needed rather than held.
	if (a.refs <= 0 || mode == modeFull) && c.sweeping.Load() {
		a.file, a.errs, a.done = nil, nil, false
	}
	a.mu.Unlock()
}
