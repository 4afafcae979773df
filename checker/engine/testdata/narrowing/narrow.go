// Package narrowing converts an int64 to int, which loses bits where int is 32 bits wide.
package narrowing

// Buffer allocates size bytes.
func Buffer(size int64) []byte {
	return make([]byte, int(size))
}

// Widen fits everywhere: not reported.
func Widen(n int32) int {
	return int(n)
}

// Small narrows on every target alike: not reported.
func Small(n int64) int16 {
	return int16(n)
}
