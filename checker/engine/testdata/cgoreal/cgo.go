//go:build cgo

package cgoreal

/*
#cgo CFLAGS: -DWIDTH=2
#include "twice.h"
*/
import "C"

// Big overflows where C's long is 32 bits (windows, 32-bit ports), not elsewhere.
func Big() C.long { return C.long(1 << 40) }

// Over overflows C's int everywhere.
func Over() C.int { return C.int(1<<31-1) + 1 }

func Twice(x int) int { return int(C.twice(C.long(x))) }

// Size narrows on 32-bit targets, as in any Go file.
func Size(n int64) int { return int(n) }
