//go:build 386

#include "textflag.h"

TEXT ·Add(SB),NOSPLIT,$0-12
	MOVL a+0(FP), AX
	ADDL b+4(FP), AX
	MOVL AX, ret+8(FP)
	RET

TEXT ·Sub(SB),NOSPLIT,$0-16
	MOVL a+0(FP), AX
	SUBL b+4(FP), AX
	MOVL AX, ret+8(FP)
	RET

TEXT ·Clobber(SB),NOSPLIT,$0-0
	RET
