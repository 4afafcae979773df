package plat

// Size is 64 bits on windows.
func Size() int64 { return 8 }
