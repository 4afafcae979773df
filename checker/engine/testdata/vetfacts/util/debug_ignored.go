//go:build ignore

//go:debug panicnil=1

// A file the build ignores whose only finding is in its header (directive: //go:debug outside
// package main); the engine reads only the header (vetheader.go), and must report it here.
package util

func unused() {}
