// Package overflow has a constant that fits a 64-bit int but not a 32-bit one.
package overflow

import "strconv"

const maxSize = 5 << 30 // 5 GiB

// Limit is the largest upload, in bytes.
func Limit() int {
	return maxSize
}

// Describe says what the limit is.
func Describe() string {
	return "at most " + strconv.Itoa(maxSize) + " bytes"
}
