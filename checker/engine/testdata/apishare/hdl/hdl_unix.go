//go:build !windows

package hdl

type handle struct{ fd int }

// Fd is an int outside windows.
func (h *handle) Fd() int { return h.fd }

type quiet struct {
	fd   int
	name string
}

// Name is the same everywhere.
func (q *quiet) Name() string { return q.name }
