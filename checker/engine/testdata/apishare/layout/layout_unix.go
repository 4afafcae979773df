//go:build !windows

package layout

type stamp int64

type cell int
