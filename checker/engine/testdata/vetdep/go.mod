module example.com/vetdep

go 1.22

require example.com/logdep v0.0.0

replace example.com/logdep => ./logdep
