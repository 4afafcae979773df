package main

import (
	"context"

	"example.com/logdep"
	"example.com/logdep/sub"
)

func main() {
	logdep.Logf("%d apples", "three") // printf: Logf is a wrapper (a fact from the dependency)
	sub.Warnf("%s pears", 2)          // printf: through two packages of the dependency
	notef("%x", "ok")
	notef("%d", "no") // printf: notef wraps the dependency's wrapper
	run(len("abc") > 3)
}

func notef(format string, args ...any) {
	logdep.Logf(format, args...)
}

func run(fail bool) {
	_, cancel := context.WithCancel(context.Background())
	if fail {
		sub.Fail() // never returns (a fact from the dependency): this path leaks nothing
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

func hooked(fail bool) error {
	logdep.Setup()
	logdep.Hook("%d hooks", "one") // printf: Hook is a wrapper (assigned in Setup's body)
	_, cancel := context.WithCancel(context.Background())
	if fail {
		logdep.Stop(1) // never returns: the return below is never reached, nothing leaks
		return logdep.Check(fail)
	}
	cancel()
	return nil
}
