package main

import "example.com/wrap"

func main() {
	wrap.Logf("%d apples", "three")  // printf on linux: Logf wraps osdep.Out there
	wrap.Errorf("%d pears", "three") // printf everywhere
}
