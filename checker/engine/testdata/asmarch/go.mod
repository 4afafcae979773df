module example.com/asmarch

go 1.21
