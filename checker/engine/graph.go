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
	report bool
	// imported: another package of the graph imports it (vet's facts about it have a reader)
	imported bool
}

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
			dep.imported = true
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
