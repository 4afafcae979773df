// Command engine type-checks a Go module for many GOOS/GOARCH targets in one process.
//
// It reads a JSON request (see Request, request.go) and writes a JSON Response on stdout. It
// uses only the standard library, so crossvet can build it offline with the user's own `go`.
//
// For each target it lists the package graph (`go list -e -deps -test -json` for the first
// target of a module, the others computed from that answer where that is exact: listfrom.go),
// then type-checks every package from source with go/types: the main module's packages in full
// (function bodies included, every error reported), all other packages declarations only.
// Work is shared across targets: each file is read and parsed once, and a package whose
// sharing key (see key.go) is equal for two targets is type-checked once.
//
// Each file begins with a comment saying what it owns; this one owns the process: reading
// the request, the memory limit, writing the response.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

func main() {
	req, err := readRequest(os.Args[1:], os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "engine: %v\n", err)
		os.Exit(2)
	}
	if req.MemoryMB > 0 {
		// Trade memory for speed, up to the limit: the collector runs a quarter as often as
		// by default until the heap nears the limit, then as often as it takes to stay under.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(int64(req.MemoryMB) << 20)
	}
	start := time.Now()
	resp := run(req)
	resp.Stats.Seconds = time.Since(start).Seconds()
	resp.Stats.PeakRSSMB = peakRSSMB()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(resp); err != nil {
		fmt.Fprintf(os.Stderr, "engine: %v\n", err)
		os.Exit(1)
	}
}

// peakRSSMB is this process's peak resident set size (Linux; 0 elsewhere).
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}
