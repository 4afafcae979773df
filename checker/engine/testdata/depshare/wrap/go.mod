module example.com/wrap

go 1.22

require example.com/osdep v0.0.0
