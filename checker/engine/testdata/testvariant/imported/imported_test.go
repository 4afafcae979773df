package imported

import "testing"

func TestLogf(t *testing.T) { Logf("%d\n", 1) }
