"""What a person sees in a terminal or a CI log: progress while jobs run, then a summary."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TextIO

from tabulate import tabulate

from checker.model import CheckResult, combined_status
from matrix.plan import Job
from reports.aggregate import Finding
from reports.baseline import sections, split_line
from reports.results import Results


def plural(n: int, noun: str) -> str:
    """`1 target`, `0 targets`, `4 targets`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


_COLORS = {"ok": "\033[32m", "fail": "\033[31m", "error": "\033[33m"}
_RESET = "\033[0m"


class Progress:
    """Prints one line per finished job. In GitHub Actions each job's details go in a group."""

    def __init__(self, out: TextIO, *, total: int, tty: bool, github: bool) -> None:
        self._out = out
        self._total = total
        self._done = 0
        self._tty = tty
        self._github = github
        self._lock = threading.Lock()
        self._width = 12

    def start(self, jobs: Sequence[Job], go: str, jobs_width: int) -> None:
        self._width = max([12, *(len(j.name) for j in jobs)])
        checks = list(dict.fromkeys(c for j in jobs for c in j.checks))
        if not jobs:
            self._out.write(f"crossvet: no targets to check (with {go})\n")
        else:
            self._out.write(f"crossvet: {plural(len(jobs), 'target')} x {', '.join(checks)} "
                            f"with {go}, {jobs_width} at a time\n")
        self._out.flush()

    def _status(self, status: str) -> str:
        text = f"{status:<5}"
        return f"{_COLORS[status]}{text}{_RESET}" if self._tty and status in _COLORS else text

    def on_job(self, job: Job, checks: tuple[CheckResult, ...]) -> None:
        with self._lock:
            self._done += 1
            status = combined_status(checks)
            errors = len({d.key for c in checks for d in c.diagnostics if d.severity == "error"})
            secs = sum(c.duration for c in checks)
            detail = ", ".join(f"{c.check} {c.status}" for c in checks)
            n = len(str(self._total))
            line = (f"[{self._done:>{n}}/{self._total}] {job.name:<{self._width}} "
                    f"{self._status(status)} {errors:>3} problem{'s' if errors != 1 else ' '}"
                    f"  ({detail}; {secs:.1f}s)")
            if self._github:
                self._out.write(f"::group::{line}\n")
                for c in checks:
                    if c.error:
                        self._out.write(f"{c.check}: {c.error}\n")
                # One line per problem, naming every check that found it.
                found: dict[tuple[str, int, int, str], list[str]] = {}
                for c in checks:
                    for d in c.diagnostics:
                        found.setdefault(d.key, []).append(c.check)
                for (file, line_no, col, message), by in found.items():
                    loc = f"{file}:{line_no}:{col}: " if file else ""
                    self._out.write(f"{','.join(dict.fromkeys(by))}: {loc}{message}\n")
                self._out.write("::endgroup::\n")
            else:
                self._out.write(line + "\n")
                for c in checks:
                    if c.error:
                        self._out.write(f"      {c.check}: {c.error}\n")
            self._out.flush()


def status_table(results: Results) -> str:
    headers = ["target", *results.checks, "problems", "time"]
    rows = []
    for t in results.targets:
        by_check = {c.check: c for c in t.checks}
        cells = [by_check[c].status if c in by_check else "-" for c in results.checks]
        rows.append([t.id, *cells, results.problems(t.id),
                     f"{sum(c.duration for c in t.checks):.1f}s"])
    return tabulate(rows, headers=headers, tablefmt="simple")


def _finding_lines(f: Finding, all_targets: int) -> list[str]:
    where = f"{f.location}: " if f.location else ""
    lines = [f"{f.severity} [{f.title}] {where}{f.message}"]
    on = ", ".join(f.targets)
    lines.append(f"    on {len(f.targets)}/{all_targets} targets: {on}")
    if f.explanation:
        lines.append(f"    why: {f.explanation}")
    return lines


def _short(f: Finding) -> str:
    where = f"{f.location}: " if f.location else ""
    return f"    [{f.title}] {where}{f.message.splitlines()[0] if f.message else ''}"


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
    for u in results.unused_ignores:
        out.append(f"warning: unused suppression at {u.by} ({u.rule}): it matched nothing on "
                   f"{plural(len(u.targets), 'target')} it applies to")
    return out


def summary(results: Results) -> str:
    out = ["", status_table(results), ""]
    for f in sections(results).new:
        out.extend(_finding_lines(f, len(results.targets)))
    out.extend(_folded(results))
    s = results.summary
    errors = [f"{t.id}: {c.check}: {c.error}" for t in results.targets for c in t.checks
              if c.error]
    if errors:
        out.append("")
        out.append("could not check:")
        out.extend(f"    {e}" for e in errors)
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
    if results.interrupted:
        tail += " (interrupted: results are partial)"
    out.append(tail)
    return "\n".join(out) + "\n"
