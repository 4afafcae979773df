// Package logx's Logf is a printf wrapper everywhere but on windows, where it drops its
// arguments: its API is the same on every target, vet's facts about it are not.
package logx

// Logf logs.
func Logf(format string, args ...any) { logf(format, args...) }
