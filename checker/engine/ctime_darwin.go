package main

import (
	"io/fs"
	"syscall"
)

// changeTime is a file's status-change time (ctime) in nanoseconds: any write or metadata
// change moves it, and no one can set it back.
func changeTime(info fs.FileInfo) (int64, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return st.Ctimespec.Nano(), true
}
