// Package util defines a printf wrapper and a function that never returns: vet learns both
// as facts, which its importers' findings depend on.
package util

import (
	"fmt"
	"os"
)

// Logf formats like fmt.Printf.
func Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
}

// Name is a name.
const Name = "util"

// Die never returns.
func Die(msg string) {
	panic(msg)
}
