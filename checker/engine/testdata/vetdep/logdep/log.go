// Package logdep is a dependency module (a replace to a local directory): go vet learns from it,
// as facts, a printf wrapper and a function that never returns.
package logdep

import (
	"fmt"
	"os"
)

// Logf formats like fmt.Printf.
func Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
}

// Die never returns.
func Die(msg string) {
	panic(msg)
}
