package main

import (
	"context"

	"example.com/vetfacts/util"
)

func main() {
	util.Logf("%d apples", "three") // printf: Logf is a wrapper (a fact from util)
	run(len(util.Name) > 3)
}

func run(fail bool) {
	_, cancel := context.WithCancel(context.Background())
	if fail {
		util.Die("boom") // never returns (a fact from util): this path leaks nothing
		return
	}
	cancel()
}

func leak(fail bool) {
	_, cancel := context.WithCancel(context.Background())
	if fail {
		return // lostcancel: cancel is not used on this path
	}
	cancel()
}
