"""Applying suppressions (matrix/ignores.py) to a run's diagnostics. Pure: ports passed in.

A suppression applies per target: a rule for `32bit` suppresses a problem on linux/386 and
leaves it counting on linux/amd64 (the finding splits in two, see reports/aggregate.py). A
rule is *unused* only when it matched nothing on every target it applies to — a `//nolint`
needed on linux is not unused because windows does not need it (golangci-lint#3833); see
`Results.unused_ignores`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from checker.model import Diagnostic, Suppressed, status_of
from matrix.claims import Claimed, ModuleFacts, claimed
from matrix.errors import ConfigError, UsageError
from matrix.ignores import IgnoreRule
from matrix.presets import presets
from matrix.selectors import select
from matrix.targets import Port
from reports.modules import owning, target_modules
from reports.results import IgnoreUse, Results, TargetResult, map_diagnostics


def covered(rule: IgnoreRule, targets: Sequence[TargetResult], ports: Sequence[Port],
            goreleaser_text: str | None = None, facts: ModuleFacts | None = None
            ) -> tuple[str, ...]:
    """The names (keys) of the run's targets that `rule` applies to (`claimed` in its targets:
    the ports `facts` and the goreleaser file claim, as the planner has them)."""
    if not rule.targets:
        return tuple(t.name for t in targets)

    def found() -> Claimed:
        return claimed(ports, facts, goreleaser_text=goreleaser_text)

    try:
        chosen = select(rule.targets, ports,
                        presets(ports, goreleaser_text=goreleaser_text, claimed=found))
    except UsageError as exc:
        raise ConfigError(f"bad targets in a suppression: {exc}", source=rule.by) from None
    return tuple(t.name for t in targets
                 if any(s.goos == t.goos and s.goarch == t.goarch
                        and s.variant in ("", t.variant) for s in chosen.targets))


def matches(rule: IgnoreRule, d: Diagnostic) -> bool:
    if rule.file and (d.file != rule.file or d.line not in (rule.line, rule.line + 1)):
        return False
    if rule.categories and not any(
            c == d.category or (bool(d.analyzer) and c == f"{d.category}/{d.analyzer}")
            for c in rule.categories):
        return False
    if rule.path and not fnmatch.fnmatchcase(d.file, rule.path):
        return False
    return not rule.message or re.search(rule.message, d.message) is not None


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    """The suppressions of one module of a run of several (`module`: its directory; its rules'
    paths already relative to the run's root, matrix/ignores.py in_module), or of the one
    module of a run (`module` ""). `goreleaser_text` and `facts` are that module's, for the
    `release` and `claimed` presets in a rule's targets."""

    rules: tuple[IgnoreRule, ...]
    module: str = ""
    goreleaser_text: str | None = None
    facts: ModuleFacts | None = None


def apply(results: Results, rules: Sequence[IgnoreRule], ports: Sequence[Port], *,
          goreleaser_text: str | None = None) -> Results:
    """`apply_modules` for a run of one module."""
    return apply_modules(results, [RuleSet(rules=tuple(rules), goreleaser_text=goreleaser_text)],
                         ports)


def apply_modules(results: Results, sets: Sequence[RuleSet], ports: Sequence[Port]) -> Results:
    """Mark the diagnostics each rule matches (the first rule that matches wins: inline ones
    should come first) and record what every rule did.

    A module's rules apply to its own diagnostics only: those in its files, and those without
    a file on its targets (reports/modules.py owning), on whichever targets of the run they
    select (a diagnostic in a package two modules share is the module's that has the file).
    A rule is reported for the targets of its module it applies to: one use per module (a rule
    that several modules share, the root's `ignore:` as every module's default, has a use in
    each, with what it matched there; `Results.unused_ignores` takes them as one)."""
    rules = [(s.module, r) for s in sets for r in s.rules]
    by_module = {s.module: s for s in sets}
    scope = [frozenset(covered(r, results.targets, ports, by_module[m].goreleaser_text,
                               by_module[m].facts)) for m, r in rules]
    # matched[i][module]: what rule i suppressed on the targets of that module
    matched: list[dict[str, int]] = [{} for _ in rules]
    by_target = target_modules(results.targets)
    dirs = tuple(dict.fromkeys(by_target.values()))

    def mark(d: Diagnostic) -> Diagnostic:
        module = owning(d.file, (d.target,), by_target, dirs) if by_target else ""
        for i, (m, rule) in enumerate(rules):
            if m in ("", module) and d.target in scope[i] and matches(rule, d):
                on = m or by_target.get(d.target, "")  # its module's, wherever it matched
                matched[i][on] = matched[i].get(on, 0) + 1
                return replace(d, suppressed=Suppressed(by=rule.by, reason=rule.reason))
        return d

    marked = with_statuses(map_diagnostics(results, mark))
    uses: list[IgnoreUse] = []
    for (m, r), s, n in zip(rules, scope, matched, strict=True):
        if r.foreign and not any(n.values()):  # another tool's: no news (matrix/ignores.py)
            continue
        ids: dict[str, list[str]] = {m: []} if m or not by_target else {}
        for t in results.targets:  # in the run's order
            if t.name in s and m in ("", t.module):
                ids.setdefault(t.module, []).append(t.id)
        uses += [IgnoreUse(by=r.by, rule=r.text, reason=r.reason, module=module,
                           targets=tuple(targets), matched=n.get(module, 0))
                 for module, targets in (ids or {"": []}).items()]
    return replace(marked, ignores=tuple(uses))


def with_statuses(results: Results) -> Results:
    """Each check's status again from its diagnostics: a target whose every error is
    suppressed is ok, as the exit code says (pipeline.exit_code)."""
    return replace(results, targets=tuple(
        replace(t, checks=tuple(replace(c, status=status_of(c.diagnostics, c.error))
                                for c in t.checks))
        for t in results.targets))


def merge_uses(parts: Sequence[Sequence[IgnoreUse]]) -> tuple[IgnoreUse, ...]:
    """The suppressions of several shards as one run's: used where any shard used them."""
    out: dict[tuple[str, str], IgnoreUse] = {}
    for uses in parts:
        for u in uses:
            key = (u.by, u.module)
            seen = out.get(key)
            out[key] = u if seen is None else replace(
                seen, targets=tuple(dict.fromkeys(seen.targets + u.targets)),
                matched=seen.matched + u.matched)
    return tuple(out.values())
