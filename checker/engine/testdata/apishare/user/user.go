// Package user calls plat.Size, whose exported declaration differs on windows: an error there.
package user

import "example.com/apishare/plat"

var n int32 = plat.Size()
