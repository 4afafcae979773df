//go:build go1.25

package main

import "go/types"

// varRole is what a signature's variable is (types.Var.Kind from Go 1.25, set as the checker
// sets it).
type varRole int

const (
	roleParam varRole = iota
	roleRecv
	roleResult
)

func setVarRole(v *types.Var, role varRole) {
	switch role {
	case roleRecv:
		v.SetKind(types.RecvVar)
	case roleResult:
		v.SetKind(types.ResultVar)
	}
}
