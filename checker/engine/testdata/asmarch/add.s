#include "textflag.h"

// asmdecl: the frame size is right for 64-bit int (amd64) and wrong for 32-bit (386), where
// it reports that the arguments are 12 bytes, not 24.
TEXT ·Add(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), AX
	MOVQ b+8(FP), BX
	ADDQ BX, AX
	MOVQ AX, ret+16(FP)
	RET
