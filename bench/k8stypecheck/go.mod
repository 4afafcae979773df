module crossvet.local/k8stypecheck

go 1.22
