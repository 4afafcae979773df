"""Splitting a plan into N balanced, stable shards. Pure.

Each job weighs its number of per-process checks (vet, build; plus one with cgo, which also
compiles C). Jobs are taken heaviest first, ties in plan order, and each goes to the lightest
shard so far (ties: the lowest shard number). The same plan always gives the same shards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from matrix.checks import KNOWN_CHECKS
from matrix.errors import UsageError
from matrix.plan import Job, Plan

MAX_GITHUB_MATRIX = 256  # GitHub Actions: a matrix makes at most 256 jobs
_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """`2/5` -> (2, 5); shards are numbered from 1."""
    m = _SHARD_RE.match(text)
    if not m:
        raise UsageError(f"bad shard {text!r}: expected I/N such as 1/4")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise UsageError(f"bad shard {text!r}: I must be between 1 and N")
    return i, n


def weight(job: Job) -> int:
    return max(1, sum(1 for c in job.checks if c in KNOWN_CHECKS)
               + (1 if job.cgo else 0))


def split(jobs: Sequence[Job], n: int) -> list[tuple[Job, ...]]:
    if n < 1:
        raise UsageError(f"--shards must be at least 1, got {n}")
    order = sorted(range(len(jobs)), key=lambda i: (-weight(jobs[i]), i))
    loads = [0] * n
    members: list[list[int]] = [[] for _ in range(n)]
    for i in order:
        s = min(range(n), key=lambda k: (loads[k], k))
        loads[s] += weight(jobs[i])
        members[s].append(i)
    return [tuple(jobs[i] for i in sorted(m)) for m in members]


def fit(asked: int, jobs: int) -> tuple[int, str]:
    """How many shards to plan for `--shards asked`: never more than there are jobs (an empty
    shard is a CI job that checks nothing), with a note saying so when that changes the count."""
    if asked <= jobs or asked <= 1:
        return asked, ""
    n = max(1, jobs)
    return n, (f"--shards {asked} asks for more shards than the plan has jobs ({jobs}): "
               f"planning {n} shard{'s' if n != 1 else ''}")


def shard_of(plan: Plan, text: str) -> Plan:
    """The part of the plan that shard `I/N` runs (jobs merged into its jobs included)."""
    i, n = parse_shard(text)
    jobs = split(plan.jobs, n)[i - 1]
    names = {j.name for j in jobs}
    merged = tuple(m for m in plan.merged if m.aliases and m.alias_names[0] in names)
    notes = plan.notes
    if not jobs and n > len(plan.jobs):
        notes += (f"shard {i}/{n} has no jobs: the plan has only {len(plan.jobs)} "
                  f"(`crossvet plan --shards {n}` plans {max(1, len(plan.jobs))} shards)",)
    return replace(plan, jobs=jobs, notes=notes, merged=merged)
