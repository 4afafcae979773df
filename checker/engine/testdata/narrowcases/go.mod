module example.com/narrowcases

go 1.22
