// The narrowing rule itself, conversion by conversion (docs/typecheck.md's table).

package main

import (
	"go/types"
	"testing"
)

func TestNarrowsOn32(t *testing.T) {
	b := types.Typ
	for _, c := range []struct {
		from, to *types.Basic
		want     bool
	}{
		{b[types.Int64], b[types.Int], true},
		{b[types.Uint32], b[types.Int], true},
		{b[types.Uint64], b[types.Uint], true},
		{b[types.Int64], b[types.Uintptr], true},
		{b[types.Int64], b[types.Uint], true},
		{b[types.Int32], b[types.Int], false},
		{b[types.Int64], b[types.Int16], false},
		{b[types.Int], b[types.Int32], false},
		{b[types.Uint], b[types.Uint64], false},
		{b[types.Int], b[types.Int64], false},
	} {
		if got := narrowsOn32(c.from, c.to); got != c.want {
			t.Errorf("%s(%s): narrowsOn32 = %t, want %t", c.to, c.from, got, c.want)
		}
	}
}
