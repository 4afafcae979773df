"""crossvet: vet, build and type-check a Go module for every GOOS/GOARCH target.

The shell: the command line, the pipeline of `check`, and the I/O with GitHub.
"""
