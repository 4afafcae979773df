package main

import (
	"fmt"
	"sort"
)

// node is one package of one target's graph.
type node struct {
	lp     *listPkg
	id     string
	files  []string
	deps   map[string]*node // source import path -> package
	entry  *entry
	state  int // 0 new, 1 visiting, 2 done (cycle detection)
	report bool
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
		}
	}
	for _, p := range pkgs {
		n := g.nodes[p.ImportPath]
		if n == nil || !p.main() {
			continue
		}
		if p.Error != nil && !ignorableListError(p.Error.Err) {
			g.errs = append(g.errs, listDiag(p, moduleDir))
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

// key computes the sharing keys of n and its dependencies and finds or makes their entries.
func (g *targetGraph) key(n *node, fc *fileCache, reg *registry, salt string) (*entry, error) {
	switch n.state {
	case 1:
		return nil, fmt.Errorf("import cycle through %s", n.id)
	case 2:
		return n.entry, nil
	}
	n.state = 1
	defer func() { n.state = 2 }()
	if n.id == "unsafe" {
		n.entry = unsafeEntry
		return n.entry, nil
	}
	sizes := sizesFor(g.t.GOARCH)
	k := &keyInput{path: pkgPath(n.id), name: n.lp.Name, lang: n.lp.lang(),
		sizes: sizesKey(sizes), full: n.lp.main(), fakeC: len(n.lp.CgoFiles) > 0,
		files: n.files, imports: map[string]string{}, salt: salt}
	imports := map[string]*entry{}
	for src, dep := range n.deps {
		de, err := g.key(dep, fc, reg, salt)
		if err != nil || de == nil {
			continue // the importer reports it missing, like a broken dependency
		}
		imports[src] = de
		k.imports[src] = de.key
	}
	for _, f := range n.files {
		h, err := fc.hash(f)
		if err != nil {
			return nil, err
		}
		k.hashes = append(k.hashes, h)
	}
	n.entry = reg.get(k, sizes, imports)
	return n.entry, nil
}

func listDiag(p *listPkg, moduleDir string) Diag {
	d := Diag{Message: p.Error.Err, Package: pkgPath(p.ImportPath), Kind: "list"}
	if p.Error.Pos != "" {
		d.File, d.Line, d.Col = splitPos(p.Error.Pos, moduleDir)
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
