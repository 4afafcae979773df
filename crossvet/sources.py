"""The module's Go sources, read for the run's results: the inline `//crossvet:ignore`
suppressions (matrix/ignores.py parses each one)."""

from __future__ import annotations

import os
import stat

from matrix.errors import ConfigError
from matrix.ignores import DIRECTIVE, IgnoreRule, parse_directive

_MARK = DIRECTIVE.encode()


def _skipped(name: str) -> bool:
    """Directories the go command ignores (testdata, _x, .x) and vendored code."""
    return name.startswith((".", "_")) or name in ("testdata", "vendor")


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def go_files(module_dir: str) -> list[str]:
    """Module-relative, slash-separated paths of the module's .go files (not those of a nested
    module), sorted."""
    found: list[str] = []
    for here, dirs, files in os.walk(module_dir):
        dirs[:] = sorted(d for d in dirs if not _skipped(d)
                         and not os.path.isfile(os.path.join(here, d, "go.mod")))
        rel = os.path.relpath(here, module_dir)
        for name in files:
            # regular files only: a FIFO named x.go would block the read forever
            if name.endswith(".go") and _regular(os.path.join(here, name)):
                path = name if rel == "." else os.path.join(rel, name)
                found.append(path.replace(os.sep, "/"))
    return sorted(found)


def directives(module_dir: str) -> tuple[IgnoreRule, ...]:
    """Every inline suppression in the module; a malformed one (no reason) is a ConfigError
    naming its file and line."""
    rules: list[IgnoreRule] = []
    for file in go_files(module_dir):
        try:
            with open(os.path.join(module_dir, file), "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        if _MARK not in data:
            continue
        for n, raw in enumerate(data.split(b"\n"), start=1):
            if _MARK not in raw:
                continue
            try:
                rule = parse_directive(raw.decode("utf-8", "replace"), file=file, line=n)
            except ValueError as exc:
                raise ConfigError(str(exc), source=file, line=n) from None
            if rule is not None:
                rules.append(rule)
    return tuple(rules)
