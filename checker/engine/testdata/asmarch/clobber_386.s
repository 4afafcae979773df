#include "textflag.h"

// framepointer does not check 386 assembly (the amd64 rule would match this line).
TEXT ·Clobber(SB), NOSPLIT, $0-0
	MOVL AX, BP
	RET
