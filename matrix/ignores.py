"""Suppressions as written: `.crossvet.yaml` `ignore:` entries and inline `//crossvet:ignore`
comments. Pure: text in, rules out; reports/suppress.py applies them to a run's diagnostics.

    ignore:
      - category: vet/unsafeptr          # a category, vet/<analyzer>, or a list of them
        path: "unix/*.go"                # a glob over the module-relative file name
        message: "possible misuse of"    # a regular expression searched in the message
        targets: "ios/*"                 # target selectors, as --targets (default: all)
        reason: "syscall wrappers; reviewed"   # required

    x := a * b //crossvet:ignore overflow 32bit -- checked on 64-bit only
    //crossvet:ignore vet/printf -- the format is built at run time

An inline comment covers its own line and the line below it. Every suppression needs a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from matrix.categories import spelled

DIRECTIVE = "//crossvet:ignore"
LINT_MARK = "//lint:"  # staticcheck's directives, read with `analyzers:` (parse_lint_directive)
_LINT_RE = re.compile(r"//lint:(ignore|file-ignore)\s+(\S+)\s+(\S.*)$")
_DIRECTIVE_RE = re.compile(r"//crossvet:ignore(?:\s+(.*))?$")
_FIELDS = ("category", "path", "message", "targets", "reason")


@dataclass(frozen=True, kw_only=True)
class IgnoreRule:
    categories: tuple[str, ...] = ()  # `overflow`, `vet`, `vet/printf`; empty: any
    path: str = ""  # glob over the module-relative file; empty: any
    message: str = ""  # regular expression; empty: any
    targets: str = ""  # target selectors; empty: every target
    reason: str
    by: str = ""  # where it is written: `.crossvet.yaml:12` or `a/b.go:7`
    file: str = ""  # inline only: the module-relative file, and the line, it covers
    line: int = 0
    # another tool's directive (staticcheck's //lint:ignore): it may name a check this run does
    # not have, so matching nothing is no news (never reported unused)
    foreign: bool = False

    @property
    def text(self) -> str:
        """What it matches, for messages: `overflow on 32bit in a/*.go`."""
        parts = [",".join(self.categories) or "any category"]
        if self.message:
            parts.append(f"matching /{self.message}/")
        if self.targets:
            parts.append(f"on {self.targets}")
        if self.path:
            parts.append(f"in {self.path}")
        return " ".join(parts)


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise ValueError(f"ignore: {what} should be a string or a list of strings")


def parse_rule(entry: Any, number: int) -> IgnoreRule:
    """One `ignore:` entry (the `number`th, from 1); ValueError when it is not valid."""
    where = f"ignore entry {number}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} should be a mapping with a reason and what to match "
                         f"({', '.join(_FIELDS)})")
    unknown = [k for k in entry if k not in _FIELDS]
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(_FIELDS)})")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where} needs a reason: say why the finding is accepted")
    for key in ("path", "message"):
        if key in entry and not isinstance(entry[key], str):
            raise ValueError(f"{where}: {key} should be a string")
    message = str(entry.get("message", ""))
    if message:
        try:
            re.compile(message)
        except re.error as exc:
            raise ValueError(f"{where}: message is not a regular expression: {exc}") from None
    categories = _strings(entry.get("category", ""), "category")
    try:
        for c in categories:
            spelled(c)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    if not (categories or entry.get("path") or message):
        raise ValueError(f"{where} matches everything: give a category, path or message")
    targets = ",".join(_strings(entry.get("targets", ""), "targets"))
    return IgnoreRule(categories=categories, path=str(entry.get("path", "")).strip(),
                      message=message, targets=targets, reason=reason.strip())


def parse_rules(value: Any) -> tuple[IgnoreRule, ...]:
    """The `ignore:` key's normaliser (matrix/config.py)."""
    if not isinstance(value, list):
        raise ValueError("ignore should be a list of entries, each with a reason")
    return tuple(parse_rule(entry, i + 1) for i, entry in enumerate(value))


def located(rule: IgnoreRule, source: str, line: int) -> IgnoreRule:
    """The rule with `by` set to where it is written."""
    return replace(rule, by=f"{source}:{line}" if line else source)


_GLOB_CHARS = re.compile(r"([*?[])")


def in_module(rule: IgnoreRule, directory: str) -> IgnoreRule:
    """A module's rule as a run of several modules sees it: its paths are relative to the
    module (`directory`, relative to the run's root), the run's paths to the root, so the
    inline rule's file (and `by`) and the `path` glob get the module's directory in front."""
    if directory in ("", "."):
        return rule
    literal = _GLOB_CHARS.sub(r"[\1]", directory)  # a directory named `a[1]` is no glob
    path = f"{literal}/{rule.path}" if rule.path else ""
    if not rule.file:
        return replace(rule, path=path)
    file = f"{directory}/{rule.file}"
    return replace(rule, path=path, file=file, by=f"{file}:{rule.line}")


def parse_directive(text: str, *, file: str, line: int) -> IgnoreRule | None:
    """The rule of one source line's `//crossvet:ignore CATEGORIES [TARGETS] -- REASON`, None
    when the line has none; ValueError for a malformed one (no category, no reason)."""
    at = text.find(DIRECTIVE)
    if at < 0:
        return None
    m = _DIRECTIVE_RE.match(text[at:].rstrip())
    if m is None:
        return None  # `//crossvet:ignored`: some other word
    head, sep, reason = (m.group(1) or "").partition("--")
    words = head.split()
    usage = (f"{DIRECTIVE} CATEGORY[,CATEGORY...] [TARGETS] -- REASON, for example "
             f"`{DIRECTIVE} overflow 32bit -- only built for 64-bit servers`")
    if not words or len(words) > 2:
        raise ValueError(f"expected {usage}")
    if not sep or not reason.strip():
        raise ValueError(f"a suppression needs a reason after ` -- `: {usage}")
    categories = tuple(spelled(c) for c in words[0].split(",") if c)
    return IgnoreRule(categories=categories,
                      targets=words[1] if len(words) == 2 else "", reason=reason.strip(),
                      by=f"{file}:{line}", file=file, line=line)


def parse_lint_directive(text: str, *, file: str, line: int) -> IgnoreRule | None:
    """staticcheck's own suppressions, for the findings of `analyzers:` (docs/lint.md):
    `//lint:ignore CHECK[,CHECK...] REASON` covers its line and the next (as an inline
    `//crossvet:ignore` does), `//lint:file-ignore CHECK[,CHECK...] REASON` the whole file;
    each CHECK is the category lint/CHECK. One that matches nothing is not reported unused:
    it may name a check of staticcheck's that `analyzers:` does not run. None when the line
    has none, or one without a reason (staticcheck reports that one itself)."""
    at = text.find(LINT_MARK)
    if at < 0:
        return None
    m = _LINT_RE.match(text[at:].rstrip())
    if m is None:
        return None
    kind, checks, reason = m.groups()
    categories = tuple(spelled(f"lint/{c}") for c in checks.split(",") if c)
    if kind == "file-ignore":
        literal = _GLOB_CHARS.sub(r"[\1]", file)
        return IgnoreRule(categories=categories, path=literal, reason=reason.strip(),
                          by=f"{file}:{line}", foreign=True)
    return IgnoreRule(categories=categories, reason=reason.strip(), by=f"{file}:{line}",
                      file=file, line=line, foreign=True)
