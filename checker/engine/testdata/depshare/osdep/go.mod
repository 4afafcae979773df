module example.com/osdep

go 1.22
