"""A dependency's problem reported by several checks of one job is one problem, placed once.

The engine (`typecheck`) places a dependency module's error on the go.mod line that requires
the module, with the module, version and position inside it in the message and the import
chain (docs/typecheck.md, "Dependencies' code on every target"). `go build` (and `go vet`,
`--vet go`) report the same error where it is: the dependency's file, an absolute path outside
the module. Such a report, at the very position the engine names (its `origin`) and with the
same first line as the engine's message after that position, takes the engine's placement,
message and attribution, so it merges with the engine's finding (reports/aggregate.py) and
every suppression, fingerprint and baseline sees one problem. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from checker.model import CheckResult, Diagnostic


def _head(message: str) -> str:
    return message.split("\n", 1)[0]


def place_dependency_reports(checks: Sequence[CheckResult]) -> tuple[CheckResult, ...]:
    """One job's check results with other checks' reports of a dependency's finding placed as
    the engine placed it (unchanged when no check attributed one)."""
    placed: dict[tuple[str, int, int], list[Diagnostic]] = {}
    for c in checks:
        for d in c.diagnostics:
            if d.dependency and d.origin:
                file, line, col = d.origin.rsplit(":", 2)
                placed.setdefault((file, int(line), int(col)), []).append(d)
    if not placed:
        return tuple(checks)

    def place(d: Diagnostic) -> Diagnostic:
        if d.dependency:
            return d
        for dep in placed.get((d.file, d.line, d.col), ()):
            if _head(dep.message).endswith(f":{d.line}:{d.col}: {_head(d.message)}"):
                return replace(d, file=dep.file, line=dep.line, col=dep.col,
                               message=dep.message, dependency=dep.dependency,
                               origin=dep.origin)
        return d

    return tuple(replace(c, diagnostics=tuple(place(d) for d in c.diagnostics))
                 for c in checks)
