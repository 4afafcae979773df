package narrowcases

import "math"

// Same width on every target: never reported.
func SameWidth(p uintptr, u uint, i int) (int, int, uintptr, uint) {
	return int(p), int(u), uintptr(u), uint(i)
}

// if x > math.MaxInt32 { return }
func GuardReturn(n int64) int {
	if n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

// if x < 0 || x > max { panic }
func GuardPanic(n int64, max int64) uint {
	if max > math.MaxUint32 {
		panic("max")
	}
	if n < 0 || n > max {
		panic("range")
	}
	return uint(n)
}

// x <= math.MaxInt32 && ... in the condition.
func GuardAnd(n int64) bool {
	return n >= 0 && n <= math.MaxInt32 && int(n) > 3
}

// Inside the guarded branch.
func GuardIf(n int64) int {
	if n < math.MaxInt32 {
		return int(n)
	}
	return -1
}

// A clamp by assignment.
func ClampAssign(n int64) int {
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return int(n)
}

// Compared with a length, itself at most MaxInt32 where int is 32 bits wide.
func AgainstLen(b []byte, off int64) byte {
	if off >= int64(len(b)) {
		return 0
	}
	return b[int(off)]
}

// min/max clamps.
func Clamp(n uint64) (uint, int) {
	return uint(min(n, math.MaxUint32)), int(min(n, 1<<20))
}

// Masks and right shifts that leave at most 31 bits.
func Bits(x uint64, y int64) (int, int, int) {
	return int(x & 0x7fffffff), int(x >> 33), int(y >> 32)
}

// len and cap results, and values of smaller types widened on the way.
func Derived(b []byte, small uint16, h uint32) (int, int, int) {
	n := int64(len(b))
	w := uint64(small) * 4
	return int(n), int(w), int(uint64(h) % 1000)
}

// A tagless switch case is a guard.
func Switch(n int64) int {
	switch {
	case n < 0:
		return 0
	case n <= math.MaxInt32:
		return int(n)
	}
	return -1
}

// Constants are the compiler's business.
func Constant() int {
	return int(int64(1 << 20))
}

// 32 on 32-bit targets, 64 on 64-bit ones.
const wordSize = 32 << (^uint(0) >> 32 & 1)

// A guard whose other half is a constant true where int is 32 bits wide.
func WordGuard(v uint64) (int, error) {
	if wordSize == 32 && v > math.MaxInt32 {
		return 0, errTooLarge
	}
	return int(v), nil
}

var errTooLarge = errorString("too large")

type errorString string

func (e errorString) Error() string { return string(e) }

// Branches that are dead code where uint is 32 bits wide.
func DeadBranches(v uint64) uint {
	switch wordSize {
	case 64:
		return uint(v)
	}
	if wordSize == 64 {
		return uint(v)
	} else {
		return uint(v & math.MaxUint32)
	}
}

// A guard nested in a branch that is the only live one where int is 32 bits wide.
func NestedWordGuard(n uint64) int {
	if wordSize == 32 {
		if n > math.MaxInt32 {
			return -1
		}
	} else if n > math.MaxInt64 {
		return -1
	}
	return int(n)
}

// The test for loss itself (encoding/asn1's idiom), and the conversions it guards.
func RoundTrip(v int64) (int, error) {
	if v != int64(int(v)) {
		return 0, errTooLarge
	}
	return int(v), nil
}

func RoundTripEqual(v uint64, o Offset) (uint, int) {
	if uint64(uint(v)) == v && o == Offset(int(o)) {
		return uint(v), int(o)
	}
	return 0, 0
}

// A 64-bit value split into its low and high words for a 32-bit call (x/sys, syscall), in
// either order, in a result list or in an array.
func Split(off int64, call func(...uintptr)) (uintptr, uintptr) {
	call(uintptr(off), uintptr(off>>32))
	call(0, uintptr(off>>32), uintptr(off))
	words := [2]uintptr{uintptr(uint64(off)), uintptr(uint64(off) >> 32)}
	call(words[:]...)
	return uintptr(off), uintptr(off >> 32)
}
