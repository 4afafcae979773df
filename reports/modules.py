"""Results of a run of several modules: which module each finding belongs to, and the targets
grouped by module for the reports that show one section per module. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from matrix.modules import owner
from matrix.plan import split_name
from reports.aggregate import Finding

if TYPE_CHECKING:
    from reports.results import Results, TargetResult


def target_modules(targets: Sequence[TargetResult]) -> dict[str, str]:
    """target id -> its module directory; empty in a run of one module."""
    return {t.id: t.module for t in targets if t.module}


def owning(file: str, targets: Iterable[str], by_target: Mapping[str, str],
           dirs: Sequence[str]) -> str:
    """The module a finding (or one diagnostic) belongs to: the module whose directory holds
    its file (a finding in a package that two modules' builds share is of the module that has
    the file), else the module of the first of its targets; '' in a run of one module.
    `dirs`: the module directories (those of `by_target`)."""
    module = owner(file, dirs) if file else ""
    return module or next((by_target[t] for t in targets if t in by_target), "")


def with_modules(findings: Sequence[Finding], targets: Sequence[TargetResult]
                 ) -> tuple[Finding, ...]:
    """Each finding with its `module` (`owning`). Unchanged in a run of one module."""
    by_target = target_modules(targets)
    if not by_target:
        return tuple(findings)
    dirs = tuple(dict.fromkeys(by_target.values()))
    return tuple(replace(f, module=owning(f.file, f.targets, by_target, dirs))
                 for f in findings)


def grouped(results: Results) -> list[tuple[str, tuple[TargetResult, ...], tuple[Finding, ...]]]:
    """(module dir, its targets, its findings) per module, in order; one group with an empty
    module for a run of one module."""
    dirs = results.module_dirs
    if not dirs:
        return [("", results.targets, results.findings)]
    return [(d, tuple(t for t in results.targets if t.module == d),
             tuple(f for f in results.findings if f.module == d)) for d in dirs]


def short(target_id: str) -> str:
    """A target's name within its module's section: `app:linux/386` -> `linux/386`."""
    return split_name(target_id)[1]


def module_title(results: Results, module: str) -> str:
    """`app (example.com/app)`: a module section's heading."""
    path = dict(results.modules).get(module, "")
    return f"{module} ({path})" if path else module
