// Dependency modules' findings: the errors of packages of other modules (the module cache,
// `replace`d directories, other workspace modules), checked with their bodies (key.go), placed
// where the checked module can act on them: the `require` line of its go.mod.

package main

import (
	"bufio"
	"bytes"
	"os"
	"sort"
	"strings"
)

// isDependency: p belongs to another module than the ones checked (the standard library is not
// a module here; a package with no module at all is neither).
func isDependency(p *listPkg) bool {
	return !p.main() && !p.Standard && p.Module != nil
}

// DepSource says where a dependency's finding is in the dependency: its module, the version the
// checked module requires (and what go.mod replaces it with), and the position there.
type DepSource struct {
	Module  string `json:"module"`
	Version string `json:"version,omitempty"`
	Replace string `json:"replace,omitempty"` // go.mod's `replace` target, as written
	Dir     string `json:"dir"`               // the module's directory
	File    string `json:"file"`              // absolute
	Line    int    `json:"line"`
	Col     int    `json:"col"`
}

// depFindings are the type and syntax errors of g's dependency-module packages, each placed on
// the checked module's go.mod line that requires the module (line 0 when none does: another
// workspace module) with its position in the dependency and the import chain from a checked
// package. A package go list could not load is left out: its load error is its importers'.
func depFindings(rep *targetReport) []Diag {
	var out []Diag
	var gomod *modFile
	read := false
	for _, dp := range rep.deps {
		if !dp.report || len(dp.entry.diags) == 0 {
			continue
		}
		if !read {
			gomod, read = readModFile(rep.goMod), true
		}
		for _, d := range dp.entry.diags {
			src := &DepSource{Module: dp.module.Path, Dir: dp.module.Dir, File: d.File,
				Line: d.Line, Col: d.Col}
			out = append(out, gomod.place(d, src, dp.chain))
		}
	}
	return out
}

// importers maps each node reached from g's reported packages to the node it is first reached
// from (breadth first: the shortest import chains); reported packages map to nil.
func importers(g *targetGraph) map[*node]*node {
	from := map[*node]*node{}
	queue := make([]*node, 0, len(g.order))
	for _, n := range g.order {
		if _, ok := from[n]; !ok {
			from[n] = nil
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		srcs := make([]string, 0, len(n.deps))
		for src := range n.deps {
			srcs = append(srcs, src)
		}
		sort.Strings(srcs)
		for _, src := range srcs {
			d := n.deps[src]
			if _, ok := from[d]; !ok {
				from[d] = n
				queue = append(queue, d)
			}
		}
	}
	return from
}

// chainTo is the import chain from a reported package to n, as package paths.
func chainTo(n *node, from map[*node]*node) []string {
	var chain []string
	seen := map[*node]bool{}
	for m := n; m != nil && !seen[m]; m = from[m] {
		seen[m] = true
		chain = append([]string{pkgPath(m.id)}, chain...)
		if _, ok := from[m]; !ok {
			break // not reached from a reported package
		}
	}
	return chain
}

// modFile is what the checked module's go.mod says of its requirements: the line of each
// required module and its version, and the replacements.
type modFile struct {
	path     string
	require  map[string]modLine
	replaces map[string]string
}

type modLine struct {
	line    int
	version string
}

// readModFile reads the main module's go.mod (nil when it has none or cannot be read).
func readModFile(path string) *modFile {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	mf := parseModFile(data)
	mf.path = path
	return mf
}

// parseModFile reads require and replace directives, in single-line and block form.
func parseModFile(data []byte) *modFile {
	mf := &modFile{require: map[string]modLine{}, replaces: map[string]string{}}
	block := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.Index(text, "//"); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if block != "" {
			if fields[0] == ")" {
				block = ""
				continue
			}
		} else if fields[0] == "require" || fields[0] == "replace" {
			if len(fields) == 2 && fields[1] == "(" {
				block = fields[0]
				continue
			}
			block, fields = fields[0], fields[1:]
			mf.directive(block, fields, line)
			block = ""
			continue
		} else {
			continue
		}
		mf.directive(block, fields, line)
	}
	return mf
}

func (mf *modFile) directive(verb string, fields []string, line int) {
	for i := range fields {
		fields[i] = strings.Trim(fields[i], `"`)
	}
	switch verb {
	case "require":
		if len(fields) >= 2 {
			mf.require[fields[0]] = modLine{line: line, version: fields[1]}
		}
	case "replace":
		for i, f := range fields {
			if f == "=>" && i+1 < len(fields) {
				mf.replaces[fields[0]] = strings.Join(fields[i+1:], " ")
			}
		}
	}
}

// place puts a dependency's finding d on the go.mod line that requires its module, or else the
// first module on the import chain that go.mod requires (what brings it in); without a go.mod
// it stays at its position in the dependency.
func (mf *modFile) place(d Diag, src *DepSource, chain []string) Diag {
	d.Dep, d.Chain = src, chain
	if mf == nil {
		return d
	}
	d.File, d.Line, d.Col = mf.path, 0, 0
	req, ok := mf.require[src.Module]
	if ok {
		src.Version = req.version
	}
	src.Replace = mf.replaces[src.Module]
	if !ok { // an indirect requirement go.mod does not list: what on the chain it lists
		for _, p := range chain {
			if mod := requiredBy(mf, p); mod != "" {
				req, ok = mf.require[mod], true
				break
			}
		}
	}
	if ok {
		d.Line = req.line
	}
	return d
}

// requiredBy is the module go.mod requires that provides package path p (the longest), or "".
func requiredBy(mf *modFile, p string) string {
	best := ""
	for mod := range mf.require {
		if (p == mod || strings.HasPrefix(p, mod+"/")) && len(mod) > len(best) {
			best = mod
		}
	}
	return best
}
