module example.com/ossplit

go 1.21
