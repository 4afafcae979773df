package brokentest

import "testing"

func TestBuffer(t *testing.T) {
	var n int = "three"
	_ = Buffer(n)
}
