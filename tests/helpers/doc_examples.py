"""The shell examples of README.md and docs/*.md, as the test suite runs them.

Every fenced block whose info string is `sh` (or `bash`, `shell`, `console`) is an example the
suite runs (tests/e2e/test_doc_examples.py), so a broken example cannot land. An HTML comment
on the line just before the fence changes that, and is the only way to:

    <!-- example: exit 1 -->                  the block's expected exit status (default 0)
    <!-- example: not run: <reason> -->       not runnable offline in a test (say why)

Anything else after `<!-- example:` is an error, as is a `not run` without a reason: a block
is run or it says why not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHELLS = ("sh", "bash", "shell", "console")
_FENCE = re.compile(
    r"^(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_MARK = re.compile(r"<!--\s*example:(?P<what>.*?)-->\s*$")


class MarkError(ValueError):
    """A marker that says nothing valid."""


@dataclass(frozen=True, kw_only=True)
class Example:
    file: str
    line: int  # of the opening fence, 1-based
    code: str
    exit: int = 0
    skip: str = ""  # why it is not run ("" = run)

    @property
    def name(self) -> str:
        return f"{self.file}:{self.line}"


def _mark(text: str, where: str) -> tuple[int, str]:
    what = text.strip()
    m = re.fullmatch(r"exit (\d+)", what)
    if m:
        return int(m.group(1)), ""
    m = re.fullmatch(r"not run:(.*)", what, re.S)
    if m:
        reason = m.group(1).strip()
        if not reason:
            raise MarkError(f"{where}: `not run` needs a reason")
        return 0, reason
    raise MarkError(f"{where}: unknown example marker {what!r} (use `exit N` or "
                    "`not run: REASON`)")


def examples(text: str, file: str) -> list[Example]:
    """The shell examples of one Markdown text, with their markers applied."""
    found = []
    fences = list(_FENCE.finditer(text))
    for m in fences:
        if m.group("info").split()[:1] not in ([s] for s in SHELLS):
            continue
        line = text.count("\n", 0, m.start()) + 1
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        exit_code, skip = 0, ""
        mark = _MARK.search(before)
        if mark:
            exit_code, skip = _mark(mark.group("what"), f"{file}:{line}")
        found.append(Example(file=file, line=line, code=m.group("body"), exit=exit_code,
                             skip=skip))
    inside = [(f.start(), f.end()) for f in fences]
    for mark in re.finditer(r"^<!--\s*example:.*?-->", text, re.S | re.M):  # a line's start
        after = text[mark.end():].lstrip(" \t")
        nxt = after[1:] if after.startswith("\n") else "x"
        if any(a <= mark.start() < b for a, b in inside):
            continue
        if not re.match(rf"(```+|~~~+)[ \t]*({'|'.join(SHELLS)})\b", nxt):
            line = text.count("\n", 0, mark.start()) + 1
            raise MarkError(f"{file}:{line}: an example marker must be on the line just before "
                            "a ```sh block")
    return found


def doc_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def all_examples(root: Path) -> list[Example]:
    out = []
    for path in doc_files(root):
        out.extend(examples(path.read_text(encoding="utf-8"), str(path.relative_to(root))))
    return out
