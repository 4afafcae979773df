"""Merged jobs in the results: a job that ran once for several equivalent names is reported
under every name.

Choice (documented in docs/planner.md): each name gets its own TargetResult, a copy of the job
that ran with the target and every diagnostic relabelled, and `aliases` listing the group's
other names. Findings therefore list every name, and the status table has a row per name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from checker.model import CheckResult
from matrix.plan import Plan, sort_key
from reports.results import TargetResult


def relabel(check: CheckResult, name: str) -> CheckResult:
    return replace(check, target=name,
                   diagnostics=tuple(replace(d, target=name) for d in check.diagnostics))


def result_key(t: TargetResult) -> tuple[object, ...]:
    return sort_key(t.goos, t.goarch, t.variant, t.tags, cgo=t.cgo, go_version=t.go_version)


def expand(targets: Sequence[TargetResult], plan: Plan) -> tuple[TargetResult, ...]:
    """Add a result for every merged job, all in plan order."""
    by_name = {t.name: t for t in targets}
    out = list(targets)
    for job in plan.merged:
        ran = by_name.get(job.alias_names[0]) if job.aliases else None
        if ran is None:
            continue
        others = tuple(n for n in (ran.id, *ran.aliases) if n != job.target_id)
        out.append(TargetResult.from_job(replace(job, aliases=others),
                                         [relabel(c, job.name) for c in ran.checks]))
    rank = {name: i for i, name in enumerate(plan.order)}
    return tuple(sorted(out, key=lambda t: (rank.get(t.name, len(rank)), result_key(t))))
