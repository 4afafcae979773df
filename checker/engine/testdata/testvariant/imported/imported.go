// Package imported is imported by importer: vet analyzes it for its facts, so it is
// checked itself.
package imported

import "fmt"

// Logf prints like fmt.Printf.
func Logf(format string, args ...any) { fmt.Printf(format, args...) }
