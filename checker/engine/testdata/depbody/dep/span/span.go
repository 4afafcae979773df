// Package span is a dependency whose function body does not build where int is 32 bits wide.
package span

import "math"

func SpanLimit() int { return math.MaxUint32 }
