// Package goossize uses runtime.GOOS's value: an array length that is negative on windows
// only. Each target is checked.
package goossize

import "runtime"

var _ [6 - len(runtime.GOOS)/7*7]int
