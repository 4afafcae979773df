// The scheduler: type-checks entries on a fixed number of workers in dependency order, as
// targets are listed.

package main

import (
	"sync"
	"time"
)

// scheduler type-checks entries in dependency order on a fixed number of workers. Targets
// add their entries as soon as they are listed and keyed; an entry runs once every entry it
// imports has finished. An entry is added once however many targets share it.
//
// Workers take ready entries of the earliest target first, so that targets finish roughly in
// order; once every target is added (close), a declarations entry whose importers are all done
// is released (its types dropped), and memory holds about the targets in progress rather than
// all of them: types entries are rarely shared between targets, results are kept.
type scheduler struct {
	mu          sync.Mutex // guards the scheduler and its entries' entrySched
	cond        *sync.Cond // signalled when an entry is ready, done, or the scheduler closed
	ready       [][]*entry // ready entries by the earliest target that needs them (a stack each)
	nready      int        // entries in ready
	outstanding int        // entries scheduled and not done
	closed      bool       // no target will be added (close)
	all         []*entry   // every entry scheduled
	fc          *fileCache
	cache       *resultCache // answers main-module entries before they are scheduled (add)
	work        func(*entry) // checks one entry (runState.checkEntry)
	release     func(*entry) // drops what a declarations entry holds for its importers

	// result entries the cache cannot answer whole (answered), though it may have their findings
	unanswered map[*entry]bool

	// Progress by target (request index): the work charged to it, and when it is finished.
	targets  map[int]*targetWork
	waiting  map[*entry][]int // a result entry not done -> the targets that report it
	finished func(index int)  // told (outside the lock) once a target's findings are all known

	// Counts for Stats: entries scheduled (of which outside the main module), answered by the
	// result cache, released.
	checked, checkedDeps, hits, released int

	// CPU slots (as many as workers), shared with listing: slots taken, and listings waiting
	// for one (cpuForListing). A worker takes a slot for each entry, and none while a listing
	// waits: targets are listed before they are checked, except while listing waits on a
	// subprocess (go list, a C compiler), when workers use the CPU it leaves.
	slots, used, listWaiting int
}

// targetWork is what the scheduler knows of one target's progress.
type targetWork struct {
	left       int           // its result entries not done yet
	spent, vet time.Duration // worker time of the entries charged to it; of that, vet's
}

func newScheduler(fc *fileCache, cache *resultCache, work, release func(*entry)) *scheduler {
	s := &scheduler{fc: fc, cache: cache, work: work, release: release,
		targets: map[int]*targetWork{}, waiting: map[*entry][]int{}, unanswered: map[*entry]bool{}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// spentOn is the worker time charged to a target (see charge) and, of that, vet's analyzers'.
func (s *scheduler) spentOn(index int) (spent, vet time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tw := s.targets[index]; tw != nil {
		return tw.spent, tw.vet
	}
	return 0, 0
}

// target is a target's progress record (s.mu held).
func (s *scheduler) target(index int) *targetWork {
	tw := s.targets[index]
	if tw == nil {
		tw = &targetWork{}
		s.targets[index] = tw
	}
	return tw
}

// watch counts the result entries target index reports, and its dependency modules' entries,
// that are not done (s.mu held); it says whether none is left, so the target is finished
// already.
func (s *scheduler) watch(rep *targetReport, index int) bool {
	tw := s.target(index)
	seen := map[*entry]bool{}
	wait := func(e *entry) {
		if e == nil || e.cached || e.done || seen[e] {
			return
		}
		seen[e] = true
		tw.left++
		s.waiting[e] = append(s.waiting[e], index)
	}
	for _, p := range rep.pkgs {
		wait(p.result)
	}
	for _, d := range rep.deps { // dependency modules' errors are findings too (deps.go)
		wait(d.entry)
	}
	return tw.left == 0
}

// charge books an entry's worker time on the earliest target that needs it (the one the
// workers took it for: later targets share it for free) and returns the targets it was the
// last result entry of (s.mu held).
func (s *scheduler) charge(e *entry, took time.Duration) []int {
	tw := s.target(e.first)
	tw.spent += took
	tw.vet += e.vetTime
	var done []int
	for _, i := range s.waiting[e] {
		t := s.targets[i]
		if t.left--; t.left == 0 {
			done = append(done, i)
		}
	}
	delete(s.waiting, e)
	return done
}

// tell says a target is finished, if anyone listens.
func (s *scheduler) tell(indexes []int) {
	if s.finished != nil {
		for _, i := range indexes {
			s.finished(i)
		}
	}
}

// answered: result entry e is answered by the result cache with all that the entries waiting
// for it read of it (its findings, whether it builds, vet's facts), and so is every result it
// waits for (their facts are read through it): done without checking (s.mu held). Only result
// entries: nothing imports their types.
func (s *scheduler) answered(e *entry) bool {
	if e.done && e.cached {
		return true
	}
	if !e.full || e.needed || s.unanswered[e] {
		return false
	}
	if !e.cached {
		if !s.cache.load(e) {
			s.unanswered[e] = true
			return false
		}
		e.cached = true
		s.hits++
	}
	if !s.cache.complete(e) {
		s.unanswered[e] = true
		return false
	}
	for _, d := range e.after {
		if !s.answered(d) {
			s.unanswered[e] = true
			return false
		}
	}
	e.done = true
	return true
}

// add schedules what the request's target number index needs: its main-module entries not
// answered by the result cache, and everything they import.
func (s *scheduler) add(rep *targetReport, index int) {
	s.mu.Lock()
	var batch []*entry
	var mark func(e *entry)
	mark = func(e *entry) {
		if e == unsafeEntry || e.needed && e.first <= index || !e.needed && s.answered(e) {
			return
		}
		if !e.needed {
			e.needed = true
			batch = append(batch, e)
		}
		e.first = index // an earlier target than the one that added it needs it too
		for _, d := range e.deps() {
			mark(d)
		}
	}
	// loadOrMark answers e from the result cache, or schedules it and what it needs.
	loadOrMark := func(e *entry) {
		if e == nil || e.needed || e.cached {
			return
		}
		if s.cache.load(e) {
			e.cached = true
			s.hits++
			return
		}
		mark(e)
	}
	for _, p := range rep.pkgs {
		loadOrMark(p.result)
	}
	// A dependency module's packages are checked for their own errors (deps.go), also where
	// the main-module results that import them are answered by the cache; their findings are
	// cached under their keys too.
	for _, d := range rep.deps {
		loadOrMark(d.entry)
	}
	for _, e := range batch {
		for _, f := range e.files {
			s.fc.retain(f, e.parseMode())
		}
		for _, d := range e.deps() {
			if d == unsafeEntry {
				continue
			}
			d.users++
			if !d.done {
				e.pending++
				d.dependents = append(d.dependents, e)
			}
		}
		s.checked++
		if !e.mainPkg {
			s.checkedDeps++
		}
	}
	s.outstanding += len(batch)
	s.all = append(s.all, batch...)
	for _, e := range batch {
		if e.pending == 0 {
			s.push(e)
		}
	}
	s.cond.Broadcast()
	finished := s.watch(rep, index)
	s.mu.Unlock()
	if finished {
		s.tell([]int{index})
	}
}

// close says no more targets will be added; workers stop when all work is done.
func (s *scheduler) close() {
	s.mu.Lock()
	s.closed = true
	for _, e := range s.all {
		if e.done && e.users == 0 {
			s.drop(e)
		}
	}
	s.cond.Broadcast()
	s.mu.Unlock()
}

// push makes e ready (s.mu held).
func (s *scheduler) push(e *entry) {
	for len(s.ready) <= e.first {
		s.ready = append(s.ready, nil)
	}
	s.ready[e.first] = append(s.ready[e.first], e)
	s.nready++
}

// pop is a ready entry of the earliest target, the last made ready (s.mu held; nready > 0).
func (s *scheduler) pop() *entry {
	for i, stack := range s.ready {
		if n := len(stack); n > 0 {
			e := stack[n-1]
			s.ready[i] = stack[:n-1]
			s.nready--
			return e
		}
	}
	panic("scheduler: nothing ready")
}

// drop releases a declarations entry that nothing will import any more (s.mu held): no
// entry is added after close, and every entry that imports it is done.
func (s *scheduler) drop(e *entry) {
	if !e.full && e.pkg != nil && s.release != nil {
		s.release(e)
		s.released++
	}
	e.forget()
}

// cpuForListing takes a CPU slot for listing or keying a target, before any waiting worker,
// and returns what gives it back. Listing goes first because nothing checked can be released
// before every target is listed (a target listed later may import it): checking while
// listing held every target's types and ASTs until the last was listed (on x/tools with
// every port: a live heap of 290 MB then, 200 MB after). Listing waiting on a subprocess
// holds no slot, so one target's slow or hung go list does not hold back the others' checks.
func (s *scheduler) cpuForListing() (done func()) {
	s.mu.Lock()
	s.listWaiting++
	for s.used >= s.slots {
		s.cond.Wait()
	}
	s.listWaiting--
	s.used++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.used--
		s.cond.Broadcast()
		s.mu.Unlock()
	}
}

func (s *scheduler) start(workers int) *sync.WaitGroup {
	var wg sync.WaitGroup
	s.mu.Lock()
	s.slots = workers
	s.mu.Unlock()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				s.mu.Lock()
				for (s.nready == 0 || s.used >= s.slots || s.listWaiting > 0) &&
					!(s.closed && s.outstanding == 0) {
					s.cond.Wait()
				}
				if s.nready == 0 {
					s.mu.Unlock()
					return
				}
				e := s.pop()
				s.used++
				s.mu.Unlock()

				t0 := time.Now()
				s.work(e)
				took := time.Since(t0)
				for _, f := range e.files {
					s.fc.release(f, e.parseMode())
				}

				s.mu.Lock()
				s.used--
				e.done = true
				if t := e.typesFor.Load(); e.typesPkg != nil && (t == nil || !t.needed || t.done) {
					e.typesPkg = nil // no types entry will take them (derive.go)
				}
				if s.closed && e.users == 0 {
					s.drop(e) // nothing imports it (a dependency checked for its errors)
				}
				finished := s.charge(e, took)
				for _, d := range e.dependents {
					d.pending--
					if d.pending == 0 {
						s.push(d)
					}
				}
				e.dependents = nil
				for _, d := range e.deps() {
					if d == unsafeEntry {
						continue
					}
					if d.users--; d.users == 0 && s.closed {
						s.drop(d)
					}
				}
				s.outstanding--
				s.cond.Broadcast()
				s.mu.Unlock()
				s.tell(finished)
			}
		}()
	}
	return &wg
}
