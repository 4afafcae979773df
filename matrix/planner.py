"""The planner: options + the toolchain's ports -> the exact, ordered list of jobs.

Pure: the ports, the host platform and the goreleaser file's text are passed in. Jobs are
target x tag set x Go version, each with cgo on or off, in the order the selectors name the
targets (then tag sets, then versions); `Plan.order` keeps that order for every name, so that
results merged from shards line up with an unsharded run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matrix import claims, selectors
from matrix.checks import engine_checks
from matrix.claims import Claimed, ModuleFacts
from matrix.errors import ConfigError, UsageError
from matrix.options import CheckOptions
from matrix.plan import Job, Plan
from matrix.presets import DEFAULT_TARGETS, presets
from matrix.targets import Port, Target, links_only_with_cgo


@dataclass(frozen=True, kw_only=True)
class PlanInputs:
    """What the planner knows about the world, gathered by the caller."""

    ports: tuple[Port, ...]
    host: str = ""  # GOHOSTOS/GOHOSTARCH, for `cgo: host`
    # `cgo: auto`: the platforms (goos/goarch) crossvet has a C compiler for (checker/cc.py)
    c_compilers: frozenset[str] = frozenset()
    no_c_compiler: str = "install crossvet[cgo] or set CC_FOR_<goos>_<goarch>"  # what to do
    goreleaser_text: str | None = None
    goreleaser_source: str = ".goreleaser.yaml"
    facts: ModuleFacts | None = None  # what the module's files say (the `claimed` preset)


def _located(exc: UsageError, opts: CheckOptions, key: str) -> UsageError:
    """A selector error, prefixed with where the selector came from (flag, variable, file:line)."""
    source, line = opts.origin(key)
    if not source or isinstance(exc, ConfigError):
        return exc
    return ConfigError(str(exc), source=source, line=line)


def _cgo_targets(opts: CheckOptions, targets: Sequence[Target], inputs: PlanInputs,
                 notes: list[str]) -> set[Target]:
    by_id = {p.id: p for p in inputs.ports}
    mode = opts.cgo
    if mode in ("off", "auto"):
        return set()
    if mode == "on":
        wanted = list(targets)
    elif mode == "host":
        if not inputs.host:
            raise UsageError("cgo: host needs the host platform (go env GOHOSTOS GOHOSTARCH)")
        wanted = [t for t in targets if t.platform == inputs.host]
        if not wanted:
            notes.append(f"cgo: host, but the host platform {inputs.host} is not among the "
                         "selected targets: every job runs with cgo off")
    else:
        chosen = selectors.select(mode, inputs.ports, presets(inputs.ports)).targets
        platforms = {t.platform for t in chosen if not t.variant}
        wanted = [t for t in targets if t in chosen or t.platform in platforms]
    on: set[Target] = set()
    for t in wanted:
        port = by_id.get(t.platform)
        if port is not None and port.cgo_supported:
            on.add(t)
        elif mode != "on":
            notes.append(f"{t.id}: the Go port does not support cgo: checked with cgo off")
    return on


def _auto_cgo(opts: CheckOptions, targets: Sequence[Target], inputs: PlanInputs,
              notes: list[str]) -> list[Target]:
    """`cgo: auto`: for a module with cgo files, the targets also checked with cgo on (next to
    cgo off): those whose port supports cgo, that build one of the cgo files (a `//go:build
    ignore` file or a darwin-only one makes no linux job) and that have a C compiler; the
    others are said once in the notes (their cgo files are not checked), never as findings."""
    if opts.cgo != "auto" or inputs.facts is None or not inputs.facts.cgo:
        return []
    facts = inputs.facts
    supported = {p.id for p in inputs.ports if p.cgo_supported}
    wanted = [t for t in targets if t.platform in supported and facts.cgo_on(t.goos, t.goarch)]
    on = [t for t in wanted if t.platform in inputs.c_compilers]
    missing = [t.id for t in wanted if t not in on]
    if missing:
        notes.append(f"cgo not checked on {', '.join(missing)}: no C compiler; "
                     f"{inputs.no_c_compiler} (the module has cgo files: checked there with cgo "
                     "off only)")
    return on


def _why(selection: selectors.Selection, found: Claimed | None) -> dict[str, tuple[str, ...]]:
    """target id -> why it is in the plan: its claims when `claimed` chose it, and the other
    selectors that chose it. Empty unless `claimed` was used: a plain list explains itself."""
    if found is None:
        return {}
    claimed = dict(found.reasons)
    out: dict[str, tuple[str, ...]] = {}
    for t in selection.targets:
        sources = selection.sources.get(t.id, ())
        why = list(claimed.get(t.id, ())) if "claimed" in sources else []
        why += [s for s in sources if s != "claimed"]
        out[t.id] = tuple(why)
    return out


def _unlinkable(selection: selectors.Selection, cgo_on: set[Target], inputs: PlanInputs,
                why: dict[str, tuple[str, ...]], notes: list[str]) -> set[Target]:
    """Targets only `claimed` chose where go cannot link the module's main package with cgo
    off (ios/arm64, android/386, ...): not checked by default, said in the notes."""
    facts = inputs.facts
    if facts is None:
        return set()
    out: set[Target] = set()
    for t in selection.targets:
        if selection.sources.get(t.id) == ("claimed",) and t not in cgo_on and \
                links_only_with_cgo(t.goos, t.goarch) and facts.links_main(t.goos, t.goarch):
            out.add(t)
            notes.append(f"{t.id} is claimed ({', '.join(why.get(t.id, ()))}) but not checked: "
                         f"go links the module's main package for {t.id} only with cgo; "
                         f"`--targets claimed,{t.id} --cgo {t.id}` checks it (with a C "
                         "cross-compiler)")
    return out


def make_plan(opts: CheckOptions, inputs: PlanInputs) -> Plan:
    notes: list[str] = []
    found: list[Claimed] = []

    def claimed() -> Claimed:  # read the module's claims once, and only when asked for
        if not found:
            found.append(claims.claimed(inputs.ports, inputs.facts,
                                        goreleaser_text=inputs.goreleaser_text,
                                        goreleaser_source=inputs.goreleaser_source))
        return found[0]

    table = presets(inputs.ports, goreleaser_text=inputs.goreleaser_text,
                    goreleaser_source=inputs.goreleaser_source, notes=notes, claimed=claimed)
    try:
        selection = selectors.select(opts.targets or DEFAULT_TARGETS, inputs.ports, table)
    except UsageError as exc:
        raise _located(exc, opts, "targets") from None
    for tid, sources in selection.sources.items():
        if len(sources) > 1:
            notes.append(f"{tid} is chosen by {', '.join(repr(s) for s in sources)}: "
                         "checked once")
    if found:
        notes.extend(found[0].notes)
    why = _why(selection, found[0] if found else None)
    try:
        cgo_on = _cgo_targets(opts, selection.targets, inputs, notes)
    except UsageError as exc:
        raise _located(exc, opts, "cgo") from None
    left_out = _unlinkable(selection, cgo_on, inputs, why, notes)
    versions = opts.go_versions or ("",)
    # `cgo: auto`: cgo on too, right after cgo off, with the engine's checks only (build and
    # `go vet` would need the target's C library, which a cross C compiler builds in minutes)
    auto = set(_auto_cgo(opts, selection.targets, inputs, notes))
    engine = engine_checks(opts.checks, opts.vet)
    jobs = [
        job
        for t in selection.targets if t not in left_out
        for tags in opts.tag_sets for v in versions
        for job in (Job(target=t, checks=opts.checks, tags=tags, cgo=t in cgo_on, go_version=v),
                    *([Job(target=t, checks=engine, tags=tags, cgo=True, go_version=v)]
                      if t in auto and engine else []))
    ]
    if not jobs:
        raise UsageError("no targets left to check: " + "; ".join(notes))
    return Plan(jobs=tuple(jobs), packages=opts.packages, notes=tuple(dict.fromkeys(notes)),
                order=tuple(j.name for j in jobs),
                why=tuple((j.name, why[j.target.id]) for j in jobs if why.get(j.target.id)))
