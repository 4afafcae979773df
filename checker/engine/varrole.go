//go:build !go1.25

package main

import "go/types"

// varRole is what a signature's variable is: before Go 1.25 go/types does not record it.
type varRole int

const (
	roleParam varRole = iota
	roleRecv
	roleResult
)

func setVarRole(*types.Var, varRole) {}
