package main

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// resultCache stores each main-module entry's findings under its sharing key. The key covers
// every input of the check (file contents, sizes, language version, the keys of all
// dependencies, hence their files too), so a hit is exact. The engine binary's own identity
// (Go version, engine source) is in the directory name crossvet gives (see typecheck.py).
type resultCache struct{ dir string }

type cached struct {
	Diags  []Diag `json:"diags"`
	Broken bool   `json:"broken"`
}

func (c resultCache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

func (c resultCache) load(e *entry) bool {
	if c.dir == "" {
		return false
	}
	data, err := os.ReadFile(c.path(e.key))
	if err != nil {
		return false
	}
	var v cached
	if json.Unmarshal(data, &v) != nil {
		return false
	}
	e.diags, e.broken = v.Diags, v.Broken
	return true
}

func (c resultCache) store(e *entry) {
	if c.dir == "" {
		return
	}
	p := c.path(e.key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	data, err := json.Marshal(cached{Diags: e.diags, Broken: e.broken})
	if err != nil {
		return
	}
	tmp := p + ".tmp" + strconvPid()
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, p)
	}
}

func strconvPid() string {
	return "." + itoa(os.Getpid())
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
