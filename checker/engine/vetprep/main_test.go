package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The engine keys a package's assembly analysis by GOOS class (linux, darwin, other) only
// where the vendored x/tools reads build.Default for GOARCH, ReleaseTags and GOOS compared
// with "linux" or "darwin" (framepointer), as Go 1.22 to 1.27 do.
func TestGOOSClassesOnlyWhereAnalyzersCompareWithLinuxAndDarwin(t *testing.T) {
	framepointer := "package framepointer\n\nimport \"go/build\"\n\nfunc run() {\n" +
		"\tif build.Default.GOARCH != \"amd64\" {\n\t\treturn\n\t}\n" +
		"\tif build.Default.GOOS != \"linux\" && build.Default.GOOS != \"darwin\" {\n\t\treturn\n\t}\n}\n"
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"linux and darwin", framepointer, true},
		{"windows", "package p\n\nimport \"go/build\"\n\n" +
			"var w = build.Default.GOOS == \"windows\"\n", false},
		{"the GOOS itself", "package p\n\nimport \"go/build\"\n\n" +
			"var goos = build.Default.GOOS\n", false},
		{"the whole context", "package p\n\nimport \"go/build\"\n\n" +
			"var ctx = &build.Default\n", false},
		{"release tags", "package p\n\nimport \"go/build\"\n\n" +
			"var tags = build.Default.ReleaseTags\n", true},
	} {
		vendor := t.TempDir()
		dir := filepath.Join(vendor, "golang.org", "x", "tools", "go", "analysis", "passes", "p")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(framepointer), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "q.go"), []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := goosClasses(vendor); err != nil || got != c.want {
			t.Errorf("%s: got %v (%v), want %v", c.name, got, err, c.want)
		}
	}
}

// The engine gets the default GODEBUG of the release's vet binary as //go:debug lines, which a
// main package's files may carry (and its tests' binary then has too).
func TestGodebugFileHasVetsDefaults(t *testing.T) {
	src := godebugFile("/go", "asynctimerchan=1,gotypesalias=0")
	for _, want := range []string{"//go:build crossvet_vet\n",
		"//go:debug asynctimerchan=1\n//go:debug gotypesalias=0\n\npackage main\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("godebugFile:\n%s\nwant it to have %q", src, want)
		}
	}
	if src := godebugFile("/go", ""); src != "" {
		t.Errorf("no settings: %q, want no file", src)
	}
}
