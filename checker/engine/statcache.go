// The stat cache: the run cache's key (runcache.go) hashes every file a result depends on; a
// warm run reads only the files whose stat changed.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// racyWindow: a file modified this close to (or after) the moment its hash was recorded may
// have been modified again within the same timestamp, so it is hashed again (as git treats its
// index's "racily clean" entries).
const racyWindow = 2 * time.Second

// statCache maps a file's path to the SHA-256 of its contents as of its size, modification
// time and status-change time (ctime: every write moves it, and it cannot be set back, so an
// edit that keeps the size and restores the modification time is still seen). Kept in the cache
// directory; a missing or unreadable one only costs hashing. One run's key uses it, from one
// goroutine.
type statCache struct {
	path   string
	start  int64 // when this run began, Unix nanoseconds: what new entries are recorded at
	old    map[string]statEntry
	now    map[string]statEntry
	roots  []string // the trees walked in this run: their files not seen again are forgotten
	hashed int      // files read and hashed in this run (tests)
}

type statEntry struct {
	Size   int64  `json:"s"`
	Mtime  int64  `json:"m"`
	Ctime  int64  `json:"c"`
	At     int64  `json:"a"` // when the hash was taken
	SHA256 hexSum `json:"h"`
}

// hexSum is a SHA-256 written in hex (a third of the JSON of a byte array's numbers).
type hexSum [32]byte

func (h hexSum) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h[:])), nil
}

func (h *hexSum) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(string(text))
	if err != nil || len(b) != len(h) {
		return fmt.Errorf("not a SHA-256: %q", text)
	}
	copy(h[:], b)
	return nil
}

// openStatCache reads the cache directory's stat cache (an empty one without a directory).
func openStatCache(cacheDir string) *statCache {
	sc := &statCache{start: time.Now().UnixNano(), old: map[string]statEntry{},
		now: map[string]statEntry{}}
	if cacheDir == "" {
		return sc
	}
	sc.path = filepath.Join(cacheDir, "runs", "stat.json")
	if data, err := os.ReadFile(sc.path); err == nil {
		_ = json.Unmarshal(data, &sc.old) // unreadable: start empty
	}
	return sc
}

// sum is the SHA-256 of path's contents: from the cache when its stat is the recorded one and
// was not racy then, else read.
func (sc *statCache) sum(path string, info fs.FileInfo) ([32]byte, error) {
	ctime, ok := changeTime(info)
	mtime := info.ModTime().UnixNano()
	if ok {
		e, found := sc.old[path]
		racy := e.At-mtime < int64(racyWindow) || e.At-ctime < int64(racyWindow)
		if found && !racy && e.Size == info.Size() && e.Mtime == mtime && e.Ctime == ctime {
			sc.now[path] = e
			return [32]byte(e.SHA256), nil
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return [32]byte{}, err
	}
	sum := sha256.Sum256(data)
	sc.hashed++
	if ok && int64(len(data)) == info.Size() {
		sc.now[path] = statEntry{Size: info.Size(), Mtime: mtime, Ctime: ctime, At: sc.start,
			SHA256: hexSum(sum)}
	}
	return sum, nil
}

// walked says a tree is walked in this run.
func (sc *statCache) walked(root string) {
	sc.roots = append(sc.roots, filepath.Clean(root)+string(filepath.Separator))
}

// save writes the entries this run used, and those of other trees (another module's runs
// share the cache directory); a file of a tree walked now and not seen is forgotten.
func (sc *statCache) save() {
	if sc.path == "" {
		return
	}
	out := make(map[string]statEntry, len(sc.old))
	for p, e := range sc.old {
		under := false
		for _, r := range sc.roots {
			under = under || strings.HasPrefix(p, r)
		}
		if !under {
			out[p] = e
		}
	}
	for p, e := range sc.now {
		out[p] = e
	}
	writeJSON(sc.path, out)
}
