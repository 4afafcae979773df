// The header of a file the build ignores: all that vet's buildtag and directive analyzers can
// report in, for most such files.

package main

import (
	"bytes"
	"go/scanner"
	"go/token"
	"unicode"
	"unicode/utf8"
)

// buildtag and directive parse every .go file the build ignores (x/sys/unix ignores hundreds of
// large generated files per target) but report only in comments: //go:build and +build lines
// anywhere in the file, //go:debug lines, and //go: directives followed by an unusual space.
// headerOnly returns a Go file's bytes up to the end of its package clause, when nothing after
// it is one of those (the analyzers then see the same comments before the package clause, at
// the same positions, and nothing they could report after it); ok is false when the whole
// file must be read.
func headerOnly(data []byte) (head []byte, ok bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(data))
	var s scanner.Scanner
	bad := false
	s.Init(file, data, func(token.Position, string) { bad = true }, scanner.ScanComments)
	tok := token.COMMENT
	for tok == token.COMMENT {
		_, tok, _ = s.Scan()
	}
	if tok != token.PACKAGE {
		return nil, false
	}
	pos, tok, lit := s.Scan()
	if tok != token.IDENT || bad {
		return nil, false
	}
	end := file.Offset(pos) + len(lit)
	if reportable(data[end:]) {
		return nil, false
	}
	head = append(append([]byte{}, data[:end]...), '\n')
	return head, true
}

// reportable: text may hold something buildtag or directive reports (conservatively: the
// words they look for anywhere, not only in comments).
func reportable(text []byte) bool {
	for _, word := range []string{"+build", "go:build", "go:debug"} {
		if bytes.Contains(text, []byte(word)) {
			return true
		}
	}
	for {
		i := bytes.Index(text, []byte("//go:"))
		if i < 0 {
			return false
		}
		text = text[i+len("//go:"):]
		// directive reports a directive's verb followed by a space other than ' ' or '\t'.
		for j := 0; j < len(text); {
			r, size := utf8.DecodeRune(text[j:])
			if unicode.IsSpace(r) {
				if r != ' ' && r != '\t' && r != '\n' {
					return true
				}
				break
			}
			j += size
		}
	}
}
