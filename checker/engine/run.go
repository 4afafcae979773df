// One run of the engine: the run cache first, else every target listed, keyed, scheduled
// and checked, and each target's findings collected.

package main

import (
	"context"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

func run(req *Request) *Response {
	rk := runKey(req)
	if rk != "" {
		if targets, ok := loadRun(req, rk); ok {
			return &Response{Targets: targets, Stats: Stats{RunCacheHit: true}}
		}
	}
	resp := runAll(req)
	if rk != "" {
		storeRun(req, rk, resp.Targets)
	}
	return resp
}

func runAll(req *Request) *Response {
	resp := &Response{Targets: make([]TargetResult, len(req.Targets))}
	fc := newFileCache()
	if req.GOROOT != "" {
		fc.stdDir = filepath.Join(req.GOROOT, "src") + string(filepath.Separator)
	}
	reg := &registry{entries: map[string]*entry{}}
	cache := newResultCache(req.CacheDir)
	ctx := context.Background()
	var fullNS, declNS atomic.Int64
	s := newScheduler(fc, cache, func(e *entry) {
		t0 := time.Now()
		e.check(fc, req.Narrowing)
		if e.full {
			fullNS.Add(int64(time.Since(t0)))
			cache.store(e)
		} else {
			declNS.Add(int64(time.Since(t0)))
		}
	})
	workers := s.start(req.Jobs)

	// Each target: list its package graph (req.Jobs at a time), key every node (entries with
	// equal keys are shared), and hand what is not cached to the workers, which start
	// type-checking while later targets are still being listed.
	start := time.Now()
	graphs := make([]*targetGraph, len(req.Targets))
	began := make([]time.Time, len(req.Targets))
	listed := make([]time.Duration, len(req.Targets))
	sem := make(chan struct{}, req.Jobs)
	var wg sync.WaitGroup
	for i := range req.Targets {
		t := &req.Targets[i]
		resp.Targets[i] = TargetResult{Name: t.Name, Packages: []string{}, Diagnostics: []Diag{}}
		wg.Add(1)
		go func(i int, t *Target) {
			defer wg.Done()
			sem <- struct{}{}
			began[i] = time.Now()
			pkgs, err := goList(ctx, req, t)
			listed[i] = time.Since(began[i])
			<-sem
			if err != nil {
				resp.Targets[i].Error = err.Error()
				return
			}
			g := buildGraph(t, pkgs, req.ModuleDir)
			salt := ""
			if req.NoShare {
				salt = t.Name
			}
			for _, n := range g.nodes { // read and hash files in parallel, before keying
				for _, f := range n.files {
					fc.entry(f)
				}
			}
			for _, id := range sortedIDs(g) {
				n := g.nodes[id]
				if _, err := g.key(n, fc, reg, salt); err != nil && n.report {
					g.errs = append(g.errs, Diag{Message: err.Error(), Package: pkgPath(n.id),
						Kind: "list"})
				}
			}
			graphs[i] = g
			s.add(g)
		}(i, t)
	}
	wg.Wait()
	for _, d := range listed {
		resp.Stats.ListSeconds += d.Seconds()
	}
	fc.sweep()
	s.close()
	workers.Wait()
	cache.flush()
	resp.Stats.CheckSeconds = time.Since(start).Seconds()
	resp.Stats.Entries = len(reg.entries)
	resp.Stats.Checked, resp.Stats.CheckedFull, resp.Stats.CacheHits = s.checked, s.checkedFull,
		s.hits
	resp.Stats.FilesParsed = fc.parsed.Load()
	resp.Stats.ParseCPUSeconds = time.Duration(fc.parseNS.Load()).Seconds()
	resp.Stats.FullCPUSeconds = time.Duration(fullNS.Load()).Seconds()
	resp.Stats.DeclCPUSeconds = time.Duration(declNS.Load()).Seconds()

	// Each target's findings: its main-module packages' entries, deduplicated.
	for i, g := range graphs {
		if g == nil {
			continue
		}
		for _, n := range g.nodes {
			if n.entry != nil && n.entry != unsafeEntry {
				resp.Stats.Nodes++
			}
		}
		r := &resp.Targets[i]
		r.Packages = append(r.Packages, g.roots...)
		seen := map[string]bool{}
		cached := len(g.order) > 0
		add := func(d Diag) {
			k := d.File + "\x00" + strconv.Itoa(d.Line) + "\x00" + strconv.Itoa(d.Col) + "\x00" +
				d.Message
			if !seen[k] {
				seen[k] = true
				r.Diagnostics = append(r.Diagnostics, d)
			}
		}
		for _, d := range g.errs {
			add(d)
		}
		for _, n := range g.order {
			if n.entry == nil {
				continue
			}
			cached = cached && n.entry.cached
			for _, d := range n.entry.diags {
				add(d)
			}
		}
		sort.SliceStable(r.Diagnostics, func(a, b int) bool {
			x, y := r.Diagnostics[a], r.Diagnostics[b]
			if x.File != y.File {
				return x.File < y.File
			}
			if x.Line != y.Line {
				return x.Line < y.Line
			}
			return x.Col < y.Col
		})
		r.Cached = cached
		r.Seconds = time.Since(began[i]).Seconds()
	}
	return resp
}
