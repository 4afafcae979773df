// Package importer gives imported.Logf a wrong argument.
package importer

import "example.com/testvariant/imported"

// Say says hello.
func Say() { imported.Logf("%d\n", "hello") }
