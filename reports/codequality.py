"""GitLab Code Quality: the report a GitLab pipeline shows in a merge request
(`artifacts: reports: codequality:`). Pure: results in, JSON text out.

GitLab reads a JSON array of issues, each with a `description`, a `check_name`, a `fingerprint`
(unique per issue: GitLab shows only the first issue of a fingerprint), a `severity` (info, minor,
major, critical, blocker) and a `location` (`path` relative to the repository root,
`lines.begin`). Suppressed findings are left out: GitLab has no notion of them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reports.aggregate import Finding
from reports.paths import placed
from reports.results import Results


def _issue(f: Finding, prefix: str) -> dict[str, Any]:
    path = placed(f.file, f.module, prefix)
    targets = ", ".join(f.targets)
    description = f"{f.message} ({'breaks' if f.severity == 'error' else 'reported'} on " \
                  f"{targets})"
    if f.module:
        description = f"{f.module}: {description}"
    identity = "\x00".join((f.id, f.module, path, str(f.line), str(f.col)))
    return {
        "type": "issue",
        "description": description,
        "check_name": f"crossvet/{f.title}",
        "fingerprint": hashlib.sha256(identity.encode()).hexdigest()[:32],
        "severity": "major" if f.severity == "error" else "minor",
        "location": {"path": path, "lines": {"begin": f.line if f.file and f.line > 0 else 1}},
    }


def render(results: Results, *, prefix: str = "") -> str:
    """The report's text; `prefix` is the module's directory in the repository."""
    issues = [_issue(f, prefix) for f in results.findings if f.suppressed is None]
    return json.dumps(issues, indent=2) + "\n"
