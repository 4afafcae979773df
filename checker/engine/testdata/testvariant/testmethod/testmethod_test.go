package testmethod

import "testing"

func (T) String() string { return "T" }

func TestString(t *testing.T) {
	if (T{}).String() != "T" {
		t.Fatal("not T")
	}
}
