"""The GOOS/GOARCH values a GitHub Actions workflow names. Pure: YAML text in, pairs out.

Liberal on where, strict on what: anywhere in the file, a mapping with a `goos`/`goarch` key
(a `strategy.matrix`, its `include` entries, an `env:` or `with:` block; `GOOS`, `target_goos`,
and `os`/`arch`/`archs` whose values are GOOS/GOARCH names, as a reusable workflow's inputs
`{os: linux, archs: "['386','arm']"}`) gives its values, crossed when it has both; a
`GOOS=x GOARCH=y` pair on a line of a script, and a value spelled `goos/goarch` (`platforms:
linux/amd64,linux/arm64`) give theirs.
`exclude` entries and `${{ … }}` expressions give nothing. Only names go/build knows are kept;
the caller keeps the real ports of its toolchain among them.
"""

from __future__ import annotations

import re
from typing import Any

from matrix.constraints import KNOWN_ARCH, KNOWN_OS

Pair = tuple[str, str]  # (goos or "", goarch or "")

_ENV = re.compile(r"\bGOOS=[\"']?([a-z0-9]+)[\"']?(?:\s+(?:\w+=\S*\s+)*GOARCH=[\"']?([a-z0-9]+))?")
_ENV_ARCH_FIRST = re.compile(r"\bGOARCH=[\"']?([a-z0-9]+)[\"']?\s+(?:\w+=\S*\s+)*GOOS=[\"']?"
                             r"([a-z0-9]+)")
_PLATFORM = re.compile(r"(?<![\w/.-])([a-z0-9]+)/([a-z0-9]+)(?:/v?[\w.]+)?(?![\w/.-])")


_OS_KEYS = ("goos", "os", "target_os")
_ARCH_KEYS = ("goarch", "goarchs", "arch", "archs", "target_arch")


def _kind(key: object) -> str:
    k = str(key).lower().replace("-", "_")
    if k in _OS_KEYS or k.endswith("_goos"):
        return "goos"
    if k in _ARCH_KEYS or k.endswith("_goarch"):
        return "goarch"
    return ""


def _values(value: Any, known: frozenset[str]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str | int) and not isinstance(item, bool):
            # whole words only: `windows-latest` (a runner) is not `windows`
            for word in re.split(r"[\s,\[\]'\"]+", str(item).strip()):
                if word in known and word not in out:
                    out.append(word)
    return out


def _from_text(text: str) -> list[Pair]:
    out: list[Pair] = []
    for line in text.splitlines():
        for m in _ENV.finditer(line):
            if m.group(1) in KNOWN_OS:
                arch = m.group(2) if m.group(2) in KNOWN_ARCH else ""
                out.append((m.group(1), arch))
        for m in _ENV_ARCH_FIRST.finditer(line):
            if m.group(2) in KNOWN_OS and m.group(1) in KNOWN_ARCH:
                out.append((m.group(2), m.group(1)))
        for m in _PLATFORM.finditer(line):
            if m.group(1) in KNOWN_OS and m.group(2) in KNOWN_ARCH:
                out.append((m.group(1), m.group(2)))
    return out


def _walk(node: Any, out: list[Pair]) -> None:
    if isinstance(node, dict):
        goos: list[str] = []
        goarch: list[str] = []
        for key, value in node.items():
            kind = _kind(key)
            if kind == "goos":
                goos += _values(value, KNOWN_OS)
            elif kind == "goarch":
                goarch += _values(value, KNOWN_ARCH)
        if goos and goarch:
            out.extend((o, a) for o in goos for a in goarch)
        else:
            out.extend((o, "") for o in goos)
            out.extend(("", a) for a in goarch)
        for key, value in node.items():
            if str(key) != "exclude":
                _walk(value, out)
    elif isinstance(node, list):
        for item in node:
            _walk(item, out)
    elif isinstance(node, str):
        out.extend(_from_text(node))


def named_pairs(text: str) -> list[Pair]:
    """Every (goos, goarch) the workflow names, "" for a side it leaves open, without repeats.
    Text that is not YAML raises ValueError."""
    import yaml  # noqa: PLC0415 (deliberately lazy: a run without YAML to read)
    # libyaml's safe loader when PyYAML was built with it: the same data, a tenth of the time
    # (bbolt's 17 workflows: 50 ms in pure Python, every plan)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # (a safe loader: SafeLoader or libyaml's)
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML: {exc}") from None
    out: list[Pair] = []
    _walk(data, out)
    return list(dict.fromkeys(out))
