//go:build !windows

// Package plat declares Size differently per target.
package plat

// Size is 32 bits outside windows.
func Size() int32 { return 4 }
