// Package b has unexported declarations no exported one reaches: a's types entry of b keeps
// only stubs of them.
package b

import "os"

type T struct{}

func (T) private(f *os.File) {}

func helper(f *os.File) {}

type inner struct{ f *os.File }

var hidden = os.Getenv("X")

const (
	low = iota
	high
)
