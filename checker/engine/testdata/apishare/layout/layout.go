// Package layout declares structs whose unexported fields differ per target: in size (Rec),
// and on windows in comparability (Cmp).
package layout

// Rec holds a stamp, 8 bytes outside windows and 24 on windows.
type Rec struct {
	id int
	t  stamp
}

// Cmp holds a cell, comparable outside windows only.
type Cmp struct{ c cell }
