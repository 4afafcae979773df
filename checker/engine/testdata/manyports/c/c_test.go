package c

import (
	"runtime"
	"testing"
)

func TestRun(t *testing.T) {
	if err := Run("true"); err != nil {
		t.Skipf("no true on %s: %v", runtime.GOOS, err)
	}
}
