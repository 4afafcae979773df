// Package layoutoff takes the offset of a field that follows a layout.Rec: 16 outside
// windows, 32 on windows, where the array length is negative.
package layoutoff

import (
	"unsafe"

	"example.com/apishare/layout"
)

type pair struct {
	a layout.Rec
	b int
}

var p pair

var _ [24 - unsafe.Offsetof(p.b)]int
