"""The finding categories: the one table of their names, order and titles. Pure.

A category is what kind of problem a finding is. Everything that names one reads it here: the
checker when it classifies a diagnostic (checker/model.py), the suppressions when they are
parsed (matrix/ignores.py: an `ignore:` entry or an inline comment naming an unknown category is
refused with the config, before anything runs), and the reports when they order and title them
(reports/aggregate.py). A new category is one row here plus the code that produces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from matrix.suggest import did_you_mean


@dataclass(frozen=True, kw_only=True)
class Category:
    name: str
    title: str  # a report's heading for the findings of this category
    help: str = ""  # one sentence on what such a finding means (SARIF's rule help)
    analyzers: bool = False  # findings carry an analyzer: `vet/printf`, `lint/SA4006` name one


# Most important first (the reports' order): what stops a build, then what is wrong on some
# targets, then advice.
TABLE: tuple[Category, ...] = (
    Category(name="compile", title="Compile errors",
             help="The package does not compile for the targets listed in the result."),
    Category(name="undefined", title="Undefined on some targets",
             help="A name is declared only for some targets (build constraints or file names)."),
    Category(name="overflow", title="Constant overflows",
             help="A constant does not fit in int, uint or uintptr on 32-bit targets."),
    Category(name="narrowing", title="Narrowing conversions on 32-bit targets",
             help="A conversion to int may truncate on 32-bit targets."),
    Category(name="vet", title="go vet findings", analyzers=True),
    Category(name="lint", title="Analyzer findings (analyzers:)", analyzers=True,
             help="An analyzer named in analyzers: (docs/lint.md) reported a problem."),
    Category(name="other", title="Other problems",
             help="The go command reported a problem that crossvet could not classify."),
)

BY_NAME = {c.name: c for c in TABLE}
NAMES = tuple(BY_NAME)
TITLES = {c.name: c.title for c in TABLE}


def rank(name: str) -> int:
    """A category's place in the reports' order; an unknown one (from an old results file)
    comes last."""
    return NAMES.index(name) if name in BY_NAME else len(NAMES)


def with_analyzer(name: str) -> bool:
    """A category whose findings name their analyzer (`vet/printf`, `lint/SA4006`)."""
    category = BY_NAME.get(name)
    return category is not None and category.analyzers


def spelled(spec: str) -> str:
    """What a suppression may name: a category, or `<category>/<analyzer>` for a category whose
    findings carry an analyzer (`vet/printf`). ValueError, with a suggestion, for anything else."""
    base, slash, analyzer = spec.partition("/")
    category = BY_NAME.get(base)
    with_analyzer = tuple(f"{c.name}/<analyzer>" for c in TABLE if c.analyzers)
    known = ", ".join((*NAMES, *with_analyzer))
    if category is None:
        raise ValueError(f"unknown category {spec!r}{did_you_mean(base, list(NAMES))} "
                         f"(categories: {known})")
    if slash and not (category.analyzers and analyzer and "/" not in analyzer):
        raise ValueError(f"unknown category {spec!r}: only {' and '.join(with_analyzer)} "
                         f"name an analyzer (categories: {known})")
    return spec
