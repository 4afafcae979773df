// cgo's real output: for a target with cgo on and a C compiler (its environment sets CC), each
// main-module package with cgo files is checked as the compiler sees it, with the Go files
// `go tool cgo` writes for that target (the C names with the target's C types and sizes)
// instead of its cgo files and a fake `import "C"` (FakeImportC).
//
// Only `go tool cgo` runs, not `go build`'s cgo step: cgo's type gathering compiles the
// preamble with -c to read its DWARF and needs the C headers, not a linked program, so a cross
// C compiler such as zig does not build the target's C library (which takes minutes per
// target; `go list -compiled` does build it, for the runtime/cgo probe and the dynimport link).
// The generated files carry //line directives to the user's file and line, which the file set
// applies to positions. Outputs are kept under the cache directory, keyed by everything cgo
// reads (cgoKey), so an unchanged package runs no C compiler again.

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// CgoSkip is a main-module package whose cgo files could not be run through cgo for a target
// for want of something outside the module (a pkg-config library, a C header): it is checked
// with a fake `import "C"` (cgo_faked) and crossvet reports it as not checkable, not as a finding.
type CgoSkip struct {
	Package string `json:"package"`
	Reason  string `json:"reason"`
}

// cgoRunner runs cgo for a run's targets, keeping outputs under root.
type cgoRunner struct {
	req  *Request
	root string // where outputs are kept: the cache directory's cgo/, or a temporary one
	temp bool   // root is removed when the run ends
	mu   sync.Mutex
	busy map[string]*sync.Mutex // one cgo run per key at a time (test variants share outputs)
}

func newCgoRunner(req *Request) *cgoRunner {
	c := &cgoRunner{req: req, busy: map[string]*sync.Mutex{}}
	if req.CacheDir != "" {
		c.root = filepath.Join(req.CacheDir, "cgo")
	}
	return c
}

// close removes a temporary root.
func (c *cgoRunner) close() {
	if c.temp && c.root != "" {
		os.RemoveAll(c.root)
	}
}

// cgoCC is t's C compiler when its cgo files are to be run through cgo: cgo on and CC set.
func cgoCC(t *Target) string {
	if envValue(targetEnv(t), "CGO_ENABLED") == "0" {
		return ""
	}
	return strings.TrimSpace(t.Env["CC"])
}

// apply returns pkgs with each main-module package that has cgo files replaced by a copy whose
// Go files are cgo's output for t (pkgs itself is not changed: it may be the reference other
// targets are listed from), and the packages that could not be run through cgo.
func (c *cgoRunner) apply(ctx context.Context, t *Target, pkgs []*listPkg) ([]*listPkg, []CgoSkip) {
	if cgoCC(t) == "" {
		return pkgs, nil
	}
	out := slices.Clone(pkgs)
	var skips []CgoSkip
	for i, p := range pkgs {
		if !p.main() || len(p.CgoFiles) == 0 || p.Error != nil || len(p.DepsErrors) > 0 {
			continue
		}
		files, errs, skip := c.run(ctx, t, p)
		if skip != "" {
			if !slices.ContainsFunc(skips, func(s CgoSkip) bool { return s.Package == pkgPath(p.ImportPath) }) {
				skips = append(skips, CgoSkip{Package: pkgPath(p.ImportPath), Reason: skip})
			}
			continue
		}
		q := *p
		if len(errs) > 0 {
			q.cgoErrs = errs
		} else {
			q.GoFiles = append(slices.Clone(p.GoFiles), files...)
			q.CgoFiles, q.cgoReal = nil, true
			q.Imports = cgoImports(p.Imports)
		}
		out[i] = &q
	}
	sort.Slice(skips, func(a, b int) bool { return skips[a].Package < skips[b].Package })
	return out, skips
}

// run gives p's cgo output for t: the generated Go files (absolute), else cgo's errors in p's
// files as findings, else why it cannot be checked (skip).
func (c *cgoRunner) run(ctx context.Context, t *Target, p *listPkg) (files []string, errs []Diag, skip string) {
	flags, skip := pkgConfigFlags(ctx, t, p)
	if skip != "" {
		return nil, nil, skip
	}
	env := targetEnv(t)
	args := []string{"tool", "cgo", "-objdir", "OBJDIR", "-importpath", pkgPath(p.ImportPath), "--"}
	cflags := slices.Concat([]string{"-I", "OBJDIR"}, strings.Fields(envValue(env, "CGO_CPPFLAGS")),
		p.CgoCPPFLAGS, cflagsOf(env), p.CgoCFLAGS, flags)
	key := cgoKey(t, p, env, cflags)
	if key == "" {
		return nil, nil, "cannot read its files"
	}
	if err := c.ensureRoot(); err != nil {
		return nil, nil, err.Error()
	}
	lock := c.lock(key)
	lock.Lock()
	defer lock.Unlock()
	dir := filepath.Join(c.root, key)
	if outs, ok := readDone(dir); ok {
		return outs, nil, ""
	}
	tmp, err := os.MkdirTemp(c.root, "tmp-")
	if err != nil {
		return nil, nil, err.Error()
	}
	defer os.RemoveAll(tmp)
	for i, a := range args {
		if a == "OBJDIR" {
			args[i] = tmp
		}
	}
	for i, a := range cflags {
		if a == "OBJDIR" {
			cflags[i] = tmp
		}
	}
	args = append(append(args, cflags...), p.CgoFiles...)
	cmd := exec.CommandContext(ctx, c.req.Go, args...)
	cmd.Dir, cmd.Env = p.Dir, append(env, "TERM=dumb")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if why := missingHeader(msg); why != "" {
			return nil, nil, why
		}
		if errs := cgoDiags(msg, p); len(errs) > 0 {
			return nil, errs, ""
		}
		if msg == "" {
			msg = err.Error()
		}
		// Not at a line of the package's files: the C compiler itself failed (not found, a
		// header of the target's C library it cannot compile), which is no finding of the code.
		return nil, nil, "cgo failed: " + firstLines(msg, 1)
	}
	names := []string{"_cgo_gotypes.go"}
	for _, f := range p.CgoFiles {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".go")+".cgo1.go")
	}
	if err := os.WriteFile(filepath.Join(tmp, "files"), []byte(strings.Join(names, "\n")), 0o644); err != nil {
		return nil, nil, err.Error()
	}
	os.RemoveAll(dir) // a half-written one from an interrupted run
	if err := os.Rename(tmp, dir); err != nil {
		return nil, nil, err.Error()
	}
	outs, _ := readDone(dir)
	return outs, nil, ""
}

// cgoImports are the imports of cgo's output: "C" is gone, and the generated files import
// unsafe, syscall and runtime/cgo (which go list puts in the package's dependencies).
func cgoImports(imports []string) []string {
	out := slices.DeleteFunc(slices.Clone(imports), func(s string) bool { return s == "C" })
	for _, p := range []string{"runtime/cgo", "syscall", "unsafe"} {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// ensureRoot makes the output directory (a temporary one without a cache directory).
func (c *cgoRunner) ensureRoot() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root == "" {
		dir, err := os.MkdirTemp("", "crossvet-cgo-")
		if err != nil {
			return err
		}
		c.root, c.temp = dir, true
	}
	return os.MkdirAll(c.root, 0o755)
}

func (c *cgoRunner) lock(key string) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy[key] == nil {
		c.busy[key] = &sync.Mutex{}
	}
	return c.busy[key]
}

// readDone lists a finished output directory's Go files (its "files" is written last).
func readDone(dir string) ([]string, bool) {
	data, err := os.ReadFile(filepath.Join(dir, "files"))
	if err != nil {
		return nil, false
	}
	var out []string
	for _, name := range strings.Split(string(data), "\n") {
		out = append(out, filepath.Join(dir, name))
	}
	return out, true
}

// cflagsOf is CGO_CFLAGS, with the go command's default when unset.
func cflagsOf(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "CGO_CFLAGS=") {
			return strings.Fields(envValue(env, "CGO_CFLAGS"))
		}
	}
	return []string{"-O2", "-g"}
}

// cgoKey is the key of p's cgo output for t: the target, its C compiler and flags, the import
// path and the contents of p's cgo files and of the C headers and sources beside them and in
// the directories the flags add with -I (the C library's own headers are the compiler's: a
// crossvet-made zig compiler's path names its version). "" when a file cannot be read.
func cgoKey(t *Target, p *listPkg, env []string, cflags []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "crossvet-cgo-1\x00%s\x00%s\x00%s\x00%s\x00%s\x00", envValue(env, "GOOS"),
		envValue(env, "GOARCH"), envValue(env, "GOARM"), cgoCC(t), pkgPath(p.ImportPath))
	fmt.Fprintf(h, "%s\x00", strings.Join(cflags, "\x00"))
	dirs := []string{p.Dir}
	for i, f := range cflags {
		switch {
		case f == "-I" && i+1 < len(cflags) && cflags[i+1] != "OBJDIR":
			dirs = append(dirs, cflags[i+1])
		case strings.HasPrefix(f, "-I") && len(f) > 2:
			dirs = append(dirs, f[2:])
		}
	}
	for _, f := range p.CgoFiles {
		data, err := os.ReadFile(filepath.Join(p.Dir, f))
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "go\x00%s\x00%x\x00", f, sha256.Sum256(data))
	}
	for _, d := range dirs {
		if !filepath.IsAbs(d) {
			d = filepath.Join(p.Dir, d)
		}
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if e.IsDir() || !vetReads(e.Name()) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(d, e.Name()))
			if err != nil {
				return ""
			}
			fmt.Fprintf(h, "c\x00%s\x00%x\x00", filepath.Join(d, e.Name()), sha256.Sum256(data))
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// pkgConfigFlags are the C flags of p's `#cgo pkg-config:` libraries, as the go command asks
// pkg-config ($PKG_CONFIG) for them; skip says which library is missing.
func pkgConfigFlags(ctx context.Context, t *Target, p *listPkg) (flags []string, skip string) {
	if len(p.CgoPkgConfig) == 0 {
		return nil, ""
	}
	env := targetEnv(t)
	tool := envValue(env, "PKG_CONFIG")
	if tool == "" {
		tool = "pkg-config"
	}
	libs := strings.Join(p.CgoPkgConfig, " ")
	cmd := exec.CommandContext(ctx, tool, append([]string{"--cflags", "--"}, p.CgoPkgConfig...)...)
	cmd.Dir, cmd.Env = p.Dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Sprintf("pkg-config cannot find %s: %s", libs, firstLines(msg, 1))
	}
	return strings.Fields(string(out)), ""
}

// missingHeader: cgo failed because the C compiler cannot find a header (the library is not
// installed for the target): why, else "".
func missingHeader(msg string) string {
	for _, line := range strings.Split(msg, "\n") {
		if strings.Contains(line, "file not found") || strings.Contains(line, "No such file or directory") {
			if i := strings.Index(line, "error: "); i >= 0 {
				line = line[i+len("error: "):]
			}
			return "C header not found: " + strings.TrimSpace(line)
		}
	}
	return ""
}

// cgoDiags are cgo's errors at a position in one of p's files ("file.go:12:3: message").
func cgoDiags(msg string, p *listPkg) []Diag {
	var out []Diag
	for _, line := range strings.Split(msg, "\n") {
		pos, text, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		file, ln, col := splitPos(pos, p.Dir)
		if ln == 0 || !strings.HasSuffix(file, ".go") {
			continue
		}
		out = append(out, Diag{File: file, Line: ln, Col: col, Message: strings.TrimSpace(text),
			Package: pkgPath(p.ImportPath), Kind: "type"})
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// anyCgoCC: some target runs cgo, which reads the C headers beside the Go files (the run
// cache's key covers them then).
func anyCgoCC(req *Request) bool {
	return slices.ContainsFunc(req.Targets, func(t Target) bool { return cgoCC(&t) != "" })
}
