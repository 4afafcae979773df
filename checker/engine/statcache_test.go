package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The stat cache answers a file's hash from its stat only when the stat is the recorded one
// and was not racy: an edit that keeps the size and puts the modification time back is still
// read (its ctime moved), and so is a file changed within the racy window.
func TestStatCacheRereadsWhatChanged(t *testing.T) {
	if _, ok := changeTime(statOf(t, os.Args[0])); !ok {
		t.Skip("no ctime on this platform: every file is hashed")
	}
	cache, dir := t.TempDir(), t.TempDir()
	file := filepath.Join(dir, "a.go")
	write := func(text string) {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// later is a run that begins long enough after the writes for them not to be racy.
	later := func() *statCache {
		sc := openStatCache(cache)
		sc.start = time.Now().Add(time.Minute).UnixNano()
		return sc
	}
	check := func(sc *statCache, text string, hashed int) {
		t.Helper()
		sum, err := sc.sum(file, statOf(t, file))
		if err != nil {
			t.Fatal(err)
		}
		if sum != sha256.Sum256([]byte(text)) || sc.hashed != hashed {
			t.Errorf("%q: sum %x after %d reads, want its hash after %d", text, sum,
				sc.hashed, hashed)
		}
		sc.walked(dir)
		sc.save()
	}
	write("package a // one")
	check(later(), "package a // one", 1)
	check(later(), "package a // one", 0) // answered by the stat

	mtime := statOf(t, file).ModTime()
	write("package a // two") // the same size, the modification time put back
	if err := os.Chtimes(file, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	check(later(), "package a // two", 1)
	check(later(), "package a // two", 0)

	// A run that begins right after the write records a racy entry: the next run reads again.
	write("package a // six")
	now := openStatCache(cache)
	check(now, "package a // six", 1)
	check(later(), "package a // six", 1)
	check(later(), "package a // six", 0)
}

func statOf(t *testing.T, path string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}
