package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"math/big"
)

// narrowings finds integer conversions T(x), x not constant, that keep every value when int,
// uint and uintptr are 64 bits wide but lose bits with this entry's sizes (32-bit word).
// Conversions that lose bits on 64-bit targets too are not reported: they are not a
// portability problem, and other tools (gosec G115) cover them.
func narrowings(fset *token.FileSet, files []*ast.File, info *types.Info, e *entry) []Diag {
	var out []Diag
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 || call.Ellipsis.IsValid() {
				return true
			}
			fun, ok := info.Types[call.Fun]
			if !ok || !fun.IsType() {
				return true
			}
			arg, ok := info.Types[call.Args[0]]
			if !ok || arg.Value != nil || arg.Type == nil {
				return true
			}
			to, from := intKind(fun.Type), intKind(arg.Type)
			if to == nil || from == nil {
				return true
			}
			if !fits(from, to, 8) || fits(from, to, e.word) {
				return true
			}
			pos := fset.Position(call.Pos())
			expr := types.ExprString(call)
			fromS, toS := types.TypeString(arg.Type, types.RelativeTo(e.pkg)),
				types.TypeString(fun.Type, types.RelativeTo(e.pkg))
			out = append(out, Diag{File: pos.Filename, Line: pos.Line, Col: pos.Column,
				Package: e.path, Kind: "narrowing", Expr: expr, From: fromS, To: toS,
				Message: narrowMessage(expr, fromS, toS, to)})
			return true
		})
	}
	return out
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

// fits reports whether every value of from is a value of to, for the given word size.
func fits(from, to *types.Basic, word int64) bool {
	flo, fhi := bounds(from, word)
	tlo, thi := bounds(to, word)
	return flo.Cmp(tlo) >= 0 && fhi.Cmp(thi) <= 0
}

// narrowMessage is target-independent, so that one finding lists every target it affects.
func narrowMessage(expr, fromS, toS string, to *types.Basic) string {
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
