//go:build !go1.23

package main

import "go/types"

// aliasRhs is what an alias declaration names (before Go 1.23 go/types keeps no chain of
// aliases: what it stands for).
func aliasRhs(a *types.Alias) (types.Type, bool) { return types.Unalias(a), true }
