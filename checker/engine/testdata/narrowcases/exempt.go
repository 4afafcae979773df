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
