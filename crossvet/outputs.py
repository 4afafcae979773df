"""The files crossvet reads and writes: results files, and the report files from them.

Every write is atomic (checker/atomic.py): a reader, an interrupted run or a failed write never
leaves half a file or a stray temporary one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from checker import atomic
from matrix.errors import UsageError
from reports import formats
from reports.results import Results, from_text, to_text


def load(path: str) -> Results:
    """A results file (schema 1), validated."""
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


def check_writable(paths: Iterable[str]) -> None:
    """Refuse, before anything runs, a report path that can never be written: a directory, or
    one below a file. (Other failures, a full disk say, are found by the write itself.)"""
    for path in paths:
        if not path:
            continue
        if os.path.isdir(path):
            raise UsageError(f"cannot write {path}: it is a directory")
        parent = os.path.dirname(os.path.abspath(path))
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not os.path.isdir(parent):
            raise UsageError(f"cannot write {path}: {parent} is not a directory")


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


def write_all(res: Results, outputs: Iterable[tuple[str, str]], *, sarif_prefix: str = "",
              module_dir: str = "") -> list[str]:
    """Write each report of `outputs` ((format, path) pairs, reports/formats.py); return the
    paths written. `module_dir` is where the sources are, for SARIF's columns (without it, SARIF
    results carry lines but no columns)."""
    paths = dict(outputs)
    ctx = formats.Context(json_path=paths.get("json", ""), sarif_prefix=sarif_prefix,
                          source_line=source_lines(module_dir) if module_dir else None)
    written = []
    for fmt in formats.FORMATS:
        path = paths.get(fmt.name, "")
        if path:
            _write(path, fmt.render(res, ctx))
            written.append(path)
    return written
