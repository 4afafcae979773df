"""Small builders for results used by the pure report tests (no Go needed)."""

from __future__ import annotations

from checker.model import CheckResult, Diagnostic, status_of
from reports.results import Results, TargetResult

OVERFLOW_MSG = ("cannot use maxPartSize * maxNumSize (untyped int constant 53687091200000) as int "
                "value in argument to fmt.Errorf (overflows)")


def diag(target: str, check: str = "build", **kw: object) -> Diagnostic:
    fields: dict[str, object] = {"file": "s3/minio.go", "line": 14, "col": 51,
                                 "message": OVERFLOW_MSG, "category": "overflow",
                                 "package": "example.com/overflow/s3"}
    fields.update(kw)
    return Diagnostic(target=target, check=check, **fields)  # type: ignore[arg-type]


def target(tid: str, *diags: Diagnostic, error: str = "",
           checks: tuple[str, ...] = ("vet", "build")) -> TargetResult:
    goos, goarch = tid.split("/")[:2]
    results = []
    for check in checks:
        own = tuple(d for d in diags if d.check == check)
        results.append(CheckResult(target=tid, check=check, status=status_of(own, error),
                                   diagnostics=own, packages=("example.com/overflow/s3",),
                                   duration=1.5, exit_code=1 if own else 0, error=error))
    return TargetResult(id=tid, goos=goos, goarch=goarch, checks=tuple(results))


def refs(*ids: str, module: str = "") -> list[TargetResult]:
    """Targets without checks, as aggregate() needs them: `refs("linux/386", module="app")`."""
    return [TargetResult(id=i, goos=i.split("/")[0], goarch=i.split("/")[1].split(" ")[0],
                         module=module) for i in ids]


def overflow_results() -> Results:
    """What the overflow fixture gives on four targets: vet and build agree on 32-bit ones."""
    t32 = [target(t, diag(t, "build"), diag(t, "vet"))
           for t in ("linux/386", "linux/arm", "windows/386")]
    return Results(targets=(target("linux/amd64"), *t32), checks=("vet", "build"),
                   go="go1.27.3", module="example.com/overflow")
