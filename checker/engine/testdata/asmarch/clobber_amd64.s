#include "textflag.h"

// framepointer: reported on linux/amd64 and darwin/amd64, not on windows/amd64.
TEXT ·Clobber(SB), NOSPLIT, $0-0
	MOVQ AX, BP
	RET
