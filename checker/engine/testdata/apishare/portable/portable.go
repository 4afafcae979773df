// Package portable uses only what os, strings and sync declare alike on every target: the
// unexported parts of os differ between linux, darwin and windows, so its sharing key differs,
// but what it uses does not, and one check answers the three targets.
package portable

import (
	"os"
	"strings"
	"sync"
)

var mu sync.Mutex

// Upper reads a file and upper-cases it.
func Upper(name string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(string(data)), nil
}
