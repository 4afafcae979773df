package brokentest_test

import (
	"testing"

	"example.com/testvariant/brokentest"
)

func TestX(t *testing.T) { _ = brokentest.Buffer(1) }
