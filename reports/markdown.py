"""The Markdown report: a target x check status table, then findings grouped by category.

Every piece of text that comes from the checked code (file names, messages, analyzer names, run
errors) goes through `reports.escape`, so the report renders it literally. `build` can cap the
report at a size: whole findings are left out from the least important end, and a note says how
many and where the full list is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tabulate import tabulate

from matrix import categories
from reports import escape
from reports.aggregate import Finding
from reports.baseline import sections, split_line
from reports.modules import grouped, module_title
from reports.results import Results

_ICON = {"ok": "✅ ok", "fail": "❌ fail", "error": "⚠️ error"}
FOLD_AFTER = 6  # target lists longer than this are folded in <details>
FILE_LIMIT = 1024 * 1024  # bytes: the --markdown file gets the step summary's cap
FULL_LIST = "the results JSON"
CUT_NOTE = ("_The report was truncated to its {limit} limit: {n} finding{s} not shown; "
            "the full list is in {where}._")


def size_of(text: str, size: type[bytes] | type[str]) -> int:
    return len(text.encode()) if size is bytes else len(text)


def truncate(text: str, limit: int, note: str, *, size: type[bytes] | type[str] = bytes) -> str:
    """`text` if it fits in `limit` (bytes or characters), else a prefix cut at a line break plus
    `note` (where `{n}` is replaced by the number of lines left out)."""
    if size_of(text, size) <= limit:
        return text
    lines = text.split("\n")
    room = limit - size_of(note.format(n=len(lines)), size) - 2
    kept = _fit(lines, room, size)
    return "\n".join(lines[:kept]) + "\n\n" + note.format(n=len(lines) - kept)


def _fit(lines: Sequence[str], room: int, size: type[bytes] | type[str]) -> int:
    """How many of `lines` fit in `room` (each costs its size plus a line break)."""
    used = 0
    for i, line in enumerate(lines):
        used += size_of(line, size) + 1
        if used > room:
            return i
    return len(lines)


def _targets(f: Finding) -> str:
    ids = [escape.code(t) for t in f.targets]
    if len(ids) <= FOLD_AFTER:
        return ", ".join(ids)
    return (f"<details><summary>{len(ids)} targets</summary>\n\n" + ", ".join(ids)
            + "\n\n</details>")


def status_table(results: Results) -> str:
    several = bool(results.module_dirs)
    headers = [*(["module"] if several else []), "target", *results.checks, "problems"]
    rows = []
    for t in results.targets:
        by_check = {c.check: c for c in t.checks}
        cells = [escape.text(_ICON.get(by_check[c].status, by_check[c].status))
                 if c in by_check else "—" for c in results.checks]
        name = ([escape.code(t.module, table=True), escape.code(t.id, table=True)]
                if several else [escape.code(t.id, table=True)])
        rows.append([*name, *cells, results.problems(t)])
    return tabulate(rows, headers=[escape.text(h) for h in headers], tablefmt="github",
                    disable_numparse=True)


def headline(results: Results) -> str:
    s = results.summary
    if not results.targets and (results.error or results.interrupted):
        return "⚠️ crossvet could not check any target"  # stopped while planning
    if results.baseline is not None and not s["error"]:
        existing = f" ({s['existing']} existing)" if s["existing"] else ""
        if not s["new"]:
            return f"✅ crossvet: no new problems on {s['targets']} targets{existing}"
        failing = sorted({t for f in sections(results).new if f.counts for t in f.targets})
        return (f"❌ crossvet: {s['new']} new problem{'s' if s['new'] != 1 else ''} "
                f"on {len(failing)} of {s['targets']} targets{existing}")
    if s["error"] and not s["findings"]:
        return f"⚠️ crossvet could not check {s['error']} of {s['targets']} targets"
    if not s["findings"] and not s["error"]:
        return f"✅ crossvet: no problems on {s['targets']} targets"
    failing = sorted({t for f in results.findings if f.counts for t in f.targets})
    return (f"❌ crossvet: {s['findings']} problem{'s' if s['findings'] != 1 else ''} "
            f"on {len(failing)} of {s['targets']} targets")


def finding_line(title: str, location: str, message: str) -> str:
    """`- **title** at `file:line:col`: message`, every part escaped (also used for the fixed
    findings of the pull-request comment)."""
    loc = f" at {escape.code(location)}" if location else ""
    return f"- **{escape.text(title)}**{loc}: {escape.text(message)}"


def _of(f: Finding) -> str:
    """` (module `app`)`: whose targets, where a list is not in its module's section."""
    return f" (module {escape.code(f.module)})" if f.module else ""


def finding_block(f: Finding, *, module: bool = False) -> str:
    of = _of(f) if module else ""
    lines = [finding_line(f.title, f.location, f.message),
             f"  - breaks on: {_targets(f)}{of}" if f.severity == "error" else
             f"  - on: {_targets(f)}{of}"]
    if f.explanation:  # crossvet's own Markdown, naming targets only
        lines.append(f"  - {f.explanation}")
    return "\n".join(lines)


@dataclass(frozen=True, kw_only=True)
class Report:
    text: str
    shown: int  # findings in the text
    total: int

    @property
    def omitted(self) -> int:
        return self.total - self.shown


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    order = categories.NAMES + tuple(sorted({f.category for f in findings} - set(categories.NAMES)))
    return [(c, [f for f in findings if f.category == c]) for c in order
            if any(f.category == c for f in findings)]


def _sections(results: Results,
              findings: Sequence[Finding]) -> list[tuple[list[str], list[Finding]]]:
    """(heading lines, findings) in report order: a section per category; in a run of several
    modules, per module (a `### Module` heading) and category within it (`####`)."""
    if not results.module_dirs:
        return [([f"### {categories.TITLES.get(c, escape.text(c))} ({len(group)})", ""], group)
                for c, group in _groups(findings)]
    shown = {id(f) for f in findings}
    out: list[tuple[list[str], list[Finding]]] = []
    for module, _, own in grouped(results):
        mine = [f for f in own if id(f) in shown]
        for i, (c, group) in enumerate(_groups(mine)):
            top = [f"### Module {escape.code(module_title(results, module))}", ""] if i == 0 \
                else []
            out.append(([*top, f"#### {categories.TITLES.get(c, escape.text(c))} ({len(group)})",
                         ""], group))
    return out


def _details(summary: str, lines: Sequence[str]) -> list[str]:
    return [f"<details><summary>{summary}</summary>", "", *lines, "", "</details>", ""]


def folded(results: Results) -> list[str]:
    """Existing (in the baseline) and suppressed findings, folded; the fixed ones; unused
    suppressions."""
    parts = sections(results)
    out: list[str] = []
    if parts.existing:
        source = escape.code(results.baseline.source) if results.baseline else ""
        out += _details(f"{len(parts.existing)} existing finding"
                        f"{'s' if len(parts.existing) != 1 else ''} (in the baseline {source})",
                        [finding_block(f, module=True) for f in parts.existing])
    if results.fixed:
        out += [f"### Fixed ({len(results.fixed)})", ""]
        out += ["- ✅ ~~" + finding_line(e.title, e.location, e.message)[2:] + "~~"
                for e in results.fixed]
        out.append("")
    if parts.suppressed:
        lines = []
        for f in parts.suppressed:
            assert f.suppressed is not None
            lines += [finding_line(f.title, f.location, f.message),
                      f"  - on: {_targets(f)}{_of(f)}",
                      f"  - suppressed by {escape.code(f.suppressed.by)}: "
                      f"{escape.text(f.suppressed.reason)}"]
        n = len(parts.suppressed)
        out += _details(f"{n} suppressed finding{'s' if n != 1 else ''}", lines)
    unused = results.unused_rules
    if unused:
        out += [f"### Unused suppressions ({len(unused)})", ""]
        out += [f"- ⚠️ {escape.code(u.by)} ({escape.text(u.rule)}): matched nothing on the "
                f"{len(ts)} target{'s' if len(ts) != 1 else ''} it applies to"
                for u, ts in unused]
        out.append("")
    return out


def _tail(results: Results) -> list[str]:
    parts: list[str] = []
    if results.error:
        parts += ["### Not checked", "", escape.text(results.error), ""]
    if results.not_checked:
        parts += ["### Not checked", ""]
        for n in results.not_checked:
            if n.single:
                parts.append(f"- {escape.code(n.single[0])} {escape.text(n.single[1])}: "
                             f"{escape.text(n.error)}")
                continue
            parts.append(f"- {escape.text(n.error)}")
            parts += [f"  - {escape.text(', '.join(checks))} on "
                      f"{', '.join(escape.code(t) for t in names)}" for checks, names in n.where]
        parts.append("")
    if results.interrupted:
        parts += ["_The run was interrupted: these results are partial._", ""]
    return parts


def build(results: Results, *, title: str = "crossvet", notes: Sequence[str] = (),
          limit: int | None = None, size: type[bytes] | type[str] = bytes,
          limit_name: str = "1 MiB", where: str = FULL_LIST, cut_note: str = CUT_NOTE
          ) -> Report:
    """The report, with `notes` (paragraphs) under the headline. With a `limit` (in bytes or
    characters, per `size`), findings that do not fit are left out, least important first, and
    `cut_note` says how many and `where` the full list is."""
    head = [f"## {escape.text(title)}", "", headline(results), ""]
    split = split_line(results)
    if split and results.baseline is not None:
        head += [f"**{split}** (baseline: {escape.code(results.baseline.source)})", ""]
    for note in notes:
        head += [note, ""]
    head += [status_table(results), ""]
    tail = _tail(results)
    lead = sections(results).new
    total = len(lead)
    extra = folded(results)
    extra_note = ([f"_{len(results.findings) - total} existing or suppressed findings are not "
                   f"shown here: they are in {where}._", ""] if extra else [])

    def note_for(n: int) -> str:
        return cut_note.format(limit=limit_name, n=n, s="s" if n != 1 else "", where=where)

    body: list[str] = []
    shown = 0
    room = None if limit is None else (
        limit - size_of("\n".join(head + tail + extra_note), size)
        - size_of(note_for(total), size) - 6)
    used = 0
    full = True
    for heading, group in _sections(results, lead):
        blocks = [finding_block(f) for f in group]
        if room is not None:
            cost = sum(size_of(x, size) + 1 for x in heading)
            fit = 0
            for b in blocks:
                cost += size_of(b, size) + 1
                if used + cost + 1 > room:
                    break
                fit += 1
            if fit < len(blocks):
                full = False
                if fit:
                    body += heading + blocks[:fit] + [""]
                    shown += fit
                break
            used += cost + 1
        body += [*heading, *blocks, ""]
        shown += len(blocks)
    parts = head + body
    if not full:
        parts += [note_for(total - shown), ""]
    if extra:  # folded sections when they fit, else a line saying where they are
        fits = full and (room is None or used + size_of("\n".join(extra), size) + 2 <= room)
        parts += extra if fits else extra_note
    parts += tail
    text = "\n".join(parts)
    if limit is not None and size_of(text, size) > limit:
        # The table and the "not checked" list alone do not fit: cut at a line, say so.
        text = truncate(text, limit, note_for(total) + " ({n} lines left out)", size=size)
        return Report(text=text, shown=0, total=total)
    return Report(text=text, shown=shown, total=total)


def render(results: Results, *, title: str = "crossvet", limit: int | None = None) -> str:
    return build(results, title=title, limit=limit).text
