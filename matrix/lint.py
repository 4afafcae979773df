"""`analyzers:` as written: the Go packages whose analyzers the engine runs besides vet's, and
the merge rules across targets set per analyzer (or check code). Pure (docs/lint.md).

An entry is either a package path (`golang.org/x/tools/go/analysis/passes/nilness`,
`honnef.co/go/tools/staticcheck`, `./tools/lint`) or `NAME=all` / `NAME=any`: the merge rule
of the analyzer (or staticcheck check code) NAME, over what the analyzer itself declares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MERGE_RULES = ("any", "all")  # any: reported where it holds; all: only if on every target


def normalise(items: Sequence[str]) -> tuple[str, ...]:
    """The entries, checked: a rule names an analyzer (no `/`) and `all` or `any`."""
    out: list[str] = []
    for item in items:
        if any(c.isspace() for c in item):
            raise ValueError(f"analyzers: {item!r} has a space (entries are separated by ',')")
        name, eq, rule = item.partition("=")
        if eq and (not name or "/" in name or rule not in MERGE_RULES):
            raise ValueError(f"analyzers: {item!r}: a merge rule is NAME=all or NAME=any "
                             "(NAME an analyzer or check code, such as unusedfunc or SA4006)")
        if item not in out:
            out.append(item)
    return tuple(out)


def packages(entries: Sequence[str]) -> tuple[str, ...]:
    """The package paths of the entries, in order."""
    return tuple(e for e in entries if "=" not in e)


def merge_rules(entries: Sequence[str]) -> dict[str, str]:
    """NAME -> rule of the entries that set one (the last wins)."""
    return dict(e.split("=", 1) for e in entries if "=" in e)


def merge_of(name: str, declared: str, rules: Mapping[str, str]) -> str:
    """An analyzer's merge rule: the config's, else what it declares, else `any`."""
    rule = rules.get(name) or declared
    return rule if rule in MERGE_RULES else "any"
