package imp

import (
	"example.org/dep"
	"fmt"
	"notstd/pkg"
)

func F() { fmt.Println(dep.X, pkg.Y) }
