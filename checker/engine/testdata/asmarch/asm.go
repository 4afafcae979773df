// Package asmarch has assembly whose vet findings depend on the target, not on the machine
// the engine runs on: framepointer checks amd64 and arm64 assembly on linux and darwin only
// (as go vet runs it, with the target's GOOS and GOARCH), and asmdecl takes the architecture
// of a file whose name does not say it from the target.
package asmarch

// Clobber is in clobber_amd64.s and clobber_386.s.
func Clobber()

// Add is in add.s, for every target.
func Add(a, b int) int
