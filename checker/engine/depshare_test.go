//go:build crossvet_vet

package main

import (
	"path/filepath"
	"strconv"
	"testing"
)

// A dependency whose files are the same on every port (testdata/depshare's wrap) is analyzed
// once per class of ports where what it uses of its imports, facts included, is the same:
// osdep.Out is a printf wrapper on linux only, so wrap.Logf is one there only, and the ports
// get the findings each gets checked alone (printf at main.go:6 on linux, at 7 everywhere).
func TestDependencyAnalysisIsSharedByUse(t *testing.T) {
	dir := fixture(t, "depshare")
	targets := []Target{target("linux", "amd64"), target("linux", "arm64"),
		target("darwin", "amd64"), target("windows", "amd64"), target("freebsd", "amd64")}
	req := newRequest(dir, targets...)
	req.Vet = true
	resp := run(req)
	got := results(t, resp)
	line := func(d Diag) string {
		return filepath.Base(d.File) + ":" + strconv.Itoa(d.Line) + ": " + d.Analyzer
	}
	for _, tg := range targets {
		want := []string{"main.go:7: printf"}
		if tg.Env["GOOS"] == "linux" {
			want = append(want, "main.go:6: printf")
		}
		wantLines(t, vetLines(got[tg.Name], line), want)
		alone := newRequest(dir, tg)
		alone.Vet = true
		wantDiags(t, tg.Name, got[tg.Name].Diagnostics, results(t, run(alone))[tg.Name].Diagnostics)
	}
	// wrap's key is the port's (it imports os): on darwin, windows and freebsd, where it
	// uses the same of its imports, it is analyzed once, and its two other entries share.
	if resp.Stats.DepsShared < 2 {
		t.Errorf("%d dependency entries shared, want at least 2", resp.Stats.DepsShared)
	}
	// own_keys counts main-module results only (the fewest full checks): main, one per int
	// size class here (all five ports are 64-bit), whatever the dependencies' own keys.
	if resp.Stats.OwnKeys != 1 {
		t.Errorf("own keys %d, want 1 (main's)", resp.Stats.OwnKeys)
	}
	apart := newRequest(dir, targets...)
	apart.Vet, apart.NoShare = true, true
	if st := run(apart).Stats; st.DepsShared != 0 {
		t.Errorf("sharing off: %d dependency entries shared, want 0", st.DepsShared)
	}
}
