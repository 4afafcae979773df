// One run of the engine: the run cache first, else every target listed, keyed, scheduled
// and checked, and each target's findings collected.

package main

import (
	"context"
	"go/build"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func run(req *Request) *Response {
	rk := runKey(req)
	if rk != "" {
		if targets, ok := loadRun(req, rk); ok {
			for _, t := range targets {
				req.report(t)
			}
			return &Response{Targets: targets, Stats: Stats{RunCacheHit: true}}
		}
	}
	resp := runAll(req)
	if rk != "" {
		storeRun(req, rk, resp.Targets)
	}
	return resp
}

// runAll answers a request in full: it lists, keys and schedules every target while workers
// type-check what is scheduled, then collects each target's findings.
func runAll(req *Request) *Response {
	r := newRunState(req)
	defer r.cgo.close()
	r.sched.finished = func(i int) { req.report(r.result(i)) }
	start := time.Now()
	r.checkAll()
	if r.vet != nil {
		r.vet.close()
	}
	r.cache.flush()
	r.std.flush()
	resp := &Response{Stats: r.stats(time.Since(start))}
	resp.Targets = r.collect()
	if req.Vet && newVetRun == nil {
		resp.VetError = "this engine was built without vet's analyzers"
	}
	return resp
}

// checkAll lists every target and type-checks what each needs, returning once all is done.
// Listing comes first where both want the CPU (scheduler.cpuForListing); nothing is released
// until every target is listed, since a target listed later may import any entry.
func (r *runState) checkAll() {
	workers := r.sched.start(r.req.Jobs)
	r.listAll()
	r.fc.sweep()
	r.dirs.release()
	if r.byUse != nil {
		r.ownKeys = r.byUse.finalize(r.fc, r.reg)
	}
	r.sched.close()
	workers.Wait()
}

// runState is one run's shared machinery and what it learns about each target.
type runState struct {
	req     *Request
	fc      *fileCache   // every file read, hashed and parsed (files.go)
	reg     *registry    // every entry, by sharing key (key.go)
	cache   *resultCache // main-module entries' findings from earlier runs (resultcache.go)
	std     *stdStore    // the standard library's declarations from earlier runs (stdstore.go)
	sched   *scheduler   // checks the entries on workers (schedule.go)
	targets []targetRun  // in request order

	byUse   *sharingByUse // result entries by own key (nil: no sharing, no_share)
	ownKeys int           // distinct own keys of the results to check (sharingByUse.finalize)
	vet     vetRun        // vet's analyzers (nil: not asked for, or not built in)
	dirs    *dirCache     // what go/build reads, for graphs computed from a reference
	cgo     *cgoRunner    // cgo's real output for targets with a C compiler (cgo.go)
	fullNS  atomic.Int64  // worker time checking main-module entries
	declNS  atomic.Int64  // worker time checking other entries
	full    atomic.Int64  // result entries type-checked
	reused  atomic.Int64  // result entries that reused another's result (sharing by use)
	derived atomic.Int64  // result entries that took their test variant's result (derive.go)
	// types entries that took their result entry's types (derive.go)
	typesFromResults atomic.Int64
	vetted           atomic.Int64 // result entries vet's analyzers ran on
	// standard-library declarations entries checked with errors (Stats.StdDeclErrors)
	stdDeclErrors atomic.Int64
}

// targetRun is what a run learns about one target.
type targetRun struct {
	t      *Target
	report *targetReport // what its findings need of its graph (nil when listing failed)
	err    error         // why listing failed
	began  time.Time     // when its listing started
	listed time.Duration // listing it (go list, or computed from its reference's)
	keyed  time.Duration // keying its graph (reading and hashing files)
	// fromRef: computed from its reference's listing (listfrom.go); ref: that reference, the
	// first target of the request with its module and patterns (nil: it is one).
	fromRef bool
	ref     *targetRun
	refDone chan struct{} // closed once its `go list` answered (a reference)
	pkgs    []*listPkg    // that answer (a reference)
	cgoSkip []CgoSkip     // main-module packages cgo could not run on (cgo.go)
}

func newRunState(req *Request) *runState {
	fc := newFileCache()
	// Full ASTs held between their users: a 256th of the memory budget in source (their ASTs
	// take several times that).
	budget := int64(req.MemoryMB) << 20
	if budget <= 0 {
		budget = defaultHoldBudget
	}
	fc.holdCap = budget / 256
	// The standard library's declarations-only ASTs kept from keying to their check: a 64th.
	fc.preCap = budget / 64
	if req.MemoryMB > 0 {
		fc.holdLive = uint64(budget) / 3
	}
	r := &runState{req: req, fc: fc, reg: &registry{entries: map[string]*entry{}},
		dirs: &dirCache{fc: fc}, cgo: newCgoRunner(req),
		cache:   newResultCache(req.CacheDir, req.narrowConfig().CacheSalt()),
		targets: make([]targetRun, len(req.Targets))}
	if req.GOROOT != "" {
		r.fc.stdDir = filepath.Join(req.GOROOT, "src") + string(filepath.Separator)
	}
	r.std = newStdStore(req.CacheDir, r.fc)
	if r.std.dir != "" {
		r.fc.store = r.std
	}
	refs := map[string]*targetRun{}
	for i := range req.Targets {
		tr := &r.targets[i]
		tr.t = &req.Targets[i]
		k := req.dir(tr.t) + "\x00" + strings.Join(req.patterns(tr.t), "\x00")
		if tr.ref = refs[k]; tr.ref == nil {
			refs[k], tr.refDone = tr, make(chan struct{})
		}
	}
	if req.Vet && newVetRun != nil {
		r.vet = newVetRun()
		r.cache.facts = r.vet
	}
	if !req.NoShare {
		r.byUse = &sharingByUse{groups: map[string]*ownKeyGroup{}, vet: r.vet}
	}
	r.sched = newScheduler(r.fc, r.cache, r.checkEntry, r.release)
	return r
}

// checkEntry is the workers' job: type-check one entry and keep a main-module entry's
// findings for the result cache.
func (r *runState) checkEntry(e *entry) {
	t0 := time.Now()
	if !e.full && r.std.load(e) {
		if r.byUse != nil {
			r.byUse.sums.add(e.pkg) // as a checked one's (entry.check)
		}
		r.declNS.Add(int64(time.Since(t0)))
		return
	}
	e.check(r.fc, r.req.narrowConfig(), r.byUse, r.vet)
	if e.full {
		r.fullNS.Add(int64(time.Since(t0)))
		r.cache.store(e)
		if e.reused {
			r.reused.Add(1)
		} else if e.derived {
			r.derived.Add(1)
		} else if e.pkg != nil {
			r.full.Add(1)
			if e.vet && !e.broken && r.vet != nil {
				r.vetted.Add(1)
			}
		}
		// Nothing imports a result entry's package (importers import its types entry; results
		// that wait for it read its findings and facts): its bodies' scopes need not stay.
		e.pkg = nil
	} else {
		r.declNS.Add(int64(time.Since(t0)))
		if e.fromResult {
			r.typesFromResults.Add(1)
		}
		std := len(e.files) > 0 && r.fc.inStd(e.files[0])
		if e.declErr && std {
			r.stdDeclErrors.Add(1)
		}
		r.std.save(e, r.fc.fset)
		if e.bodies {
			r.cache.store(e) // a dependency's errors (deps.go)
		}
	}
}

// release drops a declarations entry's types once nothing will import it: its package, and
// what the run's prints summarized of it.
func (r *runState) release(e *entry) {
	if r.byUse != nil {
		r.byUse.sums.drop(e.pkg)
	}
	e.pkg = nil
}

// listAll lists every target (req.Jobs at a time), keys its graph (entries with equal keys
// are shared) and hands it to the scheduler. It returns once every target is listed.
func (r *runState) listAll() {
	ctx := context.Background()
	sem, probes := make(chan struct{}, r.req.Jobs), make(chan struct{}, r.req.Jobs)
	var wg sync.WaitGroup
	for i := range r.targets {
		wg.Add(1)
		go func(i int, tr *targetRun) {
			defer wg.Done()
			pkgs, err := r.list(ctx, sem, probes, tr)
			if err != nil {
				tr.err = err
				r.sched.tell([]int{i})
				return
			}
			t0 := time.Now()
			if cgoCC(tr.t) != "" { // C compilers run --jobs at a time too, as go list does
				sem <- struct{}{}
				pkgs, tr.cgoSkip = r.cgo.apply(ctx, tr.t, pkgs)
				<-sem
			}
			cpuDone := r.sched.cpuForListing()
			g := buildGraph(tr.t, pkgs, r.req.dir(tr.t))
			r.keyGraph(g, tr.t)
			tr.report = g.report() // the graph itself is dropped here
			cpuDone()
			tr.keyed = time.Since(t0)
			r.sched.add(tr.report, i)
		}(i, &r.targets[i])
	}
	wg.Wait()
}

// list lists one target once a slot in sem is free, timing it: a reference with `go list`,
// another target from its reference's answer once there is one (listfrom.go), or with
// `go list` when that cannot be exact. Another target's build context (a `go list` of its own)
// is asked at once, beside the reference's listing, --jobs at a time (probes): computing its
// graph from the reference is then CPU work only, done before checking (cpuForListing).
func (r *runState) list(ctx context.Context, sem, probes chan struct{},
	tr *targetRun) ([]*listPkg, error) {
	var bc *build.Context
	var bcErr error
	var probe time.Duration
	if tr.ref != nil {
		probes <- struct{}{}
		t0 := time.Now()
		bc, bcErr = buildContext(ctx, r.req, tr.t, r.dirs)
		probe = time.Since(t0)
		<-probes
		<-tr.ref.refDone
	}
	sem <- struct{}{}
	defer func() { <-sem }()
	tr.began = time.Now()
	defer func() { tr.listed = time.Since(tr.began) + probe }()
	if tr.ref == nil {
		defer close(tr.refDone)
		pkgs, err := goList(ctx, r.req, tr.t)
		tr.pkgs = pkgs
		return pkgs, err
	}
	if tr.ref.pkgs != nil && bcErr == nil {
		cpuDone := r.sched.cpuForListing()
		pkgs, err := listFrom(r.req, tr.t, tr.ref.pkgs, r.dirs, bc)
		cpuDone()
		if err == nil {
			tr.fromRef = true
			return pkgs, nil
		}
	}
	return goList(ctx, r.req, tr.t)
}

// keyGraph gives every node of g its entry; a reported package that cannot be keyed (an import
// cycle, an unreadable file) becomes a list error of g.
func (r *runState) keyGraph(g *targetGraph, t *Target) {
	kg := keying{vet: r.vet != nil, noDepBodies: r.req.NoDepBodies, derive: !r.req.NoShare}
	if r.req.NoShare {
		kg.salt = t.Name
	}
	for _, n := range g.nodes { // read and hash files in parallel, before keying
		for _, f := range n.files {
			r.fc.entry(f)
		}
	}
	for _, id := range sortedIDs(g) {
		n := g.nodes[id]
		if _, err := g.key(n, r.fc, r.reg, kg); err != nil && n.report {
			g.errs = append(g.errs, Diag{Message: err.Error(), Package: pkgPath(n.id),
				Kind: "list"})
		}
	}
}

// stats describe the run once every entry is checked; checking took the given time.
func (r *runState) stats(checking time.Duration) Stats {
	st := Stats{CheckSeconds: checking.Seconds(),
		Checked: r.sched.checked, CheckedDeps: r.sched.checkedDeps, CheckedFull: int(r.full.Load()),
		SharedByUse: int(r.reused.Load()), FromTestVariant: int(r.derived.Load()),
		TypesFromResults: int(r.typesFromResults.Load()), DepsShared: r.byUse.depSharedCount(), OwnKeys: r.ownKeys, VetPasses: int(r.vetted.Load()),
		StdDeclErrors: int(r.stdDeclErrors.Load()),
		StdStoreHits:  int(r.std.hits.Load()), StdStoreWrites: int(r.std.writes.Load()), CacheHits: r.sched.hits, Released: r.sched.released,
		FilesParsed:     r.fc.parsed.Load(),
		ParseCPUSeconds: time.Duration(r.fc.parseNS.Load()).Seconds(),
		FullCPUSeconds:  time.Duration(r.fullNS.Load()).Seconds(),
		DeclCPUSeconds:  time.Duration(r.declNS.Load()).Seconds(),
	}
	if r.vet != nil {
		st.VetCPUSeconds = r.vet.cpu().Seconds()
	}
	for _, e := range r.reg.entries {
		if e.full {
			st.Results++
		} else {
			st.Entries++
		}
	}
	for _, tr := range r.targets {
		st.ListSeconds += tr.listed.Seconds()
		if tr.fromRef {
			st.ListedFromReference++
		}
		if tr.report != nil {
			st.Nodes += tr.report.nodes
		}
	}
	return st
}

// collect is each target's result, in request order.
func (r *runState) collect() []TargetResult {
	out := make([]TargetResult, len(r.targets))
	for i := range r.targets {
		out[i] = r.result(i)
	}
	return out
}

// result is target i's result, once its findings are all known (the scheduler said so).
// Its time is the work done for it (see TargetResult.Seconds): listing and keying its graph,
// and the worker time charged to it (scheduler.charge).
func (r *runState) result(i int) TargetResult {
	tr := &r.targets[i]
	res := TargetResult{Name: tr.t.Name, Packages: []string{}, Diagnostics: []Diag{}}
	if tr.err != nil {
		res.Error = tr.err.Error()
	}
	spent, vet := r.sched.spentOn(i)
	res.Seconds = (tr.listed + tr.keyed + spent).Seconds()
	res.VetSeconds = vet.Seconds()
	if rep := tr.report; rep != nil {
		res.Packages = append(res.Packages, rep.roots...)
		res.Diagnostics = append(res.Diagnostics, findings(rep)...)
		res.Cached = answeredByCache(rep)
		res.CgoFaked = cgoPackages(rep, func(p reportedPkg) bool { return p.cgo })
		res.CgoReal = cgoPackages(rep, func(p reportedPkg) bool { return p.cgoReal })
	}
	res.CgoSkipped = tr.cgoSkip
	return res
}

// cgoPackages are the reported packages that are so, each once (its test variants aside),
// sorted: with cgo files (CgoFaked: checked with a fake import "C") or checked with cgo's
// real output (CgoReal, cgo.go).
func cgoPackages(rep *targetReport, is func(reportedPkg) bool) []string {
	var out []string
	for _, p := range rep.pkgs {
		if is(p) && !slices.Contains(out, p.path) {
			out = append(out, p.path)
		}
	}
	sort.Strings(out)
	return out
}

// findings are a target's list errors, its dependency modules' errors (deps.go) and its
// main-module entries' findings (vet's and narrowing's in the packages they report on),
// without duplicates (one position, one message), ordered by position.
func findings(rep *targetReport) []Diag {
	var out []Diag
	seen := map[string]bool{}
	add := func(d Diag) {
		k := d.File + "\x00" + strconv.Itoa(d.Line) + "\x00" + strconv.Itoa(d.Col) + "\x00" +
			d.Message + "\x00" + d.Analyzer
		if d.Dep != nil {
			k += "\x00" + d.Dep.File + "\x00" + strconv.Itoa(d.Dep.Line) + "\x00" +
				strconv.Itoa(d.Dep.Col)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	for _, d := range rep.errs {
		add(d)
	}
	for _, d := range depFindings(rep) {
		add(d)
	}
	for _, p := range rep.pkgs {
		if p.result == nil {
			continue
		}
		// Narrowing warns about the packages asked for, as vet does: a main-module package
		// only imported by them (DepOnly) is checked for what breaks their build, no more.
		for _, d := range p.result.diags {
			if (d.Kind != "vet" || p.vetted) && (d.Kind != "narrowing" || p.asked) {
				add(d)
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		return x.Col < y.Col
	})
	return out
}

// answeredByCache: every package the target reports was answered by the result cache.
func answeredByCache(rep *targetReport) bool {
	if len(rep.pkgs) == 0 {
		return false
	}
	for _, p := range rep.pkgs {
		if p.result != nil && !p.result.cached {
			return false
		}
	}
	return true
}
