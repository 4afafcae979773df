// Package brokentest builds; its test file does not.
package brokentest

// Buffer allocates size bytes.
func Buffer(size int64) []byte { return make([]byte, int(size)) }
