"""Results of a run of several modules: which module a diagnostic's file belongs to (for its
suppressions), and the targets and findings grouped by module for the reports that show one
section per module. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from matrix.modules import owner
from reports.aggregate import Finding

if TYPE_CHECKING:
    from reports.results import Results, TargetResult


def target_modules(targets: Sequence[TargetResult]) -> dict[str, str]:
    """target name (its key in the run) -> its module directory; empty in a run of one
    module."""
    return {t.name: t.module for t in targets if t.module}


def owning(file: str, targets: Iterable[str], by_target: Mapping[str, str],
           dirs: Sequence[str]) -> str:
    """The module whose suppressions apply to a diagnostic: the module whose directory holds
    its file (in a package that two modules' builds share, the module that has the file), else
    the module of the first of its targets (names); '' in a run of one module.
    `dirs`: the module directories (those of `by_target`)."""
    module = owner(file, dirs) if file else ""
    return module or next((by_target[t] for t in targets if t in by_target), "")


def grouped(results: Results) -> list[tuple[str, tuple[TargetResult, ...], tuple[Finding, ...]]]:
    """(module dir, its targets, its findings) per module, in order; one group with an empty
    module for a run of one module."""
    dirs = results.module_dirs
    if not dirs:
        return [("", results.targets, results.findings)]
    return [(d, tuple(t for t in results.targets if t.module == d),
             tuple(f for f in results.findings if f.module == d)) for d in dirs]


def module_title(results: Results, module: str) -> str:
    """`app (example.com/app)`: a module section's heading."""
    path = dict(results.modules).get(module, "")
    return f"{module} ({path})" if path else module
