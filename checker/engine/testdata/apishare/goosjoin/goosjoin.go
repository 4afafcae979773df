// Package goosjoin passes runtime.GOOS and GOARCH, which differ on every target, on as values:
// concatenated into a slice's elements and a variadic ...string argument, into a string that
// is not constant, and os's open flags (typed ints, whose values differ) or-ed into OpenFile's
// parameter. Nothing reads what they hold, so one check answers linux, darwin and windows.
package goosjoin

import (
	"os"
	"path/filepath"
	"runtime"
)

// Args are a compiler's defines for the target, and its directories under dir.
func Args(dir string) []string {
	return []string{"-D", "GOOS_" + runtime.GOOS, filepath.Join(dir, runtime.GOOS+"_"+runtime.GOARCH),
		dir + "/" + runtime.GOOS}
}

// Append opens name to append to it.
func Append(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
}
