module crossvet.local/engine

go 1.22
