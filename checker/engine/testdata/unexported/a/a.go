// Package a names b's unexported declarations (it does not compile): the errors read as the
// compiler's.
package a

import (
	"os"

	"example.com/unexported/b"
)

func F() {
	b.helper(nil)
	var _ b.inner
	_ = b.hidden
	_ = b.high
	b.T{}.private(os.Stdout)
}
