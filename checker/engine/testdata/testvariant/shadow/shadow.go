// Package shadow's len is the builtin, unless its test file declares one: alone, 800 does
// not fit an int8; with the test file, len is a function returning an int8.
package shadow

// X is len's result times a hundred.
var X int8 = len("abcdefgh") * 100
