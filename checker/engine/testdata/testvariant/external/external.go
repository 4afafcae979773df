// Package external's tests are in-package (export_test.go) and external (package
// external_test, which imports the test variant): the test variant's types serve the
// external test.
package external

func double(n int) int { return 2 * n }

// Quad is four times n.
func Quad(n int) int { return double(double(n)) }
