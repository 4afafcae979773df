// Command k8stypecheck is the benchmark's baseline (bench/vet_parity.py), not crossvet code: a
// Kubernetes-style type-check (hack/verify-typecheck: every package of every platform loaded
// from source with its dependencies, tests included, type errors reported), a fixed number of
// platforms at a time, each platform on its own: `go list -deps -test` then go/types over
// every package in dependency order, function bodies included, nothing shared or cached.
//
//	k8stypecheck -parallel 2 -dir MODULE linux/amd64 linux/386 ...
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

type pkg struct {
	ImportPath, Dir, Name string
	GoFiles, CgoFiles     []string
	Imports               []string
	ImportMap             map[string]string
	Module                *struct{ Main bool }
	Error                 *struct{ Err string }
}

func main() {
	parallel := flag.Int("parallel", 2, "platforms at a time")
	dir := flag.String("dir", ".", "module directory")
	flag.Parse()
	sem := make(chan struct{}, *parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := false
	for _, platform := range flag.Args() {
		wg.Add(1)
		go func(platform string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			n, err := check(*dir, platform)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = true
				fmt.Fprintf(os.Stderr, "%s: %v\n", platform, err)
			}
			fmt.Printf("%s: %d type errors\n", platform, n)
		}(platform)
	}
	wg.Wait()
	if failed {
		os.Exit(1)
	}
}

func check(dir, platform string) (int, error) {
	goos, goarch, _ := strings.Cut(platform, "/")
	cmd := exec.Command("go", "list", "-e", "-deps", "-test",
		"-json=ImportPath,Dir,Name,GoFiles,CgoFiles,Imports,ImportMap,Module,Error", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		return 0, err
	}
	var order []*pkg
	loaded, firstErr := 0, "" // main-module packages, and the first load error
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(pkg)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return 0, err
		}
		if p.Module != nil && p.Module.Main {
			loaded++
		}
		if p.Error != nil && firstErr == "" {
			firstErr = p.Error.Err
		}
		order = append(order, p) // -deps lists dependencies first
	}
	if loaded == 0 { // nothing of the module was loaded: not a measurement
		return 0, fmt.Errorf("no package of the module loaded: %s", firstErr)
	}
	fset := token.NewFileSet()
	done := map[string]*types.Package{"unsafe": types.Unsafe}
	sizes := types.SizesFor("gc", goarch)
	errs := 0
	for _, p := range order {
		if p.ImportPath == "unsafe" || strings.HasSuffix(p.ImportPath, ".test") {
			continue
		}
		var files []*ast.File
		for _, name := range append(append([]string{}, p.GoFiles...), p.CgoFiles...) {
			if !filepath.IsAbs(name) {
				name = filepath.Join(p.Dir, name)
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err == nil {
				files = append(files, f)
			}
		}
		main := p.Module != nil && p.Module.Main
		conf := types.Config{Sizes: sizes, FakeImportC: true,
			Importer: importer(func(path string) (*types.Package, error) {
				if q, ok := p.ImportMap[path]; ok {
					path = q
				}
				if t := done[path]; t != nil {
					return t, nil
				}
				return nil, fmt.Errorf("%s not loaded", path)
			}),
			Error: func(err error) {
				if main {
					errs++
				}
			}}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{},
			Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{}}
		t, _ := conf.Check(p.ImportPath, fset, files, info)
		done[p.ImportPath] = t
	}
	return errs, nil
}

type importer func(string) (*types.Package, error)

func (f importer) Import(path string) (*types.Package, error) { return f(path) }
