// Package lib is a workspace module the checked module depends on: its narrowing conversion
// is not the checked module's finding.
package lib

// Size narrows an int64 on 32-bit targets.
func Size(n int64) int {
	return int(n)
}
