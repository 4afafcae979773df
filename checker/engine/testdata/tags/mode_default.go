//go:build !special

package tags

// Mode names the build.
func Mode() string {
	return "default"
}
