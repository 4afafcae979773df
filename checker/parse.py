"""Turn what `go build` and `go vet` print into Diagnostics. Pure: text in, records out.

Nothing is dropped: a line the parser does not understand becomes a Diagnostic of category
`other` carrying the line verbatim.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from checker import classify
from checker.model import Diagnostic

# FILE:LINE:COL: MESSAGE or FILE:LINE: MESSAGE (a leading "vet: " marks vet's type errors).
_POS_RE = re.compile(
    r"^(?P<vet>vet: )?(?P<file>[^\s:][^:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$"
)
_HEADER_RE = re.compile(r"^# (?P<pkg>\[?[^\s\]]+\]?)$")


@dataclass(frozen=True, kw_only=True)
class Where:
    """Where the go command ran and which module root paths are made relative to."""

    target: str
    check: str
    module_dir: str
    cwd: str = ""

    def rel(self, path: str) -> str:
        cwd = self.cwd or self.module_dir
        full = os.path.normpath(path if os.path.isabs(path) else os.path.join(cwd, path))
        root = os.path.normpath(self.module_dir)
        if full == root or full.startswith(root + os.sep):
            return posixpath.join(*os.path.relpath(full, root).split(os.sep))
        return full.replace(os.sep, "/")


def _strip_pkg(pkg: str) -> str:
    """`a/b [a/b.test]` -> `a/b`; `[a/b]` -> `a/b`."""
    pkg = pkg.strip()
    if pkg.startswith("[") and pkg.endswith("]"):
        pkg = pkg[1:-1]
    return pkg.split(" ", 1)[0]


def parse_text(text: str, where: Where, *, package: str = "") -> list[Diagnostic]:
    """Parse compiler/vet text output: positioned lines, `# pkg` headers, continuation lines."""
    out: list[Diagnostic] = []
    pkg = package
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("\t") and out:  # continuation of the previous message
            prev = out[-1]
            out[-1] = Diagnostic(**{**prev.__dict__, "message": prev.message + "\n" + line.strip()})
            continue
        header = _HEADER_RE.match(line)
        if header:
            pkg = _strip_pkg(header.group("pkg"))
            continue
        if classify.is_noise(line):
            continue
        m = _POS_RE.match(line)
        if m:
            msg = m.group("msg").strip()
            out.append(Diagnostic(
                target=where.target, check=where.check, message=msg,
                category=classify.category(msg), file=where.rel(m.group("file")),
                line=int(m.group("line")), col=int(m.group("col") or 0), package=pkg,
            ))
        else:
            out.append(Diagnostic(
                target=where.target, check=where.check, message=line.strip(),
                category="other", package=pkg,
            ))
    return out


def parse_build_json(stdout: str, where: Where) -> list[Diagnostic]:
    """Parse `go build -json` (Go >= 1.24): build-output events, grouped per package."""
    outputs: dict[str, list[str]] = {}
    loose: list[str] = []
    for line in stdout.splitlines():
        if not line.startswith("{"):
            loose.append(line)
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            loose.append(line)
            continue
        if event.get("Action") == "build-output":
            outputs.setdefault(str(event.get("ImportPath", "")), []).append(str(event["Output"]))
    diags: list[Diagnostic] = []
    for pkg, chunks in outputs.items():
        diags.extend(parse_text("".join(chunks), where, package=_strip_pkg(pkg)))
    diags.extend(parse_text("\n".join(loose), where))
    return diags


def _json_blocks(text: str) -> Iterator[tuple[str, object]]:
    """Split vet's mixed output into ("text", str) and ("json", obj) pieces.

    vet -json writes one pretty-printed object per package, starting with `{` and ending with
    `}` at column 0, between `# pkg` header lines and plain-text type errors.
    """
    buf: list[str] = []
    text_lines: list[str] = []
    for line in text.splitlines():
        if buf:
            buf.append(line)
            if line == "}":
                block = "\n".join(buf)
                buf = []
                try:
                    yield ("json", json.loads(block))
                except json.JSONDecodeError:
                    text_lines.extend(block.splitlines())
            continue
        if line == "{":
            buf = [line]
            continue
        if line == "{}":  # vet -json for a package without findings
            continue
        text_lines.append(line)
    if buf:
        text_lines.extend(buf)
    yield ("text", "\n".join(text_lines))


def _vet_entries(obj: object) -> Iterable[tuple[str, str, dict[str, object]]]:
    if not isinstance(obj, dict):
        return
    for pkg, analyzers in obj.items():
        if not isinstance(analyzers, dict):
            continue
        for analyzer, entries in analyzers.items():
            if isinstance(entries, dict):  # {"error": "..."}: an analyzer that failed
                yield (str(pkg), str(analyzer), {"message": str(entries.get("error", entries))})
                continue
            for entry in entries or ():
                if isinstance(entry, dict):
                    yield (str(pkg), str(analyzer), entry)


_POSN_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?$")


def parse_vet(text: str, where: Where) -> list[Diagnostic]:
    """Parse `go vet -json` output (stdout and stderr joined): JSON blocks plus text."""
    diags: list[Diagnostic] = []
    for kind, value in _json_blocks(text):
        if kind == "text":
            assert isinstance(value, str)
            diags.extend(parse_text(value, where))
            continue
        for pkg, analyzer, entry in _vet_entries(value):
            msg = str(entry.get("message", "")).strip()
            m = _POSN_RE.match(str(entry.get("posn", "")))
            diags.append(Diagnostic(
                target=where.target, check=where.check, message=msg, category="vet",
                analyzer=analyzer, package=_strip_pkg(pkg),
                file=where.rel(m.group("file")) if m else "",
                line=int(m.group("line")) if m else 0,
                col=int(m.group("col") or 0) if m else 0,
            ))
    return diags


def dedupe(diags: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Drop exact repeats (vet reports a package and its test variant separately)."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in diags:
        k = (d.key, d.check, d.analyzer, d.category)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return tuple(out)


def saw_no_packages(text: str) -> bool:
    return any(classify.is_no_packages(line) for line in text.splitlines())
