module example.com/manyports

go 1.22
