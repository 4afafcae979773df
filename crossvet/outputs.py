"""The files crossvet reads and writes: results files, and the report files from them.

Every write is atomic (checker/atomic.py): a reader, an interrupted run or a failed write never
leaves half a file or a stray temporary one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

from checker import atomic
from matrix.errors import UsageError
from reports import formats
from reports.results import Results, from_text, to_text


def load(path: str) -> Results:
    """A results file (schema 2, or 1), validated."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not a results file: not UTF-8 text (byte "
                         f"0x{data[exc.start]:02x} at offset {exc.start})") from None
    return from_text(text, source=path)


# Files go reads in a module (go/build's source suffixes and the module files), which no report
# may overwrite wherever they are: `--json go.mod` must not destroy the module.
GO_INPUT_NAMES = ("go.mod", "go.sum", "go.work", "go.work.sum")
GO_INPUT_SUFFIXES = (".go", ".s", ".S", ".sx", ".c", ".cc", ".cxx", ".cpp", ".m", ".h", ".hh",
                     ".hpp", ".hxx", ".f", ".F", ".for", ".f90", ".swig", ".swigcxx", ".syso")


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _input_name(path: str, names: Iterable[str]) -> str:
    """Why no report may be written at `path` whether or not it exists: its name is one go
    (or crossvet: `names`) reads as input. '' when it is not."""
    name = os.path.basename(path)
    if name in GO_INPUT_NAMES:
        return f"{name}, which go reads as input"
    suffix = next((s for s in GO_INPUT_SUFFIXES if name.endswith(s)), "")
    if suffix:
        return f"*{suffix}, which go reads as input"
    if name in names:
        return f"{name}, which crossvet reads as input"
    return ""


def check_outputs(outputs: Iterable[tuple[str, str]], *,
                  inputs: Mapping[str, str] | None = None, names: Iterable[str] = ()) -> None:
    """The one check of the output paths ((flag, path); empty: not wanted), before anything
    runs. Refused: a path that can never be written (a directory, one below a file), one that
    is an input of the run (`inputs`: path -> what it is, such as the results file a report
    reads), one named as go's inputs are (go.mod, *.go, ...) or crossvet's (`names`, such as
    .crossvet.yaml) whether or not it exists, and two reports onto one file."""
    names = tuple(names)
    seen: dict[str, str] = {}
    for flag, path in outputs:
        if not path:
            continue
        if os.path.isdir(path):
            raise UsageError(f"cannot write {path}: it is a directory")
        parent = os.path.dirname(os.path.abspath(path))
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            raise UsageError(f"cannot write {path}: {parent} is not a directory")
        what = next((w for p, w in (inputs or {}).items() if p and _same(p, path)), "")
        if what:
            raise UsageError(f"{flag} {path}: refusing to overwrite an input of this run "
                             f"({what})")
        named = _input_name(path, names)
        if named:
            raise UsageError(f"{flag} {path}: refusing to write a report named {named}")
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"{seen[key]} and {flag} name the same file {path}")
        seen[key] = flag


def _write(path: str, text: str) -> None:
    """One report file, atomically; failing to write it is an error naming the file."""
    try:
        atomic.write_text(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def dump(results: Results, path: str) -> None:
    _write(path, to_text(results))


def source_lines(module_dir: str) -> Callable[[str, int], bytes | None]:
    """A reader of source lines under `module_dir` for SARIF's columns: (module-relative file,
    1-based line) -> the line's bytes, None when the file is outside the module or unreadable.
    Lines are split at `\\n`, as Go counts them; each file is read once."""
    root = os.path.realpath(module_dir)
    cache: dict[str, list[bytes] | None] = {}

    def read(file: str) -> list[bytes] | None:
        if not file or os.path.isabs(file):
            return None
        path = os.path.realpath(os.path.join(root, file))
        if not path.startswith(root.rstrip(os.sep) + os.sep):
            return None
        try:
            with open(path, "rb") as fh:
                return fh.read().split(b"\n")
        except OSError:
            return None

    def line(file: str, number: int) -> bytes | None:
        if file not in cache:
            cache[file] = read(file)
        lines = cache[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    return line


def write_all(res: Results, outputs: Iterable[tuple[str, str]], *, repo_prefix: str = "",
              module_dir: str = "") -> list[str]:
    """Write each report of `outputs` ((format, path) pairs, reports/formats.py); return the
    paths written. `module_dir` is where the sources are, for SARIF's columns (without it, SARIF
    results carry lines but no columns)."""
    paths = dict(outputs)
    ctx = formats.Context(json_path=paths.get("json", ""), repo_prefix=repo_prefix,
                          source_line=source_lines(module_dir) if module_dir else None)
    written = []
    for fmt in formats.FORMATS:
        path = paths.get(fmt.name, "")
        if path:
            _write(path, fmt.render(res, ctx))
            written.append(path)
    return written
