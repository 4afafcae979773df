// The memory budget: when the garbage collector runs, from the request's memory_mb.

package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// budgetGC lets the process grow to budget bytes before the collector runs, however small the
// live heap: collecting less often is most of what a type-checker's speed gains from memory.
// If the live heap alone is over two thirds of the budget, the process may grow to one and a
// half times the live heap instead (as with GOGC=50), rather than collect back to back: the
// peak is about the larger of the budget and one and a half times the live heap. (Twice the
// live heap, as with Go's default GOGC=100, took the engine past the budget whenever its live
// heap passed half of it: x/tools with every port peaked at 487-529 MB, live 266 MB.)
//
// Go has no such setting: GOGC is a ratio to the live heap, and a memory limit is a ceiling
// the collector works to stay under. So GOGC is off and the memory limit is the only trigger;
// after every collection (a finalizer on an unreachable object says when one has run) the
// limit is set again from the live heap then. The limit counts the memory Go manages (heap,
// stacks, the collector's own data, memory not yet returned), not the pages of the binary
// itself that are resident: those are left out of the budget.
func budgetGC(budget uint64) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limitFor(budget, 0, statusKB("RssFile:")<<10))
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		runtime.SetFinalizer(new([32]byte), func(*[32]byte) {
			metrics.Read(live)
			if live[0].Value.Kind() == metrics.KindUint64 {
				v := live[0].Value.Uint64()
				lastLive.Store(v)
				debug.SetMemoryLimit(limitFor(budget, v, statusKB("RssFile:")<<10))
				for m := livePeak.Load(); v > m && !livePeak.CompareAndSwap(m, v); {
					m = livePeak.Load()
				}
			}
			arm()
		})
	}
	arm()
}

// limitFor is the memory limit for a budget, given the live heap after the last collection
// and the resident memory Go does not manage (outside): the budget less a 64th, or one and a
// half times the live heap once that is more, less what is outside (if that is not most of
// it). The 64th (7 MB of the default 448) is room for what the limit cannot hold to: the
// collector lets the heap run a little past it while it marks. Without it, x/tools at every
// port went over the default budget in 4 of 30 runs (by 1 to 8 MB, summing the RSS of the
// engine and its children); with it, in none of 15 (at most 443 MB), at the same speed.
func limitFor(budget, live, outside uint64) int64 {
	limit := max(budget-budget/64, live+live/2)
	if outside < limit/2 {
		limit -= outside
	}
	return int64(limit)
}

// livePeak is the largest live heap seen after a collection (budgetGC), in bytes; lastLive
// the live heap after the last one (0 before any, and without a budget).
var livePeak, lastLive atomic.Uint64

// gcStats are the collector's work so far, for the stats (bench/sweep.py): collections, the
// CPU time they took (background marking and what allocating goroutines were made to do), and
// the largest live heap after one (0 without a budget). Under a budget, the collector's share
// is what grows fastest with the number of targets: it collects whenever the heap reaches the
// budget, so the larger the live heap, the less room is left between collections.
func gcStats() (cycles uint64, cpuSeconds float64, livePeakMB float64) {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		cycles = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64 {
		cpuSeconds = s[1].Value.Float64()
	}
	return cycles, cpuSeconds, float64(livePeak.Load()) / (1 << 20)
}
