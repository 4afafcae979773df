//go:build go1.23

package main

import "go/types"

// aliasRhs is what an alias declaration names, itself maybe an alias; false for a generic
// alias (the type store does not write those).
func aliasRhs(a *types.Alias) (types.Type, bool) {
	if a.TypeParams().Len() > 0 {
		return nil, false
	}
	return a.Rhs(), true
}
