package badpath

var X = 1
