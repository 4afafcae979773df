module example.com/overflow

go 1.21
