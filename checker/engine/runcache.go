// The run cache: whole answers, keyed by the request and the module's contents.
//
// It answers a whole request without running `go list` when nothing it depends on
// changed. Its key covers: the request (targets with their environments, tags, patterns), the
// go binary's path (its version and the engine's source are in the cache directory's name),
// every GO* and CGO_* environment variable except GOCACHE, and the path and contents (by their
// stat when unchanged since last hashed: statcache.go) of every
// .go file, go.mod, go.sum, go.work and vendor/modules.txt under the module directory.
// Everything else a result depends on is immutable for that key: the standard library of that
// Go installation and the module cache (content-addressed by go.sum), but for which of the
// modules go.sum names are in it: a module that could not be downloaded for one run may be
// there for the next, so the key says which are (modsPresent). Files outside the module
// that a result depends on are in the key too: the directories a go.mod under the module
// replaces modules with, and, when a go.work applies, that file, its go.work.sum, the modules
// it uses and the directories it replaces modules with (walked like the module itself). When
// one of those cannot be read, the cache is not used.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// goWork is the go.work that applies to dir ("" when none): GOWORK, else the nearest one up.
func goWork(dir string) string {
	switch v := os.Getenv("GOWORK"); v {
	case "off":
		return ""
	case "":
		return findUp(dir, "go.work")
	default:
		return v
	}
}

// localDirs are the directories a go.mod or go.work names on this machine: its `use`
// directives (go.work) and the local targets of its `replace` directives, made absolute.
func localDirs(text, dir string) []string {
	var out []string
	block := ""
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == ")" {
			block = ""
			continue
		}
		verb := block
		if block == "" {
			verb, fields = fields[0], fields[1:]
			if len(fields) == 1 && fields[0] == "(" {
				block = verb
				continue
			}
		}
		target := ""
		switch verb {
		case "use":
			if len(fields) > 0 {
				target = fields[0]
			}
		case "replace":
			for i, f := range fields {
				if f == "=>" && i+1 < len(fields) {
					target = fields[i+1]
				}
			}
		}
		target = strings.Trim(target, "\"`")
		if target == "" || !(strings.HasPrefix(target, ".") || filepath.IsAbs(target)) {
			continue // a module path (replace): in the module cache, covered by go.sum
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		out = append(out, filepath.Clean(target))
	}
	return out
}

// modsPresent adds to h, for each module version a go.sum (or go.work.sum) names, whether
// the module cache has it: its extracted tree for a `path version h1:` line, its go.mod for a
// `path version/go.mod h1:` line. Nothing when the module cache is not known.
func modsPresent(h io.Writer, modCache string, sum []byte) {
	if modCache == "" {
		return
	}
	for _, line := range strings.Split(string(sum), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 3 {
			continue
		}
		path, version := modEscape(fields[0]), modEscape(fields[1])
		where := filepath.Join(modCache, path+"@"+version)
		if v, ok := strings.CutSuffix(version, "/go.mod"); ok {
			where = filepath.Join(modCache, "cache", "download", path, "@v", v+".mod")
		}
		_, err := os.Stat(where)
		fmt.Fprintf(h, "mod\x00%s\x00%s\x00%t\x00", fields[0], fields[1], err == nil)
	}
}

// modEscape is a module path or version as the module cache names it: each upper-case letter
// is "!" and its lower-case (golang.org/x/mod/module.EscapePath).
func modEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hashTree adds every file under root that a result can depend on to h, named by label and its
// path below root; go.mod files add the local directories they name to *more, go.sum files
// which of their modules the module cache has (modsPresent).
func hashTree(h io.Writer, sc *statCache, root, label string, vet bool, more *[]string,
	modCache string) error {
	sc.walked(root)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == ".git" || name == ".hg" || name == ".svn") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" &&
			!strings.HasPrefix(name, "go.work") && rel != filepath.Join("vendor", "modules.txt") &&
			!(vet && vetReads(name)) {
			return nil
		}
		var sum [32]byte
		if name == "go.mod" || name == "go.sum" { // read whole: what they name counts too
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if name == "go.mod" {
				*more = append(*more, localDirs(string(data), filepath.Dir(path))...)
			} else {
				modsPresent(h, modCache, data)
			}
			sum = sha256.Sum256(data)
		} else {
			info, err := d.Info()
			if err != nil {
				return err
			}
			if sum, err = sc.sum(path, info); err != nil {
				return err
			}
		}
		fmt.Fprintf(h, "file\x00%s\x00%s\x00%x\x00", label, rel, sum)
		return nil
	})
}

func runKey(req *Request) string {
	if req.CacheDir == "" {
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
		req.NarrowingGenerated, req.Vet && newVetRun != nil, req.Targets})
	fmt.Fprintf(h, "crossvet-run-key-2\x00%s\x00", body)
	var env []string
	for _, kv := range os.Environ() {
		if (strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_")) &&
			!strings.HasPrefix(kv, "GOCACHE=") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "env\x00%s\x00", strings.Join(env, "\x00"))
	var outside []string
	sc := openStatCache(req.CacheDir)
	defer sc.save()
	if err := hashTree(h, sc, req.ModuleDir, "", req.Vet || anyCgoCC(req), &outside,
		req.ModCache); err != nil {
		return ""
	}
	if work := goWork(req.ModuleDir); work != "" {
		for _, name := range []string{work, work + ".sum"} {
			data, err := os.ReadFile(name)
			if err != nil && !(os.IsNotExist(err) && name != work) {
				return ""
			}
			fmt.Fprintf(h, "work\x00%s\x00%x\x00", name, sha256.Sum256(data))
			if name != work {
				modsPresent(h, req.ModCache, data)
			}
			if name == work {
				outside = append(outside, localDirs(string(data), filepath.Dir(work))...)
			}
		}
	}
	// Each directory outside once (a go.mod found there may name more), in a stable order.
	seen := map[string]bool{}
	for len(outside) > 0 {
		sort.Strings(outside)
		dir := outside[0]
		outside = outside[1:]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		if err := hashTree(h, sc, dir, dir, req.Vet || anyCgoCC(req), &outside,
			req.ModCache); err != nil {
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// findUp is the path of the nearest file called name in dir or above it, or "".
func findUp(dir, name string) string {
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
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
		targets[i].Seconds, targets[i].VetSeconds = 0, 0
	}
	return targets, true
}

func storeRun(req *Request, key string, targets []TargetResult) {
	for _, t := range targets {
		if t.Error != "" {
			return // an infrastructure failure is not a result worth keeping
		}
	}
	writeJSON(runCachePath(req, key), targets)
}

// writeJSON writes v as JSON to path whole or not at all (a temporary file renamed over it),
// making its directory; a failure only costs the cache entry.
func writeJSON(path string, v any) {
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	tmp := path + "." + strconv.Itoa(os.Getpid())
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, path)
	}
}
