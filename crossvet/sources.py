"""The module's Go sources, read for the plan and the run's results: the ports its files and
workflows claim (their names, constraint lines and package clauses, and the workflow files;
matrix/claims.py decides) and the inline `//crossvet:ignore` suppressions (matrix/ignores.py
parses each one). A check reads both in one walk (module_sources); a plan, only the claims
(module_facts, from the files' headers)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matrix.claims import ModuleFacts, SourceFile
from matrix.constraints import file_name_expr
from matrix.errors import ConfigError
from matrix.ignores import DIRECTIVE, LINT_MARK, IgnoreRule, parse_directive, parse_lint_directive

_MARK = DIRECTIVE.encode()
_LINT_MARK = LINT_MARK.encode()


def _skipped(name: str) -> bool:
    """Directories the go command ignores (testdata, _x, .x) and vendored code."""
    return name.startswith((".", "_")) or name in ("testdata", "vendor")


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def go_files(module_dir: str, exts: tuple[str, ...] = (".go",)) -> list[str]:
    """Module-relative, slash-separated paths of the module's .go files (or those ending in
    `exts`; not those of a nested module), sorted."""
    found: list[str] = []
    for here, dirs, files in os.walk(module_dir):
        dirs[:] = sorted(d for d in dirs if not _skipped(d)
                         and not os.path.isfile(os.path.join(here, d, "go.mod")))
        rel = os.path.relpath(here, module_dir)
        for name in files:
            # regular files only: a FIFO named x.go would block the read forever
            if name.endswith(exts) and _regular(os.path.join(here, name)):
                path = name if rel == "." else os.path.join(rel, name)
                found.append(path.replace(os.sep, "/"))
    return sorted(found)


def _directives(file: str, data: bytes, *, lint: bool = False) -> list[IgnoreRule]:
    """The inline suppressions of one Go file, with `lint` staticcheck's `//lint:ignore` ones
    too; a malformed `//crossvet:ignore` (no reason) is a ConfigError naming its file and line."""
    rules: list[IgnoreRule] = []
    ours, theirs = _MARK in data, lint and _LINT_MARK in data
    if not ours and not theirs:
        return rules
    for n, raw in enumerate(data.split(b"\n"), start=1):
        rule = None
        if ours and _MARK in raw:
            try:
                rule = parse_directive(raw.decode("utf-8", "replace"), file=file, line=n)
            except ValueError as exc:
                raise ConfigError(str(exc), source=file, line=n) from None
        elif theirs and _LINT_MARK in raw:
            try:
                rule = parse_lint_directive(raw.decode("utf-8", "replace"), file=file, line=n)
            except ValueError as exc:
                raise ConfigError(str(exc), source=file, line=n) from None
        if rule is not None:
            rules.append(rule)
    return rules


HEADER_LIMIT = 64 << 10  # bytes read per file: constraints stand before the package clause
WORKFLOW_LIMIT = 1 << 20
_PACKAGE = re.compile(rb"package\s+(\w+)")
_IMPORT_C = re.compile(rb'^import\s+"C"', re.MULTILINE)  # a cgo file (cgo allows no other form)
_FIRST_DECL = re.compile(rb"^(?:func|type|var|const)\b", re.MULTILINE)  # imports stand before


def _imports_c(data: bytes | None) -> bool:
    """Whether a Go file imports "C": in its import section, before its first declaration (an
    `import "C"` in a raw string further down, as in a generator's test, is no import). The
    regular expressions run only on the files that have `"C"` at all: searching every byte of
    a large module's files with them cost more than its whole plan."""
    if not data or b'"C"' not in data:
        return False
    decl = _FIRST_DECL.search(data)
    return bool(_IMPORT_C.search(data, 0, decl.start() if decl else len(data)))


def _header(data: bytes) -> tuple[str, tuple[str, ...], str] | None:
    """A file's `//go:build` text, its `// +build` texts and its package name, from the comments
    and blank lines before its first other line (where go reads constraints); None when `data`
    ends before that line."""
    build = ""
    plus: list[str] = []
    in_block = False
    for raw in data.split(b"\n"):
        line = raw.strip()
        if in_block:
            in_block = b"*/" not in line
            continue
        if not line:
            continue
        if line.startswith(b"/*"):
            in_block = b"*/" not in line[2:]
            continue
        if line.startswith(b"//"):
            text = line.decode("utf-8", "replace")
            if text.startswith("//go:build ") and not build:
                build = text[len("//go:build "):].strip()
            elif text[2:].strip().startswith("+build "):
                plus.append(text[2:].strip()[len("+build "):].strip())
            continue
        m = _PACKAGE.match(line)
        return build, tuple(plus), m.group(1).decode() if m else ""
    return None


def _read_head(path: str, limit: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return None


def workflow_files(dirs: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """(path shown, text) of every `.github/workflows/*.yml|yaml` under each (directory, how it
    is shown) pair; a file over 1 MiB or not UTF-8 is left out."""
    out: list[tuple[str, str]] = []
    for top, shown in dirs:
        wf = os.path.join(top, ".github", "workflows")
        try:
            names = sorted(os.listdir(wf))
        except OSError:
            continue
        for name in names:
            path = os.path.join(wf, name)
            if not name.endswith((".yml", ".yaml")) or not _regular(path):
                continue
            data = _read_head(path, WORKFLOW_LIMIT + 1)
            if data is None or len(data) > WORKFLOW_LIMIT:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append((os.path.join(shown, ".github", "workflows", name).replace(os.sep, "/")
                        .removeprefix("./"), text))
    return tuple(out)


def _source_file(rel: str, read: Callable[[int], bytes | None], *,
                 cgo: bool = False) -> SourceFile | None:
    """What one Go or assembly file says about ports (its header, read through `read(limit)`:
    at most `limit` bytes, None when unreadable) and whether it is a cgo file, or None when it
    says nothing."""
    head = None
    data = None
    for limit in (4096, HEADER_LIMIT):  # most headers are short; a licence can be long
        data = read(limit)
        if data is None:
            break
        whole = len(data) < limit
        head = _header(data if whole else data[:data.rfind(b"\n") + 1])
        if head is not None or whole:
            break
    if head is None:  # all comments, or a header longer than the limit: no package
        head = ("", (), "") if data is None else (_header(data + b"\n;") or ("", (), ""))
    build, plus, package = head
    if build or plus or package == "main" or cgo or file_name_expr(rel) is not None:
        return SourceFile(path=rel, build=build, plus_build=plus, package=package, cgo=cgo)
    return None


def _head_of_file(path: str) -> Callable[[int], bytes | None]:
    return lambda limit: _read_head(path, limit)


def _head_of_bytes(data: bytes | None) -> Callable[[int], bytes | None]:
    return lambda limit: None if data is None else data[:limit]


def _facts(module_dir: str, files: Sequence[SourceFile],
           workflow_dirs: Sequence[tuple[str, str]]) -> ModuleFacts:
    dirs = [(module_dir, "."), *((d, s) for d, s in workflow_dirs
                                 if os.path.abspath(d) != os.path.abspath(module_dir))]
    return ModuleFacts(files=tuple(files), workflows=workflow_files(dirs))


def module_facts(module_dir: str, workflow_dirs: Sequence[tuple[str, str]] = ()) -> ModuleFacts:
    """What the module's files say about the ports it runs on (matrix/claims.py): each Go and
    assembly file's name, constraint lines and package, and the workflows in the module
    directory and `workflow_dirs` ((directory, how it is shown) pairs, such as a run's root).
    Only the files' headers are read, and whether a Go file imports "C"."""
    files = []
    for rel in go_files(module_dir, (".go", ".s")):
        path = os.path.join(module_dir, rel)
        data = _read_head(path, -1) if rel.endswith(".go") else None
        f = _source_file(rel, _head_of_file(path) if data is None else _head_of_bytes(data),
                         cgo=_imports_c(data))
        if f is not None:
            files.append(f)
    return _facts(module_dir, files, workflow_dirs)


@dataclass(frozen=True, kw_only=True)
class ModuleSources:
    """What a check reads of the module's sources before it runs, in one walk: the ports they
    claim (module_facts) and the inline suppressions."""

    facts: ModuleFacts
    rules: tuple[IgnoreRule, ...]


def module_sources(module_dir: str, workflow_dirs: Sequence[tuple[str, str]] = (), *,
                   lint: bool = False) -> ModuleSources:
    """module_facts and every inline suppression (with `lint`, staticcheck's `//lint:ignore`
    ones too), each file read once (a Go file whole: its suppressions can be anywhere). A
    malformed suppression (no reason) is a ConfigError naming its file and line."""
    files: list[SourceFile] = []
    rules: list[IgnoreRule] = []
    for rel in go_files(module_dir, (".go", ".s")):
        path = os.path.join(module_dir, rel)
        if rel.endswith(".go"):
            data = _read_head(path, -1)
            f = _source_file(rel, _head_of_bytes(data), cgo=_imports_c(data))
            if data is not None:
                rules.extend(_directives(rel, data, lint=lint))
        else:
            f = _source_file(rel, _head_of_file(path))
        if f is not None:
            files.append(f)
    return ModuleSources(facts=_facts(module_dir, files, workflow_dirs), rules=tuple(rules))
