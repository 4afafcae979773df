// One listing for all targets: a target's package graph computed from another target's
// `go list` answer with go/build's constraint matching, where that is exact; else `go list`.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// A target's graph differs from another's only in what build constraints decide (GOOS,
// GOARCH, tags, the toolchain's tool and release tags): which files each package directory
// contributes, so which imports it has, and which directories a "./..." pattern matches (those
// with a Go file, tests included, that the target builds). Where an import path's directory is
// does not differ (the module graph is the same), nor how test variants are made. So from a
// reference listing (the first target's), the engine computes another target's with go/build,
// asking the go command only for the target's tags. It falls back to `go list` for the target
// when it cannot be sure: the reference has errors, cgo is on, GOFLAGS is set, the main module
// vendors or ignores directories, a pattern is not a directory (with or without "/..."), an
// import leads outside the reference's modules or into a nested module, breaks an internal
// package's rule or a cycle, or a dependency does not build (listFallback says why).
// TestListFromReferenceMatchesGoList compares the result with `go list -deps -test`.

// listFallback is why a target is listed by `go list` after all.
type listFallback struct{ why string }

func (f *listFallback) Error() string { return "go list needed: " + f.why }

func fallback(format string, args ...any) error {
	return &listFallback{why: fmt.Sprintf(format, args...)}
}

// dirCache is what go/build reads of the file system, once for all targets, and each
// module's build list (go list -m), once asked.
type dirCache struct {
	fc      *fileCache
	dirs    sync.Map // dir -> dirListing
	lists   sync.Map // module dir and GOWORK -> *moduleList
	imports sync.Map // dir and which of its files a target builds -> *sharedImport
	matches sync.Map // a constrained file and its tags' truth -> *sharedMatch
	tags    sync.Map // tagKey -> bool
	// directories answered from their files' answers (mergedImport), and by go/build whole
	merged, whole atomic.Int64
}

// release forgets go/build's answers once every target is listed: nothing asks again, and
// the checks that follow want the memory.
func (c *dirCache) release() {
	for _, m := range []*sync.Map{&c.dirs, &c.imports, &c.matches, &c.tags} {
		m.Range(func(k, _ any) bool {
			m.Delete(k)
			return true
		})
	}
}

// sharedMatch is go/build's answer for a constrained file, for the targets on which the tags
// its constraint lines name hold alike (dirCache.matchConstrained).
type sharedMatch struct {
	once   sync.Once
	builds bool
	err    error
}

type tagKey struct {
	bc  *build.Context
	tag string
}

// matchConstrained is bc.MatchFile(dir, name) for a file whose name bc's target builds and
// which mentions a build constraint, asked of go/build once for all the targets on which each
// tag its constraint lines name (fileCache.constraintTags) holds alike: go/build decides by
// evaluating those lines' expressions, tag by tag (x/tools has hundreds of files with
// constraints; with every port, each header was parsed again per target).
func (c *dirCache) matchConstrained(bc *build.Context, dir, name, path string) (bool, error) {
	tags, ok := c.fc.constraintTags(path)
	if !ok {
		return bc.MatchFile(dir, name)
	}
	key := make([]byte, 0, len(path)+1+len(tags))
	key = append(append(key, path...), 0)
	for _, tag := range tags {
		if c.tagHolds(bc, tag) {
			key = append(key, '1')
		} else {
			key = append(key, '0')
		}
	}
	v, _ := c.matches.LoadOrStore(string(key), &sharedMatch{})
	m := v.(*sharedMatch)
	m.once.Do(func() { m.builds, m.err = bc.MatchFile(dir, name) })
	return m.builds, m.err
}

// tagHolds says whether build tag tag holds on bc's target, as go/build says: asked of it with
// a file whose only constraint is the tag.
func (c *dirCache) tagHolds(bc *build.Context, tag string) bool {
	k := tagKey{bc, tag}
	if v, ok := c.tags.Load(k); ok {
		return v.(bool)
	}
	probe := *bc
	src := "//go:build " + tag + "\n\npackage p\n"
	probe.OpenFile = func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(src)), nil
	}
	holds, err := probe.MatchFile(".", "tag.go")
	holds = holds && err == nil
	c.tags.Store(k, holds)
	return holds
}

// sharedImport is go/build's package in a directory for the targets that build the same files
// of it (dirCache.importDir).
type sharedImport struct {
	once sync.Once
	bp   *build.Package
	err  error
}

type moduleList struct {
	once sync.Once
	mods []*listModule
}

func (c *dirCache) buildList(req *Request, t *Target) []*listModule {
	env := targetEnv(t)
	v, _ := c.lists.LoadOrStore(req.dir(t)+"\x00"+envValue(env, "GOWORK"), &moduleList{})
	ml := v.(*moduleList)
	ml.once.Do(func() {
		cmd := exec.Command(req.Go, "list", "-m", "-e", "-json=Path,Dir,GoVersion,GoMod",
			"all")
		cmd.Dir, cmd.Env = req.dir(t), env
		out, _ := cmd.Output() // -e: modules not on disk have no Dir, and are left out
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			m := new(listModule)
			if err := dec.Decode(m); err != nil {
				break
			}
			if m.Dir != "" {
				ml.mods = append(ml.mods, m)
			}
		}
	})
	return ml.mods
}

type dirListing struct {
	infos []fs.FileInfo
	err   error
	files *dirFiles // its files, as importDir reads them for every target
}

// dirFiles are a directory's files (not its subdirectories), in order, with what importDir
// and mergedImport read of each for every target, kept with the listing rather than looked
// up by path for each target.
type dirFiles struct {
	infos   []fs.FileInfo
	paths   []string
	entries []atomic.Pointer[fileEntry] // fileCache.entry's, once asked
	// go/build's answer for each file alone (mergedImport), by its state ('0', '1', '2')
	answers [][3]sharedImport
}

func (c *dirCache) readDir(dir string) ([]fs.FileInfo, error) {
	l, _ := c.listing(dir)
	return l.infos, l.err
}

// listing is dir's listing, read once; ok is false if it could not be read.
func (c *dirCache) listing(dir string) (dirListing, bool) {
	if v, ok := c.dirs.Load(dir); ok {
		l := v.(dirListing)
		return l, l.err == nil
	}
	ents, err := os.ReadDir(dir)
	var infos []fs.FileInfo
	for _, e := range ents {
		info, ierr := e.Info()
		if ierr != nil {
			err = ierr
			break
		}
		infos = append(infos, info)
	}
	l := dirListing{infos: infos, err: err}
	if err == nil {
		df := &dirFiles{}
		for _, fi := range infos {
			if !fi.IsDir() {
				df.infos = append(df.infos, fi)
				df.paths = append(df.paths, filepath.Join(dir, fi.Name()))
			}
		}
		df.entries = make([]atomic.Pointer[fileEntry], len(df.infos))
		df.answers = make([][3]sharedImport, len(df.infos))
		l.files = df
	}
	v, _ := c.dirs.LoadOrStore(dir, l)
	l = v.(dirListing)
	return l, l.err == nil
}

// entry is the i-th file's fileCache entry.
func (df *dirFiles) entry(fc *fileCache, i int) *fileEntry {
	if e := df.entries[i].Load(); e != nil {
		return e
	}
	e := fc.entry(df.paths[i])
	df.entries[i].Store(e)
	return e
}

func (c *dirCache) openFile(path string) (io.ReadCloser, error) {
	return c.fc.openHeader(path)
}

func (c *dirCache) isDir(dir string) bool {
	_, err := c.readDir(dir)
	return err == nil
}

// hasGoMod: dir is a module's root (a nested module, below another).
func (c *dirCache) hasGoMod(dir string) bool {
	infos, _ := c.readDir(dir)
	for _, fi := range infos {
		if fi.Name() == "go.mod" && !fi.IsDir() {
			return true
		}
	}
	return false
}

// buildContext is go/build's context for t, with the tags `go list` would use (asked of the
// go command: tool tags depend on GOARCH, its feature level and GOEXPERIMENT).
func buildContext(ctx context.Context, req *Request, t *Target, dc *dirCache) (*build.Context,
	error) {
	env := targetEnv(t)
	if strings.TrimSpace(envValue(env, "GOFLAGS")) != "" {
		return nil, fallback("GOFLAGS is set")
	}
	if envValue(env, "CGO_ENABLED") != "0" {
		return nil, fallback("cgo is on")
	}
	args := []string{"list", "-f", "{{context.GOOS}}|{{context.GOARCH}}|{{context.GOROOT}}|" +
		"{{join context.ToolTags \",\"}}|{{join context.ReleaseTags \",\"}}|" +
		"{{join context.BuildTags \",\"}}"}
	if len(t.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(t.Tags, ","))
	}
	cmd := exec.CommandContext(ctx, req.Go, append(args, "unsafe")...)
	cmd.Dir, cmd.Env = req.dir(t), env
	out, err := cmd.Output()
	if err != nil {
		return nil, fallback("go list -f context: %v", err)
	}
	f := strings.Split(strings.TrimSpace(string(out)), "|")
	if len(f) != 6 {
		return nil, fallback("go list -f context: %q", out)
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	bc := &build.Context{GOOS: f[0], GOARCH: f[1], GOROOT: f[2], Compiler: "gc",
		ToolTags: split(f[3]), ReleaseTags: split(f[4]), BuildTags: split(f[5]),
		ReadDir: dc.readDir, OpenFile: dc.openFile}
	return bc, nil
}

// lister computes one target's graph from a reference listing.
type lister struct {
	bc      *build.Context
	probe   *build.Context // bc asking about file names only (nameProbe)
	dc      *dirCache
	goroot  string // $GOROOT/src/
	modules []*listModule
	roots   map[string]root           // the packages the patterns match for this target, by path
	pkgs    map[string]*listPkg       // computed packages by ImportPath
	bps     map[string]*build.Package // by import path, once loaded
	dirs    map[string]importedDir    // go/build's answers by directory
	order   []*listPkg
	req     *Request
	t       *Target
}

type importedDir struct {
	bp  *build.Package
	err error
}

// importDir is go/build's package in dir for this target, asked once.
func (l *lister) importDir(dir string) (*build.Package, error) {
	if d, ok := l.dirs[dir]; ok {
		return d.bp, d.err
	}
	bp, err := l.dc.importDir(l.bc, l.probe, dir)
	l.dirs[dir] = importedDir{bp, err}
	return bp, err
}

// importDir is go/build's package in dir for bc's target, computed once for all the targets
// that build the same files of dir. What go/build answers for a directory (files, imports,
// name) is a function of which of its files the target builds, since their contents are the
// same for every target (and what this engine reads of the answer depends on nothing else:
// not PkgObj and the like). Which files a target builds is decided by each file's name, asked
// of go/build without reading the file (probe), and by its build constraints, asked of
// go/build in full only for a file that mentions any (fileCache.constrained): so for most
// directories a target reads no file header at all. Where go/build cannot say (an unreadable
// file, a malformed constraint), the target gets its own answer.
func (c *dirCache) importDir(bc, probe *build.Context, dir string) (*build.Package, error) {
	l, ok := c.listing(dir)
	if !ok {
		return bc.ImportDir(dir, 0)
	}
	df := l.files
	key := make([]byte, 0, len(dir)+1+len(df.infos))
	key = append(append(key, dir...), 0)
	for i, fi := range df.infos {
		name := fi.Name()
		// Its state: '1' the target builds it; '0' not, for its name, or not a source file
		// (never read); '2' not, for its constraint lines (read: their tags are among
		// AllTags). Where the name decides, as answered: a .syso builds (never read).
		state := byte('0')
		builds, err := probe.MatchFile(dir, name)
		switch {
		case err == errNameMatches:
			state = '1'
			if df.entry(c.fc, i).mayBeConstrained() {
				if builds, err = c.matchConstrained(bc, dir, name, df.paths[i]); err != nil {
					return bc.ImportDir(dir, 0)
				} else if !builds {
					state = '2'
				}
			}
		case err != nil:
			return bc.ImportDir(dir, 0)
		case builds:
			state = '1'
		}
		key = append(key, state)
	}
	v, _ := c.imports.LoadOrStore(string(key), &sharedImport{})
	si := v.(*sharedImport)
	si.once.Do(func() {
		var ok bool
		if si.bp, si.err, ok = c.mergedImport(bc, dir, df, key[len(dir)+1:]); ok {
			c.merged.Add(1)
		} else {
			c.whole.Add(1)
			si.bp, si.err = bc.ImportDir(dir, 0)
		}
	})
	return si.bp, si.err
}

// mergedImport is go/build's package in dir for a target that builds files as states says
// (importDir's), put together from go/build's answer for each file alone (a directory
// that lists only it), as go/build's Import puts its files together: their lists in the
// directory's order, the imports sorted and without repeats, every file's tags. A file's
// answer depends on the target only through whether it builds the file, and if not whether
// for its name or its constraint lines (read only then: their tags), since this engine lists
// with cgo off (a file importing "C" is ignored): so each is computed once for every target,
// and a directory whose files differ between targets (runtime, syscall, os, ...) does not
// have each file's header read again for each. ok is false where the answers do not say
// enough to be sure (a file with an error, files naming different packages, a package named
// like an external test): then go/build answers for the directory.
func (c *dirCache) mergedImport(bc *build.Context, dir string, df *dirFiles,
	states []byte) (bp *build.Package, err error, ok bool) {
	p := &build.Package{}
	tags := map[string]bool{}
	imports, testImports, xtestImports := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, fi := range df.infos {
		fa := &df.answers[i][states[i]-'0']
		fa.once.Do(func() {
			one := *bc
			one.ReadDir = func(string) ([]fs.FileInfo, error) { return []fs.FileInfo{fi}, nil }
			fa.bp, fa.err = one.ImportDir(dir, 0)
		})
		var noGo *build.NoGoError
		if fa.bp == nil || fa.err != nil && !errors.As(fa.err, &noGo) ||
			len(fa.bp.InvalidGoFiles) > 0 || len(fa.bp.CgoFiles) > 0 {
			return nil, nil, false
		}
		f := fa.bp
		if p.Dir == "" {
			p.Dir, p.ImportPath, p.Root, p.SrcRoot = f.Dir, f.ImportPath, f.Root, f.SrcRoot
			p.PkgRoot, p.PkgTargetRoot, p.BinDir, p.Goroot = f.PkgRoot, f.PkgTargetRoot,
				f.BinDir, f.Goroot
		}
		switch {
		case f.Name == "":
		case p.Name == "":
			p.Name = f.Name
		case f.Name != p.Name:
			return nil, nil, false // go/build reports a MultiplePackageError
		}
		for _, t := range f.AllTags {
			tags[t] = true
		}
		for _, l := range []struct{ to, from *[]string }{{&p.GoFiles, &f.GoFiles},
			{&p.IgnoredGoFiles, &f.IgnoredGoFiles}, {&p.IgnoredOtherFiles, &f.IgnoredOtherFiles},
			{&p.CFiles, &f.CFiles}, {&p.CXXFiles, &f.CXXFiles}, {&p.MFiles, &f.MFiles},
			{&p.HFiles, &f.HFiles}, {&p.FFiles, &f.FFiles}, {&p.SFiles, &f.SFiles},
			{&p.SwigFiles, &f.SwigFiles}, {&p.SwigCXXFiles, &f.SwigCXXFiles},
			{&p.SysoFiles, &f.SysoFiles}, {&p.TestGoFiles, &f.TestGoFiles},
			{&p.XTestGoFiles, &f.XTestGoFiles}} {
			*l.to = append(*l.to, *l.from...)
		}
		for _, l := range []struct {
			to   map[string]bool
			from []string
		}{{imports, f.Imports}, {testImports, f.TestImports}, {xtestImports, f.XTestImports}} {
			for _, path := range l.from {
				l.to[path] = true
			}
		}
	}
	if strings.HasSuffix(p.Name, "_test") {
		// go/build tells an external test from the package by the name of the files before
		// it in the directory: a file alone cannot say.
		return nil, nil, false
	}
	p.AllTags, p.Imports, p.TestImports = sortedKeys(tags), sortedKeys(imports),
		sortedKeys(testImports)
	p.XTestImports = sortedKeys(xtestImports)
	if len(p.GoFiles)+len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
		return p, &build.NoGoError{Dir: p.Dir}, true
	}
	return p, nil, true
}

// errNameMatches is how a probe context (nameProbe) says a file's name is one its target
// builds: go/build opens a file only once its name matches.
var errNameMatches = errors.New("the name matches")

// nameProbe is bc asking go/build about file names only: opening a file fails with
// errNameMatches.
func nameProbe(bc *build.Context) *build.Context {
	probe := *bc
	probe.OpenFile = func(string) (io.ReadCloser, error) { return nil, errNameMatches }
	return &probe
}

// listFrom is t's graph computed from ref, the `go list` answer of another target of the same
// module and patterns, with bc, t's build context (buildContext); a *listFallback error when
// `go list` must answer for t.
func listFrom(req *Request, t *Target, ref []*listPkg, dc *dirCache,
	bc *build.Context) ([]*listPkg, error) {
	l := &lister{bc: bc, probe: nameProbe(bc), dc: dc,
		goroot: filepath.Join(bc.GOROOT, "src") + string(filepath.Separator),
		roots:  map[string]root{}, pkgs: map[string]*listPkg{}, bps: map[string]*build.Package{},
		dirs: map[string]importedDir{}, req: req, t: t}
	mods := map[string]*listModule{}
	for _, p := range ref {
		if (p.Error != nil && !ignorableListError(p.Error.Err)) || len(p.DepsErrors) > 0 {
			return nil, fallback("the reference listing has errors")
		}
		for src, id := range p.ImportMap {
			if !p.Standard && !strings.HasSuffix(id, "]") && id != src {
				return nil, fallback("%s is vendored", src)
			}
		}
		if p.Module != nil && p.Module.Dir != "" && mods[p.Module.Path] == nil {
			mods[p.Module.Path] = p.Module
			l.modules = append(l.modules, p.Module)
			if p.Module.Main && dc.isDir(filepath.Join(p.Module.Dir, "vendor")) {
				return nil, fallback("module %s has a vendor directory", p.Module.Path)
			}
		}
	}
	if err := l.matchRoots(req.dir(t), req.patterns(t)); err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(l.roots))
	for path := range l.roots {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		r := l.roots[path]
		if _, err := l.load(path, r.dir, false, r.mod); err != nil {
			return nil, err
		}
	}
	for _, path := range paths {
		if err := l.tests(l.pkgs[path]); err != nil {
			return nil, err
		}
	}
	return l.order, nil
}

// root is a package the patterns match: its directory and module.
type root struct {
	dir string
	mod *listModule
}

// matchRoots finds the packages patterns match for this target, as `go list` does in module
// mode: "./..." (or "./dir/...") every directory below with a Go file this target builds
// (tests included), outside testdata and names starting with "." or "_", and up to nested
// modules; "." or "./dir" that directory whatever it holds. Other patterns: go list.
func (l *lister) matchRoots(dir string, patterns []string) error {
	var main *listModule // the main module holding dir
	for _, m := range l.modules {
		if m.Main && (dir == m.Dir || strings.HasPrefix(dir, m.Dir+string(filepath.Separator))) &&
			(main == nil || len(m.Dir) > len(main.Dir)) {
			main = m
		}
	}
	if main == nil {
		return fallback("no main module holds %s", dir)
	}
	if gomod, err := l.dc.fc.contents(filepath.Join(main.Dir, "go.mod")); err != nil ||
		bytes.Contains(gomod, []byte("\nignore")) {
		return fallback("go.mod of %s: ignore directives or unreadable", main.Path)
	}
	add := func(d string) error {
		rel, err := filepath.Rel(main.Dir, d)
		if err != nil || strings.HasPrefix(rel, "..") {
			return fallback("%s is outside its module", d)
		}
		path := main.Path
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		l.roots[path] = root{d, main}
		return nil
	}
	for _, pat := range patterns {
		base, walk := strings.CutSuffix(pat, "/...")
		if pat == "./..." {
			base, walk = ".", true
		}
		if base != "." && !strings.HasPrefix(base, "./") || strings.Contains(base, "...") {
			return fallback("pattern %s", pat)
		}
		d := filepath.Join(dir, filepath.FromSlash(base))
		if !walk {
			if err := add(d); err != nil {
				return err
			}
			continue
		}
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !e.IsDir() {
				return nil
			}
			if p != d {
				name := e.Name()
				if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
					name == "testdata" {
					return filepath.SkipDir
				}
				if l.dc.hasGoMod(p) {
					return filepath.SkipDir
				}
			}
			bp, err := l.importDir(p)
			var noGo *build.NoGoError
			if errors.As(err, &noGo) {
				for _, tag := range bp.AllTags {
					if tag == "cgo" {
						return fallback("%s has cgo files", p)
					}
				}
			} else if err := add(p); err != nil {
				return err
			}
			if e.Name() == "vendor" && p != d {
				return filepath.SkipDir // a package named vendor, but nothing below it
			}
			return nil
		})
		if err != nil {
			var fb *listFallback
			if errors.As(err, &fb) {
				return err
			}
			return fallback("walking %s: %v", d, err)
		}
	}
	return nil
}

// load computes the package at dir and, first, its dependencies (a package met again while
// they load closes an import cycle).
func (l *lister) load(path, dir string, std bool, mod *listModule) (*listPkg, error) {
	if p := l.pkgs[path]; p != nil {
		if p.Dir == "" { // being loaded
			return nil, fallback("import cycle through %s", path)
		}
		return p, nil
	}
	_, isRoot := l.roots[path]
	p := &listPkg{ImportPath: path, Standard: std, Module: mod, DepOnly: !isRoot}
	l.pkgs[path] = p
	bp, err := l.importDir(dir)
	var noGo *build.NoGoError
	switch {
	case errors.As(err, &noGo) && !p.DepOnly && len(bp.IgnoredGoFiles) > 0:
		// A matched directory whose files this target excludes: go list says so, and
		// there is nothing to check (the engine ignores the error).
		p.Dir, p.IgnoredGoFiles, p.IgnoredOtherFiles = dir, bp.IgnoredGoFiles, bp.IgnoredOtherFiles
		p.Error = &listError{Err: "build constraints exclude all Go files in " + dir}
		l.order = append(l.order, p)
		return p, nil
	case err != nil:
		return nil, fallback("%s: %v", path, err)
	case len(bp.GoFiles)+len(bp.CgoFiles) == 0 && p.DepOnly:
		return nil, fallback("%s has only test files", path) // go list: an error
	}
	l.bps[path] = bp
	p.Name, p.GoFiles, p.CgoFiles = bp.Name, bp.GoFiles, bp.CgoFiles
	p.SFiles, p.CFiles = bp.SFiles, bp.CFiles
	p.IgnoredGoFiles, p.IgnoredOtherFiles = bp.IgnoredGoFiles, bp.IgnoredOtherFiles
	p.Imports, p.ImportMap, err = l.imports(p, bp.Imports)
	if err != nil {
		return nil, err
	}
	p.Dir = dir
	l.order = append(l.order, p)
	return p, nil
}

// imports resolves a package's imports (loading them), as go list reports them: resolved
// paths, and the source paths that resolve elsewhere (the standard library's vendor/).
func (l *lister) imports(p *listPkg, srcs []string) ([]string,
	map[string]string, error) {
	var ids []string
	var m map[string]string
	for _, src := range srcs {
		if src == "C" {
			return nil, nil, fallback("%s imports C", p.ImportPath)
		}
		id, dir, std, mod, err := l.resolve(p, src)
		if err != nil {
			return nil, nil, err
		}
		if dep, err := l.load(id, dir, std, mod); err != nil {
			return nil, nil, err
		} else if dep.Error != nil {
			return nil, nil, fallback("%s imports %s, which does not build", p.ImportPath, id)
		}
		if id != src {
			if m == nil {
				m = map[string]string{}
			}
			m[src] = id
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, m, nil
}

// resolve finds where an import of p leads: its import path as listed, its directory, and
// whether it is in the standard library or which module holds it.
func (l *lister) resolve(p *listPkg, src string) (string, string, bool, *listModule, error) {
	if p.Standard {
		if dir := l.goroot + filepath.FromSlash("vendor/"+src); l.dc.isDir(dir) {
			return "vendor/" + src, dir, true, nil, nil
		}
	} else if !allowedInternal(pkgPath(p.ImportPath), src) &&
		(p.ForTest == "" || !allowedInternal(p.ForTest, src)) { // a test of p is where p is
		return "", "", false, nil, fallback("%s may not import %s", p.ImportPath, src)
	}
	first, _, _ := strings.Cut(src, "/")
	if dir := l.goroot + filepath.FromSlash(src); !strings.Contains(first, ".") &&
		l.dc.isDir(dir) {
		return src, dir, true, nil, nil
	}
	best := provider(l.modules, src)
	if best == nil { // a module only this target imports: from the module graph
		if best = provider(l.buildList(), src); best == nil {
			return "", "", false, nil, fallback("no module provides %s", src)
		}
		for _, m := range l.buildList() { // go list would call it ambiguous
			rel := filepath.FromSlash(strings.TrimPrefix(src, m.Path))
			if m != best && (src == m.Path || strings.HasPrefix(src, m.Path+"/")) &&
				l.dc.isDir(filepath.Join(m.Dir, rel)) {
				return "", "", false, nil, fallback("%s is in two modules", src)
			}
		}
	}
	dir := filepath.Join(best.Dir, filepath.FromSlash(strings.TrimPrefix(src, best.Path)))
	for d := dir; d != filepath.Clean(best.Dir); d = filepath.Dir(d) { // a nested module?
		if l.dc.hasGoMod(d) {
			return "", "", false, nil, fallback("%s is in a nested module", src)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return src, dir, false, best, nil
}

// provider is the module of mods whose path is the longest prefix of import path src.
func provider(mods []*listModule, src string) *listModule {
	var best *listModule
	for _, m := range mods {
		if (src == m.Path || strings.HasPrefix(src, m.Path+"/")) &&
			(best == nil || len(m.Path) > len(best.Path)) {
			best = m
		}
	}
	return best
}

// buildList is the module graph's modules that are on disk, as `go list -m -e -json all`
// reports them where the reference was listed, asked once per run (dirCache.buildList); none
// is a main module (the one being checked is in the reference).
func (l *lister) buildList() []*listModule {
	return l.dc.buildList(l.req, l.t)
}

// allowedInternal: go's rule for internal packages (a path element "internal" may only be
// imported from within the tree rooted at its parent).
func allowedInternal(importer, path string) bool {
	for i := 0; ; {
		j := strings.Index(path[i:], "internal")
		if j < 0 {
			return true
		}
		j += i
		end := j + len("internal")
		if (j == 0 || path[j-1] == '/') && (end == len(path) || path[end] == '/') {
			parent := strings.TrimSuffix(path[:j], "/")
			if parent != "" && importer != parent && !strings.HasPrefix(importer, parent+"/") {
				return false
			}
			if parent == "" && strings.Contains(strings.SplitN(importer, "/", 2)[0], ".") {
				return false // the standard library's internal packages
			}
		}
		i = end
	}
}

// tests adds root p's test variants, as `go list -test` does: "p [p.test]" with its internal
// test files, "p_test [p.test]" with the external ones, and every package between those and p
// recompiled against "p [p.test]" ("q [p.test]"). The generated test main is left out: the
// engine does not check it.
func (l *lister) tests(p *listPkg) error {
	bp := l.bps[p.ImportPath]
	if bp == nil || len(bp.TestGoFiles)+len(bp.XTestGoFiles) == 0 {
		return nil
	}
	forTest := p.ImportPath
	suffix := " [" + forTest + ".test]"
	ptest := p
	if len(bp.TestGoFiles) > 0 || p.Name == "main" { // a command is recompiled for tests
		ptest = l.variant(p, forTest+suffix, forTest)
		ptest.DepOnly = false
		ptest.GoFiles = append(append([]string{}, p.GoFiles...), bp.TestGoFiles...)
		// As go list reports them: the package's imports, then its tests', not deduplicated.
		ids, m, err := l.imports(ptest, append(append([]string{}, bp.Imports...),
			bp.TestImports...))
		if err != nil {
			return err
		}
		memo := map[string]bool{} // whether a package depends on forTest: the same for every id
		for _, id := range ids {
			if l.dependsOn(id, forTest, memo) {
				return fallback("%s's tests import it", forTest) // go list: an import cycle
			}
		}
		ptest.Imports, ptest.ImportMap = ids, m
		l.order = append(l.order, ptest)
	}
	if len(bp.XTestGoFiles) == 0 {
		return nil
	}
	pxtest := &listPkg{ImportPath: forTest + "_test" + suffix, Name: bp.Name + "_test",
		Dir: p.Dir, ForTest: forTest, Module: p.Module, GoFiles: bp.XTestGoFiles}
	ids, m, err := l.imports(pxtest, bp.XTestImports)
	if err != nil {
		return err
	}
	pxtest.Imports, pxtest.ImportMap = ids, m
	if ptest != p {
		// Recompile what depends on p, from the external test down, against ptest.
		copies := map[string]*listPkg{forTest: ptest}
		memo := map[string]bool{}
		var recompile func(id string) string
		recompile = func(id string) string {
			if c := copies[id]; c != nil {
				return c.ImportPath
			}
			if !l.dependsOn(id, forTest, memo) {
				return id
			}
			q := l.pkgs[id]
			c := l.variant(q, id+suffix, forTest)
			copies[id] = c
			c.Imports, c.ImportMap = remap(q, recompile)
			l.order = append(l.order, c)
			return c.ImportPath
		}
		pxtest.Imports, pxtest.ImportMap = remap(pxtest, recompile)
	}
	l.order = append(l.order, pxtest)
	return nil
}

// dependsOn: package id imports path, directly or not (memo: answers so far).
func (l *lister) dependsOn(id, path string, memo map[string]bool) bool {
	if id == path {
		return true
	}
	if v, ok := memo[id]; ok {
		return v
	}
	memo[id] = false
	for _, d := range l.pkgs[id].Imports {
		if l.dependsOn(d, path, memo) {
			memo[id] = true
			break
		}
	}
	return memo[id]
}

// variant is a copy of p under another import path, for test forTest.
func (l *lister) variant(p *listPkg, path, forTest string) *listPkg {
	c := *p
	c.ImportPath, c.ForTest, c.DepOnly = path, forTest, true
	return &c
}

// remap is p's imports with each resolved path passed through to (the recompiled copies),
// and the import map that says so.
func remap(p *listPkg, to func(string) string) ([]string, map[string]string) {
	back := map[string]string{} // resolved -> source
	for _, id := range p.Imports {
		back[id] = id
	}
	for src, id := range p.ImportMap {
		back[id] = src
	}
	var ids []string
	var m map[string]string
	for _, id := range p.Imports {
		nid := to(id)
		ids = append(ids, nid)
		if src := back[id]; nid != src {
			if m == nil {
				m = map[string]string{}
			}
			m[src] = nid
		}
	}
	sort.Strings(ids)
	return ids, m
}
