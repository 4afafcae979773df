package main

import (
	"os"
	"path/filepath"
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
