package hdl

type handle struct{ h uintptr }

// Fd is a uintptr on windows.
func (h *handle) Fd() uintptr { return h.h }

type quiet struct {
	name   string
	h      uintptr
	closed bool
}

// Name is the same everywhere.
func (q *quiet) Name() string { return q.name }
