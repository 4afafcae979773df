// Package ossplit uses a constant that only its Linux file defines.
package ossplit

// Pages is how many pages n bytes take.
func Pages(n int) int {
	return (n + pageSize - 1) / pageSize
}
