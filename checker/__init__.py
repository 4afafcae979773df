"""Running the checks: `go vet`, `go build` and the type-check engine, per target."""
