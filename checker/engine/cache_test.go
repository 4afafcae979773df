// The two caches: per-package results by sharing key (resultcache.go) and whole answers by
// request and module contents (runcache.go).

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// copyModule copies testdata/name (flat) into a temporary directory, so a test can edit it.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	src := fixture(t, name)
	dst := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// sameAnswer: the targets of b are those of a, cached, with no time spent.
func sameAnswer(t *testing.T, a, b *Response) {
	t.Helper()
	want := make([]TargetResult, len(a.Targets))
	for i, r := range a.Targets {
		r.Cached, r.Seconds = true, 0
		want[i] = r
	}
	got := make([]TargetResult, len(b.Targets))
	for i, r := range b.Targets {
		r.Seconds = 0
		got[i] = r
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cached answer differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestResultCache(t *testing.T) {
	req := newRequest(fixture(t, "overflow"), target("linux", "amd64"), target("linux", "386"))
	req.CacheDir = t.TempDir()
	first := runAll(req) // runAll: no run cache
	if first.Stats.CacheHits != 0 || first.Stats.CheckedFull != 2 {
		t.Fatalf("cold run: %+v", first.Stats)
	}
	if len(results(t, first)["linux/386"].Diagnostics) != 2 {
		t.Fatalf("cold run found %+v", first.Targets)
	}
	packs, _ := filepath.Glob(filepath.Join(req.CacheDir, "pack-*.json"))
	if len(packs) != 1 {
		t.Fatalf("cold run wrote packs %v, want one", packs)
	}
	second := runAll(req)
	if second.Stats.CacheHits != 2 || second.Stats.Checked != 0 {
		t.Errorf("warm run: %+v, want 2 cache hits and nothing checked", second.Stats)
	}
	sameAnswer(t, first, second)
}

func TestRunCache(t *testing.T) {
	dir := copyModule(t, "overflow")
	req := newRequest(dir, target("linux", "amd64"), target("linux", "386"))
	req.CacheDir = t.TempDir()
	first := run(req)
	if first.Stats.RunCacheHit || first.Stats.Checked == 0 {
		t.Fatalf("cold run: %+v", first.Stats)
	}
	second := run(req)
	if !second.Stats.RunCacheHit || second.Stats.Checked != 0 {
		t.Errorf("second run: %+v, want a run cache hit", second.Stats)
	}
	sameAnswer(t, first, second)

	// An edit to the module is a new answer: 1 GiB fits a 32-bit int.
	file := filepath.Join(dir, "overflow.go")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "5 << 30", "1 << 30", 1)
	if edited == string(data) {
		t.Fatal("the fixture changed; update this test")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	third := run(req)
	if third.Stats.RunCacheHit {
		t.Errorf("run after an edit was answered by the run cache")
	}
	for name, r := range results(t, third) {
		wantDiags(t, name, r.Diagnostics, nil)
	}
}

// writeFiles writes name -> text under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The run cache covers what a module brings in from outside itself: a directory go.mod replaces
// a module with, and the modules of a go.work. Editing either is a new answer, not a stale one.
func TestRunCacheCoversDirectoriesOutsideTheModule(t *testing.T) {
	for _, mode := range []string{"replace", "go.work"} {
		t.Run(mode, func(t *testing.T) {
			root := t.TempDir()
			gomod := "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n"
			if mode == "replace" {
				gomod += "\nreplace example.com/dep => ../dep\n"
			} else {
				t.Setenv("GOWORK", filepath.Join(root, "go.work"))
				writeFiles(t, root, map[string]string{"go.work": "go 1.22\n\nuse (\n\t./m\n\t./dep\n)\n"})
				gomod = "module example.com/m\n\ngo 1.22\n"
			}
			writeFiles(t, root, map[string]string{
				"m/go.mod": gomod,
				"m/m.go": "package m\n\nimport \"example.com/dep\"\n\n" +
					"// X holds dep.N.\nvar X int = dep.N\n",
				"dep/go.mod": "module example.com/dep\n\ngo 1.22\n",
				"dep/dep.go": "package dep\n\n// N is big.\nconst N = 1 << 40\n",
			})
			req := newRequest(filepath.Join(root, "m"), target("linux", "386"))
			req.CacheDir = t.TempDir()
			first := run(req)
			diags := results(t, first)["linux/386"].Diagnostics
			if len(diags) != 1 || !strings.Contains(diags[0].Message, "overflows") ||
				first.Stats.RunCacheHit {
				t.Fatalf("cold run: %+v, %+v", diags, first.Stats)
			}
			if second := run(req); !second.Stats.RunCacheHit {
				t.Errorf("nothing changed, yet no run cache hit: %+v", second.Stats)
			}
			writeFiles(t, root, map[string]string{
				"dep/dep.go": "package dep\n\n// N fits.\nconst N = 1 << 20\n"})
			third := run(req)
			if third.Stats.RunCacheHit {
				t.Errorf("an edit outside the module was answered by the run cache")
			}
			wantDiags(t, "linux/386", results(t, third)["linux/386"].Diagnostics, nil)
		})
	}
}

// copyTree copies testdata/name with its subdirectories, so a test can edit it.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	src := fixture(t, name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// After an edit, what the edited package reads of the packages it imports that the result
// cache answers (whether they build; with vet, their facts, TestCachedFactsServeAnEdit) is in
// the cache: only the edited package is checked again, once per own key.
func TestAnEditChecksOnlyWhatChanged(t *testing.T) {
	dir := copyTree(t, "manyports")
	req := newRequest(dir, target("linux", "amd64"), target("linux", "386"),
		target("linux", "arm64"), target("darwin", "arm64"), target("windows", "amd64"))
	req.Vet, req.CacheDir = true, t.TempDir()
	cold := runAll(req)
	f, err := os.OpenFile(filepath.Join(dir, "b", "b.go"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n// edited\n")
	f.Close()
	edited := runAll(req)
	// b, edited, once per int size; a, which b imports, answered by the cache.
	if st := edited.Stats; st.OwnKeys != 2 || st.CheckedFull != 2 {
		t.Errorf("after editing b: %d own keys, %d full checks; want 2 and 2", st.OwnKeys,
			st.CheckedFull)
	}
	if got, want := results(t, edited), results(t, cold); !reflect.DeepEqual(diagsOf(got), diagsOf(want)) {
		t.Errorf("after editing b: found\n%v\nwant\n%v", diagsOf(got), diagsOf(want))
	}
}

// A dependency module's package answered by the cache is still checked for what its importers
// import (its types): after an edit that only one target builds (a file behind a build tag),
// the other target's answer from the cache does not keep it from the dependency's types (the
// same entry on both).
func TestAnEditStillChecksTheDependenciesItImports(t *testing.T) {
	dir := copyTree(t, "vetdep")
	req := newRequest(dir, target("linux", "amd64"), target("linux", "amd64", "extra"))
	req.CacheDir = t.TempDir()
	req.Jobs = 1 // linux/amd64 listed and scheduled first
	cold := runAll(req)
	writeFiles(t, dir, map[string]string{"extra.go": "//go:build extra\n\npackage main\n\n" +
		"import \"example.com/logdep\"\n\nfunc extra() { logdep.Logf(\"%s\", \"x\") }\n"})
	edited := runAll(req)
	for name, r := range results(t, edited) {
		for _, d := range r.Diagnostics {
			if d.Kind != "vet" {
				t.Errorf("%s after the edit: %+v", name, d)
			}
		}
	}
	if got, want := results(t, edited)["linux/amd64"], results(t, cold)["linux/amd64"]; !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("linux/amd64 after the edit: %v, want %v", got.Diagnostics, want.Diagnostics)
	}
}

// TestRunKeySaysWhichModulesTheCacheHas: a module go.sum names that is downloaded after a run
// (which could not have it) changes the run's key; the module cache's names are escaped.
func TestRunKeySaysWhichModulesTheCacheHas(t *testing.T) {
	if got := modEscape("github.com/BurntSushi/toml"); got != "github.com/!burnt!sushi/toml" {
		t.Fatalf("modEscape = %q", got)
	}
	modCache := t.TempDir()
	sum := []byte("github.com/BurntSushi/toml v1.3.2 h1:x\n" +
		"github.com/BurntSushi/toml v1.3.2/go.mod h1:y\n")
	key := func() string {
		var b strings.Builder
		modsPresent(&b, modCache, sum)
		return b.String()
	}
	none := key()
	mod := filepath.Join(modCache, "cache", "download", "github.com", "!burnt!sushi", "toml",
		"@v", "v1.3.2.mod")
	if err := os.MkdirAll(filepath.Dir(mod), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mod, []byte("module github.com/BurntSushi/toml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	goMod := key()
	if err := os.MkdirAll(filepath.Join(modCache, "github.com", "!burnt!sushi", "toml@v1.3.2"),
		0o755); err != nil {
		t.Fatal(err)
	}
	both := key()
	if none == goMod || goMod == both || none == both {
		t.Fatalf("the key does not follow the module cache:\n%q\n%q\n%q", none, goMod, both)
	}
	if !strings.Contains(both, "v1.3.2\x00true") || !strings.Contains(none, "v1.3.2\x00false") {
		t.Fatalf("presence not said: %q / %q", none, both)
	}
	var empty strings.Builder
	modsPresent(&empty, "", sum)
	if empty.Len() != 0 {
		t.Fatalf("no module cache known, yet %q", empty.String())
	}
}
