// The entry: one unit of type-checking work, shared by every target whose package has its
// sharing key (key.go). Its fields are grouped by concern: what it checks (fixed when the
// registry makes it), its place in the scheduler, what checking gave, and what sharing by use
// compares.

package main

import (
	"go/types"
	"sync/atomic"
	"time"
)

// entry is one unit of type-checking work, shared by every target whose node has its key.
type entry struct {
	key string // the sharing key (key.go): one entry per key in a run

	entryInput
	entrySched
	entryResult
	entryUses
}

// entryInput is what an entry checks, and how: everything its key covers, fixed when the
// registry makes it (registry.get).
type entryInput struct {
	path    string // the package path (a test variant's without its " [p.test]")
	name    string // the package name
	lang    string // the language version, -lang ("go1.21"; "": no limit, the standard library)
	version string // the go version vet gives go/types: "go" + the module's go line (full entries)
	// full: a main-module result entry, checked with function bodies, findings reported; else
	// a types entry, checked for declarations only (what importers import).
	full    bool
	bodies  bool // a dependency module's package: bodies checked, type errors its diags (deps.go)
	thin    bool // bodies: only those vet's facts come from, errors unreported (no_dep_bodies)
	vet     bool // run vet's analyzers (full entries, when the request asks for vet)
	fakeC   bool // the package has cgo files: `import "C"` is faked (FakeImportC)
	mainPkg bool // a main-module package: its types entry (declarations) or its result entry

	files   []string          // its Go files, absolute, in the order the compiler gets them
	sizes   types.Sizes       // the target's gc sizes (equal for equal word size and alignment)
	word    int64             // the size of int in bytes (4 or 8), from sizes
	imports map[string]*entry // each import path as written -> the entry it resolves to
	// unread: a declarations-only entry's imports its declarations do not name (declrefs.go),
	// path -> package name: go/types gets empty packages for them
	unread map[string]string
	vetIn  *vetInput // what vet needs besides the Go files (vet entries; nil once checked)
	after  []*entry  // result entries of its main-module imports (result entries)
	own    string    // the key without its imports' keys (result and dependency entries; apiprint.go, depshare.go)
	// test: the result entry of its test variant, whose findings it may take (derive.go), for a
	// main-module package vet does not analyze; nil: none
	test *entry
	// from: a test variant's types entry: the result entry of the same package, whose types
	// it may take (derive.go); nil: none
	from *entry
}

// entrySched is an entry's place in the scheduler (schedule.go), guarded by scheduler.mu.
type entrySched struct {
	needed     bool     // scheduled for checking
	done       bool     // checked (or answered without checking)
	pending    int      // entries it waits for (deps) that are not done: ready at 0
	dependents []*entry // scheduled entries that wait for it
	first      int      // the earliest target (request order) that needs it
	users      int      // scheduled entries that import it or wait for it and are not done
}

// entryResult is what checking an entry gave (or the result cache, or another's result).
type entryResult struct {
	// pkg: its types, for importers and vet; a types entry's until released (nothing will
	// import it), a result entry's only while it is checked.
	pkg   *types.Package
	diags []Diag // reported findings (full entries; a dependency's errors: bodies entries)
	// broken: it, or a main-module package it imports, has errors; dependents are skipped.
	broken bool
	cached bool // answered by the result cache: not checked
	facts  any  // vet's facts about its package's objects (vetfacts.go), for importers
	reused bool // its result is another entry's with the same own key and print
	// testsApart: a test variant checked without an error whose non-test files would check
	// alike without its test files (derive.go); derived: its result is its test variant's
	testsApart, derived bool
	fromResult          bool // a types entry whose types are its result entry's (derive.go)
	// declErr: a declarations-only check had errors (in the standard library, a sign that
	// pruning or the imports left out took something it needs: Stats.StdDeclErrors)
	declErr bool
	vetTime time.Duration // spent in vet's analyzers (vetRun.analyze)
	// typesFor: the types entry that may take this result entry's types (its from); typesPkg:
	// those types, kept from its check until that entry takes them (derive.go)
	typesFor atomic.Pointer[entry]
	typesPkg *types.Package
}

// entryUses is what a result entry observed of its imports and their fingerprint
// (apiprint.go), kept when it type-checked without errors (reusable), so that others with its
// own key can reuse its result; print is computed when the first of those compares (printOf).
type entryUses struct {
	obs      *observed // the objects it used, whole APIs and names looked up (observedOf)
	obsKey   string    // obs as one string: entries with equal ones are described alike
	print    string    // the fingerprint of what it observed ("" until computed)
	reusable bool      // checked without errors: obs is recorded, others may reuse it
}

// reads are the entries whose types or findings e reads: its imports, and the results of
// main-module ones (whether they build, vet's facts).
func (e *entry) reads() []*entry {
	out := make([]*entry, 0, len(e.imports)+len(e.after)+1)
	for _, d := range e.imports {
		out = append(out, d)
	}
	return append(out, e.after...)
}

// deps are the entries e waits for: those it reads, and the result whose findings (its test
// variant's) or types (its own package's) it may take (derive.go).
func (e *entry) deps() []*entry {
	switch {
	case e.test != nil:
		return append(e.reads(), e.test)
	case e.from != nil:
		return append(e.reads(), e.from)
	}
	return e.reads()
}

// forget drops what nothing reads once a standard-library declarations entry is done and
// nothing imports it any more (scheduler.drop): what it was checked from (its imports, by
// path; its files). Each port has its own such entries, kept to the end of the run, which the
// collector would walk at every collection (x/tools, every port: the live heap after a
// collection 7 MB smaller on average). Other entries keep theirs: vet's facts are found
// through the imports of main-module and dependency entries (visibleFacts).
func (e *entry) forget() {
	if e.full || e.mainPkg || e.bodies {
		return
	}
	e.imports, e.unread, e.after, e.files = nil, nil, nil, nil
}

// parseMode is how the entry's files are parsed.
func (e *entry) parseMode() parseMode {
	switch {
	case e.full:
		return modeFull
	case e.bodies:
		return modeBodies
	}
	return modeDecl
}

// unsafeEntry is package unsafe's, in every run and target: nothing is checked or scheduled
// for it (the scheduler skips it), so it is never written.
var unsafeEntry = &entry{key: "unsafe", entryInput: entryInput{path: "unsafe"},
	entryResult: entryResult{pkg: types.Unsafe}}
