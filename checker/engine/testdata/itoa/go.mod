module example.com/itoa

go 1.22
