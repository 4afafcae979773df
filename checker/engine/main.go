// Command engine type-checks a Go module for many GOOS/GOARCH targets in one process.
//
// It reads a JSON request (see Request) from the file named by its argument (or stdin) and writes a JSON Response on stdout. It uses
// only the standard library, so crossvet can build it offline with the user's own `go`.
//
// For each target it lists the package graph with `go list -e -deps -test -json`, then
// type-checks every package from source with go/types: the main module's packages in full
// (function bodies included, every error reported), all other packages declarations only.
// Work is shared across targets: each file is read and parsed once, and a package whose
// sharing key (see key.go) is equal for two targets is type-checked once.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// Request is what crossvet sends on stdin.
type Request struct {
	Go        string   `json:"go"`         // the go binary
	GOROOT    string   `json:"goroot"`     // its GOROOT
	ModuleDir string   `json:"module_dir"` // where `go list` runs
	Patterns  []string `json:"patterns"`   // package patterns, e.g. ./...
	Jobs      int      `json:"jobs"`       // type-checking workers and concurrent `go list`s
	MemoryMB  int      `json:"memory_mb"`  // soft heap limit (0: none)
	CacheDir  string   `json:"cache_dir"`  // result cache directory ("" disables the cache)
	NoShare   bool     `json:"no_share"`   // check every target alone (for tests of sharing)
	Narrowing bool     `json:"narrowing"`  // run the 32-bit narrowing analysis
	Targets   []Target `json:"targets"`
}

// Target is one configuration: its name as crossvet reports it and its go environment.
type Target struct {
	Name   string            `json:"name"`
	Env    map[string]string `json:"env"` // GOOS, GOARCH, CGO_ENABLED, GOARM, ...
	Tags   []string          `json:"tags"`
	GOARCH string            `json:"goarch"`
}

// Diag is one finding. File is absolute.
type Diag struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Package string `json:"package"`
	Kind    string `json:"kind"` // "type", "syntax", "list", "narrowing"
	Expr    string `json:"expr,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
}

// TargetResult is the outcome for one target.
type TargetResult struct {
	Name        string   `json:"name"`
	Packages    []string `json:"packages"`
	Diagnostics []Diag   `json:"diagnostics"`
	Error       string   `json:"error"`
	Seconds     float64  `json:"seconds"`
	Cached      bool     `json:"cached"`
}

// Response is what the engine writes on stdout.
type Response struct {
	Targets []TargetResult `json:"targets"`
	Stats   Stats          `json:"stats"`
}

func main() {
	var req Request
	var in io.Reader = os.Stdin
	if text := os.Getenv("CROSSVET_ENGINE_REQUEST"); text != "" { // in a container: no files
		in = strings.NewReader(text)
	} else if len(os.Args) > 1 { // the request file crossvet wrote
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintf(os.Stderr, "engine: %v\n", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "engine: bad request: %v\n", err)
		os.Exit(2)
	}
	if req.Jobs < 1 {
		req.Jobs = 1
	}
	if req.MemoryMB > 0 {
		// Trade memory for speed, up to the limit: the collector runs a quarter as often as
		// by default until the heap nears the limit, then as often as it takes to stay under.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(int64(req.MemoryMB) << 20)
	}
	start := time.Now()
	resp := run(&req)
	resp.Stats.Seconds = time.Since(start).Seconds()
	resp.Stats.PeakRSSMB = peakRSSMB()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(resp); err != nil {
		fmt.Fprintf(os.Stderr, "engine: %v\n", err)
		os.Exit(1)
	}
}
