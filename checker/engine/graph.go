// One target's package graph, built from its `go list` output: which packages import which,
// and which main-module packages are reported.

package main

import (
	"go/parser"
	"go/token"
	"sort"
	"strconv"
)

// node is one package of one target's graph.
type node struct {
	lp     *listPkg
	id     string
	files  []string
	deps   map[string]*node // source import path -> package
	entry  *entry           // its types for importers (declarations only for a main-module package)
	result *entry           // a main-module package's full check: findings and vet's facts
	state  int              // 0 new, 1 visiting, 2 done (cycle detection)
	keyErr error            // why it could not be keyed (state 2)
	report bool
	// importers: the packages of the graph that import it, with the path they import it as
	importers []importEdge
}

// importEdge is one import of a node: the importing package and the path as written.
type importEdge struct {
	from *node
	src  string
}

// imported: another package of the graph imports it (vet's facts about it have a reader).
func (n *node) imported() bool { return len(n.importers) > 0 }

// targetGraph is one target's listed packages, with their entries once keyed.
type targetGraph struct {
	t     *Target
	nodes map[string]*node
	order []*node // main-module packages to report, in list order
	roots []string
	errs  []Diag // list errors of main-module packages
}

func buildGraph(t *Target, pkgs []*listPkg, moduleDir string) *targetGraph {
	g := &targetGraph{t: t, nodes: map[string]*node{}}
	for _, p := range pkgs {
		if isTestMain(p) {
			continue
		}
		n := &node{lp: p, id: p.ImportPath, files: p.files(), deps: map[string]*node{}}
		g.nodes[p.ImportPath] = n
	}
	for _, n := range g.nodes {
		rev := map[string]string{}
		for src, id := range n.lp.ImportMap {
			rev[id] = src
		}
		for _, id := range n.lp.Imports {
			dep, ok := g.nodes[id]
			if !ok || id == "C" {
				continue
			}
			src := id
			if s, ok := rev[id]; ok {
				src = s
			}
			n.deps[src] = dep
			dep.importers = append(dep.importers, importEdge{from: n, src: src})
		}
	}
	for _, p := range pkgs {
		n := g.nodes[p.ImportPath]
		if n == nil || !p.main() {
			continue
		}
		if p.Error != nil && !ignorableListError(p.Error.Err) {
			g.errs = append(g.errs, listDiag(p, p.Error, moduleDir))
			continue
		}
		if len(p.cgoErrs) > 0 { // cgo failed on its files: go build stops there too (cgo.go)
			g.errs = append(g.errs, p.cgoErrs...)
			continue
		}
		if len(p.DepsErrors) > 0 {
			// A dependency cannot be loaded (a missing module, a path not in std): go build
			// says why in go list's words, at the import, and does not compile the package;
			// type-checking it would only add "could not import" errors.
			for _, de := range p.DepsErrors {
				g.errs = append(g.errs, depsDiag(n, de, moduleDir))
			}
			continue
		}
		if p.Error != nil || len(n.files) == 0 {
			continue
		}
		n.report = true
		g.order = append(g.order, n)
		if p.ForTest == "" && !p.DepOnly {
			g.roots = append(g.roots, p.ImportPath)
		}
	}
	sort.Strings(g.roots)
	return g
}

// targetReport is what a target's findings need of its graph once it is keyed: the graph
// itself (every package listed, with its files, imports and go list's fields) is dropped when
// the target is scheduled, since with many targets it is most of what listing them holds.
type targetReport struct {
	roots []string      // the packages the patterns match (TargetResult.Packages)
	errs  []Diag        // list errors of main-module packages
	pkgs  []reportedPkg // main-module packages to report, in list order
	deps  []depPkg      // dependency modules' packages checked for their errors (deps.go)
	goMod string        // the main module's go.mod ("": none), read when a dependency has errors
	nodes int           // packages with an entry (Stats.Nodes)
}

// reportedPkg is what a target's findings need of a main-module package it reports.
type reportedPkg struct {
	path    string // its package path
	result  *entry // its full check (nil: it could not be keyed)
	asked   bool   // the patterns match it (narrowing warns only there, as vet does)
	vetted  bool   // go vet reports its findings (vetted)
	cgo     bool   // it has cgo files
	cgoReal bool   // checked with cgo's real output (cgo.go)
}

// depPkg is a dependency module's package checked for its own errors: its entry, and, when
// its errors are reported (go list loaded it), its module and the import chain to it from a
// reported package.
type depPkg struct {
	entry  *entry
	report bool
	module *listModule
	chain  []string
}

// report is what g's findings need, once it is keyed (targetReport).
func (g *targetGraph) report() *targetReport {
	rep := &targetReport{roots: g.roots, errs: g.errs}
	for _, n := range g.order {
		rep.pkgs = append(rep.pkgs, reportedPkg{path: pkgPath(n.id), result: n.result,
			asked: !n.lp.DepOnly, vetted: vetted(g, n), cgo: len(n.lp.CgoFiles) > 0,
			cgoReal: n.lp.cgoReal})
		if m := n.lp.Module; rep.goMod == "" && m != nil && m.Main {
			rep.goMod = m.GoMod
		}
	}
	var chains map[*node]*node
	for _, id := range sortedIDs(g) {
		n := g.nodes[id]
		if n.entry != nil && n.entry != unsafeEntry {
			rep.nodes++
		}
		if n.entry == nil || !n.entry.bodies {
			continue
		}
		d := depPkg{entry: n.entry}
		if isDependency(n.lp) && n.lp.Error == nil && len(n.lp.DepsErrors) == 0 {
			if chains == nil {
				chains = importers(g)
			}
			d.report, d.module, d.chain = true, n.lp.Module, chainTo(n, chains)
		}
		rep.deps = append(rep.deps, d)
	}
	return rep
}

func listDiag(p *listPkg, le *listError, moduleDir string) Diag {
	d := Diag{Message: le.Err, Package: pkgPath(p.ImportPath), Kind: "list"}
	if le.Pos != "" {
		d.File, d.Line, d.Col = splitPos(le.Pos, moduleDir)
	}
	return d
}

// sortedIDs are g's package IDs in order, so that keying visits them deterministically.
func sortedIDs(g *targetGraph) []string {
	ids := make([]string, 0, len(g.nodes))
	for id := range g.nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// depsDiag is a load error of one of p's dependencies, with the import chain from p, placed
// (when go list gives no position: `build constraints exclude all Go files in ...`) at p's
// import that leads to it.
func depsDiag(n *node, de *listError, moduleDir string) Diag {
	d := listDiag(n.lp, de, moduleDir)
	if len(de.ImportStack) < 2 {
		return d
	}
	for _, id := range de.ImportStack {
		d.Chain = append(d.Chain, pkgPath(id))
	}
	if d.File == "" {
		d.File, d.Line, d.Col = importPos(n, de.ImportStack[1])
	}
	return d
}

// importPos is where n's files import the package id (as written, or through ImportMap).
func importPos(n *node, id string) (string, int, int) {
	for _, f := range n.files {
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if af == nil || err != nil && len(af.Imports) == 0 {
			continue
		}
		for _, imp := range af.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil || path != id && n.lp.ImportMap[path] != id {
				continue
			}
			pos := fset.Position(imp.Path.Pos())
			return f, pos.Line, pos.Column
		}
	}
	return "", 0, 0
}
