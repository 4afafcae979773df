// Tests of the engine against small fixture modules in testdata/ (each its own module), with
// the real `go list`, offline. TestMain makes the go command local and offline whatever the
// caller's environment says.

package main

import (
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var goBin, goRoot string // the go command under test (go test puts its GOROOT/bin first on PATH)

func TestMain(m *testing.M) {
	for k, v := range map[string]string{"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "",
		"GOWORK": "off", "CROSSVET_ENGINE_REQUEST": ""} {
		os.Setenv(k, v)
	}
	var err error
	if goBin, err = exec.LookPath("go"); err == nil {
		var out []byte
		out, err = exec.Command(goBin, "env", "GOROOT").Output()
		goRoot = strings.TrimSpace(string(out))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "engine tests need the go command: %v\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// target is a cgo-off target named "goos/goarch", with "+tags" when it has tags.
func target(goos, goarch string, tags ...string) Target {
	name := goos + "/" + goarch
	if len(tags) > 0 {
		name += "+" + strings.Join(tags, ",")
	}
	return Target{Name: name, GOARCH: goarch, Tags: tags,
		Env: map[string]string{"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0"}}
}

// byRelease is since from Go 1.n on, else before: go/types' wording, cgo's and vet's analyzers
// are the release's own (the engine is built with the go command under test), and the engine
// reads as that release's compiler and go vet do.
func byRelease[T any](n int, before, since T) T {
	if slices.Contains(build.Default.ReleaseTags, "go1."+strconv.Itoa(n)) {
		return since
	}
	return before
}

// fixture is the absolute directory of testdata/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// newRequest asks for every package of the module in dir, narrowing on, no cache.
func newRequest(dir string, targets ...Target) *Request {
	return &Request{Go: goBin, GOROOT: goRoot, ModuleDir: dir, Patterns: []string{"./..."},
		Jobs: 2, Narrowing: true, Targets: targets}
}

// results are resp's targets by name; a target that failed fails the test.
func results(t *testing.T, resp *Response) map[string]TargetResult {
	t.Helper()
	out := map[string]TargetResult{}
	for _, r := range resp.Targets {
		if r.Error != "" {
			t.Fatalf("%s: %s", r.Name, r.Error)
		}
		out[r.Name] = r
	}
	return out
}

func wantDiags(t *testing.T, target string, got, want []Diag) {
	t.Helper()
	if want == nil {
		want = []Diag{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: diagnostics\n got %+v\nwant %+v", target, got, want)
	}
}

func TestDecodeRequestAsCrossvetWritesIt(t *testing.T) {
	// The shape of checker/typecheck.py's request().
	text := `{"go": "/usr/bin/go", "goroot": "/usr/lib/go", "module_dir": "/m",
		"patterns": ["./..."], "jobs": 0, "memory_mb": 512, "cache_dir": "/c", "no_share": true,
		"narrowing": true, "targets": [{"name": "linux/arm/v6", "goarch": "arm",
		"tags": ["netgo"], "env": {"GOOS": "linux", "GOARCH": "arm", "GOARM": "6"}}]}`
	req, err := decodeRequest(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := &Request{Go: "/usr/bin/go", GOROOT: "/usr/lib/go", ModuleDir: "/m",
		Patterns: []string{"./..."}, Jobs: 1, MemoryMB: 512, CacheDir: "/c", NoShare: true,
		Narrowing: true, Targets: []Target{{Name: "linux/arm/v6", GOARCH: "arm",
			Tags: []string{"netgo"}, Env: map[string]string{"GOOS": "linux", "GOARCH": "arm",
				"GOARM": "6"}}}}
	if !reflect.DeepEqual(req, want) {
		t.Errorf("got %+v\nwant %+v", req, want)
	}
}

// A request without GOROOT (from a container) gets the one its go command names.
func TestGOROOTAskedOfGoWhenNotGiven(t *testing.T) {
	req, err := decodeRequest(strings.NewReader(`{"go": ` + strconv.Quote(goBin) + `}`))
	if err != nil || req.GOROOT != goRoot || goRoot == "" {
		t.Errorf("GOROOT %q (error %v), want %q", req.GOROOT, err, goRoot)
	}
}

func TestBadRequestIsAnError(t *testing.T) {
	if _, err := decodeRequest(strings.NewReader(`{"targets": 1}`)); err == nil ||
		!strings.HasPrefix(err.Error(), "bad request: ") {
		t.Errorf("bad JSON: got error %v", err)
	}
	missing := filepath.Join(t.TempDir(), "request.json")
	if _, err := readRequest([]string{missing}, strings.NewReader("")); err == nil ||
		!strings.Contains(err.Error(), missing) {
		t.Errorf("missing request file: got error %v", err)
	}
}

// A module directory that does not exist is each target's error, with or without the
// caches, not a crash.
func TestMissingModuleDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no-such-module")
	for _, cacheDir := range []string{"", t.TempDir()} {
		req := newRequest(dir, target("linux", "amd64"), target("linux", "386"))
		req.CacheDir = cacheDir
		resp := run(req)
		if len(resp.Targets) != 2 {
			t.Fatalf("got %d targets, want 2", len(resp.Targets))
		}
		for i, r := range resp.Targets {
			if r.Name != req.Targets[i].Name {
				t.Errorf("target %d is %q, want %q", i, r.Name, req.Targets[i].Name)
			}
			want := "go list failed: chdir " + dir + ": no such file or directory"
			if r.Error != want {
				t.Errorf("%s: error %q, want %q", r.Name, r.Error, want)
			}
			if r.Packages == nil || len(r.Packages) != 0 || r.Diagnostics == nil ||
				len(r.Diagnostics) != 0 || r.Cached {
				t.Errorf("%s: a failed target reports nothing else: %+v", r.Name, r)
			}
		}
		if resp.Stats.RunCacheHit || resp.Stats.Entries != 0 {
			t.Errorf("stats of a run that listed nothing: %+v", resp.Stats)
		}
	}
}

// Every target is reported once, before the run returns, with the result the response
// repeats; its time is the work charged to it, so the targets' times add up to at least the
// workers' time, and no target is charged more than the run took (with two workers and two
// listings at a time). Answered by the run cache, each is reported again, with no time.
func TestEachTargetReportedOnceAsItFinishes(t *testing.T) {
	dir := fixture(t, "vetfacts")
	req := newRequest(dir, target("linux", "amd64"), target("linux", "386"),
		target("windows", "amd64"), target("darwin", "arm64"))
	req.Vet = newVetRun != nil
	req.CacheDir = t.TempDir()
	for round, cached := range []bool{false, true} {
		var mu sync.Mutex
		reported := map[string][]TargetResult{}
		req.Report = func(r TargetResult) {
			mu.Lock()
			defer mu.Unlock()
			reported[r.Name] = append(reported[r.Name], r)
		}
		start := time.Now()
		resp := run(req)
		wall := time.Since(start).Seconds()
		if resp.Stats.RunCacheHit != cached {
			t.Fatalf("round %d: run cache hit %v, want %v", round, resp.Stats.RunCacheHit, cached)
		}
		var sum, vet float64
		for _, r := range resp.Targets {
			if got := reported[r.Name]; len(got) != 1 || !reflect.DeepEqual(got[0], r) {
				t.Errorf("round %d: %s reported %d times (%+v), want once as %+v", round,
					r.Name, len(got), got, r)
			}
			if r.Error != "" || r.Cached != cached {
				t.Errorf("round %d: %s: error %q, cached %v", round, r.Name, r.Error, r.Cached)
			}
			if r.Seconds < 0 || r.Seconds > 4*wall || r.VetSeconds > r.Seconds ||
				cached && r.Seconds != 0 {
				t.Errorf("round %d: %s: %.3fs (vet %.3fs) in a run of %.3fs", round, r.Name,
					r.Seconds, r.VetSeconds, wall)
			}
			sum += r.Seconds
			vet += r.VetSeconds
		}
		st := resp.Stats
		// (the sums of float seconds may be an ulp below the float seconds of the sums)
		const ulps = 1e-9
		if work := st.ListSeconds + st.FullCPUSeconds + st.DeclCPUSeconds; !cached &&
			(sum < work-ulps || vet < st.VetCPUSeconds-ulps || req.Vet && vet == 0) {
			t.Errorf("targets' times add up to %.3fs (vet %.3fs), less than the run's work "+
				"%.3fs (vet %.3fs)", sum, vet, work, st.VetCPUSeconds)
		}
	}
}
