module example.com/cgoreal

go 1.22
