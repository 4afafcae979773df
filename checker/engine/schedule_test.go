// The scheduler checks targets about in order and releases declarations as soon as nothing
// will import them; a run ends holding no types.

package main

import (
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two targets, each a main-module package (result r) over its own declarations entry (t),
// both over one shared declarations entry s. The later target is added first, with one
// worker: the earlier target is checked first all the same, and its own declarations are
// released before the later target starts; s is released once both are done; results are
// never released.
func TestTargetsInOrderAndReleased(t *testing.T) {
	s := entryOf("s", false, nil)
	t0 := entryOf("t0", false, map[string]*entry{"s": s})
	t1 := entryOf("t1", false, map[string]*entry{"s": s})
	r0 := entryOf("r0", true, map[string]*entry{"t0": t0})
	r1 := entryOf("r1", true, map[string]*entry{"t1": t1})
	graph := func(r *entry) *targetReport {
		return &targetReport{pkgs: []reportedPkg{{result: r}}}
	}
	var mu sync.Mutex
	var events []string
	record := func(ev string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	}
	work := func(e *entry) {
		record("check " + e.path)
		if !e.full {
			e.pkg = types.NewPackage(e.path, e.path)
		}
	}
	release := func(e *entry) {
		record("release " + e.path)
		e.pkg = nil
	}
	sched := newScheduler(newFileCache(), newResultCache("", ""), work, release)
	sched.add(graph(r1), 1)
	sched.add(graph(r0), 0)
	sched.close()
	sched.start(1).Wait()

	want := []string{"check s", "check t0", "check r0", "release t0", "check t1",
		"release s", "check r1", "release t1"}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events:\n  %s\nwant:\n  %s", strings.Join(events, "\n  "),
			strings.Join(want, "\n  "))
	}
	if sched.released != 3 {
		t.Errorf("%d released, want 3", sched.released)
	}
}

// Nothing is released while targets may still be added: an entry done before close is
// released at close if nothing is left to import it.
func TestNothingReleasedBeforeClose(t *testing.T) {
	s := entryOf("s", false, nil)
	r := entryOf("r", true, map[string]*entry{"s": s})
	var released []string
	sched := newScheduler(newFileCache(), newResultCache("", ""),
		func(e *entry) { e.pkg = types.NewPackage(e.path, e.path) },
		func(e *entry) { released = append(released, e.path) })
	sched.add(&targetReport{pkgs: []reportedPkg{{result: r}}}, 0)
	wg := sched.start(1)
	for { // wait until both are checked
		sched.mu.Lock()
		done := r.done
		sched.mu.Unlock()
		if done {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if len(released) != 0 {
		t.Fatalf("released %v before close", released)
	}
	sched.close()
	wg.Wait()
	if !reflect.DeepEqual(released, []string{"s"}) {
		t.Errorf("released %v at close, want [s]", released)
	}
}

// A real run over several targets ends with no entry holding its types and no summaries
// kept for the prints, and its findings are those of each target checked alone.
func TestRunEndsHoldingNoTypes(t *testing.T) {
	dir := fixture(t, "apishare")
	targets := []Target{target("linux", "amd64"), target("darwin", "amd64"),
		target("windows", "amd64"), target("linux", "386")}
	r := newRunState(newRequest(dir, targets...))
	r.checkAll()
	if r.sched.released == 0 {
		t.Fatal("nothing released")
	}
	for _, e := range r.reg.entries {
		if e.pkg != nil {
			t.Errorf("entry %s (full %t) still holds its types", e.path, e.full)
		}
	}
	r.byUse.sums.pkgs.Range(func(k, _ any) bool {
		t.Errorf("summaries of %s kept", k.(*types.Package).Path())
		return true
	})
	got := r.collect()
	for i, tg := range targets {
		alone := run(newRequest(dir, tg))
		wantDiags(t, tg.Name, got[i].Diagnostics, alone.Targets[0].Diagnostics)
	}
}

// A file's contents are not held once every target is listed: a parse after that reads the
// file again, and says so if it changed since it was hashed.
func TestFileReadAgainAfterSweep(t *testing.T) {
	dir := t.TempDir()
	same, changed := filepath.Join(dir, "same.go"), filepath.Join(dir, "changed.go")
	for _, f := range []string{same, changed} {
		if err := os.WriteFile(f, []byte("package p\n\nconst C = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fc := newFileCache()
	for _, f := range []string{same, changed} {
		if _, err := fc.hash(f); err != nil {
			t.Fatal(err)
		}
		fc.retain(f, modeDecl)
	}
	fc.sweep()
	if err := os.WriteFile(changed, []byte("package p\n\nconst C = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, _, err := fc.parse(same, modeDecl); err != nil || f == nil || f.Name.Name != "p" {
		t.Errorf("unchanged file: %v, %v", f, err)
	}
	if _, _, err := fc.parse(changed, modeDecl); err == nil ||
		!strings.Contains(err.Error(), "changed while being checked") {
		t.Errorf("changed file: %v, want an error saying it changed", err)
	}
}

// A main-module file's full AST is parsed again for each user, until it has been parsed
// holdAfterParses times: from then on it is held between users while its source fits in
// holdCap, and freed with its last user. With no room, or with the live heap over holdLive,
// it is parsed for each.
func TestFullASTHeldAfterRepeatedParses(t *testing.T) {
	src := []byte("package p\n\nfunc F() int { return 1 }\n")
	defer lastLive.Store(lastLive.Load())
	for _, c := range []struct{ room, heapOver bool }{{true, false}, {false, false},
		{true, true}} {
		room := c.room && !c.heapOver
		path := filepath.Join(t.TempDir(), "p.go")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		fc := newFileCache()
		if c.room {
			fc.holdCap = int64(len(src))
		}
		fc.holdLive = 100 << 20
		lastLive.Store(fc.holdLive)
		if c.heapOver {
			lastLive.Store(fc.holdLive + 1)
		}
		const users = holdAfterParses + 3
		for i := 0; i < users; i++ {
			fc.retain(path, modeFull)
		}
		var first *ast.File
		for u := 0; u < users; u++ {
			f, _, err := fc.parse(path, modeFull)
			if err != nil || f == nil {
				t.Fatalf("parse: %v, %v", f, err)
			}
			if u == holdAfterParses-1 {
				first = f
			}
			if u >= holdAfterParses && room && f != first {
				t.Errorf("user %d parsed the file again: it should be held", u+1)
			}
			fc.release(path, modeFull)
		}
		want := int64(users)
		if room {
			want = holdAfterParses
		}
		if got := fc.parsed.Load(); got != want {
			t.Errorf("room %v: parsed %d times, want %d", room, got, want)
		}
		if fc.held != 0 || fc.asts[astKey{path, modeFull}].file != nil {
			t.Errorf("room %v: %d bytes still held after the last user", room, fc.held)
		}
	}
}

// A standard-library file parsed for its declarations' refs when keyed is not parsed again
// for its declarations-only check: the AST is kept for it while there is room (preCap). One
// no check will parse is dropped once every target is keyed.
func TestStdFileParsedOnceForRefsAndCheck(t *testing.T) {
	for _, room := range []bool{true, false} {
		std := t.TempDir() + string(filepath.Separator)
		checked, unused := filepath.Join(std, "a.go"), filepath.Join(std, "b.go")
		for _, f := range []string{checked, unused} {
			src := "package p\n\nimport \"io\"\n\nfunc F(r io.Reader) int { return 1 }\n"
			if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fc := newFileCache()
		fc.stdDir = std
		if room {
			fc.preCap = 1 << 20
		}
		for _, f := range []string{checked, unused} {
			if r, err := fc.refs(f); err != nil || len(r.imports) != 1 {
				t.Fatalf("refs of %s: %v, %v", f, r, err)
			}
		}
		fc.retain(checked, modeDecl)
		fc.sweep()
		if room && (len(fc.pre) != 1 || fc.pre[checked] == nil) {
			t.Errorf("kept after keying: %v, want %s's only", fc.pre, checked)
		}
		f, _, err := fc.parse(checked, modeDecl)
		if err != nil || f == nil || len(f.Decls) != 2 {
			t.Fatalf("parse: %v, %v", f, err)
		}
		want := int64(1)
		if room {
			want = 0
		}
		if got := fc.parsed.Load(); got != want || len(fc.pre) != 0 || fc.preHeld != 0 {
			t.Errorf("room %v: parsed %d times when checked (want %d), %d kept, %d bytes held",
				room, got, want, len(fc.pre), fc.preHeld)
		}
	}
}

// Each target is told finished as soon as its last result entry is done, before later
// targets are checked, and is charged the worker time of the entries it was the first to
// need: the shared entry s goes to the earlier target, though the later one was added first.
// A target with nothing left to check is finished when it is added.
func TestTargetsFinishAsTheyAreDoneAndChargedTheirWork(t *testing.T) {
	const unit, long = 10 * time.Millisecond, 300 * time.Millisecond
	s := entryOf("s", false, nil)
	t0 := entryOf("t0", false, map[string]*entry{"s": s})
	t1 := entryOf("t1", false, map[string]*entry{"s": s})
	r0 := entryOf("r0", true, map[string]*entry{"t0": t0})
	r1 := entryOf("r1", true, map[string]*entry{"t1": t1})
	cached := entryOf("c", true, nil)
	cached.cached = true
	var mu sync.Mutex
	var events []string
	record := func(ev string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	}
	work := func(e *entry) {
		if e == s {
			time.Sleep(long)
		} else {
			time.Sleep(unit)
		}
		if e.full {
			e.vetTime = unit / 2
		}
		record("check " + e.path)
	}
	sched := newScheduler(newFileCache(), newResultCache("", ""), work, nil)
	sched.finished = func(i int) { record("finished " + strconv.Itoa(i)) }
	sched.add(&targetReport{pkgs: []reportedPkg{{result: r1}, {result: r1}}}, 1)
	sched.add(&targetReport{pkgs: []reportedPkg{{result: r0}}}, 0)
	sched.add(&targetReport{pkgs: []reportedPkg{{result: cached}, {}}}, 2)
	sched.close()
	sched.start(1).Wait()

	want := []string{"finished 2", "check s", "check t0", "check r0", "finished 0",
		"check t1", "check r1", "finished 1"}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events:\n  %s\nwant:\n  %s", strings.Join(events, "\n  "),
			strings.Join(want, "\n  "))
	}
	for i, least := range []time.Duration{long + 2*unit, 2 * unit, 0} {
		spent, vet := sched.spentOn(i)
		if spent < least || spent >= least+long-unit || i == 2 && spent != 0 {
			t.Errorf("target %d: charged %v, want %v and a little more", i, spent, least)
		}
		if want := map[bool]time.Duration{true: unit / 2}[least > 0]; vet != want {
			t.Errorf("target %d: vet %v, want %v", i, vet, want)
		}
	}
}

// entryOf is an entry for the scheduler: a result entry when full, importing imports.
func entryOf(path string, full bool, imports map[string]*entry) *entry {
	return &entry{entryInput: entryInput{path: path, full: full, imports: imports}}
}
