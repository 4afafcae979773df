"""The files crossvet reads and writes: results files, and the report files from them.

Every write is atomic (checker/atomic.py): a reader, an interrupted run or a failed write never
leaves half a file or a stray temporary one.
"""

from __future__ import annotations

import json

from checker import atomic
from matrix.errors import UsageError
from reports import junit, markdown, sarif
from reports.results import Results, from_text, to_text


def load(path: str) -> Results:
    """A results file (schema 1), validated."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    return from_text(text, source=path)


def dump(results: Results, path: str) -> None:
    atomic.write_text(path, to_text(results))


def write_all(res: Results, *, json_path: str = "", junit_path: str = "",
              markdown_path: str = "", sarif_path: str = "",
              sarif_prefix: str = "") -> list[str]:
    """Write each report that has a path; return the paths written."""
    written = []
    if json_path:
        dump(res, json_path)
        written.append(json_path)
    if junit_path:
        atomic.write_text(junit_path, junit.render(res))
        written.append(junit_path)
    if markdown_path:
        atomic.write_text(markdown_path, markdown.render(res))
        written.append(markdown_path)
    if sarif_path:
        atomic.write_text(sarif_path,
                          json.dumps(sarif.render(res, prefix=sarif_prefix), indent=2) + "\n")
        written.append(sarif_path)
    return written
