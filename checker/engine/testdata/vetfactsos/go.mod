module example.com/vetfactsos

go 1.22
