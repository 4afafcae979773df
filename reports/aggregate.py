"""One finding per problem: identical diagnostics from any target or check are merged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from checker.model import Diagnostic
from matrix.targets import ARCH_32BIT

# Most important first: what stops a build, then what is wrong on some targets, then advice.
CATEGORY_ORDER = ("compile", "undefined", "overflow", "narrowing", "vet", "other")
CATEGORY_TITLES = {
    "compile": "Compile errors",
    "undefined": "Undefined on some targets",
    "overflow": "Constant overflows",
    "narrowing": "Narrowing conversions on 32-bit targets",
    "vet": "go vet findings",
    "other": "Other problems",
}


@dataclass(frozen=True, kw_only=True)
class Finding:
    id: str
    category: str
    severity: str
    file: str
    line: int
    col: int
    message: str
    analyzer: str
    checks: tuple[str, ...]
    targets: tuple[str, ...]
    explanation: str = ""

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        return loc

    @property
    def title(self) -> str:
        if self.category == "vet" and self.analyzer:
            return f"vet/{self.analyzer}"
        return self.category

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "severity": self.severity,
                "file": self.file, "line": self.line, "col": self.col, "message": self.message,
                "analyzer": self.analyzer, "checks": list(self.checks),
                "targets": list(self.targets), "explanation": self.explanation}


def fingerprint(file: str, message: str, category: str, analyzer: str) -> str:
    """Stable across runs and line shifts elsewhere in the file: no line numbers in it."""
    text = "\x00".join((category, analyzer, file, message))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _arch(target: str) -> str:
    parts = target.split(" ", 1)[0].split("/")
    return parts[1] if len(parts) > 1 else ""


def explain(category: str, targets: Sequence[str], message: str = "") -> str:
    if "requires external (cgo) linking" in message:
        return ("Go cannot vet, link or test a main or test package for this target without "
                "cgo (ios/*, android/386, android/amd64 and android/arm link externally). Check "
                "it with cgo on (`--cgo` with these targets; needs a C cross-compiler), or "
                "leave it out (for example `--targets 'first-class,!android/*'`).")
    if category == "overflow":
        narrow = [t for t in targets if _arch(t) in ARCH_32BIT]
        where = ", ".join(narrow or targets)
        return (f"The constant does not fit: int, uint and uintptr are 32 bits wide on {where}. "
                "Give the value a sized type such as int64, for example `int64(a) * b` or "
                "`const limit int64 = ...`.")
    if category == "undefined":
        return ("Declared only for some targets: check the build constraints (file names such as "
                "x_linux.go, `//go:build` lines) of the file that declares it, and provide it "
                "for the targets listed here too.")
    if category == "narrowing":
        return ("This conversion keeps every bit where int is 64 bits wide but can truncate on "
                "32-bit targets. Keep the value in a sized type (int64/uint64), or check its "
                "range before converting.")
    return ""


def aggregate(diags: Iterable[Diagnostic], target_order: Sequence[str]) -> tuple[Finding, ...]:
    groups: dict[tuple[str, int, int, str], list[Diagnostic]] = {}
    for d in diags:
        groups.setdefault(d.key, []).append(d)
    rank = {t: i for i, t in enumerate(target_order)}
    findings = []
    for (file, line, col, message), ds in groups.items():
        category = min((d.category for d in ds), key=_category_rank)
        analyzer = next((d.analyzer for d in ds if d.analyzer), "")
        severity = "error" if any(d.severity == "error" for d in ds) else "warning"
        targets = sorted({d.target for d in ds}, key=lambda t: (rank.get(t, len(rank)), t))
        checks = sorted({d.check for d in ds})
        findings.append(Finding(
            id=fingerprint(file, message, category, analyzer), category=category,
            severity=severity, file=file, line=line, col=col, message=message,
            analyzer=analyzer, checks=tuple(checks), targets=tuple(targets),
            explanation=explain(category, targets, message),
        ))
    findings.sort(key=finding_order)
    return tuple(findings)


def _category_rank(category: str) -> int:
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


def finding_order(f: Finding) -> tuple[int, int, str, int, int, str]:
    return (0 if f.severity == "error" else 1, _category_rank(f.category), f.file, f.line, f.col,
            f.message)
