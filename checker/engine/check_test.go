// What the engine finds per target: errors that depend on GOARCH, GOOS and build tags, the
// narrowing rule, and sharing work across targets without changing any answer.

package main

import (
	"path/filepath"
	"reflect"
	"testing"
)

// A constant that overflows int on 386 and arm is an error there, with the compiler's
// position and text, and not on amd64.
func TestOverflowOn32BitOnly(t *testing.T) {
	dir := fixture(t, "overflow")
	file := filepath.Join(dir, "overflow.go")
	got := results(t, run(newRequest(dir, target("linux", "amd64"), target("linux", "386"),
		target("linux", "arm"))))
	want := []Diag{
		{File: file, Line: 10, Col: 9, Package: "example.com/overflow", Kind: "type",
			Message: "cannot use maxSize (untyped int constant 5368709120) as int value " +
				"in return statement (overflows)"},
		{File: file, Line: 15, Col: 35, Package: "example.com/overflow", Kind: "type",
			Message: "cannot use maxSize (untyped int constant 5368709120) as int value " +
				"in argument to strconv.Itoa (overflows)"},
	}
	wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, nil)
	wantDiags(t, "linux/386", got["linux/386"].Diagnostics, want)
	wantDiags(t, "linux/arm", got["linux/arm"].Diagnostics, want)
	for name, r := range got {
		if !reflect.DeepEqual(r.Packages, []string{"example.com/overflow"}) {
			t.Errorf("%s: packages %v", name, r.Packages)
		}
	}
}

// A name only a _linux.go file defines is undefined on other systems (reported once per
// line, as the compiler does, though the line uses it twice).
func TestOSSpecificFile(t *testing.T) {
	dir := fixture(t, "ossplit")
	got := results(t, run(newRequest(dir, target("linux", "amd64"), target("darwin", "amd64"),
		target("windows", "386"))))
	want := []Diag{{File: filepath.Join(dir, "pages.go"), Line: 6, Col: 14,
		Message: "undefined: pageSize", Package: "example.com/ossplit", Kind: "type"}}
	wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, nil)
	wantDiags(t, "darwin/amd64", got["darwin/amd64"].Diagnostics, want)
	wantDiags(t, "windows/386", got["windows/386"].Diagnostics, want)
}

// int(int64) is reported where int is 32 bits wide; int(int32) and int16(int64) never are.
func TestNarrowingOn32BitOnly(t *testing.T) {
	dir := fixture(t, "narrowing")
	targets := []Target{target("linux", "amd64"), target("linux", "386")}
	got := results(t, run(newRequest(dir, targets...)))
	wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, nil)
	wantDiags(t, "linux/386", got["linux/386"].Diagnostics, []Diag{{
		File: filepath.Join(dir, "narrow.go"), Line: 6, Col: 22,
		Package: "example.com/narrowing", Kind: "narrowing", Expr: "int(size)", From: "int64",
		To: "int", Message: "narrowing conversion int(size): int64 to int loses bits where int " +
			"is 32 bits wide; check that the value is within math.MinInt32..math.MaxInt32 " +
			"before converting, or keep it in int64"}})

	// The analysis runs only when asked for.
	req := newRequest(dir, targets...)
	req.Narrowing = false
	for name, r := range results(t, run(req)) {
		wantDiags(t, name, r.Diagnostics, nil)
	}
}

// A target's tags choose its files: with -tags special the module does not compile.
func TestBuildTags(t *testing.T) {
	dir := fixture(t, "tags")
	got := results(t, run(newRequest(dir, target("linux", "amd64"),
		target("linux", "amd64", "special"))))
	wantDiags(t, "linux/amd64", got["linux/amd64"].Diagnostics, nil)
	wantDiags(t, "linux/amd64+special", got["linux/amd64+special"].Diagnostics, []Diag{{
		File: filepath.Join(dir, "mode_special.go"), Line: 7, Col: 9,
		Message: "undefined: specialName", Package: "example.com/tags", Kind: "type"}})
}

// Checking targets together (sharing entries) gives every target the same answer as checking
// each alone (no_share).
func TestSharingIsExact(t *testing.T) {
	for _, name := range []string{"overflow", "ossplit", "narrowing"} {
		dir := fixture(t, name)
		targets := []Target{target("linux", "amd64"), target("linux", "386"),
			target("linux", "arm"), target("windows", "386")}
		shared := run(newRequest(dir, targets...))
		apartReq := newRequest(dir, targets...)
		apartReq.NoShare = true
		apart := run(apartReq)
		if shared.Stats.Entries >= shared.Stats.Nodes {
			t.Errorf("%s: shared run: %d entries for %d nodes, want fewer", name,
				shared.Stats.Entries, shared.Stats.Nodes)
		}
		if apart.Stats.Entries != apart.Stats.Nodes {
			t.Errorf("%s: no_share run: %d entries for %d nodes, want as many", name,
				apart.Stats.Entries, apart.Stats.Nodes)
		}
		s, a := results(t, shared), results(t, apart)
		differ := false
		for _, tg := range targets {
			wantDiags(t, name+" "+tg.Name, s[tg.Name].Diagnostics, a[tg.Name].Diagnostics)
			differ = differ || len(s[tg.Name].Diagnostics) != len(s["linux/amd64"].Diagnostics)
		}
		if !differ {
			t.Errorf("%s: every target has the same findings; the test shows nothing", name)
		}
	}
}

// In a go.work workspace only the checked module's packages are checked in full and
// reported; another workspace module is a dependency (its narrowing is not reported).
func TestWorkspaceDependencyIsNotReported(t *testing.T) {
	ws := fixture(t, "workspace")
	app := filepath.Join(ws, "app")
	tg := target("linux", "386")
	tg.Env["GOWORK"] = filepath.Join(ws, "go.work")
	resp := run(newRequest(app, tg))
	got := results(t, resp)["linux/386"]
	wantDiags(t, "linux/386", got.Diagnostics, []Diag{{
		File: filepath.Join(app, "app.go"), Line: 8, Col: 23, Package: "example.com/app",
		Kind: "narrowing", Expr: "int(n)", From: "int64", To: "int",
		Message: "narrowing conversion int(n): int64 to int loses bits where int is 32 bits " +
			"wide; check that the value is within math.MinInt32..math.MaxInt32 before " +
			"converting, or keep it in int64"}})
	if !reflect.DeepEqual(got.Packages, []string{"example.com/app"}) {
		t.Errorf("packages %v, want only the checked module's", got.Packages)
	}
	if resp.Stats.CheckedFull != 1 {
		t.Errorf("%d packages checked in full, want 1 (app)", resp.Stats.CheckedFull)
	}
}

// A dependency that cannot be loaded is reported in go build's words, at the import, and the
// package is not type-checked (no "could not import ... (invalid package name)").
func TestMissingImportWordedLikeGoBuild(t *testing.T) {
	dir := fixture(t, "missingimport")
	got := results(t, run(newRequest(dir, target("linux", "amd64"))))["linux/amd64"]
	file := filepath.Join(dir, "imp.go")
	wantDiags(t, "linux/amd64", got.Diagnostics, []Diag{
		{File: file, Line: 4, Col: 2, Package: "example.com/missingimport", Kind: "list",
			Message: "no required module provides package example.org/dep; to add it:\n" +
				"\tgo get example.org/dep"},
		{File: file, Line: 6, Col: 2, Package: "example.com/missingimport", Kind: "list",
			Message: "package notstd/pkg is not in std (" +
				filepath.Join(goRoot, "src", "notstd", "pkg") + ")"},
	})
}

// Sharing by use (apiprint.go): a package whose imports differ between targets only in what it
// does not use is checked once for them (portable: os differs between linux, darwin and windows
// in unexported details; files: os.File's embedded *os.file holds other fields on windows, which
// no importer can see through the pointer; quietuser: the same with a main-module type; goosok:
// runtime.GOOS only compared with constants; goosarg: runtime.GOOS passed to a string parameter;
// goosjoin: runtime.GOOS concatenated into values, os's open flags or-ed; layoutuser: a struct
// whose unexported field's size differs, compared without unsafe); one that
// uses a declaration that differs is not (sep: the value of os.PathSeparator; user: the
// signature of a main-module function; hdluser: a method promoted through an unexported
// embedded pointer; goossize: runtime.GOOS's value in an array length; goosfmt: runtime.GOOS as
// a printf format and a time layout; goosdup: runtime.GOOS as a map key; pctuser: a printed
// constant's "%" directive, for vet; layoutsize: that struct's size through unsafe; cmpuser: a
// struct not comparable on windows); and every target's findings equal those of checking it
// alone.
func TestSharingByUseIsExact(t *testing.T) {
	dir := fixture(t, "apishare")
	targets := []Target{target("linux", "amd64"), target("darwin", "amd64"),
		target("windows", "amd64")}
	shared := run(newRequest(dir, targets...))
	apartReq := newRequest(dir, targets...)
	apartReq.NoShare = true
	apart := run(apartReq)
	s, a := results(t, shared), results(t, apart)
	for _, tg := range targets {
		wantDiags(t, tg.Name, s[tg.Name].Diagnostics, a[tg.Name].Diagnostics)
	}
	var files []string
	for _, d := range s["windows/amd64"].Diagnostics {
		files = append(files, filepath.Base(filepath.Dir(d.File))+"/"+filepath.Base(d.File))
	}
	want := []string{"cmpuser/cmpuser.go", "goosdup/goosdup.go", "goossize/goossize.go",
		"hdluser/hdluser.go",
		"layoutoff/layoutoff.go", "layoutsize/layoutsize.go", "layoutwrap/layoutwrap.go",
		"sep/sep.go", "user/user.go"}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("windows findings in %v, want %v", files, want)
	}
	for _, name := range []string{"linux/amd64", "darwin/amd64"} {
		if d := s[name].Diagnostics; len(d) != 0 {
			t.Errorf("%s: %+v, want none", name, d)
		}
	}
	// portable, files, goosok, goosarg and goosjoin: checked once, shared twice; sep: linux
	// checked, darwin shared, windows checked; plat, user, hdl, hdluser and quietuser: linux
	// and darwin have one key, windows another, which quietuser shares; goossize, goosfmt and
	// goosdup: checked on each; layout, layoutsize, layoutwrap, layoutoff, cmpuser, pct and
	// pctuser: linux and darwin one key, windows another; layoutuser and layoutptr (imports
	// unsafe, sizes nothing) the same, and windows shares them.
	if st := shared.Stats; st.CheckedFull != 41 || st.SharedByUse != 14 {
		t.Errorf("shared run: %d full checks, %d shared by use; want 41 and 14",
			st.CheckedFull, st.SharedByUse)
	}
	// own keys: the checks left if every print matched. 27 of the 41 full checks; the 14
	// others are results whose imports differ in what they use (sep, goossize, goosfmt,
	// layoutwrap, ...).
	if st := shared.Stats; st.OwnKeys != 27 {
		t.Errorf("shared run: %d own keys, want 27", st.OwnKeys)
	}
	if st := apart.Stats; st.OwnKeys != 0 {
		t.Errorf("no_share run: %d own keys, want 0 (no sharing by use)", st.OwnKeys)
	}
	if st := apart.Stats; st.CheckedFull != 69 || st.SharedByUse != 0 {
		t.Errorf("no_share run: %d full checks, %d shared by use; want 69 and 0",
			st.CheckedFull, st.SharedByUse)
	}
}
