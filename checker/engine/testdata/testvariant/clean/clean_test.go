package clean

import "testing"

func helper() int64 { return 3 }

func TestBuffer(t *testing.T) {
	if len(Buffer(helper())) != 3 {
		t.Fatal("short")
	}
}
