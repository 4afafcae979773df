"""The sticky pull-request comment's body: pure text in, text out.

The body starts with two hidden HTML comments: a marker naming the comment's key (how the next run
finds the comment to update) and the findings it reported (id, title, location, message), so the
next run can list the findings that are gone as fixed. The visible part is the Markdown report,
cut to GitHub's 65,536-character limit with a note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from matrix.errors import UsageError
from reports import escape, markdown
from reports.aggregate import Finding
from reports.results import Results
from reports.summary import COMMENT_LIMIT, truncate

DEFAULT_KEY = "crossvet"
DATA_VERSION = 2  # 2: findings recorded by fingerprint (reports/fingerprint.py)
DATA_BUDGET = 16_000  # characters of hidden finding data, leaving the rest for the report
_KEY_RE = re.compile(r"^[A-Za-z0-9._/-]{1,100}$")
_DATA_RE = re.compile(r"<!-- crossvet-data (\{.*?\}) -->")
_MESSAGE_CHARS = 100


@dataclass(frozen=True, kw_only=True)
class Seen:
    """A finding as recorded in an earlier comment."""

    id: str
    title: str = ""
    location: str = ""
    message: str = ""


def check_key(key: str) -> str:
    if not _KEY_RE.match(key):
        raise UsageError(f"bad comment key {key!r}: use letters, digits, '.', '_', '/', '-'")
    return key


def marker(key: str) -> str:
    return f"<!-- crossvet-comment key={check_key(key)} -->"


def is_ours(body: str, key: str) -> bool:
    return body.startswith(marker(key) + "\n") or body == marker(key)


def _encode(data: object) -> str:
    # `<` and `>` escaped so no message can close the HTML comment early.
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def data_line(findings: Sequence[Finding], *, budget: int = DATA_BUDGET) -> str:
    """Every id while they fit (they decide what is fixed), details for as many as fit too."""
    costs = [len(_encode([f.fingerprint])) + 1 for f in findings]
    entries: list[list[str]] = []
    complete = sum(costs) <= budget
    room = budget - sum(costs)
    used = 0
    for f, cost in zip(findings, costs, strict=True):
        if not complete:  # not even every id fits: keep the most important ones
            if used + cost > budget:
                break
            used += cost
            entries.append([f.fingerprint])
            continue
        message = f.message if len(f.message) <= _MESSAGE_CHARS else (
            f.message[:_MESSAGE_CHARS - 1] + "…")
        entry = [f.fingerprint, f.title, f.location, message]
        extra = len(_encode(entry)) + 1 - cost
        if extra <= room:
            room -= extra
            entries.append(entry)
        else:
            entries.append([f.fingerprint])
    data = {"v": DATA_VERSION, "complete": complete, "f": entries}
    return f"<!-- crossvet-data {_encode(data)} -->"


def previous(body: str) -> tuple[Seen, ...]:
    """The findings an earlier comment recorded; () when it recorded none or is unreadable."""
    m = _DATA_RE.search(body)
    if not m:
        return ()
    try:
        data = json.loads(m.group(1))
        if data.get("v") != DATA_VERSION:  # v1 recorded finding ids, not fingerprints
            return ()
        return tuple(Seen(**dict(zip(("id", "title", "location", "message"), map(str, e),
                                     strict=False)))
                     for e in data.get("f", ()) if isinstance(e, list) and e)
    except (ValueError, TypeError, AttributeError):
        return ()


def _fixed_block(fixed: Sequence[Seen]) -> str:
    lines = [f"### Fixed since the last run ({len(fixed)})", ""]
    for s in fixed:
        if s.title:
            lines.append(f"- ✅ ~~{markdown.finding_line(s.title, s.location, s.message)[2:]}~~")
        else:
            lines.append(f"- ✅ ~~finding {escape.code(s.id)}~~")
    return "\n".join(lines) + "\n"


FULL_LIST = "the results JSON (the workflow's results artifact)"
CUT_NOTE = ("_This comment was truncated to GitHub's {limit} limit: {n} finding{s} not "
            "shown; the full list is in {where}._")
FIXED_BUDGET = 8_000  # characters of "fixed since the last run", so the report keeps its room


def render(results: Results, *, key: str = DEFAULT_KEY, before: Sequence[Seen] = (),
           run_url: str = "", limit: int = COMMENT_LIMIT, where: str = FULL_LIST) -> str:
    """The full comment body; `before` is what the comment being replaced had recorded."""
    now = {f.fingerprint for f in results.findings}
    fixed = [s for s in before if s.id not in now]
    head = f"{marker(key)}\n{data_line(results.findings)}\n"
    notes = []
    if before:
        seen = {s.id for s in before}
        new = sum(1 for f in results.findings if f.fingerprint not in seen)
        notes.append(f"_Since the last run: {new} new, {len(fixed)} fixed._")
    extra = ""
    if fixed:
        extra += "\n" + truncate(_fixed_block(fixed), FIXED_BUDGET,
                                 "_{n} more lines of fixed findings are not shown._", size=str)
    if run_url:
        extra += f"\n[Full log and job summary]({run_url})\n"
    report = markdown.build(results, title=f"crossvet ({key})" if key != DEFAULT_KEY
                            else "crossvet", notes=notes, limit=limit - len(head) - len(extra),
                            size=str, limit_name="65,536-character", where=where,
                            cut_note=CUT_NOTE)
    return head + report.text + extra
