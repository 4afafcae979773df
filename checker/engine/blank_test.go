package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// declShape is what a declarations-only parse gives of src: every node outside the stripped
// bodies, with its position, in order; and the syntax error, if any.
func declShape(t *testing.T, name string, src []byte) (string, error) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if f == nil {
		return "", err
	}
	stripBodies(f)
	var b strings.Builder
	ast.Inspect(f, func(n ast.Node) bool {
		if n != nil {
			fmt.Fprintf(&b, "%T %s %s\n", n, fset.Position(n.Pos()), fset.Position(n.End()))
		}
		return true
	})
	return b.String(), err
}

// Blanked bodies leave every declaration as it was, at the same positions, in every file of
// the standard library (its tests and testdata aside): the files it is used on.
func TestBlankBodiesKeepsTheStandardLibrarysDeclarations(t *testing.T) {
	src := filepath.Join(runtime.GOROOT(), "src")
	var files, blanked, total, spaces int
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || path == filepath.Join(src, "cmd")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		total += len(data)
		b := blankBodies(data)
		if &b[0] == &data[0] {
			return nil
		}
		blanked++
		spaces += bytes.Count(b, []byte{' '}) - bytes.Count(data, []byte{' '})
		want, werr := declShape(t, path, data)
		got, gerr := declShape(t, path, b)
		if got != want || (werr == nil) != (gerr == nil) {
			t.Errorf("%s: blanked, its declarations differ (errors %v, %v)", path, werr, gerr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d files blanked, %d of %d bytes", blanked, files, spaces, total)
	// Most files have a body, and bodies are a large part of the bytes (29 % of Go 1.22's, 34 %
	// of Go 1.27's: declarations, comments and tables in var initializers are the rest).
	if blanked < files*3/4 || spaces < total/4 {
		t.Errorf("%d of %d files blanked, %d of %d bytes", blanked, files, spaces, total)
	}
}

func TestBlankBodies(t *testing.T) {
	const sigs = "package p\n\nfunc f(x struct{ a int }) interface{ M() } { return nil }\n" +
		"func (r *T[K]) m() (a, b int) {\n\ta = 1 // }\n\treturn\n}\n" +
		"func g() chan struct{} { return nil }\nfunc asm(x int) int\n" +
		"func h[T interface{ ~int }](\n\tx T,\n) { _ = '}'; _ = \"{\"; _ = `}\n` }\n"
	for _, c := range []struct {
		name, src string
		bodies    []string // what is blanked (none: src is returned as it is)
	}{
		{"signatures", sigs, []string{"{ return nil }", "{\n\ta = 1 // }\n\treturn\n}",
			"{ return nil }", "{ _ = '}'; _ = \"{\"; _ = `}\n` }"}},
		{"function literals stay",
			"package p\n\nvar f = func() int { return 1 }\n\nvar g =\n\tfunc() {}\n\n" +
				"type F func()\n\nvar m = map[int]func(){1: func() { println() }}\n", nil},
		{"a //line directive", "package p\n\nfunc f() {\n//line x.go:1\n}\n", nil},
		{"a string left open", "package p\n\nfunc f() { _ = \"x\n}\n", nil},
		{"unbalanced", "package p\n\nfunc f() { {\n}\n", nil},
	} {
		want := c.src
		for _, body := range c.bodies {
			inner := body[1 : len(body)-1]
			blank := strings.Map(func(r rune) rune {
				if r == '\n' {
					return r
				}
				return ' '
			}, inner)
			want = strings.Replace(want, body, "{"+blank+"}", 1)
		}
		if got := string(blankBodies([]byte(c.src))); got != want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, want)
		}
	}
}
