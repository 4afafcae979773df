// The protocol with crossvet (checker/typecheck.py): the request it sends, the response the
// engine answers with, and reading the request.

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Request is what crossvet sends: a JSON file named by the engine's argument, or the
// CROSSVET_ENGINE_REQUEST variable (in a container), or stdin.
type Request struct {
	Go     string `json:"go"`     // the go binary
	GOROOT string `json:"goroot"` // its GOROOT
	// ModCache is `go env GOMODCACHE` ("": not known): which required modules are there is
	// part of the run cache's key (runcache.go's modsPresent)
	ModCache  string   `json:"mod_cache"`
	ModuleDir string   `json:"module_dir"` // where `go list` runs
	Patterns  []string `json:"patterns"`   // package patterns, e.g. ./...
	Jobs      int      `json:"jobs"`       // type-checking workers and concurrent `go list`s
	MemoryMB  int      `json:"memory_mb"`  // memory budget (0: Go's default collector)
	CacheDir  string   `json:"cache_dir"`  // result cache directory ("" disables the cache)
	// Check every target alone and every package by itself (for tests of sharing): no result
	// is another target's, nor a test variant's (derive.go).
	NoShare bool `json:"no_share"`
	// Check dependency modules as before their bodies were (issue #25), for measuring what
	// their bodies cost (bench/reach.py): declarations only, or with vet the bodies its facts
	// come from (prune.go's thinned); their errors are not reported.
	NoDepBodies bool     `json:"no_dep_bodies"`
	Narrowing   bool     `json:"narrowing"` // run the 32-bit narrowing analysis
	Vet         bool     `json:"vet"`       // run vet's analyzers on the main module (vethook.go)
	Targets     []Target `json:"targets"`

	// The narrowing rule (narrow/). Level "all" also reports conversions that can only lose
	// the sign bit on 32-bit targets (uint32 -> int); Generated, those in generated files.
	NarrowingLevel     string `json:"narrowing_level"`
	NarrowingGenerated bool   `json:"narrowing_generated"`

	// Report, when set (main sets it), is told each target's result as soon as it is known,
	// from any goroutine: targets finish about in request order (schedule.go).
	Report func(TargetResult) `json:"-"`
}

// report tells req.Report a target's result, if it listens.
func (req *Request) report(t TargetResult) {
	if req.Report != nil {
		req.Report(t)
	}
}

// Target is one configuration: its name as crossvet reports it and its go environment.
// In a run of several modules each target also names its module's directory (where its
// `go list` runs) and, when they differ from the request's, its package patterns: one engine
// process then checks every module, sharing std and common dependencies between them.
type Target struct {
	Name     string            `json:"name"`
	Env      map[string]string `json:"env"` // GOOS, GOARCH, CGO_ENABLED, GOARM, ..., CC (cgo.go)
	Tags     []string          `json:"tags"`
	GOARCH   string            `json:"goarch"`
	Dir      string            `json:"dir,omitempty"`
	Patterns []string          `json:"patterns,omitempty"`
}

// dir is where t's `go list` runs: its module's directory, else the request's.
func (req *Request) dir(t *Target) string {
	if t.Dir != "" {
		return t.Dir
	}
	return req.ModuleDir
}

// patterns are t's package patterns: its own, else the request's.
func (req *Request) patterns(t *Target) []string {
	if len(t.Patterns) > 0 {
		return t.Patterns
	}
	return req.Patterns
}

// Diag is one finding. File is absolute.
type Diag struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Package string `json:"package"`
	Kind    string `json:"kind"` // "type", "syntax", "list", "narrowing", "vet"
	// For vet: the analyzer, as `go vet -json` names it.
	Analyzer string `json:"analyzer,omitempty"`
	// For an analyzer of `analyzers:` (lint.go, Kind "vet"): Lint is set, with its URL and
	// the merge rule it declares ("all", else "").
	Lint  bool   `json:"lint,omitempty"`
	URL   string `json:"url,omitempty"`
	Merge string `json:"merge,omitempty"`
	Expr  string `json:"expr,omitempty"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	// A finding in a dependency module (deps.go): File and Line are then the checked module's
	// go.mod and its line that requires the module, Dep where it is in the dependency.
	Dep *DepSource `json:"dep,omitempty"`
	// The import chain from a checked package to the package at fault (a dependency's finding,
	// or a dependency go list cannot load for the target), when known.
	Chain []string `json:"chain,omitempty"`
}

// TargetResult is the outcome for one target.
type TargetResult struct {
	Name        string   `json:"name"`
	Packages    []string `json:"packages"`
	Diagnostics []Diag   `json:"diagnostics"`
	Error       string   `json:"error"`
	// The engine's work for this target: listing it, and the worker time of the packages it
	// was the first target to need (their checks are shared with later targets for free); 0
	// when the run cache answered. VetSeconds is the part in vet's analyzers.
	Seconds    float64 `json:"seconds"`
	VetSeconds float64 `json:"vet_seconds"`
	Cached     bool    `json:"cached"`
	// The main-module packages whose cgo files were checked with a fake `import "C"` (cgo on):
	// their C names are not checked, and most of vet's analyzers skip the files using them.
	CgoFaked []string `json:"cgo_faked,omitempty"`
	// With a C compiler for the target (its env's CC, cgo on): the main-module packages checked
	// with cgo's real output for it, and those cgo could not run on for want of a C library or
	// header (checked with the fake, and in CgoFaked too) (cgo.go).
	CgoReal    []string  `json:"cgo_real,omitempty"`
	CgoSkipped []CgoSkip `json:"cgo_skipped,omitempty"`
}

// Response is what the engine writes on stdout.
type Response struct {
	Targets []TargetResult `json:"targets"`
	Stats   Stats          `json:"stats"`
	// Why vet was not run though asked for (this engine was built without it), else "".
	VetError string `json:"vet_error,omitempty"`
	// The analyzers run besides vet's (`analyzers:`, lint.go), whose findings are vet's.
	Lint []LintAnalyzer `json:"lint,omitempty"`
}

// Stats describe a run, for the benchmark and for tests of sharing.
type Stats struct {
	Seconds      float64 `json:"seconds"`
	ListSeconds  float64 `json:"list_seconds"`
	CheckSeconds float64 `json:"check_seconds"`
	Nodes        int     `json:"nodes"`         // packages over all targets' graphs, unsafe aside
	Entries      int     `json:"entries"`       // distinct sharing keys of packages (types)
	Results      int     `json:"results"`       // distinct keys of main-module full checks
	Checked      int     `json:"checked"`       // entries type-checked in this run
	CheckedDeps  int     `json:"checked_deps"`  // of which packages outside the main module
	CheckedFull  int     `json:"checked_full"`  // main-module packages checked in full
	SharedByUse  int     `json:"shared_by_use"` // main-module results shared by what they use
	// main-module results taken from their test variant's, not checked (derive.go)
	FromTestVariant int `json:"from_test_variant"`
	// test variants' types entries that took their result's types, not checked (derive.go)
	TypesFromResults int `json:"types_from_results"`
	DepsShared       int `json:"deps_shared"` // dependency entries (vet) shared by what they use
	OwnKeys          int `json:"own_keys"`    // distinct own keys of results: the fewest full checks
	VetPasses        int `json:"vet_passes"`  // main-module results vet's analyzers ran on
	CacheHits        int `json:"cache_hits"`  // main-module and dependency entries answered by the cache
	// standard-library packages whose declarations-only check had errors: 0 unless the
	// engine dropped a declaration or an import they need (prune.go, declrefs.go)
	StdDeclErrors int `json:"std_decl_errors"`
	// standard-library declarations entries read from the store, and written to it (stdstore.go)
	StdStoreHits   int `json:"std_store_hits"`
	StdStoreWrites int `json:"std_store_writes"`
	// ASTs built: each file once per mode, but a main-module file once per full check
	FilesParsed int64 `json:"files_parsed"`
	// declarations entries whose types were dropped once nothing would import them
	Released  int     `json:"released"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// The collector: collections, their CPU time, the largest live heap after one (with a
	// memory budget; gcbudget.go)
	GCCycles     uint64  `json:"gc_cycles"`
	GCCPUSeconds float64 `json:"gc_cpu_seconds"`
	LivePeakMB   float64 `json:"live_peak_mb"`
	// Worker time spent checking main-module packages (with parsing) and dependencies.
	ParseCPUSeconds float64 `json:"parse_cpu_seconds"` // included in the two below
	FullCPUSeconds  float64 `json:"full_cpu_seconds"`
	DeclCPUSeconds  float64 `json:"decl_cpu_seconds"`
	VetCPUSeconds   float64 `json:"vet_cpu_seconds"` // included in full_cpu_seconds
	RunCacheHit     bool    `json:"run_cache_hit"`   // answered whole by the run cache (runcache.go)

	// Targets whose graph was computed from another's listing (listfrom.go), not go list's.
	ListedFromReference int `json:"listed_from_reference"`
}

// readRequest reads the request from where crossvet put it: the CROSSVET_ENGINE_REQUEST
// variable (in a container: no files), else the file named by args[0], else stdin.
func readRequest(args []string, stdin io.Reader) (*Request, error) {
	in := stdin
	if text := os.Getenv("CROSSVET_ENGINE_REQUEST"); text != "" {
		in = strings.NewReader(text)
	} else if len(args) > 0 { // the request file crossvet wrote
		f, err := os.Open(args[0])
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	return decodeRequest(in)
}

// decodeRequest parses a request and fills in its defaults.
func decodeRequest(in io.Reader) (*Request, error) {
	var req Request
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return nil, fmt.Errorf("bad request: %v", err)
	}
	if req.Jobs < 1 {
		req.Jobs = 1
	}
	if req.GOROOT == "" && req.Go != "" {
		req.GOROOT = askGOROOT(req.Go) // a container's crossvet does not ask first
	}
	return &req, nil
}

// askGOROOT is `go env GOROOT` ("" if go cannot say: the standard library is then parsed
// with its comments, which costs time, not correctness).
func askGOROOT(gobin string) string {
	out, err := exec.Command(gobin, "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
