// Package narrow is the 32-bit narrowing rule: integer conversions that keep their value on
// 64-bit targets but lose it where int, uint and uintptr are 32 bits wide, unless the value is
// known to be in range (ranges.go), the truncation is deliberate, or the file is generated.
//
// It reads one type-checked package (its files, types.Info and types.Package) and the size of
// int on the target; the engine runs it on every main-module package it checks in full for a
// 32-bit target (docs/typecheck.md, "Narrowing conversions on 32-bit targets").
package narrow

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math/big"
)

// Config is what a run asks of the rule.
type Config struct {
	On        bool // run it at all
	All       bool // level "all": also conversions that can only lose the sign bit (uint32 -> int)
	Generated bool // also in generated files (// Code generated ... DO NOT EDIT.)
}

// CacheSalt distinguishes cached findings checked under different settings ("" when off).
func (c Config) CacheSalt() string {
	if !c.On {
		return ""
	}
	return fmt.Sprintf("\x00narrowing:%t:%t", c.All, c.Generated)
}

// Finding is one conversion reported: where it is, its text, its operand's and result's types
// (relative to the package) and a message that does not depend on the target, so that one
// finding lists every target it affects.
type Finding struct {
	Pos      token.Position
	Expr     string
	From, To string
	Message  string
}

// Find finds integer conversions T(x), x not constant, in pkg's files that keep a value intact
// when int, uint and uintptr are 64 bits wide but lose it when int is word bytes wide; see
// reportedShape. Values lost on 64-bit targets too are not reported: that is not a portability
// problem, and other tools (gosec G115) cover it. Nor are conversions whose operand is known
// to fit (ranges.go), nor, unless asked, those in generated files.
func Find(fset *token.FileSet, files []*ast.File, info *types.Info, pkg *types.Package,
	word int64, c Config) []Finding {
	var out []Finding
	var meant map[*ast.CallExpr]bool // this file's deliberate truncations
	report := func(call *ast.CallExpr, env facts) {
		if len(call.Args) != 1 || call.Ellipsis.IsValid() || meant[call] {
			return
		}
		fun, ok := info.Types[call.Fun]
		if !ok || !fun.IsType() {
			return
		}
		arg, ok := info.Types[call.Args[0]]
		if !ok || arg.Value != nil || arg.Type == nil {
			return
		}
		to, from := intKind(fun.Type), intKind(arg.Type)
		if to == nil || from == nil || !reportedShape(from, to, c.All) {
			return
		}
		rg := &ranger{info: info, word: word}
		if r := rg.of(call.Args[0], env); r != nil {
			_, hi := bounds(to, 4)
			if !c.All && to.Kind() == types.Int {
				// At level default, a value known to fit 32 bits can only lose the sign
				// bit, like uint32 -> int (level all): `int(x >> 32)`.
				_, hi = bounds(types.Typ[types.Uint32], 4)
			}
			if r.hi.Cmp(hi) <= 0 {
				return // known to fit (from above: see docs/typecheck.md)
			}
		}
		pos := fset.Position(call.Pos())
		expr := types.ExprString(call)
		fromS, toS := types.TypeString(arg.Type, types.RelativeTo(pkg)),
			types.TypeString(fun.Type, types.RelativeTo(pkg))
		out = append(out, Finding{Pos: pos, Expr: expr, From: fromS, To: toS,
			Message: message(expr, fromS, toS, to)})
	}
	for _, f := range files {
		if !c.Generated && ast.IsGenerated(f) {
			continue
		}
		meant = deliberate(info, f)
		w := &walker{info: info, word: word, visit: report}
		w.file(f)
	}
	return out
}

// deliberate are the conversions in f that truncate on purpose, whatever the value:
//
//   - the inner conversion of a round trip compared with its operand, the test for loss
//     itself: `if v != int64(int(v)) { return errRange }` (encoding/asn1's idiom; what holds
//     after it is a range fact, ranges.go);
//   - the low word of a value split in two for a 32-bit call: `uintptr(off), uintptr(off>>32)`
//     among the same arguments (results, elements), as syscalls take 64-bit offsets there.
func deliberate(info *types.Info, f *ast.File) map[*ast.CallExpr]bool {
	out := map[*ast.CallExpr]bool{}
	// words marks each low-word conversion among a list of sibling expressions.
	words := func(list []ast.Expr) {
		high := map[string]bool{} // operands x of the conversions of x >> 32 in list
		for _, e := range list {
			if c := conversion(info, e); c != nil {
				if sh, ok := ast.Unparen(c.Args[0]).(*ast.BinaryExpr); ok && sh.Op == token.SHR &&
					constInt(info, sh.Y) == 32 && pure(info, sh.X) {
					high[types.ExprString(unconvert(info, sh.X))] = true
				}
			}
		}
		if len(high) == 0 {
			return
		}
		for _, e := range list {
			if c := conversion(info, e); c != nil && high[types.ExprString(unconvert(info, c.Args[0]))] {
				out[c] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				for _, s := range [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
					if inner := roundTrip(info, s[0], s[1]); inner != nil {
						out[inner] = true
					}
				}
			}
		case *ast.CallExpr:
			words(n.Args)
		case *ast.ReturnStmt:
			words(n.Results)
		case *ast.AssignStmt:
			words(n.Rhs)
		case *ast.CompositeLit:
			var elts []ast.Expr
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				elts = append(elts, e)
			}
			words(elts)
		}
		return true
	})
	return out
}

// roundTrip is T(x) when e is U(T(x)) and x is other (a round trip compared with x), else nil.
func roundTrip(info *types.Info, e, other ast.Expr) *ast.CallExpr {
	outer := conversion(info, e)
	if outer == nil {
		return nil
	}
	inner := conversion(info, outer.Args[0])
	if inner == nil || !pure(info, other) ||
		types.ExprString(ast.Unparen(inner.Args[0])) != types.ExprString(ast.Unparen(other)) {
		return nil
	}
	return inner
}

// conversion is e as a conversion T(x) to an integer type, else nil.
func conversion(info *types.Info, e ast.Expr) *ast.CallExpr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	if fun, ok := info.Types[call.Fun]; !ok || !fun.IsType() || intKind(fun.Type) == nil {
		return nil
	}
	return call
}

// unconvert is e without the integer conversions around it (uint64(off) is off).
func unconvert(info *types.Info, e ast.Expr) ast.Expr {
	for c := conversion(info, e); c != nil; c = conversion(info, e) {
		e = c.Args[0]
	}
	return ast.Unparen(e)
}

// pure: e reads values and converts them, and nothing else (no call, no receive): two
// occurrences of it are the same value.
func pure(info *types.Info, e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if fun, found := info.Types[n.Fun]; !found || !fun.IsType() {
				ok = false
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		case *ast.FuncLit:
			ok = false
		}
		return ok
	})
	return ok
}

// constInt is e's value when it is an integer constant, else -1.
func constInt(info *types.Info, e ast.Expr) int64 {
	tv, ok := info.Types[ast.Unparen(e)]
	if !ok || tv.Value == nil {
		return -1
	}
	if v, exact := constant.Int64Val(constant.ToInt(tv.Value)); exact {
		return v
	}
	return -1
}

// reportedShape: a conversion from `from` to `to` is reported at all (before looking at the
// value). Level default: only from 64-bit types (int64, uint64 and types defined on them);
// level all: also conversions that only lose the sign bit on 32-bit (uint32 -> int). Never
// between int, uint and uintptr, which are the same width as each other on every target.
func reportedShape(from, to *types.Basic, all bool) bool {
	if wordSized(from) && wordSized(to) {
		return false
	}
	if !narrowsOn32(from, to) {
		return false
	}
	return all || from.Kind() == types.Int64 || from.Kind() == types.Uint64
}

func wordSized(b *types.Basic) bool {
	switch b.Kind() {
	case types.Int, types.Uint, types.Uintptr:
		return true
	}
	return false
}

// intKind is the basic integer type underlying t, or nil (type parameters, non-integers).
func intKind(t types.Type) *types.Basic {
	if _, ok := t.(*types.TypeParam); ok {
		return nil
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsInteger == 0 || b.Info()&types.IsUntyped != 0 {
		return nil
	}
	return b
}

// bounds is the value range of an integer kind when int/uint/uintptr are word bytes wide.
func bounds(b *types.Basic, word int64) (lo, hi *big.Int) {
	bits, signed := 0, false
	switch b.Kind() {
	case types.Int8:
		bits, signed = 8, true
	case types.Int16:
		bits, signed = 16, true
	case types.Int32:
		bits, signed = 32, true
	case types.Int64:
		bits, signed = 64, true
	case types.Int:
		bits, signed = int(word*8), true
	case types.Uint8:
		bits = 8
	case types.Uint16:
		bits = 16
	case types.Uint32:
		bits = 32
	case types.Uint64:
		bits = 64
	case types.Uint, types.Uintptr:
		bits = int(word * 8)
	}
	one := big.NewInt(1)
	if signed {
		hi = new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits-1)), one)
		lo = new(big.Int).Neg(new(big.Int).Lsh(one, uint(bits-1)))
		return lo, hi
	}
	return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits)), one)
}

// narrowsOn32 reports whether some value of from survives the conversion when int, uint and
// uintptr are 64 bits wide but not when they are 32 bits wide. (A value survives when the
// destination type can represent it.) int64->int, uint32->int, uint64->uint, int64->uintptr
// and int64->uint do; int32->int, int64->int16 (same loss everywhere) and uint->uint64 do not.
func narrowsOn32(from, to *types.Basic) bool {
	slo, shi := bounds(from, 4) // the values from can hold on the 32-bit target
	dlo, dhi := bounds(to, 8)
	lo, hi := maxInt(slo, dlo), minInt(shi, dhi) // of those, the ones that survive on 64-bit
	if lo.Cmp(hi) > 0 {
		return false
	}
	tlo, thi := bounds(to, 4)
	return lo.Cmp(tlo) < 0 || hi.Cmp(thi) > 0
}

func maxInt(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

func minInt(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// message is target-independent, so that one finding lists every target it affects.
func message(expr, fromS, toS string, to *types.Basic) string {
	word, within := "int", "math.MinInt32..math.MaxInt32"
	switch to.Kind() {
	case types.Uint:
		word, within = "uint", "0..math.MaxUint32"
	case types.Uintptr:
		word, within = "uintptr", "0..math.MaxUint32"
	}
	return fmt.Sprintf("narrowing conversion %s: %s to %s loses bits where %s is 32 bits wide; "+
		"check that the value is within %s before converting, or keep it in %s",
		expr, fromS, toS, word, within, fromS)
}
