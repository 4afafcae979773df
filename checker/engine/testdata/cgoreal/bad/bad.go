// Package bad calls a C function its preamble does not declare: cgo's error.
package bad

// static int one(void) { return 1; }
import "C"

func Two() int { return int(C.one()) + int(C.two()) }
