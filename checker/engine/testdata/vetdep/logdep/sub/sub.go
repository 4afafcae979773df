// Package sub wraps logdep's wrapper: its fact needs logdep's.
package sub

import "example.com/logdep"

// Warnf formats like fmt.Printf, through logdep.Logf.
func Warnf(format string, args ...any) {
	logdep.Logf(format, args...)
}

// Fail never returns, through logdep.Die.
func Fail() {
	logdep.Die("fail")
}
