// Package app calls logx.Logf with a mismatched verb: a printf finding where Logf is a
// wrapper, none on windows. Sharing by use must not give windows the others' result.
package app

import "example.com/vetfactsos/logx"

// Run logs.
func Run() { logx.Logf("%d items\n", "three") }
