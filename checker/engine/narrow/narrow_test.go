// The narrowing rule itself, conversion by conversion (docs/typecheck.md's table); the
// engine's narrow_test.go runs it on testdata/narrowcases.

package narrow

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

// Same-width pairs are never reported; 64-bit sources always are; uint32 -> int only at
// level all.
func TestReportedShape(t *testing.T) {
	b := types.Typ
	for _, c := range []struct {
		from, to *types.Basic
		def, all bool
	}{
		{b[types.Int64], b[types.Int], true, true},
		{b[types.Uint64], b[types.Uint], true, true},
		{b[types.Int64], b[types.Uintptr], true, true},
		{b[types.Uint32], b[types.Int], false, true},
		{b[types.Uintptr], b[types.Int], false, false},
		{b[types.Uint], b[types.Int], false, false},
		{b[types.Uint], b[types.Uintptr], false, false},
		{b[types.Int], b[types.Uint], false, false},
		{b[types.Int32], b[types.Int], false, false},
	} {
		if got := reportedShape(c.from, c.to, false); got != c.def {
			t.Errorf("%s(%s) at level default: %t, want %t", c.to, c.from, got, c.def)
		}
		if got := reportedShape(c.from, c.to, true); got != c.all {
			t.Errorf("%s(%s) at level all: %t, want %t", c.to, c.from, got, c.all)
		}
	}
}
