// Conversions the narrowing rule reports: a comment "// want LEVEL" marks each line with a
// finding, at level default (and so at all) or only at level all (narrow_test.go reads them).
package narrowcases

import (
	"math"

	"example.com/narrowcases/outside"
)

// Unguarded conversions from 64-bit types.
func Unguarded(size int64, n uint64, addr int64) (int, uint, uintptr) {
	a := int(size)     // want default
	b := uint(n)       // want default
	c := uintptr(addr) // want default
	return a, b, c
}

// Only the packages asked for are reported (outside is, with ./...).
var _ = outside.Size

// Sign loss only (uint32 -> int): level all.
func SignOnly(h uint32) int {
	return int(h) // want all
}

// A guard against the wrong bound proves nothing.
func WrongBound(n int64) int {
	if n > math.MaxInt64-1 {
		return 0
	}
	return int(n) // want default
}

// The guard does not dominate: it returns nothing, only logs.
func NotDominating(n int64, log func(string)) int {
	if n > math.MaxInt32 {
		log("big")
	}
	return int(n) // want default
}

// The value was assigned again after the guard.
func Reassigned(n, m int64) int {
	if n > math.MaxInt32 {
		return 0
	}
	n = m
	return int(n) // want default
}

// A guard before a loop that changes the value does not hold inside it.
func Loop(n int64) (out []int) {
	if n > math.MaxInt32 {
		return nil
	}
	for i := 0; i < 3; i++ {
		out = append(out, int(n)) // want default
		n *= 1 << 20
	}
	return out
}

// The || guard's false side is only known after the whole condition.
func OrGuard(n int64) bool {
	return n < 0 || int(n) > 0 // want default
}

// Masks and shifts that leave 32 bits (only the sign bit is lost: level all) or more.
func WideMask(x uint64) (int, int) {
	a := int(x & 0xffffffff) // want all
	b := int(x >> 16)        // want default
	return a, b
}

// 32 bits left: only the sign bit can be lost, as with uint32 -> int.
func High(x uint64) int {
	return int(x >> 32) // want all
}

// A constant condition true on 64-bit targets says nothing where it is false.
func Only64(v uint64) int {
	if wordSize == 64 && v > math.MaxInt32 {
		return 0
	}
	return int(v) // want default
}

// A named type defined on int64 counts as int64.
type Offset int64

func Named(o Offset) int {
	return int(o) // want default
}

// A round trip of another value, or the conversion of a call's result, proves nothing.
func NotRoundTrip(v, w int64, next func() int64) int {
	if v != int64(int(w)) { // want default
		return 0
	}
	if next() != int64(int(next())) { // want default
		return 0
	}
	return int(w) // want default
}

// The low word alone, beside another value's high word, or beside a shift that is not a word.
func NotSplit(off, other int64, call func(...uintptr)) {
	call(uintptr(off)) // want default
	call(uintptr(off), // want default
		uintptr(other>>32))
	call(uintptr(off), // want default
		uintptr(off>>16)) // want default
}
