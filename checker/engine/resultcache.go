// The result cache: each main-module package's findings, stored under its sharing key in
// pack files, so a package that did not change is not checked again (see resultCache).
// The whole-run cache is runcache.go.

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// resultCache stores each main-module entry's findings under its sharing key. The key covers
// every input of the check (file contents, sizes, language version, the keys of all
// dependencies, hence their files too), so a hit is exact. The engine binary's own identity
// (Go version, engine source) is in the directory name crossvet gives (see typecheck.py).
//
// Entries are kept in pack files, one written per run with what that run checked: writing a
// file per package cost more than a cold check of the package itself (an open/rename per entry,
// hundreds per run). Packs are read once, on the first lookup; past maxPacks they are compacted
// into one.
type resultCache struct {
	dir  string
	salt string // the settings findings depend on beyond the key (narrow.Config.CacheSalt)

	once  sync.Once
	mem   map[string]cached // from the packs on disk
	packs []string

	mu    sync.Mutex
	fresh map[string]cached // checked in this run, written by flush

	facts factCodec // vet's facts (nil: no vet in this run)
}

type cached struct {
	Diags  []Diag `json:"diags"`
	Broken bool   `json:"broken"`
	// vet's facts of a result entry (vetRun.encodeFacts), for the entries that import it
	Facts []byte `json:"facts,omitempty"`
}

// factCodec writes and reads an entry's vet facts for the cache (vetRun).
type factCodec interface {
	encodeFacts(facts any) ([]byte, bool)
	decodeFacts(data []byte) (any, bool)
}

const maxPacks = 16

// packName is a new pack file's path in dir: pack-<time>-<pid><ext>, newer packs sorting
// later (the result cache's, the standard library's store's).
func packName(dir, ext string) string {
	stamp := strconv.FormatInt(time.Now().UnixNano(), 10) + "-" + strconv.Itoa(os.Getpid())
	return filepath.Join(dir, "pack-"+stamp+ext)
}

func newResultCache(dir, salt string) *resultCache {
	return &resultCache{dir: dir, salt: salt, fresh: map[string]cached{}}
}

func (c *resultCache) read() {
	c.mem = map[string]cached{}
	names, _ := filepath.Glob(filepath.Join(c.dir, "pack-*.json"))
	sort.Strings(names) // oldest first: a newer pack wins (both are exact anyway)
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		var pack map[string]cached
		if json.Unmarshal(data, &pack) != nil {
			continue
		}
		for k, v := range pack {
			c.mem[k] = v
		}
		c.packs = append(c.packs, name)
	}
}

func (c *resultCache) load(e *entry) bool {
	if c.dir == "" {
		return false
	}
	c.once.Do(c.read)
	v, ok := c.mem[e.key+c.salt]
	if ok {
		e.diags, e.broken = v.Diags, v.Broken
		if c.facts != nil && v.Facts != nil {
			e.facts, _ = c.facts.decodeFacts(v.Facts)
		}
	}
	return ok
}

// complete: e, answered by the cache, has all its importers read of it: without vet, its
// findings and whether it builds; with vet, its facts too.
func (c *resultCache) complete(e *entry) bool {
	return c.facts == nil || e.facts != nil
}

func (c *resultCache) store(e *entry) {
	if c.dir == "" {
		return
	}
	v := cached{Diags: e.diags, Broken: e.broken}
	if c.facts != nil && e.full && e.facts != nil {
		v.Facts, _ = c.facts.encodeFacts(e.facts)
	}
	c.mu.Lock()
	c.fresh[e.key+c.salt] = v
	c.mu.Unlock()
}

// flush writes this run's entries as one pack (atomically), compacting old packs when many.
func (c *resultCache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" || len(c.fresh) == 0 {
		return
	}
	c.once.Do(c.read)
	out, old := c.fresh, []string(nil)
	if len(c.packs)+1 > maxPacks {
		out = make(map[string]cached, len(c.mem)+len(c.fresh))
		for k, v := range c.mem {
			out[k] = v
		}
		for k, v := range c.fresh {
			out[k] = v
		}
		old = c.packs
	}
	if os.MkdirAll(c.dir, 0o755) != nil {
		return
	}
	data, err := json.Marshal(out)
	if err != nil {
		return
	}
	name := packName(c.dir, ".json")
	tmp := strings.TrimSuffix(name, ".json") + ".tmp"
	if os.WriteFile(tmp, data, 0o644) != nil || os.Rename(tmp, name) != nil {
		_ = os.Remove(tmp)
		return
	}
	for _, p := range old {
		_ = os.Remove(p)
	}
}
