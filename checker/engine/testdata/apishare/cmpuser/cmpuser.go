// Package cmpuser compares layout.Cmp values, which are not comparable on windows.
package cmpuser

import "example.com/apishare/layout"

// Eq reports whether a and b are equal.
func Eq(a, b layout.Cmp) bool { return a == b }
