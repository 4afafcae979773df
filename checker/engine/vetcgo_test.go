//go:build crossvet_vet

// vet on cgo files, checked with a faked `import "C"`, and an analyzer's panic. Built and run
// by `make engine-test` in the build directory vetprep lays out.

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// cgoFixture writes a module with one cgo file (a C function taking and returning a C.long, a
// fmt.Printf, a lock passed by value, a //go:debug outside package main, names declared from C
// types), a file with cgo on that uses those names but no C name, its pure-Go fallback (a
// printf mistake), and a file of both (another), and returns its directory.
func cgoFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/cgofix\n\ngo 1.22\n",
		"cgo.go": `//go:build cgo

//go:debug panicnil=1

package cgofix

/*
long twice(long x) { return 2 * x; }
typedef struct { int a; } pair;
*/
import "C"

import (
	"fmt"
	"sync"
)

type Locked struct{ mu sync.Mutex }

type cInt = C.int
type pairT = C.pair

func newPair() *pairT     { return new(pairT) }
func ptrA(p *pairT) *cInt { return &p.a }

func (l Locked) Twice(x int) int {
	var p C.pair
	p.a = C.int(x)
	r := int(C.twice(C.long(x)))
	fmt.Printf("twice %d = %d\n", x, r)
	return r
}
`,
		"nocgo.go": `//go:build !cgo

package cgofix

import "fmt"

func Twice(x int) int {
	fmt.Printf("twice %d\n", "x")
	return 2 * x
}
`,
		"cgouse.go": `//go:build cgo

package cgofix

func SetA() { *ptrA(newPair()) = 3 }
`,
		"use.go": `package cgofix

import "fmt"

func Show(n int) { fmt.Printf("%s\n", n) }
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func cgoTarget(goos, goarch string) Target {
	tg := target(goos, goarch)
	tg.Name += " cgo"
	tg.Env["CGO_ENABLED"] = "1"
	return tg
}

// No analyzer fails on a cgo file on any target, and where a C compiler makes `go vet` run
// (the host's), the engine's findings are go vet's: directive and copylocks in the cgo file,
// printf in the file without cgo. (The analyzers that assume well-typed code do not see the cgo file: see
// wellTyped; this fixture has no finding of theirs there.)
func TestVetOnCgoFiles(t *testing.T) {
	dir := cgoFixture(t)
	targets := []Target{cgoTarget("linux", "amd64"), cgoTarget("linux", "386"),
		cgoTarget("windows", "amd64"), target("linux", "amd64")}
	req := newRequest(dir, targets...)
	req.Vet = true
	got := results(t, run(req))
	for _, tg := range targets {
		want := "[example.com/cgofix]" // the packages checked with a fake import "C"
		if tg.Env["CGO_ENABLED"] == "0" {
			want = "[]"
		}
		if faked := fmt.Sprint(got[tg.Name].CgoFaked); faked != want {
			t.Errorf("%s: cgo_faked %s, want %s", tg.Name, faked, want)
		}
		for _, d := range got[tg.Name].Diagnostics {
			// no type error either: cgouse.go's `*ptrA(...)` is of a type made of C.int, which
			// the fake leaves invalid ("cannot indirect ... (value with invalid type)")
			if d.Kind == "internal" || d.Kind == "type" || strings.Contains(d.Message, "panic") {
				t.Errorf("%s: %+v", tg.Name, d)
			}
		}
	}
	cgoOn := engineVetFindings(got[targets[0].Name])
	for _, want := range []string{"cgo.go:3:1: directive", "cgo.go:26:9: copylocks",
		"use.go:5:" + byRelease(25, "20", "32") + ": printf"} { // the call's, then the verb's
		if !slices.ContainsFunc(cgoOn, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("linux/amd64 with cgo: no %s in\n%s", want, strings.Join(cgoOn, "\n"))
		}
	}
	if _, err := exec.LookPath("cc"); err != nil {
		t.Logf("no C compiler: go vet with cgo not compared")
	} else if want := goVetFindings(t, dir, targets[0]); strings.Join(cgoOn, "\n") !=
		strings.Join(want, "\n") {
		t.Errorf("linux/amd64 with cgo: engine vet\n%s\ngo vet\n%s", strings.Join(cgoOn, "\n"),
			strings.Join(want, "\n"))
	}
	want, have := goVetFindings(t, dir, targets[3]), engineVetFindings(got[targets[3].Name])
	if strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Errorf("linux/amd64 without cgo: engine vet\n%s\ngo vet\n%s",
			strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
}

// A panicking analyzer is the engine's failure, named, and never a finding: its diagnostic
// is of kind "internal" (crossvet reports it as the target's error), with no position, and
// the other analyzers' findings are kept.
func TestVetAnalyzerPanicIsTheEnginesError(t *testing.T) {
	boom := &analysis.Analyzer{Name: "boom", Doc: "panics (a test's analyzer)",
		Run: func(*analysis.Pass) (any, error) { panic("boom went off") }}
	saved := vetSuite
	vetSuite = append(slices.Clip(vetSuite), boom)
	defer func() { vetSuite = saved }()
	dir := fixture(t, "vetfacts")
	req := newRequest(dir, target("linux", "amd64"))
	req.Vet = true
	r := results(t, run(req))["linux/amd64"]
	var internal []Diag
	for _, d := range r.Diagnostics {
		if d.Analyzer == "boom" {
			internal = append(internal, d)
		}
	}
	if len(internal) == 0 {
		t.Fatalf("no diagnostic of the panicking analyzer in %+v", r.Diagnostics)
	}
	for _, d := range internal {
		if d.Kind != "internal" || d.File != "" || d.Line != 0 ||
			!strings.Contains(d.Message, "analyzer boom panicked: boom went off") {
			t.Errorf("a panic reported as %+v", d)
		}
	}
	if n := len(engineVetFindings(r)); n != 7 {
		t.Errorf("%d vet findings beside the panic, want the fixture's 7", n)
	}
}

// With the target's C compiler (the host's, for linux/amd64 and linux/386), vet runs on cgo's
// real output as `go vet` does: the same findings, printf's in the cgo file included. (go vet
// itself needs a 32-bit C library to vet for linux/386, which the host may not have; this
// fixture's findings do not depend on the target, so both are compared with linux/amd64's.)
func TestVetOnRealCgo(t *testing.T) {
	cc := hostCC(t)
	dir := cgoFixture(t)
	targets := []Target{cgoOn("linux", "amd64", cc), cgoOn("linux", "386", cc)}
	want := goVetFindings(t, dir, targets[0])
	for _, tg := range targets {
		req := newRequest(dir, tg)
		req.Vet = true
		r := results(t, run(req))[tg.Name]
		if fmt.Sprint(r.CgoReal) != "[example.com/cgofix]" || len(r.CgoFaked) > 0 {
			t.Errorf("%s: cgo_real %v, cgo_faked %v", tg.Name, r.CgoReal, r.CgoFaked)
		}
		if have := engineVetFindings(r); strings.Join(have, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: engine vet\n%s\ngo vet\n%s", tg.Name, strings.Join(have, "\n"),
				strings.Join(want, "\n"))
		}
	}
}
