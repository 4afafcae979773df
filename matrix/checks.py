"""The checks crossvet knows: the one list, and how each runs. Pure.

`vet` and `build` run as one `go` command per job (checker/vetbuild.py); `typecheck` runs for
every job at once in the type-check engine (checker/typecheck.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from matrix.errors import UsageError

VET = "vet"
BUILD = "build"
TYPECHECK = "typecheck"

KNOWN_CHECKS = (VET, BUILD, TYPECHECK)
DEFAULT_CHECKS = (VET, BUILD)
PER_PROCESS_CHECKS = (BUILD, VET)  # run per job, in this order (vet reuses build's work)
BATCH_CHECKS = (TYPECHECK,)  # run once for all jobs


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
