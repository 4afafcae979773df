// Package testmethod's T is a fmt.Stringer only with the method its test file declares.
package testmethod

import "fmt"

// T is a name.
type T struct{}

var _ fmt.Stringer = T{}
