// Package pvuser formats a pv.Box with %d: fine where its items are ints, a printf finding on
// windows, where they are strings. Sharing by use must not take the other targets' result.
package pvuser

import (
	"fmt"

	"example.com/apisharevet/pv"
)

// Show prints a box.
func Show() { fmt.Printf("%d\n", pv.Box{}) }
