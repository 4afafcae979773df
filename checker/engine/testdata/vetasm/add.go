//go:build 386 || amd64

// Package vetasm has assembly whose file names carry no GOARCH (add_x86_32.s, add_x86_64.s):
// vet's asmdecl takes their architecture from GOARCH, as framepointer does with GOOS.
package vetasm

// Add returns a+b (add_x86_32.s, add_x86_64.s).
func Add(a, b int) int

// Sub returns a-b; its 386 frame size is wrong: a finding on 386 only.
func Sub(a, b int) int

// Clobber writes BP before saving it: a framepointer finding on linux/amd64 only.
func Clobber()
