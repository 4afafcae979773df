"""The results file's schema (2; files of schema 1 are read too), as data, and the one check
of a parsed file against it.

A results file is input like any other: written by another crossvet, a shard, an earlier run or
a hand. `validate` runs before anything reads a value, so a wrong type is one error naming the
field (`targets[0].checks[1].diagnostics[3].line: expected an integer`) instead of a crash deep
in a report. The layout is the README's ("The results file (schema 2)"); keys marked optional
may be missing (files written by older releases), every other key must be there.
`findings` and `summary` are derived and recomputed on load, but a file that has them wrong is
still refused: it was not written by crossvet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matrix.errors import UsageError

SCHEMA = 2
# The schemas this crossvet reads. Schema 1 differs only in how a run of several modules names
# targets: `app:linux/386` (ids, findings' and baselines' targets, ignores' targets) where
# schema 2 has the target id `linux/386` and the module beside it (reports/results.py).
READS = (1, 2)


@dataclass(frozen=True)
class Opt:
    """An optional key: `Opt(spec)`."""

    spec: Any


class Enum(tuple[str, ...]):
    """A string from a fixed set: `Enum(("ok", "fail"))`."""


@dataclass(frozen=True)
class Nullable:
    """null, or a value of `spec`."""

    spec: Any


@dataclass(frozen=True)
class Range:
    """A number of `spec` (INT or NUM) from `low` to `high` (None: no upper bound)."""

    spec: str
    low: int
    high: int | None = None


@dataclass(frozen=True)
class Unique:
    """A list of `spec` objects in which no two have the same `key` (within the same `scope`,
    when given: a target id is unique within its module)."""

    key: str
    spec: Any
    scope: str = ""


STR, INT, NUM, BOOL = "string", "integer", "number", "boolean"
NULLABLE_INT = "integer or null"
# The largest line or column a report carries: Go's positions are far below it, and SARIF
# consumers read regions as 32-bit integers. 0 is "no position" (a diagnostic without one).
POSITION_MAX = 2**31 - 1
POSITION = Range(INT, 0, POSITION_MAX)
COUNT = Range(INT, 0)
SECONDS = Range(NUM, 0)

_SUPPRESSED = {"by": STR, "reason": STR}

_DIAGNOSTIC = {
    "file": Opt(STR), "line": Opt(POSITION), "col": Opt(POSITION), "message": STR,
    "category": STR,
    "severity": Opt(Enum(("error", "warning"))), "package": Opt(STR), "analyzer": Opt(STR),
    "context": Opt(STR), "suppressed": Opt(Nullable(_SUPPRESSED)), "dependency": Opt(STR),
    "origin": Opt(STR),
    "url": Opt(STR), "merge": Opt(Enum(("any", "all"))),
}
_CHECK = {
    "check": STR, "status": Enum(("ok", "fail", "error")), "duration": Opt(SECONDS),
    "exit_code": Opt(NULLABLE_INT), "error": Opt(STR), "packages": Opt([STR]),
    "diagnostics": [_DIAGNOSTIC],
}
_TARGET = {
    "id": STR, "goos": STR, "goarch": STR, "variant": Opt(STR), "tags": Opt([STR]),
    "cgo": Opt(BOOL), "go_version": Opt(STR), "aliases": Opt([STR]),
    "status": Opt(Enum(("ok", "fail", "error"))), "checks": [_CHECK], "module": Opt(STR),
}
_FINDING = {
    "id": Opt(STR), "category": Opt(STR), "severity": Opt(STR), "file": Opt(STR),
    "line": Opt(POSITION), "col": Opt(POSITION), "message": Opt(STR), "analyzer": Opt(STR),
    "checks": Opt([STR]), "targets": Opt([STR]), "explanation": Opt(STR),
    "also_worded": Opt([{"message": STR, "checks": [STR]}]), "module": Opt(STR),
    "fingerprint": Opt(STR), "baseline": Opt(Nullable(Enum(("new", "existing")))),
    "suppressed": Opt(Nullable(_SUPPRESSED)), "dependency": Opt(STR), "url": Opt(STR),
}
_BASELINE_ENTRY = {
    "fingerprint": STR, "title": Opt(STR), "location": Opt(STR), "message": Opt(STR),
    "severity": Opt(STR), "targets": Opt([STR]), "module": Opt(STR),
}
RESULTS = {
    "schema": INT, "tool": Opt({"name": Opt(STR), "version": Opt(STR)}), "go": Opt(STR),
    "module": Opt(STR), "checks": [STR], "interrupted": Opt(BOOL), "shard": Opt(STR),
    "error": Opt(STR),
    "targets": Unique("id", [_TARGET], scope="module"), "findings": Opt([_FINDING]),
    "summary": Opt({}),
    "plan": Opt([STR]),
    "modules": Opt([{"dir": STR, "path": STR}]),
    "baseline": Opt(Nullable({"source": Opt(STR), "findings": [_BASELINE_ENTRY],
                              "fixed": Opt([_BASELINE_ENTRY])})),
    "ignores": Opt([{"by": STR, "rule": Opt(STR), "reason": Opt(STR), "targets": Opt([STR]),
                     "module": Opt(STR), "matched": Opt(COUNT), "unused": Opt(BOOL)}]),
}

_ARTICLE = {STR: "a string", INT: "an integer", NUM: "a number", BOOL: "true or false",
            NULLABLE_INT: "an integer or null"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        if math.isfinite(value):
            return "a number"
        return "NaN" if math.isnan(value) else "-Infinity" if value < 0 else "Infinity"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _fail(path: str, wanted: str, value: Any) -> UsageError:
    return UsageError(f"{path}: expected {wanted}, got {_kind(value)}")


def _scalar_ok(spec: str, value: Any) -> bool:
    if isinstance(value, bool):
        return spec == BOOL
    if spec == INT:
        return isinstance(value, int)
    if spec == NULLABLE_INT:
        return value is None or isinstance(value, int)
    if spec == NUM:
        return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if spec == STR:
        return isinstance(value, str)
    return False


def _check(spec: Any, value: Any, path: str) -> None:
    if isinstance(spec, Nullable):
        if value is not None:
            _check(spec.spec, value, path)
    elif isinstance(spec, Enum):
        if not isinstance(value, str) or value not in spec:
            raise UsageError(f"{path}: expected one of {', '.join(spec)}, got {value!r}"[:300])
    elif isinstance(spec, str):
        if not _scalar_ok(spec, value):
            raise _fail(path, _ARTICLE[spec], value)
    elif isinstance(spec, Range):
        _check(spec.spec, value, path)
        if value < spec.low or (spec.high is not None and value > spec.high):
            bounds = (f"from {spec.low} to {spec.high}" if spec.high is not None
                      else f"of at least {spec.low}")
            raise UsageError(f"{path}: expected {_ARTICLE[spec.spec]} {bounds}, got "
                             f"{value!r}"[:300])
    elif isinstance(spec, Unique):
        _check(spec.spec, value, path)
        first: dict[Any, int] = {}
        for i, item in enumerate(value):
            key = (item.get(spec.scope, "") if spec.scope else "", item[spec.key])
            if key in first:
                scope = f" of {spec.scope} {key[0]!r}" if key[0] else ""
                raise UsageError(f"{path}[{i}].{spec.key}: {key[1]!r}{scope} is given twice "
                                 f"(also {path}[{first[key]}])"[:300])
            first[key] = i
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise _fail(path, "a list", value)
        for i, item in enumerate(value):
            _check(spec[0], item, f"{path}[{i}]")
    elif isinstance(spec, Mapping):
        if not isinstance(value, dict):
            raise _fail(path, "an object", value)
        for key, sub in spec.items():
            optional = isinstance(sub, Opt)
            if key not in value:
                if not optional:
                    raise UsageError(f"{path}.{key}: missing" if path else f"{key}: missing")
                continue
            _check(sub.spec if optional else sub, value[key], f"{path}.{key}" if path else key)


def validate(data: Any) -> None:
    """Raise UsageError naming the first field of `data` (parsed JSON) that its schema (one of
    READS) does not allow; unknown keys are allowed (fields may be added within a schema
    version)."""
    if not isinstance(data, dict):
        raise UsageError(f"not a crossvet results object (the file holds {_kind(data)})")
    schema = data.get("schema")
    if schema not in READS or isinstance(schema, bool):
        raise UsageError(f"unsupported results schema {schema!r} (this crossvet reads schemas "
                         f"{', '.join(map(str, READS))})")
    _check(RESULTS, data, "")
