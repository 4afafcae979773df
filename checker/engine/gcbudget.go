// The memory budget: when the garbage collector runs, from the request's memory_mb.

package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
				debug.SetMemoryLimit(limitFor(budget, live[0].Value.Uint64(),
					statusKB("RssFile:")<<10))
			}
			arm()
		})
	}
	arm()
}

// limitFor is the memory limit for a budget, given the live heap after the last collection
// and the resident memory Go does not manage (outside): the budget, or one and a half times the
// live heap once that is more, less what is outside (if that is not most of it).
func limitFor(budget, live, outside uint64) int64 {
	limit := max(budget, live+live/2)
	if outside < limit/2 {
		limit -= outside
	}
	return int64(limit)
}
