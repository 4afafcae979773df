//go:build amd64

#include "textflag.h"

TEXT ·Add(SB),NOSPLIT,$0-24
	MOVQ a+0(FP), AX
	ADDQ b+8(FP), AX
	MOVQ AX, ret+16(FP)
	RET

TEXT ·Sub(SB),NOSPLIT,$0-24
	MOVQ a+0(FP), AX
	SUBQ b+8(FP), AX
	MOVQ AX, ret+16(FP)
	RET

TEXT ·Clobber(SB),NOSPLIT,$0-0
	MOVQ $0, BP
	RET
