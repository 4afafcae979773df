//go:build ignore

// A file the build ignores, with a //go:debug line after its package clause: vet's directive
// analyzer reports it, so the engine reads this file whole (vetheader.go).

package main

import "fmt"

func late() {
	//go:debug panicnil=1
	fmt.Println("late")
}
