package logx

func logf(format string, args ...any) {}
