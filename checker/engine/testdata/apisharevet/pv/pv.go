// Package pv declares Box, which holds a slice of item in an unexported field; item is an int
// outside windows and a string on windows. The type-checker cannot see that difference from
// another package, but vet's printf can: it checks every field of a value it formats.
package pv

// Box holds items.
type Box struct{ items []item }
