package usestest

import "testing"

func helper() int { return 21 }

func TestTwice(t *testing.T) {
	if Twice() != 42 {
		t.Fatal(Twice())
	}
}
