//go:build crossvet_vet

// Many ports for the price of a few (issue #27): a portable module checked for a dozen ports is
// checked and vetted once per class of ports that differ in what a check can see.

package main

import (
	"go/types"
	"strings"
	"testing"
)

// testdata/manyports is portable: its files are the same on every port, and what it uses of
// what differs between ports (runtime.GOOS printed, compared or returned; *exec.Cmd, whose
// fields differ, without selecting one; testing.T) cannot change a check's result. So over a
// dozen ports each package is checked and vetted once per int size (sharing off: once per
// port), and every port's findings are those of checking it alone: printf's on every port,
// narrowing's on 32-bit ones.
func TestManyPortsAreCheckedOncePerClass(t *testing.T) {
	dir := fixture(t, "manyports")
	targets := []Target{target("linux", "amd64"), target("linux", "386"),
		target("linux", "arm"), target("linux", "arm64"), target("linux", "riscv64"),
		target("darwin", "amd64"), target("darwin", "arm64"), target("windows", "amd64"),
		target("windows", "386"), target("freebsd", "amd64"), target("netbsd", "arm"),
		target("wasip1", "wasm")}
	req := newRequest(dir, targets...)
	req.Vet = true
	resp := run(req)
	got := results(t, resp)

	// a, b, c, its test variant c [c.test] and d, each once per int size (4 and 8 bytes): 10
	// own keys; vet runs on 8 of them (c is vetted as its test variant, as go vet does), and
	// c, whose result is keyed per port (what it imports differs), takes its test variant's
	// result on each (derive.go): 8 full checks.
	if st := resp.Stats; st.OwnKeys != 10 || st.CheckedFull != 8 || st.VetPasses != 8 ||
		st.FromTestVariant != len(targets) {
		t.Errorf("%d own keys, %d full checks, %d vet passes, %d from a test variant; want "+
			"10, 8, 8 and %d", st.OwnKeys, st.CheckedFull, st.VetPasses, st.FromTestVariant,
			len(targets))
	}
	// Declarations (the standard library's, the types entries) are checked once per class of
	// ports whose declarations read the same (declrefs.go, prune.go): 215 entries for the
	// dozen ports against 34 for linux/amd64 alone (680 and 79 before declarations were keyed
	// by the imports they name). None of the standard library's has an error: pruning and the
	// imports left out took nothing a declaration needs.
	one := newRequest(dir, targets[0])
	one.Vet = true
	if st, alone := resp.Stats, run(one).Stats; st.Checked > 7*alone.Checked ||
		st.StdDeclErrors != 0 || alone.StdDeclErrors != 0 {
		t.Errorf("%d entries checked for %d ports, %d for one (want at most 7 times); "+
			"standard-library declarations with errors: %d and %d", st.Checked, len(targets),
			alone.Checked, st.StdDeclErrors, alone.StdDeclErrors)
	}
	apart := newRequest(dir, targets...)
	apart.Vet, apart.NoShare = true, true
	if st := run(apart).Stats; st.CheckedFull != 5*len(targets) || st.FromTestVariant != 0 {
		t.Errorf("sharing off: %d full checks, %d from a test variant; want %d and none",
			st.CheckedFull, st.FromTestVariant, 5*len(targets))
	}

	for _, tg := range targets {
		alone := newRequest(dir, tg)
		alone.Vet = true
		wantDiags(t, tg.Name, got[tg.Name].Diagnostics, results(t, run(alone))[tg.Name].Diagnostics)
		var kinds []string
		for _, d := range got[tg.Name].Diagnostics {
			kinds = append(kinds, d.Kind)
		}
		want := "vet"
		if types.SizesFor("gc", tg.GOARCH).Sizeof(types.Typ[types.Int]) == 4 {
			want = "narrowing vet"
		}
		if strings.Join(kinds, " ") != want {
			t.Errorf("%s: findings %v, want %s", tg.Name, got[tg.Name].Diagnostics, want)
		}
	}
}
