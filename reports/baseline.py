"""Baselines: the findings a run is compared with, so that only new ones fail it.

A baseline is the results of an earlier run: a results file (`--baseline FILE`, written by
`crossvet baseline -o FILE`) or a run of a git revision (`--new-from-rev REV`, crossvet/gitrev.py).
Findings are matched by fingerprint (reports/fingerprint.py), never by line number. Pure: the
source lines are passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from checker.model import CheckResult
from reports import fingerprint
from reports.aggregate import Finding
from reports.results import Baseline, Results, TargetResult, map_diagnostics

SourceLine = Callable[[str, int], bytes | None]  # (module-relative file, line) -> its bytes


def with_contexts(results: Results, source_line: SourceLine) -> Results:
    """Each diagnostic with the digest of its source line and declaration (its fingerprint's
    context), read through `source_line` while the sources are at hand."""
    return map_diagnostics(results, lambda d: replace(d, context=fingerprint.source_context(
        lambda n: source_line(d.file, n), d.line)) if d.file and not d.context else d)


def compare(results: Results, base: Results, *, source: str) -> Results:
    """`results` with every finding marked new or existing against `base`'s findings."""
    return replace(results, baseline=Baseline.of(base, source))


def for_file(results: Results) -> Results:
    """What `crossvet baseline` writes: the run without timings (a committed baseline changes
    only when findings do) and without a baseline of its own."""
    def still(c: CheckResult) -> CheckResult:
        return replace(c, duration=0.0)

    def target(t: TargetResult) -> TargetResult:
        return replace(t, checks=tuple(still(c) for c in t.checks))

    return replace(results, targets=tuple(target(t) for t in results.targets), baseline=None)


@dataclass(frozen=True, kw_only=True)
class Sections:
    """A run's findings as every report orders them: what counts and is new first (without a
    baseline, everything that counts), then existing ones, then suppressed ones."""

    new: tuple[Finding, ...]
    existing: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]


def sections(results: Results) -> Sections:
    active = [f for f in results.findings if f.suppressed is None]
    return Sections(new=tuple(f for f in active if f.baseline != "existing"),
                    existing=tuple(f for f in active if f.baseline == "existing"),
                    suppressed=tuple(f for f in results.findings if f.suppressed is not None))


def split_line(results: Results) -> str:
    """`2 new, 14 existing (unchanged), 1 fixed` against a baseline; "" without one."""
    if results.baseline is None:
        return ""
    s = sections(results)
    return f"{len(s.new)} new, {len(s.existing)} existing (unchanged), {len(results.fixed)} fixed"
