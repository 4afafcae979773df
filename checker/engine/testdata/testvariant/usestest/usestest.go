// Package usestest calls a function only its test file declares: go build fails, go test
// does not.
package usestest

// Twice doubles what helper gives.
func Twice() int { return 2 * helper() }
