// Package say has a printf mistake: go vet reports none in a dependency, nor does the engine.
package say

import "fmt"

func Hello() { fmt.Printf("%d\n", "hello") }
