"""`crossvet merge`: join the results of the shards of one plan into one results object.

Every shard 1..N of the same N must be there exactly once; a missing, repeated or unsharded
file, shards of different runs (Go version, module, checks) or a target in two shards is an
error, never a silent gap; so is a target of the shared plan (`plan` in each shard's file)
that no shard reported. The merged results are what an unsharded run writes: the same targets
in plan order, and `shard` empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from matrix.errors import UsageError
from matrix.shards import parse_shard
from reports.aliases import result_key
from reports.results import Baseline, Results, TargetResult
from reports.suppress import merge_uses


def merge_baselines(parts: Sequence[tuple[str, Results]]) -> Baseline | None:
    """One baseline file given to every shard is that file; `--new-from-rev` gives each shard
    its own shard of REV's run, which together are REV's findings."""
    bases = [r.baseline for _, r in parts if r.baseline is not None]
    if not bases or all(b == bases[0] for b in bases):
        return bases[0] if bases else None
    return Baseline(source=bases[0].source,
                    entries=tuple(e for b in bases for e in b.entries))


def merge(parts: Sequence[tuple[str, Results]]) -> Results:
    """`parts` are (file name, results) pairs, in any order."""
    if not parts:
        raise UsageError("merge: no results files given")
    seen: dict[int, str] = {}
    total = 0
    for source, res in parts:
        if not res.shard:
            raise UsageError(f"{source}: not a shard's results (written without --shard)")
        i, n = parse_shard(res.shard)
        if total and n != total:
            raise UsageError(f"{source}: shard {res.shard} belongs to a split into {n}, "
                             f"the others into {total}")
        total = n
        if i in seen:
            raise UsageError(f"shard {i}/{n} given twice: {seen[i]} and {source}")
        seen[i] = source
    missing = [f"{i}/{total}" for i in range(1, total + 1) if i not in seen]
    if missing:
        raise UsageError(f"merge: missing shard{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)} (got {len(parts)} of {total})")
    first_source, first = parts[0]
    for source, res in parts[1:]:
        for what, a, b in (("Go", first.go, res.go), ("module", first.module, res.module)):
            if a != b:
                raise UsageError(f"{source} and {first_source} are not shards of one run: "
                                 f"{what} {b!r} vs {a!r}")
    order = first.plan_order
    for source, res in parts[1:]:
        if res.plan_order != order:
            raise UsageError(f"{source} and {first_source} are not shards of one plan "
                             "(their target lists differ)")
    owner: dict[str, str] = {}
    targets: list[TargetResult] = []
    for source, res in parts:
        for t in res.targets:
            if t.id in owner:
                raise UsageError(f"target {t.id} is in two shards: {owner[t.id]} and {source}")
            owner[t.id] = source
            targets.append(t)
    if order:
        lost = [n for n in order if n not in owner]
        if lost:
            raise UsageError(f"merge: no results for {', '.join(lost)} (a shard lost them)")
        extra = [n for n in owner if n not in order]
        if extra:
            raise UsageError(f"merge: {', '.join(extra)} not in the plan the shards share")
    rank = {name: i for i, name in enumerate(order)}
    checks = tuple(dict.fromkeys(c for _, r in sorted(parts, key=lambda p: -len(p[1].checks))
                                 for c in r.checks))
    targets.sort(key=lambda t: (rank.get(t.id, len(rank)), result_key(t)))
    return Results(targets=tuple(targets), checks=checks,
                   go=first.go, module=first.module,
                   interrupted=any(r.interrupted for _, r in parts), shard="",
                   tool_version=first.tool_version, baseline=merge_baselines(parts),
                   ignores=merge_uses([r.ignores for _, r in parts]))
