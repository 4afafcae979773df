package shadow

import "testing"

func len(string) int8 { return 1 }

func TestX(t *testing.T) {
	if X != 100 {
		t.Fatal(X)
	}
}
