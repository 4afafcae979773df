"""`crossvet merge`: join the results of the shards of one plan into one results object.

Every shard 1..N of the same N must be there exactly once; a missing, repeated or unsharded
file, shards of different runs (Go version, module, checks) or a target in two shards is an
error, never a silent gap. The merged results are what an unsharded run writes: the same
targets in the same (canonical) order, and `shard` empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from crossvet.errors import UsageError
from matrix.shards import parse_shard
from reports.aliases import result_key
from reports.results import Results, TargetResult


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
    owner: dict[str, str] = {}
    targets: list[TargetResult] = []
    for source, res in parts:
        for t in res.targets:
            if t.id in owner:
                raise UsageError(f"target {t.id} is in two shards: {owner[t.id]} and {source}")
            owner[t.id] = source
            targets.append(t)
    checks = tuple(dict.fromkeys(c for _, r in sorted(parts, key=lambda p: -len(p[1].checks))
                                 for c in r.checks))
    return Results(targets=tuple(sorted(targets, key=result_key)), checks=checks,
                   go=first.go, module=first.module,
                   interrupted=any(r.interrupted for _, r in parts), shard="",
                   tool_version=first.tool_version)
