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

// Hook formats like fmt.Printf once Setup has run: a func literal assigned inside a function that
// is not itself a wrapper (its body must be checked for the fact).
var Hook func(format string, args ...any)

// Setup installs Hook.
func Setup() {
	Hook = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format, args...) }
}

// Stop never returns, on either branch.
func Stop(code int) {
	if code > 0 {
		panic("positive")
	} else {
		Die("not positive")
	}
}

// Check returns: its body holds no fact (the engine need not check it).
func Check(ok bool) error {
	if !ok {
		return fmt.Errorf("not ok")
	}
	return nil
}
