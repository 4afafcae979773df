// Package unexported's external test names helper, which no exported declaration reaches:
// go vet says "undefined: unexported.helper" (gc's export data does not have it), so the
// test variant's types for the external test are its declarations', not its result's.
package unexported

func helper() int { return 1 }

// Two is two.
func Two() int { return 2 }
