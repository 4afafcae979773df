"""Sort Go's messages into categories, and tell go's context lines from diagnostics. Pure
functions over text."""

from __future__ import annotations

import re

_OVERFLOW = [
    re.compile(r"\(overflows\)\s*$"),  # go/types, types2: "... as int value in ... (overflows)"
    re.compile(r"\boverflows (?:u?int|uintptr)\d*\b"),  # "cannot convert ...: ... overflows int"
    re.compile(r"\bconstant -?[0-9][0-9a-fA-FxX_.e+]* overflows\b"),  # gc: "constant N overflows T"
    re.compile(r"\boverflows? (?:int|uint)"),
]
# Every spelling of "this identifier, field, method or package member does not exist (here)".
_UNDEFINED = [
    re.compile(r"^undefined: "),  # undefined: x, undefined: pkg.X
    re.compile(r"^undefined array length \S+ or missing type constraint$"),  # type A [n]int
    re.compile(r"\bundefined \(type .+ has no (?:field or method|method)\b"),  # x.F undefined (...)
    re.compile(r"\bhas no field or method\b"),
    re.compile(r"\bnot declared by package\b"),  # go <= 1.19 spelling of undefined: pkg.X
    re.compile(r"^undeclared name: "),  # go/types <= 1.19
    re.compile(r"^unknown field \S+ in struct literal\b"),  # T{F: 1} where T has no F here
]
# Lines from the go command that are context, never a finding of their own.
_CONTEXT = [
    re.compile(r'^go: warning: ".*" matched no packages$'),
    re.compile(r"^no packages to vet$"),
    re.compile(r"^too many errors$"),  # the compiler's limit (without -gcflags=-e); positioned too
    re.compile(r"^go: (?:finding|downloading|extracting|verifying) "),  # module resolution
    re.compile(r"^go: found \S+ in \S+"),
    re.compile(r"^go: (?:added|upgraded|downgraded|removed) \S+"),  # -mod=mod edits to go.mod
]
# The go command could not fetch a required module: not a problem of the code (an import of a
# module go.mod does not require says "cannot find module providing package ..." or "no
# required module provides package ..." and stays a finding). Go's HTTP client words a failed
# request `Get "URL": why` (an HTTP status is `reading URL: 404 Not Found`: a version that
# does not exist, which is the module's problem).
_UNFETCHED = [
    re.compile(r"^(?:\S+@\S+: )?module lookup disabled by GOPROXY=off$"),  # "mod@v: " or not
    re.compile(r'\bGet "https?://[^"]*": '),
]
# The module is not one of the go.work's (the workspace in use does not `use` it): go refuses
# its packages. The workspace's problem, not the code's.
_OUTSIDE_WORKSPACE = re.compile(r"^pattern .+: directory prefix .+ does not contain modules "
                                r"listed in go\.work or their selected dependencies$")
# `# pkg`, `# pkg [pkg.test]` (a test variant) and vet's `# [pkg]`.
_HEADER_RE = re.compile(r"^# (?:(?P<pkg>[^\s\[\]]+)(?: \[[^\s\[\]]+\])?|\[(?P<vpkg>[^\s\[\]]+)\])$")


def package_header(line: str) -> str | None:
    """The package a `# pkg` header line introduces, or None for any other line."""
    m = _HEADER_RE.match(line)
    if not m:
        return None
    return m.group("pkg") or m.group("vpkg")


def is_context(line: str) -> bool:
    """A line (or a positioned message) the go command prints that is not a diagnostic."""
    return package_header(line) is not None or any(p.search(line) for p in _CONTEXT)


def is_no_packages(line: str) -> bool:
    return "matched no packages" in line or line.strip() == "no packages to vet"


def is_unfetched(message: str) -> bool:
    """Whether a message says a required module could not be downloaded (GOPROXY=off, no
    network): the environment's problem, not the code's. The first line is go's (the engine
    adds "imported through ..." lines)."""
    first = message.split("\n", 1)[0]
    return any(p.search(first) for p in _UNFETCHED)


def is_outside_workspace(message: str) -> bool:
    """Whether go refused the checked packages because the go.work in use does not `use`
    their module."""
    return _OUTSIDE_WORKSPACE.match(message.split("\n", 1)[0]) is not None


def category(message: str, *, analyzer: str = "", positioned: bool = True) -> str:
    """The category of a message. `positioned` is False for lines that named no file position."""
    if analyzer:
        return "vet"
    if any(p.search(message) for p in _OVERFLOW):
        return "overflow"
    if any(p.search(message) for p in _UNDEFINED):
        return "undefined"
    return "compile" if positioned else "other"


# go/parser's and go/scanner's wordings (vet, typecheck) and the compiler's `syntax error: ...`.
_SYNTAX = [
    re.compile(r"^syntax error\b"),
    re.compile(r"^expected .+, found "),
    re.compile(r"^expected '.+'$"),
    re.compile(r"^expected (?:operand|declaration|statement|type|expression|selector)"),
    re.compile(r"^missing ',' (?:before newline|in )"),
    re.compile(r"^illegal (?:character|label|rune literal|UTF-8)"),
    re.compile(r"^(?:raw )?string literal not terminated$|^rune literal not terminated$"),
    re.compile(r"^comment not terminated$"),
    re.compile(r"^invalid (?:digit|radix point|character) "),
]


def is_syntax(message: str) -> bool:
    """Whether a message reports a syntax error, in any parser's wording."""
    head = message.split("\n", 1)[0]
    return any(p.search(head) for p in _SYNTAX)
