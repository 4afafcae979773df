// Package layoutuser compares layout.Rec values: it cannot observe their size (it does not
// import unsafe), and they are comparable everywhere, so one check answers every target.
package layoutuser

import "example.com/apishare/layout"

// Same reports whether a and b are equal.
func Same(a, b layout.Rec) bool { return a == b }
