// Function bodies blanked before a declarations-only parse of the standard library.

package main

import "bytes"

// blankBodies is src with the inside of each function declaration's body made spaces, its
// newlines kept: every position outside the bodies is the same, and the parse that follows
// (fileCache.refs, a declarations-only fileCache.parseFile) gets the empty body stripBodies
// leaves, without building what it drops. Scanning a body for its end costs a fraction of
// parsing it, and most of the standard library's bytes are function bodies. It returns src
// itself where it cannot be sure: a //line directive (it moves the positions after it), a
// literal or comment left open, brackets that do not balance. Function literals are left as
// they are (a package-level var's initializer keeps them, as stripBodies does).
func blankBodies(src []byte) []byte {
	if bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line ")) {
		return src
	}
	l := bodyLexer{src: src}
	var out []byte
	for {
		start, ok := l.nextBody()
		if !ok {
			return src
		}
		if start < 0 {
			break
		}
		end, ok := l.bodyEnd(start)
		if !ok {
			return src
		}
		if end > start+1 {
			if out == nil {
				out = bytes.Clone(src)
			}
			for k := start + 1; k < end; k++ {
				if out[k] != '\n' {
					out[k] = ' '
				}
			}
		}
	}
	if out == nil {
		return src
	}
	return out
}

// The kinds of token bodyLexer tells apart: whether a newline after it ends a statement
// (Go's semicolon insertion), and the brackets.
const (
	tokNone  = iota // nothing yet
	tokSemi         // an explicit ;
	tokEnds         // a newline after it is a semicolon: a name, literal, ), ], }, ++, --
	tokOther        // any other
)

// bodyLexer finds the function declarations' bodies of a Go file, scanning its tokens only as
// far as brackets, literals, comments and semicolons go.
type bodyLexer struct {
	src     []byte
	i       int
	last    int  // the kind of the last token
	newline bool // a newline since the last token
}

// nextBody is the offset of the next function declaration's opening brace (-1: none); ok is
// false where the file is not as expected.
func (l *bodyLexer) nextBody() (start int, ok bool) {
	depth := 0         // brackets open outside a declaration's signature
	inFunc := false    // after a declaration's func, before its body or its end
	sig := 0           // brackets open within that signature
	typeBrace := false // the last token was struct or interface: a { opens a type
	for {
		word, bracket, ok := l.token()
		if !ok {
			return 0, false
		}
		if inFunc && sig == 0 && l.newline && l.last == tokEnds {
			inFunc = false // a declaration without a body (assembly)
		}
		switch {
		case bracket == 0 && word == nil: // the end of the file
			if depth != 0 || inFunc && sig != 0 {
				return 0, false
			}
			return -1, true
		case inFunc:
			switch bracket {
			case '{':
				if sig == 0 && !typeBrace {
					return l.i - 1, true
				}
				sig++
			case '(', '[':
				sig++
			case ')', ']', '}':
				if sig--; sig < 0 {
					return 0, false
				}
			case ';':
				if sig == 0 {
					inFunc = false
				}
			}
		default:
			switch bracket {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth--; depth < 0 {
					return 0, false
				}
			}
			if depth == 0 && string(word) == "func" && (l.last == tokNone ||
				l.last == tokSemi || l.last == tokEnds && l.newline) {
				inFunc, sig = true, 0
			}
		}
		typeBrace = string(word) == "struct" || string(word) == "interface"
		l.last, l.newline = kindOf(word, bracket), false
	}
}

// kindOf is a token's kind (bodyLexer.last) given what bodyLexer.token returned for it.
func kindOf(word []byte, bracket byte) int {
	switch bracket {
	case ';':
		return tokSemi
	case ')', ']', '}', '"', '+':
		return tokEnds
	case '.':
		return tokOther
	}
	return tokEnds // a word
}

// token scans the next token: a name or number (word), or a bracket, ';', '"' (a literal),
// '+' (++ or --) or '.' (another operator). At the end of the file both are zero. ok is
// false on a literal or comment left open.
func (l *bodyLexer) token() (word []byte, bracket byte, ok bool) {
	src, n := l.src, len(l.src)
	for l.i < n {
		c := src[l.i]
		switch {
		case c == '\n':
			l.newline = true
			l.i++
		case c == ' ' || c == '\t' || c == '\r':
			l.i++
		case isComment(src, l.i):
			end, newline, ok := skipComment(src, l.i)
			if !ok {
				return nil, 0, false
			}
			l.i, l.newline = end, l.newline || newline // a comment with a newline is one
		case c == '"' || c == '\'' || c == '`':
			end, ok := skipLiteral(src, l.i)
			if !ok {
				return nil, 0, false
			}
			l.i = end
			return nil, '"', true
		case isWordByte(c):
			j := l.i + 1
			for j < n && (isWordByte(src[j]) || src[j] == '.' && isDigit(c)) {
				j++
			}
			word, l.i = src[l.i:j], j
			return word, 0, true
		case c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == ';':
			l.i++
			return nil, c, true
		case (c == '+' || c == '-') && l.i+1 < n && src[l.i+1] == c:
			l.i += 2
			return nil, '+', true
		default:
			l.i++
			return nil, '.', true
		}
	}
	return nil, 0, true
}

// bodyEnd is the offset of the brace that closes the one at start: only braces, literals and
// comments matter inside a body.
func (l *bodyLexer) bodyEnd(start int) (int, bool) {
	src, n, depth := l.src, len(l.src), 0
	for j := start; j < n; {
		switch src[j] {
		case '{':
			depth++
			j++
		case '}':
			if depth--; depth == 0 {
				l.i, l.last, l.newline = j+1, tokEnds, false
				return j, true
			}
			j++
		case '"', '\'', '`':
			end, ok := skipLiteral(src, j)
			if !ok {
				return 0, false
			}
			j = end
		case '/':
			if !isComment(src, j) {
				j++
				continue
			}
			end, _, ok := skipComment(src, j)
			if !ok {
				return 0, false
			}
			j = end
		default:
			// Nothing else matters here: jump to the next byte that may.
			k := bytes.IndexAny(src[j:], "{}\"'`/")
			if k < 0 {
				return 0, false
			}
			j += k
		}
	}
	return 0, false
}

// skipLiteral is the offset after the string, raw string or rune literal at src[i].
func skipLiteral(src []byte, i int) (int, bool) {
	quote := src[i]
	if quote == '`' {
		j := bytes.IndexByte(src[i+1:], '`')
		return i + j + 2, j >= 0
	}
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '\n':
			return 0, false
		case quote:
			return j + 1, true
		}
	}
	return 0, false
}

// isComment: a comment starts at src[i].
func isComment(src []byte, i int) bool {
	return src[i] == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*')
}

// skipComment is the offset after the comment at src[i] (a line comment ends before its
// newline) and whether it holds a newline; ok is false for a /* left open.
func skipComment(src []byte, i int) (end int, newline, ok bool) {
	if src[i+1] == '/' {
		if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
			return i + j, false, true
		}
		return len(src), false, true
	}
	j := bytes.Index(src[i+2:], []byte("*/"))
	if j < 0 {
		return 0, false, false
	}
	return i + j + 4, bytes.IndexByte(src[i+2:i+2+j], '\n') >= 0, true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
