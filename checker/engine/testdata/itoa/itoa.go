// Package itoa imports what the overflow fixture imports (strconv): a second module that
// shares its standard-library dependencies with it.
package itoa

import "strconv"

// Decimal spells n in base 10.
func Decimal(n int) string {
	return strconv.Itoa(n)
}
