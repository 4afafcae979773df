module example.com/narrowing

go 1.21
