// Package quietuser uses only what hdl.Quiet promotes, which is the same everywhere: one check
// answers every target.
package quietuser

import "example.com/apishare/hdl"

// Name is the quiet handle's name.
func Name() string { return hdl.NewQuiet().Name() }
