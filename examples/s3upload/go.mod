module example.com/s3upload

go 1.21
