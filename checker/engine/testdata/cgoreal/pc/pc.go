// Package pc needs a C library pkg-config does not know: not checkable with cgo.
package pc

// #cgo pkg-config: crossvet-no-such-library
import "C"

func Size() C.long { return C.long(1 << 40) }
