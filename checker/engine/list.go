// Running `go list` for a target and reading what it prints.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// listModule is the part of a package's module the engine reads.
type listModule struct {
	Path      string
	Main      bool
	Dir       string
	GoVersion string
	GoMod     string
}

// listPkg is the part of `go list -json` output the engine reads.
type listPkg struct {
	ImportPath string
	Name       string
	Dir        string
	ForTest    string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	ImportMap  map[string]string
	Standard   bool
	DepOnly    bool
	Module     *listModule
	Error      *listError
	DepsErrors []*listError // errors of dependencies: go build reports them and stops
	// For vet (vethook.go): other sources and the files the build ignores.
	SFiles, CFiles, IgnoredGoFiles, IgnoredOtherFiles []string
	// For cgo's real output (cgo.go): the flags of the package's #cgo lines.
	CgoCFLAGS, CgoCPPFLAGS, CgoPkgConfig []string

	cgoReal bool   // GoFiles hold cgo's output for the target instead of CgoFiles (cgo.go)
	cgoErrs []Diag // cgo's errors in the package's files: it is not checked (cgo.go)

	named bool // a standard-library package the patterns name (claimStandard): checked as main
}

type listError struct {
	Pos         string
	Err         string
	ImportStack []string // from the importing package to the one that cannot be loaded
}

const listFields = "ImportPath,Name,Dir,ForTest,GoFiles,CgoFiles,Imports,ImportMap,Standard," +
	"DepOnly,Module,Error,DepsErrors,SFiles,CFiles,IgnoredGoFiles,IgnoredOtherFiles," +
	"CgoCFLAGS,CgoCPPFLAGS,CgoPkgConfig"

// goList lists the package graph of one target, tests included.
func goList(ctx context.Context, req *Request, t *Target) ([]*listPkg, error) {
	args := []string{"list", "-e", "-deps", "-test", "-json=" + listFields}
	if len(t.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(t.Tags, ","))
	}
	args = append(args, req.patterns(t)...)
	cmd := exec.CommandContext(ctx, req.Go, args...)
	cmd.Dir, cmd.Env = req.dir(t), targetEnv(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	var pkgs []*listPkg
	dec := json.NewDecoder(&stdout)
	for {
		p := new(listPkg)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: bad output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if runErr != nil && len(pkgs) == 0 {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = runErr.Error()
		}
		return nil, fmt.Errorf("go list failed: %s", msg)
	}
	onlyCheckedModule(pkgs, req.dir(t))
	claimUnloadable(pkgs)
	claimStandard(pkgs)
	return pkgs, nil
}

// targetEnv is the environment of t's go commands: the engine's, then t's variables.
func targetEnv(t *Target) []string {
	env := os.Environ()
	for k, v := range t.Env {
		env = append(env, k+"="+v)
	}
	return env
}

// envValue is key's value in env: the last setting wins, as for the go command.
func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if s, ok := strings.CutPrefix(kv, key+"="); ok {
			v = s
		}
	}
	return v
}

// onlyCheckedModule makes the module being checked (the one whose directory holds moduleDir)
// the only main module. In a go.work workspace, `go list` calls every workspace module main;
// the others are the checked module's dependencies, checked for declarations only, and their
// findings are not reported (an error of theirs that breaks the checked module shows there).
func onlyCheckedModule(pkgs []*listPkg, moduleDir string) {
	dir := filepath.Clean(moduleDir)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	checked, best := "", -1
	for _, p := range pkgs {
		if !p.main() || p.Module.Dir == "" {
			continue
		}
		mdir := filepath.Clean(p.Module.Dir)
		if real, err := filepath.EvalSymlinks(mdir); err == nil {
			mdir = real
		}
		within := dir == mdir || strings.HasPrefix(dir, mdir+string(filepath.Separator))
		if within && len(mdir) > best {
			checked, best = p.Module.Dir, len(mdir)
		}
	}
	if checked == "" {
		return // not found: leave go's answer as it is
	}
	for _, p := range pkgs {
		if p.main() && p.Module.Dir != checked {
			m := *p.Module // the struct may be shared by every package of the module
			m.Main = false
			p.Module = &m
		}
	}
}

// claimUnloadable gives the main module to the packages the patterns matched that go list
// could not load at all (a directory named "sub pkg": malformed import path; an invalid
// package name). go list leaves their Module empty, so without this the engine would skip them
// as not its own and say ok where `go build` fails; with it their error is a finding.
func claimUnloadable(pkgs []*listPkg) {
	var mainMod *listModule
	for _, p := range pkgs {
		if p.main() {
			mainMod = p.Module
			break
		}
	}
	for _, p := range pkgs {
		if p.Error == nil || p.Module != nil || p.Standard || p.DepOnly {
			continue
		}
		if mainMod == nil {
			mainMod = &listModule{Main: true}
		}
		p.Module = mainMod
	}
}

// claimStandard makes the standard-library packages the patterns match (not DepOnly: std
// itself, "net/...", or ./... in $GOROOT/src, whose go.mod says "module std") packages to check
// in full and report, as a main module's are: go list gives them no module, so the engine would
// otherwise check them for declarations only and report nothing. Their test variants go with
// them ("p [p.test]", the external "p_test [p.test]", and "q [p.test]" for a named q); the
// other standard-library packages they import stay dependencies.
func claimStandard(pkgs []*listPkg) {
	named := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard && !p.DepOnly && p.ForTest == "" && p.Module == nil {
			named[p.ImportPath] = true
		}
	}
	if len(named) == 0 {
		return
	}
	for _, p := range pkgs {
		if p.Module != nil || isTestMain(p) {
			continue
		}
		path := pkgPath(p.ImportPath)
		p.named = named[path] && (p.Standard || p.ForTest != "") ||
			p.ForTest != "" && named[p.ForTest] && path == p.ForTest+"_test"
	}
}

// isTestMain reports whether p is the generated test main package (its file lives in GOCACHE).
func isTestMain(p *listPkg) bool {
	return p.Name == "main" && strings.HasSuffix(p.ImportPath, ".test") && p.ForTest == "" &&
		len(p.GoFiles) == 1 && filepath.IsAbs(p.GoFiles[0])
}

// pkgPath is the import path without a test-variant suffix: "p [p.test]" -> "p". An import
// path may itself hold a space ("m/sub pkg", which go then refuses), so only " [...]" at the
// end is cut.
func pkgPath(id string) string {
	if i := strings.LastIndex(id, " ["); i >= 0 && strings.HasSuffix(id, "]") {
		return id[:i]
	}
	return id
}

// main: p is checked in full and reported, a package of the main module or one of the
// standard library's that the patterns name (claimStandard).
func (p *listPkg) main() bool { return p.named || p.Module != nil && p.Module.Main }

// files are the absolute paths of the Go files the compiler would compile for p.
func (p *listPkg) files() []string {
	out := make([]string, 0, len(p.GoFiles)+len(p.CgoFiles))
	for _, f := range append(append([]string{}, p.GoFiles...), p.CgoFiles...) {
		if !filepath.IsAbs(f) {
			f = filepath.Join(p.Dir, f)
		}
		out = append(out, f)
	}
	return out
}

// lang is the -lang the go command gives the compiler for p ("" for no limit).
func (p *listPkg) lang() string {
	if p.Standard || p.Module == nil {
		return ""
	}
	v := "1.16" // the go command's default for a go.mod without a go line
	if p.Module.GoVersion != "" {
		v = p.Module.GoVersion
	}
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		v = parts[0] + "." + parts[1]
	}
	return "go" + v
}

// ignorableListError: errors `go build` does not report either (nothing to build here).
func ignorableListError(msg string) bool {
	return strings.Contains(msg, "build constraints exclude all Go files") ||
		strings.Contains(msg, "no Go files in")
}

// splitPos parses go list's "file:line:col" error positions.
func splitPos(pos, dir string) (string, int, int) {
	parts := strings.Split(pos, ":")
	var nums []int
	for len(parts) > 1 {
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		parts = parts[:len(parts)-1]
	}
	file := strings.Join(parts, ":")
	if file != "" && !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	line, col := 0, 0
	if len(nums) > 0 {
		line = nums[0]
	}
	if len(nums) > 1 {
		col = nums[1]
	}
	return file, line, col
}
