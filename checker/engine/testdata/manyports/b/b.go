// Package b uses what differs between ports only where no check can tell.
package b

import (
	"fmt"
	"os"
	"runtime"

	"example.com/manyports/a"
)

// Describe formats the port's name (printed constants).
func Describe() string {
	return fmt.Sprintf("%s/%s: %d", runtime.GOOS, runtime.GOARCH, a.Add(1, 2))
}

// Platform returns the port's name (a constant returned as it is).
func Platform() string { return runtime.GOOS }

// Home reads the environment.
func Home() string { return os.Getenv("HOME") }

// Windows compares the port's name.
func Windows() bool { return runtime.GOOS == "windows" }
