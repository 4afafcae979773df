// Package layoutsize observes layout.Rec's size through unsafe: an array length that is
// negative on windows only.
package layoutsize

import (
	"unsafe"

	"example.com/apishare/layout"
)

var _ [16 - unsafe.Sizeof(layout.Rec{})]int
