"""What a person sees in a terminal or a CI log: progress while jobs run, then a summary."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from checker.model import CheckResult, combined_status
from matrix.plan import Job
from reports.aggregate import Finding
from reports.baseline import sections, split_line
from reports.modules import grouped, module_title
from reports.results import Results


def plural(n: int, noun: str) -> str:
    """`1 target`, `0 targets`, `4 targets`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


_COLORS = {"ok": "\033[32m", "fail": "\033[31m", "error": "\033[33m"}
_RESET = "\033[0m"


def colored(status: str, tty: bool) -> str:
    text = f"{status:<5}"
    return f"{_COLORS[status]}{text}{_RESET}" if tty and status in _COLORS else text


def header(jobs: Sequence[Job], go: str, jobs_width: int) -> str:
    """The first line of a run."""
    if not jobs:
        return f"crossvet: no targets to check (with {go})"
    checks = list(dict.fromkeys(c for j in jobs for c in j.checks))
    modules = len({j.module for j in jobs if j.module})
    within = f" in {plural(modules, 'module')}" if modules else ""
    return (f"crossvet: {plural(len(jobs), 'target')}{within} x {', '.join(checks)} "
            f"with {go}, {jobs_width} at a time")


def job_line(job: Job, checks: Sequence[CheckResult], *, done: int, total: int, width: int,
             tty: bool) -> str:
    """`[2/4] linux/386    fail    1 problem   (vet fail, build fail; 1.2s)`."""
    status = combined_status(tuple(checks))
    errors = len({d.key for c in checks for d in c.diagnostics
                  if d.severity == "error" and d.suppressed is None})
    secs = sum(c.duration for c in checks)
    detail = ", ".join(f"{c.check} {c.status}" for c in checks)
    n = len(str(total))
    return (f"[{done:>{n}}/{total}] {job.name:<{width}} "
            f"{colored(status, tty)} {errors:>3} problem{'s' if errors != 1 else ' '}"
            f"  ({detail}; {secs:.1f}s)")


def job_errors(checks: Sequence[CheckResult], said: Collection[str] = ()) -> list[str]:
    """A job's errors under its line, one per distinct error naming the checks it stopped; an
    error already said for an earlier job (`said`) is shortened: the same error on 27 targets
    is not 27 copies in the log."""
    by_error: dict[str, list[str]] = {}
    for c in checks:
        if c.error:
            by_error.setdefault(c.error, []).append(c.check)
    out = []
    for error, names in by_error.items():
        short = error if len(error) <= 60 else error[:60].rsplit(" ", 1)[0] + " ..."
        out.append(f"      {', '.join(names)}: "
                   + (error if error not in said else f"as above: {short}"))
    return out


def job_problems(checks: Sequence[CheckResult]) -> list[str]:
    """A job's details for a CI log group: its errors, then one line per problem naming every
    check that found it."""
    lines = [f"{c.check}: {c.error}" for c in checks if c.error]
    found: dict[tuple[str, int, int, str], list[str]] = {}
    for c in checks:
        for d in c.diagnostics:
            found.setdefault(d.key, []).append(c.check)
    for (file, line_no, col, message), by in found.items():
        loc = f"{file}:{line_no}:{col}: " if file else ""
        lines.append(f"{','.join(dict.fromkeys(by))}: {loc}{message}")
    return lines


def running_line(running: Mapping[str, float], now: float, columns: int) -> str:
    """The live status line: what is running and for how long, longest first, cut to fit."""
    if not running:
        return ""
    items = sorted(running.items(), key=lambda kv: (kv[1], kv[0]))
    parts = [f"{label} {now - since:.0f}s" for label, since in items]
    line = "running: " + ", ".join(parts)
    shown = len(parts)
    while len(line) > columns - 1 and shown > 1:
        shown -= 1
        line = f"running: {', '.join(parts[:shown])} and {len(parts) - shown} more"
    return line[:max(0, columns - 1)]


def status_table(results: Results) -> str:
    several = bool(results.module_dirs)
    headers = [*(["module"] if several else []), "target", *results.checks, "problems", "time"]
    rows: list[list[str | int]] = []
    for t in results.targets:
        by_check = {c.check: c for c in t.checks}
        cells = [by_check[c].status if c in by_check else "-" for c in results.checks]
        name = [t.module, t.id] if several else [t.id]
        rows.append([*name, *cells, results.problems(t),
                     f"{sum(c.duration for c in t.checks):.1f}s"])
    return simple_table(headers, rows)


def simple_table(headers: Sequence[str], rows: Sequence[Sequence[str | int]]) -> str:
    """Columns two spaces apart, each at least its header's width plus two, a dashed line under
    the headers; a column of numbers right-aligned, others left. As tabulate's "simple" format
    draws such cells (tests/unit/reports/test_reports.py compares them), without importing
    tabulate: it imports importlib.metadata, a fifth of a warm run's start."""
    numeric = [bool(rows) and all(isinstance(r[i], int) for r in rows)
               for i in range(len(headers))]
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h) + 2, *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()
    return "\n".join([line(headers), "  ".join("-" * w for w in widths),
                      *(line(r) for r in cells)])


def _finding_lines(f: Finding, all_targets: int) -> list[str]:
    where = f"{f.location}: " if f.location else ""
    lines = [f"{f.severity} [{f.title}] {where}{f.message}"]
    on = ", ".join(f.targets)  # in a run of several modules: f.module's targets
    lines.append(f"    on {len(f.targets)}/{all_targets} targets: {on}")
    if f.explanation:
        lines.append(f"    why: {f.explanation}")
    return lines


def _short(f: Finding) -> str:
    where = f"{f.location}: " if f.location else ""
    module = f"{f.module}: " if f.module else ""  # whose targets, in a run of several modules
    return f"    {module}[{f.title}] {where}{f.message.splitlines()[0] if f.message else ''}"


def _folded(results: Results) -> list[str]:
    """Existing, suppressed and fixed findings, one line each; unused suppressions."""
    parts = sections(results)
    out: list[str] = []
    if parts.existing:
        out += ["", f"{len(parts.existing)} existing (in the baseline "
                f"{results.baseline.source if results.baseline else ''}):"]
        out += [_short(f) for f in parts.existing]
    if results.fixed:
        out += ["", f"{len(results.fixed)} fixed (in the baseline, gone now):"]
        out += [f"    [{e.title}] {e.location + ': ' if e.location else ''}{e.message}"
                for e in results.fixed]
    if parts.suppressed:
        out += ["", f"{len(parts.suppressed)} suppressed:"]
        for f in parts.suppressed:
            assert f.suppressed is not None
            out += [_short(f) + f" (on {', '.join(f.targets)})",
                    f"        by {f.suppressed.by}: {f.suppressed.reason}"]
    for u, targets in results.unused_rules:
        out.append(f"warning: unused suppression at {u.by} ({u.rule}): it matched nothing on "
                   f"{plural(len(targets), 'target')} it applies to")
    return out


def summary(results: Results) -> str:
    out = ["", status_table(results), ""] if results.targets else [""]
    lead = {id(f) for f in sections(results).new}  # new findings lead; the rest are folded
    for module, targets, findings in grouped(results):
        shown = [f for f in findings if id(f) in lead]
        if module and shown:
            n = sum(1 for f in shown if f.severity == "error")
            out.append(f"module {module_title(results, module)}: {plural(n, 'finding')}")
        for f in shown:
            out.extend(_finding_lines(f, len(targets) if module else len(results.targets)))
    out.extend(_folded(results))
    s = results.summary
    errors: list[str] = []
    for why in results.not_checked:  # each error once, with the targets and checks it stopped
        if why.single:
            errors.append(f"{why.single[0]}: {why.single[1]}: {why.error}")
            continue
        errors.append(why.error)
        errors += [f"    {', '.join(checks)} on {plural(len(names), 'target')}: "
                   f"{', '.join(names)}" for checks, names in why.where]
    if results.error:
        errors.insert(0, results.error)
    if errors:
        if out[-1]:
            out.append("")
        out.append("could not check:")
        out.extend(f"    {e}" for e in errors)
    if out[-1]:  # a clean run's table is followed by its blank line already
        out.append("")
    tail = (f"{s['findings']} finding{'s' if s['findings'] != 1 else ''}"
            + (f", {s['warnings']} warning{'s' if s['warnings'] != 1 else ''}"
               if s["warnings"] else "")
            + f" on {plural(s['targets'], 'target')}: {s['ok']} ok, {s['fail']} failing, "
            f"{s['error']} not checked")
    split = split_line(results)
    if split:
        tail += f"; {split}"
    if s["suppressed"]:
        tail += f"; {s['suppressed']} suppressed"
    if not results.targets and results.error:  # stopped before any target: not a count
        tail = "no target was checked"
    if results.interrupted:
        tail += " (interrupted: results are partial)"
    out.append(tail)
    return "\n".join(out) + "\n"
