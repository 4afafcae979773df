//go:build special

package tags

// Mode names the build; built with -tags special, it does not compile.
func Mode() string {
	return specialName
}
