module example.com/m

go 1.21

require (
	example.com/dep v0.1.0
	example.com/ux v0.2.0 // indirect
)

replace example.com/dep => ../dep

replace example.com/ux v0.2.0 => ../ux
