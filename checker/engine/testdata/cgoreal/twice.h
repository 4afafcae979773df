static long twice(long x) { return WIDTH * x; }
