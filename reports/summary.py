"""The job summary ($GITHUB_STEP_SUMMARY) and the length caps GitHub puts on Markdown.

A step summary larger than 1 MiB is rejected outright (the job shows an error instead of the
report), and a comment body is limited to 65,536 characters; both are cut at a line boundary with
a note that says how much was left out and where the full report is.
"""

from __future__ import annotations

from reports import markdown
from reports.annotate import Annotations
from reports.results import Results

STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes, per step
COMMENT_LIMIT = 65536  # characters


def truncate(text: str, limit: int, note: str, *, size: type[bytes] | type[str] = bytes) -> str:
    """`text` if it fits in `limit` (bytes or characters), else a prefix cut at a line break plus
    `note` (where `{n}` is replaced by the number of lines left out)."""

    def measure(s: str) -> int:
        return len(s.encode()) if size is bytes else len(s)

    if measure(text) <= limit:
        return text
    lines = text.split("\n")
    room = limit - measure(note.format(n=len(lines))) - 2
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = measure(line) + 1
        if used + cost > room:
            break
        kept.append(line)
        used += cost
    return "\n".join(kept) + "\n\n" + note.format(n=len(lines) - len(kept))


def annotation_note(ann: Annotations, tail: str = "All findings are listed below.") -> str:
    if not ann.not_shown_total:
        return ""
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in ann.not_shown.items() if n]
    return (f"_GitHub shows at most 10 error and 10 warning annotations per step: "
            f"{' and '.join(parts)} were not annotated on the diff. {tail}_")


def step_summary(results: Results, ann: Annotations, *, limit: int = STEP_SUMMARY_LIMIT) -> str:
    body = markdown.render(results)
    note = annotation_note(ann)
    if note:
        title, _, rest = body.partition("\n\n")
        headline, _, rest = rest.partition("\n\n")
        body = f"{title}\n\n{headline}\n\n{note}\n\n{rest}"
    return truncate(body, limit - 1, "_The report was truncated to fit GitHub's 1 MiB step "
                    "summary limit: {n} more lines are in the results JSON (`crossvet report "
                    "RESULTS.json --markdown FILE` rebuilds it in full)._") + "\n"
