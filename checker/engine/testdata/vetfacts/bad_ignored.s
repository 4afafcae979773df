//go:build ignore
// +build linux
