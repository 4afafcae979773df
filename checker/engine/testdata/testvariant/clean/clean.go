// Package clean narrows an int64 to int (a finding on 32-bit ports); its in-package test
// declares only what its test uses: its own result is its test variant's.
package clean

// Buffer allocates size bytes.
func Buffer(size int64) []byte { return make([]byte, int(size)) }
