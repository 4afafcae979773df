//go:build !windows

package pct

// Done is printed: "% d" is no formatting directive (vet's printf leaves out the space flag).
const Done = "50% done"
