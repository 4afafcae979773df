module example.com/depshare

go 1.22

require (
	example.com/osdep v0.0.0
	example.com/wrap v0.0.0
)

replace (
	example.com/osdep => ./osdep
	example.com/wrap => ./wrap
)
