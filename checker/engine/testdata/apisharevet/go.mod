module example.com/apisharevet

go 1.22
