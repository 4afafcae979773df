module example.com/apishare

go 1.22
