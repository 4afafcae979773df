// A package of the module that the checked packages import: with the pattern ".", its
// conversions are not reported (only with ./..., which matches it).
package outside

func Size(n int64) int {
	return int(n) // want default
}
