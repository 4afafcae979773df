// Package goosfmt passes runtime.GOOS where a value is read: as a printf format (vet reads its
// directives) and as a time layout (vet's timeformat reads it). Each target is checked.
package goosfmt

import (
	"fmt"
	"runtime"
	"time"
)

// Name is the GOOS as a format.
func Name() string {
	return fmt.Sprintf(runtime.GOOS)
}

// Stamp is a time in the GOOS as a layout.
func Stamp(t time.Time) string {
	return t.Format(runtime.GOARCH)
}
