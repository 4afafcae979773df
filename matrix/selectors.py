"""Target selectors: `first-class,linux/*,{linux,darwin}/arm64,linux/arm/v6,!*/mips*`.

A selector list is split on top-level commas. Each item is a preset name, a target id, or a
glob (`*`, `?`, `[...]`, `{a,b}`) over GOOS/GOARCH, optionally followed by `/VARIANT`. Items
starting with `!` exclude; exclusions apply after every inclusion, whatever their position.
Pure code: ports and presets are passed in.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from matrix import variants
from matrix.errors import UsageError
from matrix.targets import Port, Target

PresetFn = Callable[[], Sequence[Target]]


@dataclass(frozen=True, kw_only=True)
class Selection:
    targets: tuple[Target, ...]
    # target id -> the selector items that chose it (more than one: merged, said in the plan)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def split_items(text: str, *, keep_empty: bool = False) -> list[str]:
    """Split on commas that are not inside braces."""
    items: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise UsageError(f"unbalanced '}}' in selector {text!r}")
        if ch == "," and depth == 0:
            items.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if depth:
        raise UsageError(f"unbalanced '{{' in selector {text!r}")
    items.append("".join(cur).strip())
    return items if keep_empty else [i for i in items if i]


def expand_braces(pattern: str) -> list[str]:
    """`{linux,darwin}/arm{,64}` -> the four plain patterns, in order."""
    start = pattern.find("{")
    if start < 0:
        return [pattern]
    depth = 0
    for end in range(start, len(pattern)):
        if pattern[end] == "{":
            depth += 1
        elif pattern[end] == "}":
            depth -= 1
            if depth == 0:
                break
    else:
        raise UsageError(f"unbalanced '{{' in {pattern!r}")
    head, body, tail = pattern[:start], pattern[start + 1:end], pattern[end + 1:]
    out: list[str] = []
    for alt in split_items(body, keep_empty=True):
        for rest in expand_braces(head + alt + tail):
            if rest not in out:
                out.append(rest)
    return out


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _os_or_arch_glob(text: str, ports: Sequence[Port], presets: Sequence[str]) -> str | None:
    """`linux/*` for `linux` (or a typo of it such as `linx`), `*/arm64` for `arm64`."""
    globs = {**{f"*/{p.goarch}": p.goarch for p in ports},
             **{f"{p.goos}/*": p.goos for p in ports}}
    for glob, name in globs.items():
        if name == text:
            return glob

    def score(name: str) -> float:
        return difflib.SequenceMatcher(None, text, name).ratio()
    best = max(globs, key=lambda glob: score(globs[glob]), default=None)
    if best and score(globs[best]) >= 0.75 and all(score(globs[best]) > score(p) for p in presets):
        return best
    return None


def closest(text: str, ports: Sequence[Port], presets: Sequence[str], n: int = 3) -> list[str]:
    if "/" not in text and (glob := _os_or_arch_glob(text, ports, presets)):
        return [glob]
    names = [p.id for p in ports] + list(presets)
    close = difflib.get_close_matches(text, names, n=n, cutoff=0.5)
    if not close and "/" in text:  # a glob or typo: suggest ids sharing the GOOS or the GOARCH
        goos, _, goarch = text.partition("/")
        goarch = goarch.split("/")[0]
        close = [p.id for p in ports if p.goos == goos or p.goarch == goarch][:n]
    return close


def _no_match(item: str, ports: Sequence[Port], presets: Sequence[str]) -> UsageError:
    body = item.lstrip("!")
    hint = closest(body, ports, presets)
    head = ("no target matches the selector" if _is_glob(body) or "{" in body
            else "unknown target(s)")
    line = f"  {item}" + (f" (did you mean {', '.join(hint)}?)" if hint else "")
    return UsageError(f"{head}:\n{line}\nvalid targets: {', '.join(p.id for p in ports)}\n"
                      f"presets: {', '.join(presets)}")


def _match_item(item: str, ports: Sequence[Port], presets: Mapping[str, PresetFn]
                ) -> list[Target]:
    """The targets one (non-negated) selector item stands for."""
    if "/" not in item:
        if item in presets:
            return list(presets[item]())
        if _is_glob(item) or "{" in item:
            names = [n for alt in expand_braces(item) for n in presets
                     if fnmatch.fnmatchcase(n, alt)]
            return [t for n in dict.fromkeys(names) for t in presets[n]()]
        return []
    found: list[Target] = []
    for alt in expand_braces(item):
        parts = alt.split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise UsageError(f"bad target selector {item!r}: expected GOOS/GOARCH[/VARIANT], "
                             "a glob such as linux/* or a preset")
        platform = "/".join(parts[:2])
        matched = [p for p in ports if fnmatch.fnmatchcase(p.id, platform)]
        for port in matched:
            variant = variants.normalize(port.goarch, parts[2]) if len(parts) == 3 else ""
            t = Target(goos=port.goos, goarch=port.goarch, variant=variant)
            if t not in found:
                found.append(t)
    return found


def select(text: str | Sequence[str], ports: Sequence[Port],
           presets: Mapping[str, PresetFn]) -> Selection:
    """Resolve a selector list into targets (order: first appearance; duplicates dropped)."""
    raw = [text] if isinstance(text, str) else list(text)
    items = [i for chunk in raw for i in split_items(chunk)]
    if not items:
        raise UsageError("no targets selected (empty selector)")
    chosen: dict[Target, list[str]] = {}
    excluded: list[tuple[str, list[Target]]] = []
    for item in items:
        negate = item.startswith("!")
        body = item[1:].strip() if negate else item
        if not body:
            raise UsageError(f"bad target selector {item!r}")
        matched = _match_item(body, ports, presets)
        if not matched:
            raise _no_match(item, ports, list(presets))
        if negate:
            excluded.append((body, matched))
            continue
        for t in matched:
            chosen.setdefault(t, []).append(item)
    for _body, drop in excluded:
        for t in drop:
            if t.variant:
                chosen.pop(t, None)
                continue
            for kept in [k for k in chosen if k.platform == t.platform]:
                chosen.pop(kept)  # excluding a platform excludes its variants too
    if not chosen:
        raise UsageError(f"the selector {','.join(items)!r} leaves no targets")
    return Selection(targets=tuple(chosen), sources={t.id: tuple(s) for t, s in chosen.items()})
