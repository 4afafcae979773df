// Package hdl declares types that embed an unexported pointer whose target differs per target:
// an importer sees through it only what it promotes (apiprint.go: the promote view).
package hdl

// Handle promotes Fd, whose result type differs on windows.
type Handle struct{ *handle }

// New is a Handle.
func New() Handle { return Handle{&handle{}} }

// Quiet promotes Name, the same everywhere; what quiet holds differs on windows.
type Quiet struct{ *quiet }

// NewQuiet is a Quiet.
func NewQuiet() Quiet { return Quiet{&quiet{}} }
