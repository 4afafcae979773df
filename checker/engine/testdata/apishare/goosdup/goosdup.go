// Package goosdup uses runtime.GOOS as a map literal's key, beside "windows": a duplicate key
// on windows only. Each target is checked.
package goosdup

import "runtime"

// Weight weighs the operating systems.
var Weight = map[string]int{runtime.GOOS: 1, "windows": 2}
