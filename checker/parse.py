"""Turn what `go build` and `go vet` print into Diagnostics. Pure: text in, records out.

Nothing is lost: every line go prints is either context (a `# pkg` header, `go: finding module
...`, `too many errors`, ...), part of a diagnostic (its first line or a continuation line such as
`\thave m()` or `\t./a.go:3:5: other declaration of X`), or a Diagnostic of category `other`
carrying the line verbatim. The `scan_*` functions return that accounting as Pieces; the
`parse_*` functions return only the diagnostics.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from checker import classify
from checker.model import Diagnostic

# Where a FILE:LINE[:COL]: prefix may end. FILE may hold spaces, `:`, `%`, backticks and (once
# two lines are joined) a newline; the shortest FILE is taken unless the known files say otherwise.
# Line and column are ASCII digits, at most 9 of them (int() of 5,000 digits raises).
_CUT_RE = re.compile(r"\.go:(?P<line>[0-9]{1,9})(?::(?P<col>[0-9]{1,9}))?: ")
_VET_PREFIX = "vet: "
# A position in a file that is not Go: through a //line directive (`expressions.y:106: msg`,
# without a column when the directive gives none) or in assembly (`asm_386.s:12: msg`). FILE is
# one word with an extension; go's own files (go.mod, ...) are not source positions.
_OTHER_FILE_RE = re.compile(r"(?P<file>[^\s:]*[^\s:/]\.[A-Za-z0-9_]+):(?P<line>[0-9]{1,9})"
                            r"(?::(?P<col>[0-9]{1,9}))?: ")
_NOT_SOURCE = frozenset({"go.mod", "go.sum", "go.work", "go.work.sum"})


@dataclass(frozen=True, kw_only=True)
class Where:
    """Where the go command ran and which module root paths are made relative to.

    `files`, when known, are the module-relative paths of the checked packages' Go files; they
    settle file names that text output leaves ambiguous (a `.go:1: ` or a newline in a name).
    """

    target: str
    check: str
    module_dir: str
    cwd: str = ""
    files: frozenset[str] | None = None

    def rel(self, path: str) -> str:
        cwd = self.cwd or self.module_dir
        full = os.path.normpath(path if os.path.isabs(path) else os.path.join(cwd, path))
        root = os.path.normpath(self.module_dir)
        if full == root or full.startswith(root + os.sep):
            return posixpath.join(*os.path.relpath(full, root).split(os.sep))
        return full.replace(os.sep, "/")


@dataclass(frozen=True)
class Piece:
    """Consecutive lines of go's output and what they are: context (no diagnostics), or the
    diagnostics they make up."""

    lines: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def is_context(self) -> bool:
        return not self.diagnostics


@dataclass(frozen=True)
class _Pos:
    file: str
    line: int
    col: int
    message: str


def lines_of(text: str) -> list[str]:
    """go's output as lines: split at LF (CRLF counts as one break) and nowhere else. A file
    name may hold VT, FF, NEL or U+2028, which str.splitlines would take for line breaks."""
    return text.replace("\r\n", "\n").split("\n")


def _strip_pkg(pkg: str) -> str:
    """`a/b [a/b.test]` -> `a/b`; `[a/b]` -> `a/b`."""
    pkg = pkg.strip()
    if pkg.startswith("[") and pkg.endswith("]"):
        pkg = pkg[1:-1]
    return pkg.split(" ", 1)[0]


def _position(text: str, where: Where) -> _Pos | None:
    """Split `[vet: ]FILE:LINE[:COL]: MESSAGE`; None when the text names no position."""
    body = text.removeprefix(_VET_PREFIX)
    if not body or body[0].isspace():
        return None
    cuts = list(_CUT_RE.finditer(body))
    if not cuts:
        return _other_file(body)
    chosen = cuts[0]
    if where.files is not None and len(cuts) > 1:
        chosen = next((c for c in cuts if where.rel(body[:c.start() + 3]) in where.files), chosen)
    return _Pos(file=body[:chosen.start() + 3], line=int(chosen.group("line")),
                col=int(chosen.group("col") or 0), message=body[chosen.end():].strip())


def _other_file(body: str) -> _Pos | None:
    """A position in a file that is not Go (_OTHER_FILE_RE), else None."""
    m = _OTHER_FILE_RE.match(body)
    if m is None or posixpath.basename(m.group("file")) in _NOT_SOURCE:
        return None
    return _Pos(file=m.group("file"), line=int(m.group("line")), col=int(m.group("col") or 0),
                message=body[m.end():].strip())


def _joins_next(line: str, nxt: str, where: Where) -> _Pos | None:
    """A file name with a newline: `./k` then `::warning::x.go:3:5: msg` is one diagnostic.

    Joined when the known files hold the joined name or, without a file list, conservatively:
    the first line looks like the start of a path go prints for the checked package (`./`,
    `../` or absolute) and cannot be a message of its own (no `: `).
    """
    if "\n" in nxt or _position(nxt, where) is None:
        return None
    pos = _position(line + "\n" + nxt, where)
    if pos is None or "\n" not in pos.file:
        return None
    if where.files is not None:
        return pos if where.rel(pos.file) in where.files else None
    head = line.removeprefix(_VET_PREFIX)
    if head.startswith(("./", "../", "/")) and ": " not in head:
        return pos
    return None


def _diag(where: Where, pos: _Pos | None, text: str, pkg: str) -> Diagnostic:
    if pos is None:
        return Diagnostic(target=where.target, check=where.check, message=text.strip(),
                          category="other", package=pkg)
    return Diagnostic(target=where.target, check=where.check, message=pos.message,
                      category=classify.category(pos.message), file=where.rel(pos.file),
                      line=pos.line, col=pos.col, package=pkg)


def scan_text(text: str, where: Where, *, package: str = "") -> list[Piece]:
    """Account for every non-blank line of compiler/vet text output."""
    pieces: list[Piece] = []
    pkg = package
    lines = [ln.rstrip() for ln in lines_of(text)]
    lines = [ln for ln in lines if ln.strip()]
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        last = pieces[-1] if pieces else None
        if line[0].isspace() and last is not None and len(last.diagnostics) == 1:
            # A continuation: `\thave ...`, `\t./a.go:3:5: other declaration of X`, `\tgo mod tidy`.
            d = last.diagnostics[0]
            joined = replace(d, message=d.message + "\n" + line.strip())
            pieces[-1] = Piece((*last.lines, line), (joined,))
            continue
        header = classify.package_header(line)
        if header is not None:
            pkg = header or package
            pieces.append(Piece((line,)))
            continue
        if classify.is_context(line):
            pieces.append(Piece((line,)))
            continue
        pos = _position(line, where)
        if pos is None and i < len(lines):
            pos = _joins_next(line, lines[i], where)
            if pos is not None:
                pieces.append(Piece((line, lines[i]), (_diag(where, pos, line, pkg),)))
                i += 1
                continue
        if pos is not None and classify.is_context(pos.message):  # `a.go:13:6: too many errors`
            pieces.append(Piece((line,)))
            continue
        pieces.append(Piece((line,), (_diag(where, pos, line, pkg),)))
    return pieces


def _diags(pieces: Iterable[Piece]) -> list[Diagnostic]:
    return [d for p in pieces for d in p.diagnostics]


def parse_text(text: str, where: Where, *, package: str = "") -> list[Diagnostic]:
    """Parse compiler/vet text output: positioned lines, `# pkg` headers, continuation lines."""
    return _diags(scan_text(text, where, package=package))


def scan_build_json(stdout: str, where: Where) -> list[Piece]:
    """Account for `go build -json` (Go >= 1.24): build-output events, grouped per package.

    go splits a package's output into one event per line, so the pieces hold the output's lines
    (not the JSON lines); events without output (`build-fail`) are context.
    """
    outputs: dict[str, list[str]] = {}
    loose: list[str] = []
    events: list[str] = []
    for line in lines_of(stdout):
        if not line.startswith("{"):
            loose.append(line)
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            loose.append(line)
            continue
        if isinstance(event, dict) and event.get("Action") == "build-output":
            outputs.setdefault(str(event.get("ImportPath", "")), []).append(
                str(event.get("Output", "")))
        else:
            events.append(line)
    pieces = [Piece((line,)) for line in events]
    for import_path, chunks in outputs.items():
        text = "".join(chunks)
        pkg = _strip_pkg(import_path)
        if f"package {pkg}" in text and classify.package_header(chunks[0].rstrip()) is None:
            pkg = ""  # a load error names the missing package; the file belongs to its importer
        pieces.extend(scan_text(text, where, package=pkg))
    pieces.extend(scan_text("\n".join(loose), where))
    return pieces


def parse_build_json(stdout: str, where: Where) -> list[Diagnostic]:
    """Parse `go build -json` (Go >= 1.24): build-output events, grouped per package."""
    return _diags(scan_build_json(stdout, where))


def _json_blocks(text: str) -> Iterator[tuple[str, object, list[str]]]:
    """Split vet's mixed output into ("text", str, lines) and ("json", obj, lines) pieces.

    vet -json writes one pretty-printed object per package, starting with `{` and ending with
    `}` at column 0, between `# pkg` header lines and plain-text type errors.
    """
    buf: list[str] = []
    text_lines: list[str] = []
    for line in lines_of(text):
        if buf:
            buf.append(line)
            if line == "}":
                block = "\n".join(buf)
                lines, buf = buf, []
                try:
                    obj = json.loads(block)
                except json.JSONDecodeError:
                    text_lines.extend(lines)
                    continue
                yield ("text", "\n".join(text_lines), text_lines)
                text_lines = []
                yield ("json", obj, lines)
            continue
        if line == "{":
            buf = [line]
            continue
        if line == "{}":  # vet -json for a package without findings
            yield ("text", "\n".join(text_lines), text_lines)
            text_lines = []
            yield ("json", {}, [line])
            continue
        text_lines.append(line)
    text_lines.extend(buf)
    yield ("text", "\n".join(text_lines), text_lines)


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
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict):
                    yield (str(pkg), str(analyzer), entry)


_POSN_RE = re.compile(r"^(?P<file>.+?):(?P<line>[0-9]{1,9})(?::(?P<col>[0-9]{1,9}))?$",
                      re.DOTALL)


def scan_vet(text: str, where: Where) -> list[Piece]:
    """Account for `go vet [-json]` output (stdout and stderr joined): JSON blocks plus text."""
    pieces: list[Piece] = []
    for kind, value, lines in _json_blocks(text):
        if kind == "text":
            assert isinstance(value, str)
            pieces.extend(scan_text(value, where))
            continue
        diags = []
        for pkg_id, analyzer, entry in _vet_entries(value):
            msg = str(entry.get("message", "")).strip()
            m = _POSN_RE.match(str(entry.get("posn", "")))
            diags.append(Diagnostic(
                target=where.target, check=where.check, message=msg, category="vet",
                analyzer=analyzer, package=_strip_pkg(pkg_id),
                file=where.rel(m.group("file")) if m else "",
                line=int(m.group("line")) if m else 0,
                col=int(m.group("col") or 0) if m else 0,
            ))
        pieces.append(Piece(tuple(lines), tuple(diags)))
    return pieces


def parse_vet(text: str, where: Where) -> list[Diagnostic]:
    """Parse `go vet -json` output (stdout and stderr joined): JSON blocks plus text."""
    return _diags(scan_vet(text, where))


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


_UNFETCHED_MODULE_RE = re.compile(r'^(?P<module>\S+@\S+): (?:Get "[^"]*": )?(?P<why>.+)$')


def split_environment(diags: tuple[Diagnostic, ...]) -> tuple[tuple[Diagnostic, ...], str]:
    """The diagnostics that are the code's, and, when some are not, the error that makes the
    check not checked (exit 3, not a finding on the code): a required module that could not
    be downloaded, or a module the go.work in use does not `use`. The error names go's
    distinct reasons, not where each import is, so that every target and check it stops reads
    the same (the reports list it once)."""
    unfetched = [d for d in diags if classify.is_unfetched(d.message)]
    outside = [d for d in diags if classify.is_outside_workspace(d.message)]
    errors = []
    if unfetched:
        errors.append(_unfetched_error(unfetched))
    if outside:
        errors.append(f"the go.work in use does not `use` this module (go: "
                      f"{outside[0].message.splitlines()[0]}): add it (`go work use DIR`) or "
                      "check it outside the workspace (GOWORK=off)")
    if not errors:
        return diags, ""
    gone = {id(d) for d in (*unfetched, *outside)}
    return tuple(d for d in diags if id(d) not in gone), "; ".join(errors)


def _unfetched_error(unfetched: Sequence[Diagnostic]) -> str:
    modules: set[str] = set()
    reasons: set[str] = set()
    for d in unfetched:  # `mod@v: [Get "URL": ]why` is said as the modules, then each why once
        first = d.message.split("\n", 1)[0]
        m = _UNFETCHED_MODULE_RE.match(first)
        if m:
            modules.add(m["module"])
        reasons.add(m["why"] if m else first)
    named = sorted(modules)
    said = "; ".join(sorted(reasons))
    if named:
        said = (", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
                + f": {said}")
    return (f"a required module could not be downloaded ({said}): download the module's "
            "dependencies first (`go mod download` where the module proxy is reachable) or use "
            "a go.work that uses local checkouts")


@dataclass(frozen=True, kw_only=True)
class Listing:
    """A job's `go list -e -json=…` (checker/commands.list_packages): the packages it checks and
    their Go files, module-relative (Where.files)."""

    packages: tuple[str, ...]
    files: frozenset[str]


def parse_listing(stdout: str, module_dir: str, *, cwd: str = "") -> Listing:
    """Read the stream of JSON objects `go list -json` prints; text that is not JSON (a go that
    died half-way) ends the stream, keeping what came before."""
    where = Where(target="", check="", module_dir=module_dir, cwd=cwd)
    decoder = json.JSONDecoder()
    packages: set[str] = set()
    files: set[str] = set()
    pos = 0
    while True:
        while pos < len(stdout) and stdout[pos].isspace():
            pos += 1
        if pos >= len(stdout):
            break
        try:
            obj, pos = decoder.raw_decode(stdout, pos)
        except json.JSONDecodeError:
            break
        if not isinstance(obj, dict):
            continue
        path, folder = obj.get("ImportPath"), obj.get("Dir")
        if isinstance(path, str) and path:
            packages.add(path)
        if not isinstance(folder, str) or not folder:
            continue
        for key in ("GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles"):
            names = obj.get(key)
            if isinstance(names, list):
                files.update(where.rel(posixpath.join(folder, n)) for n in names
                             if isinstance(n, str))
    return Listing(packages=tuple(sorted(packages)), files=frozenset(files))


def saw_no_packages(text: str) -> bool:
    return any(classify.is_no_packages(line) for line in lines_of(text))
