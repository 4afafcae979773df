"""Write the requested report files from a Results object (the only I/O of the reports)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from reports import escape, junit, markdown, results, sarif


def _write_text(path: str, text: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def source_lines(module_dir: str) -> Callable[[str, int], bytes | None]:
    """A reader of source lines under `module_dir` for SARIF's columns: (module-relative file,
    1-based line) -> the line's bytes, None when the file is outside the module or unreadable.
    Lines are split at `\\n`, as Go counts them; each file is read once."""
    root = os.path.realpath(module_dir)
    cache: dict[str, list[bytes] | None] = {}

    def read(file: str) -> list[bytes] | None:
        if not file or os.path.isabs(file):
            return None
        path = os.path.realpath(os.path.join(root, file))
        if not path.startswith(root.rstrip(os.sep) + os.sep):
            return None
        try:
            with open(path, "rb") as fh:
                return fh.read().split(b"\n")
        except OSError:
            return None

    def line(file: str, number: int) -> bytes | None:
        if file not in cache:
            cache[file] = read(file)
        lines = cache[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    return line


def _full_list(json_path: str) -> str:
    if json_path:
        return f"the results JSON ({escape.code(json_path)})"
    return "the results JSON (write it with `--json FILE`)"


def write_all(res: results.Results, *, json_path: str = "", junit_path: str = "",
              markdown_path: str = "", sarif_path: str = "",
              sarif_prefix: str = "", module_dir: str = "") -> list[str]:
    """Write each report that has a path; return the paths written. `module_dir` is where the
    sources are, for SARIF's columns (without it, SARIF results carry lines but no columns)."""
    written = []
    if json_path:
        os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
        results.dump(res, json_path)
        written.append(json_path)
    if junit_path:
        _write_text(junit_path, junit.render(res))
        written.append(junit_path)
    if markdown_path:
        report = markdown.build(res, limit=markdown.FILE_LIMIT, where=_full_list(json_path))
        _write_text(markdown_path, report.text)
        written.append(markdown_path)
    if sarif_path:
        log = sarif.render(res, prefix=sarif_prefix,
                           source_line=source_lines(module_dir) if module_dir else None)
        _write_text(sarif_path, json.dumps(log, indent=2) + "\n")
        written.append(sarif_path)
    return written
