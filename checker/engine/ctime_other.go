//go:build !linux && !darwin

package main

import "io/fs"

// changeTime: not known here, so the stat cache (statcache.go) is not used: every file is
// hashed.
func changeTime(fs.FileInfo) (int64, bool) {
	return 0, false
}
