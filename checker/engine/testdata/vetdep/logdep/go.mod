module example.com/logdep

go 1.22
