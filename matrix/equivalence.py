"""Merging provably identical jobs. Pure: the facts come from the toolchain, gathered by
checker/probe.py through a backend, and are passed in.

Two jobs of the same GOOS/GOARCH, cgo setting and Go version are merged when
- their variants differ only in spelling out the toolchain's default (`linux/arm/v7` when
  `go env GOARM` says 7 for GOARCH=arm): the go commands see the same environment; or
- `go list -deps -test` selects the same files for every package (module and dependencies)
  under both. Build tags and variants only choose files, so vet, build and the type-check see
  the same input. A variant also changes code generation and the assembler's GOAMD64_v3-style
  macros, so variant-only differences are merged only with cgo off and when no package outside
  the standard library has assembly or C files.
Anything else is never merged. Each merge is written into the plan's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from matrix.plan import Job, Plan

# The `go list -f` template whose output the fingerprints are made of (one line per package).
GOLIST_FORMAT = (
    "{{.ImportPath}}|{{.Standard}}|{{join .GoFiles \",\"}}|{{join .CgoFiles \",\"}}|"
    "{{join .TestGoFiles \",\"}}|{{join .XTestGoFiles \",\"}}|{{join .SFiles \",\"}}|"
    "{{join .CFiles \",\"}}|{{join .CXXFiles \",\"}}|{{join .SysoFiles \",\"}}|"
    "{{join .EmbedFiles \",\"}}|{{if .Error}}ERROR{{end}}"
)
GOLIST_ARGS = ("list", "-e", "-deps", "-test", "-f", GOLIST_FORMAT)


@dataclass(frozen=True, kw_only=True)
class Listing:
    """What `go list` said for one job: a fingerprint of its file selection."""

    files: frozenset[str]
    foreign_code: bool  # a non-standard package with assembly, C or syso files
    ok: bool = True


def parse_listing(text: str, *, exit_code: int | None) -> Listing:
    lines = frozenset(line.strip() for line in text.splitlines() if line.strip())
    foreign = False
    errors = False
    for line in lines:
        parts = line.split("|")
        if len(parts) < 12:
            errors = True
            continue
        if parts[1] != "true" and any(parts[i] for i in (6, 7, 8, 9)):
            foreign = True
        if parts[11] == "ERROR":
            errors = True
    return Listing(files=lines, foreign_code=foreign,
                   ok=exit_code == 0 and bool(lines) and not errors)


def _group_key(job: Job) -> tuple[object, ...]:
    # Jobs of different modules check different packages: never merged.
    return (job.module, job.target.goos, job.target.goarch, job.cgo, job.go_version, job.checks)


def candidates(plan: Plan) -> tuple[Job, ...]:
    """The jobs whose file selection is worth listing: those sharing a group with another."""
    groups: dict[tuple[object, ...], list[Job]] = {}
    for job in plan.jobs:
        groups.setdefault(_group_key(job), []).append(job)
    return tuple(j for g in groups.values() if len(g) > 1 for j in g)


def _canonical(job: Job, defaults: Mapping[str, str]) -> Job:
    if job.target.variant and defaults.get(job.target.goarch) == job.target.variant:
        return replace(job, target=replace(job.target, variant=""))
    return job


def merge(plan: Plan, *, variant_defaults: Mapping[str, str] | None = None,
          listings: Mapping[str, Listing] | None = None) -> Plan:
    """The plan with equivalent jobs merged: the first of each set (in plan order) runs and
    carries the others' names in `aliases`; the others move to `plan.merged`."""
    defaults = variant_defaults or {}
    listings = listings or {}
    notes = list(plan.notes)
    primaries: list[Job] = []
    aliases: dict[str, list[Job]] = {}
    for job in plan.jobs:
        into = _merge_target(job, primaries, defaults, listings)
        if into is None:
            primaries.append(job)
            continue
        primary, why = into
        aliases.setdefault(primary.name, []).append(job)
        notes.append(f"{job.name} runs as {primary.name}: {why}")
    # A job merged now may already stand for others: they follow it to its new primary.
    # (Aliases are target ids within the job's module: jobs of two modules never merge.)
    primary_of = {j.name: j for j in primaries}
    moved = {a.name: primary_of[p].target_id for p, group in aliases.items() for a in group}
    jobs = tuple(replace(j, aliases=j.aliases + tuple(
        n for a in aliases.get(j.name, []) for n in (a.target_id, *a.aliases)))
        for j in primaries)
    merged = tuple(replace(a, aliases=(primary_of[p].target_id,)) for p, group in aliases.items()
                   for a in group)
    earlier = tuple(replace(m, aliases=(moved.get(m.alias_names[0], m.aliases[0]),))
                    for m in plan.merged)
    return replace(plan, jobs=jobs, notes=tuple(notes), merged=earlier + merged)


def _merge_target(job: Job, primaries: Sequence[Job], defaults: Mapping[str, str],
                  listings: Mapping[str, Listing]) -> tuple[Job, str] | None:
    for p in primaries:
        if _group_key(p) != _group_key(job):
            continue
        if _canonical(p, defaults) == _canonical(job, defaults):
            var = job.target.variant or p.target.variant
            return p, (f"{var} is this toolchain's default for GOARCH={job.target.goarch}, "
                       "so the go commands see the same settings")
        a, b = listings.get(p.name), listings.get(job.name)
        if a is None or b is None or not (a.ok and b.ok) or a.files != b.files:
            continue
        if p.target.variant != job.target.variant and (job.cgo or a.foreign_code):
            continue
        return p, "go list selects the same files for every package"
    return None
