// Package app is the module being checked; lib comes from the workspace.
package app

import "example.com/lib"

// Twice narrows too: this one is reported.
func Twice(n int64) int {
	return lib.Size(n) + int(n)
}
