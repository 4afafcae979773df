// Package a is portable Go: the same on every port.
package a

// Add adds.
func Add(x, y int) int { return x + y }
