//go:build crossvet_vet

// vet in the engine against the real `go vet -json`, target by target, on every fixture: the
// same findings (file, line, column, message, analyzer), facts from main-module packages
// included. Built and run by `make engine-test` in the build directory vetprep lays out.

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// goVetFindings runs `go vet -json ./...` for t in dir and returns its findings as
// "file:line:col: analyzer: message" lines (vet -json writes to stdout from Go 1.26, to stderr
// before; type errors are plain text and ignored here).
func goVetFindings(t *testing.T, dir string, tg Target) []string {
	t.Helper()
	args := []string{"vet", "-json"}
	if len(tg.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(tg.Tags, ","))
	}
	cmd := exec.Command(goBin, append(args, "./...")...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range tg.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // findings make it fail
	var found []string
	var block []string
	for _, line := range strings.Split(out.String(), "\n") {
		switch {
		case line == "{" || (len(block) > 0 && line != "}"):
			block = append(block, line)
			continue
		case line == "}" && len(block) > 0:
			block = append(block, line)
		default:
			continue
		}
		var obj map[string]map[string][]struct{ Posn, Message string }
		if err := json.Unmarshal([]byte(strings.Join(block, "\n")), &obj); err != nil {
			t.Fatalf("go vet -json: %v\n%s", err, strings.Join(block, "\n"))
		}
		block = nil
		for _, analyzers := range obj {
			for name, diags := range analyzers {
				for _, d := range diags {
					found = append(found, normPosn(d.Posn)+": "+name+": "+d.Message)
				}
			}
		}
	}
	return uniqSorted(found)
}

var posnRx = regexp.MustCompile(`^(.*):(\d+):(\d+)$`)

// normPosn spells "file:line:col" as the engine's findings are spelled below.
func normPosn(p string) string {
	if m := posnRx.FindStringSubmatch(p); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return m[1] + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
	}
	return p
}

func engineVetFindings(r TargetResult) []string {
	return vetLines(r, func(d Diag) string {
		return d.File + ":" + strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Col) + ": " +
			d.Analyzer + ": " + d.Message
	})
}

// vetLines are r's vet findings, each written by line, sorted without repeats.
func vetLines(r TargetResult, line func(Diag) string) []string {
	var found []string
	for _, d := range r.Diagnostics {
		if d.Kind == "vet" {
			found = append(found, line(d))
		}
	}
	return uniqSorted(found)
}

// wantLines fails the test unless got and want hold the same lines, in any order.
func wantLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(uniqSorted(got), "\n") != strings.Join(uniqSorted(want), "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func uniqSorted(s []string) []string {
	sort.Strings(s)
	out := []string{}
	for i, x := range s {
		if i == 0 || s[i-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// Every fixture, several targets: the engine's vet findings are go vet's.
func TestVetMatchesGoVet(t *testing.T) {
	targets := []Target{target("linux", "amd64"), target("linux", "386"),
		target("windows", "amd64"), target("linux", "amd64", "special")}
	ents, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		dir := fixture(t, ent.Name())
		if ent.Name() == "depbody" { // its module m, with its dependencies beside it
			dir = filepath.Join(dir, "m")
		}
		t.Run(ent.Name(), func(t *testing.T) {
			req := newRequest(dir, targets...)
			req.Vet = true
			got := results(t, run(req))
			for _, tg := range targets {
				want := goVetFindings(t, dir, tg)
				have := engineVetFindings(got[tg.Name])
				if strings.Join(have, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s: engine vet\n%s\ngo vet\n%s", tg.Name,
						strings.Join(have, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

// The fixture's findings depend on facts: a printf wrapper and a function that never returns,
// both defined in another package of the module. (Columns are left out: printf's moved
// between Go releases.)
func TestVetUsesFactsOfImportedPackages(t *testing.T) {
	dir := fixture(t, "vetfacts")
	req := newRequest(dir, target("linux", "amd64"))
	req.Vet = true
	got := vetLines(results(t, run(req))["linux/amd64"], func(d Diag) string {
		return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer + ": " +
			d.Message
	})
	want := []string{
		"main.go:10: printf: example.com/vetfacts/util.Logf format %d has arg \"three\" " +
			"of wrong type string",
		"main.go:24: lostcancel: the cancel function is not used on all paths " +
			"(possible context leak)",
		"main.go:26: lostcancel: this return statement may be reached without using the " +
			"cancel var defined on line 24",
		"main_test.go:6: printf: (*testing.common).Errorf format %s has arg 1 of wrong type int",
		// ignored files, analyzed once for every entry that ignores them (claimIgnored)
		"bad_ignored.s:2: buildtag: misplaced +build comment",
		"late_ignored.go:11: directive: //go:debug directive only valid before package " +
			"declaration", // read whole
		"debug_ignored.go:3: directive: //go:debug directive only valid in package main or " +
			"test", // its header only (vetheader.go)
	}
	wantLines(t, got, want)
}

// An ignored file whose header is all buildtag and directive can report in is given to them as
// a copy of that header with the file's base name (they parse an ignored .go file by its name:
// x/sys/unix ignores hundreds of large files per target), mapped back by alias; copies of
// files with one base name go to different directories, of different names to one.
func TestIgnoredHeadersGivenAsCopies(t *testing.T) {
	dir := copyTree(t, "vetfacts")
	path := filepath.Join(dir, "util", "debug_ignored.go")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	twin := filepath.Join(dir, "debug_ignored.go") // the same base name in another directory
	other := filepath.Join(dir, "util", "other_ignored.go")
	for _, f := range []string{twin, other} {
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fc := newFileCache()
	in := &vetInput{report: true, ignored: []string{path, twin, other},
		hashes: map[string][32]byte{}}
	for _, f := range in.ignored {
		if in.hashes[f], err = fc.hash(f); err != nil {
			t.Fatal(err)
		}
	}
	in.open(fc)
	v := newVetSession().(*vetSession)
	defer v.close()
	out, alias := v.headerFiles(in.ignored, in)
	if len(out) != 3 || len(alias) != 3 {
		t.Fatalf("files %q, aliases %v: want a copy of each", out, alias)
	}
	for i, f := range in.ignored {
		head, err := os.ReadFile(out[i])
		if err != nil || alias[out[i]] != f || filepath.Base(out[i]) != filepath.Base(f) ||
			len(head) >= len(data) || !bytes.HasPrefix(data, head[:len(head)-1]) {
			t.Errorf("copy of %s: %s (alias %s), %q, %v", f, out[i], alias[out[i]], head, err)
		}
	}
	if filepath.Dir(out[0]) == filepath.Dir(out[1]) || filepath.Dir(out[0]) != filepath.Dir(out[2]) {
		t.Errorf("copies in %q: want the twins apart and different names together", out)
	}
	v.close()
	if _, err := os.Stat(filepath.Dir(out[0])); !os.IsNotExist(err) {
		t.Errorf("copies left after close: %v", err)
	}
}

// After an edit of main.go, util's result comes from the cache with its facts (a printf
// wrapper, a function that never returns), not from checking util again, and the findings
// that depend on them are found as before.
func TestCachedFactsServeAnEdit(t *testing.T) {
	dir := copyTree(t, "vetfacts")
	req := newRequest(dir, target("linux", "amd64"), target("linux", "386"))
	req.Vet, req.CacheDir = true, t.TempDir()
	cold := runAll(req)
	f, err := os.OpenFile(filepath.Join(dir, "main.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n// edited\n")
	f.Close()
	edited := runAll(req)
	line := func(d Diag) string {
		return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer
	}
	for _, tg := range []string{"linux/amd64", "linux/386"} {
		got, want := vetLines(results(t, edited)[tg], line), vetLines(results(t, cold)[tg], line)
		if strings.Join(got, "\n") != strings.Join(want, "\n") ||
			!slices.Contains(got, "main.go:10: printf") || !slices.Contains(got, "main.go:24: lostcancel") {
			t.Errorf("%s after the edit:\n%s\nwant\n%s", tg, strings.Join(got, "\n"),
				strings.Join(want, "\n"))
		}
	}
	// main and its test variant, edited, are checked again; util is not.
	if cs, es := cold.Stats, edited.Stats; es.CheckedFull >= cs.CheckedFull || es.CacheHits == 0 {
		t.Errorf("after the edit: %d full checks (cold %d), %d cache hits", es.CheckedFull,
			cs.CheckedFull, es.CacheHits)
	}
}

// Vet's findings are in the result cache's key: a run without vet does not answer one with.
func TestVetAndNoVetDoNotShareResults(t *testing.T) {
	dir := fixture(t, "vetfacts")
	cache := t.TempDir()
	req := newRequest(dir, target("linux", "amd64"))
	req.CacheDir = cache
	if n := len(engineVetFindings(results(t, run(req))["linux/amd64"])); n != 0 {
		t.Fatalf("vet off: %d vet findings", n)
	}
	req.Vet = true
	if n := len(engineVetFindings(results(t, run(req))["linux/amd64"])); n != 7 {
		t.Fatalf("vet on after a run without: %d vet findings, want 7", n)
	}
}

// Facts of a dependency module (a replace to a local directory): printf wrappers and a function
// that never returns, defined there, decide findings in the main module; so they do when
// dependencies are checked as before their bodies were (no_dep_bodies: their fact bodies only).
func TestVetUsesFactsOfDependencyModules(t *testing.T) {
	dir := fixture(t, "vetdep")
	for _, noDepBodies := range []bool{false, true} {
		req := newRequest(dir, target("linux", "amd64"))
		req.Vet, req.NoDepBodies = true, noDepBodies
		got := vetLines(results(t, run(req))["linux/amd64"], func(d Diag) string {
			return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer
		})
		want := []string{
			"main.go:11: printf", // logdep.Logf
			"main.go:12: printf", // sub.Warnf, through logdep.Logf
			"main.go:14: printf", // notef, a main-module wrapper of logdep.Logf
			"main.go:32: lostcancel",
			"main.go:34: lostcancel",
			// none at 23/26: sub.Fail never returns, through logdep.Die; none at 42/45:
			// logdep.Stop never returns
		}
		if byRelease(26, false, true) { // printf knows wrappers assigned to variables
			want = append(want, "main.go:41: printf") // logdep.Hook, a func literal assigned in logdep.Setup
		}
		wantLines(t, got, want)
	}
}

// Assembly whose file names carry no GOARCH (add_x86_32.s, add_x86_64.s: //go:build lines) is
// checked for each target's architecture, and framepointer runs where go vet runs it (amd64 on
// linux, not windows): go vet's process has the target's GOOS and GOARCH, which asmdecl and
// framepointer read from build.Default; the engine is one process for every target.
func TestVetChecksAssemblyForEachTarget(t *testing.T) {
	dir := fixture(t, "vetasm")
	targets := []Target{target("linux", "amd64"), target("linux", "386"),
		target("windows", "amd64"), target("windows", "386")}
	req := newRequest(dir, targets...)
	req.Vet = true
	got := results(t, run(req))
	line := func(d Diag) string {
		return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer + ": " +
			d.Message
	}
	sub386 := "add_x86_32.s:11: asmdecl: [386] Sub: wrong argument size 16; expected $...-12"
	want := map[string][]string{
		"linux/amd64":   {"add_x86_64.s:18: framepointer: frame pointer is clobbered before saving"},
		"linux/386":     {sub386},
		"windows/amd64": {},
		"windows/386":   {sub386},
	}
	for _, tg := range targets {
		t.Run(tg.Name, func(t *testing.T) { wantLines(t, vetLines(got[tg.Name], line), want[tg.Name]) })
	}
}

// vet's assembly analyzers tell linux and darwin from other GOOS, no more (framepointer; the
// engine's vetprep checks the release reads build.Default.GOOS for nothing else): asmarch,
// with amd64 and 386 assembly, is analyzed once for linux, once for darwin and once for the
// other GOOS of each GOARCH, with the findings of each target checked alone.
func TestAssemblyIsAnalyzedOncePerGOOSClass(t *testing.T) {
	if !goosClasses {
		t.Skip("this release's analyzers read GOOS otherwise (vetprep)")
	}
	dir := fixture(t, "asmarch")
	targets := []Target{target("linux", "amd64"), target("darwin", "amd64"),
		target("freebsd", "amd64"), target("netbsd", "amd64"), target("openbsd", "amd64"),
		target("windows", "amd64"), target("linux", "386"), target("windows", "386"),
		target("freebsd", "386")}
	req := newRequest(dir, targets...)
	req.Vet = true
	resp := run(req)
	got := results(t, resp)
	if n := resp.Stats.CheckedFull; n != 5 { // amd64: linux, darwin, other; 386: linux, other
		t.Errorf("%d full checks for %d targets, want 5", n, len(targets))
	}
	line := func(d Diag) string {
		return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer
	}
	for _, tg := range targets {
		alone := newRequest(dir, tg)
		alone.Vet = true
		want := vetLines(results(t, run(alone))[tg.Name], line)
		framepointer := slices.ContainsFunc(want, func(s string) bool {
			return strings.HasSuffix(s, ": framepointer")
		})
		if framepointer != (tg.GOARCH == "amd64" && tg.Env["GOOS"] != "windows" &&
			tg.Env["GOOS"] != "freebsd" && tg.Env["GOOS"] != "netbsd" &&
			tg.Env["GOOS"] != "openbsd") {
			t.Errorf("%s alone: framepointer findings %v", tg.Name, want)
		}
		t.Run(tg.Name, func(t *testing.T) { wantLines(t, vetLines(got[tg.Name], line), want) })
	}
}

// What an edited package's analysis reads through an unchanged import is there too: c calls
// b.T's Printf, promoted from a.Logger, whose fact (a printf wrapper) is a's. With a's facts
// missing from the cache (as for a fact gob cannot write), a is checked again though c only
// imports b, whose result the cache answers whole.
func TestAnEditReadsFactsThroughCachedImports(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a/a.go": "package a\n\nimport \"fmt\"\n\ntype Logger struct{}\n\n" +
			"func (*Logger) Printf(format string, args ...any) { fmt.Printf(format, args...) }\n",
		"b/b.go": "package b\n\nimport \"example.com/m/a\"\n\ntype T struct{ *a.Logger }\n",
		"c/c.go": "package c\n\nimport \"example.com/m/b\"\n\n" +
			"func F(t b.T) { t.Printf(\"%d\", \"x\") }\n",
	})
	req := newRequest(dir, target("linux", "amd64"))
	req.Vet, req.CacheDir = true, t.TempDir()
	printfInC := func(resp *Response) bool {
		for _, d := range results(t, resp)["linux/amd64"].Diagnostics {
			if d.Analyzer == "printf" && filepath.Base(d.File) == "c.go" {
				return true
			}
		}
		return false
	}
	if !printfInC(runAll(req)) {
		t.Fatal("cold: no printf finding in c")
	}
	// drop a's facts from the cache
	packs, _ := filepath.Glob(filepath.Join(req.CacheDir, "pack-*.json"))
	dropped := 0
	for _, p := range packs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var pack map[string]cached
		if err := json.Unmarshal(data, &pack); err != nil {
			t.Fatal(err)
		}
		for k, v := range pack {
			if bytes.Contains(v.Facts, []byte("example.com/m/a")) &&
				!bytes.Contains(v.Facts, []byte("example.com/m/b")) {
				v.Facts = nil
				pack[k] = v
				dropped++
			}
		}
		if data, err = json.Marshal(pack); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if dropped == 0 {
		t.Fatal("a's facts not found in the cache")
	}
	writeFiles(t, dir, map[string]string{"c/c.go": "package c\n\nimport \"example.com/m/b\"\n\n" +
		"func F(t b.T) { t.Printf(\"%d\", \"x\") }\n\n// edited\n"})
	if resp := runAll(req); !printfInC(resp) {
		t.Errorf("after editing c: no printf finding in c (a's facts were not there); %d "+
			"full checks", resp.Stats.CheckedFull)
	}
}

// With vet, sharing by use stays exact on the apishare fixture: every target's findings equal
// those of checking it alone, and what vet's printf reads of a printed constant is its value
// when it holds a "%" (pctuser: a formatting directive in pct.Done on windows only).
func TestVetSharingByUseIsExact(t *testing.T) {
	dir := fixture(t, "apishare")
	targets := []Target{target("linux", "amd64"), target("darwin", "amd64"),
		target("windows", "amd64")}
	req := newRequest(dir, targets...)
	req.Vet = true
	apartReq := newRequest(dir, targets...)
	apartReq.Vet, apartReq.NoShare = true, true
	s, a := results(t, run(req)), results(t, run(apartReq))
	for _, tg := range targets {
		wantDiags(t, tg.Name, s[tg.Name].Diagnostics, a[tg.Name].Diagnostics)
	}
	printf := func(name string) []string {
		var found []string
		for _, d := range s[name].Diagnostics {
			if d.Analyzer == "printf" && filepath.Base(d.File) == "pctuser.go" {
				found = append(found, d.Message)
			}
		}
		return found
	}
	wantLines(t, printf("windows/amd64"),
		[]string{"fmt.Println call has possible Printf formatting directive %d"})
	wantLines(t, printf("linux/amd64"), nil)
}
