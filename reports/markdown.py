"""The Markdown report: a target x check status table, then findings grouped by category."""

from __future__ import annotations

from tabulate import tabulate

from reports.aggregate import CATEGORY_ORDER, CATEGORY_TITLES, Finding
from reports.results import Results

_ICON = {"ok": "✅ ok", "fail": "❌ fail", "error": "⚠️ error"}
FOLD_AFTER = 6  # target lists longer than this are folded in <details>


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _targets(f: Finding) -> str:
    ids = [f"`{t}`" for t in f.targets]
    if len(ids) <= FOLD_AFTER:
        return ", ".join(ids)
    return (f"<details><summary>{len(ids)} targets</summary>\n\n" + ", ".join(ids)
            + "\n\n</details>")


def status_table(results: Results) -> str:
    headers = ["target", *results.checks, "problems"]
    rows = []
    for t in results.targets:
        by_check = {c.check: c for c in t.checks}
        cells = [_ICON.get(by_check[c].status, by_check[c].status) if c in by_check else "—"
                 for c in results.checks]
        rows.append([f"`{t.id}`", *cells, results.problems(t.id)])
    return tabulate(rows, headers=headers, tablefmt="github")


def headline(results: Results) -> str:
    s = results.summary
    if s["error"] and not s["findings"]:
        return f"⚠️ crossvet could not check {s['error']} of {s['targets']} targets"
    if not s["findings"] and not s["error"]:
        return f"✅ crossvet: no problems on {s['targets']} targets"
    failing = sorted({t for f in results.findings if f.severity == "error" for t in f.targets})
    return (f"❌ crossvet: {s['findings']} problem{'s' if s['findings'] != 1 else ''} "
            f"on {len(failing)} of {s['targets']} targets")


def finding_block(f: Finding) -> str:
    loc = f" at `{f.location}`" if f.location else ""
    lines = [f"- **{_escape(f.title)}**{loc}: {_escape(f.message)}".replace("\n", " "),
             f"  - breaks on: {_targets(f)}" if f.severity == "error" else
             f"  - on: {_targets(f)}"]
    if f.explanation:
        lines.append(f"  - {f.explanation}")
    return "\n".join(lines)


def render(results: Results, *, title: str = "crossvet") -> str:
    parts = [f"## {title}", "", headline(results), "", status_table(results), ""]
    for category in CATEGORY_ORDER + tuple(
            sorted({f.category for f in results.findings} - set(CATEGORY_ORDER))):
        group = [f for f in results.findings if f.category == category]
        if not group:
            continue
        parts.append(f"### {CATEGORY_TITLES.get(category, category)} ({len(group)})")
        parts.append("")
        parts.extend(finding_block(f) for f in group)
        parts.append("")
    errors = [(t.id, c) for t in results.targets for c in t.checks if c.error]
    if errors:
        parts.append("### Not checked")
        parts.append("")
        parts.extend(f"- `{tid}` {c.check}: {_escape(c.error)}" for tid, c in errors)
        parts.append("")
    if results.interrupted:
        parts.append("_The run was interrupted: these results are partial._")
        parts.append("")
    return "\n".join(parts)
