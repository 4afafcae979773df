package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vet's other and ignored files are read when an analyzer asks for one, as they were hashed:
// one that changed is an error only if it is asked for (an entry's ignored files are mostly
// analyzed by the entry that claims them), and once one fails the entry says so.
func TestVetInputReadsWhatIsAsked(t *testing.T) {
	dir := t.TempDir()
	asm, ign, gone := filepath.Join(dir, "a.s"), filepath.Join(dir, "i.go"),
		filepath.Join(dir, "x.go")
	for _, f := range []string{asm, ign, gone} {
		if err := os.WriteFile(f, []byte("// "+filepath.Base(f)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fc := newFileCache()
	in := &vetInput{other: []string{asm}, ignored: []string{ign, gone},
		hashes: map[string][32]byte{}}
	for _, f := range []string{asm, ign, gone} {
		h, err := fc.hash(f)
		if err != nil {
			t.Fatal(err)
		}
		in.hashes[f] = h
	}
	if err := os.WriteFile(gone, []byte("// changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in.open(fc)
	if data, ok, err := in.contents(asm); !ok || err != nil || string(data) != "// a.s\n" {
		t.Errorf("a.s: %q, %v, %v", data, ok, err)
	}
	if _, ok, err := in.contents(filepath.Join(dir, "p.go")); ok || err != nil {
		t.Errorf("p.go (a Go file of the package): ok %v, %v; want not one of vet's inputs", ok, err)
	}
	if err := in.readErr(); err != nil {
		t.Errorf("nothing changed was asked for, got %v", err)
	}
	if err := os.Remove(asm); err != nil { // read once: asking again reads nothing
		t.Fatal(err)
	}
	if _, _, err := in.contents(asm); err != nil {
		t.Errorf("a.s again: %v", err)
	}
	if _, ok, err := in.contents(gone); !ok || err == nil ||
		!strings.Contains(err.Error(), "changed while being checked") {
		t.Errorf("x.go: ok %v, %v; want an error saying it changed", ok, err)
	}
	if err := in.readErr(); err == nil || !strings.Contains(err.Error(), "x.go") {
		t.Errorf("readErr: %v, want x.go's", err)
	}
}
