// Where vet plugs into the engine. The engine itself uses only the standard library; vet's
// analyzers come from the Go distribution's own vendored golang.org/x/tools, built in only
// when crossvet builds the engine with the crossvet_vet tag (vetprep/ lays out that build
// and writes the list of analyzers of that Go release). Without it, newVetRun is nil and a
// request for vet is answered with VetError.

package main

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// vetRun is one run's vet (vet.go): it analyzes type-checked entries and keeps what their
// analyses share (the findings in ignored files, copies of their headers) until close.
type vetRun interface {
	// analyze runs vet's analyzers on one type-checked main-module entry, or on a dependency
	// for its facts, and returns its findings (Kind "vet"); it records the entry's facts in
	// e.facts for its importers.
	analyze(fset *token.FileSet, files []*ast.File, info *types.Info, e *entry) []Diag
	// factsOf describes, for e's print (apiprint.go), the facts of the objects e imports.
	factsOf(e *entry) *factsView
	// encodeFacts and decodeFacts write and read an entry's facts (e.facts) for the result
	// cache; false when they cannot (a fact gob cannot write).
	factCodec
	// cpu is the worker time spent in the analyzers so far.
	cpu() time.Duration
	// close removes what the run wrote.
	close()
}

// newVetRun starts one run's vet; nil when the engine is built without vet's analyzers.
var newVetRun func() vetRun

// LintAnalyzer is one analyzer the engine runs besides vet's (lint.go, `analyzers:`), as its
// answer lists it: its findings are vet's (Kind "vet") under its Name.
type LintAnalyzer struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	Merge   string `json:"merge,omitempty"` // "all": it declares MergeIfAll; "" any
	Package string `json:"package"`         // the package of `analyzers:` that exports it
}

// lintInfo lists the analyzers built in besides vet's; nil in an engine without them.
var lintInfo func() []LintAnalyzer

// depFiles are a dependency's files as the fact-producing analyzers see them: thinned to the
// bodies vet's facts can come from (prune.go), unless other analyzers are built in (lint.go),
// whose facts may come from any body.
func depFiles(files []*ast.File) []*ast.File {
	if lintInfo != nil && len(lintInfo()) > 0 {
		return files
	}
	return thinned(files)
}

// goosClasses: vet's analyzers read the target's GOOS (build.Default.GOOS, set per target by
// vetAsTarget) only to tell linux and darwin from the others (framepointer), so targets whose
// GOOS differs otherwise analyze a package's assembly alike and may share its result. vetprep
// sets it when it finds no other use of build.Default in the release's vendored x/tools than
// GOARCH, ReleaseTags and those comparisons; never in a lint build (`analyzers:` may read
// anything).
var goosClasses = false

// vetGOOS is what of a target's GOOS vet's analyzers can tell apart: itself, or with
// goosClasses, "linux", "darwin" or "other".
func vetGOOS(goos string) string {
	if !goosClasses || goos == "linux" || goos == "darwin" {
		return goos
	}
	return "other"
}

// vetInput is what vet reads besides the Go files: the package's other source files (the
// assembly the asmdecl analyzer checks, ...), the files the build ignores (buildtag reads
// them) and the module, as `go vet` passes them in its config.
type vetInput struct {
	report                               bool   // go vet reports its findings (else facts only)
	goos, goarch                         string // the target's, with other files (vetAsTarget)
	other, ignored                       []string
	modPath, modDir, modGoMod, modGoVers string
	hashes                               map[string][32]byte // of other and ignored files

	// While the entry is checked (open): the files as they were hashed, each read the first
	// time vet asks for it (not when keyed: each target's entry would hold them until then;
	// nor all when checked: x/sys/unix ignores hundreds of large files on every target, and
	// each is analyzed by the one entry that claims it). err: the first that could not be
	// read as it was hashed.
	mu   sync.Mutex
	fc   *fileCache
	data map[string][]byte
	err  error
}

// open makes the other and ignored files readable while the entry is checked.
func (in *vetInput) open(fc *fileCache) {
	in.fc, in.data, in.err = fc, map[string][]byte{}, nil
}

// contents is an other or ignored file as it was hashed (ok: name is one), read once.
func (in *vetInput) contents(name string) (data []byte, ok bool, err error) {
	if in == nil {
		return nil, false, nil
	}
	if _, ok := in.hashes[name]; !ok || in.fc == nil {
		return nil, false, nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if data, ok := in.data[name]; ok {
		return data, true, nil
	}
	data, err = in.fc.contents(name)
	if err != nil {
		if in.err == nil {
			in.err = err
		}
		return nil, true, err
	}
	in.data[name] = data
	return data, true, nil
}

// readErr is the first file vet asked for that could not be read as it was hashed.
func (in *vetInput) readErr() error {
	if in == nil {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.err
}

func newVetInput(p *listPkg) *vetInput {
	abs := func(names ...[]string) []string {
		var out []string
		for _, list := range names {
			for _, f := range list {
				if !filepath.IsAbs(f) {
					f = filepath.Join(p.Dir, f)
				}
				out = append(out, f)
			}
		}
		return out
	}
	in := &vetInput{ignored: abs(p.IgnoredGoFiles, p.IgnoredOtherFiles)}
	if len(p.CgoFiles) == 0 && !p.cgoReal { // with cgo, gcc gets the C and assembly files, vet does not
		in.other = abs(p.SFiles, p.CFiles)
	}
	if m := p.Module; m != nil {
		in.modPath, in.modDir, in.modGoMod, in.modGoVers = m.Path, m.Dir, m.GoMod, m.GoVersion
	}
	return in
}

// vetVersion is the Go version `go vet` gives the analyzers' type-checker for p: "go" + its
// module's go line (not cut to the language version as -lang is).
func (p *listPkg) vetVersion() string {
	if p.named { // go vet gives a package of $GOROOT its own Go version ("go" + gover.Local())
		if v, _, _ := strings.Cut(runtime.Version(), " "); strings.HasPrefix(v, "go") {
			return v // the engine is built by the go it runs with (engine_build.py)
		}
		return ""
	}
	if p.Standard || p.Module == nil {
		return ""
	}
	v := p.Module.GoVersion
	if v == "" {
		v = "1.16"
	}
	return "go" + v
}

// vetted: `go vet` reports n's findings. For each package p it vets p's test variant
// "p [p.test]" when there is one (else p itself) and the external test package
// "p_test [p.test]"; other main-module nodes are analyzed for their facts only.
func vetted(g *targetGraph, n *node) bool {
	p := n.lp
	if p.ForTest != "" {
		path := pkgPath(n.id)
		return path == p.ForTest || path == p.ForTest+"_test"
	}
	if p.DepOnly {
		return false
	}
	_, hasTestVariant := g.nodes[n.id+" ["+n.id+".test]"]
	return !hasTestVariant && !strings.HasSuffix(n.id, ".test")
}

// vetReads: vet's analyzers may read a file of this name when it sits in a package directory
// (the non-Go sources go list reports, built or ignored), so the run cache's key covers it.
func vetReads(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".s", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".f", ".for", ".f90",
		".m", ".swig", ".swigcxx", ".syso":
		return true
	}
	return false
}
