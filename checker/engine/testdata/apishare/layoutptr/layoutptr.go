// Package layoutptr imports unsafe but never sizes layout.Rec: it converts a pointer to one
// and compares values, which is the same on every target, so windows shares linux's check.
package layoutptr

import (
	"unsafe"

	"example.com/apishare/layout"
)

// Ptr is r as an unsafe.Pointer.
func Ptr(r *layout.Rec) unsafe.Pointer { return unsafe.Pointer(r) }

// Same reports whether a and b are equal.
func Same(a, b layout.Rec) bool { return a == b }
