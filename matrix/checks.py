"""The checks crossvet knows: the one list, and how each runs. Pure.

`typecheck` runs for every job at once in the type-check engine (checker/typecheck.py); so does
`vet` by default (`--vet engine`: the user's Go's own vet analyzers inside the engine), or as
one `go vet` per job with `--vet go`. `build` runs as one `go build` per job
(checker/vetbuild.py). The default is the engine's two checks: no compiling at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from matrix.errors import UsageError

VET = "vet"
BUILD = "build"
TYPECHECK = "typecheck"

KNOWN_CHECKS = (VET, BUILD, TYPECHECK)
DEFAULT_CHECKS = (TYPECHECK, VET)
RELEASE_CHECKS = (TYPECHECK, VET, BUILD)  # the default when the `release` preset is selected
PER_PROCESS_CHECKS = (BUILD, VET)  # run per job, in this order (vet reuses build's work)
ENGINE_CHECKS = (TYPECHECK, VET)  # run once for all jobs, by the engine (vet: unless --vet go)


def engine_checks(checks: Sequence[str], vet_mode: str) -> tuple[str, ...]:
    """The checks of `checks` the engine answers: `typecheck`, and `vet` unless `--vet go`."""
    return tuple(c for c in checks if c in ENGINE_CHECKS and (c != VET or vet_mode == "engine"))


def parse_checks(text: str | Sequence[str]) -> tuple[str, ...]:
    items = text.split(",") if isinstance(text, str) else list(text)
    checks: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item not in KNOWN_CHECKS:
            raise UsageError(f"unknown check {item!r}; valid checks: {', '.join(KNOWN_CHECKS)}")
        if item not in checks:
            checks.append(item)
    if not checks:
        raise UsageError("no checks selected")
    return tuple(checks)
