//go:build !386 && !amd64

package vetasm

func Add(a, b int) int { return a + b }

func Sub(a, b int) int { return a - b }

func Clobber() {}
