"""A finding's fingerprint: its identity across edits, for baselines, the pull-request comment's
"fixed" list and SARIF's `partialFingerprints`. Pure: the source lines are passed in.

The fingerprint hashes the category, the analyzer, the file, the normalized message and the
finding's *source context*: the text of its line and the name of the declaration around it. It
leaves out the line number, so inserting lines above a finding does not change it; whitespace
and comments are left out of the line text, so reformatting (gofmt re-aligning a block) does not
either; and the declaration tells two identical lines in two functions apart.

The context is computed when the run finishes, while the sources are at hand (crossvet reads
them), and kept in the results file on each diagnostic, so `crossvet report` and `merge`
recompute the same fingerprints from the file alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

LineOf = Callable[[int], bytes | None]  # 1-based line number -> that line of one file

_POSITION_RE = re.compile(r"(\.go):\d+(?::\d+)?")
_AND_MORE_RE = re.compile(r" \(and \d+ more errors?\)")
_SPACE_RE = re.compile(rb"\s+")
_DECL_RE = re.compile(rb"^(func|type|var|const)\b\s*(\([^)]*\))?\s*([A-Za-z_]\w*|\()?")
DECL_SCAN = 10_000  # lines looked at above a finding for its declaration


def normalize_message(message: str) -> str:
    """The message without what changes when unrelated code moves: positions of other
    declarations (`other declaration of x at a.go:12:3`), vet's `(and N more errors)`, and
    runs of whitespace."""
    text = _AND_MORE_RE.sub("", _POSITION_RE.sub(r"\1", message))
    return " ".join(text.split())


def _squash(line: bytes) -> bytes:
    code = line.split(b"//", 1)[0]
    return _SPACE_RE.sub(b"", code)


def declaration(line_of: LineOf, line: int) -> bytes:
    """The name of the top-level declaration that contains `line` (gofmt puts every one at the
    start of its line): `func(*T)Name`, `typeName`, `var(`; empty above the first one."""
    for n in range(line, max(0, line - DECL_SCAN), -1):
        text = line_of(n)
        if text is None:
            continue
        m = _DECL_RE.match(text)
        if m:
            return b"".join(_SPACE_RE.sub(b"", g) for g in m.groups() if g)
    return b""


def source_context(line_of: LineOf, line: int) -> str:
    """The digest of a finding's line (without whitespace and comments) and its declaration;
    "" when the position or the file is unknown."""
    if line < 1:
        return ""
    text = line_of(line)
    if text is None:
        return ""
    digest = hashlib.sha256(_squash(text) + b"\x00" + declaration(line_of, line))
    return digest.hexdigest()[:16]


def fingerprint(*, category: str, analyzer: str, file: str, message: str, context: str) -> str:
    text = "\x00".join((category, analyzer, file, normalize_message(message), context))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
