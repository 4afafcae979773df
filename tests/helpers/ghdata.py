"""Results built by hand for the GitHub report tests (no Go needed)."""

from __future__ import annotations

from collections.abc import Sequence

from checker.model import CheckResult, Diagnostic, status_of
from reports.results import Results, TargetResult


def diag(target: str, message: str, *, category: str = "compile", file: str = "a.go",
         line: int = 1, col: int = 1, check: str = "build", analyzer: str = "",
         severity: str = "error") -> Diagnostic:
    return Diagnostic(target=target, check=check, message=message, category=category, file=file,
                      line=line, col=col, analyzer=analyzer,
                      severity="warning" if severity == "warning" else "error")


def results(diags: Sequence[Diagnostic], targets: Sequence[str] = ("linux/amd64", "linux/386"),
            *, errors: dict[str, str] | None = None) -> Results:
    out = []
    for t in targets:
        mine = tuple(d for d in diags if d.target == t)
        error = (errors or {}).get(t, "")
        checks = tuple(
            CheckResult(target=t, check=c, diagnostics=tuple(d for d in mine if d.check == c),
                        status=status_of(tuple(d for d in mine if d.check == c),
                                         error if c == "build" else ""),
                        error=error if c == "build" else "")
            for c in ("vet", "build"))
        goos, goarch = t.split("/")
        out.append(TargetResult(id=t, goos=goos, goarch=goarch, checks=checks))
    return Results(targets=tuple(out), checks=("vet", "build"), go="go1.27.3",
                   module="example.com/m")
