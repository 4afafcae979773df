package unexported_test

import (
	"testing"

	"example.com/testvariant/unexported"
)

func TestTwoIsHelperPlusOne(t *testing.T) {
	if unexported.Two() != 1+unexported.helper() {
		t.Fatal("not two")
	}
}
