// Package d has a finding on every port and one on 32-bit ports only.
package d

import "fmt"

// Low narrows an int64 to int: a narrowing conversion where int is 32 bits wide.
func Low(x int64) int { return int(x) }

// Show has a printf mistake, found on every port.
func Show() string { return fmt.Sprintf("%d", "not a number") }
