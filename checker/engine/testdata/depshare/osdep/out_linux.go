// Package osdep is a dependency whose files are the port's: Out formats like fmt.Printf on
// linux only.
package osdep

import "fmt"

// Out formats like fmt.Printf.
func Out(format string, args ...any) {
	fmt.Printf(format, args...)
}
