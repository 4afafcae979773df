package main

import (
	"context"
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// graphOf describes a listing as the engine reads it, package by package, without the
// generated test mains and what only they import (the engine checks neither).
func graphOf(pkgs []*listPkg) map[string]string {
	byID := map[string]*listPkg{}
	for _, p := range pkgs {
		byID[p.ImportPath] = p
	}
	reach := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		p := byID[id]
		if p == nil || reach[id] {
			return
		}
		reach[id] = true
		for _, d := range p.Imports {
			walk(d)
		}
	}
	for _, p := range pkgs {
		if !isTestMain(p) && (!p.DepOnly || p.ForTest != "") {
			walk(p.ImportPath)
		}
	}
	sorted := func(s []string) string {
		c := append([]string{}, s...)
		sort.Strings(c)
		return strings.Join(c, ",")
	}
	out := map[string]string{}
	for id := range reach {
		p := byID[id]
		var imap []string
		for k, v := range p.ImportMap {
			imap = append(imap, k+"="+v)
		}
		mod, errText := "", ""
		if m := p.Module; m != nil { // the module's go version is the package's -lang
			mod = fmt.Sprintf("%s go%s main=%t dir=%s", m.Path, m.GoVersion, m.Main, m.Dir)
		}
		if p.Error != nil {
			errText = p.Error.Err
		}
		out[id] = fmt.Sprintf("name=%s dir=%s fortest=%s deponly=%t std=%t module=%s\n"+
			"  go=%s cgo=%s s=%s c=%s\n  imports=%s map=%s\n  ignored=%s ignoredother=%s\n"+
			"  error=%s", p.Name, p.Dir, p.ForTest, p.DepOnly, p.Standard, mod,
			sorted(p.GoFiles), sorted(p.CgoFiles), sorted(p.SFiles), sorted(p.CFiles),
			sorted(p.Imports), sorted(imap), sorted(p.IgnoredGoFiles),
			sorted(p.IgnoredOtherFiles), errText)
	}
	return out
}

// listParity compares, for each target, the graph computed from ref's listing with `go list`'s
// and returns how many targets fell back to go list.
func listParity(t *testing.T, dir string, env map[string]string, ref Target,
	targets []Target) int {
	t.Helper()
	req := newRequest(dir, append([]Target{ref}, targets...)...)
	for i := range req.Targets {
		tg := &req.Targets[i]
		tg.Env = maps.Clone(tg.Env)
		maps.Copy(tg.Env, env)
	}
	ctx := context.Background()
	refPkgs, err := goList(ctx, req, &req.Targets[0])
	if err != nil {
		t.Fatalf("go list %s: %v", ref.Name, err)
	}
	dc := &dirCache{fc: newFileCache()}
	fallbacks := 0
	for i := range targets {
		tg := &req.Targets[i+1]
		var got []*listPkg
		bc, err := buildContext(ctx, req, tg, dc)
		if err == nil {
			got, err = listFrom(req, tg, refPkgs, dc, bc)
		}
		var fb *listFallback
		if errors.As(err, &fb) {
			fallbacks++
			t.Logf("%s %s: %v", filepath.Base(dir), tg.Name, err)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		want, err := goList(ctx, req, tg)
		if err != nil {
			t.Fatal(err)
		}
		g, w := graphOf(got), graphOf(want)
		for id, wd := range w {
			if gd, ok := g[id]; !ok {
				t.Errorf("%s %s: %s missing\n  go list: %s", filepath.Base(dir), tg.Name, id, wd)
			} else if gd != wd {
				t.Errorf("%s %s: %s differs\n  engine:  %s\n  go list: %s", filepath.Base(dir),
					tg.Name, id, gd, wd)
			}
		}
		for id := range g {
			if _, ok := w[id]; !ok {
				t.Errorf("%s %s: %s not in go list's graph", filepath.Base(dir), tg.Name, id)
			}
		}
	}
	return fallbacks
}

var parityTargets = []Target{target("linux", "386"), target("linux", "arm"),
	target("windows", "amd64"), target("darwin", "arm64"), target("js", "wasm"),
	target("wasip1", "wasm"), target("freebsd", "amd64"), target("linux", "amd64", "special")}

// Every fixture: each target's graph computed from linux/amd64's listing is `go list`'s, or
// the engine asks go list (only where the reference listing has errors).
func TestListFromReferenceMatchesGoList(t *testing.T) {
	ents, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		dir, env := fixture(t, ent.Name()), map[string]string{}
		switch ent.Name() {
		case "workspace": // its app module, with the others through go.work
			dir, env["GOWORK"] = filepath.Join(dir, "app"), filepath.Join(dir, "go.work")
		case "depbody": // its module m, with its dependencies beside it
			dir = filepath.Join(dir, "m")
		}
		t.Run(ent.Name(), func(t *testing.T) {
			n := listParity(t, dir, env, target("linux", "amd64"), parityTargets)
			switch ent.Name() {
			case "badpath", "missingimport": // their listings have errors
				if n != len(parityTargets) {
					t.Errorf("%d of %d targets fell back to go list, want all", n,
						len(parityTargets))
				}
			case "cgoreal": // packages of cgo files only (pc, bad): their files depend on cgo
				if n != len(parityTargets) {
					t.Errorf("%d of %d targets fell back to go list, want all", n,
						len(parityTargets))
				}
			case "depbody": // on windows an import leads nowhere (ux/u: linux only)
				if n != 1 {
					t.Errorf("%d targets fell back to go list, want 1 (windows/amd64)", n)
				}
			default:
				if n != 0 {
					t.Errorf("%d targets fell back to go list, want none", n)
				}
			}
		})
	}
}

// A directory's go/build answer is computed once for the targets that build the same files of
// it: by name (b_386.go), by constraint (c.go: arm), and a portable directory (q) once for
// all; each graph is still go list's.
func TestListFromSharesDirectoryAnswers(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.21\n",
		"p/a.go":         "package p\n\nimport _ \"example.com/m/q\"\n",
		"p/b_386.go":     "package p\n\nimport _ \"strings\"\n",
		"p/c.go":         "//go:build arm\n\npackage p\n\nimport _ \"bytes\"\n",
		"p/d_windows.go": "package p\n",
		"q/q.go":         "// Package q mentions no constraint.\npackage q\n",
		"q/q_test.go":    "package q\n",
	}
	writeFiles(t, dir, files)
	targets := []Target{target("linux", "386"), target("linux", "arm"),
		target("linux", "mips"), target("freebsd", "arm")}
	if n := listParity(t, dir, nil, target("linux", "amd64"), targets); n != 0 {
		t.Fatalf("%d targets fell back to go list", n)
	}
	// listParity's dirCache is not returned: list again into one to count its answers.
	req := newRequest(dir, append([]Target{target("linux", "amd64")}, targets...)...)
	ctx := context.Background()
	ref, err := goList(ctx, req, &req.Targets[0])
	if err != nil {
		t.Fatal(err)
	}
	dc := &dirCache{fc: newFileCache()}
	for i := range targets {
		bc, err := buildContext(ctx, req, &req.Targets[i+1], dc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := listFrom(req, &req.Targets[i+1], ref, dc, bc); err != nil {
			t.Fatal(err)
		}
	}
	answers := map[string]int{}
	dc.imports.Range(func(k, _ any) bool {
		d, _, _ := strings.Cut(k.(string), "\x00")
		answers[filepath.Base(d)]++
		return true
	})
	// p: 386 {a, b_386}, linux/arm and freebsd/arm {a, c}, mips {a}; q: one for all.
	if answers["p"] != 3 || answers["q"] != 1 {
		t.Errorf("go/build answers by directory: %v, want p: 3, q: 1", answers)
	}
}

// CROSSVET_LIST_PARITY_MODULES (directories, separated by the OS's list separator) runs the
// same comparison on other modules, over the eleven targets of the benchmarks, with
// CROSSVET_LIST_PARITY_GOWORK as GOWORK (default off).
func TestListFromReferenceOnModules(t *testing.T) {
	mods := os.Getenv("CROSSVET_LIST_PARITY_MODULES")
	if mods == "" {
		t.Skip("CROSSVET_LIST_PARITY_MODULES not set")
	}
	env := map[string]string{}
	if w := os.Getenv("CROSSVET_LIST_PARITY_GOWORK"); w != "" {
		env["GOWORK"] = w
	}
	targets := []Target{target("linux", "386"), target("linux", "arm"),
		target("linux", "arm64"), target("darwin", "amd64"), target("darwin", "arm64"),
		target("windows", "amd64"), target("windows", "386"), target("freebsd", "amd64"),
		target("js", "wasm"), target("wasip1", "wasm")}
	for _, dir := range filepath.SplitList(mods) {
		n := listParity(t, dir, env, target("linux", "amd64"), targets)
		t.Logf("%s: %d of %d targets fell back to go list", dir, n, len(targets))
	}
}

func TestAllowedInternal(t *testing.T) {
	for _, c := range []struct {
		importer, path string
		ok             bool
	}{
		{"m.com/a/b", "m.com/a/internal/x", true},
		{"m.com/a", "m.com/a/internal", true},
		{"m.com/c", "m.com/a/internal/x", false},
		{"m.com/a/internal/y", "m.com/a/internal/x", true},
		{"m.com/a", "m.com/a/b/internal/x", false},
		{"net/http", "internal/nettrace", true},
		{"m.com/a", "internal/nettrace", false},
		{"m.com/a", "m.com/a/internalize", true},
		{"m.com/a", "m.com/a/notinternal/x", true},
	} {
		if got := allowedInternal(c.importer, c.path); got != c.ok {
			t.Errorf("%s importing %s: %v, want %v", c.importer, c.path, got, c.ok)
		}
	}
}

// A constrained file's answer is go/build's, asked once for the targets on which the tags its
// constraint lines name hold alike.
func TestMatchConstrainedAgreesWithGoBuild(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.go": "//go:build linux && !arm64\n\npackage p\n",
		"b.go": "// +build windows darwin\n\npackage p\n",
		"c.go": "//go:build cgo || (unix && !go1.1000)\n\npackage p\n",
		"d.go": "// Copyright\n\n//go:build ignore\n\npackage p\n",
		"e.go": "package p\n\nconst s = `\n//go:build (\n`\n", // not a constraint: parses badly
		"f.go": "//go:build goexperiment.swissmap || tools\n\npackage p\n",
	}
	writeFiles(t, dir, files)
	dc := &dirCache{fc: newFileCache()}
	calls, pairs := 0, 0
	for _, target := range []string{"linux/amd64", "linux/386", "linux/arm64", "windows/amd64",
		"darwin/arm64", "freebsd/amd64", "js/wasm"} {
		for _, cgo := range []bool{false, true} {
			bc := build.Default
			bc.GOOS, bc.GOARCH, _ = strings.Cut(target, "/")
			bc.CgoEnabled = cgo
			bc.BuildTags = []string{"tools"}
			for name := range files {
				want, wantErr := bc.MatchFile(dir, name)
				got, err := dc.matchConstrained(&bc, dir, name, filepath.Join(dir, name))
				if got != want || (err == nil) != (wantErr == nil) {
					t.Errorf("%s cgo=%v %s: %v %v, want %v %v", target, cgo, name, got, err,
						want, wantErr)
				}
				pairs++
			}
		}
	}
	dc.matches.Range(func(any, any) bool { calls++; return true })
	if calls == 0 || calls >= pairs/2 {
		t.Errorf("go/build asked %d times for %d files on targets", calls, pairs)
	}
}

// go/build's answer for a directory, put together from its answer for each file alone
// (mergedImport), is its answer for the directory: on every directory of the standard library
// and of the engine's fixtures, for targets whose files differ, in every field the lister
// reads.
func TestMergedImportIsGoBuilds(t *testing.T) {
	fixtures, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, root := range []string{filepath.Join(goRoot, "src"), fixtures} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != root && (d.Name() == "testdata" ||
				strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Directories go/build answers with an error or by the order of the files: the merge
	// gives them to go/build whole.
	odd := t.TempDir()
	for dir, files := range map[string]map[string]string{
		"twonames":  {"a.go": "package a\n", "b.go": "package b\n"},
		"testname":  {"a.go": "package x_test\n", "a_test.go": "package x_test\n"},
		"badheader": {"a.go": "package a\nimport \"fmt\n", "b.go": "package a\n"},
		"cgo": {"a.go": "package a\nimport \"C\"\n", "b.go": "package a\nimport \"os\"\n",
			"c.S": "// asm\n", "d_windows.go": "//go:build ignore\n\npackage a\n",
			"doc.go": "//go:build linux\n\npackage documentation\n"},
	} {
		writeFiles(t, filepath.Join(odd, dir), files)
		dirs = append(dirs, filepath.Join(odd, dir))
	}
	dc := &dirCache{fc: newFileCache()}
	for _, osArch := range [][2]string{{"linux", "amd64"}, {"windows", "386"},
		{"darwin", "arm64"}, {"js", "wasm"}, {"plan9", "amd64"}, {"linux", "mips64le"}} {
		bc := &build.Context{GOOS: osArch[0], GOARCH: osArch[1], GOROOT: goRoot,
			Compiler: "gc", ToolTags: build.Default.ToolTags,
			ReleaseTags: build.Default.ReleaseTags, ReadDir: dc.readDir, OpenFile: dc.openFile}
		plain := *bc
		plain.ReadDir, plain.OpenFile = nil, nil
		probe := nameProbe(bc)
		for _, dir := range dirs {
			got, gotErr := dc.importDir(bc, probe, dir)
			want, wantErr := plain.ImportDir(dir, 0)
			var gotNoGo, wantNoGo *build.NoGoError
			if errors.As(gotErr, &gotNoGo) != errors.As(wantErr, &wantNoGo) ||
				(gotErr == nil) != (wantErr == nil) {
				t.Errorf("%s on %s/%s: error %v, go/build's %v", dir, bc.GOOS, bc.GOARCH,
					gotErr, wantErr)
				continue
			}
			for _, f := range []struct {
				name      string
				got, want []string
			}{{"Name", []string{got.Name}, []string{want.Name}},
				{"GoFiles", got.GoFiles, want.GoFiles}, {"CgoFiles", got.CgoFiles, want.CgoFiles},
				{"SFiles", got.SFiles, want.SFiles}, {"CFiles", got.CFiles, want.CFiles},
				{"IgnoredGoFiles", got.IgnoredGoFiles, want.IgnoredGoFiles},
				{"IgnoredOtherFiles", got.IgnoredOtherFiles, want.IgnoredOtherFiles},
				{"Imports", got.Imports, want.Imports},
				{"TestGoFiles", got.TestGoFiles, want.TestGoFiles},
				{"XTestGoFiles", got.XTestGoFiles, want.XTestGoFiles},
				{"TestImports", got.TestImports, want.TestImports},
				{"XTestImports", got.XTestImports, want.XTestImports},
				{"AllTags", got.AllTags, want.AllTags}, {"SysoFiles", got.SysoFiles, want.SysoFiles}} {
				if strings.Join(f.got, " ") != strings.Join(f.want, " ") {
					t.Errorf("%s on %s/%s: %s %q, go/build's %q", dir, bc.GOOS, bc.GOARCH, f.name,
						f.got, f.want)
				}
			}
		}
	}
	if m, w := dc.merged.Load(), dc.whole.Load(); m < 10*w || w == 0 {
		t.Errorf("%d directories answered from their files, %d by go/build whole", m, w)
	} else {
		t.Logf("%d directories answered from their files, %d by go/build whole", m, w)
	}
}
