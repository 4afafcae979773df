package main

import "testing"

func TestWrong(t *testing.T) {
	t.Errorf("%s", 1)
}
