"""The records the checker produces. Everything downstream (reports, merge) reads only these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from matrix.categories import NAMES

Status = Literal["ok", "fail", "error"]
Severity = Literal["error", "warning"]

CATEGORIES = NAMES  # matrix/categories.py


@dataclass(frozen=True, kw_only=True)
class Suppressed:
    """Why a diagnostic does not count: the suppression (`by`: its file:line) and its reason."""

    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Diagnostic:
    """One problem reported by one check on one target.

    `file` is relative to the module root (slash-separated) when the file is inside it, absolute
    otherwise, and empty when the output named no file. `line`/`col` are 0 when unknown.
    """

    target: str
    check: str
    message: str
    category: str
    file: str = ""
    line: int = 0
    col: int = 0
    package: str = ""
    analyzer: str = ""
    severity: Severity = "error"
    # The dependency module the problem is in (`module@version`), when it is not in the checked
    # module: the finding is then placed on the go.mod line that requires it.
    dependency: str = ""
    # Where such a problem is in the dependency, absolute (`/path/in/it.go:LINE:COL`): another
    # check's report of it there is the same problem (checker/depreports.py).
    origin: str = ""
    # An analyzer of `analyzers:` (category `lint`, docs/lint.md): its documentation's URL and
    # its merge rule across targets ("all": reported only where it holds on every target that
    # has its package; "any" or "": where it holds).
    url: str = ""
    merge: str = ""
    # Added after the run from the module's sources (reports/fingerprint.py, reports/suppress.py):
    context: str = ""  # digest of the source line and its enclosing declaration
    suppressed: Suppressed | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        """What makes two diagnostics the same problem, whichever target or check found them."""
        return (self.file, self.line, self.col, self.message)


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """One check (vet, build, typecheck) run for one job."""

    target: str
    check: str
    status: Status
    diagnostics: tuple[Diagnostic, ...] = ()
    packages: tuple[str, ...] = ()
    duration: float = 0.0
    exit_code: int | None = None
    error: str = ""  # why the status is "error": timeout, crash, interrupted


def status_of(diagnostics: tuple[Diagnostic, ...], error: str = "") -> Status:
    """A check's status: error when it could not run, fail when an error diagnostic counts
    (a suppressed one does not: it is accepted, reports/suppress.py), else ok."""
    if error:
        return "error"
    return "fail" if any(d.severity == "error" and d.suppressed is None
                         for d in diagnostics) else "ok"


def combined_status(checks: Sequence[CheckResult]) -> Status:
    """A job's status from its checks: error if any was not checked (or none ran), fail if any
    failed, else ok."""
    statuses = {c.status for c in checks}
    if "error" in statuses or not checks:
        return "error"
    return "fail" if "fail" in statuses else "ok"
