// Package layoutwrap sizes its own type, which holds layout.Rec values by value: 32 bytes
// outside windows, 64 on windows, where the array length is negative.
package layoutwrap

import (
	"unsafe"

	"example.com/apishare/layout"
)

type wrap struct{ r [2]layout.Rec }

var _ [40 - unsafe.Sizeof(wrap{})]int
