// Package c runs a command.
package c

import "os/exec"

// Run runs name (exec.Cmd's fields differ between ports; none is selected).
func Run(name string) error { return exec.Command(name).Run() }
