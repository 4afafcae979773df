// Package wrap is a dependency whose files are the same on every port: its keys differ
// anyway (it imports os and osdep, whose keys are the port's). Its facts are the same where
// what it uses of them is (Errorf, on every port), and not where osdep.Out's fact differs
// (Logf: a printf wrapper on linux only).
package wrap

import (
	"fmt"
	"os"

	"example.com/osdep"
)

// Logf formats like fmt.Printf where osdep.Out does.
func Logf(format string, args ...any) {
	osdep.Out(format, args...)
}

// Errorf formats like fmt.Printf, to standard error.
func Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
}
