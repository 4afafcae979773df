module example.com/vetasm

go 1.22
