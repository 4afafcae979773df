// Package goosarg passes runtime.GOOS, which differs on every target, as it is to a string
// parameter: the callee gets a string whatever it holds, so one check answers linux, darwin
// and windows.
package goosarg

import (
	"runtime"
	"strings"
)

// Upper is the GOOS in capitals.
func Upper() string {
	return strings.ToUpper(runtime.GOOS)
}
