// The scheduler: type-checks entries on a fixed number of workers in dependency order, as
// targets are listed.

package main

import "sync"

// scheduler type-checks entries in dependency order on a fixed number of workers. Targets
// add their entries as soon as they are listed and keyed; an entry runs once every entry it
// imports has finished. An entry is added once however many targets share it.
type scheduler struct {
	mu          sync.Mutex
	cond        *sync.Cond
	ready       []*entry
	outstanding int
	closed      bool
	fc          *fileCache
	cache       *resultCache
	work        func(*entry)

	checked, checkedDeps, hits int
}

func newScheduler(fc *fileCache, cache *resultCache, work func(*entry)) *scheduler {
	s := &scheduler{fc: fc, cache: cache, work: work}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// add schedules what target graph g needs: its main-module entries not answered by the
// result cache, and everything they import.
func (s *scheduler) add(g *targetGraph) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var batch []*entry
	var mark func(e *entry)
	mark = func(e *entry) {
		if e.needed || e == unsafeEntry {
			return
		}
		e.needed = true
		batch = append(batch, e)
		for _, d := range e.deps() {
			mark(d)
		}
	}
	for _, n := range g.order {
		e := n.result
		if e == nil || e.needed || e.cached {
			continue
		}
		if s.cache.load(e) {
			e.cached = true
			s.hits++
			continue
		}
		mark(e)
	}
	for _, e := range batch {
		for _, f := range e.files {
			s.fc.retain(f, e.parseMode())
		}
		for _, d := range e.deps() {
			if d.needed && !d.done {
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
	for _, e := range batch {
		if e.pending == 0 {
			s.ready = append(s.ready, e)
		}
	}
	s.cond.Broadcast()
}

// close says no more targets will be added; workers stop when all work is done.
func (s *scheduler) close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
}

func (s *scheduler) start(workers int) *sync.WaitGroup {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				s.mu.Lock()
				for len(s.ready) == 0 && !(s.closed && s.outstanding == 0) {
					s.cond.Wait()
				}
				if len(s.ready) == 0 {
					s.mu.Unlock()
					return
				}
				e := s.ready[len(s.ready)-1]
				s.ready = s.ready[:len(s.ready)-1]
				s.mu.Unlock()

				s.work(e)
				for _, f := range e.files {
					s.fc.release(f, e.parseMode())
				}

				s.mu.Lock()
				e.done = true
				for _, d := range e.dependents {
					d.pending--
					if d.pending == 0 {
						s.ready = append(s.ready, d)
					}
				}
				s.outstanding--
				s.cond.Broadcast()
				s.mu.Unlock()
			}
		}()
	}
	return &wg
}
