//go:build linux || windows

package sys

import (
	"fmt"

	"example.com/ux/u"
)

func Name() string { return fmt.Sprint(u.Name) }
