"""Sort Go's messages into categories. Pure functions over message text."""

from __future__ import annotations

import re

_OVERFLOW = [
    re.compile(r"\(overflows\)\s*$"),  # go/types, types2: "... as int value in ... (overflows)"
    re.compile(r"\boverflows (?:u?int|uintptr)\d*\b"),  # "cannot convert ...: ... overflows int"
    re.compile(r"\bconstant -?[0-9][0-9a-fA-FxX_.e+]* overflows\b"),  # gc: "constant N overflows T"
    re.compile(r"\boverflows? (?:int|uint)"),
]
_UNDEFINED = [
    re.compile(r"^undefined: "),
    re.compile(r"\bundefined \(type .+ has no (?:field or method|method)\b"),
    re.compile(r"\bhas no field or method\b"),
    re.compile(r"\bnot declared by package\b"),
    re.compile(r"^undeclared name: "),
]
# Lines from the go command that carry no finding.
_NOISE = [
    re.compile(r'^go: warning: ".*" matched no packages$'),
    re.compile(r"^no packages to vet$"),
    re.compile(r"^too many errors$"),
]


def is_noise(line: str) -> bool:
    return any(p.search(line) for p in _NOISE)


def is_no_packages(line: str) -> bool:
    return "matched no packages" in line or line.strip() == "no packages to vet"


def category(message: str, *, analyzer: str = "", positioned: bool = True) -> str:
    """The category of a message. `positioned` is False for lines that named no file position."""
    if analyzer:
        return "vet"
    if any(p.search(message) for p in _OVERFLOW):
        return "overflow"
    if any(p.search(message) for p in _UNDEFINED):
        return "undefined"
    return "compile" if positioned else "other"
