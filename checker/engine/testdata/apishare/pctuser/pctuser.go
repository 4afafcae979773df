// Package pctuser prints pct.Done, which holds a "%" on every target but a formatting
// directive on windows only: vet's printf reports the Println there. Each is checked.
package pctuser

import (
	"fmt"

	"example.com/apishare/pct"
)

// Report prints how far it is.
func Report() {
	fmt.Println(pct.Done)
}
