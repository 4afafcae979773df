// The standard library's store (stdstore.go): declarations read back from an earlier run give
// the answer checking them gives.

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A run with an empty cache directory writes every standard-library declarations entry it
// checks; a run with only that store (no result cache) reads them all back instead of checking
// them, and finds what the first found; packages whose bytes were damaged are checked instead.
// Past maxPacks packs, a run copies them into one.
func TestStdStore(t *testing.T) {
	dir := fixture(t, "manyports")
	targets := []Target{target("linux", "amd64"), target("linux", "386"),
		target("windows", "amd64"), target("darwin", "arm64")}
	cache := t.TempDir()
	req := newRequest(dir, targets...)
	req.Vet, req.CacheDir = true, cache
	cold := runAll(req)
	st := cold.Stats
	if st.StdStoreHits != 0 || st.StdStoreWrites == 0 || st.StdStoreWrites > st.CheckedDeps {
		t.Fatalf("cold run: %d read, %d written of %d dependencies checked", st.StdStoreHits,
			st.StdStoreWrites, st.CheckedDeps)
	}
	onlyStore := func() {
		t.Helper()
		ents, _ := os.ReadDir(cache)
		for _, e := range ents {
			if e.Name() != "std" {
				os.RemoveAll(filepath.Join(cache, e.Name()))
			}
		}
	}
	onlyStore()
	warm := runAll(req)
	if ws := warm.Stats; ws.StdStoreHits != st.StdStoreWrites || ws.StdStoreWrites != 0 ||
		ws.CacheHits != 0 || ws.CheckedFull != st.CheckedFull {
		t.Errorf("store warm: %d read (want %d), %d written, %d cache hits, %d full checks "+
			"(want %d)", ws.StdStoreHits, st.StdStoreWrites, ws.StdStoreWrites, ws.CacheHits,
			ws.CheckedFull, st.CheckedFull)
	}
	if got, want := results(t, warm), results(t, cold); !reflect.DeepEqual(diagsOf(got), diagsOf(want)) {
		t.Errorf("store warm found\n%v\nwant\n%v", diagsOf(got), diagsOf(want))
	}

	// Packages whose bytes were damaged are checked again, and stored again.
	packs, _ := filepath.Glob(filepath.Join(cache, "std", "pack-*.bin"))
	if len(packs) != 1 {
		t.Fatalf("packs %v, want one", packs)
	}
	f, err := os.Open(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	idx, err := readStdIndex(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, ie := range idx {
		data[ie.off+ie.n/2] ^= 0x55
	}
	if err := os.WriteFile(packs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	onlyStore()
	damaged := runAll(req)
	if ds := damaged.Stats; ds.StdStoreHits != 0 || ds.StdStoreWrites != st.StdStoreWrites {
		t.Errorf("every package damaged: %d read (want 0), %d written (want %d)",
			ds.StdStoreHits, ds.StdStoreWrites, st.StdStoreWrites)
	}
	if got, want := results(t, damaged), results(t, cold); !reflect.DeepEqual(diagsOf(got), diagsOf(want)) {
		t.Errorf("every package damaged: found\n%v\nwant\n%v", diagsOf(got), diagsOf(want))
	}

	// More targets: what the store lacks is checked and added, a pack per run; past maxPacks
	// packs a run copies them into its own (a pack that cannot be read is left alone).
	os.WriteFile(filepath.Join(cache, "std", "pack-0-junk.bin"), []byte("not a pack"), 0o644)
	ports := [][2]string{{"freebsd", "amd64"}, {"freebsd", "386"}, {"freebsd", "arm"},
		{"freebsd", "arm64"}, {"netbsd", "amd64"}, {"netbsd", "386"}, {"netbsd", "arm"},
		{"netbsd", "arm64"}, {"openbsd", "amd64"}, {"openbsd", "386"}, {"openbsd", "arm"},
		{"openbsd", "arm64"}, {"dragonfly", "amd64"}, {"solaris", "amd64"}, {"aix", "ppc64"},
		{"plan9", "amd64"}, {"linux", "s390x"}}
	if len(ports) <= maxPacks {
		t.Fatal("too few ports to fill the store past maxPacks packs")
	}
	for _, port := range ports {
		onlyStore()
		more := newRequest(dir, target(port[0], port[1]))
		more.Vet, more.CacheDir = true, cache
		if w := runAll(more).Stats.StdStoreWrites; w == 0 {
			t.Fatalf("%s/%s: nothing written", port[0], port[1])
		}
	}
	packs, _ = filepath.Glob(filepath.Join(cache, "std", "pack-*.bin"))
	if len(packs) > maxPacks+1 {
		t.Errorf("%d packs after %d runs: not compacted", len(packs), len(ports)+1)
	}
	onlyStore()
	again := runAll(req)
	if as := again.Stats; as.StdStoreHits != st.StdStoreWrites || as.StdStoreWrites != 0 {
		t.Errorf("after compaction: %d read (want %d), %d written", as.StdStoreHits,
			st.StdStoreWrites, as.StdStoreWrites)
	}
	if got, want := results(t, again), results(t, cold); !reflect.DeepEqual(diagsOf(got), diagsOf(want)) {
		t.Errorf("after compaction found\n%v\nwant\n%v", diagsOf(got), diagsOf(want))
	}
}

func diagsOf(rs map[string]TargetResult) map[string][]Diag {
	out := map[string][]Diag{}
	for name, r := range rs {
		out[name] = r.Diagnostics
	}
	return out
}
