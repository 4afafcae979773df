// cgo's real output (cgo.go), with the host's C compiler.

package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// hostCC is the host's C compiler, else the test is skipped.
func hostCC(t *testing.T) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	return cc
}

// cgoOn is goos/goarch with cgo on, and C compiler cc unless "".
func cgoOn(goos, goarch, cc string) Target {
	tg := target(goos, goarch)
	tg.Env["CGO_ENABLED"] = "1"
	if cc != "" {
		tg.Env["CC"] = cc
	}
	return tg
}

// typeFindings are a result's findings of kind "type" as "file:line: message".
func typeFindings(r TargetResult) []string {
	var out []string
	for _, d := range r.Diagnostics {
		if d.Kind == "type" {
			out = append(out, fmt.Sprintf("%s:%d: %s", relName(d.File), d.Line, d.Message))
		}
	}
	return out
}

func relName(file string) string {
	if i := strings.Index(file, "cgoreal/"); i >= 0 {
		return file[i+len("cgoreal/"):]
	}
	return file
}

// With a C compiler for the target, the C names have the target's C types: C.long(1 << 40)
// overflows on linux/386 (a 32-bit long), not on linux/amd64; C.int arithmetic overflows on
// both; cgo's own error (an undeclared C function) is a finding at its line; a package whose
// pkg-config library is missing is skipped (named, checked with the fake). Without one, the
// fake: no C type is known.
func TestCgoRealOutput(t *testing.T) {
	cc := hostCC(t)
	dir := fixture(t, "cgoreal")
	amd64, i386 := cgoOn("linux", "amd64", cc), cgoOn("linux", "386", cc)
	fake := cgoOn("linux", "386", "")
	fake.Name += " fake"
	got := results(t, run(newRequest(dir, amd64, i386, fake)))
	over := "cgo.go:15: _Ctype_int(1 << 31 - 1) + 1 (constant 2147483648 of " +
		byRelease(24, "", "int32 ") + "type _Ctype_int) overflows int32"
	big := "cgo.go:12: constant 1099511627776 overflows _Ctype_long" // go vet's words
	bad := "bad/bad.go:7: could not determine " + byRelease(24, "kind of name for C.two",
		"what C.two refers to") // cgo's
	for _, c := range []struct {
		tg   Target
		want []string
	}{{amd64, []string{bad, over}}, {i386, []string{bad, big, over}}, {fake, nil}} {
		r := got[c.tg.Name]
		if have := typeFindings(r); strings.Join(have, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: type findings\n%s\nwant\n%s", c.tg.Name, strings.Join(have, "\n"),
				strings.Join(c.want, "\n"))
		}
		wantReal, wantFaked := "[example.com/cgoreal]", "[example.com/cgoreal/pc]"
		if c.tg.Env["CC"] == "" {
			wantReal, wantFaked = "[]", "[example.com/cgoreal example.com/cgoreal/bad example.com/cgoreal/pc]"
		}
		narrowed := slices.ContainsFunc(r.Diagnostics, func(d Diag) bool {
			return d.Kind == "narrowing" && relName(d.File) == "cgo.go" && d.Line == 20
		})
		if narrowed != (c.tg.Env["GOARCH"] == "386") { // cgo's rewrite is not a generated file
			t.Errorf("%s: narrowing in cgo.go:20 %t", c.tg.Name, narrowed)
		}
		if s := fmt.Sprint(r.CgoReal); s != wantReal {
			t.Errorf("%s: cgo_real %s, want %s", c.tg.Name, s, wantReal)
		}
		if s := fmt.Sprint(r.CgoFaked); s != wantFaked {
			t.Errorf("%s: cgo_faked %s, want %s", c.tg.Name, s, wantFaked)
		}
		skipped := slices.ContainsFunc(r.CgoSkipped, func(s CgoSkip) bool {
			return s.Package == "example.com/cgoreal/pc" &&
				strings.Contains(s.Reason, "crossvet-no-such-library")
		})
		if skipped != (c.tg.Env["CC"] != "") || len(r.CgoSkipped) > 1 {
			t.Errorf("%s: cgo_skipped %+v", c.tg.Name, r.CgoSkipped)
		}
	}
}

// A C compiler that cannot run is no finding of the code: the package is skipped, named, and
// checked with the fake.
func TestCgoBrokenCompilerIsNotAFinding(t *testing.T) {
	tg := cgoOn("linux", "amd64", "/nonexistent/cc")
	r := results(t, run(newRequest(fixture(t, "cgoreal"), tg)))[tg.Name]
	if have := typeFindings(r); len(have) > 0 {
		t.Errorf("findings %v", have)
	}
	for _, d := range r.Diagnostics {
		if d.Kind == "list" {
			t.Errorf("list error %+v", d)
		}
	}
	var why []string
	for _, s := range r.CgoSkipped {
		why = append(why, s.Package+": "+s.Reason)
	}
	if len(why) != 3 || !strings.Contains(why[0], "cgo failed") && !strings.Contains(why[0], "pkg-config") {
		t.Errorf("cgo_skipped %v", why)
	}
	if fmt.Sprint(r.CgoReal) != "[]" {
		t.Errorf("cgo_real %v", r.CgoReal)
	}
}
