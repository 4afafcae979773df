// The run cache: whole answers, keyed by the request and the module's contents.
//
// It answers a whole request without running `go list` when nothing it depends on
// changed. Its key covers: the request (targets with their environments, tags, patterns), the
// go binary's path (its version and the engine's source are in the cache directory's name),
// every GO* and CGO_* environment variable except GOCACHE, and the path and contents of every
// .go file, go.mod, go.sum, go.work and vendor/modules.txt under the module directory.
// Everything else a result depends on is immutable for that key: the standard library of that
// Go installation and the module cache (content-addressed by go.sum). The cache is not used
// when go.mod replaces a module by a local directory or a go.work file applies, since those
// bring in files outside the module that the key would not cover.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var localReplace = regexp.MustCompile(`=>\s*(\.|/|[A-Za-z]:\\)`)

func runKey(req *Request) string {
	if req.CacheDir == "" {
		return ""
	}
	if os.Getenv("GOWORK") != "off" && findUp(req.ModuleDir, "go.work") {
		return ""
	}
	h := sha256.New()
	body, _ := json.Marshal(struct {
		Go, Dir   string
		Patterns  []string
		Narrowing bool
		Level     string
		Generated bool
		Vet       bool
		Targets   []Target
	}{req.Go, req.ModuleDir, req.Patterns, req.Narrowing, req.NarrowingLevel,
		req.NarrowingGenerated, req.Vet && vetRunner != nil, req.Targets})
	fmt.Fprintf(h, "crossvet-run-key-1\x00%s\x00", body)
	var env []string
	for _, kv := range os.Environ() {
		if (strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_")) &&
			!strings.HasPrefix(kv, "GOCACHE=") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "env\x00%s\x00", strings.Join(env, "\x00"))
	ok := true
	err := filepath.WalkDir(req.ModuleDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != req.ModuleDir && (name == ".git" || name == ".hg" || name == ".svn") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(req.ModuleDir, path)
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" &&
			!strings.HasPrefix(name, "go.work") && rel != filepath.Join("vendor", "modules.txt") &&
			!(req.Vet && vetReads(name)) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if name == "go.mod" && localReplace.Match(data) {
			ok = false
		}
		fmt.Fprintf(h, "file\x00%s\x00%x\x00", rel, sha256.Sum256(data))
		return nil
	})
	if err != nil || !ok {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

func findUp(dir, name string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

func runCachePath(req *Request, key string) string {
	return filepath.Join(req.CacheDir, "runs", key+".json")
}

func loadRun(req *Request, key string) ([]TargetResult, bool) {
	data, err := os.ReadFile(runCachePath(req, key))
	if err != nil {
		return nil, false
	}
	var targets []TargetResult
	if json.Unmarshal(data, &targets) != nil || len(targets) != len(req.Targets) {
		return nil, false
	}
	for i := range targets {
		targets[i].Cached = true
		targets[i].Seconds = 0
	}
	return targets, true
}

func storeRun(req *Request, key string, targets []TargetResult) {
	for _, t := range targets {
		if t.Error != "" {
			return // an infrastructure failure is not a result worth keeping
		}
	}
	p := runCachePath(req, key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	data, err := json.Marshal(targets)
	if err != nil {
		return
	}
	tmp := p + "." + strconv.Itoa(os.Getpid())
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, p)
	}
}
