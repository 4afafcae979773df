//go:build !windows

package logx

import "fmt"

func logf(format string, args ...any) { fmt.Printf(format, args...) }
