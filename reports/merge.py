"""`crossvet merge`: join the results of the shards of one plan into one results object.

Every shard 1..N of one plan must be there exactly once. Shards whose plans differ in anything
but the shard index (the split, module, Go version, checks, targets and tags) are refused, naming
the first difference; "given twice" is only the same file or the same shard of the same plan. A
missing or unsharded file or a target in two shards is an error, never a silent gap; so is a
target of the shared plan (`plan` in each shard's file) that no shard reported. The merged
results are what an unsharded run writes: the same targets in plan order, and `shard` empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from matrix.errors import UsageError
from matrix.shards import parse_shard
from reports.aliases import result_key
from reports.results import Baseline, IgnoreUse, Results, TargetResult
from reports.suppress import merge_uses


def merge_baselines(parts: Sequence[tuple[str, Results]]) -> Baseline | None:
    """One baseline file given to every shard is that file; `--new-from-rev` gives each shard
    its own shard of REV's run, which together are REV's findings."""
    bases = [r.baseline for _, r in parts if r.baseline is not None]
    if not bases or all(b == bases[0] for b in bases):
        return bases[0] if bases else None
    return Baseline(source=bases[0].source,
                    entries=tuple(e for b in bases for e in b.entries))


def _plan_of(res: Results) -> tuple[tuple[str, str], ...]:
    """What the shards of one plan share, in the order a difference is reported: everything
    but the shard index. (An empty shard ran no check, so it cannot disagree on them.)"""
    _, n = parse_shard(res.shard)
    return (("split", f"into {n}"), ("module", res.module), ("Go", res.go),
            ("checks", ",".join(res.checks) if res.targets else ""),
            ("targets and tags", " ".join(res.plan_order)))


def _same_plan(a: tuple[str, Results], b: tuple[str, Results]) -> None:
    """Refuse two shards whose plans differ, naming the first difference."""
    for (what, x), (_, y) in zip(_plan_of(a[1]), _plan_of(b[1]), strict=True):
        if what == "checks" and not (x and y):
            continue
        if x != y:
            ours, theirs = (_first_difference(a[1].plan_order, b[1].plan_order)
                            if what == "targets and tags" else (x, y))
            raise UsageError(f"{b[0]} and {a[0]} are not shards of one plan: {what} differ "
                             f"({theirs or 'none'} vs {ours or 'none'})")


def _first_difference(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else ""
        y = b[i] if i < len(b) else ""
        if x != y:
            return (f"#{i + 1} {x}" if x else f"{len(a)} targets",
                    f"#{i + 1} {y}" if y else f"{len(b)} targets")
    return "", ""


def merge(parts: Sequence[tuple[str, Results]]) -> Results:
    """`parts` are (file name, results) pairs, in any order."""
    if not parts:
        raise UsageError("merge: no results files given")
    for source, res in parts:
        if not res.shard:
            raise UsageError(f"{source}: not a shard's results (written without --shard)")
    first = parts[0][1]
    ref = next((p for p in parts if p[1].targets), parts[0])  # one that ran checks
    for part in parts:
        if part is not ref:
            _same_plan(ref, part)
    total = parse_shard(first.shard)[1]
    seen: dict[int, str] = {}
    for source, res in parts:
        i, n = parse_shard(res.shard)
        if i in seen:  # the same file, or the same shard of the same plan
            raise UsageError(f"shard {i}/{n} given twice: {seen[i]} and {source}")
        seen[i] = source
    missing = [f"{i}/{total}" for i in range(1, total + 1) if i not in seen]
    if missing:
        raise UsageError(f"merge: missing shard{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)} (got {len(parts)} of {total})")
    order = first.plan_order
    owner: dict[str, str] = {}
    targets: list[TargetResult] = []
    for source, res in parts:
        for t in res.targets:
            if t.name in owner:
                raise UsageError(f"target {t.name} is in two shards: {owner[t.name]} and "
                                 f"{source}")
            owner[t.name] = source
            targets.append(t)
    if order:
        lost = [n for n in order if n not in owner]
        if lost:
            raise UsageError(f"merge: no results for {', '.join(lost)} (a shard lost them)")
        extra = [n for n in owner if n not in order]
        if extra:
            raise UsageError(f"merge: {', '.join(extra)} not in the plan the shards share")
    rank = {name: i for i, name in enumerate(order)}
    checks = next((r.checks for _, r in parts if r.targets), first.checks)
    targets.sort(key=lambda t: (rank.get(t.name, len(rank)), result_key(t)))
    place = {(t.module, t.id): i for i, t in enumerate(targets)}

    def in_order(u: IgnoreUse) -> IgnoreUse:  # its targets in the merged order, as a run's
        return replace(u, targets=tuple(sorted(
            u.targets, key=lambda t: place.get((u.module, t), len(place)))))

    uses = tuple(in_order(u) for u in merge_uses([r.ignores for _, r in parts]))
    return Results(targets=tuple(targets), checks=checks,
                   go=first.go, module=first.module,
                   interrupted=any(r.interrupted for _, r in parts), shard="",
                   error="; ".join(r.error for _, r in parts if r.error),
                   tool_version=first.tool_version, modules=first.modules,
                   baseline=merge_baselines(parts), ignores=uses)
