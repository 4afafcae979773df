"""crossvet: vet, build and type-check a Go module for every GOOS/GOARCH target."""

__version__ = "0.1.0"
