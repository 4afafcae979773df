"""Write the requested report files from a Results object."""

from __future__ import annotations

import json
import os

from reports import junit, markdown, results, sarif


def _write_text(path: str, text: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def write_all(res: results.Results, *, json_path: str = "", junit_path: str = "",
              markdown_path: str = "", sarif_path: str = "",
              sarif_prefix: str = "") -> list[str]:
    """Write each report that has a path; return the paths written."""
    written = []
    if json_path:
        os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
        results.dump(res, json_path)
        written.append(json_path)
    if junit_path:
        _write_text(junit_path, junit.render(res))
        written.append(junit_path)
    if markdown_path:
        _write_text(markdown_path, markdown.render(res))
        written.append(markdown_path)
    if sarif_path:
        _write_text(sarif_path, json.dumps(sarif.render(res, prefix=sarif_prefix), indent=2) + "\n")
        written.append(sarif_path)
    return written
