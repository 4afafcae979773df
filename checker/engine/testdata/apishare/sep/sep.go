// Package sep uses an exported constant whose value differs between targets: '/' on unix,
// '\\' on windows. Its array is [0]int on unix and [45]int on windows, which is an error there.
package sep

import "os"

var width [os.PathSeparator - '/']int

var _ [0]int = width
