//go:build !windows

package pv

type item int
