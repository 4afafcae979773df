package app

import (
	"example.com/dep/say"
	"example.com/dep/span"
)

func Limit() int { say.Hello(); return span.SpanLimit() }
