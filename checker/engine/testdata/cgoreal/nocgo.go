//go:build !cgo

package cgoreal

func Twice(x int) int { return 2 * x }
