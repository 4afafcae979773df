// Package hdluser uses hdl.Handle's promoted Fd as an int: an error on windows only.
package hdluser

import "example.com/apishare/hdl"

var fd int = hdl.New().Fd()
