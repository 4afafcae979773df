package main

import "testing"

func TestHeaderOnly(t *testing.T) {
	for _, c := range []struct {
		name, src, head string // head "": the whole file must be read
	}{
		{"header", "//go:build ignore\n\n// Package p.\npackage p // import \"m/p\"\n\nfunc f() {}\n",
			"//go:build ignore\n\n// Package p.\npackage p\n"},
		{"directives after", "package p\n\n//go:noinline\nfunc f() {}\n//go:linkname g\tx.g\n",
			"package p\n"},
		{"no comments", "package p; func f() {}", "package p\n"},
		{"go:build after", "package p\n\n//go:build linux\n", ""},
		{"+build after", "package p\n\n// +build linux\n", ""},
		{"go:debug after", "package p\n\n//go:debug x=1\n", ""},
		{"word in a string", "package p\n\nvar s = \"go:build\"\n", ""},
		{"odd space after a directive", "package p\n\n//go:noinline\u00a0x\nfunc f() {}\n", ""},
		{"carriage return", "package p\r\n\r\n//go:noinline\r\nfunc f() {}\r\n", ""},
		{"no package clause", "// just a comment\n", ""},
		{"not Go", "#include <stdio.h>\n", ""},
		{"bad token before package", "\x00package p\n", ""},
	} {
		head, ok := headerOnly([]byte(c.src))
		if ok != (c.head != "") || string(head) != c.head {
			t.Errorf("%s: got %q, %v; want %q", c.name, head, ok, c.head)
		}
	}
}
