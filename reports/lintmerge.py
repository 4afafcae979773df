"""Merge rules across targets for the findings of `analyzers:` (docs/lint.md). Pure.

A finding of an analyzer whose rule is `all` ("unused", "unreachable": true only if true for
every build) is kept only when it holds on every target of its module that has its package
and builds its file (`built`, from the file's name and constraint lines, when the caller
knows them); elsewhere it is dropped on every target. `any` (the default) keeps each as
found. Applied to a run's results before suppressions, so a suppression of a dropped finding
is unused, and one of a finding kept on some targets is used there, as for any other finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from checker.model import Diagnostic, status_of
from reports.results import Results, TargetResult

_Key = tuple[str, str, tuple[str, int, int, str]]  # module, analyzer, position and message
# Whether a target builds a file (module-relative path): its name and constraint lines say so.
Built = Callable[[str, TargetResult], bool]


def _always(_file: str, _target: TargetResult) -> bool:
    return True


def wanted(results: Results) -> bool:
    """Whether some finding has the rule `all` (the caller need not read the files)."""
    return any(d.category == "lint" and d.merge == "all" for d in results.diagnostics)


def _packages(t: TargetResult) -> set[str]:
    return {p for c in t.checks for p in c.packages}


def _has(packages: set[str], package: str) -> bool:
    """A target has the package of a finding (its external test package counts as it)."""
    return package in packages or package.removesuffix("_test") in packages


def _key(t: TargetResult, d: Diagnostic) -> _Key:
    return (t.module, d.analyzer, d.key)


def dropped(results: Results, built: Built = _always) -> set[tuple[str, _Key]]:
    """(target name, finding key) of the diagnostics an `all` rule drops."""
    found: dict[_Key, set[str]] = {}
    package: dict[_Key, str] = {}
    for t in results.targets:
        for d in t.diagnostics:
            if d.category == "lint" and d.merge == "all":
                found.setdefault(_key(t, d), set()).add(t.name)
                package[_key(t, d)] = d.package
    if not found:
        return set()
    out: set[tuple[str, _Key]] = set()
    having = {t.name: _packages(t) for t in results.targets}
    for key, names in found.items():
        module = key[0]
        file = key[2][0]
        everywhere = all(t.name in names for t in results.targets
                         if t.module == module and _has(having[t.name], package[key])
                         and built(file, t))
        if not everywhere:
            out.update((n, key) for n in names)
    return out


def apply(results: Results, built: Built = _always) -> Results:
    """The results without the diagnostics an `all` rule drops (statuses follow)."""
    drop = dropped(results, built)
    if not drop:
        return results
    return _without(results, drop)


def so_far(done: Sequence[TargetResult], built: Built = _always) -> TargetResult:
    """The last of the targets done so far without the findings an `all` rule drops whatever
    the targets still to come find: those that one of `done` lacks (it has their package and
    builds their file). What a job's progress line counts; the rest may still be dropped."""
    results = Results(targets=tuple(done), checks=())
    return apply(results, built).targets[-1] if wanted(results) else done[-1]


def _without(results: Results, drop: set[tuple[str, _Key]]) -> Results:
    def keep(t: TargetResult, ds: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        return tuple(d for d in ds if (t.name, _key(t, d)) not in drop)

    targets = []
    for t in results.targets:
        checks = []
        for c in t.checks:
            ds = keep(t, c.diagnostics)
            if len(ds) == len(c.diagnostics):
                checks.append(c)
            else:
                checks.append(replace(c, diagnostics=ds, status=status_of(ds, c.error)))
        targets.append(replace(t, checks=tuple(checks)))
    return replace(results, targets=tuple(targets))
