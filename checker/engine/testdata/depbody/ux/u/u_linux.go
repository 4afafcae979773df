//go:build linux

// Package u has files for linux only.
package u

const Name = "linux"
