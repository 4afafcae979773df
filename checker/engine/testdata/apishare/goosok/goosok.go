// Package goosok compares runtime.GOOS, which differs on every target, only with constants:
// only its type matters there, so one check answers linux, darwin and windows.
package goosok

import "runtime"

// Slash is the path separator.
func Slash() byte {
	if runtime.GOOS == "windows" || runtime.GOOS != "plan9" && false {
		return '\\'
	}
	switch runtime.GOOS {
	case "linux", "darwin":
		return '/'
	}
	return '/'
}
