// Command engine type-checks a Go module for many GOOS/GOARCH targets in one process.
//
// It reads a JSON request (see Request, request.go) and writes JSON lines on stdout: one
// {"event": "target", "target": TargetResult} line as each target finishes, then the Response
// (which repeats every target). It uses only the standard library, so crossvet can build it
// offline with the user's own `go`.
//
// For each target it lists the package graph (`go list -e -deps -test -json` for the first
// target of a module, the others computed from that answer where that is exact: listfrom.go),
// then type-checks every package from source with go/types: the main module's packages in full
// (function bodies included, every error reported), dependency modules' packages with their
// bodies (their type errors reported as theirs: deps.go), the standard library declarations
// only.
// Work is shared across targets: each file is read and parsed once, and a package whose
// sharing key (see key.go) is equal for two targets is type-checked once.
//
// Each file begins with a comment saying what it owns; this one owns the process: reading
// the request, the memory budget (gcbudget.go), writing the response.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	req, err := readRequest(os.Args[1:], os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "engine: %v\n", err)
		os.Exit(2)
	}
	if req.MemoryMB > 0 {
		budgetGC(uint64(req.MemoryMB) << 20) // trade memory for speed, up to the budget
	}
	if path := os.Getenv("CROSSVET_ENGINE_CPUPROFILE"); path != "" { // for measurement (bench/)
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if path := os.Getenv("CROSSVET_ENGINE_HEAPPROFILE"); path != "" { // for measurement (bench/)
		go heapProfiles(path)
	}
	start := time.Now()
	out := &lines{enc: json.NewEncoder(os.Stdout)}
	req.Report = out.target
	resp := run(req)
	resp.Stats.Seconds = time.Since(start).Seconds()
	resp.Stats.PeakRSSMB = peakRSSMB()
	resp.Stats.GCCycles, resp.Stats.GCCPUSeconds, resp.Stats.LivePeakMB = gcStats()
	if lintInfo != nil {
		resp.Lint = lintInfo()
	}
	out.write(resp)
}

// lines writes the engine's answer, one JSON value per line, from any goroutine.
type lines struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// Event is a line written before the Response: a target's result as soon as it is known.
type Event struct {
	Event  string        `json:"event"` // "target"
	Target *TargetResult `json:"target"`
}

func (l *lines) target(t TargetResult) {
	l.write(Event{Event: "target", Target: &t})
}

func (l *lines) write(v any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.enc.Encode(v); err != nil {
		fmt.Fprintf(os.Stderr, "engine: %v\n", err)
		os.Exit(1)
	}
}

// peakRSSMB is this process's peak resident set size (Linux; 0 elsewhere).
func peakRSSMB() float64 {
	return float64(statusKB("VmHWM:")) / 1024
}

// statusKB is a field of this process's /proc/self/status in kB (Linux; 0 elsewhere).
func statusKB(field string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb
		}
	}
	return 0
}

// heapProfiles writes a heap profile to path each time the live heap after a collection is a
// tenth over the largest seen (so path ends with the profile nearest the peak).
func heapProfiles(path string) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var most uint64
	for range time.Tick(200 * time.Millisecond) {
		metrics.Read(live)
		if v := live[0].Value.Uint64(); v > most+most/10 {
			most = v
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}
}
