package external_test

import (
	"fmt"
	"testing"

	"example.com/testvariant/external"
)

func TestQuad(t *testing.T) {
	if external.Quad(1) != 2*external.Double(1) {
		t.Fatal("not four")
	}
	fmt.Printf("%d\n", "four")
}
