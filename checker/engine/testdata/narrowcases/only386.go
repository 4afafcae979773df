//go:build 386

package narrowcases

// A file only 386 compiles: reported there, not on arm.
func Only386(n int64) int {
	return int(n) // want default
}
